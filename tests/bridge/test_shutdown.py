"""bridge.shutdown answers last: every request already in flight gets its reply first."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from enunclic_memory import MemoryServer

import enunclic
from enunclic.bridge.protocol import ServerAddParams

from .harness import Harness

URL = "memory://admin:secret@127.0.0.1"


class _Slow(httpx.AsyncBaseTransport):
    """The memory server, answering list requests only after ``delay`` seconds."""

    def __init__(self, server: MemoryServer, delay: float) -> None:
        self.inner = server.transport()
        self.delay = delay
        self.slow = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.slow:
            await asyncio.sleep(self.delay)
        return await self.inner.handle_async_request(request)


def _frame(rid: int, method: str, params: dict[str, Any] | None = None) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": rid, "method": method, "params": params or {}}).encode()


def test_shutdown_replies_after_the_requests_in_flight(server: MemoryServer) -> None:
    slow = _Slow(server, 0.3)

    def factory(params: ServerAddParams) -> enunclic.AsyncClient:
        return enunclic.connect_async(params.url, transport=slow)

    async def scenario() -> list[dict[str, Any]]:
        h = Harness(factory)
        await h.result("servers.add", {"name": "a", "url": URL})
        slow.slow = True
        h.expect(10, "torrents.list")
        h.expect(11, "servers.stats")
        h.expect(12, "bridge.shutdown")
        h.bridge.submit(_frame(10, "torrents.list", {"server": "a"}))
        h.bridge.submit(_frame(11, "servers.stats", {"server": "a"}))
        await asyncio.sleep(0.05)  # both are waiting on the server
        h.bridge.submit(_frame(12, "bridge.shutdown"))
        await h.wait_for(lambda: any(m.get("id") == 12 for m in h.messages), timeout=5)
        await h.bridge.close()
        return [m for m in h.messages if "id" in m]

    replies = asyncio.run(scenario())
    order = [m["id"] for m in replies][1:]
    assert order[-1] == 12 and sorted(order[:-1]) == [10, 11]
    assert all("result" in m for m in replies)


def test_shutdown_in_a_batch_does_not_wait_for_itself(server: MemoryServer) -> None:
    async def scenario() -> list[Any]:
        h = Harness(lambda params: enunclic.connect_async(params.url, transport=server.transport()))
        await h.result("servers.add", {"name": "a", "url": URL})
        h.expect(20, "torrents.list")
        h.expect(21, "bridge.shutdown")
        batch = b"[" + _frame(20, "torrents.list", {"server": "a"}) + b"," + _frame(21, "bridge.shutdown") + b"]"
        await asyncio.wait_for(h.bridge.handle(batch), 5)
        await h.bridge.close()
        return [json.loads(line) for line in h.lines][-1]  # type: ignore[no-any-return]

    batch_reply = asyncio.run(scenario())
    assert sorted(m["id"] for m in batch_reply) == [20, 21] and all("result" in m for m in batch_reply)
