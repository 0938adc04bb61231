"""The Example server's HTTP API: how each call is written and how its reply is read.

Every call is JSON under ``/api``. A reply is ``{"result": ...}``, or, when the API
refuses, ``{"error": {"code": ..., "message": ...}}`` with HTTP 200: HTTP statuses are
left to what HTTP means (a wrong URL, a proxy, a crashed server), which the core reads.
The one exception is 401, the server's "log in" (see :mod:`enunclic_example.auth`).
"""

from __future__ import annotations

import base64
from typing import Any

import httpx

from enunclic.plugin import AddOptions, MagnetLink, ProtocolError, TorrentSource, TorrentURL

from .codes import error_for

__all__ = ["add_body", "failed", "get", "login", "logout", "post", "result"]


def get(base: str, path: str) -> httpx.Request:
    return httpx.Request("GET", f"{base.rstrip('/')}/api/{path}")


def post(base: str, path: str, body: dict[str, Any]) -> httpx.Request:
    return httpx.Request("POST", f"{base.rstrip('/')}/api/{path}", json=body)


def login(base: str, username: str, password: str) -> httpx.Request:
    """The login call: the credentials go in the body, never in the URL."""
    return post(base, "login", {"username": username, "password": password})


def logout(base: str) -> httpx.Request:
    return post(base, "logout", {})


def result(response: httpx.Response) -> Any:
    """The ``result`` of a reply; the API's error as its exception (see :mod:`enunclic_example.codes`)."""
    try:
        body = response.json()
    except ValueError:
        raise ProtocolError("the server's reply is not JSON") from None
    if not isinstance(body, dict) or ("result" not in body and "error" not in body):
        raise ProtocolError("the server's reply has neither a result nor an error")
    error = body.get("error")
    if error is not None:
        if not isinstance(error, dict):
            raise ProtocolError("the server's error is not an object")
        raise error_for(error.get("code"), error.get("message"))
    return body["result"]


def failed(reply: Any) -> dict[str, Any]:
    """The ids a bulk call failed for, with each one's error code (``{"failed": {id: code}}``)."""
    failures = reply.get("failed") if isinstance(reply, dict) else None
    if not isinstance(failures, dict):
        raise ProtocolError("a bulk reply without its 'failed' object")
    return failures


def add_body(source: TorrentSource, options: AddOptions) -> dict[str, Any]:
    """The body of ``POST /api/torrents/add`` for each kind of source the core hands ``add()``."""
    body: dict[str, Any]
    if isinstance(source, MagnetLink):
        body = {"magnet": source.uri}
    elif isinstance(source, TorrentURL):
        body = {"url": source.url}  # the server downloads it
    else:  # TorrentFileData: bytes the core has already validated
        body = {"file": base64.b64encode(source.content).decode("ascii")}
    return {**body, "directory": options.destination, "paused": options.paused, "label": options.label}
