"""Native torrent objects as each server sends them, generated at any scale (tests and benchmarks).

Deterministic: torrent ``i`` always has the same hash, name and numbers, so a fake server,
a fuzz test and the benchmark all describe the same torrents.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from typing import Any
from xml.sax.saxutils import escape

__all__ = [
    "DELUGE_STATES",
    "QB_STATES",
    "deluge_status",
    "info_hash",
    "qbittorrent_torrent",
    "rtorrent_row",
    "rtorrent_rows_reply",
    "synology_task",
    "transmission_torrent",
    "xmlrpc_response",
]

#: qBittorrent 5.x states cycled through the generated torrents.
QB_STATES = ("downloading", "stalledUP", "stoppedDL", "uploading", "queuedDL", "checkingUP", "stalledDL")
_EPOCH = 1_700_000_000
_GIB = 1024**3


def info_hash(i: int) -> str:
    """The lower-case hex info-hash of generated torrent ``i``."""
    return hashlib.sha1(f"torrent-{i}".encode()).hexdigest()  # noqa: S324 - an id, not security


def _size(i: int) -> int:
    return (i % 50 + 1) * _GIB // 7


def transmission_torrent(i: int, *, tid: int | None = None, status: int | None = None) -> dict[str, Any]:
    """One legacy (camelCase) ``torrent-get`` object with every field enunclic asks for."""
    size = _size(i)
    done = size if i % 3 == 0 else size * (i % 97) // 100
    return {
        "id": tid if tid is not None else i + 1,
        "hashString": info_hash(i),
        "name": f"Some.Linux.Distribution.{i}.x86_64.iso",
        "status": status if status is not None else (6 if i % 3 == 0 else 4 if i % 3 == 1 else 0),
        "error": 0,
        "errorString": "",
        "percentDone": done / size,
        "metadataPercentComplete": 1,
        "sizeWhenDone": size,
        "downloadedEver": done,
        "uploadedEver": done // 3,
        "uploadRatio": 0.3333,
        "rateDownload": 0 if i % 3 == 0 else 150_000 + i,
        "rateUpload": 20_000 + i,
        "eta": -1 if i % 3 == 0 else 3600 + i,
        "downloadDir": "/srv/downloads/complete",
        "addedDate": _EPOCH + i,
        "doneDate": _EPOCH + i + 3600 if i % 3 == 0 else 0,
        "peersConnected": i % 40,
        "peersSendingToUs": i % 7,
        "queuePosition": i,
        "labels": ["linux"] if i % 2 else [],
    }


def qbittorrent_torrent(i: int, *, state: str | None = None) -> dict[str, Any]:
    """One ``torrents/info`` object of qBittorrent 5.0 with all of its ~60 fields."""
    size = _size(i)
    progress = 1.0 if i % 3 == 0 else (i % 97) / 100
    done = int(size * progress)
    h = info_hash(i)
    return {
        "added_on": _EPOCH + i,
        "amount_left": size - done,
        "auto_tmm": False,
        "availability": -1,
        "category": "linux" if i % 2 else "",
        "comment": "",
        "completed": done,
        "completion_on": _EPOCH + i + 3600 if progress >= 1 else -1,
        "content_path": f"/srv/downloads/Some.Linux.Distribution.{i}.x86_64.iso",
        "dl_limit": -1,
        "dlspeed": 0 if progress >= 1 else 150_000 + i,
        "download_path": "",
        "downloaded": done,
        "downloaded_session": 0,
        "eta": 8640000 if progress >= 1 else 3600 + i,
        "f_l_piece_prio": False,
        "force_start": False,
        "has_metadata": True,
        "hash": h,
        "inactive_seeding_time_limit": -2,
        "infohash_v1": h,
        "infohash_v2": "",
        "last_activity": _EPOCH + i + 60,
        "magnet_uri": f"magnet:?xt=urn:btih:{h}&dn=Some.Linux.Distribution.{i}.x86_64.iso",
        "max_inactive_seeding_time": -1,
        "max_ratio": -1,
        "max_seeding_time": -1,
        "name": f"Some.Linux.Distribution.{i}.x86_64.iso",
        "num_complete": 100 + i % 50,
        "num_incomplete": 10 + i % 20,
        "num_leechs": i % 7,
        "num_seeds": i % 11,
        "popularity": 0,
        "priority": i + 1,
        "private": False,
        "progress": progress,
        "ratio": 0.3333,
        "ratio_limit": -2,
        "reannounce": 1200,
        "root_path": "",
        "save_path": "/srv/downloads",
        "seeding_time": 0,
        "seeding_time_limit": -2,
        "seen_complete": _EPOCH,
        "seq_dl": False,
        "size": size,
        "state": state if state is not None else QB_STATES[i % len(QB_STATES)],
        "super_seeding": False,
        "tags": "",
        "time_active": 3600,
        "total_size": size,
        "tracker": "http://127.0.0.1:9/announce",
        "trackers_count": 1,
        "up_limit": -1,
        "uploaded": done // 3,
        "uploaded_session": 0,
        "upspeed": 20_000 + i,
    }


DELUGE_STATES = ("Downloading", "Seeding", "Paused", "Queued", "Checking")


def deluge_status(i: int, *, state: str | None = None) -> dict[str, Any]:
    """One ``core.get_torrents_status`` entry with the keys enunclic asks deluge-web for."""
    size = _size(i)
    done = size if i % 3 == 0 else size * (i % 97) // 100
    return {
        "hash": info_hash(i),
        "name": f"Some.Linux.Distribution.{i}.x86_64.iso",
        "state": state if state is not None else DELUGE_STATES[i % len(DELUGE_STATES)],
        "progress": done * 100 / size,
        "total_wanted": size,
        "total_done": done,
        "total_uploaded": done // 3,
        "ratio": 0.3333,
        "download_payload_rate": 0 if i % 3 == 0 else 150_000 + i,
        "upload_payload_rate": 20_000 + i,
        "eta": 0 if i % 3 == 0 else 3600 + i,
        "label": "linux" if i % 2 else "",
        "download_location": "/srv/downloads",
        "time_added": float(_EPOCH + i),
        "completed_time": float(_EPOCH + i + 3600) if i % 3 == 0 else 0.0,
        "num_seeds": i % 11,
        "total_seeds": 100 + i % 50,
        "num_peers": i % 7,
        "total_peers": 10 + i % 20,
        "queue": i,
        "message": "OK",
        "is_finished": i % 3 == 0,
    }


def rtorrent_row(i: int, *, started: bool = True) -> list[Any]:
    """One ``d.multicall2`` row in the order of the backend's TORRENT_FIELDS."""
    size = _size(i)
    complete = i % 3 == 0
    done = size if complete else size * (i % 97) // 100
    return [
        info_hash(i).upper(),  # d.hash
        f"Some.Linux.Distribution.{i}.x86_64.iso",  # d.name
        1 if started else 0,  # d.state
        1 if started else 0,  # d.is_active
        1,  # d.is_open
        1 if complete else 0,  # d.complete
        0,  # d.is_hash_checking
        0,  # d.is_meta
        "",  # d.message
        size,  # d.size_bytes
        done,  # d.completed_bytes
        size - done,  # d.left_bytes
        done // 3,  # d.up.total
        0 if complete else 150_000 + i,  # d.down.rate
        20_000 + i,  # d.up.rate
        "linux" if i % 2 else "",  # d.custom1
        "/srv/downloads",  # d.directory
        0,  # d.is_multi_file
        _EPOCH + i,  # d.load_date
        _EPOCH + i + 3600 if complete else 0,  # d.timestamp.finished
        i % 40,  # d.peers_connected
        i % 7,  # d.peers_complete
        f"1{i % 50} http://tracker.example.org:6969/announce\t",  # trackers: enabled, announces, URL
    ]


