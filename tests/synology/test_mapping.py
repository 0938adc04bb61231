"""The mapping tables, row by row, and the converters' edge cases."""

from __future__ import annotations

import json
from typing import Any

import pytest

from enunclic import FilePriority, ProtocolError, TorrentState
from enunclic.backends.synology.api import as_number, whole
from enunclic.backends.synology.mapping import (
    DS2_STATUS_NAMES,
    ERROR_DETAIL_MESSAGES,
    STATUS_STATES,
    TASK_MODEL,
    map_file,
    map_peer,
    map_state,
    map_task,
    map_tracker,
)

EXPECTED_STRING_STATES = {
    "waiting": TorrentState.QUEUED,
    "downloading": TorrentState.DOWNLOADING,
    "paused": TorrentState.PAUSED,
    "finishing": TorrentState.MOVING,
    "finished": TorrentState.COMPLETED,
    "hash_checking": TorrentState.CHECKING,
    "seeding": TorrentState.SEEDING,
    "filehosting_waiting": TorrentState.QUEUED,
    "extracting": TorrentState.MOVING,
    "error": TorrentState.ERROR,
    "captcha_needed": TorrentState.QUEUED,
    "pre_seeding": TorrentState.COMPLETED,
    "preprocessing": TorrentState.QUEUED,
    "preprocess_pass": TorrentState.QUEUED,
    "downloaded": TorrentState.COMPLETED,
    "postprocessing": TorrentState.MOVING,
    "none": TorrentState.UNKNOWN,
}

EXPECTED_DS2_STATES = {
    0: TorrentState.UNKNOWN,
    1: TorrentState.QUEUED,
    2: TorrentState.DOWNLOADING,
    3: TorrentState.PAUSED,
    4: TorrentState.MOVING,
    5: TorrentState.COMPLETED,
    6: TorrentState.CHECKING,
    7: TorrentState.COMPLETED,
    8: TorrentState.SEEDING,
    9: TorrentState.QUEUED,
    10: TorrentState.MOVING,
    11: TorrentState.QUEUED,
    12: TorrentState.QUEUED,
    13: TorrentState.COMPLETED,
    14: TorrentState.MOVING,
    15: TorrentState.QUEUED,
}


def test_the_tables_cover_exactly_the_tested_rows() -> None:
    assert set(STATUS_STATES) == set(EXPECTED_STRING_STATES)
    assert set(DS2_STATUS_NAMES) == set(EXPECTED_DS2_STATES)


@pytest.mark.parametrize(("status", "state"), sorted(EXPECTED_STRING_STATES.items()))
def test_string_status_row(status: str, state: TorrentState) -> None:
    assert map_state(status) == (state, status)
    task = {
        "id": "dbid_1",
        "type": "bt",
        "status": status,
        "size": 10,
        "additional": {"transfer": {"size_downloaded": 5}},
    }
    torrent = map_task(task)
    assert torrent.state is state
    assert torrent.native_state == status


@pytest.mark.parametrize(("code", "state"), sorted(EXPECTED_DS2_STATES.items()))
def test_ds2_numeric_status_row(code: int, state: TorrentState) -> None:
    assert map_state(code) == (state, str(code))
    assert map_state(str(code)) == (state, str(code))


@pytest.mark.parametrize("raw", ["teleporting", 99, -1, None, 1.5, True, ""])
def test_unknown_statuses_are_kept_not_fatal(raw: Any) -> None:
    state, native = map_state(raw)
    assert state is TorrentState.UNKNOWN
    assert native == str(raw)
    assert map_task({"id": "dbid_1", "status": raw}).state is TorrentState.UNKNOWN


@pytest.mark.parametrize(("detail", "message"), sorted(ERROR_DETAIL_MESSAGES.items()))
def test_error_detail_row(detail: str, message: str) -> None:
    torrent = map_task({"id": "dbid_1", "type": "bt", "status": "error", "status_extra": {"error_detail": detail}})
    assert torrent.state is TorrentState.ERROR
    assert torrent.error == message


@pytest.mark.parametrize(
    ("extra", "state", "error"),
    [
        (None, TorrentState.DOWNLOADING, None),
        ({}, TorrentState.DOWNLOADING, None),
        ({"unzip_progress": 40}, TorrentState.DOWNLOADING, None),
        ({"error_detail": ""}, TorrentState.DOWNLOADING, None),
        ({"error_detail": "torrent_duplicate"}, TorrentState.ERROR, "duplicate torrent"),
        ({"error_detail": "brand_new_reason"}, TorrentState.ERROR, "brand_new_reason"),
        ({"error_detail": {"code": 7}}, TorrentState.ERROR, '{"code":7}'),
    ],
)
def test_status_extra_shapes(extra: Any, state: TorrentState, error: str | None) -> None:
    task: dict[str, Any] = {"id": "dbid_1", "type": "bt", "status": "downloading", "size": 100}
    if extra is not None:
        task["status_extra"] = extra
    torrent = map_task(task)
    assert (torrent.state, torrent.error) == (state, error)


