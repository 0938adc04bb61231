"""A fake Example server for tests: the whole API in memory, served as an httpx transport.

It speaks the API that :mod:`enunclic_example.api` describes, with a cookie session
that tests can end (:meth:`ExampleServer.expire_sessions`) and a version that tests can
lower (labels need 2.0). Torrent payloads lie under ``root``, so that removing a torrent
with its data deletes a real file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import httpx

from enunclic import bencode

__all__ = ["ExampleServer", "Task"]

COOKIE = "session"


@dataclass
class Task:
    """One torrent as the server keeps it."""

    hash: str
    name: str
    size: int
    status: str
    directory: str
    percent: float = 100.0
    label: str | None = None
    added_on: int = field(default_factory=lambda: int(time.time()))


class ExampleServer:
    """One server; ``transport()`` serves the sync and the async client alike."""

    def __init__(
        self,
        root: Path,
        *,
        username: str = "admin",
        password: str = "secret",  # noqa: S107 - a fake server's test account
        version: str = "2.1.0",
    ) -> None:
        self.root = root
        self.username = username
        self.password = password
        self.version = version
        #: Pages the server can fetch for ``add(url)``: URL -> .torrent bytes.
        self.web: dict[str, bytes] = {}
        self.tasks: dict[str, Task] = {}
        self.sessions: set[str] = set()
        self.logins = 0
        self.requests: list[httpx.Request] = []

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def expire_sessions(self) -> None:
        """Forget every session, as a server does after a restart or a timeout."""
        self.sessions.clear()

    # -- HTTP ------------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        body = json.loads(request.content) if request.content else {}
        if path == "/api/login":
            return self._login(body)
        session = _cookie(request)
        if session not in self.sessions:
            return httpx.Response(401, json={"error": {"code": "session_expired", "message": "log in first"}})
        if path == "/api/logout":
            self.sessions.discard(session)
            return _result(None)
        if path == "/api/version":
            return _result({"version": self.version})
        if path == "/api/torrents":
            return _result([self._row(task) for task in self.tasks.values()])
        parts = path.removeprefix("/api/torrents/").split("/")
        try:
            if request.method == "POST":
                return self._post(parts[0], body)
            task = self.tasks[parts[0]]
        except KeyError as exc:
            return _error("not_found", f"no torrent {exc.args[0]}")
        except ValueError as exc:
            return _error(str(exc), "the server refused the request")
        if parts[1:] == ["files"]:
            return _result([{"name": task.name, "length": task.size, "done": task.percent}])
        return _result(self._row(task))

    def _login(self, body: dict[str, Any]) -> httpx.Response:
        if (body.get("username"), body.get("password")) != (self.username, self.password):
            return httpx.Response(401, json={"error": {"code": "bad_credentials", "message": "wrong password"}})
        self.logins += 1
        token = secrets.token_hex(16)
        self.sessions.add(token)
        return httpx.Response(200, json={"result": None}, headers={"set-cookie": f"{COOKIE}={token}; Path=/; HttpOnly"})

    def _post(self, action: str, body: dict[str, Any]) -> httpx.Response:
        if action == "add":
            return _result(self._add(body))
        if action == "label" and not self.version.startswith(("0.", "1.")):
            return self._each(body["ids"], lambda task: setattr(task, "label", body["label"]))
        if action == "pause":
            return self._each(body["ids"], lambda task: setattr(task, "status", "stopped"))
        if action == "resume":
            return self._each(body["ids"], self._resume)
        if action == "remove":
            return self._each(body["ids"], lambda task: self._remove(task, body["delete_data"]))
        raise ValueError("unknown_method")

    # -- actions ------------------------------------------------------------------------------------

    def _add(self, body: dict[str, Any]) -> dict[str, Any]:
        if "magnet" in body:
            info_hash = body["magnet"].split("btih:", 1)[1][:40].lower()
            name, size, percent = info_hash, 0, 0.0
        else:
            content = base64.b64decode(body["file"]) if "file" in body else self.web.get(body["url"])
            if content is None:
                raise ValueError("fetch_failed")
            meta, span = bencode.info_span(content)
            if not isinstance(meta, dict) or span is None:
                raise ValueError("bad_torrent")
            info = meta[b"info"]
            if not isinstance(info, dict) or not isinstance(info[b"name"], bytes):
                raise ValueError("bad_torrent")
            info_hash = hashlib.sha1(content[span[0] : span[1]]).hexdigest()  # noqa: S324 - the BitTorrent id
            length = info.get(b"length")
            name, size, percent = info[b"name"].decode(), length if isinstance(length, int) else 0, 100.0
        if info_hash in self.tasks:
            return {"hash": info_hash, "duplicate": True}
        if self.version.startswith(("0.", "1.")) and body.get("label") is not None:
            raise ValueError("unknown_method")
        running = "seeding" if percent >= 100 else "metadata"
        self.tasks[info_hash] = Task(
            hash=info_hash,
            name=name,
            size=size,
            percent=percent,
            status="stopped" if body.get("paused") else running,
            directory=body.get("directory") or str(self.root),
            label=body.get("label"),
        )
        return {"hash": info_hash, "duplicate": False}

    def _each(self, ids: list[str], action: Callable[[Task], None]) -> httpx.Response:
        failed: dict[str, str] = {}
        for task_id in ids:
            task = self.tasks.get(task_id)
            if task is None:
                failed[task_id] = "not_found"
            else:
                action(task)
        return _result({"failed": failed})

    @staticmethod
    def _resume(task: Task) -> None:
        task.status = "seeding" if task.percent >= 100 else "downloading"

    def _remove(self, task: Task, delete_data: bool) -> None:
        del self.tasks[task.hash]
        payload = Path(task.directory) / task.name
        if delete_data and payload.is_file():
            payload.unlink()

    @staticmethod
    def _row(task: Task) -> dict[str, Any]:
        return {
            "hash": task.hash,
            "name": task.name,
            "status": task.status,
            "percent": task.percent,
            "size": task.size,
            "downloaded": round(task.size * task.percent / 100),
            "uploaded": 0,
            "down_rate": 0,
            "up_rate": 0,
            "eta": -1,
            "label": task.label,
            "directory": task.directory,
            "added_on": task.added_on,
            "message": "",
        }


def _cookie(request: httpx.Request) -> str | None:
    morsel = SimpleCookie(request.headers.get("cookie", "")).get(COOKIE)
    return morsel.value if morsel is not None else None


def _result(value: Any) -> httpx.Response:
    return httpx.Response(200, json={"result": value})


def _error(code: str, message: str) -> httpx.Response:
    return httpx.Response(200, json={"error": {"code": code, "message": message}})
