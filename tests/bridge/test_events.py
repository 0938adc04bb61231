"""torrents.events: what to tell the user, after the delta of the same poll; nothing for a baseline."""

from __future__ import annotations

import asyncio
from typing import Any

from enunclic_memory import MemoryServer

from .harness import Harness, memory_factory

URL = "memory://admin:secret@127.0.0.1"


def test_events_of_changes_made_by_anyone(server: MemoryServer) -> None:
    server.rpc_add("magnet", "magnet:?xt=urn:btih:" + "4" * 40, None, False, None)  # there before the GUI

    async def scenario() -> Harness:
        h = Harness(memory_factory(lambda _url: server.transport()))
        await h.result("servers.add", {"name": "a", "url": URL})
        await h.result("subscribe", {"server": "a", "interval": 0.05})
        await h.wait_for(lambda: h.notifications("torrents.delta"))
        entry = server.torrents["t1"]
        entry.state = "downloading"  # another program's doing, on the server
        await h.wait_for(lambda: len(h.notifications("torrents.delta")) >= 2)
        entry.state = "seeding"
        server.rpc_add("magnet", "magnet:?xt=urn:btih:" + "5" * 40, None, False, None)
        await h.wait_for(lambda: h.notifications("torrents.events"))
        server.torrents["t2"].state = "error"
        await h.wait_for(lambda: len(h.notifications("torrents.events")) >= 2)
        del server.torrents["t1"]
        await h.wait_for(lambda: len(h.notifications("torrents.events")) >= 3)
        await h.bridge.close()
        return h

    h = asyncio.run(scenario())
    batches = [[(e["kind"], e["id"]) for e in n["events"]] for n in h.notifications("torrents.events")]
    assert batches == [
        [("added", "t2"), ("completed", "t1")],
        [("errored", "t2")],
        [("removed", "t1")],
    ]
    notices = h.notifications("torrents.events")
    assert notices[1]["events"][0]["error"] == "disk full" and notices[2]["events"][0]["name"] == "4" * 40
    assert all(n["server"] == "a" for n in notices)
    # Each events notice follows the delta of its poll.
    methods = [m["method"] for m in h.messages if m.get("method", "").startswith("torrents.")]
    for index, method in enumerate(methods):
        if method == "torrents.events":
            assert methods[index - 1] == "torrents.delta"


def test_no_events_for_the_baseline(server: MemoryServer) -> None:
    for n in range(3):
        server.rpc_add("magnet", f"magnet:?xt=urn:btih:{n:040x}", None, False, None)

    async def scenario() -> list[dict[str, Any]]:
        h = Harness(memory_factory(lambda _url: server.transport()))
        await h.result("servers.add", {"name": "a", "url": URL, "connect": False})
        await h.result("subscribe", {"server": "a", "interval": 0.05})
        await h.wait_for(lambda: h.notifications("torrents.delta"))
        await asyncio.sleep(0.2)
        await h.bridge.close()
        return h.notifications("torrents.events")

    assert asyncio.run(scenario()) == []
