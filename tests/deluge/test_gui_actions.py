"""Electorrent's actions on Deluge: ratio limit, sequential download, first and last pieces first, and
the Label plugin's list; row by row against the mapping, then set and read back on the real daemons."""

from __future__ import annotations

from typing import Any

import pytest

import enunclic
from enunclic import Capability
from enunclic.backends.deluge.mapping import to_torrent
from enunclic.testing.contract import eventually

from ..daemons.deluge import DelugeServer

H1 = "1" * 40


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({"stop_at_ratio": True, "stop_ratio": 2.0}, 2.0),
        ({"stop_at_ratio": True, "stop_ratio": 0}, 0.0),
        ({"stop_at_ratio": False, "stop_ratio": 2.0}, None),  # the ratio is kept, but off
        ({"stop_ratio": 2.0}, None),
        ({"stop_at_ratio": True, "stop_ratio": "2"}, None),
    ],
)
def test_ratio_limit_row_by_row(status: dict[str, Any], expected: float | None) -> None:
    assert to_torrent(H1, {"name": "x", "state": "Seeding", **status}).ratio_limit == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({"sequential_download": True, "prioritize_first_last_pieces": False, "tracker_host": "example.org"},
         (True, False, "example.org")),
        ({"sequential_download": 1, "tracker_host": ""}, (None, None, None)),
        ({}, (None, None, None)),
    ],
)  # fmt: skip
def test_switches_and_tracker_row_by_row(status: dict[str, Any], expected: tuple[Any, ...]) -> None:
    torrent = to_torrent(H1, {"name": "x", "state": "Seeding", **status})
    assert (torrent.sequential, torrent.first_last_piece, torrent.tracker) == expected


@pytest.mark.daemon
def test_switches_and_ratio_limit_are_set_and_read_back(deluge: DelugeServer) -> None:
    with enunclic.connect(deluge.url, **deluge.options) as client:
        capabilities = client.info().capabilities
        assert {Capability.RATIO_LIMIT, Capability.SEQUENTIAL, Capability.FIRST_LAST_PIECE} <= capabilities
        assert not {Capability.FORCE_START, Capability.ALT_SPEED} & capabilities
        tid = client.add(deluge.make_torrent("gui-actions.bin").content).id
        start = client.torrent(tid)
        assert (start.sequential, start.first_last_piece, start.ratio_limit) == (False, False, None)
        assert start.tracker == "127.0.0.1"
        client.set_sequential(tid, True)
        client.set_first_last_piece([tid], True)
        client.set_ratio_limit(tid, 1.5)
        one = client.torrent(tid)
        assert (one.sequential, one.first_last_piece, one.ratio_limit) == (True, True, 1.5)
        eventually(lambda: [(t.sequential, t.first_last_piece, t.ratio_limit) for t in client.torrents()]
                   == [(True, True, 1.5)], 10)  # fmt: skip
        client.set_sequential(tid, False)
        client.set_ratio_limit(tid, None)
        one = client.torrent(tid)
        assert (one.sequential, one.first_last_piece, one.ratio_limit) == (False, True, None)


@pytest.mark.daemon
def test_labels_lists_the_plugin_labels_without_torrents(deluge: DelugeServer) -> None:
    with enunclic.connect(deluge.url, **deluge.options) as client:
        tid = client.add(deluge.make_torrent("gui-labels.bin").content, label="tv").id
        client.set_label(tid, "movies")  # "tv" now labels no torrent, and stays in the plugin's list
        assert {"movies", "tv"} <= set(client.labels())
        assert client.labels() == sorted(client.labels())
