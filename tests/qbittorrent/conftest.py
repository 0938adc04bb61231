"""Fixtures: the shared qbittorrent-nox of each version (tests/daemons/fixtures.py), emptied before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import enunclic
from tests.daemons.qbittorrent import QBittorrentServer


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
