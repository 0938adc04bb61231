"""Task objects as the v1 API (string statuses) and DS2 (int statuses) return them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from .engine import ACTIVE_STATES
from .state import SimTask, stable_number

__all__ = ["DS2_STATUS", "stringify_numbers", "ds2_task", "v1_task"]

#: v1 status string -> DS2 status int (reference §6.3, from plneto; the int for ``error`` is unknown upstream).
DS2_STATUS: Final[Mapping[str, int]] = {
    "waiting": 1,
    "downloading": 2,
    "paused": 3,
    "finishing": 4,
    "finished": 5,
    "hash_checking": 6,
    "pre_seeding": 7,
    "seeding": 8,
    "filehosting_waiting": 9,
    "extracting": 10,
    "captcha_needed": 15,
}

#: ``additional`` values the v1 API knows (reference §5.3).
V1_ADDITIONAL: Final = frozenset({"detail", "transfer", "file", "tracker", "peer"})


def _peers(task: SimTask) -> tuple[int, int]:
    """Connected seeders and leechers (deterministic per task)."""
    if task.type != "bt" or task.status not in ACTIVE_STATES:
        return 0, 0
    seeders = 0 if task.status == "seeding" else stable_number(task.id + "s", 1, 24)
    return seeders, stable_number(task.id + "l", 0, 9)


def _detail(task: SimTask) -> dict[str, Any]:
    seeders, leechers = _peers(task)
    return {
        "completed_time": int(task.completed_time),
        "connected_leechers": leechers,
        "connected_peers": seeders + leechers,
        "connected_seeders": seeders,
        "create_time": int(task.create_time),
        "destination": task.destination,
        "seedelapsed": int(task.seedelapsed),
        "started_time": int(task.started_time),
        "total_peers": 0,  # every real capture (DSM 6 and 7, even with connected peers) reports 0
        "total_pieces": task.total_pieces,
        "unzip_password": task.unzip_password,
        "uri": task.uri,
        "waiting_seconds": int(task.wait_left) if task.status == "waiting" else 0,
    }


def _transfer(task: SimTask) -> dict[str, Any]:
    return {
        "downloaded_pieces": task.downloaded_pieces,
        "size_downloaded": int(task.downloaded),
        "size_uploaded": int(task.uploaded),
        "speed_download": task.speed_download,
        "speed_upload": task.speed_upload,
    }


def _files(task: SimTask) -> list[dict[str, Any]]:
    if not task.metadata_known:
        return []
    rows: list[dict[str, Any]] = []
    left = int(task.downloaded)
    for index, item in enumerate(task.files):
        done = min(left, item.size)
        left -= done
        rows.append(
            {
                "filename": item.filename,
                "index": index,
                "priority": item.priority,
                "size": item.size,
                "size_downloaded": done,
                "wanted": item.wanted,
            }
        )
    return rows


def _trackers(task: SimTask) -> list[dict[str, Any]]:
    active = task.status in ACTIVE_STATES
    return [
        {
            "url": url,
            "status": "Success" if active else "",
            "update_timer": 1800 if active else 0,
            "seeds": stable_number(url + task.id, 3, 80) if active else 0,
            "peers": stable_number(url + task.id + "p", 0, 40) if active else 0,
        }
        for url in task.trackers
    ]


def _peer_list(task: SimTask) -> list[dict[str, Any]]:
    seeders, leechers = _peers(task)
    rows: list[dict[str, Any]] = []
    for n in range(min(seeders + leechers, 4)):
        is_seed = n < seeders
        rows.append(
            {
                # TEST-NET-1 addresses: documentation only, never contacted.
                "address": f"192.0.2.{10 + n}:{51413 + n}",
                "agent": "qBittorrent/4.6.5" if n % 2 == 0 else "Transmission 4.0.6",
                "progress": 1.0 if is_seed else round(stable_number(task.id + str(n), 0, 99) / 100, 2),
                "speed_download": 0 if is_seed else stable_number(task.id + "pd" + str(n), 0, 65536),
                "speed_upload": task.speed_download // max(seeders, 1) if is_seed else 0,
            }
        )
    return rows


#: ``additional`` blocks only BitTorrent tasks carry: a real http task has no ``file`` key at all.
BT_ONLY: Final = frozenset({"file", "tracker", "peer"})


def _additional(task: SimTask, wanted: Iterable[str]) -> dict[str, Any]:
    builders = {"detail": _detail, "transfer": _transfer, "file": _files, "tracker": _trackers, "peer": _peer_list}
    return {
        name: builders[name](task) for name in wanted if name in builders and (task.type == "bt" or name not in BT_ONLY)
    }


def v1_task(task: SimTask, additional: Iterable[str], *, numbers_as_strings: bool = False) -> dict[str, Any]:
    """The v1 task object: string status; ``status_extra`` only on error tasks (as in DSM 6 captures)."""
    obj: dict[str, Any] = {
        "id": task.id,
        "type": task.type,
        "username": task.owner,
        "title": task.title,
        "size": task.size,
        "status": task.status,
    }
    if task.status == "error":
        obj["status_extra"] = {"error_detail": task.error_detail or "unknown"}
    wanted = [name for name in dict.fromkeys(additional) if name in V1_ADDITIONAL]
    if wanted:
        obj["additional"] = _additional(task, wanted)
    return stringify_numbers(obj) if numbers_as_strings else obj


def ds2_task(task: SimTask, additional: Iterable[str], *, error_status: int) -> dict[str, Any]:
    """The DS2 task object: everything an int, ``status`` included (reference §6.2)."""
    status = error_status if task.status == "error" else DS2_STATUS.get(task.status, 0)
    obj: dict[str, Any] = {
        "id": task.id,
        "type": task.type,
        "username": task.owner,
        "title": task.title,
        "size": task.size,
        "status": status,
    }
    if task.status == "error":
        obj["status_extra"] = {"error_detail": task.error_detail or "unknown"}
    wanted = [name for name in dict.fromkeys(additional) if name in ("detail", "transfer")]
    if wanted:
        obj["additional"] = _additional(task, wanted)
    return obj


def stringify_numbers(value: Any) -> Any:
    """Every number (not booleans) as a JSON string, the way the 2014 documentation shows task fields."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return {key: stringify_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stringify_numbers(item) for item in value]
    return value
