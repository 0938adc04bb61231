"""Task operations shared by the v1 and the DS2 task APIs: create, pause, resume, delete, edit.

Visibility follows DSM: a manager sees every task, any other user only their own
(reference §5.3); an id the caller cannot see is an invalid task id (404).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ... import bencode
from ...exceptions import InvalidInputError
from ...sources import parse_torrent_file
from .context import Context
from .errors import ApiError
from .state import Account, SimFile, SimTask, SimulatorOptions, State, stable_number

__all__ = [
    "DUPLICATE",
    "check_uri",
    "create_from_torrent",
    "create_from_uri",
    "delete",
    "edit",
    "effective_default_destination",
    "is_twin",
    "new_task",
    "pause",
    "resolve_destination",
    "resume",
    "visible_tasks",
]

_MIB = 1024 * 1024

#: The ``error_detail`` of the error task DS makes for a torrent it already has (reference §5.6).
DUPLICATE = "torrent_duplicate"


def visible_tasks(ctx: Context) -> list[SimTask]:
    """The caller's tasks (all of them for a manager), oldest first."""
    user = ctx.user
    tasks = sorted(ctx.state.tasks.values(), key=lambda t: int(t.id.partition("_")[2] or 0))
    return tasks if user.manager else [t for t in tasks if t.owner == user.name]


def _find(ctx: Context, task_id: str) -> SimTask | None:
    task = ctx.state.tasks.get(task_id)
    if task is None or not (ctx.user.manager or task.owner == ctx.user.name):
        return None
    return task


def effective_default_destination(account: Account, options: SimulatorOptions) -> str | None:
    """The user's default destination; managers fall back to the server-wide one."""
    if account.default_destination:
        return account.default_destination
    return options.default_destination if account.manager else None


def resolve_destination(ctx: Context, destination: str | None) -> str:
    """A share-relative folder the caller may write to: 406 without one, 403 missing, 402 denied."""
    if destination is None or destination == "":
        default = effective_default_destination(ctx.user, ctx.options)
        if not default:
            raise ApiError(406)
        destination = default
    if destination.startswith("/"):
        raise ApiError(403)  # absolute paths such as /volume1/... are refused (Medusa#3104)
    clean = destination.rstrip("/")
    if not ctx.state.folder_exists(clean):
        raise ApiError(403)
    if not ctx.state.may_write(ctx.user.name, clean):
        raise ApiError(402)
    return clean


def new_task(
    state: State,
    options: SimulatorOptions,
    now: float,
    *,
    owner: str,
    type: str,
    title: str,
    uri: str,
    destination: str,
    size: int,
    files: Sequence[SimFile] = (),
    trackers: Sequence[str] = (),
    magnet: bool = False,
    info_hash: str | None = None,
    torrent: bytes | None = None,
    fails_with: str | None = None,
) -> SimTask:
    """Put a new task in the queue (``waiting``) and return it."""
    if len(state.tasks) >= options.max_tasks:
        raise ApiError(401)
    task = SimTask(
        id=state.new_task_id(),
        owner=owner,
        type=type,
        title=title,
        uri=uri,
        destination=destination,
        status="waiting",
        create_time=now,
        real_size=size,
        # Only an uploaded .torrent tells the size up front; links learn it when they start (magnets: metadata).
        size=size if torrent is not None else 0,
        files=list(files),
        trackers=list(trackers),
        download_rate=options.download_rate,
        upload_rate=options.upload_rate if type == "bt" else 0,
        wait_left=options.waiting_seconds,
        metadata_left=options.metadata_seconds if magnet else 0.0,
        finishing_left=options.finishing_seconds,
        fails_with=fails_with,
        seeds=type == "bt",
        seed_seconds=options.seed_seconds,
        info_hash=info_hash,
        torrent=torrent,
        piece_size=_piece_size(size),
    )
    if _has_torrent(state, info_hash):
        # Reference §8.1: a duplicate shows up as a task in error (a create-time error is the other reading).
        task.status = "error"
        task.error_detail = DUPLICATE
    state.tasks[task.id] = task
    return task


def is_twin(task: SimTask) -> bool:
    """Whether ``task`` is the error task DS made for a torrent it already had."""
    return task.status == "error" and task.error_detail == DUPLICATE


