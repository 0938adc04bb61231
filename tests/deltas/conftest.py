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
from tests.daemons.deluge import VERSIONS as DELUGE_VERSIONS
from tests.daemons.deluge import DelugeServer, start_deluge
from tests.daemons.qbittorrent import VERSIONS as QB_VERSIONS
from tests.daemons.qbittorrent import QBittorrentServer, start_qbittorrent
from tests.daemons.rtorrent import RTorrentDaemon, RTorrentServer, server_for, start_rtorrent
from tests.daemons.transmission import VERSIONS as TR_VERSIONS
from tests.daemons.transmission import TransmissionServer, start_transmission


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


@pytest.fixture(scope="session", params=sorted(TR_VERSIONS), ids=lambda v: f"transmission-{v}")
def transmission_daemon(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TransmissionServer]:
    server = start_transmission(request.param, tmp_path_factory.mktemp("delta-transmission"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def transmission(transmission_daemon: TransmissionServer) -> TransmissionServer:
    transmission_daemon.reset()
    return transmission_daemon


@pytest.fixture
def transmission_clients(
    transmission: TransmissionServer, mode: str, event_loop_for_adapter: asyncio.AbstractEventLoop
) -> Iterator[tuple[Any, Any]]:
    client, other = open_clients(transmission.url, transmission.options(), mode, event_loop_for_adapter)
    yield client, other
    client.close()
    other.close()


# -- qbittorrent -----------------------------------------------------------------------------------


@pytest.fixture(scope="session", params=sorted(QB_VERSIONS), ids=lambda v: f"qbittorrent-{v}")
def qbittorrent_daemon(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[QBittorrentServer]:
    server = start_qbittorrent(request.param, tmp_path_factory.mktemp("delta-qbittorrent"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def qbittorrent(qbittorrent_daemon: QBittorrentServer) -> QBittorrentServer:
    qbittorrent_daemon.reset()
    return qbittorrent_daemon


@pytest.fixture
def qbittorrent_clients(
    qbittorrent: QBittorrentServer, mode: str, event_loop_for_adapter: asyncio.AbstractEventLoop
) -> Iterator[tuple[Any, Any]]:
    client, other = open_clients(qbittorrent.url, qbittorrent.options(), mode, event_loop_for_adapter)
    yield client, other
    client.close()
    other.close()


# -- deluge ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session", params=sorted(DELUGE_VERSIONS), ids=lambda v: f"deluge-{v}")
def deluge_daemon(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DelugeServer]:
    server = start_deluge(request.param, tmp_path_factory.mktemp("delta-deluge"))
    try:
        yield server
    finally:
        server.stop()


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


@pytest.fixture(scope="session")
def rtorrent_tcp_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RTorrentDaemon]:
    """rtorrent with SCGI on 127.0.0.1 and lighttpd bridging HTTP to it."""
    daemon = start_rtorrent(tmp_path_factory.mktemp("delta-rt-tcp"), unix_socket=False)
    yield daemon
    daemon.stop()


@pytest.fixture(scope="session")
def rtorrent_unix_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RTorrentDaemon]:
    """rtorrent with SCGI on a unix socket."""
    daemon = start_rtorrent(tmp_path_factory.mktemp("delta-rt-unix"), unix_socket=True)
    yield daemon
    daemon.stop()


@pytest.fixture
def rtorrent(request: pytest.FixtureRequest, transport: str) -> RTorrentServer:
    """The ``transport`` (parametrized by the test) onto an emptied rtorrent."""
    if transport == "scgi-unix":
        server = server_for(transport, None, request.getfixturevalue("rtorrent_unix_daemon"))
    else:
        server = server_for(transport, request.getfixturevalue("rtorrent_tcp_daemon"), None)
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
