"""The delta property for qBittorrent (4.5 and 5.1), whose ``poll()`` uses the native
``sync/maindata`` with the last ``rid``: partial objects merged into full torrents."""

from __future__ import annotations

from typing import Any

import pytest

from tests.daemons.qbittorrent import QBittorrentServer

from .settle import RUNS, check_daemon

pytestmark = pytest.mark.daemon


@pytest.mark.parametrize(("mode", "seed"), RUNS)
def test_applying_every_delta_equals_a_fresh_list(
    qbittorrent: QBittorrentServer, qbittorrent_clients: tuple[Any, Any], seed: int
) -> None:
    destinations = (str(qbittorrent.download_dir), str(qbittorrent.move_dir))
    check_daemon(
        qbittorrent_clients,
        qbittorrent.make_torrent,
        seed=seed,
        destinations=destinations,
        one_recheck_per_step=True,
    )
