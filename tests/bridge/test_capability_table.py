"""Which button needs which capability: published in bridge.info, true to the handlers, in one stable order."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from enunclic_memory import MemoryServer

from enunclic.bridge.methods import METHODS, Context
from enunclic.capabilities import Capability
from enunclic.pool import Pool

from .harness import Harness, memory_factory

URL = "memory://admin:secret@127.0.0.1"

#: The table a GUI reads, written out: a change to it is deliberate (docs and schemas follow).
EXPECTED = [
    ("servers.stats", "stats", None),
    ("servers.set_limits", "global_limits", None),
    ("torrents.add", "add_magnet", "uri is a magnet link"),
    ("torrents.add", "add_url", "uri is an http(s) URL"),
    ("torrents.add", "add_file", "torrent (.torrent content) is given"),
    ("torrents.add", "add_skip_check", "skip_check is true"),
    ("torrents.add", "add_rename", "rename is given"),
    ("torrents.add", "add_file_selection", "wanted_files is given"),
    ("torrents.add", "add_limits", "download_limit or upload_limit is given"),
    ("torrents.add", "labels", "label is given"),
    ("torrents.remove", "remove_with_data", "delete_data is true"),
    ("torrents.recheck", "recheck", None),
    ("torrents.reannounce", "reannounce", None),
    ("torrents.set_label", "labels", None),
    ("torrents.move", "move", None),
    ("torrents.set_file_priority", "file_priority", None),
    ("torrents.set_limits", "torrent_limits", None),
    ("torrents.queue_move", "queue", None),
    ("torrents.files", "files", None),
    ("torrents.trackers", "trackers", None),
    ("torrents.peers", "peers", None),
    ("torrents.force_start", "force_start", None),
    ("torrents.set_sequential", "sequential", None),
    ("torrents.set_first_last_piece", "first_last_piece", None),
    ("torrents.set_ratio_limit", "ratio_limit", None),
    ("servers.labels", "labels", None),
    ("servers.set_alt_speed", "alt_speed", None),
]


def test_bridge_info_publishes_the_table(server: MemoryServer) -> None:
    async def scenario() -> dict[str, Any]:
        h = Harness(memory_factory(lambda _url: server.transport()))
        info = await h.result("bridge.info")
        await h.bridge.close()
        return info  # type: ignore[no-any-return]

    info = asyncio.run(scenario())
    assert [(n["method"], n["capability"], n["when"]) for n in info["method_capabilities"]] == EXPECTED


class _Recorder(Pool):
    """A pool whose calls only record the client operation a handler asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.operations: list[str] = []

    async def call(self, name: str, operation: str, action: Callable[[Any], Awaitable[Any]]) -> Any:
        self.operations.append(operation)
        raise _Stop

    def client(self, name: str) -> Any:
        return None


class _Stop(Exception):
    pass


PARAMS: dict[str, dict[str, Any]] = {
    "servers.stats": {"server": "a"},
    "servers.set_limits": {"server": "a", "download": 1024},
    "torrents.get": {"server": "a", "id": "t1"},
    "torrents.pause": {"server": "a", "ids": ["t1"]},
    "torrents.resume": {"server": "a", "ids": ["t1"]},
    "torrents.recheck": {"server": "a", "ids": ["t1"]},
    "torrents.reannounce": {"server": "a", "ids": ["t1"]},
    "torrents.set_label": {"server": "a", "ids": ["t1"], "label": "x"},
    "torrents.move": {"server": "a", "ids": ["t1"], "destination": "/x"},
    "torrents.set_file_priority": {"server": "a", "id": "t1", "indexes": [0], "priority": "skip"},
    "torrents.set_limits": {"server": "a", "ids": ["t1"], "download": 1024},
    "torrents.queue_move": {"server": "a", "ids": ["t1"], "direction": "top"},
    "torrents.files": {"server": "a", "id": "t1"},
    "torrents.trackers": {"server": "a", "id": "t1"},
    "torrents.peers": {"server": "a", "id": "t1"},
    "torrents.pause_all": {"server": "a"},
    "torrents.resume_all": {"server": "a"},
    "torrents.force_start": {"server": "a", "ids": ["t1"]},
    "torrents.set_sequential": {"server": "a", "ids": ["t1"], "enabled": True},
    "torrents.set_first_last_piece": {"server": "a", "ids": ["t1"], "enabled": False},
    "torrents.set_ratio_limit": {"server": "a", "ids": ["t1"], "ratio": 1.5},
    "servers.labels": {"server": "a"},
    "servers.set_alt_speed": {"server": "a", "enabled": True},
}


@pytest.mark.parametrize("name", [n for n, m in METHODS.items() if m.operation is not None])
def test_each_declared_operation_is_the_one_its_handler_calls(name: str) -> None:
    method = METHODS[name]
    pool = _Recorder()
    context = Context(pool=pool, subscriptions=None, client_factory=None, max_message_bytes=1, chunk_bytes=1)  # type: ignore[arg-type]
    params = method.params.model_validate(PARAMS[name])
    with pytest.raises(_Stop):
        asyncio.run(method.handler(context, params))
    assert pool.operations == [method.operation]


def test_capabilities_come_in_one_order_everywhere(server: MemoryServer) -> None:
    async def scenario() -> tuple[list[str], list[str], list[str]]:
        h = Harness(memory_factory(lambda _url: server.transport()))
        added = await h.result("servers.add", {"name": "a", "url": URL})
        info = await h.result("servers.info", {"server": "a"})
        bridge = await h.result("bridge.info")
        await h.bridge.close()
        memory = next(b for b in bridge["backends"] if b["name"] == "memory")
        return added["info"]["capabilities"], info["capabilities"], memory["capabilities"]

    from_add, from_info, from_bridge = asyncio.run(scenario())
    assert from_add == from_info == from_bridge == sorted(c.value for c in Capability)


def test_the_schema_index_publishes_the_same_table() -> None:
    index = json.loads((Path(__file__).parents[2] / "docs" / "schema" / "index.json").read_text())
    published = [
        (method, need["capability"], need["when"])
        for method, entry in index["methods"].items()
        for need in entry["capabilities"]
    ]
    assert sorted(published, key=str) == sorted(EXPECTED, key=str)
