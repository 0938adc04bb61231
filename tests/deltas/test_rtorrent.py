"""The delta property for rTorrent 0.9.8 (SCGI on a unix socket, and HTTP through lighttpd),
whose ``poll()`` is the core diff of two full ``d.multicall2`` lists."""

from __future__ import annotations

from typing import Any

import pytest

from tests.daemons.rtorrent import ANNOUNCE, RTorrentServer

from .mutations import Mutator, actions_for
from .settle import LIVE_FIELDS, assert_exercised, run_property, settler

pytestmark = pytest.mark.daemon

STEPS = 10


@pytest.mark.parametrize(("transport", "mode", "seed"), [("scgi-unix", "sync", 0), ("http", "async", 1)])
def test_applying_every_delta_equals_a_fresh_list(
    rtorrent: RTorrentServer, rtorrent_clients: tuple[Any, Any], seed: int
) -> None:
    client, other = rtorrent_clients
    actions = actions_for(other.info().capabilities)
    # rTorrent has no move; everything else is there.
    assert {"add_file", "add_magnet", "pause", "resume", "remove", "set_label", "recheck"} == set(actions)
    mutator = Mutator(
        actors=[client, other],
        make_torrent=rtorrent.make_torrent,
        actions=actions,
        magnet_tracker=ANNOUNCE,  # rTorrent drops tracker-less magnets when DHT is off
        delete_data=True,
        cover_by=STEPS - 1,
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
