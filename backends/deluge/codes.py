"""Deluge Web JSON-RPC error codes and daemon failure classes -> enunclic errors, as data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from enunclic import (
    EnunclicError,
    InvalidInputError,
    NotSupportedError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    SessionExpiredError,
    TorrentNotFoundError,
)

__all__ = ["ERROR_CODES", "FAILURES", "error_for", "short_message"]

#: JSON-RPC ``error.code`` -> (error class, meaning). Code 2 is decided per method (see ``error_for``).
ERROR_CODES: Final[Mapping[int, tuple[type[EnunclicError], str]]] = {
    1: (SessionExpiredError, "deluge-web says the session is not authenticated"),
    2: (SessionExpiredError, "deluge-web does not know this method (not connected to a daemon?)"),
    3: (ServerError, "deluge-web failed"),
    4: (ServerError, "the Deluge daemon refused the call"),
    5: (ProtocolError, "deluge-web could not understand the request"),
}

#: Failure class (or text) in a code 3/4 message -> a more precise error class. First match wins.
FAILURES: Final[tuple[tuple[re.Pattern[str], type[EnunclicError]], ...]] = (
    (re.compile(r"NotAuthorizedError|Auth level too low"), PermissionDeniedError),
    (re.compile(r"InvalidTorrentError|not in session|Unknown Torrent"), TorrentNotFoundError),
    (re.compile(r"WrappedException'?>?: '[0-9a-f]{40}'"), TorrentNotFoundError),  # KeyError(torrent id)
    (re.compile(r"Invalid label|Unknown Label|InvalidPathError|InvalidTorrentError"), InvalidInputError),
)

_CLASS = re.compile(r"<class '(?:[\w.]+\.)?(\w+)'>: ?(.*)")


def short_message(message: str) -> str:
    """``Failure: [... <class 'deluge.error.X'>: text\\nTraceback...]`` -> ``X: text`` (one line, bounded)."""
    found = _CLASS.search(message)
    text = f"{found.group(1)}: {found.group(2)}" if found else message
    return text.splitlines()[0].strip().rstrip("]").strip()[:300] if text.strip() else "no details"


def error_for(code: int, message: str, method: str) -> EnunclicError:
    """The typed error for one JSON-RPC error object of a call to ``method``."""
    if code == 2 and method.startswith("label."):
        return NotSupportedError("the Label plugin is not enabled on this Deluge daemon", native_code=code)
    cls, meaning = ERROR_CODES.get(code, (ServerError, "Deluge refused the call"))
    if code in (3, 4):
        for pattern, precise in FAILURES:
            if pattern.search(message):
                cls = precise
                break
    return cls(f"{meaning}: {short_message(message)}", native_code=code)
