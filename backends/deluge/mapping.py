"""Deluge status dicts -> enunclic models: the state table, priorities and converters, as data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

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
    ratio,
    required_text,
    text,
    verbatim,
    when,
)
from enunclic.plugin import (
    KIB,
    FilePriority,
    Peer,
    ProtocolError,
    Torrent,
    TorrentFile,
    TorrentState,
    Tracker,
    TrackerStatus,
    as_datetime,
    as_float,
    as_int,
    read_count,
    read_size,
)

__all__ = [
    "FILE_PRIORITY_FROM_NATIVE",
    "FILE_PRIORITY_TO_NATIVE",
    "RATE",
    "STATES",
    "TORRENT_KEYS",
    "TRACKER_KEYS",
    "to_files",
    "to_peer",
    "to_torrent",
    "to_tracker",
    "to_trackers",
]

#: Keys asked of ``web.update_ui`` and ``core.get_torrent_status``: exactly what ``to_torrent`` reads.
TORRENT_KEYS: Final[tuple[str, ...]] = (
    "hash",
    "name",
    "state",
    "progress",
    "total_wanted",
    "total_done",
    "total_uploaded",
    "ratio",
    "download_payload_rate",
    "upload_payload_rate",
    "max_download_speed",
    "max_upload_speed",
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
    "stop_at_ratio",
    "stop_ratio",
    "sequential_download",
    "prioritize_first_last_pieces",
    "tracker_host",
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

#: Speed limits (``max_download_speed``, ``max_upload_speed``, torrent options and core config):
#: KiB/s, any fraction; -1 written for no limit. 0 is no limit too (Deluge hands libtorrent
#: ``int(KiB * 1024)``, and libtorrent reads 0 as unlimited: 2.0.3 and 2.2.0 sources), so the core
#: refuses a 0 B/s limit.
RATE: Final = replace(KIB, unlimited=-1, smallest=0)


def _refine(values: dict[str, Any]) -> None:
    """The table, refined: a paused torrent with all wanted data is completed; a download
    with nothing wanted yet is a magnet waiting for metadata. The message is an error only
    in the error state. ``stop_ratio`` is a limit only while ``stop_at_ratio`` is on."""
    stop_at_ratio = values.pop("_stop_at_ratio")
    if stop_at_ratio is not True:
        values["ratio_limit"] = None
    state, finished = values["state"], values.pop("_finished")
    if state is TorrentState.PAUSED and finished is True:
        values["state"] = TorrentState.COMPLETED
    elif state is TorrentState.DOWNLOADING and values["size"] == 0:
        values["state"] = TorrentState.METADATA
    if state is not TorrentState.ERROR:
        values["error"] = None


#: One status dict of ``web.update_ui`` / ``core.get_torrent_status`` (with ``hash``) -> Torrent.
TORRENT: Final = compile_model(
    Torrent,
    {
        "id": required_text("hash"),
        "info_hash": required_text("hash", lower=True),
        "name": Source("name", cs.str_schema(strict=True), required=True),
        "state": choice("state", STATES, TorrentState.UNKNOWN),
        "native_state": verbatim("state", "None"),
        "progress": fraction("progress", scale=100),
        "size": amount("total_wanted"),
        "downloaded": amount("total_done"),
        "uploaded": amount("total_uploaded"),
        "ratio": ratio("ratio"),
        "download_speed": amount("download_payload_rate"),
        "upload_speed": amount("upload_payload_rate"),
        "download_limit": limit("max_download_speed", RATE),
        "upload_limit": limit("max_upload_speed", RATE),
        "eta": Source("eta", cs.int_schema(strict=True, gt=0), None),  # 0: not downloading
        "label": text("label"),
        "destination": text([["download_location"], ["save_path"]]),
        "added_at": when("time_added"),
        "completed_at": when("completed_time"),
        "seeds_connected": count("num_seeds"),
        "seeds_total": count("total_seeds"),
        "peers_connected": count("num_peers"),
        "peers_total": count("total_peers"),
        "queue_position": count("queue"),
        "error": Source("message", cs.str_schema(strict=True), None),
        "_finished": flag("is_finished"),
        "ratio_limit": ratio("stop_ratio"),  # only while stop_at_ratio is on (see _refine)
        "_stop_at_ratio": flag("stop_at_ratio"),
        "sequential": flag("sequential_download"),
        "first_last_piece": flag("prioritize_first_last_pieces"),
        "tracker": text("tracker_host"),
    },
    _refine,
)


def to_torrent(info_hash: str, status: Any) -> Torrent:
    """One status dict -> :class:`Torrent`; the hash it is listed under is its id."""
    if not isinstance(status, dict):
        raise ProtocolError("Deluge answered a torrent status of the wrong shape")
    return TORRENT.one({**status, "hash": info_hash}, "a Deluge torrent status")


def to_files(status: Any) -> list[TorrentFile]:
    """``files``, ``file_progress`` and ``file_priorities`` of one torrent -> files."""
    files, progress, priorities = status.get("files"), status.get("file_progress"), status.get("file_priorities")
    if not isinstance(files, list) or not isinstance(progress, list) or not isinstance(priorities, list):
        raise ProtocolError("Deluge answered files of the wrong shape")
    result = []
    for position, entry in enumerate(files):
        index = int(entry["index"])
        size = read_size(entry["size"])
        done = min(max(as_float(progress[index]) if index < len(progress) else 0.0, 0.0), 1.0)
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
    """One entry of ``trackers``: libtorrent's announce entry as Deluge took it when the trackers were set
    (at add, or when they change), so its flags and counts are that moment's (see :func:`to_trackers`)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        raise ProtocolError("Deluge answered a tracker of the wrong shape")
    error = entry.get("last_error")
    failed = as_int(entry.get("fails")) > 0 or (isinstance(error, dict) and error.get("value", 0) != 0)
    if entry.get("updating"):
        status = TrackerStatus.UPDATING
    elif failed:
        status = TrackerStatus.ERROR
    elif entry.get("verified"):
        status = TrackerStatus.WORKING
    else:
        status = TrackerStatus.NOT_CONTACTED
    message = entry.get("message")
    tier = entry.get("tier")
    return Tracker(
        url=entry["url"],
        status=status,
        tier=tier if type(tier) is int and tier >= 0 else None,
        seeds=read_count(entry.get("scrape_complete")),
        peers=read_count(entry.get("scrape_incomplete")),
        message=message if isinstance(message, str) and message else None,
    )


