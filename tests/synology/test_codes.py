"""Every error-code row, decoded per API: auth and task codes overlap numerically."""

from __future__ import annotations

import pytest

from enunclic import (
    AuthenticationError,
    EnunclicError,
    PermissionDeniedError,
    ServerError,
    SessionExpiredError,
    TorrentNotFoundError,
    TwoFactorRequired,
)
from enunclic.backends.synology.codes import AUTH_CODES, COMMON_CODES, TASK_CODES, error_for

AUTH = "SYNO.API.Auth"
TASK = "SYNO.DownloadStation.Task"

AUTH_ROWS: dict[int, tuple[type[EnunclicError], str]] = {
    400: (AuthenticationError, "incorrect password"),
    401: (AuthenticationError, "disabled"),
    402: (PermissionDeniedError, "permission denied"),
    403: (TwoFactorRequired, "2-step verification code required"),
    404: (TwoFactorRequired, "code was wrong"),
    405: (AuthenticationError, "app portal"),
    406: (AuthenticationError, "not set up"),
    407: (AuthenticationError, "this IP is blocked by the NAS"),
    408: (AuthenticationError, "expired"),
    409: (AuthenticationError, "expired"),
    410: (AuthenticationError, "must be changed"),
    411: (AuthenticationError, "locked"),
}

TASK_ROWS: dict[int, tuple[type[EnunclicError], str]] = {
    400: (ServerError, "file upload failed"),
    401: (ServerError, "maximum number of tasks"),
    402: (PermissionDeniedError, "destination denied"),
    403: (ServerError, "destination does not exist"),
    404: (TorrentNotFoundError, "invalid task id"),
    405: (ServerError, "invalid task action"),
    406: (ServerError, "no default destination"),
    407: (ServerError, "setting the destination failed"),
    408: (ServerError, "file does not exist"),
}

COMMON_ROWS: dict[int, tuple[type[EnunclicError], str]] = {
    100: (ServerError, "unknown error"),
    101: (ServerError, "invalid parameter"),
    102: (ServerError, "API does not exist"),
    103: (ServerError, "method does not exist"),
    104: (ServerError, "version does not support"),
    105: (PermissionDeniedError, "does not have permission"),
    106: (SessionExpiredError, "timed out"),
    107: (SessionExpiredError, "duplicate login"),
    108: (ServerError, "upload the file"),
    109: (ServerError, "system is busy"),
    110: (ServerError, "system is busy"),
    111: (ServerError, "system is busy"),
    114: (ServerError, "lost parameters"),
    115: (PermissionDeniedError, "upload a file"),
    116: (PermissionDeniedError, "demo site"),
    117: (ServerError, "system is busy"),
    118: (ServerError, "system is busy"),
    119: (SessionExpiredError, "session id not found"),
    120: (ServerError, "parameter validation"),
    150: (PermissionDeniedError, "source IP"),
    160: (PermissionDeniedError, "privilege"),
}


def test_the_tables_hold_exactly_the_tested_rows() -> None:
    assert set(AUTH_CODES) == set(AUTH_ROWS)
    assert set(TASK_CODES) == set(TASK_ROWS)
    assert set(COMMON_CODES) == set(COMMON_ROWS)


@pytest.mark.parametrize(("code", "row"), sorted(AUTH_ROWS.items()))
def test_auth_code_row(code: int, row: tuple[type[EnunclicError], str]) -> None:
    error = error_for(AUTH, code)
    assert type(error) is row[0]
    assert row[1] in error.message
    assert error.native_code == code


@pytest.mark.parametrize(("code", "row"), sorted(TASK_ROWS.items()))
def test_task_code_row(code: int, row: tuple[type[EnunclicError], str]) -> None:
    for api in (TASK, "SYNO.DownloadStation2.Task"):
        error = error_for(api, code)
        assert type(error) is row[0]
        assert row[1] in error.message
        assert error.native_code == code


@pytest.mark.parametrize(("code", "row"), sorted(COMMON_ROWS.items()))
def test_common_code_row_for_every_api(code: int, row: tuple[type[EnunclicError], str]) -> None:
    for api in (AUTH, TASK, "SYNO.DownloadStation.Info"):
        error = error_for(api, code)
        assert type(error) is row[0]
        assert row[1] in error.message


def test_overlapping_numbers_mean_different_things() -> None:
    assert isinstance(error_for(AUTH, 403), TwoFactorRequired)
    assert not isinstance(error_for(TASK, 403), AuthenticationError)
    assert "destination" in error_for(TASK, 403).message
    assert isinstance(error_for(AUTH, 400), AuthenticationError)
    assert "upload" in error_for(TASK, 400).message
    # Another API reusing 400-range numbers is not decoded with the task or auth table.
    other = error_for("SYNO.DownloadStation.BTSearch", 403)
    assert type(other) is ServerError
    assert "unknown error code 403" in other.message


def test_code_120_names_the_parameter() -> None:
    error = error_for("SYNO.DownloadStation2.Task", 120, {"name": "file", "reason": "condition"})
    assert "'file' (condition)" in error.message