def _xml(value: Any, out: list[str]) -> None:
    if isinstance(value, bool):
        out.append(f"<value><boolean>{int(value)}</boolean></value>")
    elif isinstance(value, int):
        tag = "i4" if -(2**31) <= value < 2**31 else "i8"  # rTorrent writes 64-bit values as i8
        out.append(f"<value><{tag}>{value}</{tag}></value>")
    elif isinstance(value, str):
        out.append(f"<value><string>{escape(value)}</string></value>")
    elif isinstance(value, bytes):
        out.append(f"<value><base64>{b64encode(value).decode()}</base64></value>")
    elif isinstance(value, (list, tuple)):
        out.append("<value><array><data>")
        for item in value:
            _xml(item, out)
        out.append("</data></array></value>")
    elif isinstance(value, dict):
        out.append("<value><struct>")
        for key, item in value.items():
            out.append(f"<member><name>{escape(str(key))}</name>")
            _xml(item, out)
            out.append("</member>")
        out.append("</struct></value>")
    else:
        raise TypeError(f"cannot write {type(value).__name__} as XML-RPC")


def xmlrpc_response(value: Any) -> bytes:
    """A ``methodResponse`` carrying ``value`` (with i8 for 64-bit ints, which the stdlib cannot write)."""
    out = ["<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>"]
    _xml(value, out)
    out.append("</param>\n</params>\n</methodResponse>\n")
    return "".join(out).encode()


def rtorrent_rows_reply(rows: list[list[Any]]) -> bytes:
    """A ``d.multicall2`` reply carrying ``rows`` as rTorrent writes it."""
    return xmlrpc_response(rows)


def synology_task(i: int, *, status: str | None = None) -> dict[str, Any]:
    """One v1 ``list`` task with ``additional=detail,transfer`` as DSM 7 answers it."""
    size = _size(i)
    done = size if i % 3 == 0 else size * (i % 97) // 100
    h = info_hash(i)
    return {
        "id": f"dbid_{i + 1}",
        "type": "bt",
        "username": "admin",
        "title": f"Some.Linux.Distribution.{i}.x86_64.iso",
        "size": size,
        "status": status if status is not None else ("seeding" if i % 3 == 0 else "downloading"),
        "status_extra": None,
        "additional": {
            "detail": {
                "completed_time": _EPOCH + i + 3600 if i % 3 == 0 else 0,
                "connected_leechers": i % 7,
                "connected_peers": i % 40,
                "connected_seeders": i % 11,
                "create_time": _EPOCH + i,
                "destination": "downloads",
                "seedelapsed": 0,
                "started_time": _EPOCH + i,
                "total_peers": 100 + i % 50,
                "total_pieces": 1239,
                "unzip_password": "",
                "uri": f"magnet:?xt=urn:btih:{h}&dn=Some.Linux.Distribution.{i}.x86_64.iso",
                "waiting_seconds": 0,
            },
            "transfer": {
                "downloaded_pieces": 600,
                "size_downloaded": done,
                "size_uploaded": done // 3,
                "speed_download": 0 if i % 3 == 0 else 150_000 + i,
                "speed_upload": 20_000 + i,
            },
        },
    }
