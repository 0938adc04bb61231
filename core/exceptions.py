"""The one exception tree of enunclic.

Every error a caller can meet is an :class:`EnunclicError`; httpx, pydantic and
parser exceptions are translated at the boundary and never escape::

    EnunclicError                   .backend  .operation  .native_code
    ├── TransportError              the exchange with the server failed below the API
    │   ├── ConnectError            the server could not be reached (refused, reset, DNS, TLS)
    │   │   └── CertificateError    its TLS certificate is not trusted; ``.certificate`` describes it
    │   └── RequestTimeout          (also TimeoutError) the call's deadline passed
    ├── AuthenticationError         wrong credentials, or the session could not be restored
    │   ├── TwoFactorRequired       the account needs a one-time code (``otp_code=``)
    │   └── SessionExpiredError     the session ended and one re-login did not bring it back
    ├── PermissionDeniedError       logged in, but not allowed to do this
    ├── NotSupportedError           the backend cannot do this; raised before any request
    ├── TorrentNotFoundError        (also LookupError) no torrent with that id
    ├── InvalidInputError           (also ValueError) bad URL, option, magnet, .torrent, path
    ├── PluginError                 a backend plugin is broken (duplicate name, bad class, missing operation)
    ├── ClientClosedError           (also RuntimeError) the client was closed before this call
    ├── ServerError                 the server refused or failed (any HTTP 5xx); native code and message
    │   └── PartialFailureError     a bulk operation failed for some ids and not others
    └── ProtocolError               a reply that cannot be understood (HTML, truncated, wrong shape)
        └── EndpointNotFoundError   HTTP 404: nothing answers the API at this URL or path

Messages are built from safe values only: no password, cookie, session id or API
key ever reaches ``str()``, ``repr()`` or a log line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "AuthenticationError",
    "CertificateError",
    "ClientClosedError",
    "ConnectError",
    "EndpointNotFoundError",
    "EnunclicError",
    "InvalidInputError",
    "NotSupportedError",
    "PartialFailureError",
    "PermissionDeniedError",
    "PluginError",
    "ProtocolError",
    "RequestTimeout",
    "ServerError",
    "SessionExpiredError",
    "TorrentNotFoundError",
    "TransportError",
    "TwoFactorRequired",
]


#: Longer messages are cut: they end up in dialogs, log lines and bridge replies.
MAX_MESSAGE_CHARS = 1000


class EnunclicError(Exception):
    """Root of every enunclic error; carries where it happened and the server's own code."""

    def __init__(
        self,
        message: str,
        *,
        backend: str | None = None,
        operation: str | None = None,
        native_code: int | str | None = None,
    ) -> None:
        if len(message) > MAX_MESSAGE_CHARS:  # a server's error text can be any length
            message = message[: MAX_MESSAGE_CHARS - 1] + "…"
        super().__init__(message)
        self.message = message
        self.backend = backend
        self.operation = operation
        self.native_code = native_code

    @property
    def kind(self) -> str:
        """The class name, stable across versions: what a bridge or a log reports as the error kind."""
        return type(self).__name__

    def __str__(self) -> str:
        where = ":".join(part for part in (self.backend, self.operation) if part)
        context = [where] if where else []
        if self.native_code is not None:
            context.append(f"code {self.native_code}")
        return f"{self.message} [{', '.join(context)}]" if context else self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, backend={self.backend!r}, "
            f"operation={self.operation!r}, native_code={self.native_code!r})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only context must survive pickling (multiprocessing, bridges).
        return (_rebuild, (type(self), self.message, self.__dict__.copy()))


def _rebuild(cls: type[EnunclicError], message: str, state: dict[str, object]) -> EnunclicError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class TransportError(EnunclicError):
    """The exchange failed below the API: no connection, or no complete answer in time.

    Waiting and trying again may help; the pool and ``watch()`` back off on it.
    """


class ConnectError(TransportError):
    """The server could not be reached: refused, reset, unknown host or a TLS failure."""


class CertificateError(ConnectError):
    """The server's TLS certificate is not trusted (unverifiable, or not the pinned one).

    ``certificate`` (a :class:`~enunclic.certificates.CertificateInfo`, when it could be fetched)
    is what a "trust this certificate?" dialog shows; trusting it is ``tls_fingerprint=`` its sha256.
    """

    certificate: Any = None


class RequestTimeout(TransportError, TimeoutError):
    """The call's deadline passed: ``timeout`` bounds the whole call, retries and waits included."""


class AuthenticationError(EnunclicError):
    """The server refused the credentials, or a lost session could not be restored."""


class TwoFactorRequired(AuthenticationError):
    """The account has two-factor authentication: log in again with ``otp_code=``."""


class SessionExpiredError(AuthenticationError):
    """The session ended. Backends raise it inside flows; one re-login and retry follows."""


class PermissionDeniedError(EnunclicError):
    """Logged in, but the account may not do this."""


class NotSupportedError(EnunclicError):
    """The backend (or this server's version) cannot do this; raised before any request."""


class TorrentNotFoundError(EnunclicError, LookupError):
    """No torrent with that id on the server."""


class InvalidInputError(EnunclicError, ValueError):
    """The caller's input is wrong: URL, option, magnet link, .torrent file, path, id."""


class PluginError(EnunclicError):
    """A backend plugin is broken: a duplicate name, not a backend, or a required operation missing."""


class ClientClosedError(EnunclicError, RuntimeError):
    """The client was closed: make a new one (a programming error, not a server's answer)."""


class ServerError(EnunclicError):
    """The server understood the request and refused it; ``native_code`` holds its code."""


class PartialFailureError(ServerError):
    """A bulk operation failed for some ids; ``failures`` maps each failed id to its error.

    The ids that are not listed succeeded: nothing is rolled back.
    """

    def __init__(
        self,
        message: str,
        failures: Mapping[str, EnunclicError],
        *,
        backend: str | None = None,
        operation: str | None = None,
        native_code: int | str | None = None,
    ) -> None:
        super().__init__(message, backend=backend, operation=operation, native_code=native_code)
        self.failures = dict(failures)


class ProtocolError(EnunclicError):
    """A reply that cannot be understood: HTML instead of JSON, truncated, or the wrong shape."""


class EndpointNotFoundError(ProtocolError):
    """HTTP 404 where the API should be: a wrong URL, port or path (``native_code`` is 404)."""