def _has_torrent(state: State, info_hash: str | None, *, besides: str | None = None) -> bool:
    """Whether a task other than ``besides`` holds this torrent; error twins hold nothing (they never started)."""
    if not info_hash:
        return False
    return any(t.info_hash == info_hash and t.id != besides and not is_twin(t) for t in state.tasks.values())


def _piece_size(size: int) -> int:
    piece = 256 * 1024
    while size // piece > 2000 and piece < 16 * _MIB:
        piece *= 2
    return piece


def _btih(value: str) -> str | None:
    text = value.strip()
    if len(text) == 40:
        try:
            bytes.fromhex(text)
        except ValueError:
            return None
        return text.lower()
    if len(text) == 32:
        try:
            return base64.b32decode(text.upper()).hex()
        except (binascii.Error, ValueError):
            return None
    return None


def _url_hash(url: str) -> str:
    """The info-hash of the .torrent behind ``url``: DS downloads and hashes it; the simulator fetches
    nothing, so the same URL stands for the same torrent (a stable stand-in hash)."""
    text = b"simulated .torrent at " + url.encode("utf-8", "surrogatepass")
    return hashlib.sha1(text, usedforsecurity=False).hexdigest()


def _generated_files(title: str, size: int) -> list[SimFile]:
    """A plausible file list for a torrent we only know by name (magnets, torrent URLs)."""
    if PurePosixPath(title).suffix:
        return [SimFile(title, size)]
    nfo = 2048
    sample = min(size // 20, 50 * _MIB)
    return [
        SimFile(f"{title}/{title}.mkv", size - sample - nfo),
        SimFile(f"{title}/Sample/{title}.sample.mkv", sample),
        SimFile(f"{title}/{title}.nfo", nfo),
    ]


SUPPORTED_SCHEMES = frozenset({"magnet", "http", "https", "ftp", "ftps", "ed2k"})


def check_uri(uri: str) -> None:
    """A link DS can take (101 otherwise), checked before any task of a batch is created."""
    if urlsplit(uri).scheme.lower() not in SUPPORTED_SCHEMES:
        raise ApiError(101)


def create_from_uri(ctx: Context, uri: str, destination: str) -> SimTask:
    """One task for a magnet, an http/https/ftp URL or an ed2k link, as DS creates it."""
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    size = stable_number(uri, 200 * _MIB, 6 * 1024 * _MIB)

    def task(**fields: Any) -> SimTask:
        return new_task(
            ctx.state, ctx.options, ctx.now, owner=ctx.user.name, uri=uri, destination=destination, size=size, **fields
        )

    if scheme == "magnet":
        query = parse_qs(parts.query)
        hashes = [h for xt in query.get("xt", []) if xt.lower().startswith("urn:btih:") for h in [_btih(xt[9:])] if h]
        info_hash = hashes[0] if hashes else None
        title = query.get("dn", [info_hash or "magnet"])[0]
        return task(
            type="bt",
            title=title,
            files=_generated_files(title, size),
            trackers=query.get("tr", []),
            magnet=True,
            info_hash=info_hash,
        )
    if scheme in ("http", "https", "ftp", "ftps"):
        host = (parts.hostname or "").lower()
        # RFC 2606 reserves .invalid: such a link is broken, which is how tests ask for an error task.
        fails = "broken_link" if host.endswith(".invalid") else None
        name = unquote(PurePosixPath(parts.path).name) or host or uri
        if name.lower().endswith(".torrent"):
            title = name[: -len(".torrent")]
            return task(
                type="bt",
                title=title,
                files=_generated_files(title, size),
                trackers=["udp://tracker.opentrackr.org:1337/announce"],
                fails_with=fails,
                info_hash=None if fails else _url_hash(uri),
            )
        return task(type="ftp" if scheme.startswith("ftp") else scheme, title=name, fails_with=fails)
    if scheme == "ed2k":
        fields = uri.split("|")
        return task(type="emule", title=unquote(fields[2]) if len(fields) > 3 else uri)
    raise ApiError(101)


def create_from_torrent(ctx: Context, content: bytes, filename: str | None, destination: str) -> SimTask:
    """One BT task from uploaded .torrent bytes; ``uri`` is the file name without ``.torrent`` (reference §8.2)."""
    try:
        parsed = parse_torrent_file(content, filename=filename)
        meta = bencode.decode(content)
    except (InvalidInputError, bencode.BencodeError):
        raise ApiError(400) from None
    assert isinstance(meta, dict)  # noqa: S101 - parse_torrent_file checked it
    info = meta.get(b"info")
    files: list[SimFile] = []
    if isinstance(info, dict) and isinstance(info.get(b"files"), list):
        for entry in info[b"files"]:  # type: ignore[union-attr]
            if isinstance(entry, dict) and isinstance(entry.get(b"length"), int):
                path = entry.get(b"path")
                segments = (
                    [p.decode("utf-8", "replace") for p in path if isinstance(p, bytes)]
                    if isinstance(path, list)
                    else []
                )
                length = entry[b"length"]
                assert isinstance(length, int)  # noqa: S101 - checked above
                files.append(SimFile("/".join([parsed.name, *segments]), length))
    else:
        files.append(SimFile(parsed.name, parsed.size))
    trackers: list[str] = []
    announce = meta.get(b"announce")
    if isinstance(announce, bytes):
        trackers.append(announce.decode("utf-8", "replace"))
    stem = filename or parsed.filename
    if stem.lower().endswith(".torrent"):
        stem = stem[: -len(".torrent")]
    return new_task(
        ctx.state,
        ctx.options,
        ctx.now,
        owner=ctx.user.name,
        type="bt",
        title=parsed.name,
        uri=stem,
        destination=destination,
        size=parsed.size,
        files=files,
        trackers=trackers,
        info_hash=parsed.info_hash,
        torrent=content,
    )


def pause(ctx: Context, ids: Sequence[str]) -> list[tuple[str, int]]:
    """Per-id results: a paused task stays paused (0); finished and error tasks cannot pause (405)."""
    results: list[tuple[str, int]] = []
    for task_id in ids:
        task = _find(ctx, task_id)
        if task is None:
            results.append((task_id, 404))
        elif task.status in ("finished", "error"):
            results.append((task_id, 405))
        else:
            if task.status != "paused":
                task.paused_from = task.status
                task.status = "paused"
                task.speed_download = task.speed_upload = 0
            results.append((task_id, 0))
    return results


def resume(ctx: Context, ids: Sequence[str]) -> list[tuple[str, int]]:
    """Per-id results: paused tasks continue; finished BT tasks seed again; error tasks retry from the queue,
    except a duplicate twin whose torrent is still there, which stays in error."""
    results: list[tuple[str, int]] = []
    for task_id in ids:
        task = _find(ctx, task_id)
        if task is None:
            results.append((task_id, 404))
            continue
        if task.status == "paused":
            back = task.paused_from or "waiting"
            task.status = "waiting" if back == "finishing" else back
        elif is_twin(task) and _has_torrent(ctx.state, task.info_hash, besides=task.id):
            pass  # DS checks again and finds the torrent still there: the twin stays in error
        elif task.status == "error":
            task.status = "waiting"
            task.error_detail = None
            task.wait_left = ctx.options.waiting_seconds
        elif task.status == "finished" and task.seeds:
            task.status = "seeding"
        task.paused_from = None
        results.append((task_id, 0))
    return results


def delete(ctx: Context, ids: Sequence[str], force_complete: bool) -> list[tuple[str, int]]:
    """Per-id results; the task leaves the list (the data question is the NAS's business, reference §5.8)."""
    results: list[tuple[str, int]] = []
    for task_id in ids:
        task = _find(ctx, task_id)
        if task is None:
            results.append((task_id, 404))
            continue
        del ctx.state.tasks[task_id]
        results.append((task_id, 0))
    _ = force_complete  # partial data is kept (moved) or discarded; the simulator keeps no files
    return results


def edit(ctx: Context, ids: Sequence[str], destination: str) -> list[tuple[str, int]]:
    """Change the destination; a bad destination fails the whole call (403/402) before any task changes."""
    folder = resolve_destination(ctx, destination)
    results: list[tuple[str, int]] = []
    for task_id in ids:
        task = _find(ctx, task_id)
        if task is None:
            results.append((task_id, 404))
            continue
        task.destination = folder
        results.append((task_id, 0))
    return results
