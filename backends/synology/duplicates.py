"""What an add made, and which task a duplicate repeats, read from raw task objects.

Download Station answers a torrent it already has with a new task in error,
``status_extra.error_detail = "torrent_duplicate"`` (its "twin"), not with an error of the
create call (reference §8.1; the PDF lists the value among a task's error details, Synodroid
shows it as a task status). DS reports no info-hashes: a task's hash comes from its magnet's
btih (hex or base32, any case) or from a .torrent this client read (uploaded or read back).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

from .mapping import magnet_hash

__all__ = ["DUPLICATE", "is_twin", "made_by_create", "task_hash", "task_uri", "uploaded_name"]

#: The ``error_detail`` of the error task DS makes for a torrent it already has.
DUPLICATE: Final = "torrent_duplicate"


def task_uri(task: Mapping[str, Any]) -> str | None:
    """``additional.detail.uri``: the link as sent, or an uploaded file's name without ``.torrent``."""
    additional = task.get("additional")
    detail = additional.get("detail") if isinstance(additional, Mapping) else None
    uri = detail.get("uri") if isinstance(detail, Mapping) else None
    return uri if isinstance(uri, str) else None


def is_twin(task: Mapping[str, Any]) -> bool:
    """Whether ``task`` is the error task DS made for a torrent it already had."""
    extra = task.get("status_extra")
    return isinstance(extra, Mapping) and extra.get("error_detail") == DUPLICATE


def uploaded_name(task: Mapping[str, Any]) -> bool:
    """Whether the task's uri is an uploaded file's name (no scheme), whose .torrent DS keeps."""
    uri = task_uri(task)
    return uri is not None and ":" not in uri and task.get("type") == "bt"


def task_hash(task: Mapping[str, Any], known: Mapping[str, str]) -> str | None:
    """The task's info-hash: its magnet's btih, else one this client learned, else None."""
    return magnet_hash(task_uri(task)) or known.get(str(task.get("id")))


def made_by_create(
    tasks: Sequence[Mapping[str, Any]], before: Collection[str], returned: Sequence[str], uris: Collection[str]
) -> Mapping[str, Any] | None:
    """The task a create made: the id the reply returned (DS2), else the one new since ``before``
    whose uri is what was sent (v1 returns no id; the uri tells it from another client's add)."""
    by_id = {str(task.get("id")): task for task in tasks}
    for task_id in returned:
        if task_id in by_id:
            return by_id[task_id]
    new = [task for task_id, task in by_id.items() if task_id not in before and task_uri(task) in uris]
    return new[0] if new else None
