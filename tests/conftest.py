"""Suite-wide settings: loopback only, and the memory test backend's fixtures."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from enunclic_memory import MemoryServer

import enunclic
from enunclic.testing.contract import AsyncAdapter

# The real daemons, started at most once per session whichever directories use them.
from tests.daemons.fixtures import (
    aria2_server,
    deluge_daemons,
    qbittorrent_server,
    rtorrent_tcp,
    rtorrent_unix,
    transmission_server,
)

__all__ = [
    "aria2_server",
    "deluge_daemons",
    "qbittorrent_server",
    "rtorrent_tcp",
    "rtorrent_unix",
    "transmission_server",
]

MEMORY_URL = "memory://admin:secret@127.0.0.1"


@pytest.fixture
def memory_server(tmp_path: Path) -> MemoryServer:
    """A fresh in-memory server whose data lives under tmp_path."""
    root = tmp_path / "downloads"
    root.mkdir()
    return MemoryServer(root)


@pytest.fixture(params=["sync", "async"])
def memory_client(request: pytest.FixtureRequest, memory_server: MemoryServer) -> Iterator[Any]:
    """A client of the memory server, sync or async (driven on a private loop)."""
    if request.param == "sync":
        with enunclic.connect(MEMORY_URL, transport=memory_server.transport()) as client:
            yield client
        return
    loop = asyncio.new_event_loop()
    client = enunclic.connect_async(MEMORY_URL, transport=memory_server.transport())
    try:
        yield AsyncAdapter(client, loop)
    finally:
        loop.run_until_complete(client.close())
        loop.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Real-daemon tests get one rerun: the daemons have races of their own (reported as reruns)."""
    for item in items:
        if item.get_closest_marker("daemon") is not None and item.get_closest_marker("flaky") is None:
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=1))
