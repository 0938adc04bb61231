"""Electorrent's actions on Deluge: ratio limit, sequential download, first and last pieces first, the Label
plugin's list, trackers' tiers and announces, pause all and resume all; row by row against the mapping and a
fake deluge-web, then set and read back on the real daemons."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import assume, given, settings

import enunclic
from enunclic import Capability, ProtocolError, TorrentState, TrackerStatus
from enunclic.backends.deluge.mapping import TRACKER_KEYS, to_torrent, to_trackers
from enunclic.bencode import decode, encode
from enunclic.testing.contract import eventually

from ..daemons.deluge import DelugeServer
from ..hardening.strategies import mutated_mapping
from .fake_web import KNOWN, FakeWeb, connect

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


# -- trackers ---------------------------------------------------------------------------------------------

NOW = 1_700_000_000.0
A, B = "http://a.example/announce", "udp://b.example:80"


def _entry(url: str, tier: Any = 0) -> dict[str, Any]:
    """A ``trackers`` entry as both versions keep it: the add-time snapshot of libtorrent's announce entry."""
    return {"url": url, "tier": tier, "verified": False, "fails": 0, "updating": False, "message": "",
            "last_error": {"value": 0, "category": ""}, "next_announce": None, "scrape_complete": 0}  # fmt: skip


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(NOW + seconds, tz=timezone.utc)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        # The only tracker: the torrent's next announce and its last announce's outcome are its own.
        ({"trackers": [_entry(A)], "tracker": "", "tracker_status": "Error: Connection refused",
          "next_announce": 14, "state": "Seeding"},
         [(A, 0, TrackerStatus.ERROR, "Connection refused", _at(14))]),
        ({"trackers": [_entry(A)], "tracker": A, "tracker_status": "Announce OK", "next_announce": 1800,
          "state": "Downloading"},
         [(A, 0, TrackerStatus.WORKING, None, _at(1800))]),
        ({"trackers": [_entry(A)], "tracker_status": "Warning: slow down", "next_announce": 5, "state": "Seeding"},
         [(A, 0, TrackerStatus.WORKING, "slow down", _at(5))]),
        ({"trackers": [_entry(A)], "tracker_status": "Announce Sent", "next_announce": 0, "state": "Seeding"},
         [(A, 0, TrackerStatus.UPDATING, None, None)]),  # 0: due now, or paused
        # Paused: 2.0.3 keeps the last countdown; nothing is scheduled.
        ({"trackers": [_entry(A)], "tracker_status": "", "next_announce": 14, "state": "Paused"},
         [(A, 0, TrackerStatus.NOT_CONTACTED, None, None)]),
        # Several: the countdown is the current tracker's; the outcome could be any one's, so it is left out.
        ({"trackers": [_entry(A), _entry(B, 1)], "tracker": B, "tracker_status": "Error: refused",
          "next_announce": 60, "state": "Seeding"},
         [(A, 0, TrackerStatus.NOT_CONTACTED, None, None), (B, 1, TrackerStatus.NOT_CONTACTED, None, _at(60))]),
        ({"trackers": [_entry(A), _entry(B, 1)], "tracker": "", "next_announce": 60, "state": "Seeding"},
         [(A, 0, TrackerStatus.NOT_CONTACTED, None, None), (B, 1, TrackerStatus.NOT_CONTACTED, None, None)]),
        # Odd values are unknown, never a failure.
        ({"trackers": [_entry(A, -1)], "tracker_status": "Something else", "next_announce": "14"},
         [(A, None, TrackerStatus.NOT_CONTACTED, None, None)]),
        ({"trackers": [_entry(A, True)], "tracker_status": None, "next_announce": 1e400},
         [(A, None, TrackerStatus.NOT_CONTACTED, None, None)]),
        ({"trackers": []}, []),
    ],
)  # fmt: skip
def test_trackers_row_by_row(status: dict[str, Any], expected: list[tuple[Any, ...]]) -> None:
    trackers = to_trackers(status, NOW)
    assert [(t.url, t.tier, t.status, t.message, t.next_announce) for t in trackers] == expected
    assert all(t.last_announce is None for t in trackers)  # Deluge keeps no time of the last announce


@settings(max_examples=80, deadline=None)
@given(mutated_mapping({"trackers": [_entry(A), _entry(B, 1)], "tracker": B, "tracker_status": "Error: x",
                        "next_announce": 60, "state": "Seeding"}))  # fmt: skip
