"""µTorrent rows -> enunclic models: the list columns, the status bitfield and the file priorities, as data.

A torrent is an array (``list=1``): the column order is the one @ctrl/utorrent's
``types.ts``, Electorrent's ``torrentu.ts`` and Sonarr's ``UTorrentTorrent.cs`` read; builds
before 25406 (µTorrent 3.0) stop after ``REMAINING``. The status rules follow the official
WebUI's ``getStatusInfo`` (bittorrent/webui), except that an error shows before anything else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from enum import IntEnum
from typing import Any, Final

from enunclic.plugin import (
    BYTES,
    KIB,
    FilePriority,
    Torrent,
    TorrentFile,
    TorrentState,
    Tracker,
    as_datetime,
    as_float,
    is_info_hash,
    read_count,
    read_size,
)

__all__ = [
    "DONE",
    "FILE_PRIORITIES",
    "GLOBAL_RATE",
    "PRIORITY_VALUES",
    "STATUS_RULES",
    "TORRENT_RATE",
    "Column",
    "Status",
    "setting_value",
    "state_of",
    "to_file",
    "to_torrents",
    "to_trackers",
]


class Column(IntEnum):
    """Positions in a torrent row of ``list=1``."""

    HASH = 0
    STATUS = 1
    NAME = 2
    SIZE = 3
    PROGRESS = 4  # per mille
    DOWNLOADED = 5
    UPLOADED = 6
    RATIO = 7  # per mille
    UPLOAD_SPEED = 8
    DOWNLOAD_SPEED = 9
    ETA = 10
    LABEL = 11
    PEERS_CONNECTED = 12
    PEERS_SWARM = 13
    SEEDS_CONNECTED = 14
    SEEDS_SWARM = 15
    AVAILABILITY = 16
    QUEUE_ORDER = 17  # 1-based while queued, -1 otherwise
    REMAINING = 18
    DOWNLOAD_URL = 19
    RSS_FEED_URL = 20
    STATUS_MESSAGE = 21
    STREAM_ID = 22
    ADDED = 23
    COMPLETED = 24
    APP_UPDATE_URL = 25
    SAVE_PATH = 26


class Status(IntEnum):
    """The bits of the STATUS column."""

    STARTED = 1
    CHECKING = 2
    START_AFTER_CHECK = 4
    CHECKED = 8
    ERROR = 16
    PAUSED = 32
    QUEUED = 64  # managed by the queue; a started torrent without it is force-started
    LOADED = 128


#: Progress (per mille) of a torrent with all its wanted data.
DONE: Final = 1000

#: Bit -> (state while incomplete, state once done); the first bit set wins. No bit: stopped.
STATUS_RULES: Final[tuple[tuple[Status, TorrentState, TorrentState], ...]] = (
    (Status.ERROR, TorrentState.ERROR, TorrentState.ERROR),
    (Status.PAUSED, TorrentState.PAUSED, TorrentState.COMPLETED),
    (Status.STARTED, TorrentState.DOWNLOADING, TorrentState.SEEDING),
    (Status.CHECKING, TorrentState.CHECKING, TorrentState.CHECKING),
    (Status.QUEUED, TorrentState.QUEUED, TorrentState.QUEUED),
)
STOPPED: Final = (TorrentState.PAUSED, TorrentState.COMPLETED)

#: getfiles priorities (the WebAPI's Files List page): 0 don't download, 1 low, 2 normal, 3 high.
FILE_PRIORITIES: Final[Mapping[int, FilePriority]] = {
    0: FilePriority.SKIP,
    1: FilePriority.LOW,
    2: FilePriority.NORMAL,
    3: FilePriority.HIGH,
}
PRIORITY_VALUES: Final[Mapping[FilePriority, int]] = {value: key for key, value in FILE_PRIORITIES.items()}

#: Per-torrent ``ulrate``/``dlrate`` (getprops/setprops) are bytes/s; 0 is no limit.
TORRENT_RATE: Final = BYTES
#: ``max_dl_rate``/``max_ul_rate`` settings are KiB/s (the WebAPI's "Modifying Settings" example); 0 is no limit.
GLOBAL_RATE: Final = KIB


def state_of(status: Any, per_mille: int, size: int) -> TorrentState:
    """The state of a row; a status that is not a byte of flags is UNKNOWN."""
    if isinstance(status, bool) or not isinstance(status, int) or not 0 <= status <= 0xFF:
        return TorrentState.UNKNOWN
    done = per_mille >= DONE
    for flag, running, finished in STATUS_RULES:
        if status & flag:
            state = finished if done else running
            break
    else:
        state = STOPPED[done]
    if state is TorrentState.DOWNLOADING and size == 0:
        return TorrentState.METADATA  # no size yet: a magnet whose metadata has not arrived (inferred)
    return state


def to_torrents(rows: Iterable[Any]) -> list[Torrent]:
    """The torrents of a ``torrents`` or ``torrentp`` list; a row without an info-hash is left out."""
    return [to_torrent(row) for row in rows if isinstance(row, list) and row and is_info_hash(str(row[0]))]


def to_torrent(row: Sequence[Any]) -> Torrent:
    """One torrent row; a missing or malformed cell reads as unknown, never as a crash."""

    def cell(column: Column) -> Any:
        return row[column] if column < len(row) else None

    info_hash = str(row[Column.HASH]).lower()
    status, size = cell(Column.STATUS), read_size(cell(Column.SIZE))
    per_mille = min(read_size(cell(Column.PROGRESS)), DONE)
    state = state_of(status, per_mille, size)
    downloaded = read_size(cell(Column.DOWNLOADED))
    eta, queue = read_count(cell(Column.ETA)), read_count(cell(Column.QUEUE_ORDER))
    message = _text(cell(Column.STATUS_MESSAGE))
    return Torrent(
        id=info_hash,
        info_hash=info_hash,
        name=_text(cell(Column.NAME)) or info_hash,
        state=state,
        native_state=str(status),
        progress=per_mille / DONE,
        size=size,
        downloaded=downloaded,
        uploaded=read_size(cell(Column.UPLOADED)),
        ratio=read_size(cell(Column.RATIO)) / DONE if downloaded else None,
        download_speed=read_size(cell(Column.DOWNLOAD_SPEED)),
        upload_speed=read_size(cell(Column.UPLOAD_SPEED)),
        eta=eta or None,  # 0 while not downloading
        label=_text(cell(Column.LABEL)),
        destination=_text(cell(Column.SAVE_PATH)),
        added_at=as_datetime(cell(Column.ADDED)),
        completed_at=as_datetime(cell(Column.COMPLETED)),
        peers_connected=read_count(cell(Column.PEERS_CONNECTED)),
        peers_total=read_count(cell(Column.PEERS_SWARM)),
        seeds_connected=read_count(cell(Column.SEEDS_CONNECTED)),
        seeds_total=read_count(cell(Column.SEEDS_SWARM)),
        queue_position=queue - 1 if queue else None,
        error=(message or "µTorrent reports an error for this torrent") if state is TorrentState.ERROR else None,
    )


def to_file(index: int, row: Any) -> TorrentFile:
    """One getfiles row: ``[name, size, downloaded, priority, ...]`` (µTorrent 3 appends streaming columns)."""
    cells = row if isinstance(row, list) else []
    name, size, done, priority = (*cells[:4], None, None, None, None)[:4]
    size = read_size(size)
    downloaded = min(read_size(done), size)
    level = FILE_PRIORITIES.get(priority if isinstance(priority, int) else -1, FilePriority.NORMAL)
    return TorrentFile(
        index=index,
        path=str(name or ""),
        size=size,
        downloaded=downloaded,
        progress=downloaded / size if size else 0.0,
        priority=level,
        wanted=level is not FilePriority.SKIP,
    )


def to_trackers(text: Any) -> list[Tracker]:
    """getprops ``trackers``: one URL a line, tiers apart by an empty line (status is not reported)."""
    lines = text.splitlines() if isinstance(text, str) else []
    return [Tracker(url=line.strip()) for line in lines if line.strip()]


def setting_value(value: Any) -> float | None:
    """A getsettings value: documented as a string, seen as a number too."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    number = as_float(value, math.nan)
    return None if math.isnan(number) else number


def _text(value: Any) -> str | None:
    """A non-blank string, stripped, else None (µTorrent writes "" for none; a cleared label may be " ")."""
    return value.strip() or None if isinstance(value, str) else None