def test_error_status_without_detail_still_says_error() -> None:
    torrent = map_task({"id": "dbid_1", "status": "error"})
    assert (torrent.state, torrent.error) == (TorrentState.ERROR, "unknown error")


def test_a_missing_status_extra_key_is_fine() -> None:
    assert map_task({"id": "dbid_1", "status": "seeding"}).error is None


@pytest.mark.parametrize(
    ("size", "downloaded", "speed", "progress", "eta"),
    [
        (1000, 250, 250, 0.25, 3),
        (1000, 250, 0, 0.25, None),
        (1000, 1000, 10, 1.0, 0),
        (1000, 3000, 10, 1.0, 0),  # after seeding, size_downloaded can exceed size
        (0, 0, 10, 0.0, None),
    ],
)
def test_progress_and_eta(size: int, downloaded: int, speed: int, progress: float, eta: int | None) -> None:
    task = {
        "id": "dbid_1",
        "type": "bt",
        "status": "downloading",
        "size": size,
        "additional": {"transfer": {"size_downloaded": downloaded, "speed_download": speed}},
    }
    torrent = map_task(task)
    assert torrent.progress == pytest.approx(progress)
    assert torrent.eta == eta


@pytest.mark.parametrize(
    ("status", "transfer", "progress", "downloaded"),
    [
        ("seeding", None, 1.0, 100),  # no transfer block: complete, so the whole size
        (8, None, 1.0, 100),
        ("finished", None, 1.0, 100),
        ("seeding", {"size_downloaded": 60}, 1.0, 60),  # reported: kept (some files unwanted)
        ("seeding", {"size_downloaded": "junk"}, 1.0, 100),
        ("downloading", None, 0.0, 0),  # unfinished and not reported: nothing to show
        ("paused", None, 0.0, 0),
        ("waiting", {"size_downloaded": 30}, 0.3, 30),
    ],
)
def test_seeding_and_finished_are_complete_with_or_without_transfer(
    status: Any, transfer: dict[str, Any] | None, progress: float, downloaded: int
) -> None:
    task: dict[str, Any] = {"id": "dbid_1", "type": "bt", "status": status, "size": 100}
    if transfer is not None:
        task["additional"] = {"transfer": transfer}
    torrent = map_task(task)
    assert (torrent.progress, torrent.downloaded) == (pytest.approx(progress), downloaded)
    if transfer is None:
        assert torrent.ratio is None  # a ratio only of reported amounts


@pytest.mark.parametrize(
    ("total", "leechers", "expected"),
    [
        (0, 6, None),  # DS writes 0 for "not known", even beside connected peers
        (0, 0, None),
        ("0", 6, None),
        (None, 6, None),
        (3, 6, 6),  # fewer than connected: at least the connected ones
        (40, 2, 40),
        (40, None, 40),
    ],
)
def test_total_peers_of_zero_is_unknown(total: Any, leechers: int | None, expected: int | None) -> None:
    detail: dict[str, Any] = {"total_peers": total}
    if leechers is not None:
        detail["connected_leechers"] = leechers
    torrent = map_task({"id": "dbid_1", "type": "bt", "status": "downloading", "additional": {"detail": detail}})
    assert (torrent.peers_total, torrent.peers_connected) == (expected, leechers)


@pytest.mark.parametrize(("downloaded", "uploaded", "ratio"), [(0, 0, None), (0, 50, None), (100, 50, 0.5)])
def test_ratio(downloaded: int, uploaded: int, ratio: float | None) -> None:
    transfer = {"size_downloaded": downloaded, "size_uploaded": uploaded}
    torrent = map_task({"id": "dbid_1", "status": "seeding", "size": 100, "additional": {"transfer": transfer}})
    assert torrent.ratio == ratio


@pytest.mark.parametrize(
    ("value", "expected"), [(0, None), ("0", None), (None, None), (-5, None), ("1341210005", 2012)]
)
def test_dates(value: Any, expected: int | None) -> None:
    detail = {"create_time": value, "completed_time": value}
    torrent = map_task({"id": "dbid_1", "status": "finished", "additional": {"detail": detail}})
    assert (torrent.added_at.year if torrent.added_at else None) == expected
    assert (torrent.completed_at.year if torrent.completed_at else None) == expected
    if torrent.added_at is not None:
        assert torrent.added_at.utcoffset() is not None


def test_paused_with_everything_is_completed_and_magnets_without_metadata_are_metadata() -> None:
    done = {
        "id": "dbid_1",
        "type": "bt",
        "status": "paused",
        "size": 10,
        "additional": {"transfer": {"size_downloaded": 10}},
    }
    assert map_task(done).state is TorrentState.COMPLETED
    half = {
        "id": "dbid_1",
        "type": "bt",
        "status": "paused",
        "size": 10,
        "additional": {"transfer": {"size_downloaded": 5}},
    }
    assert map_task(half).state is TorrentState.PAUSED
    assert map_task({"id": "dbid_1", "type": "bt", "status": "downloading", "size": 0}).state is TorrentState.METADATA
    # A plain download of unknown size is just downloading.
    assert (
        map_task({"id": "dbid_1", "type": "http", "status": "downloading", "size": 0}).state is TorrentState.DOWNLOADING
    )


