"""Transmission's error replies -> enunclic exceptions, as data.

The legacy protocol answers HTTP 200 with ``"result": "<error text>"``; the text is
the only code, so known texts are matched by pattern. JSON-RPC 2.0 replies carry
``error.code``: the standard codes are listed; anything else is a ServerError that
keeps the code **[Transmission's own JSON-RPC codes are not verified on a daemon]**.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from enunclic.plugin import (
    EnunclicError,
    InvalidInputError,
    NotSupportedError,
    ProtocolError,
    ServerError,
    TorrentNotFoundError,
)

__all__ = ["JSONRPC_ERRORS", "RESULT_ERRORS", "jsonrpc_error", "result_error"]

#: (pattern over the legacy ``result`` text, exception class), first match wins.
RESULT_ERRORS: Final[tuple[tuple[re.Pattern[str], type[EnunclicError]], ...]] = (
    (re.compile(r"invalid or corrupt torrent", re.I), InvalidInputError),
    (re.compile(r"labels? (cannot|can't|must)", re.I), InvalidInputError),
    (re.compile(r"not absolute|absolute path", re.I), InvalidInputError),
    (re.compile(r"invalid (argument|path|location)", re.I), InvalidInputError),
    (re.compile(r"no such torrent|torrent not found", re.I), TorrentNotFoundError),
    (re.compile(r"method name not recognized|no method name", re.I), NotSupportedError),
    (re.compile(r"couldn't (parse|read)|invalid json|no arguments", re.I), ProtocolError),
)

#: JSON-RPC 2.0 ``error.code`` -> exception class (the codes the JSON-RPC 2.0 specification defines).
JSONRPC_ERRORS: Final[Mapping[int, type[EnunclicError]]] = {
    -32700: ProtocolError,  # parse error: the server could not read our JSON
    -32600: ProtocolError,  # invalid request
    -32601: NotSupportedError,  # method not found: the server is too old or too new for this call
    -32602: InvalidInputError,  # invalid params
    -32603: ServerError,  # internal error
}


def result_error(result: str) -> EnunclicError:
    """The exception for a legacy ``result`` that is not ``success``."""
    for pattern, cls in RESULT_ERRORS:
        if pattern.search(result):
            return cls(f"Transmission refused: {result}", native_code=result)
    return ServerError(f"Transmission refused: {result}", native_code=result)


def jsonrpc_error(code: int, message: str) -> EnunclicError:
    """The exception for a JSON-RPC 2.0 ``error`` object."""
    cls = JSONRPC_ERRORS.get(code, ServerError)
    return cls(f"Transmission refused: {message or 'no message'}", native_code=code)
