"""An error raised before any request (bad input, a missing capability) names the backend and the operation,
like every error raised later."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

import enunclic
from enunclic import EnunclicError

MAGNET = "magnet:?xt=urn:btih:" + "a" * 40

CALLS: list[tuple[str, Callable[[Any], object]]] = [
    ("add", lambda c: c.add("not a magnet")),
    ("add", lambda c: c.add(MAGNET, rename="x")),  # Transmission cannot rename at add time
    ("pause", lambda c: c.pause("")),
    ("remove", lambda c: c.remove(["t", ""])),
    ("torrent", lambda c: c.torrent("")),
    ("set_limits", lambda c: c.set_limits(download=-1)),
    ("set_torrent_limits", lambda c: c.set_torrent_limits("t", upload="fast")),
    ("set_file_priority", lambda c: c.set_file_priority("t", [0], "urgent")),
    ("queue_move", lambda c: c.queue_move("t", "sideways")),
    ("set_ratio_limit", lambda c: c.set_ratio_limit("t", -2)),
    ("move", lambda c: c.move("t", "")),
]


@pytest.mark.parametrize(("operation", "call"), CALLS, ids=[f"{op}-{n}" for n, (op, _) in enumerate(CALLS)])
def test_sync(operation: str, call: Callable[[Any], object]) -> None:
    with enunclic.connect("transmission://127.0.0.1:9", timeout=1) as client:
        with pytest.raises(EnunclicError) as caught:
            call(client)
        assert (caught.value.backend, caught.value.operation) == ("transmission", operation)
        assert client.requests_sent == 0


@pytest.mark.parametrize(("operation", "call"), CALLS, ids=[f"{op}-{n}" for n, (op, _) in enumerate(CALLS)])
def test_async(operation: str, call: Callable[[Any], Any]) -> None:
    async def scenario() -> EnunclicError:
        async with enunclic.connect_async("transmission://127.0.0.1:9", timeout=1) as client:
            try:
                await call(client)
            except EnunclicError as exc:
                assert client.requests_sent == 0
                return exc
        raise AssertionError("no error")

    error = asyncio.run(scenario())
    assert (error.backend, error.operation) == ("transmission", operation)
