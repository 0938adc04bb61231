"""rTorrent rows -> enunclic models: the state table, priorities and converters, as data.

rTorrent has no status word: the state is derived from flags (``d.state``, ``d.is_active``,
``d.complete``, ``d.is_hash_checking``, ``d.is_meta``, ``d.message``) by the first rule
of :data:`STATE_RULES` whose flags all match.
"""

from __future__ import annotations

import os.path
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, Final
from urllib.parse import quote, unquote, urlsplit

from enunclic.convert import as_datetime
from enunclic.plugin import (
    FilePriority,
    Peer,
    ProtocolError,
    Torrent,
    TorrentFile,
    TorrentState,
    Tracker,
    TrackerStatus,
    as_int,
    is_info_hash,
    read_count,
    read_size,
)

__all__ = [
    "FILE_FIELDS",
    "FILE_PRIORITY_FROM_NATIVE",
    "FILE_PRIORITY_TO_NATIVE",
    "PEER_FIELDS",
    "STATE_RULES",
    "TORRENT_CALLS",
    "TORRENT_FIELDS",
    "TORRENT_KEYS",
    "TRACKERS_FIELD",
    "TRACKER_FIELDS",
    "TRACKER_TEXT",
    "decode_label",
    "encode_label",
    "flags_of",
    "main_tracker",
    "tracker_entries",
    "to_file",
    "to_peer",
    "to_torrent",
    "to_tracker",
]

#: What ``t.multicall`` asks of each tracker for a listing row: its enabled flag (0 or 1) and its count of
#: successful announces, a space, its URL and a tab; rTorrent keeps its trackers lowest tier first.
TRACKER_TEXT: Final[tuple[str, ...]] = ("t.is_enabled=", "t.success_counter=", 'cat=" "', "t.url=", 'cat="\t"')


def _argument(command: str) -> str:
    """``command`` as one argument of a command list (quoted when it holds a quote or a comma)."""
    if '"' not in command and "," not in command:
        return command
    return '"' + command.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: Every tracker's :data:`TRACKER_TEXT`, joined by rTorrent into one string per torrent (no nested
