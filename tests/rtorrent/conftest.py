"""Session-scoped rtorrent daemons and a per-test view per transport (emptied before each test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..daemons.rtorrent import TRANSPORTS, RTorrentDaemon, RTorrentServer, server_for, start_rtorrent


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


@pytest.fixture(params=TRANSPORTS)
def rtorrent(request: pytest.FixtureRequest) -> RTorrentServer:
    """One transport onto a running rtorrent with no torrents and no global limits."""
    if request.param == "scgi-unix":
        server = server_for(request.param, None, request.getfixturevalue("rtorrent_unix"))
    else:
        server = server_for(request.param, request.getfixturevalue("rtorrent_tcp"), None)
    server.clear()
    return server
