"""qBittorrent's limits: bytes/s, 0 (or -1) for none; kept when left out, read back from the listing.

Row by row against the mapping, then on the real daemons (4.5 and 5.1); what is sent is tested
with the scripted WebUI in test_qbittorrent_webapi.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import enunclic
from enunclic.backends.qbittorrent.mapping import TORRENT, to_torrent
from tests.daemons.qbittorrent import QBittorrentServer
from tests.limit_checks import check_global_limits_kept, polled_fields

from .test_qbittorrent_webapi import H1, _torrent


@pytest.mark.parametrize(
    ("native", "expected"),
    [
        (102400, 102400),
        (1, 1),  # per-torrent limits are exact bytes/s (observed: 1 reads back 1)
        (0, None),  # 4.5 and 5.1 report no limit as 0, also after a limit of -1 was set
        (-1, None),
        (None, None),
        ("1024", None),
        (True, None),
    ],
)
def test_torrent_limits_row_by_row(native: Any, expected: int | None) -> None:
    raw = _torrent(H1, dl_limit=native, up_limit=2048)
    listed = TORRENT.many_json(json.dumps([raw]).encode())
    assert listed is not None
    assert (listed[0].download_limit, listed[0].upload_limit) == (expected, 2048)
    assert to_torrent(raw).download_limit == expected


# -- the real daemons ------------------------------------------------------------------------


@pytest.mark.daemon
def test_global_limits_are_kept_and_read_back(qbittorrent: QBittorrentServer, qb_client: enunclic.Client) -> None:
    check_global_limits_kept(qb_client, 100 * 1024, 50 * 1024)
    # Global limits are whole KiB/s on the server: 1500 B/s is kept as 1 KiB/s (4.5 and 5.1, observed).
    qb_client.set_limits(upload=1500)
    assert qb_client.stats().upload_limit == 1024


@pytest.mark.daemon
def test_torrent_limits_are_kept_read_back_and_polled(
    qbittorrent: QBittorrentServer, qb_client: enunclic.Client
) -> None:
    tid = qb_client.add(qbittorrent.make_torrent("limited.bin").content).id
    other = qb_client.add(qbittorrent.make_torrent("free.bin").content).id
    qb_client.poll()
    qb_client.set_torrent_limits(tid, download=200_000)
    qb_client.set_torrent_limits([tid], upload=3000)
    # sync/maindata carries the change on its next refresh (5.1 about half a second later).
    polled_fields(qb_client, tid, {"download_limit", "upload_limit"})
    assert {t.id: (t.download_limit, t.upload_limit) for t in qb_client.torrents()} == {
        tid: (200_000, 3000),
        other: (None, None),
    }
    qb_client.set_torrent_limits(tid, download=None)
    one = qb_client.torrent(tid)
    assert (one.download_limit, one.upload_limit) == (None, 3000)
