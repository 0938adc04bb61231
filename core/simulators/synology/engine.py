"""Task progression on the simulated clock: waiting -> downloading -> finishing -> seeding or finished.

``advance(task, start, seconds)`` consumes time phase by phase, so one large step
(a test advancing the clock by an hour) ends in the same state as many small ones.
"""

from __future__ import annotations

from .state import SimTask

__all__ = ["advance", "finish_metadata", "ACTIVE_STATES"]

#: Statuses in which a task transfers data.
ACTIVE_STATES = frozenset({"downloading", "seeding"})

# While downloading, a BT task also uploads to its peers at a fraction of its upload rate.
_UPLOAD_WHILE_DOWNLOADING = 0.25


def advance(task: SimTask, start: float, seconds: float) -> None:
    """Move ``task`` forward by ``seconds`` of simulated time starting at ``start``."""
    now = start
    remaining = seconds
    while remaining > 0:
        used = _step(task, now, remaining)
        if used is None:
            break
        now += used
        remaining -= used
    _update_speeds(task)


def finish_metadata(task: SimTask) -> None:
    """The magnet's metadata arrived: size, pieces and files become known."""
    task.metadata_left = 0.0
    task.size = task.real_size


def _step(task: SimTask, now: float, remaining: float) -> float | None:
    """Spend up to ``remaining`` seconds in the current phase; the time used, or None when idle."""
    if task.status == "waiting":
        if remaining < task.wait_left:
            task.wait_left -= remaining
            return remaining
        used = task.wait_left
        task.wait_left = 0.0
        task.started_time = now + used
        if task.fails_with:
            task.status = "error"
            task.error_detail = task.fails_with
            if task.type != "bt":
                task.size = 0  # the link never answered, so its size stays unknown
        else:
            task.status = "downloading"
            if task.metadata_known:
                task.size = task.real_size
        return used
    if task.status == "downloading":
        return _download(task, now, remaining)
    if task.status == "finishing":
        if remaining < task.finishing_left:
            task.finishing_left -= remaining
            return remaining
        used = task.finishing_left
        task.finishing_left = 0.0
        task.completed_time = now + used
        task.status = "seeding" if task.seeds else "finished"
        return used
    if task.status == "seeding":
        limit = task.seed_seconds
        span = remaining if limit is None else min(remaining, max(limit - task.seedelapsed, 0.0))
        task.uploaded += task.upload_rate * span
        task.seedelapsed += span
        if limit is not None and task.seedelapsed >= limit:
            task.status = "finished"
            return span
        return remaining
    return None  # paused, finished, error: time passes without change


def _download(task: SimTask, now: float, remaining: float) -> float:
    if not task.metadata_known:
        if remaining < task.metadata_left:
            task.metadata_left -= remaining
            return remaining
        used = task.metadata_left
        finish_metadata(task)
        return used
    if task.download_rate <= 0:
        return remaining  # stalled: no peers
    left = max(task.size - task.downloaded, 0.0)
    needed = left / task.download_rate
    span = min(remaining, needed)
    task.downloaded += task.download_rate * span
    if task.type == "bt":
        task.uploaded += task.upload_rate * _UPLOAD_WHILE_DOWNLOADING * span
    if span >= needed:
        task.downloaded = float(task.size)
        task.status = "finishing"
    return span


def _update_speeds(task: SimTask) -> None:
    """Current speeds follow the status: nothing moves outside downloading and seeding."""
    if task.status == "downloading" and task.metadata_known:
        task.speed_download = task.download_rate
        task.speed_upload = int(task.upload_rate * _UPLOAD_WHILE_DOWNLOADING) if task.type == "bt" else 0
    elif task.status == "seeding":
        task.speed_download = 0
        task.speed_upload = task.upload_rate
    else:
        task.speed_download = 0
        task.speed_upload = 0
