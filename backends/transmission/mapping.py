"""Transmission values -> enunclic models: state table, units, files, trackers, peers.

Input dicts have snake_case keys (see :func:`~.api.snake_keys`), whatever the dialect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any, Final
from urllib.parse import urlsplit

from pydantic_core import core_schema as cs

from enunclic.compiled import (
    CompiledModel,
    Source,
    amount,
    compile_model,
    count,
    flag,
    fraction,
    limit,
    native,
    number,
    ratio,
    required_text,
    text,
    when,
)
from enunclic.plugin import (
    FilePriority,
    Peer,
    ProtocolError,
    Rate,
    Torrent,
    TorrentFile,
    TorrentState,
    Tracker,
    TrackerStatus,
    as_datetime,
    read_count,
    read_size,
)
from enunclic.plugin import as_float as _float
from enunclic.plugin import as_int as _int

from .api import LEGACY_TORRENT_FIELDS, SEQUENTIAL_FIELD, Dialect

__all__ = [
    "ERROR_STATES",
    "FILE_PRIORITIES",
    "PRIORITY_VALUES",
    "STATUS_STATES",
    "TORRENT",
    "Phase",
    "RATIO_OWN",
    "RATIO_SESSION",
    "Quiet",
    "quiet_of",
    "quiet_of_torrent",
    "tracker_host",
    "speed_rate",
    "torrent_mapping",
    "to_file",
    "to_peer",
    "to_torrent",
    "to_tracker",
]


class Phase(str, Enum):
    """How far a torrent's data is, as the state table needs it."""

    METADATA = "metadata"  # a magnet still fetching the info dictionary
    INCOMPLETE = "incomplete"  # wanted data missing
    COMPLETE = "complete"  # every wanted byte is there (percentDone == 1)


#: (status 0..6, phase) -> state. Status: 0 stopped, 1 check-wait, 2 checking, 3 download-wait,
#: 4 downloading, 5 seed-wait, 6 seeding (rpc-version >= 14). Any other status is unknown.
STATUS_STATES: Final[Mapping[tuple[int, Phase], TorrentState]] = {
    (0, Phase.METADATA): TorrentState.PAUSED,
    (0, Phase.INCOMPLETE): TorrentState.PAUSED,
    (0, Phase.COMPLETE): TorrentState.COMPLETED,  # stopped with all data: done, not seeding
    (1, Phase.METADATA): TorrentState.CHECKING,  # queued for a check is shown as checking
    (1, Phase.INCOMPLETE): TorrentState.CHECKING,
    (1, Phase.COMPLETE): TorrentState.CHECKING,
    (2, Phase.METADATA): TorrentState.CHECKING,
    (2, Phase.INCOMPLETE): TorrentState.CHECKING,
    (2, Phase.COMPLETE): TorrentState.CHECKING,
    (3, Phase.METADATA): TorrentState.QUEUED,
    (3, Phase.INCOMPLETE): TorrentState.QUEUED,
    (3, Phase.COMPLETE): TorrentState.QUEUED,
    (4, Phase.METADATA): TorrentState.METADATA,  # "downloading" a magnet means fetching its metadata
    (4, Phase.INCOMPLETE): TorrentState.DOWNLOADING,
    (4, Phase.COMPLETE): TorrentState.DOWNLOADING,  # a race: done this instant, seeding next
    (5, Phase.METADATA): TorrentState.QUEUED,
    (5, Phase.INCOMPLETE): TorrentState.QUEUED,
    (5, Phase.COMPLETE): TorrentState.QUEUED,
    (6, Phase.METADATA): TorrentState.SEEDING,
    (6, Phase.INCOMPLETE): TorrentState.SEEDING,  # seeding a partial selection
    (6, Phase.COMPLETE): TorrentState.SEEDING,
}

#: ``error`` values that override the status: 1 tracker warning and 2 tracker error leave the
#: torrent working (their text is in ``Torrent.error`` for 2); 3 is a local (disk) error.
ERROR_STATES: Final[Mapping[int, TorrentState]] = {3: TorrentState.ERROR}
#: ``error`` values whose ``errorString`` is reported in ``Torrent.error``.
REPORTED_ERRORS: Final[frozenset[int]] = frozenset({2, 3})

