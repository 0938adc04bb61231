"""After a change made through the bridge, the subscribed server's delta follows at once, not at the next tick."""

from __future__ import annotations

import asyncio

from enunclic_memory import MemoryServer

from .harness import Harness, memory_factory

URL = "memory://admin:secret@127.0.0.1"
LONG = 30.0  # the subscription interval: a delta sooner than this was woken by the change


def test_each_change_pushes_its_delta_within_one_round_trip(server: MemoryServer) -> None:
    async def scenario() -> list[dict[str, object]]:
        h = Harness(memory_factory(lambda _url: server.transport()))
        await h.result("servers.add", {"name": "a", "url": URL})
        await h.result("subscribe", {"server": "a", "interval": LONG})
        deltas = lambda: h.notifications("torrents.delta")  # noqa: E731
        await h.wait_for(lambda: len(deltas()) >= 1)
        loop = asyncio.get_running_loop()
        started = loop.time()
        added = await h.result("torrents.add", {"server": "a", "uri": "magnet:?xt=urn:btih:" + "2" * 40})
        await h.wait_for(lambda: len(deltas()) >= 2, timeout=LONG / 10)
        await h.result("torrents.pause", {"server": "a", "ids": [added["id"]]})
        await h.wait_for(lambda: len(deltas()) >= 3, timeout=LONG / 10)
        await h.result("torrents.remove", {"server": "a", "ids": [added["id"]]})
        await h.wait_for(lambda: len(deltas()) >= 4, timeout=LONG / 10)
        assert loop.time() - started < LONG / 10
        await h.result("torrents.list", {"server": "a"})  # a read wakes nothing
        await asyncio.sleep(0.2)
        assert len(deltas()) == 4
        await h.bridge.close()
        return deltas()

    baseline, added, paused, removed = asyncio.run(scenario())
    assert baseline["full"] and baseline["delta"] == {"added": [], "changed": [], "removed": [], "changed_fields": {}}
    assert [t["id"] for t in added["delta"]["added"]] == ["t1"]  # type: ignore[index]
    assert paused["delta"]["changed"][0]["state"] == "paused"  # type: ignore[index]
    assert removed["delta"]["removed"] == ["t1"]  # type: ignore[index]


def test_a_change_cuts_a_backoff_short(server: MemoryServer) -> None:
    async def scenario() -> Harness:
        h = Harness(memory_factory(lambda _url: server.transport()))
        await h.result("servers.add", {"name": "a", "url": URL})
        added = await h.result("torrents.add", {"server": "a", "uri": "magnet:?xt=urn:btih:" + "3" * 40})
        server.faults.append("500")  # the first poll fails: the subscription backs off
        await h.result("subscribe", {"server": "a", "interval": LONG})
        await h.wait_for(lambda: h.notifications("torrents.delta"))
        await h.result("torrents.pause", {"server": "a", "ids": [added["id"]]})
        await h.wait_for(lambda: len(h.notifications("torrents.delta")) >= 2, timeout=LONG / 10)
        await h.bridge.close()
        return h

    failed, recovered = asyncio.run(scenario()).notifications("torrents.delta")[:2]
    assert failed["error"] is not None and failed["next_retry_in"] > 0
    assert recovered["full"] and recovered["delta"]["added"][0]["state"] == "paused"  # type: ignore[index]
