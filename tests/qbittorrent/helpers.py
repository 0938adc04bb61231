"""Helpers of the qBittorrent daemon tests: waiting for the server, and its raw torrent object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from enunclic.testing.contract import eventually as contract_eventually
from tests.daemons.qbittorrent import QBittorrentServer

T = TypeVar("T")


def eventually(check: Callable[[], T], timeout: float = 15.0) -> T:
    """``check()`` once truthy (the contract suite's wait, with the daemon tests' default timeout)."""
    return contract_eventually(check, timeout)


def raw(server: QBittorrentServer, info_hash: str) -> dict[str, Any]:
    """The daemon's own torrents/info object of one torrent."""
    found = server.json("torrents/info", hashes=info_hash)
    assert len(found) == 1
    return dict(found[0])
