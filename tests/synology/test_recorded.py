"""Readings of replies recorded from real NASes (``recorded.py``), row by row, through both parse paths."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, NamedTuple

import pytest

from enunclic import FilePriority, Torrent, TorrentState
from enunclic.backends.synology.mapping import TASK_MODEL, map_file, map_task

from . import recorded


class Row(NamedTuple):
    """What one recorded task must read as."""

    state: TorrentState
    native: str
    progress: float
    size: int
    downloaded: int
    seeds_connected: int
    peers_connected: int
    info_hash: str | None
    completed_at: int | None
    error: str | None = None


_HA_HASH = "1234abcd" * 5

#: DSM 6 v1 list (additional=detail,file: no transfer block). A finished task's data is complete;
#: an unfinished one's amount is not reported and reads 0. total_peers is 0 on every row: unknown.
V1_ROWS = {
    "dbid_86": Row(TorrentState.DOWNLOADING, "downloading", 0.0, 5196586484, 0, 0, 0, _HA_HASH, None),
    "dbid_164": Row(TorrentState.DOWNLOADING, "downloading", 0.0, 1986298376, 0, 0, 0, _HA_HASH, None),
    # 50 seeders connected beside total_peers 0; no size yet: a magnet still fetching its metadata.
    "dbid_486": Row(TorrentState.METADATA, "downloading", 0.0, 0, 0, 50, 0, _HA_HASH, None),
    "dbid_518": Row(TorrentState.PAUSED, "paused", 0.0, 391580448, 0, 1, 0, _HA_HASH, None),
    "dbid_522": Row(TorrentState.COMPLETED, "finished", 1.0, 5731285821, 5731285821, 0, 0, _HA_HASH, 1591565351),
    "dbid_531": Row(TorrentState.COMPLETED, "finished", 1.0, 2811892495, 2811892495, 0, 0, None, 1591566799),
    "dbid_533": Row(TorrentState.ERROR, "error", 0.0, 0, 0, 0, 0, None, None, "unknown error"),
    "dbid_549": Row(TorrentState.ERROR, "error", 0.0, 0, 0, 0, 0, None, None, "broken link"),
}

#: DSM 7 DS2 list (additional=detail): seeding (8) without a transfer block is complete.
DS2_ROWS = {
    "dbid_3": Row(TorrentState.SEEDING, "8", 1.0, 3442075843, 3442075843, 0, 0, None, 1691154531),
    "dbid_4": Row(TorrentState.SEEDING, "8", 1.0, 19642595383, 19642595383, 0, 0, None, 1691156548),
}


def _tasks(reply: dict[str, Any]) -> list[dict[str, Any]]:
    data = reply["data"]
    return list(data["tasks"] if "tasks" in data else data["task"])


def _check(torrent: Torrent, task: dict[str, Any], row: Row) -> None:
    detail = task["additional"]["detail"]
    assert (torrent.state, torrent.native_state, torrent.progress) == (row.state, row.native, row.progress)
    assert (torrent.size, torrent.downloaded, torrent.uploaded) == (row.size, row.downloaded, 0)
    assert (torrent.seeds_connected, torrent.peers_connected) == (row.seeds_connected, row.peers_connected)
    assert torrent.peers_total is None  # DS's 0: not known
    assert torrent.seeds_total is None
    assert torrent.ratio is None  # nothing reported, nothing to divide
    assert torrent.eta is None
    assert torrent.info_hash == row.info_hash
    assert torrent.error == row.error
    assert torrent.name == task["title"]
    assert torrent.destination == detail["destination"]
    assert torrent.added_at == datetime.fromtimestamp(detail["create_time"], timezone.utc)
    expected_done = None if row.completed_at is None else datetime.fromtimestamp(row.completed_at, timezone.utc)
    assert torrent.completed_at == expected_done


@pytest.mark.parametrize(
    ("reply", "rows"),
    [(recorded.V1_LIST_DSM6_HA_LIB, V1_ROWS), (recorded.DS2_LIST_DSM7_PROWLARR_1812, DS2_ROWS)],
    ids=["v1-dsm6", "ds2-dsm7"],
)
def test_each_recorded_task_reads_as_its_row(reply: dict[str, Any], rows: dict[str, Row]) -> None:
    tasks = _tasks(reply)
    assert [t["id"] for t in tasks] == list(rows)
    for task in tasks:
        _check(map_task(task), task, rows[task["id"]])


def test_the_recorded_v1_page_reads_the_same_from_bytes() -> None:
    raw = json.dumps(recorded.V1_LIST_DSM6_HA_LIB).encode()
    page = TASK_MODEL.page_json(raw, ("data", "tasks"), checks={("success",): True}, values=(("data", "total"),))
    assert page is not None and page.values[("data", "total")] == 8
    assert page.items == [map_task(t) for t in _tasks(recorded.V1_LIST_DSM6_HA_LIB)]


def test_the_recorded_file_list_reads_priorities_and_wanted() -> None:
    (task, *_) = _tasks(recorded.V1_LIST_DSM6_HA_LIB)
    files = [map_file(item, n) for n, item in enumerate(task["additional"]["file"])]
    assert [(f.index, f.priority, f.wanted) for f in files[:3]] == [
        (0, FilePriority.LOW, True),
        (1, FilePriority.NORMAL, True),
        (2, FilePriority.SKIP, False),  # wanted: false
    ]
