"""rTorrent's global limits: the global throttles in bytes/s, 0 for none; one left out is kept.

rTorrent has no per-torrent limits here (named throttle groups: see docs/backends/rtorrent.md).
"""

from __future__ import annotations

import pytest

from ..daemons.rtorrent import RTorrentServer
from ..limit_checks import check_global_limits_kept


@pytest.mark.daemon
def test_global_limits_are_kept_and_read_back(rtorrent: RTorrentServer) -> None:
    with rtorrent.client() as client:
        check_global_limits_kept(client, 3 * 1024 * 1024, 512 * 1024)
        requests = client.requests_sent
        client.set_limits(upload=None)
        assert client.requests_sent == requests + 1  # one call: the download throttle is not touched
        assert client.stats().upload_limit is None
