"""Deluge Web JSON-RPC error codes and daemon failure texts -> enunclic errors, as data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from enunclic.plugin import (
    EnunclicError,
    InvalidInputError,
    NotSupportedError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    SessionExpiredError,
    TorrentNotFoundError,
)

__all__ = [
    "ERROR_CODES",
    "FAILURES",
    "PLUGIN_METHODS",
    "duplicate_of",
    "error_for",
    "removal_error",
    "session_lost",
    "short_message",
]

#: JSON-RPC ``error.code`` -> (error class, meaning). Code 2 of a plugin's method is decided apart (``error_for``).
ERROR_CODES: Final[Mapping[int, tuple[type[EnunclicError], str]]] = {
    1: (SessionExpiredError, "deluge-web says the session is not authenticated"),
    2: (SessionExpiredError, "deluge-web does not know this method (not connected to a daemon?)"),
    3: (ServerError, "deluge-web failed"),
    4: (ServerError, "the Deluge daemon refused the call"),
    5: (ProtocolError, "deluge-web could not understand the request"),
}

#: Methods of daemon plugins: "unknown method" (code 2) for them means the plugin is off, not a lost daemon.
PLUGIN_METHODS: Final[tuple[str, ...]] = ("label.",)

#: Failure class (or text) in a code 3/4 message -> a more precise error class. First match wins.
FAILURES: Final[tuple[tuple[re.Pattern[str], type[EnunclicError]], ...]] = (
    (re.compile(r"NotAuthorizedError|Auth level too low"), PermissionDeniedError),
    (re.compile(r"InvalidTorrentError|not in session|Unknown Torrent"), TorrentNotFoundError),
    (re.compile(r"WrappedException'?>?: '[0-9a-f]{40}'"), TorrentNotFoundError),  # KeyError(torrent id)
    (re.compile(r"Invalid label|Unknown Label|InvalidPathError|InvalidTorrentError"), InvalidInputError),
)

_CLASS = re.compile(r"<class '(?:[\w.]+\.)?(\w+)'>: ?(.*)")
_DUPLICATE = re.compile(r"already in session \(([0-9a-fA-F]{40})\)")


def short_message(message: str) -> str:
    """``Failure: [... <class 'deluge.error.X'>: text\\nTraceback...]`` -> ``X: text`` (one line, bounded)."""
    found = _CLASS.search(message)
    text = f"{found.group(1)}: {found.group(2)}" if found else message
    return text.splitlines()[0].strip().rstrip("]").strip()[:300] if text.strip() else "no details"


def session_lost(code: int, method: str) -> bool:
    """Whether error ``code`` of a call to ``method`` means a new login (and daemon connection) is needed.

    A logout that finds its session already gone needs none.
    """
    if method == "auth.delete_session":
        return False
    return code == 1 or (code == 2 and not method.startswith(PLUGIN_METHODS))


def error_for(code: int, message: str, method: str) -> EnunclicError:
    """The typed error for one JSON-RPC error object of a call to ``method``."""
    if code == 2 and method.startswith(PLUGIN_METHODS):
        return NotSupportedError("the Label plugin is not enabled on this Deluge daemon", native_code=code)
    cls, meaning = ERROR_CODES.get(code, (ServerError, "Deluge refused the call"))
    if code in (3, 4):
        for pattern, precise in FAILURES:
            if pattern.search(message):
                cls = precise
                break
    return cls(f"{meaning}: {short_message(message)}", native_code=code)


def removal_error(message: str) -> EnunclicError:
    """The error for one ``[id, message]`` entry of what ``core.remove_torrents`` answers."""
    if "not in queued torrents set" in message:
        return ServerError(
            "Deluge failed half-way removing the torrent ('not in queued torrents set', a Deluge bug after a "
            "skipped file is wanted again during a recheck): its list may hold a broken entry until deluged restarts"
        )
    cls = TorrentNotFoundError if "not in session" in message else ServerError
    return cls(f"Deluge did not remove it: {message[:200]}")


def duplicate_of(message: str) -> str | None:
    """The info-hash an add failure names as already there ("Torrent already in session (<hash>)"), lower-cased."""
    found = _DUPLICATE.search(message)
    return found.group(1).lower() if found else None
