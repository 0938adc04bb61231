"""``SYNO.DownloadStation2.*`` on ``entry.cgi``: JSON-encoded parameters, int statuses (reference §6)."""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from . import tasks
from .context import Context, Result
from .errors import ApiError
from .state import PendingList, SimFile, SimTask, State
from .views import DS2_STATUS, ds2_task

__all__ = [
    "handle_complete",
    "handle_list",
    "handle_location",
    "handle_polling",
    "handle_source",
    "handle_task",
]


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


def _names(value: Any) -> list[str]:
    """A JSON array, a JSON string or a bare comma-separated string, as a list of names."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def _additional(ctx: Context) -> list[str]:
    # A JSON array or a bare value: a real DSM 7 answered additional=detail with the detail block
    # (Prowlarr#1812), and Sonarr/Radarr/Prowlarr send it bare.
    return [name.lower() for name in _names(ctx.json_param("additional"))]


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
    if method in ("delete_condition", "pause_condition", "resume_condition"):
        return _by_condition(ctx, method.partition("_")[0])
    raise ApiError(103)


def _by_condition(ctx: Context, action: str) -> Result:
    """``*_condition``: every visible task whose type is (or, with ``type_inverse``, is not) listed, and whose
    int status is listed when ``status`` is given (N4S4: "clear finished" = not emule, status [5])."""
    types = set(_names(ctx.json_param("type")))
    inverse = ctx.flag("type_inverse")
    statuses = {str(s) for s in _names(ctx.json_param("status"))}
    chosen = [
        task.id
        for task in tasks.visible_tasks(ctx)
        if (task.type in types) != inverse
        and (
            not statuses
            or str(ctx.options.ds2_error_status if task.status == "error" else DS2_STATUS.get(task.status, 0))
            in statuses
        )
    ]
    if action == "delete":
        return _failed(tasks.delete(ctx, chosen, ctx.flag("force_complete")))
    if action == "pause":
        return _failed(tasks.pause(ctx, chosen))
    return _failed(tasks.resume(ctx, chosen))


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
        return _create_lists(ctx, sources, folder)
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


def _scratch_task(ctx: Context, source: Any, folder: str) -> SimTask:
    """What ``source`` would become, built in a throw-away state so nothing is queued yet."""
    scratch = dataclasses.replace(ctx, state=State(accounts=ctx.state.accounts, folders=ctx.state.folders))
    if isinstance(source, str):
        return tasks.create_from_uri(scratch, source, folder)
    return tasks.create_from_torrent(scratch, source.content, source.filename, folder)


def _create_lists(ctx: Context, sources: list[Any], folder: str) -> Result:
    """``create_list=true``: each BitTorrent source becomes a pending file list and nothing downloads yet;
    other links have no files to choose and are queued at once."""
    list_ids: list[str] = []
    task_ids: list[str] = []
    for source in sources:
        preview = _scratch_task(ctx, source, folder)
        if preview.type != "bt":
            task_ids.append(tasks.create_from_uri(ctx, source, folder).id)
            continue
        ctx.state.list_sequence += 1
        list_id = f"btlist_{ctx.state.list_sequence}_{secrets.token_hex(4)}"
        ctx.state.pending_lists[list_id] = PendingList(
            list_id=list_id,
            owner=ctx.user.name,
            created=ctx.now,
            source=source if isinstance(source, str) else (source.filename, source.content),
            title=preview.title,
            size=preview.real_size,
            files=[dataclasses.replace(f) for f in preview.files],
        )
        list_ids.append(list_id)
    return Result({"list_id": list_ids, "task_id": task_ids if ctx.options.ds2_returns_task_ids else []})


def _pending(ctx: Context, list_id: str) -> PendingList:
    pending = ctx.state.pending_lists.get(list_id)
    if pending is None or not (ctx.user.manager or pending.owner == ctx.user.name):
        raise ApiError(404)
    return pending


def _list_ids(ctx: Context) -> list[str]:
    ids = _names(ctx.json_param("list_id"))
    if not ids:
        raise _validation("list_id", "required")
    return ids


def handle_list(ctx: Context, method: str) -> Result:
    """``SYNO.DownloadStation2.Task.List``: ``get`` a pending list's files; ``delete`` lists (unknown ids ignored)."""
    if method == "get":
        pending = _pending(ctx, _list_ids(ctx)[0])
        files = [{"index": n, "name": f.filename, "size": f.size} for n, f in enumerate(pending.files)]
        return Result({"files": files, "size": pending.size, "title": pending.title, "type": "bt"})
    if method == "delete":
        for list_id in _list_ids(ctx):
            if list_id in ctx.state.pending_lists:
                _pending(ctx, list_id)
                del ctx.state.pending_lists[list_id]
        return Result(omit_data=True)
    raise ApiError(103)


def _selection(ctx: Context, count: int) -> list[int]:
    """``selected=[0,2]`` (the DSM UI, dvcol) or ``file_indexes=0,2`` (N4S4); every file when neither is given."""
    raw = ctx.json_param("selected")
    if raw is None:
        raw = ctx.json_param("file_indexes")
    if raw is None:
        return list(range(count))
    try:
        chosen = sorted({int(item) for item in _names(raw)})
    except ValueError:
        raise _validation("selected", "condition") from None
    if not chosen or chosen[0] < 0 or chosen[-1] >= count:
        raise _validation("selected", "condition")
    return chosen


def handle_polling(ctx: Context, method: str) -> Result:
    """``SYNO.DownloadStation2.Task.List.Polling download``: queue the task with the chosen files.

    The reply is the id of DSM's asynchronous job, not a task id; the task is in the list at once.
    """
    if method != "download":
        raise ApiError(103)
    list_id = _list_ids(ctx)[0]
    pending = _pending(ctx, list_id)
    chosen = set(_selection(ctx, len(pending.files)))
    raw_destination = ctx.json_param("destination")
    folder = tasks.resolve_destination(ctx, str(raw_destination) if raw_destination else None)
    _ = ctx.flag("create_subfolder", default=True)  # where the files land on the share; not visible over the API
    if isinstance(pending.source, str):
        task = tasks.create_from_uri(ctx, pending.source, folder)
    else:
        filename, content = pending.source
        task = tasks.create_from_torrent(ctx, content, filename, folder)
    task.files = [
        SimFile(f.filename, f.size, priority=f.priority if n in chosen else "skip", wanted=n in chosen)
        for n, f in enumerate(task.files)
    ]
    wanted = sum(f.size for f in task.files if f.wanted)
    task.real_size = wanted
    if task.size:
        task.size = wanted
    del ctx.state.pending_lists[list_id]
    return Result({"task_id": f"{ctx.user.name}/SYNODLTaskListDownload{secrets.token_hex(6)}"})