def test_any_torrent_keys_give_trackers_or_a_protocol_error(status: Any) -> None:
    assume(isinstance(status, dict))  # core.get_torrent_status answers an object, or the backend refuses it
    try:
        trackers = to_trackers(status, NOW)
    except ProtocolError:
        return
    assert [t.url for t in trackers] == [e["url"] for e in status["trackers"]]


def test_trackers_ask_the_entries_and_the_torrent_keys_in_one_call(web: FakeWeb) -> None:
    web.status = {"trackers": [_entry(A)], "tracker": A, "tracker_status": "Announce OK", "next_announce": 30,
                  "state": "Seeding"}  # fmt: skip
    with connect(web) as client:
        before = time.time()
        (tracker,) = client.trackers(KNOWN)
        after = time.time()
    assert web.sent[-1] == ("core.get_torrent_status", [KNOWN, list(TRACKER_KEYS)])
    assert tracker.next_announce is not None
    assert before + 30 <= tracker.next_announce.timestamp() <= after + 30


@pytest.mark.daemon
def test_trackers_carry_tiers_and_the_next_announce(deluge: DelugeServer) -> None:
    tiered = decode(deluge.make_torrent("gui-tiers.bin").content)
    assert isinstance(tiered, dict)
    tiered[b"announce-list"] = [[b"http://127.0.0.1:9/announce"], [b"http://127.0.0.1:10/announce"]]
    with enunclic.connect(deluge.url, **deluge.options) as client:
        assert Capability.TRACKERS in client.info().capabilities
        single = client.add(deluge.make_torrent("gui-tracker.bin").content).id  # a closed loopback port
        both = client.add(encode(tiered)).id
        assert [(t.url, t.tier) for t in client.trackers(both)] == [
            ("http://127.0.0.1:9/announce", 0),
            ("http://127.0.0.1:10/announce", 1),
        ]
        (tracker,) = eventually(lambda: [t for t in client.trackers(single) if t.status is TrackerStatus.ERROR], 15)
        assert (tracker.url, tracker.tier, tracker.last_announce) == ("http://127.0.0.1:9/announce", 0, None)
        assert tracker.message  # the connection error, as libtorrent words it
        now = datetime.now(timezone.utc)
        assert tracker.next_announce is not None
        assert now < tracker.next_announce < now + timedelta(hours=1)
        client.pause(single)
        eventually(lambda: client.torrent(single).state is TorrentState.COMPLETED, 15)
        assert [t.next_announce for t in client.trackers(single)] == [None]  # nothing scheduled while paused


# -- pause all, resume all ----------------------------------------------------------------------------------


def test_pause_all_and_resume_all_are_one_call_without_ids(web: FakeWeb) -> None:
    with connect(web) as client:
        client.info()
        before = client.requests_sent
        client.pause_all()
        assert client.requests_sent == before + 1
        assert web.sent[-1] == ("core.pause_torrents", [])  # no ids: every torrent (Deluge 2's core.py)
        assert web.torrents[KNOWN]["state"] == "Paused"
        client.resume_all()
        assert web.sent[-1] == ("core.resume_torrents", [])
        assert client.requests_sent == before + 2
    assert not [method for method, _ in web.sent if method.endswith("_session")]  # the session stays as it is


@pytest.mark.daemon
def test_pause_all_and_resume_all_on_the_daemon(deluge: DelugeServer) -> None:
    with enunclic.connect(deluge.url, **deluge.options) as client:
        ids = [client.add(deluge.make_torrent(f"gui-all-{i}.bin").content).id for i in range(2)]
        magnet = client.add("magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=gui-all-magnet").id
        eventually(lambda: all(client.torrent(i).state is TorrentState.SEEDING for i in ids), 15)
        done, running = TorrentState.COMPLETED, TorrentState.SEEDING
        for call, expected in ((client.pause_all, (done, TorrentState.PAUSED)),
                               (client.resume_all, (running, TorrentState.METADATA))):  # fmt: skip
            before = client.requests_sent
            call()
            assert client.requests_sent == before + 1
            want = {ids[0]: expected[0], ids[1]: expected[0], magnet: expected[1]}
            eventually(lambda: {t.id: t.state for t in client.torrents()} == want, 10)  # noqa: B023 - waited here
