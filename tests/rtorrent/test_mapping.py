"""rTorrent flags -> states, row by row, and the converters' units and edge cases."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from enunclic import FilePriority, ProtocolError, TorrentState, TrackerStatus
from enunclic.backends.rtorrent.mapping import (
    FILE_FIELDS,
    FILE_PRIORITY_FROM_NATIVE,
    FILE_PRIORITY_TO_NATIVE,
    STATE_RULES,
    TORRENT_CALLS,
    TORRENT_FIELDS,
    TORRENT_KEYS,
    TRACKER_TEXT,
    TRACKERS_FIELD,
    decode_label,
    encode_label,
    flags_of,
    main_tracker,
    to_file,
    to_peer,
    to_torrent,
    to_tracker,
    tracker_entries,
)

HASH = "ADFD66935A169E8DC2879C7FB09E9B46D013F77A"


def row(**overrides: Any) -> list[Any]:
    """A d.multicall2 row in TORRENT_FIELDS order: a healthy seed unless overridden."""
    values: dict[str, Any] = {
        "d.hash": HASH,
        "d.name": "rt_payload.bin",
        "d.state": 1,
        "d.is_active": 1,
        "d.is_open": 1,
        "d.complete": 1,
        "d.is_hash_checking": 0,
        "d.is_meta": 0,
        "d.message": "Tracker: [Couldn't connect to server]",
        "d.size_bytes": 1_000_000,
        "d.completed_bytes": 1_000_000,
        "d.left_bytes": 0,
        "d.up.total": 500_000,
        "d.down.rate": 0,
        "d.up.rate": 0,
        "d.custom1": "",
        "d.directory": "/srv/downloads",
        "d.is_multi_file": 0,
        "d.load_date": 1_700_000_000,
        "d.timestamp.finished": 1_700_000_100,
        "d.peers_connected": 0,
        "d.peers_complete": 0,
        "trackers": "10 http://127.0.0.1:9/announce\t",
    }
    values.update({k.replace("_dot_", "."): v for k, v in overrides.items()})
    return [values[key] for key in TORRENT_KEYS]


# Each row: the flags rtorrent 0.9.8 showed (rtorrent.md, observed transitions) -> state.
STATE_CASES = [
    # state, active, open, complete, checking, meta, message -> expected
    ((1, 0, 1, 0, 1, 0, ""), TorrentState.CHECKING),  # right after load.raw_start
    ((1, 0, 1, 0, 1, 0, "Tracker: [x]"), TorrentState.CHECKING),  # d.check_hash
    ((1, 1, 1, 1, 0, 0, "Tracker: [Couldn't connect to server]"), TorrentState.SEEDING),  # a tracker warning
    ((1, 1, 1, 1, 0, 0, ""), TorrentState.SEEDING),
    ((1, 1, 1, 0, 0, 0, ""), TorrentState.DOWNLOADING),
    ((1, 1, 1, 0, 0, 1, ""), TorrentState.METADATA),  # magnet load.start
    ((1, 0, 1, 1, 0, 0, ""), TorrentState.COMPLETED),  # d.pause of a seed
    ((0, 0, 1, 1, 0, 0, ""), TorrentState.COMPLETED),  # d.stop of a seed
    ((0, 0, 0, 1, 0, 0, ""), TorrentState.COMPLETED),  # d.close
    ((1, 0, 1, 0, 0, 0, ""), TorrentState.PAUSED),  # d.pause before completion
    ((0, 0, 0, 0, 0, 0, ""), TorrentState.PAUSED),  # stopped and closed, incomplete
    ((0, 0, 1, 0, 0, 1, ""), TorrentState.PAUSED),  # a stopped magnet
    ((0, 0, 0, 0, 0, 0, "Command on torrent creation failed: Wrong object type."), TorrentState.ERROR),
    ((1, 1, 1, 0, 0, 0, "Storage error: [File chunk write error]"), TorrentState.ERROR),
]


@pytest.mark.parametrize(("flags", "expected"), STATE_CASES)
def test_state_rules(flags: tuple[Any, ...], expected: TorrentState) -> None:
    state, active, is_open, complete, checking, meta, message = flags
    values = row(
        d_dot_state=state,
        d_dot_is_active=active,
        d_dot_is_open=is_open,
        d_dot_complete=complete,
        d_dot_is_hash_checking=checking,
        d_dot_is_meta=meta,
        d_dot_message=message,
    )
    torrent = to_torrent(values)
    assert torrent.state is expected
    assert torrent.native_state  # the flags, as text
    assert (torrent.error is not None) is (expected is TorrentState.ERROR)


def test_every_rule_is_covered_and_the_last_matches_anything() -> None:
    assert {expected for _, expected in STATE_CASES} == {state for _, state in STATE_RULES}
    assert STATE_RULES[-1][0] == {}


def test_native_state_names_the_flags() -> None:
    torrent = to_torrent(row())
    assert torrent.native_state == "started,active,open,complete"
    assert flags_of(dict(zip(TORRENT_KEYS, row(), strict=True)))["error"] is False


def test_units_and_ids() -> None:
    torrent = to_torrent(
        row(
            d_dot_complete=0,
            d_dot_completed_bytes=250_000,
            d_dot_left_bytes=750_000,
            d_dot_down_dot_rate=1000,
            d_dot_custom1="tv%20shows",
            d_dot_peers_connected=5,
            d_dot_peers_complete=2,
        )
    )
    assert torrent.id == torrent.info_hash == HASH.lower()
    assert torrent.progress == 0.25
    assert torrent.eta == 750
    assert torrent.ratio == 2.0
    assert torrent.label == "tv shows"
    assert (torrent.seeds_connected, torrent.peers_connected) == (2, 3)
    assert torrent.completed_at is None
    assert torrent.added_at is not None
    assert torrent.added_at.tzinfo is not None
    assert torrent.added_at.timestamp() == 1_700_000_000


def test_multi_file_destination_is_the_parent() -> None:
    torrent = to_torrent(row(d_dot_is_multi_file=1, d_dot_directory="/srv/downloads/Some Album"))
    assert torrent.destination == "/srv/downloads"


def test_magnet_waiting_for_metadata_has_no_size() -> None:
    torrent = to_torrent(row(d_dot_is_meta=1, d_dot_complete=0, d_dot_size_bytes=1, d_dot_completed_bytes=0))
    assert torrent.state is TorrentState.METADATA
    assert (torrent.size, torrent.progress) == (0, 0.0)


@pytest.mark.parametrize(
    "bad",
    [
        "not a list",
        row()[:-1],
        row(d_dot_hash="not-a-hash"),
        row(d_dot_name=7),
        row(d_dot_message=None),
        row(trackers=None),
        row(trackers=[["not", "a row"], "of rows"]),
    ],
)
def test_wrong_shapes_are_protocol_errors(bad: Any) -> None:
    with pytest.raises(ProtocolError):
        to_torrent(bad)


def test_odd_numbers_read_as_unknown_instead_of_breaking_the_list() -> None:
    torrent = to_torrent(
        row(
            d_dot_state="1",  # a flag that is not the integer 1 is unset
            d_dot_size_bytes="big",
            d_dot_completed_bytes=None,
            d_dot_up_dot_total=-5,
            d_dot_load_date=10**30,  # beyond any calendar
            d_dot_timestamp_dot_finished=True,
        )
    )
    assert torrent.state is TorrentState.COMPLETED  # complete, not started
    assert (torrent.size, torrent.downloaded, torrent.uploaded) == (0, 0, 0)
    assert torrent.added_at is None
    assert torrent.completed_at is None


@pytest.mark.parametrize(("native", "priority"), list(FILE_PRIORITY_FROM_NATIVE.items()))
def test_file_priorities_from_native(native: int, priority: FilePriority) -> None:
    file = to_file(0, ["a.bin", 100, native, 1, 4], 32)
    assert file.priority is priority
    assert file.wanted is (priority is not FilePriority.SKIP)


@pytest.mark.parametrize(("priority", "native"), list(FILE_PRIORITY_TO_NATIVE.items()))
def test_file_priorities_to_native(priority: FilePriority, native: int) -> None:
    assert FILE_PRIORITY_FROM_NATIVE[native] is (FilePriority.NORMAL if priority is FilePriority.LOW else priority)


@pytest.mark.parametrize("native", [7, -1, "2", None])
def test_unknown_file_priorities_read_as_normal(native: Any) -> None:
    assert to_file(0, ["a.bin", 100, native, 1, 4], 32).priority is FilePriority.NORMAL


def test_file_progress_and_bytes() -> None:
    file = to_file(3, ["dir/a.bin", 100_000, 1, 2, 4], 32_768)
    assert (file.index, file.path, file.size, file.downloaded, file.progress) == (3, "dir/a.bin", 100_000, 65_536, 0.5)
    assert len(FILE_FIELDS) == 5


@pytest.mark.parametrize(
    ("trackers", "host"),
    [
        ("10 http://127.0.0.1:9/announce\t", "127.0.0.1"),
        # The first enabled one, in rTorrent's order (lowest tier first): a switched-off tracker is skipped.
        ("03 http://off.example/a\t125 https://Main.Example:443/x\t10 udp://next.example:1/a\t", "main.example"),
        ("10 dht://\t10 udp://[::1]:6969/announce\t", "::1"),  # the DHT pseudo-tracker names no host
        ("00 http://off.example/a\t", None),  # none enabled
        ("10 http://[bad/announce\t10 http://good.example/\t", "good.example"),  # an unparsable URL is skipped
        ("", None),  # no tracker
        ("10 http://a\tb.example/announce\t", "a"),  # a tab inside a URL cuts it: no error
    ],
)
def test_main_tracker_rows(trackers: str, host: str | None) -> None:
    assert to_torrent(row(trackers=trackers)).tracker == host


def test_tracker_text_is_read_from_a_listing_or_from_t_multicall_alike() -> None:
    text = "00 http://off.example/a\t17 http://on.example/b\t"
    rows = [[0, 0, " ", "http://off.example/a", "\t"], [1, 7, " ", "http://on.example/b", "\t"]]
    expected = [(False, 0, "http://off.example/a"), (True, 7, "http://on.example/b")]
    assert tracker_entries(text) == tracker_entries(rows) == expected
    assert main_tracker(expected) == "on.example"
    assert to_torrent(row(trackers=rows)).tracker == to_torrent(row(trackers=text)).tracker == "on.example"


def test_the_listing_asks_the_trackers_as_one_joined_string() -> None:
    """One ``cat`` of ``t.multicall`` (rTorrent 0.9.8 has no ``d.tracker_domain``); the per-torrent read asks
    ``t.multicall`` with the same commands, whose rows join to the same text."""
    assert TRACKERS_FIELD == 'cat=(t.multicall,,t.is_enabled=,t.success_counter=,"cat=\\" \\"",t.url=,"cat=\\"\t\\"")'
    assert TRACKER_TEXT == ("t.is_enabled=", "t.success_counter=", 'cat=" "', "t.url=", 'cat="\t"')
    assert TORRENT_FIELDS[-1] == TRACKERS_FIELD and TORRENT_KEYS[-1] == "trackers"
    assert TORRENT_CALLS[-1] == ("t.multicall", ("", *TRACKER_TEXT))
    assert TORRENT_CALLS[:-1] == tuple((f.rstrip("="), ()) for f in TORRENT_FIELDS[:-1])


@pytest.mark.parametrize(
    ("values", "status"),
    [
        (["http://t/a", 0, 0, 0, 0, 0, 0, 0, 0, 0], TrackerStatus.DISABLED),
        (["http://t/a", 1, 1, 0, 0, 0, 0, 0, 0, 0], TrackerStatus.UPDATING),
        (["http://t/a", 1, 0, 0, 2, 0, 0, 0, 0, 0], TrackerStatus.ERROR),
        (["http://t/a", 1, 0, 3, 0, 4, 5, 0, 0, 0], TrackerStatus.WORKING),
        (["http://t/a", 1, 0, 0, 0, 0, 0, 0, 0, 0], TrackerStatus.NOT_CONTACTED),
    ],
)
def test_tracker_status(values: list[Any], status: TrackerStatus) -> None:
    tracker = to_tracker(values)
    assert tracker.status is status
    assert tracker.url == "http://t/a"


def test_tracker_tier_and_announce_times() -> None:
    tracker = to_tracker(["udp://t:1/a", 1, 0, 1, 0, 0, 0, 2, 1_700_000_000, 1_700_001_800])
    assert tracker.tier == 2
    assert tracker.last_announce == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert tracker.next_announce is not None and (tracker.next_announce - tracker.last_announce).seconds == 1800
    never = to_tracker(["udp://t:1/a", 1, 0, 0, 0, 0, 0, -1, 0, 0])  # not announced yet
    assert (never.tier, never.last_announce, never.next_announce) == (None, None, None)


def test_peer_address_and_units() -> None:
    assert to_peer(["127.0.0.1", 6881, "rtorrent 0.9.8", 50, 10, 20]).model_dump() == {
        "address": "127.0.0.1:6881",
        "client": "rtorrent 0.9.8",
        "flags": None,
        "progress": 0.5,
        "download_speed": 10,
        "upload_speed": 20,
    }
    assert to_peer(["::1", 6881, "", 100, 0, 0]).address == "[::1]:6881"


@pytest.mark.parametrize("label", ["movies", "tv shows", 'a,b;c="d"', "é/ü%"])
def test_labels_are_uri_encoded_like_rutorrent(label: str) -> None:
    encoded = encode_label(label)
    assert all(c.isalnum() or c in "%-_.~" for c in encoded)
    assert decode_label(encoded) == label
    assert decode_label("") is None


def test_a_python_that_cannot_compile_the_listing_grammar_reads_the_listing_all_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The one-pass reader is an accelerator: without it the listing goes through expat, to the same rows."""
    from enunclic.backends.rtorrent import xmlrpc

    rows = [row(), row(**{"d.name": "b & <c>", "d.hash": HASH.lower()})]
    assert rows[0] != rows[1]
    call = xmlrpc.encode_call("x", [rows]).replace(b"<methodName>x</methodName>", b"")
    body = call.replace(b"methodCall", b"methodResponse")
    assert xmlrpc.decode_rows(body, len(TORRENT_FIELDS)) == rows == xmlrpc.decode_response(body)
    monkeypatch.setattr(xmlrpc, "_grammar", lambda: None)
    assert xmlrpc.decode_rows(body, len(TORRENT_FIELDS)) is None
    assert [to_torrent(r) for r in xmlrpc.decode_response(body)] == [to_torrent(r) for r in rows]