#: array per tracker: one string keeps the listing small and in the one-pass reader's shape).
TRACKERS_FIELD: Final = "cat=(t.multicall,," + ",".join(map(_argument, TRACKER_TEXT)) + ")"
#: The row key of :data:`TRACKERS_FIELD`.
_TRACKERS: Final = "trackers"

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
    TRACKERS_FIELD,
)
#: The same row read torrent by torrent (``system.multicall``): each field's method and what follows the hash.
TORRENT_CALLS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = tuple(
    ("t.multicall", ("", *TRACKER_TEXT)) if field == TRACKERS_FIELD else (field.rstrip("="), ())
    for field in TORRENT_FIELDS
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
    "t.group=",
    "t.activity_time_last=",
    "t.activity_time_next=",
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


@lru_cache(maxsize=8)
def _keys(fields: tuple[str, ...]) -> tuple[str, ...]:
    """``d.hash=`` -> ``d.hash`` (and :data:`TRACKERS_FIELD` -> ``trackers``): the row keys of a field
    list, computed once per list."""
    return tuple(_TRACKERS if name == TRACKERS_FIELD else name.split("=", 1)[0] for name in fields)


#: The row keys of :data:`TORRENT_FIELDS`.
TORRENT_KEYS: Final = _keys(TORRENT_FIELDS)


def _row(values: Any, fields: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(values, list) or len(values) != len(fields):
        raise ProtocolError(f"rTorrent answered a {what} row of the wrong shape")
    return dict(zip(_keys(fields), values, strict=True))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ProtocolError(f"rTorrent answered {type(value).__name__} where text belongs")
    return value


def flags_of(row: Mapping[str, Any]) -> dict[str, bool]:
    """The boolean flags the state rules look at, from one parsed row (a value that is not 1 is unset)."""
    message = _text(row["d.message"]).strip()
    return {
        "started": as_int(row["d.state"]) == 1,
        "active": as_int(row["d.is_active"]) == 1,
        "open": as_int(row["d.is_open"]) == 1,
        "complete": as_int(row["d.complete"]) == 1,
        "checking": as_int(row["d.is_hash_checking"]) == 1,
        "meta": as_int(row["d.is_meta"]) == 1,
        "error": bool(message) and not message.startswith(WARNING_PREFIXES),
    }


_FLAG_NAMES: Final = ("started", "active", "open", "complete", "checking", "meta", "error")


@lru_cache(maxsize=128)  # 2**7 flag combinations: each is worked out once
def _state_and_text(values: tuple[bool, ...]) -> tuple[TorrentState, str]:
    """The state (the first rule of :data:`STATE_RULES` that matches) and the set flags as text."""
    flags = dict(zip(_FLAG_NAMES, values, strict=True))
    state = next(
        (then for required, then in STATE_RULES if all(flags[name] is value for name, value in required.items())),
        TorrentState.UNKNOWN,
    )
    return state, ",".join(name for name in _FLAG_NAMES if flags[name]) or "stopped"


def encode_label(label: str) -> str:
    """The ruTorrent convention: ``d.custom1`` holds the URI-encoded label."""
    return quote(label, safe="")


def decode_label(raw: str) -> str | None:
    """``d.custom1`` -> label (None when empty)."""
    return unquote(raw) or None


_TRACKER_ENTRY: Final = re.compile(r"([01])(\d+) (.*)", re.DOTALL)


def tracker_entries(value: Any) -> list[tuple[bool, int, str]]:
    """A row's trackers (the joined text of a listing, or ``t.multicall``'s rows of :data:`TRACKER_TEXT`)
    -> (enabled, successful announces, URL) per tracker, in rTorrent's order. A part that is no entry
    (what follows a tab inside a URL) is left out."""
    return list(_entries(value))


def _entries(value: Any) -> Iterator[tuple[bool, int, str]]:
    """:func:`tracker_entries` one by one (the main tracker needs only the first ones)."""
    if isinstance(value, list):
        if not all(isinstance(row, list) for row in value):
            raise ProtocolError("rTorrent answered a tracker row of the wrong shape")
        value = "".join(str(item) for row in value for item in row)
    for part in _text(value).split("\t"):
        match = _TRACKER_ENTRY.fullmatch(part)
        if match:
            yield match[1] == "1", int(match[2]), match[3]


@lru_cache(maxsize=1024)  # torrents share their trackers
def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname or None
    except ValueError:  # an unparsable URL names no host
        return None


def main_tracker(entries: Iterable[tuple[bool, int, str]]) -> str | None:
    """The host of the first enabled tracker with one (lowest tier first; within a tier rTorrent puts
    the last that answered first); None without one. ``dht://`` names no host."""
    return next((host for enabled, _, url in entries if enabled and (host := _host(url))), None)


def to_torrent(values: Any) -> Torrent:
    """One ``d.multicall2`` row (in :data:`TORRENT_FIELDS` order) -> :class:`Torrent`."""
    row = _row(values, TORRENT_FIELDS, "torrent")
    info_hash = _text(row["d.hash"])
    if not is_info_hash(info_hash):
        raise ProtocolError("rTorrent answered a torrent without a 40-digit info-hash")
    flags = flags_of(row)
    state, native = _state_and_text(tuple(flags[name] for name in _FLAG_NAMES))
    meta = flags["meta"]
    size = 0 if meta else read_size(row["d.size_bytes"])
    done = min(read_size(row["d.completed_bytes"]), size)
    left = read_size(row["d.left_bytes"])
    uploaded = read_size(row["d.up.total"])
    down_rate = read_size(row["d.down.rate"])
    directory = _text(row["d.directory"])
    connected = read_size(row["d.peers_connected"])
    seeds = min(read_size(row["d.peers_complete"]), connected)
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
        upload_speed=read_size(row["d.up.rate"]),
        eta=left // down_rate if down_rate and left else None,
        label=decode_label(_text(row["d.custom1"])),
        # A multi-file torrent's d.directory is its own folder; the destination is the parent.
        destination=(os.path.dirname(directory.rstrip("/")) if as_int(row["d.is_multi_file"]) else directory) or None,
        added_at=as_datetime(row["d.load_date"]),
        completed_at=as_datetime(row["d.timestamp.finished"]) if flags["complete"] else None,
        seeds_connected=seeds,
        peers_connected=connected - seeds,
        error=_text(row["d.message"]).strip() or None if state is TorrentState.ERROR else None,
        tracker=main_tracker(_entries(row[_TRACKERS])),
    )


def to_file(index: int, values: Any, chunk_size: int) -> TorrentFile:
    """One ``f.multicall`` row -> :class:`TorrentFile`."""
    row = _row(values, FILE_FIELDS, "file")
    size = read_size(row["f.size_bytes"])
    chunks = read_size(row["f.size_chunks"])
    completed = min(read_size(row["f.completed_chunks"]), chunks)
    priority = FILE_PRIORITY_FROM_NATIVE.get(as_int(row["f.priority"], -1), FilePriority.NORMAL)
    return TorrentFile(
        index=index,
        path=_text(row["f.path"]),
        size=size,
        downloaded=min(completed * read_size(chunk_size), size),
        progress=completed / chunks if chunks else 0.0,
        priority=priority,
        wanted=priority is not FilePriority.SKIP,
    )


def to_tracker(values: Any) -> Tracker:
    """One ``t.multicall`` row -> :class:`Tracker`."""
    row = _row(values, TRACKER_FIELDS, "tracker")
    if not as_int(row["t.is_enabled"]):
        status = TrackerStatus.DISABLED
    elif as_int(row["t.is_busy"]):
        status = TrackerStatus.UPDATING
    elif as_int(row["t.failed_counter"]):
        status = TrackerStatus.ERROR
    elif as_int(row["t.success_counter"]):
        status = TrackerStatus.WORKING
    else:
        status = TrackerStatus.NOT_CONTACTED
    return Tracker(
        url=_text(row["t.url"]),
        status=status,
        seeds=read_size(row["t.scrape_complete"]),
        peers=read_size(row["t.scrape_incomplete"]),
        tier=read_count(row["t.group"]),
        last_announce=as_datetime(row["t.activity_time_last"]),
        next_announce=as_datetime(row["t.activity_time_next"]),
    )


def to_peer(values: Any) -> Peer:
    """One ``p.multicall`` row -> :class:`Peer`."""
    row = _row(values, PEER_FIELDS, "peer")
    host = _text(row["p.address"])
    port = read_size(row["p.port"])
    return Peer(
        address=f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        client=_text(row["p.client_version"]) or None,
        progress=min(read_size(row["p.completed_percent"]), 100) / 100,
        download_speed=read_size(row["p.down_rate"]),
        upload_speed=read_size(row["p.up_rate"]),
    )
