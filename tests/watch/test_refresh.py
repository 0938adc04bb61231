"""A change made through the client cuts the watch's wait short: the row changes one round trip later."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from enunclic_memory import MemoryServer

import enunclic
from enunclic import TorrentState
from enunclic.mutations import MutationSignal
from enunclic.operations import OPERATIONS
from tests.conftest import MEMORY_URL

MAGNET = "magnet:?xt=urn:btih:" + "cd" * 20
LONG = 30.0  # the interval: any event sooner than this was woken by the change


def test_sync_watch_refreshes_right_after_a_pause_from_another_thread(memory_server: MemoryServer) -> None:
    with enunclic.connect(MEMORY_URL, transport=memory_server.transport()) as client:
        added = client.add(MAGNET)
        events = client.watch(LONG)
        first = next(events)
        assert first.delta is not None and [t.id for t in first.delta.added] == [added.id]
        started = time.monotonic()
        threading.Timer(0.2, lambda: client.pause(added.id)).start()
        second = next(events)
        waited = time.monotonic() - started
        assert second.delta is not None and [t.state for t in second.delta.changed] == [TorrentState.PAUSED]
        assert waited < LONG / 10


def test_async_watch_refreshes_right_after_remove_and_add(memory_server: MemoryServer) -> None:
    async def scenario() -> tuple[list[str], list[str], float]:
        async with enunclic.connect_async(MEMORY_URL, transport=memory_server.transport()) as client:
            added = await client.add(MAGNET)
            events = client.watch(LONG)
            await events.__anext__()
            started = time.monotonic()
            asyncio.get_running_loop().call_later(0.1, lambda: asyncio.ensure_future(client.remove(added.id)))
            removed = await events.__anext__()
            asyncio.get_running_loop().call_later(0.1, lambda: asyncio.ensure_future(client.add(MAGNET)))
            readded = await events.__anext__()
            await events.aclose()
            assert removed.delta is not None and readded.delta is not None
            return removed.delta.removed, [t.id for t in readded.delta.added], time.monotonic() - started

    removed, readded, waited = asyncio.run(scenario())
    assert removed and readded
    assert waited < LONG / 10


def test_reads_and_failed_changes_do_not_wake_a_watcher(memory_server: MemoryServer) -> None:
    with enunclic.connect(MEMORY_URL, transport=memory_server.transport()) as client:
        added = client.add(MAGNET)
        before = client.mutations.count
        client.torrents()
        client.torrent(added.id)
        client.poll()
        client.set_limits(download=1024)  # global: no torrent row changes
        with pytest.raises(enunclic.TorrentNotFoundError):
            client.pause("no-such-id")
        assert client.mutations.count == before
        client.resume(added.id)
        assert client.mutations.count == before + 1


def test_the_operations_that_refresh_are_the_writes_to_torrents() -> None:
    refreshing = {name for name, op in OPERATIONS.items() if op.refresh}
    assert refreshing == {
        "add", "pause", "resume", "remove", "recheck", "set_label", "move",
        "set_file_priority", "set_torrent_limits", "queue_move", "pause_all", "resume_all", "force_start",
        "set_sequential", "set_first_last_piece", "set_ratio_limit",
    }
    assert not any(OPERATIONS[name].read for name in refreshing)


def test_signal_wakes_waiters_in_threads_and_loops() -> None:
    signal = MutationSignal()
    assert signal.wait(signal.count, 0.01) is False
    seen = signal.count
    threading.Timer(0.05, signal.bump).start()
    assert signal.wait(seen, 5.0) is True

    async def in_a_loop() -> bool:
        seen = signal.count
        threading.Timer(0.05, signal.bump).start()  # from another thread
        return await signal.wait_async(seen, 5.0)

    assert asyncio.run(in_a_loop()) is True
    assert asyncio.run(signal.wait_async(signal.count - 1, 0.01)) is True  # already moved on: no wait
    assert asyncio.run(signal.wait_async(signal.count, 0.01)) is False
