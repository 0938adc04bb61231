"""The simulator as an httpx transport, sync and async, with no socket at all (for tests)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from .app import SimResponse, SynologySimulator

__all__ = ["SimulatorTransport"]


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout")
    if isinstance(timeout, dict):
        value = timeout.get("read")
        return float(value) if isinstance(value, (int, float)) else None
    return None


class SimulatorTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Hands each request to :meth:`SynologySimulator.handle`; acts out slow replies and resets like a socket would.

    A slow reply longer than the client's read timeout ends in :class:`httpx.ReadTimeout`
    after that timeout, as it would over the network.
    """

    def __init__(self, simulator: SynologySimulator, *, client: str = "127.0.0.1") -> None:
        self.simulator = simulator
        self.client = client

    def _answer(self, request: httpx.Request, body: bytes) -> SimResponse:
        headers = {key.lower(): value for key, value in request.headers.items()}
        return self.simulator.handle(
            request.method,
            request.url.path,
            request.url.query.decode("ascii"),
            headers=headers,
            body=body,
            client=self.client,
        )

    @staticmethod
    def _wait(request: httpx.Request, answer: SimResponse) -> tuple[float, bool]:
        """How long to wait, and whether the wait ends in a read timeout."""
        limit = _read_timeout(request)
        if limit is not None and answer.delay > limit:
            return limit, True
        return answer.delay, False

    @staticmethod
    def _response(request: httpx.Request, answer: SimResponse) -> httpx.Response:
        if answer.reset:
            raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Sync: answer in the caller's thread."""
        answer = self._answer(request, request.read())
        wait, times_out = self._wait(request, answer)
        if wait:
            time.sleep(wait)
        if times_out:
            raise httpx.ReadTimeout("the simulator's reply came too late", request=request)
        return self._response(request, answer)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Async: the simulator answers at once; delays sleep on the event loop."""
        answer = self._answer(request, await request.aread())
        wait, times_out = self._wait(request, answer)
        if wait:
            await asyncio.sleep(wait)
        if times_out:
            raise httpx.ReadTimeout("the simulator's reply came too late", request=request)
        return self._response(request, answer)

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""
