"""``SYNO.DownloadStation2.*`` on ``entry.cgi``: JSON-encoded parameters, int statuses (reference §6)."""

from __future__ import annotations

import secrets
from typing import Any

from . import tasks
from .context import Context, Result
from .errors import ApiError
from .views import ds2_task

__all__ = ["handle_complete", "handle_location", "handle_source", "handle_task"]


def _validation(name: str, reason: str) -> ApiError:
    """120 with the ``errors`` object JSON APIs add (reference §4.1)."""
    return ApiError(120, {"name": name, "reason": reason})


def _id_list(ctx: Context) -> list[str]:
    """``id=["dbid_1"]`` (JSON) or a bare ``id=dbid_1`` (Sonarr's V2 delete)."""
    value = ctx.json_param("id")
    if value is None:
        raise _validation("id", "required")
    items = value if isinstance(value, list) else str(value).split(",")
    ids = [str(item).strip() for item in items if str(item).strip()]
    if not ids:
        raise _validation("id", "condition")
    return ids


def _additional(ctx: Context) -> list[str]:
    value = ctx.json_param("additional")
    # Only a JSON array counts: DSM 7.3.2 silently drops the comma-string form (reference §6.2).
    return [str(item) for item in value] if isinstance(value, list) else []


def _number(ctx: Context, name: str, default: int) -> int:
    value = ctx.json_param(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _validation(name, "condition") from None


def _render(ctx: Context, task: Any, additional: list[str]) -> dict[str, Any]:
    return ds2_task(task, additional, error_status=ctx.options.ds2_error_status)


def _failed(results: list[tuple[str, int]]) -> Result:
    return Result({"failed_task": [{"error": code, "id": task_id} for task_id, code in results if code]})


def handle_task(ctx: Context, method: str) -> Result:
    """``SYNO.DownloadStation2.Task``: list, get, create, delete, pause, resume."""
    if method == "list":
        offset = max(_number(ctx, "offset", 0), 0)
        limit = _number(ctx, "limit", -1)
        visible = tasks.visible_tasks(ctx)
        page = visible[offset:] if limit < 0 else visible[offset : offset + limit]
        additional = _additional(ctx)
        return Result({"offset": offset, "task": [_render(ctx, t, additional) for t in page], "total": len(visible)})
    if method == "get":
        wanted = _id_list(ctx)
        by_id = {t.id: t for t in tasks.visible_tasks(ctx)}
        additional = _additional(ctx)
        return Result({"tasks": [_render(ctx, by_id[i], additional) for i in dict.fromkeys(wanted) if i in by_id]})
    if method == "create":
        return _create(ctx)
    if method == "delete":
        return _failed(tasks.delete(ctx, _id_list(ctx), ctx.flag("force_complete")))
    if method == "pause":
        tasks.pause(ctx, _id_list(ctx))
        return Result(omit_data=True)  # pause answers a plain success (plneto)
    if method == "resume":
        return _failed(tasks.resume(ctx, _id_list(ctx)))
    raise ApiError(103)


def _create(ctx: Context) -> Result:
    kind = ctx.json_param("type")
    if kind is None:
        raise _validation("type", "required")
    if ctx.param("create_list") is None:
        raise _validation("create_list", "required")
    create_list = ctx.flag("create_list")
    raw_destination = ctx.json_param("destination")
    if raw_destination is None:
        raise _validation("destination", "required")
    destination = str(raw_destination)
    if destination == "" and ctx.options.ds2_empty_destination == "error":
        raise _validation("destination", "required")
    folder = tasks.resolve_destination(ctx, destination or None)
    if kind == "url":
        urls = ctx.json_param("url")
        if urls is None or urls in ("", []):
            raise _validation("url", "required")
        links = [str(u) for u in urls] if isinstance(urls, list) else [str(urls)]
        for link in links:
            tasks.check_uri(link)
        sources: list[Any] = links
    elif kind == "file":
        names = ctx.json_param("file")
        if not isinstance(names, list) or not names:
            raise _validation("file", "required" if names is None else "condition")
        uploads = {part.name: part for part in ctx.request.files}
        if any(str(name) not in uploads for name in names):
            raise _validation("file", "condition")  # the listed part names must match (SickChill#7062)
        sources = [uploads[str(name)] for name in names]
    else:
        raise _validation("type", "condition")
    if create_list:
        # The download waits for a file selection through Task.List (not simulated): nothing starts.
        return Result({"list_id": [f"list_{secrets.token_hex(4)}"], "task_id": []})
    created = [
        tasks.create_from_uri(ctx, source, folder)
        if isinstance(source, str)
        else tasks.create_from_torrent(ctx, source.content, source.filename, folder)
        for source in sources
    ]
    task_ids = [task.id for task in created] if ctx.options.ds2_returns_task_ids else []
    return Result({"list_id": [], "task_id": task_ids})


def handle_source(ctx: Context, method: str) -> Result:
    """``SYNO.DownloadStation2.Task.Source download``: the original .torrent of an uploaded task."""
    if method != "download":
        raise ApiError(103)
    ids = _id_list(ctx)
    task = next((t for t in tasks.visible_tasks(ctx) if t.id == ids[0]), None)
    if task is None or task.torrent is None:
        raise ApiError(404)
    return Result(raw=task.torrent)


def handle_complete(ctx: Context, method: str) -> Result:
    """``SYNO.DownloadStation2.Task.Complete start``: stop seeding ("complete") the given tasks."""
    if method != "start":
        raise ApiError(103)
    wanted = set(_id_list(ctx))
    for task in tasks.visible_tasks(ctx):
        if task.id in wanted and task.status == "seeding":
            task.status = "finished"
    return Result({"task_id": f"{ctx.user.name}/SYNODLTaskEnd{secrets.token_hex(6)}"})


def handle_location(ctx: Context, method: str) -> Result:
    """``SYNO.DownloadStation2.Settings.Location get`` -> the caller's default destination."""
    if method != "get":
        raise ApiError(103)
    return Result({"default_destination": tasks.effective_default_destination(ctx.user, ctx.options)})
