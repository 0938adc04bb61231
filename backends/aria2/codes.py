"""aria2's JSON-RPC error texts -> enunclic errors, as data.

aria2 1.36 answers every refused call with HTTP 400 and ``error.code`` 1; only the
message says what went wrong (texts observed on aria2c 1.36.0).
"""

from __future__ import annotations

import re
from typing import Final

from enunclic.plugin import (
    AuthenticationError,
    EnunclicError,
    InvalidInputError,
    NotSupportedError,
    ServerError,
    TorrentNotFoundError,
)

__all__ = ["ERRORS", "IDLE", "error_for", "is_idle"]

#: Message pattern -> error class; first match wins, anything else is a ServerError.
ERRORS: Final[tuple[tuple[re.Pattern[str], type[EnunclicError]], ...]] = (
    (re.compile(r"^Unauthorized"), AuthenticationError),  # a wrong or missing --rpc-secret
    (re.compile(r"GID \S+ is not found|not found for GID#|^Invalid GID"), TorrentNotFoundError),
    (re.compile(r"^No such method"), NotSupportedError),
    (re.compile(r"already registered"), InvalidInputError),
    (re.compile(r"^(?:Invalid|Bad|Failed to parse|No URI)", re.IGNORECASE), InvalidInputError),
)

#: Refusals that say the download is already where the command would put it (or outside the
#: waiting queue): "GID#x cannot be paused now", "cannot be unpaused now", "not found in the waiting queue".
IDLE: Final = re.compile(r"cannot be (?:un)?paused now|not found in the waiting queue")


def error_for(code: object, message: object) -> EnunclicError:
    """The exception for one aria2 error object; never fails on an odd code or message."""
    text = message if isinstance(message, str) and message else "aria2 refused the call"
    native = code if isinstance(code, int) and not isinstance(code, bool) else None
    for pattern, kind in ERRORS:
        if pattern.search(text):
            return kind(f"aria2: {text[:300]}", native_code=native)
    return ServerError(f"aria2: {text[:300]}", native_code=native)


def is_idle(message: str) -> bool:
    """True for a refusal that leaves the download as the command wanted it (a no-op, not a failure)."""
    return IDLE.search(message) is not None
