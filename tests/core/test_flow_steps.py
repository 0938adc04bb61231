"""What a flow may yield, as both drivers run it: requests, and Wait (time passes, nothing is sent)."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Generator
from typing import Any

import httpx
import pytest

from enunclic.drivers import AsyncDriver, SyncDriver
from enunclic.flows import MAX_WAIT, Call
from enunclic.plugin import PluginError, Wait

URL = "http://127.0.0.1:9/rpc"


def _flow() -> Generator[Any, Any, list[Any]]:
    """A request, a wait, a request: returns what each step sent back."""
    seen: list[Any] = []
    first = yield httpx.Request("GET", URL)
    seen.append(first.json())
    seen.append((yield Wait(0.05)))
    second = yield httpx.Request("GET", URL)
    seen.append(second.json())
    return seen


def _transport() -> tuple[httpx.MockTransport, list[float]]:
    sent: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(time.monotonic())
        return httpx.Response(200, json=len(sent))

    return httpx.MockTransport(answer), sent


def test_the_sync_driver_sleeps_for_a_wait_and_sends_nothing_meanwhile() -> None:
    transport, sent = _transport()
    with httpx.Client(transport=transport) as http:
        driver = SyncDriver(http, "test")
        assert driver.run(Call("op", _flow())) == [1, None, 2]
        assert driver.requests_sent == 2
    assert sent[1] - sent[0] >= 0.05


def test_the_async_driver_sleeps_for_a_wait_without_blocking_the_loop() -> None:
    transport, sent = _transport()
    ticks: list[float] = []

    async def ticker() -> None:
        for _ in range(3):
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    async def run() -> list[Any]:
        async with httpx.AsyncClient(transport=transport) as http:
            driver = AsyncDriver(http, "test")
            result, _ = await asyncio.gather(driver.run(Call("op", _flow())), ticker())
            return result

    assert asyncio.run(run()) == [1, None, 2]
    assert sent[1] - sent[0] >= 0.05
    assert any(sent[0] < tick < sent[1] for tick in ticks)  # the loop ran other work during the wait


@pytest.mark.parametrize("seconds", [-0.1, MAX_WAIT + 1, math.nan, math.inf])
def test_a_wait_out_of_range_is_refused(seconds: float) -> None:
    with pytest.raises(ValueError, match="Wait takes"):
        Wait(seconds)


def test_a_flow_that_yields_something_else_is_a_plugin_error() -> None:
    def odd() -> Generator[Any, Any, None]:
        yield 0.5  # a bare number is not a Wait

    with httpx.Client(transport=_transport()[0]) as http, pytest.raises(PluginError, match="Wait"):
        SyncDriver(http, "test").run(Call("op", odd()))
