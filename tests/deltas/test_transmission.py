"""The delta property for Transmission (3.00 and 4.1), whose ``poll()`` uses the native
``recently-active`` torrent_get plus its ``removed`` ids after the first, full poll."""

from __future__ import annotations

from typing import Any

import pytest

from tests.daemons.transmission import TransmissionServer

from .mutations import Mutator, actions_for
from .settle import LIVE_FIELDS, RUNS, assert_exercised, run_property, settler

pytestmark = pytest.mark.daemon

STEPS = 10


@pytest.mark.parametrize(("mode", "seed"), RUNS)
def test_applying_every_delta_equals_a_fresh_list(
    transmission: TransmissionServer, transmission_clients: tuple[Any, Any], seed: int
) -> None:
    client, other = transmission_clients
    actions = actions_for(other.info().capabilities)
    assert {"add_file", "add_magnet", "pause", "resume", "remove", "set_label", "move", "recheck"} == set(actions)
    mutator = Mutator(
        actors=[client, other],
        make_torrent=transmission.make_torrent,
        actions=actions,
        destinations=(str(transmission.download_dir), str(transmission.move_dir)),
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
    # The incremental polls (every one after the first) carried the changes.
    assert client.backend.options.full_poll_every > STEPS
