"""rTorrent's lighter steady polls: the joined row is read exactly, what stays is remembered and read
again when it may have moved, and each poll's delta names exactly what changed (against the fake)."""

from __future__ import annotations

from typing import Any

from enunclic.backends.rtorrent.mapping import TORRENT_FIELDS
from enunclic.backends.rtorrent.poll import (
    LIGHT_FIELDS,
    LIGHT_NUMBERS,
    LIGHT_TEXTS,
    TRACKER_SIGNALS,
    PollState,
    full_row,
    light_row,
    tracker_signals,
)
from tests.hardening.fakes import FakeRTorrent, make_target

HASH = "AB" * 20


def _joined(numbers: list[int], texts: list[str], trackers: tuple[str, str] = ("1", "0")) -> str:
    return "\t".join([*map(str, numbers), *trackers, *texts])


def test_the_steady_row_asks_every_changing_field_in_one_joined_string() -> None:
    assert LIGHT_FIELDS[0] == "d.hash="
    asked = [
        *(f"${name}=" for name in LIGHT_NUMBERS),
        "(t.multicall,,t.is_enabled=)",
        "(math.add,(t.multicall,,t.success_counter=))",
        *(f"${name}=" for name in LIGHT_TEXTS),
    ]
    assert LIGHT_FIELDS[1] == "cat=" + ',"\t",'.join(asked)
    assert {f"{name}=" for name in (*LIGHT_NUMBERS, *LIGHT_TEXTS)} <= set(TORRENT_FIELDS)
    assert [key for key, _ in TRACKER_SIGNALS] == ["trackers.enabled", "trackers.announced"]


def test_a_joined_row_is_read_field_by_field() -> None:
    numbers = list(range(len(LIGHT_NUMBERS)))
    joined = _joined(numbers, ["Tracker: [x/y]", "tv%20shows", "/srv/a b"], ("101", "42"))
    info_hash, row = light_row([HASH.lower(), joined])
    assert info_hash == HASH
    assert row == {
        **dict(zip(LIGHT_NUMBERS, numbers, strict=True)),
        "trackers.enabled": "101",
        "trackers.announced": 42,
        "d.message": "Tracker: [x/y]",
        "d.custom1": "tv%20shows",
        "d.directory": "/srv/a b",
    }


def test_a_text_holding_a_tab_makes_its_torrent_read_in_full() -> None:
    numbers = [0] * len(LIGHT_NUMBERS)
    assert light_row([HASH, _joined(numbers, ["a\tb", "", "/srv"])]) == (HASH, None)
    assert light_row([HASH, "not numbers"]) == (HASH, None)
    assert light_row([HASH, _joined(numbers, ["", "", "/srv"], ("12", "0"))]) == (HASH, None)  # flags are 0 or 1
    assert light_row([HASH, _joined(numbers, ["", "", "/srv"], ("1", "-1"))]) == (HASH, None)
    assert light_row([HASH, _joined(numbers, ["", "", "/srv"], ("", "0"))])[1] is not None  # no tracker


def test_remembered_fields_are_read_again_when_a_signal_moves() -> None:
    state = PollState()
    light: dict[str, Any] = dict.fromkeys(LIGHT_NUMBERS, 0) | {"d.state": 1, "d.size_bytes": 10}
    light |= {"trackers.enabled": "10", "trackers.announced": 3}
    assert state.stale(HASH, light)  # never seen
    state.rows[HASH] = {**light, "d.is_meta": 0}
    assert not state.stale(HASH, light)
    assert not state.stale(HASH, {**light, "d.down.rate": 5, "d.completed_bytes": 3})
    assert state.stale(HASH, {**light, "d.complete": 1})  # its finish date comes with completion
    assert state.stale(HASH, {**light, "d.size_bytes": 20})
    assert state.stale(HASH, None)
    assert state.stale(HASH, {**light, "trackers.enabled": "11"})  # one switched on
    assert state.stale(HASH, {**light, "trackers.enabled": "100"})  # one added
    assert state.stale(HASH, {**light, "trackers.announced": 4})  # an answer, which may have promoted its tracker
    state.rows[HASH]["d.is_meta"] = 1
    assert state.stale(HASH, light)  # a magnet's name comes with its metadata


def test_a_full_row_remembers_the_signals_of_its_trackers() -> None:
    trackers = "03 http://a.example/\t125 http://b.example/\t10 dht://\t"
    assert tracker_signals(trackers) == ("011", 28)
    assert tracker_signals([[0, 3, " ", "http://a.example/", "\t"]]) == ("0", 3)  # a torrent read alone
    assert tracker_signals("") == ("", 0)
    values = [HASH, *[0] * (len(TORRENT_FIELDS) - 2), trackers]
    remembered = full_row(values)
    assert (remembered["trackers.enabled"], remembered["trackers.announced"]) == ("011", 28)
    assert remembered["trackers"] == trackers


def test_steady_polls_send_the_light_row_and_report_exactly_what_changed() -> None:
    target = make_target("rtorrent", 20)
    server = target.server
    assert isinstance(server, FakeRTorrent)
    ids = [target.id_of(i) for i in range(3)]
    with target.connect() as client:
        client.poll()
        target.wire.reset_counters()
        assert client.poll().empty
        assert b"cat=" in target.wire.requests[0].content
        server.touch([ids[0]])
        server.torrents[ids[1].upper()]["d.custom1"] = "tv"
        server.torrents[ids[2].upper()].update({"d.name": "renamed", "d.complete": 1})
        delta = client.poll()
        fields = delta.changed_fields
        assert fields[ids[0]] == {"download_speed"}  # a complete torrent: no eta either way
        assert fields[ids[1]] == {"label"}
        assert {"name", "state", "native_state"} <= fields[ids[2]]  # the flags moved: its name is read again
        assert set(fields) == set(ids)
        fresh = {t.id: t for t in client.torrents()}
        assert all(fresh[t.id] == t for t in delta.changed)
        # The trackers move with no flag: the promotion of one that answered, one switched off, one added.
        row = server.torrents[ids[0].upper()]
        row["trackers"] = "10 http://down.example/a\t10 http://up.example/a\t"
        assert client.poll().changed_fields == {ids[0]: {"tracker"}}
        row["trackers"] = "11 http://up.example/a\t10 http://down.example/a\t"
        assert client.poll().changed_fields == {ids[0]: {"tracker"}}
        row["trackers"] = "01 http://up.example/a\t10 http://down.example/a\t"
        assert client.poll().changed_fields == {ids[0]: {"tracker"}}
        row["trackers"] = "01 http://up.example/a\t10 http://down.example/a\t10 http://new.example/a\t"
        assert client.poll().empty  # added after the main one: the same main tracker
        assert client.torrent(ids[0]).tracker == "down.example"
        server.torrents.pop(ids[0].upper())
        assert client.poll().removed == [ids[0]]
