"""Normalized vocabularies: torrent states, file priorities, tracker statuses, queue moves."""

from __future__ import annotations

from enum import Enum

__all__ = ["FilePriority", "QueueMove", "TorrentState", "TrackerStatus"]


class _StrEnum(str, Enum):
    """A str enum whose ``str()`` is its value (``enum.StrEnum`` needs Python 3.11)."""

    def __str__(self) -> str:
        return str(self.value)


class TorrentState(_StrEnum):
    """What a torrent is doing, the same word for every backend.

    ``paused`` is stopped before completion; ``completed`` has all wanted data and is
    not seeding; ``metadata`` is a magnet still fetching its metadata; ``unknown`` is
    a server value nobody mapped (the raw value stays in ``Torrent.native_state``).
    """

    QUEUED = "queued"
    CHECKING = "checking"
    METADATA = "metadata"
    DOWNLOADING = "downloading"
    SEEDING = "seeding"
    PAUSED = "paused"
    COMPLETED = "completed"
    MOVING = "moving"
    ERROR = "error"
    UNKNOWN = "unknown"


class FilePriority(_StrEnum):
    """Download priority of one file; ``skip`` means the file is not wanted."""

    SKIP = "skip"
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class TrackerStatus(_StrEnum):
    """State of one tracker as the server last saw it."""

    WORKING = "working"
    UPDATING = "updating"
    NOT_CONTACTED = "not_contacted"
    ERROR = "error"
    DISABLED = "disabled"
    UNKNOWN = "unknown"


class QueueMove(_StrEnum):
    """Where to move torrents in the download queue."""

    TOP = "top"
    UP = "up"
    DOWN = "down"
    BOTTOM = "bottom"
