"""rTorrent rows -> enunclic models: the state table, priorities and converters, as data.

rTorrent has no status word: the state is derived from flags (``d.state``, ``d.is_active``,
``d.complete``, ``d.is_hash_checking``, ``d.is_meta``, ``d.message``) by the first rule
of :data:`STATE_RULES` whose flags all match.
"""

from __future__ import annotations

import os.path
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Final
from urllib.parse import quote, unquote

from enunclic import FilePriority, Peer, ProtocolError, Torrent, TorrentFile, TorrentState, Tracker, TrackerStatus

__all__ = [
    "FILE_FIELDS",
    "FILE_PRIORITY_FROM_NATIVE",
    "FILE_PRIORITY_TO_NATIVE",
    "PEER_FIELDS",
    "STATE_RULES",
    "TORRENT_FIELDS",
    "TRACKER_FIELDS",
    "decode_label",
    "encode_label",
    "flags_of",
    "state_of",
    "to_file",
    "to_peer",
    "to_torrent",
    "to_tracker",
]

#: ``d.multicall2`` commands of one listing row, in order (exactly what ``to_torrent`` reads).
TORRENT_FIELDS: Final[tuple[str, ...]] = (
    "d.hash=",
    "d.name=",
    "d.state=",
    "d.is_active=",
    "d.is_open=",
    "d.complete=",
    "d.is_hash_checking=",
    "d.is_meta=",
    "d.message=",
    "d.size_bytes=",
    "d.completed_bytes=",
    "d.left_bytes=",
    "d.up.total=",
    "d.down.rate=",
    "d.up.rate=",
    "d.custom1=",
    "d.directory=",
    "d.is_multi_file=",
    "d.load_date=",
    "d.timestamp.finished=",
    "d.peers_connected=",
    "d.peers_complete=",
)

#: ``f.multicall`` commands for files.
FILE_FIELDS: Final[tuple[str, ...]] = (
    "f.path=",
    "f.size_bytes=",
    "f.priority=",
    "f.completed_chunks=",
    "f.size_chunks=",
)
#: ``t.multicall`` commands for trackers.
TRACKER_FIELDS: Final[tuple[str, ...]] = (
    "t.url=",
    "t.is_enabled=",
    "t.is_busy=",
    "t.success_counter=",
    "t.failed_counter=",
    "t.scrape_complete=",
    "t.scrape_incomplete=",
)
#: ``p.multicall`` commands for peers.
PEER_FIELDS: Final[tuple[str, ...]] = (
    "p.address=",
    "p.port=",
    "p.client_version=",
    "p.completed_percent=",
    "p.down_rate=",
    "p.up_rate=",
)

#: The first rule whose flags all match gives the state (an empty rule matches anything).
STATE_RULES: Final[tuple[tuple[Mapping[str, bool], TorrentState], ...]] = (
    ({"checking": True}, TorrentState.CHECKING),
    ({"error": True}, TorrentState.ERROR),
    ({"started": True, "active": True, "meta": True}, TorrentState.METADATA),
    ({"started": True, "active": True, "complete": True}, TorrentState.SEEDING),
    ({"started": True, "active": True}, TorrentState.DOWNLOADING),
    ({"complete": True}, TorrentState.COMPLETED),
    ({}, TorrentState.PAUSED),
)

#: ``d.message`` prefixes that are warnings on healthy torrents, not errors (a tracker that
#: cannot be reached leaves "Tracker: [Couldn't connect to server]" on a seeding torrent).
WARNING_PREFIXES: Final[tuple[str, ...]] = ("Tracker:",)

#: rTorrent file priorities: 0 off, 1 normal, 2 high (there is no "low").
FILE_PRIORITY_FROM_NATIVE: Final[Mapping[int, FilePriority]] = {
    0: FilePriority.SKIP,
    1: FilePriority.NORMAL,
    2: FilePriority.HIGH,
}
FILE_PRIORITY_TO_NATIVE: Final[Mapping[FilePriority, int]] = {
    FilePriority.SKIP: 0,
    FilePriority.LOW: 1,
    FilePriority.NORMAL: 1,
    FilePriority.HIGH: 2,
}

