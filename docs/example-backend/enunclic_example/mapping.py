"""Native torrent rows -> enunclic models: the state table as data, each field read tolerantly."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, Final

from enunclic.plugin import (
    Torrent,
    TorrentFile,
    TorrentState,
    as_float,
    as_int,
    read_count,
    read_size,
)

__all__ = ["STATES", "state_of", "to_file", "to_torrent"]

#: The server's ``status`` -> the normalized state; any other value is UNKNOWN.
STATES: Final[Mapping[str, TorrentState]] = {
    "queued": TorrentState.QUEUED,
    "checking": TorrentState.CHECKING,
    "metadata": TorrentState.METADATA,
    "downloading": TorrentState.DOWNLOADING,
    "seeding": TorrentState.SEEDING,
    "stopped": TorrentState.PAUSED,
    "moving": TorrentState.MOVING,
    "error": TorrentState.ERROR,
}


def state_of(status: str, progress: float) -> TorrentState:
    """The state of a row: the table, except that a stopped torrent with all its data is completed."""
    state = STATES.get(status, TorrentState.UNKNOWN)
    if state is TorrentState.PAUSED and progress >= 1.0:
        return TorrentState.COMPLETED
    return state


def to_torrent(row: Mapping[str, Any]) -> Torrent:
    """One row of ``GET /api/torrents``; a missing or malformed field reads as unknown, never as a crash."""
    status = str(row.get("status", ""))
    progress = _fraction(row.get("percent"))
    downloaded, uploaded = read_size(row.get("downloaded")), read_size(row.get("uploaded"))
    info_hash = str(row["hash"]).lower()
    return Torrent(
        id=info_hash,
        info_hash=info_hash,
        name=str(row.get("name") or info_hash),
        state=state_of(status, progress),
        native_state=status,
        progress=progress,
        size=read_size(row.get("size")),
        downloaded=downloaded,
        uploaded=uploaded,
        ratio=uploaded / downloaded if downloaded else None,
        download_speed=read_size(row.get("down_rate")),
        upload_speed=read_size(row.get("up_rate")),
        eta=read_count(row.get("eta")),  # the server writes -1 for "unknown"
        label=_text(row.get("label")),
        destination=_text(row.get("directory")),
        added_at=_date(row.get("added_on")),
        error=_text(row.get("message")) if status == "error" else None,
    )


def to_file(index: int, row: Mapping[str, Any]) -> TorrentFile:
    """One row of ``GET /api/torrents/<hash>/files``."""
    size, progress = read_size(row.get("length")), _fraction(row.get("done"))
    return TorrentFile(
        index=index, path=str(row["name"]), size=size, downloaded=round(size * progress), progress=progress
    )


def _fraction(percent: Any) -> float:
    """A percentage (0-100) -> a fraction (0.0-1.0), clamped: a server rounding to 100.1 is done, not invalid."""
    return min(max(as_float(percent) / 100, 0.0), 1.0)


def _text(value: Any) -> str | None:
    """A non-empty string, else None (the server writes "" or null for "none")."""
    return value if isinstance(value, str) and value else None


def _date(seconds: Any) -> datetime | None:
    """Unix seconds -> an aware datetime; 0, negative, unreadable or out of range means the server does not know."""
    value = as_int(seconds)
    if value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
