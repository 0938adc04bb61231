"""The delta property for Transmission (3.00 and 4.1), whose ``poll()`` uses the native
``recently-active`` torrent_get plus its ``removed`` ids after the first, full poll."""

from __future__ import annotations

from typing import Any

import pytest

from tests.daemons.transmission import TransmissionServer

from .settle import DAEMON_STEPS, RUNS, check_daemon

pytestmark = pytest.mark.daemon


@pytest.mark.parametrize(("mode", "seed"), RUNS)
def test_applying_every_delta_equals_a_fresh_list(
    transmission: TransmissionServer, transmission_clients: tuple[Any, Any], seed: int
) -> None:
    destinations = (str(transmission.download_dir), str(transmission.move_dir))
    check_daemon(transmission_clients, transmission.make_torrent, seed=seed, destinations=destinations)
    # The incremental polls (every one after the first) carried the changes.
    assert transmission_clients[0].backend.options.full_poll_every > DAEMON_STEPS
