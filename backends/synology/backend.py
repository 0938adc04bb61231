"""Synology Download Station over the DSM Web API (DSM 6 and DSM 7).

How it talks to the NAS:

* Discovery: one ``SYNO.API.Info query`` per client, cached; each API's path and
  version come from the reply (see :mod:`.discovery`). Absent APIs narrow the
  capabilities instead of failing.
* Session: a form-POST login (``session=DownloadStation``, ``format=sid``; 2FA with
  ``otp_code=`` and device tokens, see :mod:`.auth`), one shared session per client.
  Codes 106/107/119 cause one silent re-login and one retry. Code 105 does the same
  only for a session that predates the failing call (a NAS restart answers 105 to
  old sessions); a 105 on a fresh session is a real permission problem.
* Tasks: the documented v1 ``SYNO.DownloadStation.Task`` for list/getinfo/pause/
  resume/delete/edit and for links (it still works on DSM 7.2); uploads of .torrent
  files go through ``SYNO.DownloadStation2.Task create`` where the NAS has it (the v1
  upload answers 101 since DS 3.8.16) and through the v1 multipart upload otherwise.
* Ids are DS task ids (``dbid_N``). DS reports no info-hash: it comes from a magnet's
  btih, or from the .torrent bytes this client uploaded.

Download Station has no recheck, reannounce, labels, file priorities, per-task
limits, queue order or "remove with data": those capabilities are absent.

Choices where the evidence is thin (reference/synology.md marks them uncertain):

* Uploads authenticate with the ``id`` cookie (plus ``X-SYNO-TOKEN`` when DSM issued
  a real token), never ``_sid`` in the query; ``api``/``version``/``method`` travel as
  the first multipart fields.
* ``list.total`` may count all tasks or just the page: paging continues while a page
  is full or ``total`` says more exist, and stops when a page brings nothing new.
* KB/s on the wire is taken as 1024 bytes/s.
* The DS2 numeric statuses follow plneto's enum; ``finishing``/``extracting`` map to
  ``moving``, ``captcha_needed`` to ``queued``, ``pre_seeding`` to ``completed``.
* Links are added with v1 ``create`` (DS2's URL mode is "reserved" on some DSM 7.2).
* With no destination and no default, DS2 create gets ``destination=""``.
* DS2 task errors are decoded with the v1 task table (no separate table is known).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from operator import attrgetter
from typing import Any, ClassVar, Final

import httpx

from enunclic import (
    AddedTorrent,
    AddOptions,
    Backend,
    BackendConfig,
    Capability,
    EnunclicError,
    Flow,
    InvalidInputError,
    NotSupportedError,
    PartialFailureError,
    Peer,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    ServerInfo,
    Session,
    SessionExpiredError,
    SessionStats,
    Torrent,
    TorrentFile,
    TorrentNotFoundError,
    Tracker,
    parse_options,
)
from enunclic.compiled import Page
from enunclic.sources import MagnetLink, TorrentFileData, TorrentSource, TorrentURL

from .api import (
    Credentials,
    form_request,
    json_value,
    multipart_request,
    per_id_errors,
    sanitize_uri,
    unwrap,
    webapi_url,
)
from .auth import Authenticator
from .discovery import AUTH, DS2_LOCATION, DS2_TASK, INFO, QUERIED_APIS, STATISTIC, TASK, ApiEntry, Apis, parse_api_info
from .mapping import TASK as TASK_MODEL
from .mapping import map_file, map_peer, map_task, map_tracker, number, with_known_hashes
from .options import SynologyOptions

__all__ = ["SynologyBackend", "check_destination"]

#: Rates on the wire are KB/s; 1 KB = 1024 bytes ([uncertain]: no source says 1000 or 1024).
KIB: Final = 1024

# "/volume1/...", "volume1/..." and absolute paths are what DS refuses with 403.
_VOLUME = re.compile(r"volume(usb)?\d+(/|$)", re.IGNORECASE)
_TRAILING_NUMBER = re.compile(r"(\d+)$")

#: A safety stop for a server that ignores ``offset`` (10^4 pages of tasks).
_MAX_PAGES: Final = 10_000


def check_destination(destination: str) -> str:
    """A share-relative folder (``downloads/tv``), or InvalidInputError before anything is sent."""
    path = destination.strip().rstrip("/")
    if path.startswith(("/", "\\")):
        hint = " (drop '/volumeN/')" if _VOLUME.match(path.lstrip("/\\")) else ""
        raise InvalidInputError(
            f"destination {destination!r} must be relative to a shared folder, like 'downloads/tv', "
            f"without a leading '/'{hint}"
        )
    if _VOLUME.match(path):
        raise InvalidInputError(f"destination {destination!r} must start with a shared folder, not a volume")
    if "\\" in path or any(part in ("", ".", "..") for part in path.split("/")):
        raise InvalidInputError(f"destination {destination!r} is not a clean share-relative path")
    return path


def _join_ids(ids: Sequence[str]) -> str:
    for task_id in ids:
        if "," in task_id:
            raise InvalidInputError(f"{task_id!r} is not a Download Station task id")
    return ",".join(ids)


def _dbid_number(task_id: str) -> int:
    match = _TRAILING_NUMBER.search(task_id)
    return int(match.group(1)) if match else -1


class SynologyBackend(Backend):
    """Synology Download Station (DSM 6 and 7)."""

    name: ClassVar[str] = "synology"
    display_name: ClassVar[str] = "Synology Download Station"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.ADD_MAGNET,
            Capability.ADD_URL,
            Capability.ADD_FILE,
            Capability.MOVE,
            Capability.FILES,
            Capability.TRACKERS,
            Capability.PEERS,
            Capability.GLOBAL_LIMITS,
            Capability.STATS,
        }
    )
    url_schemes: ClassVar[tuple[str, ...]] = ("http", "https")
    default_ports: ClassVar[Mapping[str, int]] = {"http": 5000, "https": 5001}

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.options = parse_options(SynologyOptions, config, self.name)
        otp = self.options.otp_code
        token = self.options.device_token
        self._auth = Authenticator(
            config.username,
            config.password,
            otp_code=otp.get_secret_value() if otp else None,
            device_token=token.get_secret_value() if token else None,
            device_name=self.options.device_name,
        )
        self._apis: Apis | None = None
        self._credentials: Credentials | None = None
        self._session = Session(self._login)
        #: Info-hashes of the .torrent files this client uploaded, by task id (DS reports none).
        self._hashes: dict[str, str] = {}
        self._is_manager: bool | None = None

    @property
    def device_token(self) -> str | None:
        """The 2FA device token DSM issued (store it and pass ``device_token=`` next time)."""
        return self._auth.device_token

    # -- capabilities --------------------------------------------------------------

    def available_capabilities(self) -> frozenset[Capability]:
        """Everything until discovery; then only what this NAS's API versions allow."""
        apis = self._apis
        if apis is None:
            return self.capabilities
        missing: set[Capability] = set()
        task = apis.get(TASK)
        if task is None or task.version < 2:
            missing.add(Capability.MOVE)  # ``edit`` exists from Task v2
        if apis.get(STATISTIC) is None:
            missing.add(Capability.STATS)
        if apis.get(INFO) is None:
            missing.add(Capability.GLOBAL_LIMITS)
        return self.capabilities - missing

    def _require(self, capability: Capability, operation: str) -> None:
        if capability not in self.available_capabilities():
            raise NotSupportedError(f"this Download Station cannot {operation}", operation=operation)

    # -- session ---------------------------------------------------------------------

    def _discover(self) -> Flow[Apis]:
        if self._apis is None:
            query = {"api": "SYNO.API.Info", "version": "1", "method": "query", "query": ",".join(QUERIED_APIS)}
            response = yield httpx.Request(
                "GET", webapi_url(self.config.url, "query.cgi"), params=query, headers={"Accept": "application/json"}
            )
            self._apis = parse_api_info(unwrap(response, "SYNO.API.Info"))
        return self._apis

    def _login(self) -> Flow[None]:
        apis = yield from self._discover()
        self._credentials = None
        self._credentials = yield from self._auth.login(self.config.url, apis.require(AUTH))

    def _ready(self) -> Flow[Apis]:
        """Discovered and logged in."""
        yield from self._session.ensure()
        if self._apis is None:
            raise ProtocolError("logged in without API discovery")
        return self._apis

    def _in_session(
        self,
        api: str,
        build: Callable[[ApiEntry, Credentials], httpx.Request],
        fast: Callable[[bytes], Any] | None = None,
    ) -> Flow[Any]:
        """Send ``build(entry, credentials)`` in the session; return the reply's ``data``.

        Session losses get one re-login and one retry (through :class:`Session`). A 105
        counts as a loss only when the session predates this call.
        """
        was_active, generation = self._session.active, self._session.generation
        attempts = 0

        def attempt() -> Flow[Any]:
            nonlocal attempts
            attempts += 1
            fresh = attempts > 1 or not was_active or self._session.generation != generation
            if self._apis is None or self._credentials is None:
                raise ProtocolError("no session after login")
            response = yield build(self._apis.require(api), self._credentials)
            if fast is not None and response.status_code == 200:
                data = fast(response.content)
                if data is not None:
                    return data
            try:
                return unwrap(response, api)
            except PermissionDeniedError as exc:
                if exc.native_code == 105 and not fresh:
                    raise SessionExpiredError(
                        "the session lost its permissions (NAS restarted?)", native_code=105
                    ) from exc
                raise

        return (yield from self._session.call(attempt))

    def _form(
        self,
        api: str,
        method: str,
        fields: Sequence[tuple[str, str]] = (),
        *,
        version: int | None = None,
        fast: Callable[[bytes], Any] | None = None,
    ) -> Flow[Any]:
        """One form POST of ``api.method`` in the session; ``fast`` may read a successful reply first."""

        def build(entry: ApiEntry, credentials: Credentials) -> httpx.Request:
            head = [("api", api), ("version", str(version or entry.version)), ("method", method)]
            return form_request(webapi_url(self.config.url, entry.path), [*head, *fields], credentials)

        return (yield from self._in_session(api, build, fast))

    def close(self) -> Flow[None]:
        """Log out when logged in (DSM keeps sessions that are not ended)."""
        credentials, apis = self._credentials, self._apis
        if not self._session.active or credentials is None or apis is None:
            return
        self._session.invalidate()
        self._credentials = None
        yield from self._auth.logout(self.config.url, apis.require(AUTH), credentials)

    # -- reading -----------------------------------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        apis = yield from self._ready()
        version: str | None = None
        if apis.get(INFO) is not None:
            data = yield from self._form(INFO, "getinfo")
            if isinstance(data, Mapping):
                text = data.get("version_string") or data.get("version")
                version = str(text) if text not in (None, "") else None
                if isinstance(data.get("is_manager"), bool):
                    self._is_manager = data["is_manager"]
        task = apis.require(TASK)
        upload = apis.get(DS2_TASK)
        api_version = f"Task v{task.version}" + (f", DownloadStation2.Task v{upload.version}" if upload else "")
        return ServerInfo(
            backend=self.name, version=version, api_version=api_version, capabilities=self.available_capabilities()
        )

    def _known_hash(self, task_id: str) -> str | None:
        return self._hashes.get(task_id)

    def _list_tasks(
        self,
        additional: str,
        fast: Callable[[bytes], Page[Torrent] | None] | None = None,
        read: Callable[[Any], Any] | None = None,
    ) -> Flow[list[Any]]:
        """Every task, in pages of ``page_size`` (``total`` may count all tasks or only this page).

        ``fast`` reads a whole page straight into models (see :meth:`torrents`); the tasks of a
        page it cannot read are raw task objects, passed to ``read`` when given.
        """
        page = self.options.page_size
        offset = 0
        tasks: dict[str, Any] = {}
        for _ in range(_MAX_PAGES):
            fields = [("offset", str(offset)), ("limit", str(page)), ("additional", additional)]
            data = yield from self._form(TASK, "list", fields, fast=fast)
            if isinstance(data, Page):
                batch, total = data.items, data.values[_TOTAL]
                ids = list(map(_ID, batch))
            elif isinstance(data, Mapping) and isinstance(data.get("tasks"), list):
                batch, total = data["tasks"], data.get("total")
                ids = [_task_id(t) for t in batch]
                if read is not None:
                    batch = [read(t) for t in batch]
            else:
                raise ProtocolError("SYNO.DownloadStation.Task list answered without a task list")
            before = len(tasks)
            tasks.update(zip(ids, batch, strict=True))  # a task the list shifted onto this page again: once
            new = len(tasks) - before
            counted = number(total, "total")
            # The documented ``total`` counts every task, and then says when to stop, even after a
            # full page. Some versions are said to count this page only (total == len(batch)):
            # then only a short page is the last one.
            more = counted > offset + len(batch) if counted > len(batch) else len(batch) >= page
            if not batch or not new or not more:
                break
            offset += len(batch)
        return list(tasks.values())

    def torrents(self) -> Flow[list[Torrent]]:
        def fast(body: bytes) -> Page[Torrent] | None:
            # A page in one pass, in Rust: its tasks as models, and its ``total``.
            return TASK_MODEL.page_json(body, _TASKS, checks=_SUCCESS, values=(_TOTAL,))

        listed = yield from self._list_tasks("detail,transfer", fast, map_task)
        return with_known_hashes(listed, self._hashes)

    def _getinfo(self, torrent_id: str, additional: str) -> Flow[Mapping[str, Any]]:
        if "," in torrent_id:
            raise TorrentNotFoundError(f"no task with id {torrent_id!r}")
        data = yield from self._form(TASK, "getinfo", [("id", torrent_id), ("additional", additional)])
        tasks = data.get("tasks") if isinstance(data, Mapping) else None
        if not isinstance(tasks, list):
            raise ProtocolError("SYNO.DownloadStation.Task getinfo answered without a task list")
        for task in tasks:
            if isinstance(task, Mapping) and task.get("id") == torrent_id:
                return task
        raise TorrentNotFoundError(f"no task with id {torrent_id!r}")

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        task = yield from self._getinfo(torrent_id, "detail,transfer")
        return map_task(task, self._known_hash(torrent_id))

    def _items(self, torrent_id: str, section: str) -> Flow[list[Any]]:
        task = yield from self._getinfo(torrent_id, section)
        additional = task.get("additional")
        items = additional.get(section) if isinstance(additional, Mapping) else None
        if items is None:
            return []  # non-BitTorrent tasks have no files, trackers or peers
        if not isinstance(items, list):
            raise ProtocolError(f"additional.{section} is not a list")
        return items

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        items = yield from self._items(torrent_id, "file")
        return [map_file(item, position) for position, item in enumerate(items)]

    def trackers(self, torrent_id: str) -> Flow[list[Tracker]]:
        items = yield from self._items(torrent_id, "tracker")
        return [map_tracker(item) for item in items]

    def peers(self, torrent_id: str) -> Flow[list[Peer]]:
        items = yield from self._items(torrent_id, "peer")
        return [map_peer(item) for item in items]

    # -- adding ------------------------------------------------------------------------

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        destination = check_destination(options.destination) if options.destination is not None else None
        apis = yield from self._ready()
        if isinstance(source, TorrentFileData):
            added = yield from self._add_file(apis, source, destination)
        else:
            added = yield from self._add_link(apis, source, destination)
        if options.paused:
            yield from self.pause([added.id])  # DS has no "add paused": pause right after
        return added

    def _add_link(self, apis: Apis, source: MagnetLink | TorrentURL, destination: str | None) -> Flow[AddedTorrent]:
        link = source.uri if isinstance(source, MagnetLink) else source.url
        sent = sanitize_uri(link)
        fields = [("uri", sent)]
        if destination is not None:
            if apis.require(TASK).version < 2:
                raise NotSupportedError("this Download Station (Task API v1) cannot choose a destination")
            fields.append(("destination", destination))
        yield from self._form(TASK, "create", fields)
        task_id, duplicate = yield from self._find_task({sent, link})
        info_hash = source.info_hash if isinstance(source, MagnetLink) else None
        return AddedTorrent(id=task_id, info_hash=info_hash, duplicate=duplicate)

    def _add_file(self, apis: Apis, source: TorrentFileData, destination: str | None) -> Flow[AddedTorrent]:
        filename = source.filename if source.filename.lower().endswith(".torrent") else f"{source.filename}.torrent"
        stem = filename[: -len(".torrent")]
        upload = apis.get(DS2_TASK)
        task_ids: list[str] = []
        if upload is not None and upload.max_version >= 2:
            target = destination if destination is not None else (yield from self._default_destination(apis))
            fields = [
                ("type", json_value("file")),
                ("file", json_value(["torrent"])),
                ("create_list", "false"),
                ("size", str(len(source.content))),
                ("destination", json_value(target or "")),
            ]
            data = yield from self._upload(DS2_TASK, fields, "torrent", filename, source.content)
            raw = data.get("task_id") if isinstance(data, Mapping) else None
            if isinstance(raw, str):
                raw = [raw]
            task_ids = [i for i in raw if isinstance(i, str) and i] if isinstance(raw, list) else []
        else:
            v1_fields = []
            if destination is not None:
                v1_fields.append(("destination", destination))
            yield from self._upload(TASK, v1_fields, "file", filename, source.content)
        duplicate = False
        if task_ids:
            task_id = task_ids[0]
        else:
            # No id in the reply: find the task by the name DS stores, the file name without ".torrent".
            task_id, duplicate = yield from self._find_task({stem})
        self._hashes[task_id] = source.info_hash
        return AddedTorrent(id=task_id, info_hash=source.info_hash, duplicate=duplicate)

    def _upload(self, api: str, fields: list[tuple[str, str]], part: str, filename: str, content: bytes) -> Flow[Any]:
        def build(entry: ApiEntry, credentials: Credentials) -> httpx.Request:
            version = 2 if api == DS2_TASK else entry.version
            head = [("api", api), ("version", str(version)), ("method", "create")]
            if api == TASK:
                head.append(("_sid", credentials.sid))  # v1 reads the sid from the form (Sonarr)
            url = webapi_url(self.config.url, entry.path)
            return multipart_request(
                url,
                fields=[*head, *fields],
                part_name=part,
                filename=filename,
                content=content,
                credentials=credentials,
            )

        return (yield from self._in_session(api, build))

    def _default_destination(self, apis: Apis) -> Flow[str | None]:
        """DS2 create insists on a destination (120 when missing on DS 3.9): ask for the default."""
        if apis.get(DS2_LOCATION) is not None:
            data = yield from self._form(DS2_LOCATION, "get")
        elif apis.get(INFO) is not None:
            data = yield from self._form(INFO, "getconfig")
        else:
            return None
        value = data.get("default_destination") if isinstance(data, Mapping) else None
        # Empty: send "" and let the NAS decide (newer DS takes it as the default, older ones answer 120).
        return value if isinstance(value, str) and value else None

    def _find_task(self, uris: Collection[str]) -> Flow[tuple[str, bool]]:
        """The task whose ``detail.uri`` is what was sent (never simply the newest task)."""
        tasks = yield from self._list_tasks("detail")
        matches = []
        for task in tasks:
            additional = task.get("additional")
            detail = additional.get("detail") if isinstance(additional, Mapping) else None
            if isinstance(detail, Mapping) and detail.get("uri") in uris:
                matches.append(task)
        if not matches:
            raise ServerError(
                "Download Station accepted the task but lists no task for it "
                "(it may have refused it silently, e.g. as a duplicate)"
            )

        def is_duplicate_marker(task: Mapping[str, Any]) -> bool:
            extra = task.get("status_extra")
            return isinstance(extra, Mapping) and extra.get("error_detail") == "torrent_duplicate"

        # Prefer a real task over DS's "torrent_duplicate" error twin; among equals, the latest id.
        matches.sort(key=lambda t: (not is_duplicate_marker(t), _dbid_number(str(t["id"]))))
        best = matches[-1]
        duplicate = len(matches) > 1 or is_duplicate_marker(best)
        return str(best["id"]), duplicate

    # -- acting on tasks ---------------------------------------------------------------

    def _bulk(
        self, operation: str, method: str, ids: Sequence[str], extra: Sequence[tuple[str, str]] = ()
    ) -> Flow[None]:
        """One request for all ids; per-id failures become one error (the rest still counts)."""
        data = yield from self._form(TASK, method, [("id", _join_ids(ids)), *extra])
        failures = per_id_errors(data, TASK)
        if not failures:
            return
        if len(ids) == 1 and ids[0] in failures:
            error = failures[ids[0]]
            raise type(error)(f"{ids[0]}: {error.message}", native_code=error.native_code)
        raise _partial_failure(operation, ids, failures)

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._bulk("pause", "pause", ids)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._bulk("resume", "resume", ids)

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        if delete_data:
            raise self._unsupported("remove with data")  # the core refuses first: no capability
        # force_complete=false: an unfinished task's partial data is discarded, finished files stay.
        yield from self._bulk("remove", "delete", ids, [("force_complete", "false")])

    def move(self, ids: Sequence[str], destination: str) -> Flow[None]:
        path = check_destination(destination)
        yield from self._ready()
        self._require(Capability.MOVE, "move")
        yield from self._bulk("move", "edit", ids, [("destination", path)])

    # -- whole-server ----------------------------------------------------------------------

    def stats(self) -> Flow[SessionStats]:
        apis = yield from self._ready()
        self._require(Capability.STATS, "stats")
        speeds = yield from self._form(STATISTIC, "getinfo")
        if not isinstance(speeds, Mapping):
            raise ProtocolError("SYNO.DownloadStation.Statistic getinfo answered no object")
        down_limit = up_limit = None
        if apis.get(INFO) is not None:
            config = yield from self._form(INFO, "getconfig")
            if isinstance(config, Mapping):
                down_limit = _limit_from_kib(config.get("bt_max_download"))
                up_limit = _limit_from_kib(config.get("bt_max_upload"))
        return SessionStats(
            download_speed=max(number(speeds.get("speed_download"), "speed_download"), 0),
            upload_speed=max(number(speeds.get("speed_upload"), "speed_upload"), 0),
            download_limit=down_limit,
            upload_limit=up_limit,
        )

    def set_limits(self, download: int | None, upload: int | None) -> Flow[None]:
        """BitTorrent limits (``bt_max_download``/``bt_max_upload``, KB/s; 0 is unlimited on DS)."""
        fields = [("bt_max_download", _kib_from_limit(download)), ("bt_max_upload", _kib_from_limit(upload))]
        yield from self._ready()
        self._require(Capability.GLOBAL_LIMITS, "set limits")
        if self._is_manager is None:
            data = yield from self._form(INFO, "getinfo")
            manager = data.get("is_manager") if isinstance(data, Mapping) else None
            self._is_manager = manager if isinstance(manager, bool) else None
        if self._is_manager is False:
            # DS answers success to non-managers and ignores the change: say so instead.
            raise PermissionDeniedError("only a Download Station manager (an administrator) can change the limits")
        yield from self._form(INFO, "setserverconfig", fields)


