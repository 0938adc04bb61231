"""The simulator itself: one NAS's state behind DSM's request dispatch, free of any transport.

``SynologySimulator.handle()`` takes the parts of an HTTP request and returns a
:class:`SimResponse`; :mod:`.transport` and :mod:`.server` carry it over httpx
in-process or over real HTTP on loopback.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import api_auth, api_ds2, api_info, api_station, api_task, ciphers, engine, tasks
from .clock import Clock, ManualClock, RealClock
from .context import Context, Result
from .errors import ApiError
from .faults import Fault, FaultKind, FaultPlan
from .personality import Personality, personality
from .request import SimRequest, parse_request
from .server import SimulatorServer
from .state import Account, SimTask, SimulatorOptions, State
from .transport import SimulatorTransport

__all__ = ["HANDLERS", "PUBLIC_APIS", "SimResponse", "SynologySimulator"]

Handler = Callable[[Context, str], Result]

#: One handler per SYNO API name.
HANDLERS: Mapping[str, Handler] = {
    "SYNO.API.Info": api_info.handle,
    "SYNO.API.Auth": api_auth.handle,
    "SYNO.API.Auth.UIConfig": api_auth.handle_uiconfig,
    "SYNO.API.Encryption": api_auth.handle_encryption,
    "SYNO.DownloadStation.Task": api_task.handle,
    "SYNO.DownloadStation.Info": api_station.handle_info,
    "SYNO.DownloadStation.Statistic": api_station.handle_statistic,
    "SYNO.DownloadStation.Schedule": api_station.handle_schedule,
    "SYNO.DownloadStation2.Task": api_ds2.handle_task,
    "SYNO.DownloadStation2.Task.List": api_ds2.handle_list,
    "SYNO.DownloadStation2.Task.List.Polling": api_ds2.handle_polling,
    "SYNO.DownloadStation2.Task.Source": api_ds2.handle_source,
    "SYNO.DownloadStation2.Task.Complete": api_ds2.handle_complete,
    "SYNO.DownloadStation2.Settings.Location": api_ds2.handle_location,
    "SYNO.DSM.Info": api_station.handle_dsm_info,
}

#: The compound call (``SYNO.Entry.Request request``): answered by the dispatcher itself.
COMPOUND_API = "SYNO.Entry.Request"

#: APIs answered without a session.
PUBLIC_APIS = frozenset({"SYNO.API.Info", "SYNO.API.Auth", "SYNO.API.Auth.UIConfig", "SYNO.API.Encryption"})

#: APIs that need the cipher libraries; without them a personality does not list them.
CIPHER_APIS = frozenset({"SYNO.API.Auth.UIConfig", "SYNO.API.Encryption"})

_JSON_TYPE = "application/json; charset=utf-8"
_HTML_TYPE = "text/html; charset=utf-8"

HTML_NOT_FOUND = (
    b"<!DOCTYPE html><html><head><title>Sorry, the page you are looking for is not found.</title></head>"
    b"<body><h1>Sorry, the page you are looking for is not found.</h1></body></html>"
)
HTML_SERVER_ERROR = (
    b"<html><head><title>500 Internal Server Error</title></head>"
    b"<body><center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>"
)
HTML_LOGIN_PAGE = (
    b'<!DOCTYPE html><html class="syno-login"><head><meta charset="utf-8"><title>Synology DiskStation</title>'
    b'</head><body><form action="/webman/login.cgi"><input name="username"><input name="passwd" '
    b'type="password"></form></body></html>'
)


@dataclass
class SimResponse:
    """What the simulator answers; ``delay`` and ``reset`` are acted out by the transport."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    delay: float = 0.0
    reset: bool = False

    def json(self) -> Any:
        """The body as JSON (tests)."""
        return json.loads(self.body)


