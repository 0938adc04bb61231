"""Deluge Web JSON-RPC: ``POST <base>/json`` calls, the reading of their replies, and what a lost session looks like."""

from __future__ import annotations

import itertools
import json
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

import httpx

from enunclic.plugin import Flow, ProtocolError

from .codes import error_for, session_lost

__all__ = ["SESSION_COOKIE", "JsonRpc", "endpoint_url", "lost_session", "parse_reply"]

#: The cookie deluge-web sets on ``auth.login``.
SESSION_COOKIE: Final = "_session_id"

_HEADERS: Final = {"Content-Type": "application/json", "Accept": "application/json"}

#: Error replies are a few hundred bytes; longer replies (listings) are never read for a lost session.
_SMALL_REPLY: Final = 1024


def endpoint_url(base: str) -> str:
    """The JSON-RPC endpoint: the base URL's path with ``/json`` appended unless already there."""
    parts = urlsplit(base)
    path = parts.path.rstrip("/")
    if not path.endswith("/json"):
        path = f"{path}/json"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def parse_reply(response: httpx.Response, method: str) -> Any:
    """The ``result`` of a reply to ``method``; a malformed reply or a JSON-RPC error becomes a typed error."""
    try:
        reply = json.loads(response.content)
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


def lost_session(response: httpx.Response) -> bool:
    """True for a small error reply saying the web session or deluge-web's daemon connection is gone."""
    content = response.content
    if len(content) > _SMALL_REPLY or b'"code"' not in content:
        return False
    try:
        error = json.loads(content).get("error")
        method = json.loads(response.request.content)["method"]
    except (ValueError, UnicodeDecodeError, AttributeError, TypeError, KeyError, RuntimeError):
        return False
    code = error.get("code") if isinstance(error, dict) else None
    return isinstance(code, int) and isinstance(method, str) and session_lost(code, method)


class JsonRpc:
    """Calls to one deluge-web endpoint, numbered in order."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._ids = itertools.count(1)

    def request(self, method: str, *params: Any, wait: float | None = None) -> httpx.Request:
        """The request of one call (deluge-web requires all three keys); for a flow that reads the raw reply.

        ``wait`` bounds this request alone, within the call's deadline.
        """
        body = json.dumps({"method": method, "params": list(params), "id": next(self._ids)}).encode()
        extensions = {"timeout": dict.fromkeys(("connect", "read", "write", "pool"), wait)} if wait else None
        return httpx.Request("POST", self.url, content=body, headers=_HEADERS, extensions=extensions)

    def call(self, method: str, *params: Any, wait: float | None = None) -> Flow[Any]:
        """One call: its ``result``, or the typed error of its reply."""
        response = yield self.request(method, *params, wait=wait)
        return parse_reply(response, method)
