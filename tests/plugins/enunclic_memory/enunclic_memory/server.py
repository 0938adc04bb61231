"""An in-memory torrent server with a small JSON API, served as an httpx transport.

It behaves like a real server in the ways the core must handle: token sessions
that expire, per-request faults (HTML instead of JSON, truncated JSON, HTTP 500),
torrents whose data lies on disk under ``root``.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from enunclic import bencode


@dataclass
class Entry:
    id: str
    info_hash: str
    name: str
    size: int
    state: str
    destination: str
    label: str | None = None
    #: (path inside the torrent, bytes) per file; a single-file torrent has one, named as the torrent.
    files: list[tuple[str, int]] = field(default_factory=list)
    priorities: list[str] = field(default_factory=lambda: ["normal"])
    trackers: list[str] = field(default_factory=list)
    position: int = 0
    #: Bytes/s per direction ("down", "up"); None for no limit.
    limits: dict[str, int | None] = field(default_factory=lambda: {"down": None, "up": None})
    ratio_limit: float | None = None
    sequential: bool = False
    first_last: bool = False
    wanted: list[int] | None = None


class MemoryServer:
    """One fake server; ``transport()`` gives an httpx transport that serves sync and async clients."""

    def __init__(self, root: Path, *, username: str = "admin", password: str = "secret") -> None:
        self.root = root
        self.username = username
        self.password = password
        self.tokens: set[str] = set()
        self.torrents: dict[str, Entry] = {}
        self.global_limits: dict[str, int | None] = {"down": None, "up": None}
        self.alt_speed = False
        self.labels: set[str] = set()  # labels kept without torrents (like qBittorrent's categories)
        self.faults: list[str] = []  # consumed one per request: "html", "truncated", "500", "expire"
        self.requests: list[httpx.Request] = []
        self.logins = 0
        self._ids = itertools.count(1)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # -- HTTP ------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        fault = self.faults.pop(0) if self.faults else None
        if fault == "500":
            return httpx.Response(500, text="Internal Server Error")
        if fault == "html":
            return httpx.Response(200, html="<html><body>Please log in</body></html>")
        if fault == "expire":
            self.tokens.clear()
        if request.url.path == "/login":
            response = self._login(request)
        elif request.url.path == "/logout":
            self.tokens.discard(request.headers.get("x-token", ""))
            response = {"result": None}
        elif request.url.path == "/rpc":
            response = self._rpc(request)
        else:
            return httpx.Response(404, text="not found")
        body = json.dumps(response).encode()
        if fault == "truncated":
            body = body[: len(body) // 2]
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    def _login(self, request: httpx.Request) -> dict[str, Any]:
        form = dict(httpx.QueryParams(request.content.decode()))
        if form.get("user") != self.username or form.get("password") != self.password:
            return {"error": {"code": "auth", "message": "wrong user or password"}}
        self.logins += 1
        token = secrets.token_hex(8)
        self.tokens.add(token)
        return {"result": {"token": token}}

    def _rpc(self, request: httpx.Request) -> dict[str, Any]:
        if request.headers.get("x-token") not in self.tokens:
            return {"error": {"code": "expired", "message": "no such session"}}
        call = json.loads(request.content)
        method = getattr(self, f"rpc_{call['method']}", None)
        if method is None:
            return {"error": {"code": "bad_request", "message": f"no method {call['method']}"}}
        try:
            return {"result": method(**call.get("params", {}))}
        except KeyError as exc:
            return {"error": {"code": "not_found", "message": f"no torrent {exc.args[0]}"}}
        except ValueError as exc:
            return {"error": {"code": "bad_request", "message": str(exc)}}

    # -- methods -------------------------------------------------------------------------

    def _row(self, e: Entry) -> dict[str, Any]:
        return {
            "id": e.id,
            "hash": e.info_hash,
            "name": e.name,
            "size": e.size,
            "state": e.state,
            "dir": e.destination,
            "label": e.label,
            "pos": e.position,
            "down_limit": e.limits["down"],
            "up_limit": e.limits["up"],
            "ratio_limit": e.ratio_limit,
            "seq": e.sequential,
            "flp": e.first_last,
            "tracker": e.trackers[0] if e.trackers else None,
        }

    def rpc_version(self) -> str:
        return "memory 1.0"

    def rpc_list(self) -> list[dict[str, Any]]:
        return [self._row(e) for e in self.torrents.values()]

    def rpc_get(self, id: str) -> dict[str, Any]:
        return self._row(self.torrents[id])

    def rpc_add(
        self,
        kind: str,
        data: str,
        destination: str | None,
        paused: bool,
        label: str | None,
        *,
        rename: str | None = None,
        wanted: list[int] | None = None,
        down_limit: int | None = None,
        up_limit: int | None = None,
        skip_check: bool = False,
    ) -> dict[str, Any]:
        files: list[tuple[str, int]] = []
        info: dict[bytes, Any] = {}
        if kind == "file":
            meta = bencode.decode(base64.b64decode(data))
            assert isinstance(meta, dict)
            info = meta[b"info"]  # type: ignore[assignment]
            assert isinstance(info, dict)
            info_hash = hashlib.sha1(bencode.encode(info)).hexdigest()  # noqa: S324
            name = info[b"name"].decode()
            files = _files(name, info)
            trackers = [meta[b"announce"].decode()] if b"announce" in meta else []  # type: ignore[union-attr]
        else:
            info_hash = data.split("btih:")[1][:40].lower()
            name, trackers = info_hash, []
            files = [(name, 0)]  # unknown until the metadata comes
        for existing in self.torrents.values():
            if existing.info_hash == info_hash:
                return {"id": existing.id, "duplicate": True}
        if destination is not None and not Path(destination).is_dir():
            raise ValueError(f"destination {destination} does not exist")
        destination = destination or str(self.root)
        # A check finds wrong data on disk (missing data is never checked: this server has no pieces).
        found = skip_check or kind != "file" or _payload_matches(Path(destination), files, info)
        entry = Entry(
            id=f"t{next(self._ids)}",
            info_hash=info_hash,
            name=name,
            size=sum(size for _, size in files),
            state="stopped" if paused else ("fetching" if kind != "file" else "seeding" if found else "downloading"),
            destination=destination,
            label=label,
            files=files,
            priorities=["normal" if wanted is None or i in wanted else "skip" for i in range(len(files))],
            trackers=trackers,
            position=len(self.torrents),
            wanted=wanted,
        )
        if rename:
            entry.name = rename
        entry.limits = {"down": down_limit, "up": up_limit}
        self.torrents[entry.id] = entry
        return {"id": entry.id, "duplicate": False}

    def _each(self, ids: list[str]) -> list[Entry]:
        return [self.torrents[i] for i in ids]

    def rpc_pause(self, ids: list[str]) -> None:
        for e in self._each(ids):
            e.state = "stopped"

    def rpc_resume(self, ids: list[str]) -> None:
        for e in self._each(ids):
            e.state = "seeding"

    def rpc_remove(self, ids: list[str], delete_data: bool) -> None:
        for e in self._each(ids):
            del self.torrents[e.id]
            path = Path(e.destination) / e.name
            if delete_data and path.exists():
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def rpc_recheck(self, ids: list[str]) -> None:
        self._each(ids)

    def rpc_reannounce(self, ids: list[str]) -> None:
        self._each(ids)

    def rpc_label(self, ids: list[str], label: str | None) -> None:
        for e in self._each(ids):
            e.label = label

    def rpc_move(self, ids: list[str], destination: str) -> None:
        for e in self._each(ids):
            e.destination = destination

    def rpc_files(self, id: str) -> list[dict[str, Any]]:
        e = self.torrents[id]
        return [{"path": path, "size": size, "priority": e.priorities[i]} for i, (path, size) in enumerate(e.files)]

    def rpc_priority(self, id: str, indexes: list[int], priority: str) -> None:
        e = self.torrents[id]
        for index in indexes:
            e.priorities[index] = priority

    def rpc_trackers(self, id: str) -> list[str]:
        return self.torrents[id].trackers

    def rpc_peers(self, id: str) -> list[dict[str, Any]]:
        self.torrents[id]
        return []

    def rpc_torrent_limits(self, ids: list[str], **changes: int | None) -> None:
        """Set the directions given (bytes/s, None for none); the others keep their limit."""
        changes = _limit_changes(changes)
        for e in self._each(ids):
            e.limits.update(changes)

    def rpc_global_limits(self, **changes: int | None) -> None:
        self.global_limits.update(_limit_changes(changes))

    def rpc_stats(self) -> dict[str, int | bool | None]:
        return {
            "down": 0,
            "up": 0,
            "down_limit": self.global_limits["down"],
            "up_limit": self.global_limits["up"],
            "alt": self.alt_speed,
        }

    def rpc_labels(self) -> list[str]:
        return sorted(self.labels | {e.label for e in self.torrents.values() if e.label})

    def rpc_all(self, state: str) -> None:
        """Pause ("stopped") or resume ("seeding") every torrent: one request, as Transmission's ids=null."""
        for e in self.torrents.values():
            e.state = state

    def rpc_force(self, ids: list[str]) -> None:
        for e in self._each(ids):
            e.state = "seeding"

    def rpc_switch(self, ids: list[str], name: str, enabled: bool) -> None:
        if name not in ("sequential", "first_last") or type(enabled) is not bool:
            raise ValueError("switch sequential or first_last, with true or false")
        for e in self._each(ids):
            setattr(e, name, enabled)

    def rpc_ratio(self, ids: list[str], ratio: float | None) -> None:
        for e in self._each(ids):
            e.ratio_limit = ratio

    def rpc_alt_speed(self, enabled: bool) -> None:
        self.alt_speed = bool(enabled)

    def rpc_queue(self, ids: list[str], where: str) -> None:
        order = sorted(self.torrents.values(), key=lambda e: e.position)
        for e in self._each(ids):
            order.remove(e)
            order.insert({"top": 0, "bottom": len(order)}.get(where, max(0, e.position - 1)), e)
        for position, e in enumerate(order):
            e.position = position