#: Keys ``trackers()`` asks: the entries, and the torrent's own announce facts (which describe one of them).
TRACKER_KEYS: Final[tuple[str, ...]] = ("trackers", "tracker", "tracker_status", "next_announce", "state")

#: Deluge's ``tracker_status`` (set from libtorrent's tracker alerts) -> status; errors and warnings
#: carry their text after the prefix.
_ANNOUNCE_OUTCOMES: Final[Mapping[str, TrackerStatus]] = {
    "Announce OK": TrackerStatus.WORKING,
    "Announce Sent": TrackerStatus.UPDATING,
    "Error": TrackerStatus.ERROR,
    "Warning": TrackerStatus.WORKING,  # a warning comes in a tracker's answer
}


def to_trackers(status: Mapping[str, Any], now: float) -> list[Tracker]:
    """``trackers`` of one torrent, with what the torrent's own keys say about the tracker they concern.

    The entries' flags are a snapshot (see :func:`to_tracker`); the torrent keys are live: ``next_announce``
    (seconds until libtorrent's announce timer, 0 when paused or due; 2.0.3 keeps the last value while paused)
    goes to the current tracker (``tracker``, the one that answered last), else to the only one, and
    ``tracker_status`` (the outcome of the last announce of any of them) only to a torrent's only tracker.
    Deluge keeps no time of the last announce. ``now`` is the epoch the relative seconds count from.
    """
    entries = status.get("trackers")
    if not isinstance(entries, list):
        raise ProtocolError("Deluge answered trackers of the wrong shape")
    trackers = [to_tracker(entry) for entry in entries]
    current = status.get("tracker")
    concerned = next((i for i, t in enumerate(trackers) if current and t.url == current), None)
    if concerned is None and len(trackers) == 1:
        concerned = 0
    if concerned is None:
        return trackers
    updates: dict[str, Any] = {}
    seconds = as_int(status.get("next_announce"))
    if seconds > 0 and status.get("state") != "Paused":
        updates["next_announce"] = as_datetime(now + seconds)
    outcome = status.get("tracker_status")
    if len(trackers) == 1 and isinstance(outcome, str):
        prefix, _, text = outcome.partition(": ")
        if prefix in _ANNOUNCE_OUTCOMES:
            updates["status"] = _ANNOUNCE_OUTCOMES[prefix]
            updates["message"] = text.strip() or None
    trackers[concerned] = trackers[concerned].model_copy(update=updates)
    return trackers


def to_peer(entry: Any) -> Peer:
    """One entry of ``peers``."""
    if not isinstance(entry, dict) or not isinstance(entry.get("ip"), str):
        raise ProtocolError("Deluge answered a peer of the wrong shape")
    return Peer(
        address=entry["ip"],
        client=str(entry.get("client") or "") or None,
        progress=min(max(as_float(entry.get("progress")), 0.0), 1.0),
        download_speed=read_size(entry.get("down_speed")),
        upload_speed=read_size(entry.get("up_speed")),
    )
