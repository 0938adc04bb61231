"""aria2 JSON-RPC: ``POST <base>`` calls (default ``/jsonrpc``), one or many per request, and their replies.

A reply is ``{"result": ...}``, or ``{"error": {"code", "message"}}`` with HTTP 400
(aria2c 1.36.0, observed); ``system.multicall`` answers 200 with one ``[value]`` or
error object per call. GIDs are 16 hex digits (aria2c(1), "Terminology").
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import httpx

from enunclic.plugin import EnunclicError, ProtocolError, TorrentNotFoundError

from .codes import error_for, is_idle

__all__ = ["Call", "Fault", "check", "gid", "multicall", "request", "result", "results"]

_GID: Final = re.compile(r"[0-9a-fA-F]{16}")
_HEADERS: Final = {"Content-Type": "application/json"}

#: One call: the method and its parameters (without the token, which the auth adds).
Call = tuple[str, Sequence[Any]]


@dataclass(frozen=True)
class Fault:
    """One refused call of a multicall."""

    code: object
    message: str

    @property
    def idle(self) -> bool:
        """The download is already as the call wanted it (see :data:`.codes.IDLE`)."""
        return is_idle(self.message)

    def error(self) -> EnunclicError:
        return error_for(self.code, self.message)


def gid(torrent_id: str) -> str:
    """A torrent id as a GID, lower-cased; anything else names no download, answered without a request."""
    if not _GID.fullmatch(torrent_id):
        raise TorrentNotFoundError(f"no torrent with id {torrent_id!r} (ids here are aria2's 16-hex GIDs)")
    return torrent_id.lower()


def request(url: str, method: str, *params: Any) -> httpx.Request:
    body = {"jsonrpc": "2.0", "id": "enunclic", "method": method, "params": list(params)}
    return httpx.Request("POST", url, content=json.dumps(body).encode(), headers=_HEADERS)


def multicall(url: str, calls: Sequence[Call]) -> httpx.Request:
    """Many calls in one request, answered in order."""
    return request(url, "system.multicall", [{"methodName": m, "params": list(p)} for m, p in calls])


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("aria2 answered something that is not JSON", native_code=response.status_code) from None
    if not isinstance(body, dict) or ("result" not in body and "error" not in body):
        raise ProtocolError("aria2 answered JSON without 'result' or 'error'", native_code=response.status_code)
    return body


def result(response: httpx.Response) -> Any:
    """The ``result`` of a single call; its error as the typed exception."""
    body = _body(response)
    error = body.get("error")
    if error is not None:
        if not isinstance(error, dict):
            raise ProtocolError("aria2 answered a malformed error object")
        raise error_for(error.get("code"), error.get("message"))
    return body["result"]


def results(response: httpx.Response, count: int) -> list[Any]:
    """The value of each call of a multicall, or a :class:`Fault` for each refused one."""
    values = result(response)
    if not isinstance(values, list) or len(values) != count:
        raise ProtocolError("aria2 answered system.multicall with the wrong number of results")
    out: list[Any] = []
    for value in values:
        if isinstance(value, list) and len(value) == 1:
            out.append(value[0])
        elif isinstance(value, dict) and "message" in value:
            out.append(Fault(value.get("code"), str(value["message"])))
        else:
            raise ProtocolError("aria2 answered a system.multicall result of the wrong shape")
    return out


def check(values: Sequence[Any]) -> list[Any]:
    """The values of a multicall whose every call must succeed: the first fault raises."""
    for value in values:
        if isinstance(value, Fault):
            raise value.error()
    return list(values)
