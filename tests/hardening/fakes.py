"""Small stateful fakes of each server, enough for faults, secrets, soak-like cycles and benchmarks.

They hold torrents, answer list/pause/resume/remove/add, log in and lose sessions the
way the real servers do (reference/*.md), and nothing more. Synology uses the project's
Download Station simulator instead of a fake.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import secrets
import xmlrpc.client
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx

import enunclic
from enunclic.simulators.synology import SynologySimulator
from enunclic.sources import parse_source

from .natives import (
    deluge_status,
    info_hash,
    qbittorrent_torrent,
    rtorrent_row,
    transmission_torrent,
    xmlrpc_response,
)
from .wire import Match, Wire

__all__ = ["BACKENDS", "SESSION_BACKENDS", "Target", "make_target", "magnet"]

USERNAME = "admin"


def magnet(i: int) -> str:
    """A magnet link for generated torrent ``i`` (no tracker: nothing leaves the process anyway)."""
    return f"magnet:?xt=urn:btih:{info_hash(i)}&dn=Some.Linux.Distribution.{i}.x86_64.iso"


def _form(request: httpx.Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        header = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + request.content)
        out: dict[str, str] = {}
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            raw = part.get_payload(decode=True)
            payload = raw if isinstance(raw, bytes) else b""
            out[name] = base64.b64encode(payload).decode() if part.get_filename() else payload.decode()
        return out
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {k: v[-1] for k, v in parse_qs(request.content.decode(), keep_blank_values=True).items()}
    return {}


def _basic(password: str) -> str:
    return "Basic " + base64.b64encode(f"{USERNAME}:{password}".encode()).decode()


# -- Transmission ------------------------------------------------------------------------------------


class FakeTransmission:
    """Transmission 4.0 (rpc-version 17, legacy protocol): Basic auth, the 409 session-id dance."""

    def __init__(self, password: str) -> None:
        self.authorization = _basic(password)
        self.session_id = "tr-session-" + secrets.token_hex(8)
        self.torrents: dict[str, dict[str, Any]] = {}
        self.recent: set[str] = set()
        self.removed: list[int] = []
        self.conflicts = 0
        self._next_id = 1

    def seed(self, count: int, start: int = 0) -> None:
        for i in range(start, start + count):
            self.torrents[info_hash(i)] = transmission_torrent(i, tid=self._next_id)
            self._next_id += 1

    def touch(self, hashes: list[str]) -> None:
        """Some torrents moved on (their rates changed): they are "recently active"."""
        for h in hashes:
            self.torrents[h]["rateDownload"] += 1
            self.torrents[h]["downloadedEver"] += 1000
        self.recent.update(hashes)

    def expire(self) -> None:
        self.session_id = "tr-session-" + secrets.token_hex(8)

    def is_list(self, request: httpx.Request) -> bool:
        return b'"torrent-get"' in request.content

    def is_login(self, request: httpx.Request) -> bool:
        return b'"session-get"' in request.content

    def is_write(self, request: httpx.Request) -> bool:
        methods = (b'"torrent-stop"', b'"torrent-start"', b'"torrent-remove"', b'"torrent-add"')
        return any(m in request.content for m in methods)

    def renewals(self) -> int:
        """How many times a client had to pick up a new session id."""
        return self.conflicts

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != self.authorization:
            return httpx.Response(401, text="<h1>401: Unauthorized</h1>")
        if request.headers.get("x-transmission-session-id") != self.session_id:
            self.conflicts += 1
            return httpx.Response(409, headers={"X-Transmission-Session-Id": self.session_id}, text="<h1>409</h1>")
        body = json.loads(request.content)
        method, arguments = body["method"], body.get("arguments", {})
        reply: dict[str, Any] = {}
        ids = arguments.get("ids")
        chosen = [h for h in (ids if isinstance(ids, list) else []) if h in self.torrents]
        if method == "session-get":
            reply = {
                "version": "4.0.6 (38c164933e)",
                "rpc-version": 17,
                "rpc-version-minimum": 14,
                "rpc-version-semver": "5.3.0",
                "units": {"speed-bytes": 1000},
            }
        elif method == "torrent-get":
            fields = arguments["fields"]
            if ids == "recently-active":
                selected = [self.torrents[h] for h in sorted(self.recent) if h in self.torrents]
                reply["removed"], self.removed = self.removed, []
                self.recent = set()
            elif ids is None:
                selected = list(self.torrents.values())
            else:
                selected = [self.torrents[h] for h in chosen]
            if arguments.get("format") == "table":  # rpc-version 16+: a row of keys, then a row per torrent
                reply["torrents"] = [list(fields), *([t.get(f) for f in fields] for t in selected)]
            else:
                reply["torrents"] = [{f: t[f] for f in fields if f in t} for t in selected]
        elif method in ("torrent-start", "torrent-stop"):
            for h in chosen:
                self.torrents[h]["status"] = 4 if method == "torrent-start" else 0
            self.recent.update(chosen)
        elif method == "torrent-remove":
            for h in chosen:
                self.removed.append(self.torrents.pop(h)["id"])
        elif method == "torrent-add":
            source = arguments.get("filename") or base64.b64decode(arguments["metainfo"])
            h = str(parse_source(source).info_hash)
            if h in self.torrents:
                reply["torrent-duplicate"] = {"id": self.torrents[h]["id"], "hashString": h, "name": h}
            else:
                native = transmission_torrent(0, tid=self._next_id, status=0 if arguments.get("paused") else 4)
                native.update(hashString=h, name=f"added-{h[:8]}")
                self.torrents[h] = native
                self._next_id += 1
                reply["torrent-added"] = {"id": native["id"], "hashString": h, "name": native["name"]}
        return httpx.Response(200, json={"result": "success", "arguments": reply})


# -- qBittorrent -------------------------------------------------------------------------------------


class FakeQBittorrent:
    """qBittorrent 5.0 (WebAPI 2.11.2): SID cookie or API key, 403 without a session, sync/maindata."""

    def __init__(self, password: str, api_key: str | None = None) -> None:
        self.password = password
        self.api_key = api_key
        self.sid = secrets.token_hex(16)
        self.torrents: dict[str, dict[str, Any]] = {}
        self.rid = 0
        self._changed: dict[str, dict[str, int]] = {}  # hash -> field -> rid of its last change
        self._removed: list[tuple[int, str]] = []

    def _set(self, h: str, **values: Any) -> None:
        self.rid += 1
        self.torrents[h].update(values)
        fields = self._changed.setdefault(h, {})
        for name in values:
            fields[name] = self.rid

    def seed(self, count: int, start: int = 0) -> None:
        for i in range(start, start + count):
            native = qbittorrent_torrent(i)
            self.torrents[native["hash"]] = native
            self._set(native["hash"], **native)

    def touch(self, hashes: list[str]) -> None:
        for h in hashes:
            t = self.torrents[h]
            self._set(h, dlspeed=t["dlspeed"] + 1, downloaded=t["downloaded"] + 1000)

    def expire(self) -> None:
        self.sid = secrets.token_hex(16)

    def is_list(self, request: httpx.Request) -> bool:
        return request.url.path.endswith(("/torrents/info", "/sync/maindata"))

    def is_login(self, request: httpx.Request) -> bool:
        return request.url.path.endswith("/auth/login")

    def is_write(self, request: httpx.Request) -> bool:
        return request.url.path.endswith(("/torrents/stop", "/torrents/start", "/torrents/delete", "/torrents/add"))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v2/")
        form = _form(request)
        if path == "auth/login":
            if form.get("username") != USERNAME or form.get("password") != self.password:
                return httpx.Response(200, text="Fails.")
            return httpx.Response(200, text="Ok.", headers={"Set-Cookie": f"SID={self.sid}; HttpOnly; path=/"})
        if self.api_key is not None:
            if request.headers.get("authorization") != f"Bearer {self.api_key}":
                return httpx.Response(403, text="Forbidden")
        elif request.headers.get("cookie") != f"SID={self.sid}":
            return httpx.Response(403, text="Forbidden")
        params = dict(request.url.params.items())
        hashes = [h for h in form.get("hashes", params.get("hashes", "")).split("|") if h]
        if path == "app/webapiVersion":
            return httpx.Response(200, text="2.11.2")
        if path == "app/version":
            return httpx.Response(200, text="v5.0.0")
        if path == "app/preferences":
            return httpx.Response(200, json={"queueing_enabled": True})
        if path == "torrents/info":
            found = [t for h, t in self.torrents.items() if not hashes or h in hashes]
            return httpx.Response(200, json=found)
        if path == "sync/maindata":
            return httpx.Response(200, json=self._maindata(int(form.get("rid", params.get("rid", "0")))))
        if path in ("torrents/stop", "torrents/start"):
            for h in hashes:
                if h in self.torrents:
                    self._set(h, state="stoppedDL" if path.endswith("stop") else "downloading")
            return httpx.Response(200)
        if path == "torrents/delete":
            for h in hashes:
                if self.torrents.pop(h, None) is not None:
                    self.rid += 1
                    self._removed.append((self.rid, h))
                    self._changed.pop(h, None)
            return httpx.Response(200)
        if path == "torrents/add":
            source: str | bytes = form.get("urls") or base64.b64decode(form["torrents"])
            h = str(parse_source(source).info_hash)
            if h in self.torrents:
                return httpx.Response(409, text="Torrent is already present")
            native = qbittorrent_torrent(0, state="stoppedDL" if form.get("stopped") == "true" else "downloading")
            native.update(hash=h, name=f"added-{h[:8]}")
            self.torrents[h] = native
            self._set(h, **native)
            return httpx.Response(200, text="Ok.")
        if path == "auth/logout":
            return httpx.Response(200)
        return httpx.Response(404, text="Not Found")

    def _maindata(self, rid: int) -> dict[str, Any]:
        if rid == 0 or rid > self.rid:
            return {"rid": self.rid, "full_update": True, "torrents": self.torrents, "server_state": {}}
        torrents = {
            h: {name: self.torrents[h][name] for name, at in fields.items() if at > rid}
            for h, fields in self._changed.items()
            if any(at > rid for at in fields.values())
        }
        removed = [h for at, h in self._removed if at > rid]
        reply: dict[str, Any] = {"rid": self.rid}
        if torrents:
            reply["torrents"] = torrents
        if removed:
            reply["torrents_removed"] = removed
        return reply


# -- rTorrent -----------------------------------------------------------------------------------------

_RT_FIELDS = (
    "d.hash", "d.name", "d.state", "d.is_active", "d.is_open", "d.complete", "d.is_hash_checking", "d.is_meta",
    "d.message", "d.size_bytes", "d.completed_bytes", "d.left_bytes", "d.up.total", "d.down.rate", "d.up.rate",
    "d.custom1", "d.directory", "d.is_multi_file", "d.load_date", "d.timestamp.finished", "d.peers_connected",
    "d.peers_complete", "trackers",
)  # fmt: skip


def _rt_trackers(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    """A row's trackers text ("<enabled><announces> <url>\\t" each) as (enabled, announces, url)."""
    entries = (part.split(" ", 1) for part in str(row["trackers"]).split("\t") if part)
    return [(head[0], head[1:], url) for head, url in entries]


