"""One Transmission RPC call as a flow: framing, HTTP Basic auth, the 409 session-id dance, reply checks.

Transmission guards against CSRF with ``X-Transmission-Session-Id``: a request with
a missing or stale id gets HTTP 409 carrying the current id. The channel keeps the
id and resends the same call with it; the id can change at any time, so every call
handles the 409, not only the first.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Mapping
from typing import Any

import httpx

from enunclic import (
    AuthenticationError,
    BackendConfig,
    Flow,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
)

from .api import Dialect, Method, legacy_arguments, snake_keys
from .codes import jsonrpc_error, result_error

__all__ = ["SESSION_HEADER", "RpcChannel"]

SESSION_HEADER = "X-Transmission-Session-Id"

#: A 409 after we just sent the id it gave us means something is wrong; stop there.
_MAX_SESSION_RETRIES = 2


class RpcChannel:
    """Frames calls for one server and parses its replies; holds the CSRF session id."""

    def __init__(self, config: BackendConfig, dialect: Dialect = Dialect.LEGACY) -> None:
        self.url = config.url
        self.dialect = dialect
        self._session_id = ""
        self._authorization = _basic_auth(config.username, config.password)
        self._ids = itertools.count(1)

    def __repr__(self) -> str:  # never shows the session id or credentials
        return f"<RpcChannel {self.url} {self.dialect.value}>"

    # -- requests ---------------------------------------------------------------------------

    def request(self, method: Method, arguments: Mapping[str, Any], dialect: Dialect | None = None) -> httpx.Request:
        """The HTTP request for one call in ``dialect`` (default: the channel's)."""
        dialect = dialect or self.dialect
        if dialect is Dialect.JSONRPC:
            body: dict[str, Any] = {
                "jsonrpc": "2.0",
                "method": method.wire_name(dialect),
                "params": dict(arguments),
                "id": next(self._ids),
            }
        else:
            body = {"method": method.wire_name(dialect), "arguments": legacy_arguments(method, arguments)}
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._authorization:
            headers["Authorization"] = self._authorization
        if self._session_id:
            headers[SESSION_HEADER] = self._session_id
        return httpx.Request("POST", self.url, content=json.dumps(body).encode(), headers=headers)

    def call(self, method: Method, arguments: Mapping[str, Any] | None = None) -> Flow[dict[str, Any]]:
        """Send one call (with the 409 dance); return its arguments with snake_case keys."""
        response = yield from self.send(method, arguments or {})
        return self.parse(response, self.dialect)

    def send(
        self, method: Method, arguments: Mapping[str, Any], dialect: Dialect | None = None
    ) -> Flow[httpx.Response]:
        """Send one call and answer 409 with the new session id; other statuses are checked here."""
        for _ in range(_MAX_SESSION_RETRIES + 1):
            response: httpx.Response = yield self.request(method, arguments, dialect)
            if response.status_code != 409:
                _check_status(response)
                return response
            session_id = response.headers.get(SESSION_HEADER, "")
            if not session_id:
                raise ProtocolError("HTTP 409 without an X-Transmission-Session-Id header: is this Transmission?")
            self._session_id = session_id
        raise ProtocolError("the server kept rejecting the session id it handed out (HTTP 409)")

    # -- replies --------------------------------------------------------------------------

    def parse(self, response: httpx.Response, dialect: Dialect) -> dict[str, Any]:
        """The reply's arguments (legacy) or result (JSON-RPC 2.0), keys in snake_case."""
        body = _json_object(response)
        if dialect is Dialect.JSONRPC:
            return parse_jsonrpc(body)
        return parse_legacy(body)


def parse_legacy(body: Mapping[str, Any]) -> dict[str, Any]:
    """``{"result": "success", "arguments": {...}}`` -> the arguments; any other result raises."""
    result = body.get("result")
    if not isinstance(result, str):
        raise ProtocolError("the reply has no 'result' text: not a Transmission RPC reply")
    if result != "success":
        raise result_error(result)
    arguments = body.get("arguments", {})
    if not isinstance(arguments, dict):
        raise ProtocolError("the reply's 'arguments' is not an object")
    converted: dict[str, Any] = snake_keys(arguments)
    return converted


def parse_jsonrpc(body: Mapping[str, Any]) -> dict[str, Any]:
    """``{"jsonrpc": "2.0", "result": {...}}`` -> the result; an ``error`` object raises."""
    if body.get("jsonrpc") != "2.0":
        raise ProtocolError("the reply is not JSON-RPC 2.0 although the server spoke it before")
    error = body.get("error")
    if error is not None:
        if not isinstance(error, dict) or not isinstance(error.get("code"), int):
            raise ProtocolError("a JSON-RPC error without an integer code")
        message = error.get("message")
        data = error.get("data")
        detail = data.get("error_string") if isinstance(data, dict) else None
        text = " - ".join(str(part) for part in (message, detail) if part)
        raise jsonrpc_error(error["code"], text)
    result = body.get("result", {})
    if result is None:
        return {}
    if not isinstance(result, dict):
        raise ProtocolError("the JSON-RPC 'result' is not an object")
    converted: dict[str, Any] = snake_keys(result)
    return converted


def is_jsonrpc_reply(response: httpx.Response) -> bool:
    """True when the server answered in JSON-RPC 2.0 framing (used to pick the dialect)."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("jsonrpc") == "2.0"


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if status == 401:
        raise AuthenticationError("Transmission refused the username or password (HTTP 401)", native_code=401)
    if status == 403:
        raise PermissionDeniedError(
            "Transmission refuses this client (HTTP 403): check rpc-whitelist / rpc-host-whitelist", native_code=403
        )
    if status == 404:
        raise ProtocolError("no Transmission RPC at this URL (HTTP 404): check the path, e.g. /transmission/rpc")
    if status >= 500:
        raise ServerError(f"Transmission failed with HTTP {status}", native_code=status)
    if not 200 <= status < 300:
        raise ProtocolError(f"unexpected HTTP {status} from the RPC endpoint", native_code=status)


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        kind = "an HTML page" if response.content.lstrip()[:1] == b"<" else "not JSON"
        raise ProtocolError(f"the RPC reply is {kind}: is the URL a Transmission RPC endpoint?") from None
    if not isinstance(body, dict):
        raise ProtocolError("the RPC reply is JSON but not an object")
    return body


def _basic_auth(username: str | None, password: str | None) -> str:
    if username is None and password is None:
        return ""
    token = base64.b64encode(f"{username or ''}:{password or ''}".encode()).decode("ascii")
    return f"Basic {token}"
