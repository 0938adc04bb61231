"""Drive a Bridge in-process: feed framed bytes, collect and validate every line it writes."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

import enunclic
from enunclic.bridge.framing import Frame, LineSplitter
from enunclic.bridge.methods import METHODS, NOTIFICATIONS
from enunclic.bridge.protocol import ErrorResponse, Notification, Response, ServerAddParams
from enunclic.bridge.server import Bridge


def memory_factory(transport_for: Callable[[str], Any]) -> Callable[[ServerAddParams], enunclic.AsyncClient]:
    """Like the default factory, with the memory transport of the URL's host injected."""

    def make(params: ServerAddParams) -> enunclic.AsyncClient:
        extra: dict[str, Any] = dict(params.options)
        if params.username is not None:
            extra["username"] = params.username
        if params.password is not None:
            extra["password"] = params.password.get_secret_value()
        return enunclic.connect_async(params.url, transport=transport_for(params.url), **extra)

    return make


class Harness:
    """Every written line is checked: one message per line, valid envelope, result matches its schema model."""

    def __init__(self, factory: Callable[[ServerAddParams], enunclic.AsyncClient], **options: Any) -> None:
        self.lines: list[bytes] = []
        self.messages: list[dict[str, Any]] = []
        self.bridge = Bridge(self._write, client_factory=factory, **options)
        self._ids = itertools.count(1)
        self._methods: dict[Any, str] = {}

    def _write(self, data: bytes) -> None:
        assert data.endswith(b"\n") and data.count(b"\n") == 1, data[:200]
        self.lines.append(data)
        message = json.loads(data)
        for item in message if isinstance(message, list) else [message]:
            self._validate(item)
            self.messages.append(item)

    def _validate(self, message: dict[str, Any]) -> None:
        if "method" in message:
            Notification.model_validate(message)
            NOTIFICATIONS[message["method"]].model_validate(message["params"])
        elif "error" in message:
            ErrorResponse.model_validate(message)
        else:
            Response.model_validate(message)
            method = self._methods[json.dumps(message["id"])]
            TypeAdapter(METHODS[method].result).validate_python(message["result"])

    async def feed(self, raw: bytes, max_bytes: int = 1 << 20) -> None:
        """Split raw bytes like stdin would and handle each frame in order."""
        splitter = LineSplitter(max_bytes)
        frames: list[Frame] = [*splitter.feed(raw), *splitter.end()]
        for frame in frames:
            self._remember(frame)
            await self.bridge.handle(frame)

    def expect(self, rid: Any, method: str) -> None:
        """Declare the method of a request sent another way (through ``Bridge.run``)."""
        self._methods[json.dumps(rid)] = method

    def _remember(self, frame: Frame) -> None:
        """Note which method each raw request id was for, to validate its result."""
        try:
            message = json.loads(frame) if isinstance(frame, bytes) else None
        except (ValueError, RecursionError):
            return
        for item in message if isinstance(message, list) else [message]:
            if isinstance(item, dict) and isinstance(item.get("method"), str) and "id" in item:
                self._methods[json.dumps(item["id"])] = item["method"]

    async def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one request and return its reply (result or error)."""
        rid = next(self._ids)
        self._methods[json.dumps(rid)] = method
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            message["params"] = params
        await self.bridge.handle(json.dumps(message).encode())
        replies = [m for m in self.messages if m.get("id") == rid and "method" not in m]
        assert len(replies) == 1, replies
        return replies[0]

    async def result(self, method: str, params: dict[str, Any] | None = None) -> Any:
        reply = await self.call(method, params)
        assert "result" in reply, reply
        return reply["result"]

    def notifications(self, method: str) -> list[dict[str, Any]]:
        return [m["params"] for m in self.messages if m.get("method") == method]

    async def wait_for(self, check: Callable[[], Any], timeout: float = 5.0) -> Any:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = check()
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("timed out waiting")
            await asyncio.sleep(0.01)

    def output(self) -> bytes:
        return b"".join(self.lines)