def _limit_from_kib(value: Any) -> int | None:
    kib = number(value, "speed limit")
    return kib * KIB if kib > 0 else None


def _kib_from_limit(limit: int | None) -> str:
    if limit is None:
        return "0"
    if limit == 0:
        raise InvalidInputError("Download Station cannot set a zero limit (0 means unlimited there); pause instead")
    return str(-(-limit // KIB))  # round up: a small positive limit must not become 0 (unlimited)


def _partial_failure(operation: str, ids: Sequence[str], failures: Mapping[str, EnunclicError]) -> PartialFailureError:
    listed = "; ".join(f"{task_id}: {error.message} (code {error.native_code})" for task_id, error in failures.items())
    codes = {error.native_code for error in failures.values()}
    return PartialFailureError(
        f"{operation} failed for {len(failures)} of {len(ids)} tasks: {listed}",
        failures,
        native_code=codes.pop() if len(codes) == 1 else None,
    )


#: Where a task list reply holds its tasks, and what it holds besides when it succeeded.
_TASKS = ("data", "tasks")
_TOTAL = ("data", "total")
_SUCCESS: dict[tuple[str, ...], Any] = {("success",): True}


def _task_id(task: Any) -> str:
    if not isinstance(task, Mapping) or not isinstance(task.get("id"), str):
        raise ProtocolError("a Download Station task without an id")
    task_id: str = task["id"]
    return task_id


_ID = attrgetter("id")
