"""The Example API's error codes and what each means to a caller, as data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from enunclic.plugin import (
    AuthenticationError,
    EnunclicError,
    InvalidInputError,
    NotSupportedError,
    ServerError,
    TorrentNotFoundError,
)

__all__ = ["ERRORS", "error_for"]

#: ``{"error": {"code": ...}}`` -> the exception raised; a code not listed is a ServerError.
ERRORS: Final[Mapping[str, type[EnunclicError]]] = {
    "bad_credentials": AuthenticationError,
    "not_found": TorrentNotFoundError,
    # add(url): the server could not download the .torrent, or what it got is not one.
    "fetch_failed": InvalidInputError,
    "bad_torrent": InvalidInputError,
    # A server older than the method; capabilities narrowed in discover() keep this rare.
    "unknown_method": NotSupportedError,
}


def error_for(code: object, message: object) -> EnunclicError:
    """The exception for one native error, carrying its code; never fails on an unknown or odd code."""
    native = code if isinstance(code, (str, int)) and not isinstance(code, bool) else None
    kind = ERRORS.get(native, ServerError) if isinstance(native, str) else ServerError
    text = message if isinstance(message, str) and message else f"the server refused the request ({native})"
    return kind(text, native_code=native)