#: What rTorrent answers, per tracker or per torrent, to the tracker commands of a listing or a steady poll.
_RT_TRACKER_COMMANDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "(t.multicall,,t.is_enabled=)": lambda row: "".join(e for e, _, _ in _rt_trackers(row)),
    "(math.add,(t.multicall,,t.success_counter=))": lambda row: sum(int(n) for _, n, _ in _rt_trackers(row)),
}
_RT_PER_TRACKER = {"t.is_enabled=": 0, "t.success_counter=": 1}


def _rt_split(arguments: str) -> list[str]:
    """``cat=`` arguments split on the commas outside quotes and parentheses."""
    parts, depth, quoted, current = [], 0, False, ""
    for char in arguments:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
        elif char == "," and not quoted and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    return [*parts, current]


def _rt_field(row: dict[str, Any], command: str) -> Any:
    """One ``d.multicall2`` command on a row: ``d.x=``, the trackers text, or ``cat=`` joining ``$d.x=``
    values, tracker commands and literals."""
    if command.startswith("cat=(t.multicall,,"):
        return row["trackers"]
    if command.startswith("cat="):
        return "".join(
            str(row.get(a[1:].rstrip("="), ""))
            if a.startswith("$")
            else str(_RT_TRACKER_COMMANDS[a](row))
            if a in _RT_TRACKER_COMMANDS
            else a.strip('"')
            for a in _rt_split(command[4:])
        )
    return row.get(command.rstrip("="), "")


