"""rTorrent's lighter steady polls: the joined row is read exactly, what stays is remembered and read
again when it may have moved, and each poll's delta names exactly what changed (against the fake)."""

from __future__ import annotations

from typing import Any

from enunclic.backends.rtorrent.mapping import TORRENT_FIELDS
from enunclic.backends.rtorrent.poll import LIGHT_FIELDS, LIGHT_NUMBERS, LIGHT_TEXTS, PollState, light_row
from tests.hardening.fakes import FakeRTorrent, make_target

HASH = "AB" * 20


def _joined(numbers: list[int], texts: list[str]) -> str:
    return "\t".join([*map(str, numbers), *texts])


def test_the_steady_row_asks_every_changing_field_in_one_joined_string() -> None:
    assert LIGHT_FIELDS[0] == "d.hash="
    assert LIGHT_FIELDS[1] == "cat=" + ',"\t",'.join(f"${name}=" for name in (*LIGHT_NUMBERS, *LIGHT_TEXTS))
    assert {f"{name}=" for name in (*LIGHT_NUMBERS, *LIGHT_TEXTS)} <= set(TORRENT_FIELDS)


def test_a_joined_row_is_read_field_by_field() -> None:
    numbers = list(range(len(LIGHT_NUMBERS)))
    info_hash, row = light_row([HASH.lower(), _joined(numbers, ["Tracker: [x/y]", "tv%20shows", "/srv/a b"])])
    assert info_hash == HASH
    assert row == {
        **dict(zip(LIGHT_NUMBERS, numbers, strict=True)),
        "d.message": "Tracker: [x/y]",
        "d.custom1": "tv%20shows",
        "d.directory": "/srv/a b",
    }


def test_a_text_holding_a_tab_makes_its_torrent_read_in_full() -> None:
    numbers = [0] * len(LIGHT_NUMBERS)
    assert light_row([HASH, _joined(numbers, ["a\tb", "", "/srv"])]) == (HASH, None)
    assert light_row([HASH, "not numbers"]) == (HASH, None)


def test_remembered_fields_are_read_again_when_a_signal_moves() -> None:
    state = PollState()
    light: dict[str, Any] = dict.fromkeys(LIGHT_NUMBERS, 0) | {"d.state": 1, "d.size_bytes": 10}
    assert state.stale(HASH, light)  # never seen
    state.rows[HASH] = {**light, "d.is_meta": 0}
    assert not state.stale(HASH, light)
    assert not state.stale(HASH, {**light, "d.down.rate": 5, "d.completed_bytes": 3})
    assert state.stale(HASH, {**light, "d.complete": 1})  # its finish date comes with completion
    assert state.stale(HASH, {**light, "d.size_bytes": 20})
    assert state.stale(HASH, None)
    state.rows[HASH]["d.is_meta"] = 1
    assert state.stale(HASH, light)  # a magnet's name comes with its metadata


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
        server.torrents.pop(ids[0].upper())
        assert client.poll().removed == [ids[0]]