_HEX40 = re.compile(r"[0-9A-Fa-f]{40}")


@lru_cache(maxsize=8)
def _keys(fields: tuple[str, ...]) -> tuple[str, ...]:
    """``d.hash=`` -> ``d.hash``: the row keys of a field list, computed once per list."""
    return tuple(name.split("=", 1)[0] for name in fields)


def _row(values: Any, fields: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(values, list) or len(values) != len(fields):
        raise ProtocolError(f"rTorrent answered a {what} row of the wrong shape")
    return dict(zip(_keys(fields), values, strict=True))


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(f"rTorrent answered {type(value).__name__} where a number belongs")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ProtocolError(f"rTorrent answered {type(value).__name__} where text belongs")
    return value


def flags_of(row: Mapping[str, Any]) -> dict[str, bool]:
    """The boolean flags the state rules look at, from one parsed row."""
    message = _text(row["d.message"]).strip()
    return {
        "started": _int(row["d.state"]) == 1,
        "active": _int(row["d.is_active"]) == 1,
        "open": _int(row["d.is_open"]) == 1,
        "complete": _int(row["d.complete"]) == 1,
        "checking": _int(row["d.is_hash_checking"]) == 1,
        "meta": _int(row["d.is_meta"]) == 1,
        "error": bool(message) and not message.startswith(WARNING_PREFIXES),
    }


_FLAG_NAMES: Final = ("started", "active", "open", "complete", "checking", "meta", "error")


def state_of(flags: Mapping[str, bool]) -> TorrentState:
    """Apply :data:`STATE_RULES` to the flags."""
    return _state_and_text(tuple(flags.get(name) is True for name in _FLAG_NAMES))[0]


@lru_cache(maxsize=128)  # 2**7 flag combinations: each is worked out once
def _state_and_text(values: tuple[bool, ...]) -> tuple[TorrentState, str]:
    flags = dict(zip(_FLAG_NAMES, values, strict=True))
    return _first_rule(flags), ",".join(name for name in _FLAG_NAMES if flags[name]) or "stopped"


def _first_rule(flags: Mapping[str, bool]) -> TorrentState:
    for required, state in STATE_RULES:
        if all(flags.get(name) is value for name, value in required.items()):
            return state
    return TorrentState.UNKNOWN  # unreachable while the last rule is empty; kept for safety


def native_state(flags: Mapping[str, bool]) -> str:
    """The flags as text, e.g. ``started,active,open,complete`` (``stopped`` when none is set)."""
    return _state_and_text(tuple(flags.get(name) is True for name in _FLAG_NAMES))[1]


def encode_label(label: str) -> str:
    """The ruTorrent convention: ``d.custom1`` holds the URI-encoded label."""
    return quote(label, safe="")


def decode_label(raw: str) -> str | None:
    """``d.custom1`` -> label (None when empty)."""
    return unquote(raw) or None


def _epoch(value: int) -> datetime | None:
    return datetime.fromtimestamp(value, tz=timezone.utc) if value > 0 else None


def to_torrent(values: Any) -> Torrent:
    """One ``d.multicall2`` row (in :data:`TORRENT_FIELDS` order) -> :class:`Torrent`."""
    row = _row(values, TORRENT_FIELDS, "torrent")
    info_hash = _text(row["d.hash"])
    if not _HEX40.fullmatch(info_hash):
        raise ProtocolError("rTorrent answered a torrent without a 40-digit info-hash")
    flags = flags_of(row)
    state, native = _state_and_text(tuple(flags[name] for name in _FLAG_NAMES))
    meta = flags["meta"]
    size = 0 if meta else max(_int(row["d.size_bytes"]), 0)
    done = min(max(_int(row["d.completed_bytes"]), 0), size)
    left = max(_int(row["d.left_bytes"]), 0)
    uploaded = max(_int(row["d.up.total"]), 0)
    down_rate = max(_int(row["d.down.rate"]), 0)
    directory = _text(row["d.directory"])
    connected = max(_int(row["d.peers_connected"]), 0)
    seeds = min(max(_int(row["d.peers_complete"]), 0), connected)
    return Torrent(
        id=info_hash.lower(),
        info_hash=info_hash.lower(),
        name=_text(row["d.name"]),
        state=state,
        native_state=native,
        progress=done / size if size else (1.0 if flags["complete"] and not meta else 0.0),
        size=size,
        downloaded=done,
        uploaded=uploaded,
        ratio=uploaded / done if done else None,
        download_speed=down_rate,
        upload_speed=max(_int(row["d.up.rate"]), 0),
        eta=left // down_rate if down_rate and left else None,
        label=decode_label(_text(row["d.custom1"])),
        # A multi-file torrent's d.directory is its own folder; the destination is the parent.
        destination=(os.path.dirname(directory.rstrip("/")) if _int(row["d.is_multi_file"]) else directory) or None,
        added_at=_epoch(_int(row["d.load_date"])),
        completed_at=_epoch(_int(row["d.timestamp.finished"])) if flags["complete"] else None,
        seeds_connected=seeds,
        peers_connected=connected - seeds,
        error=_text(row["d.message"]).strip() or None if state is TorrentState.ERROR else None,
    )


def to_file(index: int, values: Any, chunk_size: int) -> TorrentFile:
    """One ``f.multicall`` row -> :class:`TorrentFile`."""
    row = _row(values, FILE_FIELDS, "file")
    size = max(_int(row["f.size_bytes"]), 0)
    chunks = max(_int(row["f.size_chunks"]), 0)
    completed = min(max(_int(row["f.completed_chunks"]), 0), chunks)
    priority = FILE_PRIORITY_FROM_NATIVE.get(_int(row["f.priority"]), FilePriority.NORMAL)
    return TorrentFile(
        index=index,
        path=_text(row["f.path"]),
        size=size,
        downloaded=min(completed * max(chunk_size, 0), size),
        progress=completed / chunks if chunks else 0.0,
        priority=priority,
        wanted=priority is not FilePriority.SKIP,
    )


def to_tracker(values: Any) -> Tracker:
    """One ``t.multicall`` row -> :class:`Tracker`."""
    row = _row(values, TRACKER_FIELDS, "tracker")
    if not _int(row["t.is_enabled"]):
        status = TrackerStatus.DISABLED
    elif _int(row["t.is_busy"]):
        status = TrackerStatus.UPDATING
    elif _int(row["t.failed_counter"]):
        status = TrackerStatus.ERROR
    elif _int(row["t.success_counter"]):
        status = TrackerStatus.WORKING
    else:
        status = TrackerStatus.NOT_CONTACTED
    return Tracker(
        url=_text(row["t.url"]),
        status=status,
        seeds=max(_int(row["t.scrape_complete"]), 0),
        peers=max(_int(row["t.scrape_incomplete"]), 0),
    )


def to_peer(values: Any) -> Peer:
    """One ``p.multicall`` row -> :class:`Peer`."""
    row = _row(values, PEER_FIELDS, "peer")
    host = _text(row["p.address"])
    address = f"[{host}]:{_int(row['p.port'])}" if ":" in host else f"{host}:{_int(row['p.port'])}"
    return Peer(
        address=address,
        client=_text(row["p.client_version"]) or None,
        progress=min(max(_int(row["p.completed_percent"]), 0), 100) / 100,
        download_speed=max(_int(row["p.down_rate"]), 0),
        upload_speed=max(_int(row["p.up_rate"]), 0),
    )