def _limit_changes(changes: dict[str, int | None]) -> dict[str, int | None]:
    """What a limit call may carry: "down" and/or "up", each bytes/s (>= 0) or None; anything else is refused."""
    if not changes or set(changes) - {"down", "up"}:
        raise ValueError(f"limit changes must name down and/or up, not {sorted(changes)}")
    if any(v is not None and (type(v) is not int or v < 0) for v in changes.values()):
        raise ValueError("a limit is bytes/s (an int >= 0) or null")
    return changes


def _files(name: str, info: dict[bytes, Any]) -> list[tuple[str, int]]:
    """(path, bytes) per file of a torrent's info dict: its name alone, or ``name/<path>`` per file."""
    if b"files" not in info:
        return [(name, int(info.get(b"length", 0)))]
    return [("/".join([name, *(p.decode() for p in f[b"path"])]), int(f[b"length"])) for f in info[b"files"]]


def _payload_matches(folder: Path, files: list[tuple[str, int]], info: dict[bytes, Any]) -> bool:
    """What a hash check in ``folder`` finds: True when the payload is missing (nothing to check) or its
    pieces match."""
    parts = [folder / path for path, _ in files]
    if not all(part.is_file() for part in parts):
        return True
    data = b"".join(part.read_bytes() for part in parts)
    length = int(info[b"piece length"])
    pieces = b"".join(hashlib.sha1(data[i : i + length]).digest() for i in range(0, len(data), length))  # noqa: S324
    return pieces == info[b"pieces"]
