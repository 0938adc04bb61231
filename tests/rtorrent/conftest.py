"""A per-test view per transport onto the shared rtorrent daemons (tests/daemons/fixtures.py), emptied first."""

from __future__ import annotations

import pytest

from ..daemons.rtorrent import TRANSPORTS, RTorrentServer, server_for


@pytest.fixture(params=TRANSPORTS)
def rtorrent(request: pytest.FixtureRequest) -> RTorrentServer:
    """One transport onto a running rtorrent with no torrents and no global limits."""
    if request.param == "scgi-unix":
        server = server_for(request.param, None, request.getfixturevalue("rtorrent_unix"))
    else:
        server = server_for(request.param, request.getfixturevalue("rtorrent_tcp"), None)
    server.clear()
    return server
