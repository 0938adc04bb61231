"""A fake µTorrent WebUI for tests, built from µTorrent's documented and recorded replies.

What it answers, and where the shape comes from:

* ``GET /gui/token.html``: ``<html><div id='token' style='display:none;'>TOKEN</div></html>``
  with a ``GUID`` cookie (the sample in @ctrl/utorrent's ``connect()``; Sonarr keeps the
  cookies of that reply). A wrong Basic password gets 401 with ``WWW-Authenticate: Basic
  realm="uTorrent"`` (WhatWeb's µTorrent fingerprint).
* ``GET /gui/?token=...``: a missing, stale or foreign (other GUID) token gets ``400 invalid
  request`` (WhatWeb; Electorrent's fixture accepts 400; Sonarr re-logs in on it).
* ``list=1`` without ``cid``: ``{"build", "label", "torrents", "torrentc"}``; with a known
  ``cid``: ``torrentp`` (changed rows) and ``torrentm`` (removed hashes) instead of
  ``torrents`` (the official WebUI's ``loadList``; Sonarr's ``UTorrentResponse``).
* Rows of 27 columns in @ctrl/utorrent's ``TorrentData`` order; status bits as Sonarr's
  ``UTorrentTorrentStatus``; ``getfiles``/``getprops``/``getsettings``/``list-dirs`` as the
  WebAPI pages, Electorrent's runtime and the API wrappers that parse them show them.

It is a model, not a recording: where µTorrent's behaviour is uncertain (an unknown hash in
an action is ignored; ``start`` also resumes a paused job) it does the plausible thing.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import secrets
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

from enunclic import bencode

BUILD = 46906  # µTorrent 3.5.5's build number range
STARTED, CHECKING, CHECKED, ERROR, PAUSED, QUEUED, LOADED = 1, 2, 8, 16, 32, 64, 128
INVALID = httpx.Response(400, text="invalid request")
_NUMERIC_PROPS = frozenset({"ulrate", "dlrate", "seed_override", "seed_ratio"})
_MULTIPART_FILE = re.compile(rb'name="torrent_file"; filename="[^"]*"\r\nContent-Type: [^\r]*\r\n\r\n(.*)\r\n--', re.S)


@dataclass
class Job:
    """One torrent job as the fake keeps it."""

    hash: str  # upper-case, as µTorrent writes it
    name: str
    size: int
    directory: str
    files: list[tuple[str, int]]
    trackers: list[str]
    status: int = STARTED | QUEUED | LOADED | CHECKED
    per_mille: int = 1000
    label: str = ""
    priorities: list[int] = field(default_factory=list)
    ulrate: int = 0
    dlrate: int = 0
    seed_override: int = 0
    seed_ratio: int = 1500
    added: int = field(default_factory=lambda: int(time.time()))

    def row(self, queue: int) -> list[Any]:
        done = self.per_mille >= 1000
        message = "Error: Files missing from job. Please recheck." if self.status & ERROR else "Seeding"
        return [
            self.hash, self.status, self.name, self.size, self.per_mille,
            self.size * self.per_mille // 1000, 0, 0, 0, 0, 0, self.label,
            0, 0, 0, 0, 65536, queue, self.size - self.size * self.per_mille // 1000,
            "", "", message, "", self.added, self.added if done else 0, "", self.directory,
        ]  # fmt: skip


class FakeUTorrent:
    """One µTorrent; ``transport()`` serves the sync and the async client alike."""

    def __init__(self, root: Path, *, username: str = "admin", password: str = "secret") -> None:
        self.root = root
        self.username, self.password = username, password
        self.jobs: dict[str, Job] = {}
        self.settings: dict[str, Any] = {"max_dl_rate": 0, "max_ul_rate": 0, "dir_active_download": str(root)}
        self.tokens: dict[str, str] = {}  # token -> the GUID it was issued to
        self.token_fetches = 0
        self.requests: list[httpx.Request] = []
        self.web: dict[str, bytes] = {}  # URL -> .torrent bytes, for add(url)
        self.web_requests: list[httpx.Request] = []
        self._snapshots: dict[str, dict[str, list[Any]]] = {}
        self._cids = itertools.count(1)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def expire_tokens(self) -> None:
        """Forget every token, as µTorrent does after 30 minutes or a restart."""
        self.tokens.clear()

    # -- HTTP ----------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "127.0.0.1":
            return self._web(request)
        self.requests.append(request)
        if request.headers.get("authorization") != self._basic():
            return httpx.Response(401, headers={"www-authenticate": 'Basic realm="uTorrent"'})
        if request.url.path == "/gui/token.html":
            return self._token(request)
        if request.url.path != "/gui/":
            return httpx.Response(404, text="invalid request")
        params = parse_qsl(request.url.query.decode(), keep_blank_values=True)  # in order, repeats apart
        if not params or params[0][0] != "token" or self.tokens.get(params[0][1]) != _cookie(request, "GUID"):
            return INVALID
        query = request.url.params
        if query.get("list") == "1":
            return self._list(query.get("cid"))
        action = query.get("action", "")
        handler = getattr(self, "_" + action.replace("-", "_"), None)
        if handler is None:
            return INVALID
        body: dict[str, Any] = handler(request, params[1:]) or {}
        return httpx.Response(200, json={"build": BUILD, **body})

    def _basic(self) -> str:
        return "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()

    def _token(self, request: httpx.Request) -> httpx.Response:
        self.token_fetches += 1
        guid = _cookie(request, "GUID") or secrets.token_urlsafe(12)
        token = secrets.token_urlsafe(48)
        self.tokens[token] = guid
        html = f"<html><div id='token' style='display:none;'>{token}</div></html>"
        return httpx.Response(200, text=html, headers={"set-cookie": f"GUID={guid}; path=/"})

    def _web(self, request: httpx.Request) -> httpx.Response:
        self.web_requests.append(request)
        content = self.web.get(str(request.url))
        return httpx.Response(200, content=content) if content is not None else httpx.Response(404)

    # -- the list --------------------------------------------------------------------------------

    def rows(self) -> dict[str, list[Any]]:
        incomplete = [h for h, job in self.jobs.items() if job.per_mille < 1000]
        return {h: job.row(incomplete.index(h) + 1 if h in incomplete else -1) for h, job in self.jobs.items()}

    def _list(self, cid: str | None) -> httpx.Response:
        rows, new_cid = self.rows(), str(next(self._cids))
        self._snapshots[new_cid] = rows
        labels = sorted({job.label for job in self.jobs.values() if job.label})
        body: dict[str, Any] = {"build": BUILD, "label": [[name, 1] for name in labels], "torrentc": new_cid}
        old = self._snapshots.get(cid) if cid else None
        if old is None:
            body["torrents"] = list(rows.values())
        else:
            body["torrentp"] = [row for h, row in rows.items() if old.get(h) != row]
            body["torrentm"] = [h for h in old if h not in rows]
        body["rssfeeds"], body["rssfilters"] = [], []
        return httpx.Response(200, json=body)

    # -- actions -------------------------------------------------------------------------------

    def _each(self, params: list[tuple[str, str]], change: Any) -> None:
        for name, value in params:
            job = self.jobs.get(value) if name == "hash" else None
            if job is not None:  # an unknown hash is ignored
                change(job)

    def _start(self, _: httpx.Request, params: list[tuple[str, str]]) -> None:
        self._each(params, lambda job: setattr(job, "status", (job.status | STARTED | QUEUED) & ~PAUSED))

    def _stop(self, _: httpx.Request, params: list[tuple[str, str]]) -> None:
        self._each(params, lambda job: setattr(job, "status", job.status & ~(STARTED | QUEUED | PAUSED)))

    def _forcestart(self, _: httpx.Request, params: list[tuple[str, str]]) -> None:
        # Forced: started and out of the queue's reach (µTorrent drops the QUEUED bit).
        self._each(params, lambda job: setattr(job, "status", (job.status | STARTED) & ~(QUEUED | PAUSED)))

    def _pause(self, _: httpx.Request, params: list[tuple[str, str]]) -> None:
        self._each(params, lambda job: setattr(job, "status", job.status | PAUSED))

    def _recheck(self, _: httpx.Request, params: list[tuple[str, str]]) -> None:
        self._each(params, lambda job: setattr(job, "status", (job.status | CHECKED) & ~ERROR))

    def _remove(self, _: httpx.Request, params: list[tuple[str, str]], data: bool = False) -> None:
        def drop(job: Job) -> None:
            del self.jobs[job.hash]
            if data:
                (Path(job.directory) / job.name).unlink(missing_ok=True)

        self._each(params, drop)

    def _removedata(self, request: httpx.Request, params: list[tuple[str, str]]) -> None:
        self._remove(request, params, data=True)

    def _queuetop(self, _: httpx.Request, params: list[tuple[str, str]]) -> None:
        moved = {value for name, value in params if name == "hash" and value in self.jobs}
        self.jobs = {h: self.jobs[h] for h in sorted(self.jobs, key=lambda h: h not in moved)}

    def _queuebottom(self, _: httpx.Request, params: list[tuple[str, str]]) -> None:
        moved = {value for name, value in params if name == "hash" and value in self.jobs}
        self.jobs = {h: self.jobs[h] for h in sorted(self.jobs, key=lambda h: h in moved)}

    # One step up or down is modelled as the whole way (enough for a fake).
    _queueup, _queuedown = _queuetop, _queuebottom

    def _getfiles(self, _: httpx.Request, params: list[tuple[str, str]]) -> dict[str, Any]:
        job = self.jobs.get(params[1][1])
        if job is None:
            return {"files": [params[1][1], []]}
        rows = [
            [name, size, size * job.per_mille // 1000, p]
            for (name, size), p in zip(job.files, job.priorities, strict=True)
        ]
        return {"files": [job.hash, rows]}

    def _setprio(self, _: httpx.Request, params: list[tuple[str, str]]) -> None:
        job, query = self.jobs[params[1][1]], dict(params)
        for name, value in params:
            if name == "f":
                job.priorities[int(value)] = int(query["p"])

    def _getprops(self, _: httpx.Request, params: list[tuple[str, str]]) -> dict[str, Any]:
        job = self.jobs.get(params[1][1])
        if job is None:
            return {"props": []}
        trackers = "".join(f"{url}\r\n\r\n" for url in job.trackers)
        return {"props": [{"hash": job.hash, "trackers": trackers, "ulrate": job.ulrate, "dlrate": job.dlrate,
                           "superseed": 0, "dht": -1, "pex": -1, "seed_override": job.seed_override,
                           "seed_ratio": job.seed_ratio,
                           "seed_time": 0, "ulslots": 0}]}  # fmt: skip

    def _setprops(self, _: httpx.Request, params: list[tuple[str, str]]) -> None:
        job: Job | None = None
        for (name, value), following in itertools.zip_longest(params, params[1:], fillvalue=("", "")):
            if name == "hash":
                job = self.jobs.get(value)
            elif name == "s" and job is not None and following[0] == "v":
                prop = following[1]
                setattr(job, value, int(prop) if value in _NUMERIC_PROPS else prop.strip())

    def _getsettings(self, _: httpx.Request, __: list[tuple[str, str]]) -> dict[str, Any]:
        # Values are strings, as the WebAPI's "Modifying Settings" page documents them.
        return {"settings": [[name, 0, str(value), {"access": "Y"}] for name, value in self.settings.items()]}

    def _setsetting(self, _: httpx.Request, params: list[tuple[str, str]]) -> None:
        names = [value for name, value in params if name == "s"]
        values = [value for name, value in params if name == "v"]
        self.settings.update({name: int(value) for name, value in zip(names, values, strict=True)})

    def _list_dirs(self, _: httpx.Request, __: list[tuple[str, str]]) -> dict[str, Any]:
        return {"download-dirs": [{"path": str(self.root), "available": 1024}]}

    def _add_url(self, _: httpx.Request, params: list[tuple[str, str]]) -> dict[str, Any] | None:
        url = dict(params)["s"]
        if url.startswith("magnet:"):
            info_hash = re.search(r"btih:([0-9a-fA-F]{40})", url)
            if info_hash is None:
                return {"error": "Can't add torrent: invalid magnet link"}
            key = info_hash.group(1).upper()
            if key not in self.jobs:
                self.jobs[key] = Job(key, key.lower(), 0, str(self.root), [], [], STARTED | QUEUED | LOADED, 0)
            return None
        return self._load(self.web.get(url, b""), dict(params))

    def _add_file(self, request: httpx.Request, params: list[tuple[str, str]]) -> dict[str, Any] | None:
        found = _MULTIPART_FILE.search(request.content)
        return self._load(found.group(1) if found else b"", dict(params))

    def _load(self, content: bytes, params: dict[str, str]) -> dict[str, Any] | None:
        try:
            meta, span = bencode.info_span(content)
        except ValueError:
            return {"error": "Can't add torrent: the torrent file is invalid"}
        if not isinstance(meta, dict) or span is None or not isinstance(meta.get(b"info"), dict):
            return {"error": "Can't add torrent: the torrent file is invalid"}
        info = meta[b"info"]
        assert isinstance(info, dict)
        key = hashlib.sha1(content[span[0] : span[1]]).hexdigest().upper()  # noqa: S324 - the BitTorrent id
        name, length = str(info[b"name"], "utf-8"), info.get(b"length")
        size = length if isinstance(length, int) else 0
        directory = str(self.root / params.get("path", "")).rstrip("/")
        announce = meta.get(b"announce")
        trackers = [announce.decode()] if isinstance(announce, bytes) else []
        on_disk = (Path(directory) / name).is_file()
        self.jobs.setdefault(
            key,
            Job(key, name, size, directory, [(name, size)], trackers, per_mille=1000 if on_disk else 0, priorities=[2]),
        )
        return None


def _cookie(request: httpx.Request, name: str) -> str | None:
    morsel = SimpleCookie(request.headers.get("cookie", "")).get(name)
    return morsel.value if morsel is not None else None
