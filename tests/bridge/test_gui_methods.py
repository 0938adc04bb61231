"""The Electorrent actions through the bridge: add options, labels, all at once, switches, ratio, alt speed."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

from enunclic_memory import MemoryServer

from enunclic.testing.torrents import make_test_torrent

from .harness import Harness, memory_factory

URL = "memory://admin:secret@127.0.0.1"


def test_every_gui_action(server: MemoryServer, tmp_path: Path) -> None:
    torrent = make_test_torrent(tmp_path / "payload", "one.bin")
    server.labels.add("tv")

    async def scenario() -> dict[str, Any]:
        h = Harness(memory_factory(lambda _url: server.transport()))
        await h.result("servers.add", {"name": "a", "url": URL})
        added = await h.result(
            "torrents.add",
            {
                "server": "a",
                "torrent": base64.b64encode(torrent.content).decode(),
                "rename": "renamed",
                "wanted_files": [0],
                "download_limit": 4096,
                "label": "movies",
                "paused": True,
            },
        )
        ids = {"server": "a", "ids": [added["id"]]}
        got: dict[str, Any] = {"labels": await h.result("servers.labels", {"server": "a"})}
        await h.result("torrents.set_sequential", {**ids, "enabled": True})
        await h.result("torrents.set_first_last_piece", {**ids, "enabled": True})
        await h.result("torrents.set_ratio_limit", {**ids, "ratio": 2.5})
        got["switched"] = await h.result("torrents.get", {"server": "a", "id": added["id"]})
        await h.result("torrents.resume_all", {"server": "a"})
        got["resumed"] = (await h.result("torrents.get", {"server": "a", "id": added["id"]}))["state"]
        await h.result("torrents.pause_all", {"server": "a"})
        await h.result("torrents.force_start", ids)
        got["forced"] = (await h.result("torrents.get", {"server": "a", "id": added["id"]}))["state"]
        await h.result("servers.set_alt_speed", {"server": "a", "enabled": True})
        got["alt"] = (await h.result("servers.stats", {"server": "a"}))["alt_speed"]
        got["bad_ratio"] = await h.call("torrents.set_ratio_limit", {**ids, "ratio": -1})
        got["bad_files"] = await h.call(
            "torrents.add", {"server": "a", "uri": "magnet:?xt=urn:btih:" + "9" * 40, "wanted_files": [0]}
        )
        await h.bridge.close()
        return got

    got = asyncio.run(scenario())
    assert got["labels"] == ["movies", "tv"]
    row = got["switched"]
    assert (row["name"], row["download_limit"], row["label"]) == ("renamed", 4096, "movies")
    assert (row["sequential"], row["first_last_piece"], row["ratio_limit"]) == (True, True, 2.5)
    assert got["resumed"] == "seeding" and got["forced"] == "seeding" and got["alt"] is True
    assert got["bad_ratio"]["error"]["code"] == -32602
    assert got["bad_files"]["error"]["data"]["kind"] == "InvalidInputError"
