"""Deluge status dicts -> enunclic models: the state table, priorities and converters, as data."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

from enunclic import (
    FilePriority,
    Peer,
    ProtocolError,
    Torrent,
    TorrentFile,
    TorrentState,
    Tracker,
    TrackerStatus,
)
from enunclic.convert import as_datetime as _epoch

__all__ = [
    "FILE_PRIORITY_FROM_NATIVE",
    "FILE_PRIORITY_TO_NATIVE",
    "STATES",
    "TORRENT_KEYS",
    "state_of",
    "to_files",
    "to_peer",
    "to_torrent",
    "to_tracker",
]

#: Keys asked of ``core.get_torrents_status``: exactly what ``to_torrent`` reads.
TORRENT_KEYS: Final[tuple[str, ...]] = (
    "name",
    "state",
    "progress",
    "total_wanted",
    "total_done",
    "total_uploaded",
    "ratio",
    "download_payload_rate",
    "upload_payload_rate",
    "eta",
    "label",
    "download_location",
    "time_added",
    "completed_time",
    "num_seeds",
    "total_seeds",
    "num_peers",
    "total_peers",
    "queue",
    "message",
    "is_finished",
)

#: Deluge ``state`` -> normalized state. ``paused`` is never read: Deluge 2.0.3 leaves it
#: false while the state is ``Paused``; the state wins.
STATES: Final[Mapping[str, TorrentState]] = {
    "Downloading": TorrentState.DOWNLOADING,
    "Seeding": TorrentState.SEEDING,
    "Paused": TorrentState.PAUSED,
    "Checking": TorrentState.CHECKING,
    "Queued": TorrentState.QUEUED,
    "Error": TorrentState.ERROR,
    "Allocating": TorrentState.CHECKING,
    "Moving": TorrentState.MOVING,
}

#: libtorrent file priorities 0..7 as Deluge reports them (its UI uses 0, 1, 4 and 7).
FILE_PRIORITY_FROM_NATIVE: Final[Mapping[int, FilePriority]] = {
    0: FilePriority.SKIP,
    1: FilePriority.LOW,
    2: FilePriority.LOW,
    3: FilePriority.NORMAL,
    4: FilePriority.NORMAL,
    5: FilePriority.HIGH,
    6: FilePriority.HIGH,
    7: FilePriority.HIGH,
}
FILE_PRIORITY_TO_NATIVE: Final[Mapping[FilePriority, int]] = {
    FilePriority.SKIP: 0,
    FilePriority.LOW: 1,
    FilePriority.NORMAL: 4,
    FilePriority.HIGH: 7,
}


def _number(status: Mapping[str, Any], key: str, default: float = 0) -> float:
    value = status.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProtocolError(f"Deluge answered {type(value).__name__} for {key!r}")
    if not math.isfinite(value):
        raise ProtocolError(f"Deluge answered a non-finite number for {key!r}")
    return value


def _count(status: Mapping[str, Any], key: str) -> int | None:
    value = int(_number(status, key, -1))
    return value if value >= 0 else None


def state_of(status: Mapping[str, Any]) -> TorrentState:
    """The table, refined: a paused torrent with all wanted data is completed; a download
    with nothing wanted yet is a magnet waiting for metadata."""
    state = STATES.get(str(status.get("state")), TorrentState.UNKNOWN)
    if state is TorrentState.PAUSED and status.get("is_finished") is True:
        return TorrentState.COMPLETED
    if state is TorrentState.DOWNLOADING and _number(status, "total_wanted") == 0:
        return TorrentState.METADATA
    return state


def to_torrent(info_hash: str, status: Any) -> Torrent:
    """One entry of ``core.get_torrents_status`` -> :class:`Torrent`."""
    if not isinstance(status, dict) or not isinstance(status.get("name"), str):
        raise ProtocolError("Deluge answered a torrent status of the wrong shape")
    state = state_of(status)
    ratio = _number(status, "ratio", -1)
    eta = int(_number(status, "eta"))
    label = status.get("label")
    location = status.get("download_location") or status.get("save_path")
    message = status.get("message")
    return Torrent(
        id=info_hash,
        info_hash=info_hash.lower(),
        name=status["name"],
        state=state,
        native_state=str(status.get("state")),
        progress=min(max(_number(status, "progress") / 100, 0.0), 1.0),
        size=max(int(_number(status, "total_wanted")), 0),
        downloaded=max(int(_number(status, "total_done")), 0),
        uploaded=max(int(_number(status, "total_uploaded")), 0),
        ratio=ratio if ratio >= 0 else None,
        download_speed=max(int(_number(status, "download_payload_rate")), 0),
        upload_speed=max(int(_number(status, "upload_payload_rate")), 0),
        eta=eta if eta > 0 else None,
        label=label if isinstance(label, str) and label else None,
        destination=location if isinstance(location, str) and location else None,
        added_at=_epoch(_number(status, "time_added")),
        completed_at=_epoch(_number(status, "completed_time")),
        seeds_connected=_count(status, "num_seeds"),
        seeds_total=_count(status, "total_seeds"),
        peers_connected=_count(status, "num_peers"),
        peers_total=_count(status, "total_peers"),
        queue_position=_count(status, "queue"),
        error=message if state is TorrentState.ERROR and isinstance(message, str) else None,
    )


def to_files(status: Any) -> list[TorrentFile]:
    """``files``, ``file_progress`` and ``file_priorities`` of one torrent -> files."""
    files, progress, priorities = status.get("files"), status.get("file_progress"), status.get("file_priorities")
    if not isinstance(files, list) or not isinstance(progress, list) or not isinstance(priorities, list):
        raise ProtocolError("Deluge answered files of the wrong shape")
    result = []
    for position, entry in enumerate(files):
        index = int(entry["index"])
        size = max(int(entry["size"]), 0)
        done = min(max(float(progress[index]) if index < len(progress) else 0.0, 0.0), 1.0)
        native = int(priorities[index]) if index < len(priorities) else 4
        priority = FILE_PRIORITY_FROM_NATIVE.get(native, FilePriority.NORMAL)
        result.append(
            TorrentFile(
                index=index if index >= 0 else position,
                path=str(entry["path"]),
                size=size,
                downloaded=int(size * done),
                progress=done,
                priority=priority,
                wanted=priority is not FilePriority.SKIP,
            )
        )
    return result


def to_tracker(entry: Any) -> Tracker:
    """One entry of ``trackers`` (libtorrent's announce entry, as Deluge passes it on)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        raise ProtocolError("Deluge answered a tracker of the wrong shape")
    error = entry.get("last_error")
    failed = int(entry.get("fails") or 0) > 0 or (isinstance(error, dict) and error.get("value", 0) != 0)
    if entry.get("updating"):
        status = TrackerStatus.UPDATING
    elif failed:
        status = TrackerStatus.ERROR
    elif entry.get("verified"):
        status = TrackerStatus.WORKING
    else:
        status = TrackerStatus.NOT_CONTACTED
    message = entry.get("message")
    seeds, peers = entry.get("scrape_complete"), entry.get("scrape_incomplete")
    return Tracker(
        url=entry["url"],
        status=status,
        seeds=seeds if isinstance(seeds, int) and seeds >= 0 else None,
        peers=peers if isinstance(peers, int) and peers >= 0 else None,
        message=message if isinstance(message, str) and message else None,
    )


def to_peer(entry: Any) -> Peer:
    """One entry of ``peers``."""
    if not isinstance(entry, dict) or not isinstance(entry.get("ip"), str):
        raise ProtocolError("Deluge answered a peer of the wrong shape")
    return Peer(
        address=entry["ip"],
        client=str(entry.get("client") or "") or None,
        progress=min(max(float(entry.get("progress") or 0.0), 0.0), 1.0),
        download_speed=max(int(entry.get("down_speed") or 0), 0),
        upload_speed=max(int(entry.get("up_speed") or 0), 0),
    )
