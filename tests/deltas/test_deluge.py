"""The delta property for Deluge (2.0.3 and 2.2.0 through deluge-web), whose ``poll()`` is the
core diff of two full lists (``core.get_torrents_status`` has no incremental form used here)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.daemons.deluge import VERSIONS as DELUGE_VERSIONS
from tests.daemons.deluge import DelugeServer

from .settle import LIVE_FIELDS, RUNS, check_daemon

pytestmark = pytest.mark.daemon

#: deluged serves torrent states from a cache up to 1.5 s old while labels and paths are
#: read live: the list must stay unchanged this long before a step counts as settled.
QUIET = 0.4
#: Queue positions come live from libtorrent, which applies a removal asynchronously: the
#: positions of the others can shift between the poll and the fresh list (seen once in ~40
#: runs). With no native delta here, such a difference is that race, never a lost change.
IGNORED = LIVE_FIELDS | {"queue_position"}


#: One run per version (deluged is the slowest daemon to settle): 2.0.3 sync, 2.2.0 async.
#: ``ENUNCLIC_DELTA_SEEDS`` extra runs go to both versions.
DELUGE_RUNS = [("2.0.3", "sync", 0), ("2.2.0", "async", 1)] + [
    (version, mode, seed) for mode, seed in RUNS[2:] for version in sorted(DELUGE_VERSIONS)
]


@pytest.mark.parametrize(("deluge_daemon", "mode", "seed"), DELUGE_RUNS, indirect=["deluge_daemon"])
def test_applying_every_delta_equals_a_fresh_list(
    deluge: DelugeServer, deluge_clients: tuple[Any, Any], seed: int
) -> None:
    destinations = (str(deluge.downloads), str(deluge.root / "moved"))
    check_daemon(deluge_clients, deluge.make_torrent, seed=seed, ignore=IGNORED, quiet=QUIET, destinations=destinations)
