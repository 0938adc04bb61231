"""The exception tree: one root, builtin mixins, context in messages, safe reprs, pickling."""

from __future__ import annotations

import pickle

import pytest

import enunclic
from enunclic import exceptions as ex


def test_every_error_derives_from_the_root() -> None:
    for name in ex.__all__:
        assert issubclass(getattr(ex, name), ex.EnunclicError)
        assert getattr(enunclic, name) is getattr(ex, name)


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (ex.RequestTimeout, TimeoutError),
        (ex.TorrentNotFoundError, LookupError),
        (ex.InvalidInputError, ValueError),
        (ex.TwoFactorRequired, ex.AuthenticationError),
        (ex.SessionExpiredError, ex.AuthenticationError),
        (ex.PartialFailureError, ex.ServerError),
        (ex.ConnectError, ex.TransportError),
        (ex.RequestTimeout, ex.TransportError),
        (ex.EndpointNotFoundError, ex.ProtocolError),
        (ex.ClientClosedError, RuntimeError),
    ],
)
def test_builtin_and_parent_classes(cls: type[Exception], builtin: type[Exception]) -> None:
    assert issubclass(cls, builtin)


def test_message_carries_backend_operation_and_native_code() -> None:
    error = ex.ServerError("destination does not exist", backend="synology", operation="add", native_code=403)
    assert str(error) == "destination does not exist [synology:add, code 403]"
    assert error.kind == "ServerError"
    assert repr(error) == (
        "ServerError('destination does not exist', backend='synology', operation='add', native_code=403)"
    )


def test_errors_survive_pickling_with_their_context() -> None:
    error = ex.PartialFailureError(
        "2 of 3 failed", {"a": ex.ServerError("x", native_code=1)}, backend="b", operation="pause", native_code=7
    )
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (type(copy), copy.message, copy.backend, copy.operation, copy.native_code) == (
        ex.PartialFailureError,
        "2 of 3 failed",
        "b",
        "pause",
        7,
    )
    assert set(copy.failures) == {"a"}


def test_a_message_of_any_length_is_cut() -> None:
    error = ex.ServerError("x" * 100_000, native_code=3)
    assert len(error.message) == ex.MAX_MESSAGE_CHARS and error.message.endswith("…")
    assert len(str(error)) < ex.MAX_MESSAGE_CHARS + 50