def _rt_tracker_value(entry: tuple[str, str, str], command: str) -> Any:
    """One ``t.multicall`` command on one tracker (a ``cat="x"`` is its literal)."""
    if command == "t.url=":
        return entry[2]
    if command in _RT_PER_TRACKER:
        return int(entry[_RT_PER_TRACKER[command]])
    return command[4:].strip('"')


class FakeRTorrent:
    """rTorrent 0.9.8 behind a web server with Basic auth (rtorrent+http://): XML-RPC, system.multicall."""

    def __init__(self, password: str) -> None:
        self.authorization = _basic(password)
        self.torrents: dict[str, dict[str, Any]] = {}  # upper-case hash -> d.* values

    def seed(self, count: int, start: int = 0) -> None:
        for i in range(start, start + count):
            row = dict(zip(_RT_FIELDS, rtorrent_row(i), strict=True))
            self.torrents[row["d.hash"]] = row

    def touch(self, hashes: list[str]) -> None:
        for h in hashes:
            self.torrents[h.upper()]["d.down.rate"] += 1

    def is_list(self, request: httpx.Request) -> bool:
        return b"<methodName>d.multicall2</methodName>" in request.content

    def is_login(self, request: httpx.Request) -> bool:
        return False  # no sessions

    def expire(self) -> None:
        """rTorrent has no sessions: there is nothing to lose."""

    def is_write(self, request: httpx.Request) -> bool:
        names = (b"<string>d.stop</string>", b"<string>d.start</string>", b"<string>d.erase</string>")
        loads = (b"<methodName>load.", b"<string>load.")
        return any(name in request.content for name in (*names, *loads))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != self.authorization:
            return httpx.Response(401, text="<h1>401 Unauthorized</h1>")
        params, method = xmlrpc.client.loads(request.content, use_builtin_types=True)
        try:
            body = xmlrpc_response(self._call(str(method), list(params)))
        except xmlrpc.client.Fault as fault:
            body = xmlrpc.client.dumps(fault, methodresponse=True).encode()
        return httpx.Response(200, headers={"content-type": "text/xml"}, content=body)

    def _call(self, method: str, params: list[Any]) -> Any:
        if method == "system.multicall":
            out: list[Any] = []
            for call in params[0]:
                try:
                    out.append([self._call(call["methodName"], list(call["params"]))])
                except xmlrpc.client.Fault as fault:
                    out.append({"faultCode": fault.faultCode, "faultString": fault.faultString})
            return out
        if method == "d.multicall2":
            return [[_rt_field(t, f) for f in params[2:]] for t in self.torrents.values()]
        if method == "download_list":
            return list(self.torrents)
        if method.startswith("system."):
            return {"system.client_version": "0.9.8", "system.library_version": "0.13.8"}.get(method, "10")
        if method.startswith("load."):
            source = params[1]
            h = str(parse_source(source).info_hash).upper()
            if h not in self.torrents:
                row = dict(zip(_RT_FIELDS, rtorrent_row(0, started=method.endswith("start")), strict=True))
                row.update({"d.hash": h, "d.name": f"added-{h[:8]}"})
                self.torrents[h] = row
            return 0
        if method.startswith(("d.", "f.", "t.", "p.")):
            target = self.torrents.get(str(params[0]).upper()) if params else None
            if target is None:
                raise xmlrpc.client.Fault(-501, "Could not find info-hash.")
            if method in ("d.stop", "d.start", "d.resume"):
                target["d.state"] = target["d.is_active"] = 0 if method == "d.stop" else 1
                return 0
            if method == "d.erase":
                del self.torrents[str(params[0]).upper()]
                return 0
            if method == "t.multicall":
                return [[_rt_tracker_value(e, str(c)) for c in params[2:]] for e in _rt_trackers(target)]
            if method in target:
                return target[method]
        raise xmlrpc.client.Fault(-506, f"Method '{method}' not defined")


