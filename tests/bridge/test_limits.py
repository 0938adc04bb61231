"""servers.set_limits and torrents.set_limits: a key left out keeps its limit, null removes it; read back.

In-process over the memory test server, whose limits are set per direction as real servers' are.
"""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

import pytest
from enunclic_memory import MemoryServer

from enunclic.bridge.protocol import GlobalLimitsParams, TorrentLimitsParams
from enunclic.testing.torrents import make_test_torrent

from .harness import Harness, memory_factory

SECRET = "limits-secret"
NAS = {"server": "nas"}


@pytest.fixture
def server(tmp_path: Path) -> MemoryServer:
    root = tmp_path / "dl"
    root.mkdir()
    return MemoryServer(root, password=SECRET)


async def _connected(server: MemoryServer) -> Harness:
    h = Harness(memory_factory(lambda _url: server.transport()))
    await h.result("servers.add", {"name": "nas", "url": "memory://127.0.0.1", "username": "admin", "password": SECRET})
    return h


def test_global_limits_left_out_are_kept_and_null_removes(server: MemoryServer) -> None:
    async def scenario() -> None:
        h = await _connected(server)
        try:
            assert await h.result("servers.set_limits", {**NAS, "download": 1000}) == {"ok": True}
            await h.result("servers.set_limits", {**NAS, "upload": 2000})
            stats = await h.result("servers.stats", NAS)
            assert (stats["download_limit"], stats["upload_limit"]) == (1000, 2000)
            await h.result("servers.set_limits", {**NAS, "download": None})
            stats = await h.result("servers.stats", NAS)
            assert (stats["download_limit"], stats["upload_limit"]) == (None, 2000)
        finally:
            await h.bridge.close()

    asyncio.run(scenario())
    assert server.global_limits == {"down": None, "up": 2000}


def test_torrent_limits_left_out_are_kept_and_read_back(server: MemoryServer, tmp_path: Path) -> None:
    content = make_test_torrent(server.root, "limited.bin").content

    async def scenario() -> None:
        h = await _connected(server)
        try:
            tid = (await h.result("torrents.add", {**NAS, "torrent": base64.b64encode(content).decode()}))["id"]
            await h.result("torrents.set_limits", {**NAS, "ids": [tid], "upload": 4096})
            await h.result("torrents.set_limits", {**NAS, "ids": [tid], "download": 8192})
            one = await h.result("torrents.get", {**NAS, "id": tid})
            assert (one["download_limit"], one["upload_limit"]) == (8192, 4096)
            await h.result("torrents.set_limits", {**NAS, "ids": [tid], "upload": None})
            [listed] = (await h.result("torrents.list", NAS))["torrents"]
            assert (listed["download_limit"], listed["upload_limit"]) == (8192, None)
        finally:
            await h.bridge.close()

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("method", "params", "code"),
    [
        ("servers.set_limits", NAS, -32602),  # nothing to change
        ("torrents.set_limits", {**NAS, "ids": ["t1"]}, -32602),
        ("servers.set_limits", {**NAS, "download": -1}, -32602),
        ("servers.set_limits", {**NAS, "download": "1m"}, -32602),
        ("servers.set_limits", {**NAS, "upload": 0}, -32602),  # the memory server reads 0 as no limit
    ],
)
def test_bad_limit_changes_are_invalid_params_and_send_nothing(
    server: MemoryServer, method: str, params: dict[str, object], code: int
) -> None:
    async def scenario() -> None:
        h = await _connected(server)
        before = len(server.requests)
        try:
            reply = await h.call(method, params)
            assert reply["error"]["code"] == code, reply
            assert len(server.requests) == before
        finally:
            await h.bridge.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("model", [GlobalLimitsParams, TorrentLimitsParams])
def test_the_schema_says_left_out_keeps_and_null_removes(model: type[GlobalLimitsParams | TorrentLimitsParams]) -> None:
    schema = model.model_json_schema()
    for key in ("download", "upload"):
        field = schema["properties"][key]
        assert "default" not in field  # an omitted key is not null: it keeps the limit
        assert (
            "null removes the limit" in field["description"] and "left out, the limit is kept" in field["description"]
        )
        assert key not in schema.get("required", [])
    assert "left out keeps" in schema["description"]
