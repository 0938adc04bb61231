"""``SYNO.DownloadStation.Task`` (``task.cgi``, v1-3): list, getinfo, create, delete, pause, resume, edit (§5)."""

from __future__ import annotations

from typing import Any

from . import tasks
from .context import Context, Result
from .errors import ApiError
from .views import v1_task

__all__ = ["handle"]


def _ids(ctx: Context) -> list[str]:
    raw = ctx.require("id")
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    if not ids:
        raise ApiError(101)
    return ids


def _additional(ctx: Context) -> list[str]:
    raw = ctx.param("additional") or ""
    return [part.strip().lower() for part in raw.split(",") if part.strip()]


def _int(ctx: Context, name: str, default: int) -> int:
    raw = ctx.param(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(101) from None


def _per_id(results: list[tuple[str, int]]) -> Result:
    return Result([{"error": code, "id": task_id} for task_id, code in results])


def handle(ctx: Context, method: str) -> Result:
    """Dispatch one v1 task method (names are case-insensitive, as DSM treats them)."""
    if method == "list":
        return _list(ctx)
    if method == "getinfo":
        return _getinfo(ctx)
    if method == "create":
        return _create(ctx)
    if method == "delete":
        return _per_id(tasks.delete(ctx, _ids(ctx), ctx.flag("force_complete")))
    if method == "pause":
        return _per_id(tasks.pause(ctx, _ids(ctx)))
    if method == "resume":
        return _per_id(tasks.resume(ctx, _ids(ctx)))
    if method == "edit":
        if ctx.version < 2:
            raise ApiError(103)  # edit is "2 and later"; v1 answers 103 (reference §5.1)
        return _per_id(tasks.edit(ctx, _ids(ctx), ctx.require("destination")))
    raise ApiError(103)


def _render(ctx: Context, task: Any, additional: list[str]) -> dict[str, Any]:
    return v1_task(task, additional, numbers_as_strings=ctx.options.numbers_as_strings)


def _list(ctx: Context) -> Result:
    offset = max(_int(ctx, "offset", 0), 0)
    limit = _int(ctx, "limit", -1)
    visible = tasks.visible_tasks(ctx)
    page = visible[offset:] if limit < 0 else visible[offset : offset + limit]
    additional = _additional(ctx)
    total = len(visible) if ctx.options.list_total == "all" else len(page)
    return Result({"total": total, "offset": offset, "tasks": [_render(ctx, t, additional) for t in page]})


def _getinfo(ctx: Context) -> Result:
    wanted = _ids(ctx)
    by_id = {t.id: t for t in tasks.visible_tasks(ctx)}
    missing = [task_id for task_id in wanted if task_id not in by_id]
    if missing and ctx.options.getinfo_unknown == "error":
        raise ApiError(404)
    additional = _additional(ctx)
    return Result({"tasks": [_render(ctx, by_id[i], additional) for i in dict.fromkeys(wanted) if i in by_id]})


def _create(ctx: Context) -> Result:
    """Links by ``uri`` (comma-separated; a comma inside a link is sent as %2C) or one uploaded ``file``."""
    upload = next((part for part in ctx.request.files if part.name == "file"), None)
    uri = ctx.param("uri")
    if upload is None and not uri:
        raise ApiError(101)
    # ``destination`` is a v2+ parameter (PDF); v1 creates go to the default destination.
    if uri:
        for link in uri.split(","):
            if link.strip():
                tasks.check_uri(link.strip())
    destination = tasks.resolve_destination(ctx, ctx.param("destination") if ctx.version >= 2 else None)
    if upload is not None:
        if not ctx.personality.v1_upload:
            raise ApiError(101)  # DS 3.8.16+ removed v1 uploads (reference §5.1)
        if ctx.request.part_order and ctx.request.part_order[-1] != "file":
            raise ApiError(101)  # the file part must come last (PDF limitations)
        tasks.create_from_torrent(ctx, upload.content, upload.filename, destination)
    if uri:
        for link in [link.strip() for link in uri.split(",") if link.strip()]:
            tasks.create_from_uri(ctx, link, destination)
    return Result(omit_data=True)  # v1 create answers a bare success: no task id (reference §5.7)