# -- Deluge -------------------------------------------------------------------------------------------------


class FakeDeluge:
    """deluge-web 2.x connected to one daemon: ``auth.login`` cookie, JSON-RPC errors with codes 1-5."""

    def __init__(self, password: str) -> None:
        self.password = password
        self.cookie = secrets.token_hex(16)
        self.torrents: dict[str, dict[str, Any]] = {}

    def seed(self, count: int, start: int = 0) -> None:
        for i in range(start, start + count):
            self.torrents[info_hash(i)] = deluge_status(i)

    def touch(self, hashes: list[str]) -> None:
        for h in hashes:
            self.torrents[h]["download_payload_rate"] += 1

    def expire(self) -> None:
        self.cookie = secrets.token_hex(16)

    def is_list(self, request: httpx.Request) -> bool:
        return b'"core.get_torrents_status"' in request.content or b'"web.update_ui"' in request.content

    def is_login(self, request: httpx.Request) -> bool:
        return b'"auth.login"' in request.content

    def is_write(self, request: httpx.Request) -> bool:
        methods = (b'"core.pause_torrents"', b'"core.resume_torrents"', b'"core.remove_torrents"', b'"core.add_torrent')
        return any(m in request.content for m in methods)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        method, params, rid = body["method"], body["params"], body["id"]

        def reply(
            result: Any = None, error: dict[str, Any] | None = None, headers: dict[str, str] | None = None
        ) -> httpx.Response:
            return httpx.Response(200, json={"result": result, "error": error, "id": rid}, headers=headers)

        if method == "auth.login":
            if params != [self.password]:
                return reply(False)
            return reply(True, headers={"Set-Cookie": f"_session_id={self.cookie}; Path=/json"})
        if request.headers.get("cookie") != f"_session_id={self.cookie}":
            return reply(error={"message": "Not authenticated", "code": 1})
        fixed = {
            "web.get_hosts": [["c0ffee", "127.0.0.1", 58846, "admin"]],
            "web.connected": True,
            "core.get_enabled_plugins": ["Label"],
            "daemon.get_version": "2.2.0",
            "core.get_libtorrent_version": "2.0.10.0",
            "auth.delete_session": True,
        }
        if method in fixed:
            return reply(fixed[method])
        if method == "core.get_torrents_status":
            wanted = params[0].get("id") if isinstance(params[0], dict) else None
            keys = params[1]
            chosen = [h for h in self.torrents if wanted is None or h in wanted]
            return reply({h: {k: self.torrents[h][k] for k in keys if k in self.torrents[h]} for h in chosen})
        if method == "web.update_ui":
            keys = params[0]
            torrents = {h: {k: t[k] for k in keys if k in t} for h, t in self.torrents.items()}
            return reply({"connected": True, "torrents": torrents, "filters": {}, "stats": {}})
        if method == "core.get_torrent_status":
            found = self.torrents.get(params[0], {})
            return reply({k: found[k] for k in params[1] if k in found})
        if method in ("core.pause_torrents", "core.resume_torrents"):
            for h in params[0]:
                if h not in self.torrents:
                    message = (
                        f"Failure: [Failure instance: <class 'deluge.error.InvalidTorrentError'>: {h} not in session]"
                    )
                    return reply(error={"message": message, "code": 4})
                self.torrents[h]["state"] = "Paused" if method == "core.pause_torrents" else "Downloading"
            return reply(None)
        if method == "core.remove_torrents":
            errors = [[h, "torrent_id not in session"] for h in params[0] if self.torrents.pop(h, None) is None]
            return reply(errors)
        if method.startswith("core.add_torrent_"):
            source: str | bytes = params[0] if method == "core.add_torrent_magnet" else base64.b64decode(params[1])
            h = str(parse_source(source).info_hash)
            if h in self.torrents:
                message = f"Failure: [<class 'deluge.error.AddTorrentError'>: Torrent already in session ({h}).]"
                return reply(error={"message": message, "code": 4})
            status = deluge_status(0, state="Paused" if params[-1].get("add_paused") else "Downloading")
            status["name"], status["hash"] = f"added-{h[:8]}", h
            self.torrents[h] = status
            return reply(h)
        return reply(error={"message": f"Unknown method {method}", "code": 2})


