"""Deluge Web JSON-RPC: ``POST <base>/json`` requests and the checking of their replies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from enunclic import AuthenticationError, ConnectError, PermissionDeniedError, ProtocolError

from .codes import error_for

__all__ = ["SESSION_COOKIE", "build_request", "endpoint_url", "parse_reply"]

#: The cookie deluge-web sets on ``auth.login``.
SESSION_COOKIE = "_session_id"


def endpoint_url(base: str) -> str:
    """The JSON-RPC endpoint: the base URL's path with ``/json`` appended unless already there."""
    parts = urlsplit(base)
    path = parts.path.rstrip("/")
    if not path.endswith("/json"):
        path = f"{path}/json"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def build_request(url: str, method: str, params: Sequence[Any], request_id: int, cookie: str | None) -> httpx.Request:
    """One JSON-RPC call; the session cookie is sent by hand (flows do not share a cookie jar)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if cookie:
        headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
    body = json.dumps({"method": method, "params": list(params), "id": request_id}).encode()
    return httpx.Request("POST", url, content=body, headers=headers)


def parse_reply(response: httpx.Response, method: str) -> Any:
    """The ``result`` of a reply; HTTP errors, HTML and JSON-RPC errors become typed errors."""
    status = response.status_code
    if status in (401, 403):
        cls = AuthenticationError if status == 401 else PermissionDeniedError
        raise cls(f"the web server in front of deluge-web refused the request (HTTP {status})", native_code=status)
    if status in (502, 503, 504):
        raise ConnectError(f"the web server in front of deluge-web could not reach it (HTTP {status})")
    if status != 200:
        raise ProtocolError(f"deluge-web answered HTTP {status} (is this the deluge-web URL?)", native_code=status)
    content = response.content
    if content.lstrip()[:1] == b"<":
        raise ProtocolError("an HTML page came back instead of JSON (is this the deluge-web URL?)")
    try:
        reply = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("deluge-web answered something that is not JSON (truncated?)") from None
    if not isinstance(reply, dict) or "result" not in reply or "error" not in reply:
        raise ProtocolError("deluge-web answered JSON without 'result' and 'error'")
    error = reply["error"]
    if error is not None:
        if not isinstance(error, dict) or not isinstance(error.get("code"), int):
            raise ProtocolError("deluge-web answered a malformed error object")
        raise error_for(error["code"], str(error.get("message", "")), method)
    return reply["result"]
