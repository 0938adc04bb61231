"""The µTorrent tables row by row: status bits, list rows, file priorities, trackers, settings, error texts."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from enunclic.backends.utorrent.codes import ERRORS, error_for
from enunclic.backends.utorrent.mapping import (
    FILE_PRIORITIES,
    PRIORITY_VALUES,
    STATUS_RULES,
    Column,
    setting_value,
    state_of,
    to_file,
    to_torrents,
    to_trackers,
)
from enunclic.plugin import (
    FilePriority,
    InvalidInputError,
    ServerError,
    TorrentNotFoundError,
    TorrentState,
)

HASH = "CBC2F069FE8BB2F544EAE707D75BCD3DE9DCF951"  # the hash in Sonarr's UTorrentFixture

# Status values: sums of 1 started, 2 checking, 8 checked, 16 error, 32 paused, 64 queued, 128 loaded.
STATES = [
    (201, 500, 100, TorrentState.DOWNLOADING),  # started by the queue (Sonarr: Started|Queued|Loaded)
    (201, 1000, 100, TorrentState.SEEDING),
    (137, 500, 100, TorrentState.DOWNLOADING),  # force-started: no queued bit
    (233, 500, 100, TorrentState.PAUSED),  # started|checked|paused|queued|loaded
    (233, 1000, 100, TorrentState.COMPLETED),
    (136, 500, 100, TorrentState.PAUSED),  # stopped (checked|loaded)
    (136, 1000, 100, TorrentState.COMPLETED),  # the WebUI's "Finished"
    (128, 0, 100, TorrentState.PAUSED),
    (0, 0, 100, TorrentState.PAUSED),
    (200, 0, 100, TorrentState.QUEUED),  # waiting for a queue slot (Sonarr: Queued|Loaded)
    (200, 1000, 100, TorrentState.QUEUED),  # a queued seed
    (130, 400, 100, TorrentState.CHECKING),
    (194, 400, 100, TorrentState.CHECKING),  # checking|queued|loaded
    (162, 400, 100, TorrentState.PAUSED),  # paused while checking: the WebUI shows it paused
    (152, 900, 100, TorrentState.ERROR),
    (145, 900, 100, TorrentState.ERROR),  # started and in error: the error shows (the WebUI would show downloading)
    (193, 0, 0, TorrentState.METADATA),  # started, no size yet: a magnet without metadata
    (136, 0, 0, TorrentState.PAUSED),
    (256, 0, 100, TorrentState.UNKNOWN),
    (-1, 0, 100, TorrentState.UNKNOWN),
    ("201", 0, 100, TorrentState.UNKNOWN),
    (True, 0, 100, TorrentState.UNKNOWN),
    (None, 0, 100, TorrentState.UNKNOWN),
]


@pytest.mark.parametrize(("status", "per_mille", "size", "expected"), STATES)
def test_state_of(status: Any, per_mille: int, size: int, expected: TorrentState) -> None:
    assert state_of(status, per_mille, size) is expected


def test_every_status_rule_is_reached() -> None:
    reached = {state_of(int(flag) | 128, 500, 100) for flag, _, _ in STATUS_RULES}
    assert reached == {running for _, running, _ in STATUS_RULES}


def row(**cells: Any) -> list[Any]:
    """A 27-column row of µTorrent 3.x with the given cells (by Column name) set."""
    values: list[Any] = [HASH, 201, "name", 1000, 1000, 1000, 0, 0, 0, 0, 0, "", 0, 0, 0, 0, 65536, -1, 0,
                         "", "", "Seeding", "", 1700000000, 1700000100, "", "/data"]  # fmt: skip
    for name, value in cells.items():
        values[Column[name.upper()]] = value
    return values


def test_the_queued_ubuntu_row_of_ctrl_utorrent() -> None:
    """The values @ctrl/utorrent's tests assert for a freshly added torrent on a real µTorrent."""
    (torrent,) = to_torrents(
        [
            row(
                status=200,
                name="ubuntu-18.04.1-desktop-amd64.iso",
                size=1953349632,
                progress=0,
                downloaded=0,
                queue_order=1,
                remaining=1953349632,
                save_path="/utorrent/data/incomplete",
                completed=0,
                status_message="Queued",
            )
        ]
    )
    assert torrent.id == torrent.info_hash == HASH.lower()
    assert (torrent.state, torrent.native_state) == (TorrentState.QUEUED, "200")
    assert (torrent.size, torrent.progress, torrent.downloaded) == (1953349632, 0.0, 0)
    assert (torrent.queue_position, torrent.label, torrent.eta, torrent.ratio) == (0, None, None, None)
    assert torrent.destination == "/utorrent/data/incomplete"
    assert torrent.completed_at is None
    assert torrent.added_at == datetime.fromtimestamp(1700000000, timezone.utc)


