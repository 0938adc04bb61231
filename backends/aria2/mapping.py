"""aria2 download status structs -> enunclic models: the state table and converters, as data.

Every number comes as a decimal string (aria2c(1), ``aria2.tellStatus``); the tolerant
readers turn a missing or odd one into 0 or None instead of an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from enunclic.plugin import (
    BYTES,
    FilePriority,
    Peer,
    SessionStats,
    Torrent,
    TorrentFile,
    TorrentState,
    Tracker,
    read_count,
    read_size,
)

__all__ = [
    "RATE",
    "STATES",
    "TORRENT_KEYS",
    "is_torrent",
    "main_tracker",
    "number",
    "state_of",
    "to_file",
    "to_peer",
    "to_stats",
    "to_torrent",
]

#: Keys asked of tellActive/tellWaiting/tellStopped: what ``to_torrent`` and the listing read.
TORRENT_KEYS: Final[tuple[str, ...]] = (
    "gid",
    "status",
    "totalLength",
    "completedLength",
    "uploadLength",
    "downloadSpeed",
    "uploadSpeed",
    "infoHash",
    "numSeeders",
    "seeder",
    "connections",
    "errorMessage",
    "followedBy",
    "dir",
    "files",
    "bittorrent",
    "verifiedLength",
    "verifyIntegrityPending",
)

#: aria2 ``status`` -> normalized state, refined by :func:`state_of`.
STATES: Final[Mapping[str, TorrentState]] = {
    "active": TorrentState.DOWNLOADING,
    "waiting": TorrentState.QUEUED,
    "paused": TorrentState.PAUSED,
    "error": TorrentState.ERROR,
    "complete": TorrentState.COMPLETED,
    "removed": TorrentState.UNKNOWN,  # never listed: a removed download is only a result record
}

#: Limits (``max-download-limit``, ``max-overall-upload-limit``...): bytes/s, 0 for none.
RATE: Final = BYTES

_METADATA_PREFIX: Final = "[METADATA]"


def number(value: Any) -> int | None:
    """aria2's decimal-string numbers (an int passes too); None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _size(value: Any) -> int:
    """A byte count or speed: 0 when missing, odd or negative."""
    return read_size(number(value))


def is_torrent(row: Mapping[str, Any]) -> bool:
    """A BitTorrent download that is still one: not HTTP/FTP, not removed, not a metadata step now followed."""
    return "bittorrent" in row and row.get("status") != "removed" and not row.get("followedBy")


def state_of(row: Mapping[str, Any]) -> TorrentState:
    """The table, refined: checking first; an active download is metadata (no info yet) or seeding;
    a paused one with all its data is completed."""
    state = STATES.get(str(row.get("status")), TorrentState.UNKNOWN)
    if row.get("verifyIntegrityPending") == "true" or "verifiedLength" in row:
        return TorrentState.CHECKING
    bittorrent = row.get("bittorrent")
    if state is TorrentState.DOWNLOADING:
        if not isinstance(bittorrent, dict) or "info" not in bittorrent:
            return TorrentState.METADATA
        if row.get("seeder") == "true":
            return TorrentState.SEEDING
    total = _size(row.get("totalLength"))
    if state is TorrentState.PAUSED and total and _size(row.get("completedLength")) >= total:
        return TorrentState.COMPLETED
    return state


def _name(row: Mapping[str, Any]) -> str:
    """The torrent's name; a magnet still fetching metadata is named after its ``dn`` (aria2's ``[METADATA]dn``)."""
    bittorrent = row.get("bittorrent")
    info = bittorrent.get("info") if isinstance(bittorrent, dict) else None
    if isinstance(info, dict) and isinstance(info.get("name"), str) and info["name"]:
        return str(info["name"])
    files = row.get("files")
    path = files[0].get("path") if isinstance(files, list) and files and isinstance(files[0], dict) else None
    if isinstance(path, str) and path.removeprefix(_METADATA_PREFIX):
        return path.removeprefix(_METADATA_PREFIX)
    return str(row.get("infoHash") or row.get("gid"))


