"""Transmission values -> enunclic models, row by row (no daemon needed)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from enunclic import FilePriority, ProtocolError, TorrentState, TrackerStatus
from enunclic.backends.transmission.api import (
    LEGACY_ARGUMENTS,
    LEGACY_TORRENT_FIELDS,
    Dialect,
    Method,
    legacy_arguments,
    snake,
    snake_keys,
)
from enunclic.backends.transmission.mapping import (
    ERROR_STATES,
    FILE_PRIORITIES,
    STATUS_STATES,
    Phase,
    to_file,
    to_peer,
    to_torrent,
    to_tracker,
    tracker_status,
)

HASH = "41c0c48d7eac394dc4f9b83c4b7704f9d0a7afa0"

# Every (status, phase) pair with the state it must give: the table is data, so is this.
EXPECTED_STATES = {
    (0, Phase.METADATA): TorrentState.PAUSED,
    (0, Phase.INCOMPLETE): TorrentState.PAUSED,
    (0, Phase.COMPLETE): TorrentState.COMPLETED,
    (1, Phase.METADATA): TorrentState.CHECKING,
    (1, Phase.INCOMPLETE): TorrentState.CHECKING,
    (1, Phase.COMPLETE): TorrentState.CHECKING,
    (2, Phase.METADATA): TorrentState.CHECKING,
    (2, Phase.INCOMPLETE): TorrentState.CHECKING,
    (2, Phase.COMPLETE): TorrentState.CHECKING,
    (3, Phase.METADATA): TorrentState.QUEUED,
    (3, Phase.INCOMPLETE): TorrentState.QUEUED,
    (3, Phase.COMPLETE): TorrentState.QUEUED,
    (4, Phase.METADATA): TorrentState.METADATA,
    (4, Phase.INCOMPLETE): TorrentState.DOWNLOADING,
    (4, Phase.COMPLETE): TorrentState.DOWNLOADING,
    (5, Phase.METADATA): TorrentState.QUEUED,
    (5, Phase.INCOMPLETE): TorrentState.QUEUED,
    (5, Phase.COMPLETE): TorrentState.QUEUED,
    (6, Phase.METADATA): TorrentState.SEEDING,
    (6, Phase.INCOMPLETE): TorrentState.SEEDING,
    (6, Phase.COMPLETE): TorrentState.SEEDING,
}


def test_the_table_covers_every_status_and_phase() -> None:
    assert set(STATUS_STATES) == {(s, p) for s in range(7) for p in Phase}


#: Each phase as a torrent_get object shows it: metadata and data done.
PHASE_FIELDS: dict[Phase, dict[str, Any]] = {
    Phase.METADATA: {"metadata_percent_complete": 0.5, "percent_done": 0},
    Phase.INCOMPLETE: {"metadata_percent_complete": 1, "percent_done": 0.5},
    Phase.COMPLETE: {"metadata_percent_complete": 1.0, "percent_done": 1.0},
}


def _state(status: Any, error: Any = 0, phase: Phase = Phase.INCOMPLETE, **fields: Any) -> TorrentState:
    return to_torrent(_raw(status=status, error=error, **PHASE_FIELDS[phase], **fields)).state


@pytest.mark.parametrize(("key", "state"), sorted(STATUS_STATES.items(), key=lambda kv: (kv[0][0], kv[0][1].value)))
def test_status_table_row(key: tuple[int, Phase], state: TorrentState) -> None:
    status, phase = key
    assert EXPECTED_STATES[key] is state
    assert _state(status, 0, phase) is state


@pytest.mark.parametrize("status", [0, 2, 4, 6])
@pytest.mark.parametrize(("error", "expected"), sorted(ERROR_STATES.items()))
def test_a_local_error_overrides_every_status(status: int, error: int, expected: TorrentState) -> None:
    assert _state(status, error, Phase.INCOMPLETE) is expected


@pytest.mark.parametrize("error", [1, 2])
def test_tracker_warnings_and_errors_leave_the_state(error: int) -> None:
    assert _state(6, error, Phase.COMPLETE) is TorrentState.SEEDING


@pytest.mark.parametrize("status", [7, -1, 99, "6", None, True, 4.0])
def test_unknown_status_values_are_unknown(status: Any) -> None:
    assert _state(status, 0, Phase.COMPLETE) is TorrentState.UNKNOWN


@pytest.mark.parametrize("error", ["3", 3.0, None, True])
def test_an_error_code_of_another_type_is_no_error(error: Any) -> None:
    assert _state(6, error, Phase.COMPLETE) is TorrentState.SEEDING


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"metadata_percent_complete": 0, "percent_done": 0}, TorrentState.METADATA),
        ({"metadata_percent_complete": 0.5, "percent_done": 0}, TorrentState.METADATA),
        ({"metadata_percent_complete": 1, "percent_done": 0.5}, TorrentState.DOWNLOADING),
        ({"metadata_percent_complete": 1.0, "percent_done": 1.0}, TorrentState.DOWNLOADING),
        ({"percent_done": 0.5}, TorrentState.DOWNLOADING),  # no metadata field: assume it is there
        ({"metadata_percent_complete": "0", "percent_done": 0.5}, TorrentState.DOWNLOADING),  # not a number
    ],
)
def test_the_phase_is_read_from_metadata_and_data_done(fields: dict[str, Any], state: TorrentState) -> None:
    raw = _raw(status=4, **fields)
    if "metadata_percent_complete" not in fields:
        raw.pop("metadata_percent_complete", None)
    assert to_torrent(raw).state is state


def _raw(**overrides: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": 1,
        "hash_string": HASH.upper(),
        "name": "a.bin",
        "status": 6,
        "error": 0,
        "error_string": "",
        "percent_done": 1,
        "metadata_percent_complete": 1,
        "size_when_done": 98304,
        "downloaded_ever": 10,
        "uploaded_ever": 20,
        "upload_ratio": 2.0,
        "rate_download": 5,
        "rate_upload": 7,
        "eta": 30,
        "download_dir": "/data",
        "added_date": 1700000000,
        "done_date": 0,
        "peers_connected": 3,
        "peers_sending_to_us": 1,
        "queue_position": 2,
        "labels": ["movies", "other"],
    }
    raw.update(overrides)
    return raw


_ABSENT = object()


@pytest.mark.parametrize(
    ("status", "state", "text"),
    [
        (4, TorrentState.DOWNLOADING, "4"),
        (6, TorrentState.SEEDING, "6"),
        (99, TorrentState.UNKNOWN, "99"),
        (True, TorrentState.UNKNOWN, "True"),
        ("4", TorrentState.UNKNOWN, "4"),
        (4.0, TorrentState.UNKNOWN, "4.0"),
        (None, TorrentState.UNKNOWN, "None"),
        (_ABSENT, TorrentState.UNKNOWN, "None"),
        ([4], TorrentState.UNKNOWN, "[4]"),
    ],
)
def test_the_status_as_state_and_as_text_whatever_its_type(status: Any, state: TorrentState, text: str) -> None:
    raw = _raw(percent_done=0.5)
    if status is _ABSENT:
        del raw["status"]
    else:
        raw["status"] = status
    torrent = to_torrent(raw)
    assert (torrent.state, torrent.native_state) == (state, text)
    assert torrent.info_hash == torrent.id == HASH


def test_a_full_torrent() -> None:
    torrent = to_torrent(_raw())
    assert torrent.id == torrent.info_hash == HASH
    assert torrent.state is TorrentState.SEEDING
    assert torrent.native_state == "6"
    assert (torrent.size, torrent.downloaded, torrent.uploaded) == (98304, 10, 20)
    assert (torrent.download_speed, torrent.upload_speed, torrent.eta, torrent.ratio) == (5, 7, 30, 2.0)
    assert torrent.label == "movies"
    assert torrent.destination == "/data"
    assert torrent.added_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert torrent.completed_at is None  # doneDate 0 means not done
    assert (torrent.peers_connected, torrent.seeds_connected, torrent.queue_position) == (3, 1, 2)
    assert torrent.error is None


@pytest.mark.parametrize(("ratio", "expected"), [(-1, None), (-2, None), (0, 0.0), (1.5, 1.5)])
def test_ratio_sentinels(ratio: float, expected: float | None) -> None:
    assert to_torrent(_raw(upload_ratio=ratio)).ratio == expected


@pytest.mark.parametrize(("eta", "expected"), [(-1, None), (-2, None), (0, 0), (86400, 86400)])
def test_eta_sentinels(eta: int, expected: int | None) -> None:
    assert to_torrent(_raw(eta=eta)).eta == expected


def test_no_labels_field_means_no_label() -> None:
    raw = _raw()
    del raw["labels"]
    assert to_torrent(raw).label is None
    assert to_torrent(_raw(labels=[])).label is None


@pytest.mark.parametrize(
    ("error", "text", "shown", "state"),
    [
        (1, "tracker warning", None, TorrentState.SEEDING),
        (2, "tracker said no", "tracker said no", TorrentState.SEEDING),
        (3, "No data found", "No data found", TorrentState.ERROR),
        (0, "stale text", None, TorrentState.SEEDING),
        (3, "", None, TorrentState.ERROR),  # an error without a text: no text
        (3, 42, None, TorrentState.ERROR),  # a text that is not one
    ],
)
def test_error_text(error: int, text: Any, shown: str | None, state: TorrentState) -> None:
    torrent = to_torrent(_raw(error=error, error_string=text))
    assert (torrent.error, torrent.state) == (shown, state)


def test_an_out_of_range_progress_is_clamped_and_junk_numbers_are_zero() -> None:
    torrent = to_torrent(_raw(percent_done=1.2, rate_download="fast", size_when_done=None))
    assert torrent.progress == 1.0
    assert torrent.download_speed == 0
    assert torrent.size == 0


@pytest.mark.parametrize("bad", [None, "abc", 123, "41c0"])
def test_a_torrent_without_a_hash_is_a_protocol_error(bad: Any) -> None:
    with pytest.raises(ProtocolError):
        to_torrent(_raw(hash_string=bad))


@pytest.mark.parametrize(("native", "priority"), sorted(FILE_PRIORITIES.items()))
def test_file_priority_row(native: int, priority: FilePriority) -> None:
    file = to_file(0, {"name": "d/a", "length": 100}, {"bytes_completed": 50, "wanted": 1, "priority": native})
    assert file.priority is priority
    assert file.wanted is True
    assert (file.path, file.size, file.downloaded, file.progress) == ("d/a", 100, 50, 0.5)


@pytest.mark.parametrize("wanted", [0, False])
def test_an_unwanted_file_is_skipped(wanted: Any) -> None:
    file = to_file(3, {"name": "a", "length": 0}, {"bytes_completed": 0, "wanted": wanted, "priority": 1})
    assert (file.index, file.priority, file.wanted, file.progress) == (3, FilePriority.SKIP, False, 0.0)


@pytest.mark.parametrize(
    ("stats", "status"),
    [
        ({"announce_state": 0}, TrackerStatus.DISABLED),
        ({"announce_state": 3, "has_announced": True}, TrackerStatus.UPDATING),
        ({"announce_state": 1, "has_announced": False}, TrackerStatus.NOT_CONTACTED),
        ({"announce_state": 1, "has_announced": True, "last_announce_succeeded": True}, TrackerStatus.WORKING),
        ({"announce_state": 2, "has_announced": True, "last_announce_succeeded": False}, TrackerStatus.ERROR),
    ],
)
def test_tracker_status(stats: dict[str, Any], status: TrackerStatus) -> None:
    assert tracker_status(stats) is status


def test_tracker() -> None:
    tracker = to_tracker(
        {
            "announce": "http://t/announce",
            "announce_state": 1,
            "has_announced": True,
            "last_announce_succeeded": False,
            "last_announce_result": "Could not connect to tracker",
            "seeder_count": -1,
            "leecher_count": 4,
        }
    )
    assert tracker.url == "http://t/announce"
    assert tracker.status is TrackerStatus.ERROR
    assert (tracker.seeds, tracker.peers) == (None, 4)
    assert tracker.message == "Could not connect to tracker"


@pytest.mark.parametrize(("host", "address"), [("10.0.0.1", "10.0.0.1:51413"), ("::1", "[::1]:51413")])
def test_peer(host: str, address: str) -> None:
    peer = to_peer(
        {
            "address": host,
            "port": 51413,
            "client_name": "Transmission 3.00",
            "progress": 0.25,
            "rate_to_client": 100,
            "rate_to_peer": 200,
        }
    )
    assert peer.address == address
    assert (peer.client, peer.progress, peer.download_speed, peer.upload_speed) == (
        "Transmission 3.00",
        0.25,
        100,
        200,
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hashString", "hash_string"),
        ("rpc-version", "rpc_version"),
        ("isUTP", "is_utp"),
        ("torrent-added", "torrent_added"),
        ("speed-limit-down-enabled", "speed_limit_down_enabled"),
        ("begin_piece", "begin_piece"),
        ("downloadSpeed", "download_speed"),
        ("size-bytes", "size_bytes"),
    ],
)
def test_incoming_names_become_snake_case(name: str, expected: str) -> None:
    assert snake(name) == expected


def test_snake_keys_converts_nested_keys_not_values() -> None:
    converted = snake_keys({"torrents": [{"hashString": "camelValue", "fileStats": [{"bytesCompleted": 1}]}]})
    assert converted == {"torrents": [{"hash_string": "camelValue", "file_stats": [{"bytes_completed": 1}]}]}


@pytest.mark.parametrize(("snake_name", "legacy"), sorted(LEGACY_TORRENT_FIELDS.items()))
def test_legacy_torrent_field_names_round_trip(snake_name: str, legacy: str) -> None:
    assert snake(legacy) == snake_name
    assert legacy_arguments(Method.TORRENT_GET, {"fields": [snake_name]}) == {"fields": [legacy]}


@pytest.mark.parametrize(("snake_name", "legacy"), sorted(LEGACY_ARGUMENTS.items()))
def test_legacy_argument_names_round_trip(snake_name: str, legacy: str) -> None:
    assert snake(legacy) == snake_name
    assert legacy_arguments(Method.TORRENT_SET, {snake_name: 1}) == {legacy: 1}


def test_download_dir_is_kebab_as_an_argument_and_camel_as_a_torrent_field() -> None:
    assert legacy_arguments(Method.TORRENT_ADD, {"download_dir": "/x"}) == {"download-dir": "/x"}
    assert legacy_arguments(Method.TORRENT_GET, {"fields": ["download_dir"]}) == {"fields": ["downloadDir"]}
    assert legacy_arguments(Method.SESSION_GET, {"fields": ["download_dir"]}) == {"fields": ["download-dir"]}


@pytest.mark.parametrize("method", list(Method))
def test_method_names_per_dialect(method: Method) -> None:
    assert method.wire_name(Dialect.JSONRPC) == method.value
    assert method.wire_name(Dialect.LEGACY) == method.value.replace("_", "-")
