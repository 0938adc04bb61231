"""rTorrent XML-RPC requests and replies: building ``httpx.Request`` objects, checking replies.

The same request serves the three transports: SCGI (TCP or unix socket, through
:mod:`.scgi`) and HTTP(S) through a web server in front of rTorrent.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from enunclic import (
    AuthenticationError,
    ConnectError,
    EnunclicError,
    InvalidInputError,
    PermissionDeniedError,
    ProtocolError,
)

from .xmlrpc import decode_response, encode_call

__all__ = ["Endpoint", "build_request", "load_command", "parse_reply"]

#: HTTP statuses of a web server in front of rTorrent -> (error class, meaning).
HTTP_ERRORS: Mapping[int, tuple[type[EnunclicError], str]] = {
    401: (AuthenticationError, "the web server in front of rTorrent refused the credentials"),
    403: (PermissionDeniedError, "the web server in front of rTorrent forbids this path"),
    404: (ProtocolError, "no XML-RPC endpoint at this path (try /RPC2)"),
    502: (ConnectError, "the web server could not reach rTorrent"),
    503: (ConnectError, "the web server could not reach rTorrent"),
    504: (ConnectError, "the web server gave up waiting for rTorrent"),
}


class Endpoint:
    """Where requests go and how they are authenticated (HTTP Basic, only through a web server)."""

    def __init__(self, url: str, username: str | None, password: str | None) -> None:
        self.url = url
        self._authorization: str | None = None
        if username is not None or password is not None:
            token = base64.b64encode(f"{username or ''}:{password or ''}".encode()).decode()
            self._authorization = f"Basic {token}"

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": "text/xml", "Accept": "text/xml"}
        if self._authorization:
            headers["Authorization"] = self._authorization
        return headers


def build_request(endpoint: Endpoint, method: str, params: Sequence[Any]) -> httpx.Request:
    """One XML-RPC call as a POST to the endpoint."""
    return httpx.Request("POST", endpoint.url, content=encode_call(method, params), headers=endpoint.headers())


def parse_reply(response: httpx.Response) -> Any:
    """The decoded value of a reply; HTTP errors, HTML pages and faults become typed errors."""
    if response.status_code != 200:
        cls, meaning = HTTP_ERRORS.get(response.status_code, (ProtocolError, "unexpected HTTP status"))
        raise cls(f"{meaning} (HTTP {response.status_code})", native_code=response.status_code)
    content_type = response.headers.get("content-type", "").lower()
    if "html" in content_type or response.content.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise ProtocolError("an HTML page came back instead of XML-RPC (wrong URL or a login page?)")
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
