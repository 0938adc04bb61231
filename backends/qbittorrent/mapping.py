"""qBittorrent values -> enunclic models: the state table, file priorities, trackers, peers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from pydantic_core import core_schema as cs

from enunclic.compiled import (
    Source,
    amount,
    choice,
    compile_model,
    count,
    flag,
    fraction,
    limit,
    number,
    ratio,
    required_text,
    text,
    verbatim,
    when,
)
from enunclic.plugin import (
    BYTES,
    FilePriority,
    Peer,
    Torrent,
    TorrentFile,
    TorrentState,
    Tracker,
    TrackerStatus,
    as_float,
    as_int,
    read_count,
    read_size,
)

__all__ = [
    "ETA_INFINITE",
    "FILE_PRIORITIES",
    "PRIORITY_VALUES",
    "STATES",
    "TRACKER_STATUSES",
    "to_file",
    "to_peer",
    "to_torrent",
    "to_tracker",
    "tracker_host",
]

#: Every ``state`` string of qBittorrent 4.1-5.x (the 4.x ``paused*`` and 5.x ``stopped*`` spellings).
STATES: Final[Mapping[str, TorrentState]] = {
    "error": TorrentState.ERROR,
    "missingFiles": TorrentState.ERROR,
    "uploading": TorrentState.SEEDING,
    "stalledUP": TorrentState.SEEDING,  # seeding with nobody to seed to
    "forcedUP": TorrentState.SEEDING,
    "pausedUP": TorrentState.COMPLETED,  # 4.x
    "stoppedUP": TorrentState.COMPLETED,  # 5.x
    "queuedUP": TorrentState.QUEUED,
    "checkingUP": TorrentState.CHECKING,
    "allocating": TorrentState.DOWNLOADING,  # preallocating disk space before the download
    "downloading": TorrentState.DOWNLOADING,
    "stalledDL": TorrentState.DOWNLOADING,  # downloading with no peers sending
    "forcedDL": TorrentState.DOWNLOADING,
    "metaDL": TorrentState.METADATA,
    "forcedMetaDL": TorrentState.METADATA,
    "pausedDL": TorrentState.PAUSED,  # 4.x
    "stoppedDL": TorrentState.PAUSED,  # 5.x
    "queuedDL": TorrentState.QUEUED,
    "checkingDL": TorrentState.CHECKING,
    "checkingResumeData": TorrentState.CHECKING,
    "queuedForChecking": TorrentState.CHECKING,  # older versions
    "moving": TorrentState.MOVING,
    "unknown": TorrentState.UNKNOWN,
}

#: Error texts for the states that mean an error (qBittorrent gives no message of its own).
STATE_ERRORS: Final[Mapping[str, str]] = {
    "error": "qBittorrent reports an error for this torrent (see its log)",
    "missingFiles": "the torrent's files are missing",
}

#: qBittorrent file priorities: 0 do not download, 1 normal, 6 high, 7 maximal. There is no "low":
#: enunclic's ``low`` is written as normal (1), and maximal reads back as ``high``.
FILE_PRIORITIES: Final[Mapping[int, FilePriority]] = {
    0: FilePriority.SKIP,
    1: FilePriority.NORMAL,
    6: FilePriority.HIGH,
    7: FilePriority.HIGH,
}
PRIORITY_VALUES: Final[Mapping[FilePriority, int]] = {
    FilePriority.SKIP: 0,
    FilePriority.LOW: 1,  # no low priority in qBittorrent
    FilePriority.NORMAL: 1,
    FilePriority.HIGH: 6,
}

#: torrents/trackers ``status``: 0 disabled, 1 not contacted, 2 working, 3 updating, 4 not working.
TRACKER_STATUSES: Final[Mapping[int, TrackerStatus]] = {
    0: TrackerStatus.DISABLED,
    1: TrackerStatus.NOT_CONTACTED,
    2: TrackerStatus.WORKING,
    3: TrackerStatus.UPDATING,
    4: TrackerStatus.ERROR,
}

#: qBittorrent's "infinite" ETA (100 days).
ETA_INFINITE: Final = 8640000
#: qBittorrent caps ratios here and means "infinite" by it.
_MAX_RATIO = 9999


def _finish(values: dict[str, Any]) -> None:
    """The rules that read more than one native field, or a sentinel."""
    native = values["native_state"]
    values["name"] = values["name"] or values["id"]
    values["error"] = STATE_ERRORS.get(native)
    ratio, eta, priority = values["ratio"], values["eta"], values.pop("_priority")
    values["ratio"] = ratio if ratio is not None and 0 <= ratio < _MAX_RATIO else None
    values["eta"] = eta if eta is not None and eta < ETA_INFINITE else None
    values["queue_position"] = priority - 1 if priority > 0 else None  # 1-based while queued; 0 or -1 otherwise
    values["tracker"] = tracker_host(values.pop("_tracker"))


def tracker_host(url: str | None) -> str | None:
    """The host of ``tracker``, the tracker qBittorrent talks to now ("" until one answers on 4.5; the first
    one, answering or not, on 5.1: observed)."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:  # a URL the server accepted but urllib cannot split (a bad port or IPv6 literal)
        return None


