"""Client.watch / AsyncClient.watch: the thin methods over enunclic.watch."""

from __future__ import annotations

import asyncio
from itertools import islice

from enunclic_memory import MemoryServer

import enunclic
from enunclic.testing.torrents import make_test_torrent

from ..conftest import MEMORY_URL


def test_sync_watch_yields_deltas_until_closed(memory_server: MemoryServer) -> None:
    made = make_test_torrent(memory_server.root, "w.bin")
    with enunclic.connect(MEMORY_URL, transport=memory_server.transport()) as client:
        added = client.add(made.content)
        events = list(islice(client.watch(interval=0.01), 2))
        assert [t.id for t in events[0].delta.added] == [added.id]  # type: ignore[union-attr]
        assert events[1].delta is not None and events[1].delta.empty
        assert not client.closed
    assert client.closed
    assert list(client.watch(interval=0.01)) == []


def test_async_watch(memory_server: MemoryServer) -> None:
    async def scenario() -> list[str]:
        async with enunclic.connect_async(MEMORY_URL, transport=memory_server.transport()) as client:
            await client.add(make_test_torrent(memory_server.root, "a.bin").content)
            async for event in client.watch(interval=0.01):
                assert event.delta is not None
                return [t.name for t in event.delta.added]
        return []

    assert asyncio.run(scenario()) == ["a.bin"]