# -- Synology (the simulator) -----------------------------------------------------------------------


class SimulatedNas:
    """The Download Station simulator (DSM 7) as a handler."""

    def __init__(self, password: str) -> None:
        self.sim = SynologySimulator(7)
        self.sim.add_account(USERNAME, password, manager=True)
        self._transport = self.sim.transport()
        self.ids: dict[str, str] = {}  # info-hash -> dbid

    def seed(self, count: int, start: int = 0) -> None:
        for i in range(start, start + count):
            task = self.sim.add_task(magnet(i), owner=USERNAME, status="downloading", progress=0.5)
            self.ids[info_hash(i)] = task.id

    def touch(self, hashes: list[str]) -> None:
        self.sim.advance(1.0)

    def expire(self) -> None:
        self.sim.expire_sessions()

    @staticmethod
    def _api(request: httpx.Request) -> tuple[str, str]:
        form = _form(request)
        params = dict(request.url.params.items())
        return form.get("api", params.get("api", "")), form.get("method", params.get("method", ""))

    def is_list(self, request: httpx.Request) -> bool:
        return self._api(request) == ("SYNO.DownloadStation.Task", "list")

    def is_login(self, request: httpx.Request) -> bool:
        return self._api(request) == ("SYNO.API.Auth", "login")

    def is_write(self, request: httpx.Request) -> bool:
        return self._api(request)[1] in ("pause", "resume", "delete", "create")

    def __call__(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = self._transport.handle_request(request)
        return response


# -- targets ---------------------------------------------------------------------------------------------

Server = FakeTransmission | FakeQBittorrent | FakeRTorrent | FakeDeluge | SimulatedNas


@dataclass
class Target:
    """One backend's fake server behind a :class:`Wire`, and how to connect a client to it."""

    name: str
    url: str
    server: Server
    wire: Wire
    options: dict[str, Any] = field(default_factory=dict)
    #: Id of generated torrent ``i`` on this server.
    id_of: Callable[[int], str] = info_hash

    def is_list(self, request: httpx.Request) -> bool:
        return self.server.is_list(request)

    def is_login(self, request: httpx.Request) -> bool:
        return self.server.is_login(request)

    def is_write(self, request: httpx.Request) -> bool:
        return self.server.is_write(request)

    def logins(self) -> int:
        return sum(1 for r in self.wire.handled if self.is_login(r))

    def renewals(self) -> int:
        """Session renewals: logins, or for Transmission new session ids picked up after a 409."""
        if isinstance(self.server, FakeTransmission):
            return self.server.renewals()
        return self.logins()

    def writes_sent(self) -> int:
        return sum(1 for r in self.wire.requests if self.is_write(r))

    def connect(self, **options: Any) -> enunclic.Client:
        return enunclic.connect(self.url, transport=self.wire, **{**self.options, **options})

    def connect_async(self, **options: Any) -> enunclic.AsyncClient:
        return enunclic.connect_async(self.url, transport=self.wire, **{**self.options, **options})

    @contextmanager
    def client(self, **options: Any) -> Iterator[enunclic.Client]:
        with self.connect(**options) as client:
            yield client


#: Backends with fakes here; a backend registered later is added when its fake is written.
BACKENDS = ("transmission", "qbittorrent", "rtorrent", "deluge", "synology")
#: Backends whose server has sessions that can expire.
SESSION_BACKENDS = ("transmission", "qbittorrent", "deluge", "synology")

_WRONG_SHAPE_XML = xmlrpc.client.dumps(({"unexpected": 1},), methodresponse=True).encode()
_WRONG_SHAPE_DSM = b'{"success": true, "data": {"offset": 0, "tasks": {"not": "a list"}}}'


def make_target(name: str, count: int = 0, *, password: str = "adminpass", api_key: str | None = None) -> Target:
    """A fresh fake server of backend ``name`` holding ``count`` generated torrents."""
    options: dict[str, Any] = {"password": password}
    server: Server
    if name == "transmission":
        server = FakeTransmission(password)
        url, wrong = f"transmission://{USERNAME}@127.0.0.1:9091", b'{"result": "success", "arguments": []}'
    elif name == "qbittorrent":
        server = FakeQBittorrent(password, api_key)
        url, wrong = f"qbittorrent://{USERNAME}@127.0.0.1:8080", b'{"torrents": "none"}'
        if api_key is not None:
            options = {"api_key": api_key}
            url = "qbittorrent://127.0.0.1:8080"
    elif name == "rtorrent":
        server = FakeRTorrent(password)
        url, wrong = f"rtorrent+http://{USERNAME}@127.0.0.1:8000/RPC2", _WRONG_SHAPE_XML
    elif name == "deluge":
        server = FakeDeluge(password)
        url, wrong = "deluge://127.0.0.1:8112", b'{"result": [1, 2], "error": null, "id": 1}'
    elif name == "synology":
        server = SimulatedNas(password)
        url, wrong = f"synology://{USERNAME}@127.0.0.1:5000", _WRONG_SHAPE_DSM
    else:
        raise ValueError(f"no fake for backend {name!r}")
    server.seed(count)
    target = Target(name, url, server, Wire(server, wrong_shape=wrong), options)
    if isinstance(server, SimulatedNas):
        nas = server
        target.id_of = lambda i: nas.ids[info_hash(i)]
    return target


def match_of(target: Target, what: str) -> Match:
    """A request predicate by purpose: ``list``, ``login`` or ``any``."""
    if what == "list":
        return target.is_list
    if what == "login":
        return target.is_login
    return lambda _request: True