#: One ``torrents/info`` object (or a merged ``sync/maindata`` one) -> Torrent, field by field.
TORRENT: Final = compile_model(
    Torrent,
    {
        "id": required_text("hash", lower=True, length=40),
        "info_hash": required_text("hash", lower=True, length=40),
        "name": text("name", ""),
        "state": choice("state", STATES, TorrentState.UNKNOWN),
        "native_state": verbatim("state", "None"),
        "progress": fraction("progress"),
        "size": amount("size"),
        "downloaded": amount("downloaded"),
        "uploaded": amount("uploaded"),
        "ratio": number("ratio"),
        "download_speed": amount("dlspeed"),
        "upload_speed": amount("upspeed"),
        "download_limit": limit("dl_limit", BYTES),  # bytes/s; 0 (and -1, as sent) is no limit: 4.5 and 5.1
        "upload_limit": limit("up_limit", BYTES),
        "ratio_limit": ratio("ratio_limit"),  # -2 the global limit, -1 none: both None (4.5 and 5.1)
        "eta": count("eta"),
        "label": text("category"),
        "_tracker": text("tracker"),
        "sequential": flag("seq_dl"),
        "first_last_piece": flag("f_l_piece_prio"),
        "destination": text("save_path"),
        "added_at": when("added_on"),
        "completed_at": when("completion_on"),
        "seeds_connected": count("num_seeds"),
        "seeds_total": count("num_complete"),
        "peers_connected": count("num_leechs"),
        "peers_total": count("num_incomplete"),
        "_priority": Source("priority", cs.int_schema(strict=True), 0),
    },
    _finish,
)


def to_torrent(raw: Mapping[str, Any]) -> Torrent:
    """One ``torrents/info`` object (or a merged ``sync/maindata`` one) as a Torrent."""
    return TORRENT.one(raw, "a qBittorrent torrent")


def to_file(position: int, raw: Mapping[str, Any]) -> TorrentFile:
    """One ``torrents/files`` entry (``index`` exists from WebAPI 2.8.2; the position otherwise)."""
    size = read_size(raw.get("size"))
    progress = min(max(as_float(raw.get("progress")), 0.0), 1.0)
    priority = FILE_PRIORITIES.get(as_int(raw.get("priority"), 1), FilePriority.NORMAL)
    return TorrentFile(
        index=as_int(raw.get("index"), position),
        path=str(raw.get("name", "")),
        size=size,
        downloaded=round(size * progress),
        progress=progress,
        priority=priority,
        wanted=priority is not FilePriority.SKIP,
    )


def is_pseudo_tracker(raw: Mapping[str, Any]) -> bool:
    """DHT, PeX and LSD appear in the tracker list as ``** [DHT] **`` rows."""
    url = raw.get("url")
    return not isinstance(url, str) or url.startswith("** [")


def to_tracker(raw: Mapping[str, Any]) -> Tracker:
    """One ``torrents/trackers`` entry: no announce times (4.5 and 5.1 send none in this list)."""
    message = raw.get("msg")
    tier = as_int(raw.get("tier"), -1)
    return Tracker(
        url=str(raw.get("url", "")),
        status=TRACKER_STATUSES.get(as_int(raw.get("status"), -1), TrackerStatus.UNKNOWN),
        tier=tier if tier >= 0 else None,
        seeds=read_count(raw.get("num_seeds")),
        peers=read_count(raw.get("num_leeches")),
        message=message if isinstance(message, str) and message else None,
    )


def to_peer(key: str, raw: Mapping[str, Any]) -> Peer:
    """One ``sync/torrentPeers`` entry; the key is already ``ip:port``."""
    client, flags = raw.get("client"), raw.get("flags")
    return Peer(
        address=key,
        client=client if isinstance(client, str) and client else None,
        flags=(flags.strip() or None) if isinstance(flags, str) else None,
        progress=min(max(as_float(raw.get("progress")), 0.0), 1.0),
        download_speed=read_size(raw.get("dl_speed")),
        upload_speed=read_size(raw.get("up_speed")),
    )