#: Transmission file priority (tr_priority_t) -> enunclic, for wanted files.
FILE_PRIORITIES: Final[Mapping[int, FilePriority]] = {
    -1: FilePriority.LOW,
    0: FilePriority.NORMAL,
    1: FilePriority.HIGH,
}
#: enunclic priority -> the torrent_set argument that sets it (skip is files_unwanted).
PRIORITY_VALUES: Final[Mapping[FilePriority, str]] = {
    FilePriority.LOW: "priority_low",
    FilePriority.NORMAL: "priority_normal",
    FilePriority.HIGH: "priority_high",
}

#: trackerStats announceState: 0 inactive, 1 waiting, 2 queued, 3 announcing.
_ANNOUNCE_INACTIVE, _ANNOUNCE_ACTIVE = 0, 3


def _fraction(value: Any) -> float:
    return min(max(_float(value), 0.0), 1.0)


def _phase(metadata: float, done: float) -> Phase:
    """Metadata missing, data incomplete, or complete."""
    if metadata < 1.0:
        return Phase.METADATA
    return Phase.COMPLETE if done >= 1.0 else Phase.INCOMPLETE


def hash_of(raw: Mapping[str, Any]) -> str:
    """The torrent's info-hash, lower case: enunclic's id for Transmission torrents."""
    value = raw.get("hash_string")
    if not isinstance(value, str) or len(value) != 40:
        raise ProtocolError("a torrent without a 40-digit hashString")
    return value.lower()


def speed_rate(speed_bytes: int) -> Rate:
    """The unit of every speed limit (session and torrent): K/s, one K being ``units.speed_bytes``
    bytes (1000 on 3.00 and 4.1, observed). Only the ``*_limited``/``*_enabled`` flags turn a limit
    off: an enabled 0 is a real zero limit (no transfer), so only negative values read as no limit."""
    return Rate(unit=speed_bytes, unlimited_at_or_below=-1)


#: What an incremental poll compares for the torrents "recently-active" leaves out (a torrent_set or
#: queue move does not make a torrent active, observed on 3.00 and 4.1): the queue position, the
#: label, the download and upload limits, the ratio limit and sequential download, as the Torrent holds them.
Quiet = tuple[int | None, str | None, int | None, int | None, float | None, bool | None]

#: The torrent_get fields :func:`quiet_of` reads, besides the hash, the labels and sequential_download.
QUIET_FIELDS: Final[tuple[str, ...]] = (
    "queue_position",
    "download_limit",
    "download_limited",
    "upload_limit",
    "upload_limited",
    "seed_ratio_limit",
    "seed_ratio_mode",
)

#: ``seedRatioMode``: 0 the session's ratio limit, 1 the torrent's own, 2 none at all.
RATIO_SESSION: Final = 0
RATIO_OWN: Final = 1


def _ratio_limit(value: Any, mode: Any) -> float | None:
    """The torrent's own ratio limit: only while its mode says it has one."""
    if mode != RATIO_OWN or type(mode) is not int or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    limit = float(value)
    return limit if 0 <= limit < float("inf") else None


def quiet_of(raw: Mapping[str, Any], speed: Rate) -> Quiet:
    """The :data:`Quiet` fields of one raw torrent, read as :data:`TORRENT` reads them (limits in ``speed``)."""
    queue, labels, sequential = raw.get("queue_position"), raw.get("labels"), raw.get(SEQUENTIAL_FIELD)
    label = labels[0] if isinstance(labels, list) and labels else None
    down, up = (
        speed.from_native(raw.get(f"{direction}_limit")) if raw.get(f"{direction}_limited") is True else None
        for direction in ("download", "upload")
    )
    return (
        queue if type(queue) is int and queue >= 0 else None,
        label if isinstance(label, str) and label else None,
        down,
        up,
        _ratio_limit(raw.get("seed_ratio_limit"), raw.get("seed_ratio_mode")),
        sequential if isinstance(sequential, bool) else None,
    )


