"""The delta property for qBittorrent (4.5 and 5.1), whose ``poll()`` uses the native
``sync/maindata`` with the last ``rid``: partial objects merged into full torrents."""

from __future__ import annotations

from typing import Any

import pytest

from tests.daemons.qbittorrent import QBittorrentServer

from .mutations import Mutator, actions_for
from .settle import LIVE_FIELDS, RUNS, assert_exercised, run_property, settler

pytestmark = pytest.mark.daemon

STEPS = 10


@pytest.mark.parametrize(("mode", "seed"), RUNS)
def test_applying_every_delta_equals_a_fresh_list(
    qbittorrent: QBittorrentServer, qbittorrent_clients: tuple[Any, Any], seed: int
) -> None:
    client, other = qbittorrent_clients
    actions = actions_for(other.info().capabilities)
    assert {"add_file", "add_magnet", "pause", "resume", "remove", "set_label", "move", "recheck"} == set(actions)
    mutator = Mutator(
        actors=[client, other],
        make_torrent=qbittorrent.make_torrent,
        actions=actions,
        destinations=(str(qbittorrent.download_dir), str(qbittorrent.move_dir)),
        delete_data=True,
        cover_by=STEPS - 1,
        one_recheck_per_step=True,
    )
    stats = run_property(
        client,
        mutator,
        seed=seed,
        steps=STEPS,
        ignore_fields=LIVE_FIELDS,
        settle=settler(other, mutator),
    )
    assert_exercised(stats, STEPS, seed)
