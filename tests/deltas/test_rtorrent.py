"""The delta property for rTorrent 0.9.8 (SCGI on a unix socket, and HTTP through lighttpd),
whose ``poll()`` is the core diff of two full ``d.multicall2`` lists."""

from __future__ import annotations

from typing import Any

import pytest

from tests.daemons.rtorrent import ANNOUNCE, RTorrentServer

from .settle import DAEMON_ACTIONS, check_daemon

pytestmark = pytest.mark.daemon


@pytest.mark.parametrize(("transport", "mode", "seed"), [("scgi-unix", "sync", 0), ("http", "async", 1)])
def test_applying_every_delta_equals_a_fresh_list(
    rtorrent: RTorrentServer, rtorrent_clients: tuple[Any, Any], seed: int
) -> None:
    check_daemon(
        rtorrent_clients,
        rtorrent.make_torrent,
        seed=seed,
        actions=DAEMON_ACTIONS - {"move"},  # rTorrent has no move; everything else is there
        magnet_tracker=ANNOUNCE,  # rTorrent drops tracker-less magnets when DHT is off
    )