def quiet_of_torrent(torrent: Torrent) -> Quiet:
    """The :data:`Quiet` fields of a Torrent the backend reported."""
    return (
        torrent.queue_position,
        torrent.label,
        torrent.download_limit,
        torrent.upload_limit,
        torrent.ratio_limit,
        torrent.sequential,
    )


def tracker_host(announce: str | None) -> str | None:
    """The host of the first announce URL in ``announce`` (one URL, or 4.0's ``trackerList`` text:
    one URL a line, tiers apart by an empty line); None when there is none."""
    for line in (announce or "").splitlines():
        if line.strip():
            try:
                return urlsplit(line.strip()).hostname or None
            except ValueError:  # an unparsable URL names no host
                return None
    return None


def _finish(values: dict[str, Any]) -> None:
    """The state (status, error code and phase together), the status as text, the name, the
    error text and the info-hash (the id, already checked and lower-cased)."""
    error_code, status = values.pop("_error"), values["state"]  # the raw status until set here
    phase = _phase(values.pop("_metadata"), values["progress"])
    # A status of another type (a float, a boolean, text) is no table key, whatever it equals.
    state = STATUS_STATES.get((status, phase), TorrentState.UNKNOWN) if type(status) is int else TorrentState.UNKNOWN
    values["state"] = ERROR_STATES.get(error_code, state)
    values["native_state"] = str(status)
    # A tracker warning (error 1) is not an error of the torrent; an empty text is no text.
    values["error"] = (values["error"] or None) if error_code in REPORTED_ERRORS else None
    values["info_hash"] = values["id"]
    if not values["name"]:
        values["name"] = values["id"]
    for direction in ("download", "upload"):  # a limit is a limit only while its flag is on
        if values.pop(f"_{direction}_limited") is not True:
            values[f"{direction}_limit"] = None
    values["ratio_limit"] = _ratio_limit(values["ratio_limit"], values.pop("_ratio_mode"))
    values["tracker"] = tracker_host(values["tracker"])


def _compiled(name: Callable[[str], str], speed: Rate) -> CompiledModel[Torrent]:
    """The torrent_get mapping with keys spelled by ``name`` (one dialect's spelling per mapping)
    and limits in ``speed``'s unit."""
    first_tracker: list[str | int] = [name("trackers"), 0, "announce"]
    return compile_model(
        Torrent,
        {
            # info_hash (the same value) and native_state are set by _finish.
            "id": required_text(name("hash_string"), lower=True, length=40),
            "name": text("name", ""),
            "state": native("status"),  # the raw status; _finish sets the state and native_state
            "progress": fraction(name("percent_done")),
            "size": amount(name("size_when_done")),
            "downloaded": amount(name("downloaded_ever")),
            "uploaded": amount(name("uploaded_ever")),
            "ratio": ratio(name("upload_ratio")),  # -1 not available, -2 infinite
            "download_speed": amount(name("rate_download")),
            "upload_speed": amount(name("rate_upload")),
            "download_limit": limit(name("download_limit"), speed),
            "upload_limit": limit(name("upload_limit"), speed),
            "_download_limited": flag(name("download_limited")),
            "_upload_limited": flag(name("upload_limited")),
            "ratio_limit": number(name("seed_ratio_limit")),  # _finish keeps it only in mode 1 (its own)
            "_ratio_mode": native(name("seed_ratio_mode")),
            # The main tracker's URL (4.0's trackerList text, or 3.00's first trackers entry); _finish takes its host.
            "tracker": text(([name("tracker_list")], first_tracker)),
            "sequential": flag(SEQUENTIAL_FIELD),  # 4.1 only; None before
            "eta": count("eta"),  # -1 not available, -2 unknown
            "label": text(("labels", 0)),  # the first label
            "destination": Source(name("download_dir"), cs.str_schema(strict=True), None),
            "added_at": when(name("added_date")),
            "completed_at": when(name("done_date")),
            "seeds_connected": count(name("peers_sending_to_us")),
            "peers_connected": count(name("peers_connected")),
            "queue_position": count(name("queue_position")),
            # Any text (usually empty); _finish keeps it only for the error codes it reports.
            "error": Source(name("error_string"), cs.str_schema(strict=True), None),
            "_error": Source("error", cs.int_schema(strict=True), 0),
            "_metadata": number(name("metadata_percent_complete"), 1.0),
        },
        _finish,
    )