def main_tracker(row: Mapping[str, Any]) -> str | None:
    """The host of the first announce URL (``bittorrent.announceList``, already in the listing); None without one."""
    bittorrent = row.get("bittorrent")
    tiers = bittorrent.get("announceList") if isinstance(bittorrent, dict) else None
    for tier in tiers if isinstance(tiers, list) else ():
        for url in tier if isinstance(tier, list) else ():
            try:
                host = urlsplit(str(url)).hostname
            except ValueError:
                host = None
            if host:
                return host
    return None


def to_torrent(row: Mapping[str, Any], queue_position: int | None = None) -> Torrent:
    """One status struct (a BitTorrent download) -> :class:`Torrent`; its GID is its id."""
    state = state_of(row)
    size, done = _size(row.get("totalLength")), _size(row.get("completedLength"))
    uploaded, speed = _size(row.get("uploadLength")), _size(row.get("downloadSpeed"))
    info_hash = row.get("infoHash")
    error = row.get("errorMessage")
    return Torrent(
        id=str(row["gid"]),
        info_hash=info_hash.lower() if isinstance(info_hash, str) and info_hash else None,
        name=_name(row),
        state=state,
        native_state=str(row.get("status")),
        progress=min(done / size, 1.0) if size else 0.0,
        size=size,
        downloaded=done,
        uploaded=uploaded,
        ratio=uploaded / done if done else None,
        download_speed=speed,
        upload_speed=_size(row.get("uploadSpeed")),
        eta=(size - done) // speed if speed and size > done else None,
        destination=str(row["dir"]) if row.get("dir") else None,
        seeds_connected=read_count(number(row.get("numSeeders"))),
        peers_connected=read_count(number(row.get("connections"))),
        queue_position=queue_position,
        tracker=main_tracker(row),
        error=str(error) if state is TorrentState.ERROR and error else None,
    )


def to_file(row: Mapping[str, Any]) -> TorrentFile:
    """One entry of ``aria2.getFiles`` (1-based ``index``) -> a 0-based :class:`TorrentFile`; skip or normal only."""
    size, done = _size(row.get("length")), _size(row.get("completedLength"))
    wanted = row.get("selected") != "false"
    return TorrentFile(
        index=max((number(row.get("index")) or 1) - 1, 0),
        path=str(row.get("path") or ""),
        size=size,
        downloaded=min(done, size),
        progress=min(done / size, 1.0) if size else 0.0,
        priority=FilePriority.NORMAL if wanted else FilePriority.SKIP,
        wanted=wanted,
    )


def to_tracker(url: Any, tier: int | None = None) -> Tracker:
    """One URL of ``bittorrent.announceList`` in tier ``tier`` (its list's place): aria2 reports no tracker
    status nor announce times, so they stay unknown."""
    return Tracker(url=str(url), tier=tier)


def to_peer(row: Mapping[str, Any]) -> Peer:
    """One entry of ``aria2.getPeers``; progress is read from its hex ``bitfield`` (padding bits count as missing)."""
    bitfield = str(row.get("bitfield") or "")
    try:
        have = bin(int(bitfield, 16)).count("1") if bitfield else 0
    except ValueError:
        have = 0
    progress = 1.0 if row.get("seeder") == "true" else (have / (4 * len(bitfield)) if bitfield else 0.0)
    return Peer(
        address=f"{row.get('ip')}:{row.get('port')}",
        progress=min(progress, 1.0),
        download_speed=_size(row.get("downloadSpeed")),
        upload_speed=_size(row.get("uploadSpeed")),
    )


def to_stats(stat: Mapping[str, Any], options: Mapping[str, Any]) -> SessionStats:
    """``aria2.getGlobalStat`` and ``aria2.getGlobalOption`` -> :class:`SessionStats` (aria2 reports no free space)."""
    return SessionStats(
        download_speed=_size(stat.get("downloadSpeed")),
        upload_speed=_size(stat.get("uploadSpeed")),
        download_limit=RATE.from_native(number(options.get("max-overall-download-limit"))),
        upload_limit=RATE.from_native(number(options.get("max-overall-upload-limit"))),
    )
