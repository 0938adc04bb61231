"""qBittorrent values -> enunclic models, row by row (no daemon needed)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from enunclic import FilePriority, ProtocolError, TorrentState, TrackerStatus
from enunclic.backends.qbittorrent.api import parse_api_version, pause_endpoint, resume_endpoint
from enunclic.backends.qbittorrent.mapping import (
    ETA_INFINITE,
    FILE_PRIORITIES,
    PRIORITY_VALUES,
    STATES,
    TRACKER_STATUSES,
    is_pseudo_tracker,
    to_file,
    to_peer,
    to_torrent,
    to_tracker,
)

HASH = "41c0c48d7eac394dc4f9b83c4b7704f9d0a7afa0"

#: What each native state must mean; written out separately from the table under test.
EXPECTED = {
    "error": TorrentState.ERROR,
    "missingFiles": TorrentState.ERROR,
    "uploading": TorrentState.SEEDING,
    "stalledUP": TorrentState.SEEDING,
    "forcedUP": TorrentState.SEEDING,
    "pausedUP": TorrentState.COMPLETED,
    "stoppedUP": TorrentState.COMPLETED,
    "queuedUP": TorrentState.QUEUED,
    "checkingUP": TorrentState.CHECKING,
    "allocating": TorrentState.DOWNLOADING,
    "downloading": TorrentState.DOWNLOADING,
    "stalledDL": TorrentState.DOWNLOADING,
    "forcedDL": TorrentState.DOWNLOADING,
    "metaDL": TorrentState.METADATA,
    "forcedMetaDL": TorrentState.METADATA,
    "pausedDL": TorrentState.PAUSED,
    "stoppedDL": TorrentState.PAUSED,
    "queuedDL": TorrentState.QUEUED,
    "checkingDL": TorrentState.CHECKING,
    "checkingResumeData": TorrentState.CHECKING,
    "queuedForChecking": TorrentState.CHECKING,
    "moving": TorrentState.MOVING,
    "unknown": TorrentState.UNKNOWN,
}


def test_the_table_lists_every_known_state_in_both_spellings() -> None:
    assert set(STATES) == set(EXPECTED)
    for v4, v5 in (("pausedUP", "stoppedUP"), ("pausedDL", "stoppedDL")):
        assert STATES[v4] is STATES[v5]


@pytest.mark.parametrize(("native", "state"), sorted(STATES.items()))
def test_state_row(native: str, state: TorrentState) -> None:
    assert EXPECTED[native] is state
    torrent = to_torrent({"hash": HASH, "state": native})
    assert (torrent.state, torrent.native_state) == (state, native)


@pytest.mark.parametrize("native", ["pausedUp", "stopped", "", "sleeping", None, 3])
def test_unknown_states_are_unknown(native: Any) -> None:
    assert to_torrent({"hash": HASH, "state": native}).state is TorrentState.UNKNOWN


def _raw(**overrides: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "hash": HASH.upper(),
        "name": "a.bin",
        "state": "stalledUP",
        "progress": 1,
        "size": 98304,
        "downloaded": 10,
        "uploaded": 20,
        "ratio": 2.0,
        "dlspeed": 5,
        "upspeed": 7,
        "eta": 30,
        "category": "movies",
        "save_path": "/data",
        "added_on": 1700000000,
        "completion_on": 1700000060,
        "num_seeds": 1,
        "num_complete": 4,
        "num_leechs": 2,
        "num_incomplete": 8,
        "priority": 3,
    }
    raw.update(overrides)
    return raw


def test_a_full_torrent() -> None:
    torrent = to_torrent(_raw())
    assert torrent.id == torrent.info_hash == HASH
    assert torrent.state is TorrentState.SEEDING
    assert (torrent.size, torrent.downloaded, torrent.uploaded, torrent.ratio) == (98304, 10, 20, 2.0)
    assert (torrent.download_speed, torrent.upload_speed, torrent.eta) == (5, 7, 30)
    assert (torrent.label, torrent.destination) == ("movies", "/data")
    assert torrent.added_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert torrent.completed_at == datetime(2023, 11, 14, 22, 14, 20, tzinfo=timezone.utc)
    assert (torrent.seeds_connected, torrent.seeds_total, torrent.peers_connected, torrent.peers_total) == (1, 4, 2, 8)
    assert torrent.queue_position == 2  # qBittorrent counts from 1
    assert torrent.error is None


@pytest.mark.parametrize(("eta", "expected"), [(ETA_INFINITE, None), (-1, None), (0, 0), (3600, 3600)])
def test_eta_sentinels(eta: int, expected: int | None) -> None:
    assert to_torrent(_raw(eta=eta)).eta == expected


@pytest.mark.parametrize(("priority", "position"), [(0, None), (-1, None), (1, 0), (5, 4)])
def test_queue_position_is_zero_based_and_absent_when_not_queued(priority: int, position: int | None) -> None:
    assert to_torrent(_raw(priority=priority)).queue_position == position


@pytest.mark.parametrize(("completion", "expected"), [(0, None), (-1, None)])
def test_never_completed_in_both_spellings(completion: int, expected: None) -> None:
    assert to_torrent(_raw(completion_on=completion)).completed_at is expected


@pytest.mark.parametrize(("ratio", "expected"), [(9999, None), (-1, None), (0.5, 0.5)])
def test_ratio_sentinels(ratio: float, expected: float | None) -> None:
    assert to_torrent(_raw(ratio=ratio)).ratio == expected


def test_no_category_is_no_label_and_errors_get_a_text() -> None:
    torrent = to_torrent(_raw(category="", state="missingFiles"))
    assert torrent.label is None
    assert torrent.state is TorrentState.ERROR
    assert torrent.error == "the torrent's files are missing"


@pytest.mark.parametrize("bad", [None, "", "xyz", 42])
def test_a_torrent_without_a_hash_is_a_protocol_error(bad: Any) -> None:
    with pytest.raises(ProtocolError):
        to_torrent(_raw(hash=bad))


@pytest.mark.parametrize(("native", "priority"), sorted(FILE_PRIORITIES.items()))
def test_file_priority_row(native: int, priority: FilePriority) -> None:
    file = to_file(0, {"index": 2, "name": "d/a", "size": 100, "progress": 0.5, "priority": native})
    assert file.priority is priority
    assert file.wanted is (native != 0)
    assert (file.index, file.path, file.size, file.downloaded, file.progress) == (2, "d/a", 100, 50, 0.5)


@pytest.mark.parametrize(("priority", "native"), sorted(PRIORITY_VALUES.items()))
def test_written_priorities(priority: FilePriority, native: int) -> None:
    # qBittorrent has no "low": it is written as normal (1); maximal (7) is never written.
    assert native == {"skip": 0, "low": 1, "normal": 1, "high": 6}[priority.value]


def test_files_without_an_index_use_their_position() -> None:
    assert to_file(4, {"name": "x", "size": 1, "progress": 1, "priority": 1}).index == 4


@pytest.mark.parametrize(("native", "status"), sorted(TRACKER_STATUSES.items()))
def test_tracker_status_row(native: int, status: TrackerStatus) -> None:
    expected = ["disabled", "not_contacted", "working", "updating", "error"][native]
    assert status.value == expected
    assert to_tracker({"url": "http://t/a", "status": native}).status is status


def test_tracker_fields_and_pseudo_rows() -> None:
    tracker = to_tracker({"url": "http://t/a", "status": 4, "num_seeds": -1, "num_leeches": 3, "msg": "refused"})
    assert (tracker.seeds, tracker.peers, tracker.message) == (None, 3, "refused")
    assert to_tracker({"url": "http://t/a", "status": 99}).status is TrackerStatus.UNKNOWN
    assert is_pseudo_tracker({"url": "** [DHT] **"})
    assert not is_pseudo_tracker({"url": "udp://t:80"})


def test_peer() -> None:
    peer = to_peer("10.0.0.1:6881", {"client": "qBittorrent/5.1.0", "progress": 0.5, "dl_speed": 3, "up_speed": 4})
    assert (peer.address, peer.client, peer.progress, peer.download_speed, peer.upload_speed) == (
        "10.0.0.1:6881",
        "qBittorrent/5.1.0",
        0.5,
        3,
        4,
    )


@pytest.mark.parametrize(
    ("version", "pause", "resume"),
    [
        ("2.0", "torrents/pause", "torrents/resume"),
        ("2.8.19", "torrents/pause", "torrents/resume"),
        ("2.10.4", "torrents/pause", "torrents/resume"),
        ("2.11.0", "torrents/stop", "torrents/start"),
        ("2.11.4", "torrents/stop", "torrents/start"),
        ("2.13.1", "torrents/stop", "torrents/start"),
    ],
)
def test_pause_and_resume_follow_the_webapi_version(version: str, pause: str, resume: str) -> None:
    api = parse_api_version(version)
    assert (pause_endpoint(api).value, resume_endpoint(api).value) == (pause, resume)


@pytest.mark.parametrize("bad", ["", "v4.5.2", "<html>", "2.x"])
def test_bad_api_versions(bad: str) -> None:
    with pytest.raises(ProtocolError):
        parse_api_version(bad)


@pytest.mark.parametrize(
    ("native", "expected"),
    [(2.5, 2.5), (0, 0.0), (-2, None), (-1, None), (None, None), ("2", None)],  # -2 the global limit, -1 none
)
def test_ratio_limit_row(native: Any, expected: float | None) -> None:
    assert to_torrent(_raw(ratio_limit=native)).ratio_limit == expected


@pytest.mark.parametrize(
    ("native", "expected"),
    [
        ("http://tracker.example:8080/announce", "tracker.example"),
        ("udp://[::1]:6969/announce", "::1"),
        ("", None),  # 4.5 until a tracker answers
        (None, None),
        ("http://[bad/announce", None),  # urllib cannot split it: no host rather than a crash
    ],
)
def test_tracker_host_row(native: Any, expected: str | None) -> None:
    assert to_torrent(_raw(tracker=native)).tracker == expected


@pytest.mark.parametrize(("native", "expected"), [(True, True), (False, False), (None, None), (1, None)])
def test_sequential_and_first_last_piece_rows(native: Any, expected: bool | None) -> None:
    torrent = to_torrent(_raw(seq_dl=native, f_l_piece_prio=native))
    assert (torrent.sequential, torrent.first_last_piece) == (expected, expected)


@pytest.mark.parametrize(("native", "expected"), [(0, 0), (2, 2), (-1, None), (None, None), ("x", None)])
def test_tracker_tier_row(native: Any, expected: int | None) -> None:
    tracker = to_tracker({"url": "http://t/a", "status": 2, "tier": native})
    assert (tracker.tier, tracker.last_announce, tracker.next_announce) == (expected, None, None)


@pytest.mark.parametrize(("native", "expected"), [("D X", "D X"), (" ", None), ("", None), (None, None), (7, None)])
def test_peer_flags_row(native: Any, expected: str | None) -> None:
    assert to_peer("10.0.0.1:6881", {"flags": native}).flags == expected
