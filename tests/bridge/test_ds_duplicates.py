"""The bridge against the Download Station simulator: adding a torrent the NAS has is a duplicate, with no twin left.

DS answers such an add with a new task in error (``torrent_duplicate``); the bridge must answer
``duplicate: true`` with the original task's id, and the list must not keep the twin. Magnets in
another case or in base32 are the same torrent; so is a .torrent uploaded twice. Both DSM 6 and
DSM 7 personalities, driven in-process.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from enunclic.simulators.synology import SynologySimulator
from enunclic.testing.torrents import make_test_torrent

from .harness import Harness, memory_factory

HASH = "d0d0cafe" * 5
MAGNET = f"magnet:?xt=urn:btih:{HASH}&dn=Bridge.Show"
UPPER = f"magnet:?xt=urn:btih:{HASH.upper()}&dn=Bridge.Show"
BASE32 = "magnet:?xt=urn:btih:" + base64.b32encode(bytes.fromhex(HASH)).decode() + "&dn=Other.Name"


@pytest.fixture(params=[6, 7], ids=["dsm6", "dsm7"])
def sim(request: pytest.FixtureRequest) -> SynologySimulator:
    made = SynologySimulator(request.param)
    made.add_account("admin", "secret", manager=True)
    return made


def run(sim: SynologySimulator, scenario: Callable[[Harness], Awaitable[None]]) -> Harness:
    """The scenario with a server ``nas`` added; afterwards no duplicate twin may be left on the NAS."""

    async def main() -> Harness:
        harness = Harness(memory_factory(lambda _url: sim.transport()))
        try:
            await harness.result(
                "servers.add",
                {"name": "nas", "url": "synology://127.0.0.1:5000", "username": "admin", "password": "secret"},
            )
            await scenario(harness)
        finally:
            await harness.bridge.close()
        return harness

    harness = asyncio.run(main())
    twins = [t.id for t in sim.state.tasks.values() if t.error_detail == "torrent_duplicate"]
    assert twins == []
    return harness


async def _ids(h: Harness) -> list[str]:
    page = await h.result("torrents.list", {"server": "nas"})
    return [t["id"] for t in page["torrents"]]


@pytest.mark.parametrize("again", [MAGNET, UPPER, BASE32], ids=["same", "upper-case", "base32"])
def test_a_magnet_added_again_is_the_original(sim: SynologySimulator, again: str) -> None:
    async def scenario(h: Harness) -> None:
        first = await h.result("torrents.add", {"server": "nas", "uri": MAGNET})
        assert first == {"id": first["id"], "info_hash": HASH, "duplicate": False}
        for paused in (False, True):  # paused must not touch the original (nor a twin: 405)
            again_reply = await h.result("torrents.add", {"server": "nas", "uri": again, "paused": paused})
            assert again_reply == {"id": first["id"], "info_hash": HASH, "duplicate": True}
        assert await _ids(h) == [first["id"]]
        assert sim.state.tasks[first["id"]].status != "paused"

    run(sim, scenario)


def test_a_torrent_uploaded_again_is_the_original(sim: SynologySimulator, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "bridge.bin")
    content = base64.b64encode(made.content).decode()

    async def scenario(h: Harness) -> None:
        first = await h.result("torrents.add", {"server": "nas", "torrent": content})
        assert first == {"id": first["id"], "info_hash": made.info_hash, "duplicate": False}
        again = await h.result("torrents.add", {"server": "nas", "torrent": content, "paused": True})
        assert again == {"id": first["id"], "info_hash": made.info_hash, "duplicate": True}
        assert await _ids(h) == [first["id"]]
        # The magnet of the uploaded torrent is the same torrent too.
        by_magnet = await h.result("torrents.add", {"server": "nas", "uri": f"magnet:?xt=urn:btih:{made.info_hash}"})
        assert by_magnet == {"id": first["id"], "info_hash": made.info_hash, "duplicate": True}
        assert await _ids(h) == [first["id"]]

    run(sim, scenario)


def test_an_upload_from_an_earlier_session_is_found_by_its_torrent(sim: SynologySimulator, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "earlier.bin")
    original = sim.add_task(made.content, owner="admin", filename="renamed.torrent", status="seeding")

    async def scenario(h: Harness) -> None:
        again = await h.result("torrents.add", {"server": "nas", "torrent": base64.b64encode(made.content).decode()})
        assert again == {"id": original.id, "info_hash": made.info_hash, "duplicate": True}
        assert await _ids(h) == [original.id]

    run(sim, scenario)


def test_after_the_original_is_removed_adding_works_again(sim: SynologySimulator, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "again.bin")
    content = base64.b64encode(made.content).decode()

    async def scenario(h: Harness) -> None:
        for source in ({"uri": MAGNET}, {"torrent": content}):
            first = await h.result("torrents.add", {"server": "nas", **source})
            await h.result("torrents.add", {"server": "nas", **source})
            assert await h.result("torrents.remove", {"server": "nas", "ids": [first["id"]]}) == {"ok": True}
            fresh: dict[str, Any] = await h.result("torrents.add", {"server": "nas", **source, "paused": True})
            assert fresh["duplicate"] is False and fresh["id"] != first["id"]
            assert await _ids(h) == [fresh["id"]]
            assert sim.state.tasks[fresh["id"]].status == "paused"
            await h.result("torrents.remove", {"server": "nas", "ids": [fresh["id"]]})

    run(sim, scenario)
