"""rTorrent XML-RPC requests and replies: building ``httpx.Request`` objects, reading replies.

The same request serves the three transports: SCGI (TCP or unix socket, through
:mod:`.scgi`) and HTTP(S) through a web server in front of rTorrent. HTTP statuses,
HTML pages and Basic credentials are the core channel's; a reply that reaches
:func:`parse_reply` is XML-RPC or a :class:`ProtocolError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import httpx

from enunclic.plugin import InvalidInputError

from .xmlrpc import decode_response, encode_call

__all__ = ["build_request", "load_command", "parse_reply"]

_HEADERS: Final = {"Content-Type": "text/xml", "Accept": "text/xml"}


def build_request(url: str, method: str, params: Sequence[Any]) -> httpx.Request:
    """One XML-RPC call as a POST to rTorrent's endpoint."""
    return httpx.Request("POST", url, content=encode_call(method, params), headers=_HEADERS)


def parse_reply(response: httpx.Response) -> Any:
    """The decoded value of a reply; a fault raises its typed error."""
    return decode_response(response.content)


def load_command(command: str, value: str) -> str:
    """``command="value"``: a command run on a new download by ``load.*``, quoted for rTorrent's parser.

    rTorrent splits unquoted values on commas and semicolons, so the value is always
    quoted and its backslashes and quotes escaped (verified with ``,"; \\`` in a path).
    """
    if any(c in value for c in "\r\n\0"):
        raise InvalidInputError("line breaks cannot be passed to rTorrent in a path or label")
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{command}="{escaped}"'
