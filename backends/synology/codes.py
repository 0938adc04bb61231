"""DSM Web API error codes -> enunclic exception class and message, as data, decoded per API.

The same number means different things in different APIs (Auth 403 "2-step
verification code required" versus Task 403 "destination does not exist"), so a
code is looked up in the table of the API that was called first, then in the
common table (100-160), which no API table overlaps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from enunclic.plugin import (
    AuthenticationError,
    EnunclicError,
    PermissionDeniedError,
    ServerError,
    SessionExpiredError,
    TorrentNotFoundError,
    TwoFactorRequired,
)

__all__ = [
    "AUTH_CODES",
    "COMMON_CODES",
    "RESTART_CODE",
    "SESSION_LOST_CODES",
    "TASK_CODES",
    "error_for",
    "family_of",
]

Entry = tuple[type[EnunclicError], str]

#: Codes any API may answer (the PDF lists 100-107; the DSM Login guide adds the rest).
COMMON_CODES: Final[Mapping[int, Entry]] = {
    100: (ServerError, "unknown error"),
    101: (ServerError, "invalid parameter (no API, method or version, or a value the NAS refuses)"),
    102: (ServerError, "the requested API does not exist (is Download Station installed and running?)"),
    103: (ServerError, "the requested method does not exist in this API version"),
    104: (ServerError, "the requested version does not support this functionality"),
    105: (PermissionDeniedError, "the logged-in session does not have permission"),
    106: (SessionExpiredError, "session timed out"),
    107: (SessionExpiredError, "session interrupted by a duplicate login"),
    108: (ServerError, "failed to upload the file"),
    109: (ServerError, "the network connection is unstable or the system is busy"),
    110: (ServerError, "the network connection is unstable or the system is busy"),
    111: (ServerError, "the network connection is unstable or the system is busy"),
    114: (ServerError, "lost parameters for this API"),
    115: (PermissionDeniedError, "not allowed to upload a file"),
    116: (PermissionDeniedError, "not allowed to perform this on a demo site"),
    117: (ServerError, "the network connection is unstable or the system is busy"),
    118: (ServerError, "the network connection is unstable or the system is busy"),
    119: (SessionExpiredError, "session id not found (invalid session)"),
    120: (ServerError, "parameter validation failed"),
    150: (PermissionDeniedError, "the request's source IP does not match the IP that logged in"),
    160: (PermissionDeniedError, "insufficient application privilege"),
}

#: ``SYNO.API.Auth`` (login and logout) only.
AUTH_CODES: Final[Mapping[int, Entry]] = {
    400: (AuthenticationError, "no such account or incorrect password"),
    401: (AuthenticationError, "the account is disabled (or is a guest account)"),
    402: (PermissionDeniedError, "permission denied: the account may not log in to this application"),
    403: (TwoFactorRequired, "2-step verification code required: give otp_code"),
    404: (TwoFactorRequired, "the 2-step verification code was wrong or expired: give a fresh otp_code"),
    405: (AuthenticationError, "app portal incorrect"),
    406: (AuthenticationError, "2-step verification is enforced for this account but not set up (set it up in DSM)"),
    407: (
        AuthenticationError,
        "this IP is blocked by the NAS after too many failed logins "
        "(unblock it in DSM Control Panel > Security > Account > Auto Block)",
    ),
    408: (AuthenticationError, "the password has expired and cannot be changed"),
    409: (AuthenticationError, "the password has expired: change it in DSM"),
    410: (AuthenticationError, "the password must be changed: change it in DSM"),
    411: (AuthenticationError, "the account is locked"),
}

#: ``SYNO.DownloadStation.Task`` (and, presumably, ``SYNO.DownloadStation2.Task``: no separate table is known).
TASK_CODES: Final[Mapping[int, Entry]] = {
    400: (ServerError, "file upload failed"),
    401: (ServerError, "maximum number of tasks reached"),
    402: (PermissionDeniedError, "destination denied: the account may not write to that folder"),
    403: (ServerError, "destination does not exist (give a share-relative folder that exists, e.g. 'downloads/tv')"),
    404: (TorrentNotFoundError, "invalid task id"),
    405: (ServerError, "invalid task action (the task cannot do that in its current state)"),
    406: (ServerError, "no default destination: pass destination= or set one in Download Station's settings"),
    407: (ServerError, "setting the destination failed"),
    408: (ServerError, "file does not exist"),
}

#: Codes that mean "the session is gone: log in again" on every client that was studied.
SESSION_LOST_CODES: Final[frozenset[int]] = frozenset({106, 107, 119})

#: "No permission": after a NAS restart DSM answers it to sessions that worked before, so it means
#: a lost session for a session that already had a reply, and a real permission problem otherwise.
RESTART_CODE: Final = 105

_TABLES: Final[Mapping[str, Mapping[int, Entry]]] = {"auth": AUTH_CODES, "task": TASK_CODES}


def family_of(api: str) -> str:
    """Which code table an API name uses: ``auth``, ``task`` or ``common``."""
    if api == "SYNO.API.Auth":
        return "auth"
    if api in ("SYNO.DownloadStation.Task", "SYNO.DownloadStation2.Task"):
        return "task"
    return "common"


def error_for(api: str, code: int, details: Any = None) -> EnunclicError:
    """The typed error for ``code`` answered by ``api``; ``details`` is DSM's optional ``errors`` object."""
    entry = _TABLES.get(family_of(api), {}).get(code) or COMMON_CODES.get(code)
    if entry is None:
        return ServerError(f"{api} failed with an unknown error code {code}", native_code=code)
    cls, message = entry
    if code == 120 and isinstance(details, Mapping):
        # JSON APIs name the parameter: {"name": "file", "reason": "condition"}.
        name, reason = details.get("name"), details.get("reason")
        if isinstance(name, str) and isinstance(reason, str):
            message = f"{message}: parameter {name!r} ({reason})"
    return cls(message, native_code=code)