def test_a_seeding_row_reads_every_column() -> None:
    (torrent,) = to_torrents(
        [
            row(
                downloaded=800,
                uploaded=1600,
                ratio=2000,
                upload_speed=300,
                download_speed=0,
                eta=0,
                label="tv",
                peers_connected=2,
                peers_swarm=9,
                seeds_connected=1,
                seeds_swarm=4,
                queue_order=-1,
            )
        ]
    )
    assert (torrent.state, torrent.progress, torrent.ratio) == (TorrentState.SEEDING, 1.0, 2.0)
    assert (torrent.uploaded, torrent.upload_speed, torrent.download_speed) == (1600, 300, 0)
    assert (torrent.peers_connected, torrent.peers_total, torrent.seeds_connected, torrent.seeds_total) == (2, 9, 1, 4)
    assert (torrent.label, torrent.queue_position, torrent.eta, torrent.error) == ("tv", None, None, None)


def test_an_error_row_carries_the_status_message() -> None:
    (torrent,) = to_torrents([row(status=152, status_message="Error: Files missing from job. Please recheck.")])
    assert torrent.state is TorrentState.ERROR
    assert torrent.error == "Error: Files missing from job. Please recheck."
    (bare,) = to_torrents([row(status=152)[:19]])
    assert bare.error == "µTorrent reports an error for this torrent"


def test_a_row_of_a_build_before_3_0_has_no_dates_or_path() -> None:
    (torrent,) = to_torrents([row(eta=3600, label=" ", progress=250)[:19]])
    assert (torrent.added_at, torrent.completed_at, torrent.destination) == (None, None, None)
    assert (torrent.eta, torrent.label, torrent.progress, torrent.state) == (3600, None, 0.25, TorrentState.DOWNLOADING)


def test_odd_cells_read_as_unknown_and_rows_without_a_hash_are_left_out() -> None:
    odd = row(size="big", progress=1200, downloaded=-5, eta=-1, peers_connected=None, added="yesterday", name=None)
    torrents = to_torrents([odd, ["not a hash", 201], [], "no row", None])
    assert len(torrents) == 1
    (torrent,) = torrents
    assert (torrent.size, torrent.progress, torrent.downloaded, torrent.eta) == (0, 1.0, 0, None)
    assert (torrent.peers_connected, torrent.added_at, torrent.name) == (None, None, HASH.lower())


@pytest.mark.parametrize(("native", "priority"), [(0, "skip"), (1, "low"), (2, "normal"), (3, "high"), (7, "normal")])
def test_file_priorities(native: int, priority: str) -> None:
    file = to_file(2, ["dir/a.bin", 400, 100, native, 0, 1, True, 0, 0, 0, 0, 0])  # µTorrent 3 adds columns
    assert (file.index, file.path, file.size, file.downloaded, file.progress) == (2, "dir/a.bin", 400, 100, 0.25)
    assert file.priority == priority
    assert file.wanted is (priority != "skip")


def test_priority_values_write_back_what_getfiles_reads() -> None:
    assert {FILE_PRIORITIES[PRIORITY_VALUES[p]] for p in FilePriority} == set(FilePriority)


def test_odd_file_rows() -> None:
    assert to_file(0, ["a", 0, 0, 2]).progress == 0.0
    assert to_file(0, ["a", 10, 99, 2]).downloaded == 10
    assert to_file(1, "junk").path == ""


def test_trackers_split_tiers_and_blank_lines() -> None:
    text = "http://a/announce\r\n\r\nudp://b:80\r\nudp://c:80\r\n"
    assert [t.url for t in to_trackers(text)] == ["http://a/announce", "udp://b:80", "udp://c:80"]
    assert to_trackers("") == to_trackers(None) == []


@pytest.mark.parametrize(("value", "number"), [("0", 0.0), ("120", 120.0), (5, 5.0), ("fast", None), (None, None)])
def test_setting_values(value: Any, number: float | None) -> None:
    assert setting_value(value) == number


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Can't add torrent: the torrent file is invalid", InvalidInputError),
        ("not a valid torrent file", InvalidInputError),
        ("torrent not found", TorrentNotFoundError),
        ("disk full", ServerError),
        ("", ServerError),
    ],
)
def test_error_texts(text: str, kind: type[Exception]) -> None:
    error = error_for(text)
    assert type(error) is kind
    assert "µTorrent refused the request" in str(error)


def test_every_error_pattern_is_reached() -> None:
    assert {cls for _, cls in ERRORS} == {InvalidInputError, TorrentNotFoundError}
