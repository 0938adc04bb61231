"""The exit-code table, row by row, and the shape of an error."""

from __future__ import annotations

import pytest

from enunclic import (
    AuthenticationError,
    ConnectError,
    EnunclicError,
    InvalidInputError,
    NotSupportedError,
    PartialFailureError,
    PermissionDeniedError,
    ProtocolError,
    RequestTimeout,
    ServerError,
    SessionExpiredError,
    TorrentNotFoundError,
    TwoFactorRequired,
)
from enunclic.cli.exits import EXIT_CODES, CliError, ExitCode, exit_code_for


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidInputError("bad magnet"), 2),
        (NotSupportedError("no labels"), 4),
        (AuthenticationError("wrong password"), 3),
        (TwoFactorRequired("otp"), 3),
        (SessionExpiredError("gone"), 3),
        (ConnectError("refused"), 3),
        (RequestTimeout("slow"), 3),
        (TorrentNotFoundError("nope"), 1),
        (ServerError("refused", native_code=544), 1),
        (PartialFailureError("some", {}), 1),
        (PermissionDeniedError("not a manager"), 1),
        (ProtocolError("html"), 1),
        (EnunclicError("other"), 1),
        (CliError("no profile", ExitCode.USAGE), 2),
        (CliError("declined"), 1),
        (RuntimeError("a bug"), 1),
    ],
)
def test_exit_code_for(error: BaseException, code: int) -> None:
    assert exit_code_for(error) == code


@pytest.mark.parametrize(("cls", "code"), EXIT_CODES)
def test_every_row_maps_its_own_class(cls: type[EnunclicError], code: ExitCode) -> None:
    assert exit_code_for(cls("x")) == code


def test_the_codes_are_the_documented_ones() -> None:
    assert {c.name: c.value for c in ExitCode} == {
        "OK": 0,
        "ERROR": 1,
        "USAGE": 2,
        "CONNECTION": 3,
        "NOT_SUPPORTED": 4,
        "INTERRUPTED": 130,
    }
