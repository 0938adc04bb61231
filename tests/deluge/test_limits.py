"""Deluge's limits: KiB/s (any fraction), -1 or 0 for none; kept when left out, read back from the listing.

Row by row against the mapping and the keys sent, then on the real daemons (2.0.3 and 2.2.0).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import enunclic
from enunclic import KEEP
from enunclic.backends.deluge.backend import _limits
from enunclic.backends.deluge.mapping import TORRENT, to_torrent
from enunclic.plugin import Limit
from enunclic.testing.contract import eventually

from ..daemons.deluge import DelugeServer
from ..limit_checks import check_global_limits_kept, polled_fields

H1 = "1" * 40


@pytest.mark.parametrize(
    ("native", "expected"),
    [
        (-1, None),  # what a torrent starts with (2.0.3 and 2.2.0, observed)
        (-1.0, None),
        (0, None),  # Deluge hands libtorrent 0 B/s, which libtorrent reads as unlimited
        (100, 102_400),
        (0.5, 512),  # fractions of a KiB/s are kept as set
        (1 / 1024, 1),
        ("100", None),
        (None, None),
    ],
)
def test_torrent_limits_row_by_row(native: Any, expected: int | None) -> None:
    status = {"hash": H1, "name": "x", "state": "Seeding", "max_download_speed": native, "max_upload_speed": -1}
    reply = {"result": {"connected": True, "torrents": {H1: status}}, "error": None}
    listed = TORRENT.many_json(json.dumps(reply).encode(), ("result", "torrents"), keyed=True)  # web.update_ui
    assert listed is not None
    assert (listed[0].download_limit, listed[0].upload_limit) == (expected, None)
    assert to_torrent(H1, status).download_limit == expected


@pytest.mark.parametrize(
    ("download", "upload", "sent"),
    [
        (2_048_000, KEEP, {"max_download_speed": 2000}),
        (KEEP, None, {"max_upload_speed": -1}),
        (1536, 1, {"max_download_speed": 1.5, "max_upload_speed": 1 / 1024}),
    ],
)
def test_only_the_limits_that_change_are_sent(download: Limit, upload: Limit, sent: dict[str, float]) -> None:
    assert _limits(download, upload) == sent  # the same keys serve torrent options and the core config


@pytest.mark.daemon
def test_limits_are_kept_read_back_and_polled(deluge: DelugeServer) -> None:
    with enunclic.connect(deluge.url, **deluge.options) as client:
        tid = client.add(deluge.make_torrent("dl-kept.bin").content).id
        client.poll()
        client.set_torrent_limits(tid, download=2_048_000)
        client.set_torrent_limits([tid], upload=1536)
        one = client.torrent(tid)  # core.get_torrent_status: at once
        assert (one.download_limit, one.upload_limit) == (2_048_000, 1536)
        # web.update_ui refreshes from the daemon's state updates: the change shows within a second or two.
        polled_fields(client, tid, {"download_limit", "upload_limit"})
        client.set_torrent_limits(tid, download=None)
        eventually(lambda: [(t.download_limit, t.upload_limit) for t in client.torrents()] == [(None, 1536)], 10)

        check_global_limits_kept(client, 1_024_000, 512)
    assert deluge.rpc("core.get_config_values", ["max_download_speed", "max_upload_speed"]) == {
        "max_download_speed": -1.0,
        "max_upload_speed": 0.5,
    }
