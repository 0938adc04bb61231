"""Real daemons for the delta property tests: one per version for the session, emptied before each test.

The daemons come from the shared harness in ``tests/daemons`` (under ``CI=true`` a missing
daemon fails, locally it skips). Every test gets the client under test in either calling
style (``mode``) and a second sync client: another user who also makes changes, and the
observer that waits for the daemon to settle.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

import enunclic
from enunclic.testing.contract import AsyncAdapter
from tests.daemons.deluge import DelugeServer, start_deluge
from tests.daemons.qbittorrent import QBittorrentServer
from tests.daemons.rtorrent import RTorrentServer, server_for
from tests.daemons.transmission import TransmissionServer


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """The calling style of the client under test."""
    return str(request.param)


@pytest.fixture
def event_loop_for_adapter() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def open_clients(url: str, options: dict[str, Any], mode: str, loop: asyncio.AbstractEventLoop) -> tuple[Any, Any]:
    """The client under test (sync, or async behind an AsyncAdapter) and a second sync client."""
    other = enunclic.connect(url, **options)
    if mode == "sync":
        return enunclic.connect(url, **options), other
    return AsyncAdapter(enunclic.connect_async(url, **options), loop), other


# -- transmission -----------------------------------------------------------------------------------


@pytest.fixture
def transmission(transmission_server: TransmissionServer) -> TransmissionServer:
    transmission_server.reset()
    return transmission_server


@pytest.fixture
def transmission_clients(
    transmission: TransmissionServer, mode: str, event_loop_for_adapter: asyncio.AbstractEventLoop
) -> Iterator[tuple[Any, Any]]:
    client, other = open_clients(transmission.url, transmission.options(), mode, event_loop_for_adapter)
    yield client, other
    client.close()
    other.close()


# -- qbittorrent -----------------------------------------------------------------------------------


@pytest.fixture
def qbittorrent(qbittorrent_server: QBittorrentServer) -> QBittorrentServer:
    qbittorrent_server.reset()
    return qbittorrent_server


@pytest.fixture
def qbittorrent_clients(
    qbittorrent: QBittorrentServer, mode: str, event_loop_for_adapter: asyncio.AbstractEventLoop
) -> Iterator[tuple[Any, Any]]:
    client, other = open_clients(qbittorrent.url, qbittorrent.options(), mode, event_loop_for_adapter)
    yield client, other
    client.close()
    other.close()


# -- deluge ------------------------------------------------------------------------------------------


@pytest.fixture
def deluge_daemon(
    request: pytest.FixtureRequest, deluge_daemons: dict[str, DelugeServer], tmp_path_factory: pytest.TempPathFactory
) -> DelugeServer:
    """The shared daemon of the version the test names (indirect parametrization), started on first use."""
    version = str(request.param)
    if version not in deluge_daemons:
        deluge_daemons[version] = start_deluge(version, tmp_path_factory.mktemp(f"deluge-{version}"))
    return deluge_daemons[version]


@pytest.fixture
def deluge(deluge_daemon: DelugeServer) -> DelugeServer:
    deluge_daemon.clear()
    (deluge_daemon.root / "moved").mkdir(exist_ok=True)
    return deluge_daemon


@pytest.fixture
def deluge_clients(
    deluge: DelugeServer, mode: str, event_loop_for_adapter: asyncio.AbstractEventLoop
) -> Iterator[tuple[Any, Any]]:
    client, other = open_clients(deluge.url, dict(deluge.options), mode, event_loop_for_adapter)
    yield client, other
    client.close()
    other.close()


# -- rtorrent ----------------------------------------------------------------------------------------


@pytest.fixture
def rtorrent(request: pytest.FixtureRequest, transport: str) -> RTorrentServer:
    """The ``transport`` (parametrized by the test) onto an emptied rtorrent."""
    if transport == "scgi-unix":
        server = server_for(transport, None, request.getfixturevalue("rtorrent_unix"))
    else:
        server = server_for(transport, request.getfixturevalue("rtorrent_tcp"), None)
    server.clear()
    return server


@pytest.fixture
def rtorrent_clients(
    rtorrent: RTorrentServer, mode: str, event_loop_for_adapter: asyncio.AbstractEventLoop
) -> Iterator[tuple[Any, Any]]:
    options = {**rtorrent.options, "delete_data": True}
    client, other = open_clients(rtorrent.url, options, mode, event_loop_for_adapter)
    yield client, other
    client.close()
    other.close()
