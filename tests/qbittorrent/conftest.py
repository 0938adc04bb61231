"""Fixtures: one real qbittorrent-nox per version for the session, emptied before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import enunclic
from tests.daemons.qbittorrent import VERSIONS, QBittorrentServer, start_qbittorrent


@pytest.fixture(scope="session", params=sorted(VERSIONS), ids=lambda v: f"qbittorrent-{v}")
def qbittorrent_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[QBittorrentServer]:
    """A daemon of each version (4.5.2 from Debian 12, 5.1.0 from Debian 13), started once."""
    server = start_qbittorrent(request.param, tmp_path_factory.mktemp("qbittorrent"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def qbittorrent(qbittorrent_server: QBittorrentServer) -> QBittorrentServer:
    """The daemon with no torrents, categories or limits, and empty folders."""
    qbittorrent_server.reset()
    return qbittorrent_server


@pytest.fixture
def qb_client(qbittorrent: QBittorrentServer) -> Iterator[enunclic.Client]:
    """A sync client connected to the emptied daemon."""
    with enunclic.connect(qbittorrent.url, **qbittorrent.options()) as client:
        yield client
