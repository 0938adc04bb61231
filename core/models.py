"""The normalized models every backend produces: frozen pydantic v2, JSON-ready.

Units are fixed for every backend: sizes in bytes, speeds and limits in bytes per
second, durations in seconds, progress as a fraction from 0.0 to 1.0, dates as
timezone-aware datetimes.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_serializer

from .capabilities import Capability
from .states import FilePriority, TorrentState, TrackerStatus, _StrEnum

__all__ = [
    "AddedTorrent",
    "Delta",
    "Peer",
    "ServerInfo",
    "SessionStats",
    "Torrent",
    "TorrentFile",
    "Tracker",
]

_SURROGATE = re.compile("[\ud800-\udfff]")


def _carried_text(value: str) -> str:
    """Text that UTF-8 (and so JSON, a terminal, the bridge) can carry: a lone surrogate, which a
    server's JSON escapes can produce, becomes U+FFFD."""
    return value if value.isascii() else _SURROGATE.sub("\ufffd", value)


#: Text a server sent: shown and serialized as it is, lone surrogates replaced.
Text = Annotated[str, AfterValidator(_carried_text)]

#: defer_build: a model's validator is built when first used, not at import (import time counts).
_FROZEN = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Torrent(BaseModel):
    """One torrent (or, on Download Station, one task) as the server reports it."""

    model_config = _FROZEN

    id: str = Field(description="The backend's own id: what every operation takes.")
    info_hash: str | None = Field(
        default=None, description="BitTorrent v1 info-hash, lower-case hex; None for non-torrent tasks."
    )
    name: Text
    state: TorrentState
    native_state: Text = Field(description="The server's own state value, verbatim as text.")
    progress: float = Field(ge=0.0, le=1.0)
    size: int = Field(default=0, ge=0, description="Bytes of wanted data; 0 while unknown.")
    downloaded: int = Field(default=0, ge=0)
    uploaded: int = Field(default=0, ge=0)
    ratio: float | None = Field(default=None, description="uploaded / downloaded; None when nothing was downloaded.")
    download_speed: int = Field(default=0, ge=0, description="Bytes per second.")
    upload_speed: int = Field(default=0, ge=0, description="Bytes per second.")
    download_limit: int | None = Field(
        default=None, ge=0, description="The torrent's own limit in bytes per second; None: no limit, or not reported."
    )
    upload_limit: int | None = Field(
        default=None, ge=0, description="The torrent's own limit in bytes per second; None: no limit, or not reported."
    )
    ratio_limit: float | None = Field(
        default=None, ge=0, description="The torrent's own seeding ratio limit; None: none of its own, or not reported."
    )
    eta: int | None = Field(default=None, description="Seconds; None when unknown or infinite.")
    label: Text | None = None
    tracker: Text | None = Field(
        default=None, description="Host name of the torrent's main tracker (for a tracker filter); None if unknown."
    )
    sequential: bool | None = Field(default=None, description="Downloads pieces in order; None if not reported.")
    first_last_piece: bool | None = Field(
        default=None, description="Gets the first and last pieces of each file first; None if not reported."
    )
    destination: Text | None = None
    added_at: datetime | None = None
    completed_at: datetime | None = None
    seeds_connected: int | None = None
    seeds_total: int | None = None
    peers_connected: int | None = None
    peers_total: int | None = None
    queue_position: int | None = None
    error: Text | None = Field(default=None, description="The server's error text while the torrent is in error.")


class TorrentFile(BaseModel):
    """One file inside a torrent."""

    model_config = _FROZEN

    index: int = Field(ge=0)
    path: Text
    size: int = Field(ge=0)
    downloaded: int = Field(default=0, ge=0)
    progress: float = Field(default=0.0, ge=0.0, le=1.0)
    priority: FilePriority = FilePriority.NORMAL
    wanted: bool = True


class Tracker(BaseModel):
    """One tracker of a torrent."""

    model_config = _FROZEN

    url: Text
    status: TrackerStatus = TrackerStatus.UNKNOWN
    tier: int | None = Field(default=None, ge=0, description="Announce tier, 0 first; None if not reported.")
    seeds: int | None = None
    peers: int | None = None
    message: Text | None = None
    last_announce: datetime | None = None
    next_announce: datetime | None = None


class Peer(BaseModel):
    """One connected peer."""

    model_config = _FROZEN

    address: Text = Field(description="host:port as the server reports it.")
    client: Text | None = Field(default=None, description="The peer's client software, as it names itself.")
    flags: Text | None = Field(
        default=None, description="The server's own connection flags (e.g. qBittorrent's 'D X')."
    )
    progress: float = Field(default=0.0, ge=0.0, le=1.0)
    download_speed: int = Field(default=0, ge=0)
    upload_speed: int = Field(default=0, ge=0)


class SessionStats(BaseModel):
    """Whole-server transfer figures; None where the server does not say.

    A limit of None means no limit is set (or the server does not report one).
    """

    model_config = _FROZEN

    download_speed: int | None = None
    upload_speed: int | None = None
    download_limit: int | None = None
    upload_limit: int | None = None
    free_space: int | None = None
    alt_speed: bool | None = Field(default=None, description="The alternative (turtle) speed limits are on.")


class ServerInfo(BaseModel):
    """Who answered: backend, versions, and what this server can do."""

    model_config = _FROZEN

    backend: str
    version: Text | None = None
    api_version: Text | None = None
    capabilities: frozenset[Capability] = frozenset()

    @field_serializer("capabilities")
    def _in_one_order(self, capabilities: frozenset[Capability]) -> list[Capability]:
        """Sorted by name, as everywhere else: a set has no order, JSON lists do."""
        return sorted(capabilities)


class AddedTorrent(BaseModel):
    """The torrent ``add()`` created (or found already there, when ``duplicate``)."""

    model_config = _FROZEN

    id: str
    info_hash: str | None = None
    duplicate: bool = Field(default=False, description="The server already had this torrent.")


class TorrentEventKind(_StrEnum):
    """Why a GUI would notify its user."""

    ADDED = "added"
    REMOVED = "removed"
    COMPLETED = "completed"
    ERRORED = "errored"


class TorrentEvent(BaseModel):
    """One change worth a notification: a torrent added or removed (by anyone), completed, errored."""

    model_config = _FROZEN

    kind: TorrentEventKind
    id: str
    name: Text | None = Field(default=None, description="The torrent's name; its last known one once removed.")
    error: Text | None = Field(default=None, description="The server's error text, for errored.")


class Delta(BaseModel):
    """What changed since the previous ``poll()``: patch rows instead of redrawing.

    ``changed_fields[id]`` names exactly the fields of ``changed`` torrent ``id`` whose
    value differs from the previous poll. ``events`` says which changes deserve telling the
    user, so that no GUI diffs ``state`` and ``progress`` itself; the first poll (every
    torrent ``added``) has none.
    """

    model_config = _FROZEN

    added: list[Torrent] = Field(default_factory=list)
    changed: list[Torrent] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    changed_fields: dict[str, frozenset[str]] = Field(default_factory=dict)
    events: list[TorrentEvent] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.added or self.changed or self.removed)