@pytest.mark.parametrize("kind", ["http", "https", "ftp", "nzb", "emule"])
def test_non_bittorrent_tasks_have_no_info_hash(kind: str) -> None:
    uri = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"
    torrent = map_task({"id": "dbid_1", "type": kind, "status": "downloading", "additional": {"detail": {"uri": uri}}})
    assert torrent.info_hash is None


def test_info_hash_from_a_base32_magnet_and_from_the_upload_record() -> None:
    base32 = "magnet:?xt=urn:btih:AERUKZ4JVPG66AJDIVTYTK6N54ASGRLH"
    torrent = map_task({"id": "dbid_1", "type": "bt", "status": "waiting", "additional": {"detail": {"uri": base32}}})
    assert torrent.info_hash == "0123456789abcdef0123456789abcdef01234567"
    uploaded = {"id": "dbid_2", "type": "bt", "status": "waiting", "additional": {"detail": {"uri": "Some.Name"}}}
    assert map_task(uploaded, "ab" * 20).info_hash == "ab" * 20
    assert map_task(uploaded).info_hash is None


HEX = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        (f"magnet:?xt=urn:btih:{HEX}", HEX),  # the usual link: recognised in Rust, sliced in Python
        (f"magnet:?xt=urn:btih:{HEX.upper()}&dn=x", HEX),
        (f"magnet:?dn=x&xt=urn:btih:{HEX}", HEX),  # the btih not first: the full search
        ("magnet:?xt=urn:btih:AERUKZ4JVPG66AJDIVTYTK6N54ASGRLH&tr=x", HEX),
        (f"magnet:?xt=urn:btih:{HEX}0", None),  # 41 digits: not a hash
        (f"magnet:?xt=urn:btih:{HEX[:-1]}g", None),
        (f"MAGNET:?xt=urn:btih:{HEX}", HEX),
        (f"http://x/?xt=urn:btih:{HEX}", None),
    ],
)
def test_listing_and_single_task_read_the_same_info_hash(uri: str, expected: str | None) -> None:
    task = {"id": "dbid_1", "type": "BT", "status": "waiting", "additional": {"detail": {"uri": uri}}}
    assert map_task(task).info_hash == expected
    listed = TASK_MODEL.many_json(json.dumps({"success": True, "data": {"tasks": [task]}}).encode(), ("data", "tasks"))
    assert listed is not None and listed[0].info_hash == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(5, 5), ("5", 5), (" 7 ", 7), (5.7, 5.7), ("5.0", 5.0), (None, None), ("", "")]
)
def test_numbers_written_as_text_are_read_as_numbers(value: Any, expected: Any) -> None:
    assert as_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(3, 3), ("3", 3), ("-1", -1), ("3.5", None), ("x", None), (True, None)]
)
def test_whole_reads_codes_and_versions(value: Any, expected: int | None) -> None:
    assert whole(value) == expected


@pytest.mark.parametrize("value", ["five", True, [1], "nan", -5])
def test_odd_numbers_read_as_unknown_not_as_a_failed_list(value: Any) -> None:
    item = map_file({"filename": "f", "size": value, "size_downloaded": value}, 0)
    assert (item.size, item.downloaded) == (0, 0)
    peer = map_peer({"address": "1.2.3.4:1", "speed_download": value, "progress": value})
    assert (peer.download_speed, peer.progress) == (0, 0.0)


def test_tracker_counts_of_minus_one_or_text_are_unknown() -> None:
    tracker = map_tracker({"url": "udp://t", "seeds": -1, "peers": "12"})
    assert (tracker.seeds, tracker.peers) == (None, 12)


def test_ds2_file_entries_use_name_and_position() -> None:
    item = map_file({"name": "a/b.bin", "size": "10", "size_downloaded": "10", "priority": "high"}, 4)
    assert (item.index, item.path, item.progress, item.priority, item.wanted) == (
        4,
        "a/b.bin",
        1.0,
        FilePriority.HIGH,
        True,
    )
    assert map_file({"filename": "c", "priority": "weird"}, 0).priority is FilePriority.NORMAL


def test_peer_progress_as_percentage_is_scaled() -> None:
    assert map_peer({"address": "1.2.3.4:1", "progress": 50}).progress == 0.5


@pytest.mark.parametrize("bad", [[], {"status": "seeding"}, {"id": ""}, {"id": 7}])
def test_a_task_without_an_id_is_a_protocol_error(bad: Any) -> None:
    with pytest.raises(ProtocolError):
        map_task(bad)