#: Key spellings per dialect: legacy replies spell keys in camelCase, JSON-RPC 2.0 ones (and
#: ``snake_keys`` output) in snake_case.
_SPELLINGS: Final[Mapping[Dialect, Callable[[str], str]]] = {
    Dialect.LEGACY: lambda snake: LEGACY_TORRENT_FIELDS.get(snake, snake),
    Dialect.JSONRPC: lambda snake: snake,
}


@cache
def torrent_mapping(dialect: Dialect, speed_bytes: int = 1000) -> CompiledModel[Torrent]:
    """One torrent_get object (TORRENT_FIELDS) -> Torrent, field by field, for a server of this
    dialect and speed unit (compiled once per pair: in practice one or two per process)."""
    return _compiled(_SPELLINGS[dialect], speed_rate(speed_bytes))


#: The mappings of stock servers (a K of 1000 bytes), per dialect.
TORRENT: Final[Mapping[Dialect, CompiledModel[Torrent]]] = {dialect: torrent_mapping(dialect) for dialect in Dialect}


def to_torrent(raw: Mapping[str, Any], speed_bytes: int = 1000) -> Torrent:
    """One snake_case torrent_get object (TORRENT_FIELDS) as a Torrent."""
    return torrent_mapping(Dialect.JSONRPC, speed_bytes).one(raw, "a Transmission torrent")


def to_file(index: int, info: Mapping[str, Any], stats: Mapping[str, Any]) -> TorrentFile:
    """One entry of ``files`` with its ``file_stats`` twin."""
    size = read_size(info.get("length"))
    done = read_size(stats.get("bytes_completed", info.get("bytes_completed")))
    wanted = bool(stats.get("wanted", True))  # 0/1 on 3.00 and 4.0.2+, booleans on 4.0.0/4.0.1
    priority = FILE_PRIORITIES.get(_int(stats.get("priority")), FilePriority.NORMAL) if wanted else FilePriority.SKIP
    return TorrentFile(
        index=index,
        path=str(info.get("name", "")),
        size=size,
        downloaded=min(done, size) if size else done,
        progress=min(done / size, 1.0) if size else 0.0,
        priority=priority,
        wanted=wanted,
    )


def tracker_status(stats: Mapping[str, Any]) -> TrackerStatus:
    """Tracker status from announceState and the last announce's outcome."""
    state = _int(stats.get("announce_state"), -1)
    if state == _ANNOUNCE_INACTIVE:
        return TrackerStatus.DISABLED
    if state == _ANNOUNCE_ACTIVE:
        return TrackerStatus.UPDATING
    if not stats.get("has_announced"):
        return TrackerStatus.NOT_CONTACTED
    return TrackerStatus.WORKING if stats.get("last_announce_succeeded") else TrackerStatus.ERROR


def to_tracker(stats: Mapping[str, Any]) -> Tracker:
    """One ``tracker_stats`` entry."""
    message = stats.get("last_announce_result")
    tier = stats.get("tier")
    return Tracker(
        url=str(stats.get("announce", "")),
        status=tracker_status(stats),
        tier=tier if type(tier) is int and tier >= 0 else None,
        seeds=read_count(stats.get("seeder_count")),
        peers=read_count(stats.get("leecher_count")),
        message=message if isinstance(message, str) and message else None,
        last_announce=as_datetime(stats.get("last_announce_time")),
        next_announce=as_datetime(stats.get("next_announce_time")),
    )


def to_peer(raw: Mapping[str, Any]) -> Peer:
    """One ``peers`` entry; the address is host:port ([v6]:port)."""
    host = str(raw.get("address", ""))
    port = _int(raw.get("port"))
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    client, flags = raw.get("client_name"), raw.get("flag_str")
    return Peer(
        address=address,
        client=client if isinstance(client, str) and client else None,
        flags=flags if isinstance(flags, str) and flags else None,
        progress=_fraction(raw.get("progress")),
        download_speed=read_size(raw.get("rate_to_client")),
        upload_speed=read_size(raw.get("rate_to_peer")),
    )
