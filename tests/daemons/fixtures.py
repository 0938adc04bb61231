"""The session-scoped real daemons, shared by every test directory (imported by tests/conftest.py).

Each daemon version starts at most once per session, whichever directories use it; the
per-test fixtures of each directory empty it before a test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .aria2 import Aria2Server, start_aria2
from .deluge import DelugeServer
from .qbittorrent import VERSIONS as QBITTORRENT_VERSIONS
from .qbittorrent import QBittorrentServer, start_qbittorrent
from .rtorrent import RTorrentDaemon, start_rtorrent
from .transmission import VERSIONS as TRANSMISSION_VERSIONS
from .transmission import TransmissionServer, start_transmission


@pytest.fixture(scope="session", params=sorted(TRANSMISSION_VERSIONS), ids=lambda v: f"transmission-{v}")
def transmission_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TransmissionServer]:
    """A daemon of each version (3.00 from Debian 12, 4.1.0-beta.2 from Debian 13), started once."""
    server = start_transmission(request.param, tmp_path_factory.mktemp("transmission"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session", params=sorted(QBITTORRENT_VERSIONS), ids=lambda v: f"qbittorrent-{v}")
def qbittorrent_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[QBittorrentServer]:
    """A daemon of each version (4.5.2 from Debian 12, 5.1.0 from Debian 13), started once."""
    server = start_qbittorrent(request.param, tmp_path_factory.mktemp("qbittorrent"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def deluge_daemons() -> Iterator[dict[str, DelugeServer]]:
    """deluged + deluge-web pairs by version, started lazily by the users, stopped at the end."""
    started: dict[str, DelugeServer] = {}
    yield started
    for server in started.values():
        server.stop()


@pytest.fixture(scope="session")
def rtorrent_tcp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RTorrentDaemon]:
    """rtorrent with SCGI on a free 127.0.0.1 port, and lighttpd bridging HTTP to it."""
    daemon = start_rtorrent(tmp_path_factory.mktemp("rt-tcp"), unix_socket=False)
    yield daemon
    daemon.stop()


@pytest.fixture(scope="session")
def rtorrent_unix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RTorrentDaemon]:
    """rtorrent with SCGI on a unix socket (mode 600)."""
    daemon = start_rtorrent(tmp_path_factory.mktemp("rt-unix"), unix_socket=True)
    yield daemon
    daemon.stop()


@pytest.fixture(scope="session")
def aria2_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Aria2Server]:
    """aria2c 1.36.0 (Debian 12) with RPC on a free 127.0.0.1 port, started once."""
    server = start_aria2(tmp_path_factory.mktemp("aria2"))
    yield server
    server.stop()