def _json_response(payload: Mapping[str, Any], cookies: Iterable[str] = ()) -> SimResponse:
    headers = [("content-type", _JSON_TYPE)] + [("set-cookie", cookie) for cookie in cookies]
    return SimResponse(200, headers, json.dumps(payload, separators=(",", ":")).encode())


def _html(status: int, body: bytes) -> SimResponse:
    return SimResponse(status, [("content-type", _HTML_TYPE)], body)


def _error(code: int, errors: Mapping[str, Any] | None = None) -> SimResponse:
    """API errors travel with HTTP 200 (reference §1)."""
    return _json_response({"error": ApiError(code, errors).body(), "success": False})


@dataclass
class _Seen:
    """The request counter, for tests that count round trips."""

    requests: int = 0
    by_api: dict[str, int] = field(default_factory=dict)


class SynologySimulator:
    """A simulated Download Station on DSM 6 or DSM 7.

    Tests drive its clock (``advance``) and faults (``inject``); served, it runs on
    the wall clock. Every public method is thread-safe.
    """

    def __init__(
        self,
        dsm: int | Personality = 7,
        *,
        clock: Clock | None = None,
        options: SimulatorOptions | None = None,
        folders: Iterable[str] = ("downloads", "video", "video/Movies", "video/Series", "music"),
    ) -> None:
        self.personality = personality(dsm)
        if not ciphers.available():
            apis = {name: entry for name, entry in self.personality.apis.items() if name not in CIPHER_APIS}
            self.personality = dataclasses.replace(self.personality, apis=apis)
        self.clock: Clock = clock if clock is not None else ManualClock()
        self.options = options if options is not None else SimulatorOptions()
        self.state = State()
        self.state.config = api_station.default_config(self.options.default_destination)
        self.faults = FaultPlan()
        self.seen = _Seen()
        self._lock = threading.RLock()
        self._last_tick = self.clock.now()
        for folder in folders:
            self.add_folder(folder)
        self._paths = frozenset(path for api in self.personality.apis for path in self.personality.paths_for(api)) | {
            "query.cgi"
        }

    # -- setting the scene -------------------------------------------------------------

    def add_account(
        self,
        name: str,
        password: str,
        *,
        manager: bool = False,
        otp_code: str | None = None,
        otp_enforced: bool = False,
        disabled: bool = False,
        default_destination: str | None = None,
    ) -> Account:
        """A user allowed to use Download Station (a manager sees every task and the real config)."""
        account = Account(
            name=name,
            password=password,
            manager=manager,
            otp_code=otp_code,
            otp_enforced=otp_enforced,
            disabled=disabled,
            default_destination=default_destination,
        )
        with self._lock:
            self.state.accounts[name] = account
        return account

    def add_folder(self, path: str, *, writers: Iterable[str] | None = None) -> None:
        """An existing shared folder (or a folder inside one); ``writers`` limits who may write to the share."""
        clean = path.strip("/")
        parts = clean.split("/")
        with self._lock:
            for depth in range(1, len(parts) + 1):
                self.state.folders.add("/".join(parts[:depth]))
            if writers is not None:
                self.state.share_writers[parts[0]] = set(writers)

    def add_task(
        self,
        source: str | bytes,
        *,
        owner: str,
        destination: str | None = None,
        status: str = "waiting",
        progress: float = 0.0,
        download_rate: int | None = None,
        upload_rate: int | None = None,
        error: str | None = None,
        metadata_pending: bool = False,
        filename: str | None = None,
        uploaded: int = 0,
    ) -> SimTask:
        """Create a task directly (no HTTP), in any state: how tests and the demo set up a busy NAS.

        ``source`` is a link or .torrent bytes; ``progress`` (0..1) sets how much is downloaded.
        A torrent the NAS already has becomes its ``torrent_duplicate`` error twin, as over the API.
        """
        with self._lock:
            self.tick()
            account = self.state.accounts.get(owner)
            if account is None:
                raise ValueError(f"no account {owner!r}; add_account() first")
            ctx = self._context(SimRequest("GET", "", {}, {}, [], {}, "127.0.0.1"), "", 1)
            ctx.account = account
            try:
                folder = tasks.resolve_destination(ctx, destination)
            except ApiError as exc:
                raise ValueError(
                    f"cannot use destination {destination!r} for {owner!r}: DSM error {exc.code}"
                ) from None
            if isinstance(source, bytes):
                task = tasks.create_from_torrent(ctx, source, filename, folder)
            else:
                task = tasks.create_from_uri(ctx, source, folder)
            if download_rate is not None:
                task.download_rate = download_rate
            if upload_rate is not None:
                task.upload_rate = upload_rate
            self._place(
                task,
                status=status,
                progress=progress,
                error=error,
                metadata_pending=metadata_pending,
                uploaded=uploaded,
            )
            return task

    def _place(
        self, task: SimTask, *, status: str, progress: float, error: str | None, metadata_pending: bool, uploaded: int
    ) -> None:
        now = self.clock.now()
        if (status == "waiting" and error is None) or tasks.is_twin(task):
            return  # a duplicate stays the error twin DS made of it, whatever state was asked for
        if metadata_pending and status == "downloading":
            task.status = "downloading"
            task.started_time = now
            task.wait_left = 0.0
            return
        engine.finish_metadata(task)
        task.wait_left = 0.0
        task.started_time = task.create_time
        task.downloaded = task.size * min(max(progress, 0.0), 1.0)
        task.uploaded = float(uploaded)
        if status in ("seeding", "finished"):
            task.downloaded = float(task.size)
            task.completed_time = now
            task.finishing_left = 0.0
        if error is not None:
            status = "error"
            task.error_detail = error
            if not progress and task.type != "bt":
                task.size = 0  # a link that failed before it started has no known size (dbid_533 in §5.3)
        if status == "paused":
            task.paused_from = "downloading" if task.downloaded < task.size else "seeding"
        task.status = status
        engine.advance(task, now, 0.0)

    # -- time, sessions, faults ----------------------------------------------------------

    def tick(self) -> None:
        """Bring every task up to the clock's current time."""
        with self._lock:
            now = self.clock.now()
            elapsed = now - self._last_tick
            if elapsed > 0:
                for task in list(self.state.tasks.values()):
                    engine.advance(task, self._last_tick, elapsed)
                self._last_tick = now

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass (manual clock only)."""
        if not isinstance(self.clock, ManualClock):
            raise TypeError("advance() needs a ManualClock; a served simulator follows the wall clock")
        with self._lock:
            self.clock.advance(seconds)
            self.tick()

    def inject(
        self, kind: FaultKind | str, *, times: int | None = 1, api: str | None = None, delay: float = 5.0
    ) -> Fault:
        """Arm a fault for the next ``times`` requests (see :class:`FaultKind`)."""
        return self.faults.inject(kind, times=times, api=api, delay=delay)

    def expire_sessions(self) -> None:
        """Every sid has been idle too long: the next call with it answers the expired-session code."""
        with self._lock:
            for record in self.state.sessions.values():
                record.last_used = float("-inf")

    def reboot(self) -> None:
        """A NAS reboot: old sids answer 105 (reference §3.7, NDM#24)."""
        with self._lock:
            for record in self.state.sessions.values():
                record.state = "rebooted"

    def unblock(self, client: str | None = None) -> None:
        """Lift the auto-block for one address (or all) and forget its failures."""
        with self._lock:
            if client is None:
                self.state.blocked.clear()
                self.state.failures.clear()
            else:
                self.state.blocked.discard(client)
                self.state.failures.pop(client, None)

    def active_sessions(self, account: str | None = None) -> int:
        """How many sids are usable (tests check that logout really ends a session)."""
        with self._lock:
            now = self.clock.now()
            return sum(
                1
                for r in self.state.sessions.values()
                if r.state == "active"
                and now - r.last_used <= self.options.session_idle_timeout
                and (account is None or r.account == account)
            )

    # -- transports ------------------------------------------------------------------------

    def transport(self, client: str = "127.0.0.1") -> SimulatorTransport:
        """An httpx transport (sync and async) answering from this simulator in-process."""
        return SimulatorTransport(self, client=client)

    def serve(self, port: int = 0, host: str = "127.0.0.1") -> SimulatorServer:
        """A real HTTP server on loopback, already started (use as a context manager)."""
        server = SimulatorServer(self, host=host, port=port)
        server.start()
        return server

    # -- answering -------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: str,
        *,
        headers: Mapping[str, str],
        body: bytes,
        client: str = "127.0.0.1",
    ) -> SimResponse:
        """Answer one HTTP request (header names lower-case, ``query`` still percent-encoded)."""
        request = parse_request(method, path, query, headers=headers, body=body, client=client)
        with self._lock:
            self.tick()
            self.seen.requests += 1
            api = request.api or ""
            self.seen.by_api[api] = self.seen.by_api.get(api, 0) + 1
            fault = self.faults.take(request.api)
            if fault is not None:
                if fault.kind is FaultKind.RESET:
                    return SimResponse(0, [], b"", reset=True)
                if fault.kind is FaultKind.HTTP_500:
                    return _html(500, HTML_SERVER_ERROR)
                if fault.kind is FaultKind.HTML:
                    return _html(200, HTML_LOGIN_PAGE)
                if fault.kind is FaultKind.EXPIRE_SESSION:
                    sid = self._sid_of(request)
                    if sid in self.state.sessions:
                        self.state.sessions[sid].last_used = float("-inf")
            response = self._dispatch(request)
        if fault is not None and fault.kind is FaultKind.TRUNCATED:
            response.body = response.body[: max(len(response.body) // 2, 1)]
        if fault is not None and fault.kind is FaultKind.SLOW:
            response.delay = fault.delay
        return response

    def _context(self, request: SimRequest, api: str, version: int) -> Context:
        return Context(
            state=self.state,
            options=self.options,
            personality=self.personality,
            now=self.clock.now(),
            request=request,
            api=api,
            version=version,
        )

    def _sid_of(self, request: SimRequest) -> str | None:
        """``_sid`` from the query, or from a form body (not from a multipart body on entry.cgi), else cookie ``id``."""
        sid = request.query.get("_sid")
        if sid is None and "_sid" in request.form and not (request.multipart and self._cgi(request) == "entry.cgi"):
            sid = request.form["_sid"]
        return sid if sid is not None else request.cookies.get("id")

    @staticmethod
    def _cgi(request: SimRequest) -> str:
        """The CGI a request names; ``entry.cgi/<API>`` (the DSM UI's path style) is ``entry.cgi``."""
        path = request.path
        cgi = path[len("/webapi/") :] if path.startswith("/webapi/") else path.lstrip("/")
        head, slash, tail = cgi.partition("entry.cgi/")
        if slash and not head and tail and "/" not in tail:
            return "entry.cgi"
        return cgi

    @staticmethod
    def _path_api(request: SimRequest) -> str | None:
        """The API named by a path-style URL (``/webapi/entry.cgi/SYNO.DownloadStation2.Task``)."""
        _, slash, tail = request.path.partition("/entry.cgi/")
        return tail if slash and tail else None

    def _dispatch(self, request: SimRequest) -> SimResponse:
        if self._cgi(request) not in self._paths:
            return _html(404, HTML_NOT_FOUND)
        path_api = self._path_api(request)
        if path_api is not None and request.param("api") is None:
            request.query["api"] = path_api
        api, method, raw_version = request.param("api"), request.param("method"), request.param("version")
        if not api or not method or not raw_version:
            return _error(101)
        entry = self.personality.apis.get(api)
        if entry is None or self._cgi(request) not in self.personality.paths_for(api):
            return _error(102)
        try:
            version = int(raw_version)
        except ValueError:
            return _error(101)
        if not entry.min_version <= version <= entry.max_version:
            return _error(104)
        ctx = self._context(request, api, version)
        try:
            if api not in PUBLIC_APIS:
                self._authenticate(ctx)
            handler = self._compound if api == COMPOUND_API else HANDLERS[api]
            result = handler(ctx, method.lower())
        except ApiError as exc:
            return _error(exc.code, exc.errors)
        if result.raw is not None:
            return SimResponse(200, [("content-type", result.raw_content_type)], result.raw)
        payload: dict[str, Any] = {"success": True}
        if not result.omit_data:
            payload = {"data": result.data, "success": True}
        return _json_response(payload, result.cookies)

    def _compound(self, ctx: Context, method: str) -> Result:
        """``SYNO.Entry.Request request``: run ``compound`` (a JSON array of calls to entry.cgi APIs) in order,
        in the caller's session; ``stop_when_error=true`` stops at the first failure."""
        if method != "request":
            raise ApiError(103)
        calls = ctx.json_param("compound")
        if not isinstance(calls, list) or not all(isinstance(call, dict) for call in calls):
            raise ApiError(120, {"name": "compound", "reason": "condition"})
        stop = ctx.flag("stop_when_error")
        results: list[dict[str, Any]] = []
        for call in calls:
            outcome = self._one_call(ctx, call)
            results.append(outcome)
            if stop and not outcome["success"]:
                break
        return Result({"has_fail": any(not r["success"] for r in results), "result": results})

    def _one_call(self, ctx: Context, call: Mapping[str, Any]) -> dict[str, Any]:
        api, method = str(call.get("api", "")), str(call.get("method", ""))
        head: dict[str, Any] = {"api": api, "method": method, "version": call.get("version")}
        form = {key: value if isinstance(value, str) else json.dumps(value) for key, value in call.items()}
        sub = dataclasses.replace(ctx.request, query={}, form=form, files=[], multipart=False, part_order=[])
        entry = self.personality.apis.get(api)
        try:
            if entry is None or entry.path != "entry.cgi" or api in (COMPOUND_API, *PUBLIC_APIS):
                raise ApiError(102)
            try:
                version = int(str(call.get("version")))
            except ValueError:
                raise ApiError(101) from None
            if not entry.min_version <= version <= entry.max_version:
                raise ApiError(104)
            sub_ctx = dataclasses.replace(ctx, request=sub, api=api, version=version, extra={})
            result = HANDLERS[api](sub_ctx, method.lower())
        except ApiError as exc:
            return {**head, "error": exc.body(), "success": False}
        if result.omit_data or result.raw is not None:
            return {**head, "success": True}
        return {**head, "data": result.data, "success": True}

    def _authenticate(self, ctx: Context) -> None:
        """119 without a usable sid; 107 after a duplicate login; 105 after a reboot; timeout after idling."""
        sid = self._sid_of(ctx.request)
        record = self.state.sessions.get(sid) if sid is not None else None
        if record is None:
            raise ApiError(119)
        if record.state == "interrupted":
            raise ApiError(107)
        if record.state == "rebooted":
            raise ApiError(105)
        if ctx.now - record.last_used > self.options.session_idle_timeout:
            raise ApiError(self.options.expired_session_code)
        account = self.state.accounts.get(record.account)
        if account is None or account.disabled:
            raise ApiError(105)
        record.last_used = ctx.now
        ctx.account = account
        ctx.session = record


def real_time_simulator(dsm: int | Personality = 7, *, options: SimulatorOptions | None = None) -> SynologySimulator:
    """A simulator on the wall clock, as served by ``enunclic simulate`` and the demo."""
    return SynologySimulator(dsm, clock=RealClock(), options=options)
