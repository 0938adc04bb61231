"""Download Station task JSON -> enunclic models; the state tables are data, tested row by row.

Numbers arrive as ints (DSM 6/7) or as strings (the PDF, older DSM): every number
goes through :func:`~.api.as_number`, then a toolkit reader; a value that is no number
reads as unknown (0 or None), never as a failed list. ``status_extra`` may be absent,
null or an object.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any, Final

from pydantic_core import core_schema as cs

from enunclic.compiled import Source, compile_model, native, text, when
from enunclic.plugin import (
    FilePriority,
    InvalidInputError,
    Peer,
    ProtocolError,
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
from enunclic.sources import parse_magnet

from .api import as_number

__all__ = [
    "DS2_STATUS_NAMES",
    "ERROR_DETAIL_MESSAGES",
    "STATUS_STATES",
    "TASK_MODEL",
    "magnet_hash",
    "map_file",
    "map_peer",
    "map_state",
    "map_task",
    "map_tracker",
    "with_known_hashes",
]

#: v1 status strings (PDF Appendix A, plus the DS2 names, which may surface as strings too).
STATUS_STATES: Final[Mapping[str, TorrentState]] = {
    "waiting": TorrentState.QUEUED,
    "downloading": TorrentState.DOWNLOADING,
    "paused": TorrentState.PAUSED,
    # After the download DS moves the files from its temporary area to the destination.
    "finishing": TorrentState.MOVING,
    "finished": TorrentState.COMPLETED,
    "hash_checking": TorrentState.CHECKING,
    "seeding": TorrentState.SEEDING,
    # File-hosting tasks waiting for their turn, or for a human to solve a captcha in DS:
    # blocked, not failed.
    "filehosting_waiting": TorrentState.QUEUED,
    "captcha_needed": TorrentState.QUEUED,
    # The unzip service rewrites the finished data on disk; post-processing, like a move.
    "extracting": TorrentState.MOVING,
    "error": TorrentState.ERROR,
    # DS2 names ([uncertain] whether v1 ever sends them as strings).
    "pre_seeding": TorrentState.COMPLETED,
    "preprocessing": TorrentState.QUEUED,
    "preprocess_pass": TorrentState.QUEUED,
    "downloaded": TorrentState.COMPLETED,
    "postprocessing": TorrentState.MOVING,
    # DS2 status 0 carries no information.
    "none": TorrentState.UNKNOWN,
}

#: DS2 numeric statuses (plneto's enum; no official source). Error has no number: see error_detail.
DS2_STATUS_NAMES: Final[Mapping[int, str]] = {
    0: "none",
    1: "waiting",
    2: "downloading",
    3: "paused",
    4: "finishing",
    5: "finished",
    6: "hash_checking",
    7: "pre_seeding",
    8: "seeding",
    9: "filehosting_waiting",
    10: "extracting",
    11: "preprocessing",
    12: "preprocess_pass",
    13: "downloaded",
    14: "postprocessing",
    15: "captcha_needed",
}

#: ``status_extra.error_detail`` values (PDF Appendix B) -> readable text; unknown ones are shown verbatim.
ERROR_DETAIL_MESSAGES: Final[Mapping[str, str]] = {
    "broken_link": "broken link",
    "destination_not_exist": "destination does not exist",
    "destination_denied": "destination denied",
    "disk_full": "disk full",
    "quota_reached": "quota reached",
    "timeout": "timed out",
    "exceed_max_file_system_size": "exceeds the file system's maximum file size",
    "exceed_max_destination_size": "exceeds the destination's maximum file size",
    "exceed_max_temp_size": "exceeds the temporary area's maximum size",
    "encrypted_name_too_long": "encrypted file name too long",
    "name_too_long": "file name too long",
    "torrent_duplicate": "duplicate torrent",
    "file_not_exist": "file does not exist",
    "required_premium_account": "requires a premium account",
    "not_supported_type": "unsupported type",
    "try_it_later": "try again later",
    "task_encryption": "task encryption error",
    "encryption": "task encryption error",
    "missing_python": "Python is missing on the NAS",
    "private_video": "private video",
    "ftp_encryption_not_supported_type": "FTP encryption type not supported",
    "extract_failed": "extraction failed",
    "extract_failed_wrong_password": "extraction failed: wrong password",
    "extract_failed_invalid_archive": "extraction failed: invalid archive",
    "extract_failed_quota_reached": "extraction failed: quota reached",
    "extract_failed_disk_full": "extraction failed: disk full",
    "unknown": "unknown error",
}

#: File priorities; DS has no priority for "not wanted" other than ``skip``.
_FILE_PRIORITIES: Final[Mapping[str, FilePriority]] = {
    "skip": FilePriority.SKIP,
    "low": FilePriority.LOW,
    "normal": FilePriority.NORMAL,
    "high": FilePriority.HIGH,
}

#: Tracker status text as DS shows it; anything else is kept as the tracker's message.
_TRACKER_STATUSES: Final[Mapping[str, TrackerStatus]] = {
    "success": TrackerStatus.WORKING,
    "working": TrackerStatus.WORKING,
    "updating": TrackerStatus.UPDATING,
    "": TrackerStatus.NOT_CONTACTED,
}

_BT_TYPES: Final = frozenset({"bt", "torrent"})


def _fraction(value: Any) -> float:
    result = as_float(as_number(value))
    if result < 0:
        return 0.0
    # Peers report 0..1; a value above 1 can only be a percentage ([uncertain] which DS versions do that).
    return min(result / 100.0 if result > 1.0 else result, 1.0)


def _error_text(detail: Any) -> str | None:
    """The text for ``status_extra.error_detail``; None when there is no error."""
    if detail is None or detail in ("", 0):
        return None
    if isinstance(detail, str):
        return ERROR_DETAIL_MESSAGES.get(detail, detail)
    # DS2 may send a non-string error_detail (rdt#723; shape unknown): keep it readable.
    return json.dumps(detail, separators=(",", ":"), default=str)[:200]


def map_state(status: Any) -> tuple[TorrentState, str]:
    """A native status (v1 string or DS2 int) -> the normalized state and the native value as text."""
    if isinstance(status, bool) or status is None:
        return TorrentState.UNKNOWN, str(status)
    if isinstance(status, int) or (isinstance(status, str) and status.strip().isdigit()):
        code = int(status)
        name = DS2_STATUS_NAMES.get(code)
        return (STATUS_STATES[name] if name else TorrentState.UNKNOWN), str(status)
    if isinstance(status, str):
        return STATUS_STATES.get(status.strip().lower(), TorrentState.UNKNOWN), status
    return TorrentState.UNKNOWN, str(status)[:100]


def magnet_hash(uri: Any) -> str | None:
    """The btih of a magnet link (hex or base32), else None (not a magnet, or no usable hash)."""
    if not isinstance(uri, str):
        return None
    try:
        return parse_magnet(uri).info_hash
    except InvalidInputError:
        return None


def _nonnegative_or_fail(value: int) -> int:
    if value < 0:
        raise ValueError("negative")
    return value


def _dsm_int(value: Any) -> int:
    """DSM numbers may come as text ("5", "5.0"); anything else is not a number here."""
    number = as_number(value)
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
        raise ValueError("not a number")
    return int(number)


#: An int in Rust; a numeric string or a float in Python; anything else -> the field's default.
_NUMBER = cs.union_schema(
    [cs.int_schema(strict=True), cs.no_info_plain_validator_function(_dsm_int)], mode="left_to_right"
)
#: The same, >= 0: a negative size or speed is unknown (0).
_AMOUNT = cs.union_schema(
    [cs.int_schema(strict=True, ge=0), cs.no_info_after_validator_function(_nonnegative_or_fail, _NUMBER)],
    mode="left_to_right",
)


def _amount(alias: Any) -> Source:
    return Source(alias, _AMOUNT, 0)


def _detail(key: str) -> list[str | int]:
    return ["additional", "detail", key]


def _transfer(key: str) -> list[str | int]:
    return ["additional", "transfer", key]


#: A magnet whose first parameter is a hex btih (what DS stores for a magnet task): the hash is
#: sliced out of it; other links are parsed in full (:func:`magnet_hash`).
_HEX_MAGNET_PREFIX = "magnet:?xt=urn:btih:"
_HEX_MAGNET = cs.str_schema(strict=True, pattern=rf"^{re.escape(_HEX_MAGNET_PREFIX)}[0-9a-fA-F]{{40}}(?:&|$)")
_HEX_AT = slice(len(_HEX_MAGNET_PREFIX), len(_HEX_MAGNET_PREFIX) + 40)
#: ``type`` of a BitTorrent task, any case (DS writes "bt"; "torrent" in some versions).
_BT_TYPE = cs.chain_schema([cs.str_schema(strict=True, to_lower=True), cs.literal_schema(sorted(_BT_TYPES))])


def _settle(values: dict[str, Any]) -> None:
    """State, progress, ratio, ETA and hash: the rules that read several fields of a task.

    Sizes and speeds arrive validated as ints >= 0 (or their default 0); ``downloaded`` is None
    when the reply has no ``transfer`` block (DS2 lists without it, Prowlarr#1812; finished
    tasks in a DSM 6 capture), which is "not reported", not "nothing".
    """
    size, reported = values["size"], values["downloaded"]
    status = values["state"]  # the native status until set below
    state, native = map_state(status)
    detail = values.pop("_error_detail")
    if detail is None or detail in ("", 0):
        error = "unknown error" if state is TorrentState.ERROR else None
    else:
        # A non-empty error_detail is an error whatever the status says (DS2 has no error number).
        error, state = _error_text(detail), TorrentState.ERROR
    is_bt = values.pop("_bt") is not None
    downloaded = reported if reported is not None else 0
    if size > 0 and state is TorrentState.PAUSED and downloaded >= size:
        state = TorrentState.COMPLETED  # paused with everything: done, not stopped half-way
    if state is TorrentState.COMPLETED or state is TorrentState.SEEDING:
        # Seeding or finished: the wanted data is complete, whatever transfer says or leaves out.
        progress = 1.0
        if reported is None:
            downloaded = size  # Torrent.downloaded has no "unknown": the complete size is the true amount
    elif size > 0:
        progress = downloaded / size if downloaded < size else 1.0
    else:
        progress = 0.0
        if state is TorrentState.DOWNLOADING and is_bt:
            state = TorrentState.METADATA  # a magnet before its metadata arrived
    speed = values["download_speed"]
    if size > 0 and speed > 0:  # seconds left at the current speed; else unknown
        values["eta"] = 0 if downloaded >= size else -((downloaded - size) // speed)  # ceil division
    magnet, uri = values.pop("_hex_magnet"), values.pop("_uri")
    if is_bt:  # a .torrent task has no link: the backend adds the hash recorded at upload
        values["info_hash"] = magnet[_HEX_AT].lower() if magnet is not None else magnet_hash(uri)
    values["state"], values["native_state"], values["error"], values["progress"] = state, native, error, progress
    values["downloaded"] = downloaded
    values["peers_total"] = _peers_total(values["peers_total"], values["peers_connected"])
    if not values["name"]:
        values["name"] = values["id"]
    if reported:  # a ratio only from amounts DS reported
        values["ratio"] = values["uploaded"] / reported


def _peers_total(total: int | None, connected: int | None) -> int | None:
    """``total_peers``, where 0 means unknown: every capture reports 0, even beside 50 connected
    peers (DSM 6, HA-lib) or completed swarms (DSM 7, Prowlarr#1812). A count below the connected
    peers cannot be a swarm's size: it is read as at least those."""
    if not total:
        return None
    return max(total, connected) if connected is not None else total


#: One task object (``additional=detail,transfer``) -> Torrent.
TASK_MODEL: Final = compile_model(
    Torrent,
    {
        "id": Source("id", cs.str_schema(strict=True, min_length=1), required=True),
        "name": Source("title", cs.str_schema(strict=True), ""),
        "state": native("status"),  # the native status: _settle sets the state and native_state
        "size": _amount("size"),
        "downloaded": Source(_transfer("size_downloaded"), _AMOUNT, None),  # None: not reported (_settle)
        "uploaded": _amount(_transfer("size_uploaded")),
        "download_speed": _amount(_transfer("speed_download")),
        "upload_speed": _amount(_transfer("speed_upload")),
        "destination": text(_detail("destination")),
        "added_at": when(_detail("create_time")),
        "completed_at": when(_detail("completed_time")),
        "seeds_connected": Source(_detail("connected_seeders"), _AMOUNT, None),
        "peers_connected": Source(_detail("connected_leechers"), _AMOUNT, None),
        "peers_total": Source(_detail("total_peers"), _AMOUNT, None),
        "_bt": Source("type", _BT_TYPE, None),
        "_hex_magnet": Source(_detail("uri"), _HEX_MAGNET, None),
        "_uri": native(_detail("uri")),
        "_error_detail": native(["status_extra", "error_detail"]),
    },
    _settle,
)


def map_task(task: Any, known_hash: str | None = None) -> Torrent:
    """One task object (``additional=detail,transfer``) -> a Torrent.

    ``known_hash`` is the info-hash recorded when this client uploaded the .torrent:
    DS itself never reports one.
    """
    if not isinstance(task, Mapping) or not isinstance(task.get("id"), str) or not task["id"]:
        raise ProtocolError("a Download Station task without an id")
    torrent = TASK_MODEL.one(task, "a Download Station task")
    return with_known_hashes([torrent], {task["id"]: known_hash})[0] if known_hash else torrent


def with_known_hashes(torrents: list[Torrent], known: Mapping[str, str]) -> list[Torrent]:
    """``torrents`` with the info-hashes recorded at upload (task id -> hash) where DS gave none."""
    if not known:
        return torrents
    return [
        t.model_copy(update={"info_hash": known[t.id]}) if t.info_hash is None and t.id in known else t
        for t in torrents
    ]


def map_file(item: Any, position: int) -> TorrentFile:
    """One ``additional.file[]`` item (``filename``; DS2 says ``name``)."""
    if not isinstance(item, Mapping):
        raise ProtocolError("a file entry that is not an object")
    path = item.get("filename", item.get("name"))
    if not isinstance(path, str):
        raise ProtocolError("a file entry without a name")
    size = read_size(as_number(item.get("size")))
    done = read_size(as_number(item.get("size_downloaded")))
    raw_priority = str(item.get("priority") or "normal").lower()
    priority = _FILE_PRIORITIES.get(raw_priority, FilePriority.NORMAL)
    wanted = item.get("wanted")
    is_wanted = wanted if isinstance(wanted, bool) else priority is not FilePriority.SKIP
    return TorrentFile(
        index=as_int(as_number(item.get("index")), position),
        path=path,
        size=size,
        downloaded=done,
        progress=min(done / size, 1.0) if size > 0 else 0.0,
        priority=FilePriority.SKIP if not is_wanted else priority,
        wanted=is_wanted,
    )


def map_tracker(item: Any) -> Tracker:
    """One ``additional.tracker[]`` item; seeds/peers of -1 mean unknown."""
    if not isinstance(item, Mapping) or not isinstance(item.get("url"), str):
        raise ProtocolError("a tracker entry without a url")
    text = str(item.get("status") or "").strip()
    status = _TRACKER_STATUSES.get(text.lower(), TrackerStatus.UNKNOWN)
    return Tracker(
        url=item["url"],
        status=status,
        seeds=read_count(as_number(item.get("seeds"))),
        peers=read_count(as_number(item.get("peers"))),
        message=text if status is TrackerStatus.UNKNOWN and text else None,
    )


def map_peer(item: Any) -> Peer:
    """One ``additional.peer[]`` item."""
    if not isinstance(item, Mapping) or not isinstance(item.get("address"), str):
        raise ProtocolError("a peer entry without an address")
    agent = item.get("agent")
    return Peer(
        address=item["address"],
        client=agent if isinstance(agent, str) and agent else None,
        progress=_fraction(item.get("progress")),
        download_speed=read_size(as_number(item.get("speed_download"))),
        upload_speed=read_size(as_number(item.get("speed_upload"))),
    )
