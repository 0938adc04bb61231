"""An async transport in front of a MemoryServer that answers late, or never."""

from __future__ import annotations

import asyncio

import httpx
from enunclic_memory import MemoryServer


class SlowTransport(httpx.AsyncBaseTransport):
    """Waits ``delay`` seconds before each answer; with ``hang`` it never answers."""

    def __init__(self, server: MemoryServer, delay: float = 0.0) -> None:
        self.inner = server.transport()
        self.delay = delay
        self.hang = False
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if self.hang:
            await asyncio.Event().wait()
        await asyncio.sleep(self.delay)
        return await self.inner.handle_async_request(request)
