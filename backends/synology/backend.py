"""Synology Download Station over the DSM Web API (DSM 6 and DSM 7).

How it talks to the NAS:

* Discovery (:meth:`SynologyBackend.discover`): one ``SYNO.API.Info query`` per
  client; each API's path and version come from the reply (see :mod:`.discovery`).
  Absent APIs narrow the capabilities instead of failing.
* Session (:mod:`.auth`): a form-POST login (``session=DownloadStation``,
  ``format=sid``; 2FA with ``otp_code=`` and device tokens), one shared session per
  client. Codes 106/107/119 cause one silent re-login and one resend. Code 105 does
  the same only for a session that has had replies before (a NAS restart answers 105
  to old sessions); a 105 on a fresh session is a real permission problem.
* Tasks: the documented v1 ``SYNO.DownloadStation.Task`` for list/getinfo/pause/
  resume/delete/edit and for links (it still works on DSM 7.2); uploads of .torrent
  files go through ``SYNO.DownloadStation2.Task create`` where the NAS has it (the v1
  upload answers 101 since DS 3.8.16) and through the v1 multipart upload otherwise.
* Ids are DS task ids (``dbid_N``). DS reports no info-hash: it comes from a magnet's
  btih, from the .torrent bytes this client uploaded, or from the .torrent DS keeps
  (``DownloadStation2.Task.Source``), read back only to place a duplicate.
* Adding: the new task is the id DS2 ``create`` returns, else the one that is new in the
  list since before the create (v1 returns no id) and carries the uri sent. A torrent DS
  already has becomes an error twin (``torrent_duplicate``, :mod:`.duplicates`): the twin
  is removed and the task holding that info-hash is the answer, ``duplicate=True``.

Download Station has no recheck, reannounce, labels, file priorities, per-task
limits, queue order or "remove with data": those capabilities are absent. Pause all and
resume all are one DS2 ``*_condition`` call where the NAS has DS2.

Choices where the evidence is thin (reference/synology.md marks them uncertain):

* Uploads (v1 and DS2) authenticate with the ``id`` cookie alone (plus ``X-SYNO-TOKEN``
  when DSM issued a real token), never ``_sid`` in the query; ``api``/``version``/
  ``method`` travel as the first multipart fields.
* ``list.total`` may count all tasks or just the page: paging continues while a page
  is full or ``total`` says more exist, and stops when a page brings nothing new.
* KB/s on the wire is taken as 1024 bytes/s.
* The DS2 numeric statuses follow plneto's enum; ``finishing``/``extracting`` map to
  ``moving``, ``captcha_needed`` to ``queued``, ``pre_seeding`` to ``completed``.
* Links are added with v1 ``create`` (DS2's URL mode is "reserved" on some DSM 7.2).
* With no destination and no default, DS2 create gets ``destination=""``.
* DS2 task errors are decoded with the v1 task table (no separate table is known).
* A duplicate is told by its twin, read right after the create. A URL's twin could come
  only once DS fetched the .torrent (unknown); then the add reads as a new task. A create
  that lists no new task while a task holds the same info-hash reads as a duplicate too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, ClassVar, Final

import httpx

from enunclic.compiled import Page
from enunclic.plugin import (
    KIB,
    AddedTorrent,
    AddOptions,
    Backend,
    BackendConfig,
    Capability,
    Flow,
    InvalidInputError,
    Limit,
    MagnetLink,
    NotSupportedError,
    Peer,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    ServerInfo,
    SessionStats,
    Torrent,
    TorrentFile,
    TorrentFileData,
    TorrentNotFoundError,
    TorrentSource,
    Tracker,
    as_int,
    changed_limits,
    parse_options,
    raise_failures,
    read_size,
)
from enunclic.sources import parse_torrent_file

from .api import as_number, form_request, json_value, multipart_request, per_id_errors, sanitize_uri, unwrap, webapi_url
from .auth import SynologyAuth
from .discovery import DS2_LOCATION, DS2_SOURCE, DS2_TASK, INFO, QUERIED_APIS, STATISTIC, TASK, Apis, parse_api_info
from .duplicates import DUPLICATE, is_twin, made_by_create, task_hash, task_uri, uploaded_name
from .mapping import TASK_MODEL, map_file, map_peer, map_task, map_tracker, with_known_hashes
from .options import SynologyOptions

__all__ = ["SynologyBackend", "check_destination"]

# "/volume1/...", "volume1/..." and absolute paths are what DS refuses with 403.
_VOLUME = re.compile(r"volume(usb)?\d+(/|$)", re.IGNORECASE)
_TRAILING_NUMBER = re.compile(r"(\d+)$")

#: A safety stop for a server that ignores ``offset`` (10^4 pages of tasks).
_MAX_PAGES: Final = 10_000

#: .torrent files read back from the NAS, at most, to find the task one duplicate repeats.
_MAX_SOURCE_READS: Final = 100

#: Where a task list reply holds its tasks, and what it holds besides when it succeeded.
_TASKS = ("data", "tasks")
_TOTAL = ("data", "total")
_SUCCESS: dict[tuple[str, ...], Any] = {("success",): True}
_ID = attrgetter("id")
#: A task's answer to an action it cannot do in its current state (pausing a finished task).
_WRONG_STATE: Final = 405


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


def _stem(source: TorrentFileData) -> str:
    """The upload's file name without ``.torrent``: what DS stores as the task's uri."""
    name = source.filename
    return name[: -len(".torrent")] if name.lower().endswith(".torrent") else name


def _dbid_number(task_id: str) -> int:
    match = _TRAILING_NUMBER.search(task_id)
    return int(match.group(1)) if match else -1


@dataclass
class Station:
    """What this client knows of its NAS: the APIs discovery found, and what DS does not report itself."""

    apis: Apis | None = None
    #: Info-hashes DS does not report, by task id: of the .torrent files this client uploaded,
    #: and of those it read back from the NAS to find the task a duplicate repeats.
    hashes: dict[str, str] = field(default_factory=dict)
    #: Whether the account manages Download Station (None until ``SYNO.DownloadStation.Info`` said).
    is_manager: bool | None = None


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
        otp, token = self.options.otp_code, self.options.device_token
        self.auth: SynologyAuth = SynologyAuth(
            config.url,
            config.username,
            config.password,
            otp_code=otp.get_secret_value() if otp else None,
            device_token=token.get_secret_value() if token else None,
            device_name=self.options.device_name,
        )
        self.station = Station()

    @property
    def device_token(self) -> str | None:
        """The 2FA device token DSM issued (store it and pass ``device_token=`` next time)."""
        return self.auth.device_token

    # -- discovery -------------------------------------------------------------------

    def discover(self) -> Flow[None]:
        """Ask ``SYNO.API.Info`` where each API lives and which versions it speaks (no session needed)."""
        query = {"api": "SYNO.API.Info", "version": "1", "method": "query", "query": ",".join(QUERIED_APIS)}
        url = webapi_url(self.config.url, "query.cgi")
        response = yield httpx.Request("GET", url, params=query, headers={"Accept": "application/json"})
        apis = parse_api_info(unwrap(response, "SYNO.API.Info"))
        self.auth.api = apis.require("SYNO.API.Auth")
        self.station.apis = apis

    def available_capabilities(self) -> frozenset[Capability]:
        """Everything until discovery; then only what this NAS's API versions allow."""
        apis = self.station.apis
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

    @property
    def apis(self) -> Apis:
        """The discovered APIs (the core discovers before any operation)."""
        if self.station.apis is None:
            raise ProtocolError("an operation ran before SYNO.API.Info was asked")
        return self.station.apis

    # -- one call ----------------------------------------------------------------------

    def _request(self, api: str, method: str, fields: Sequence[tuple[str, str]] = ()) -> httpx.Request:
        """A form POST of ``api.method`` at the path and version discovery chose (the auth adds the session)."""
        entry = self.apis.require(api)
        head = [("api", api), ("version", str(entry.version)), ("method", method)]
        return form_request(webapi_url(self.config.url, entry.path), [*head, *fields])

    def _call(self, api: str, method: str, fields: Sequence[tuple[str, str]] = ()) -> Flow[Any]:
        """``api.method`` in the session; the reply's ``data``, or the typed error of its code."""
        response = yield self._request(api, method, fields)
        return unwrap(response, api)

    # -- reading -----------------------------------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        apis = self.apis
        version: str | None = None
        if apis.get(INFO) is not None:
            data = yield from self._call(INFO, "getinfo")
            if isinstance(data, Mapping):
                text = data.get("version_string") or data.get("version")
                version = str(text) if text not in (None, "") else None
                if isinstance(data.get("is_manager"), bool):
                    self.station.is_manager = data["is_manager"]
        task = apis.require(TASK)
        upload = apis.get(DS2_TASK)
        api_version = f"Task v{task.version}" + (f", DownloadStation2.Task v{upload.version}" if upload else "")
        return ServerInfo(
            backend=self.name, version=version, api_version=api_version, capabilities=self.available_capabilities()
        )

    def _list_tasks(self, additional: str, *, as_models: bool) -> Flow[list[Any]]:
        """Every task, in pages of ``page_size`` (``total`` may count all tasks or only this page).

        With ``as_models`` a page is read straight into Torrents in one pass; else the raw task objects.
        """
        page = self.options.page_size
        offset = 0
        tasks: dict[str, Any] = {}
        for _ in range(_MAX_PAGES):
            fields = [("offset", str(offset)), ("limit", str(page))]
            if additional:
                fields.append(("additional", additional))
            response = yield self._request(TASK, "list", fields)
            read: Page[Torrent] | None = None
            if as_models:
                read = TASK_MODEL.page_json(response.content, _TASKS, checks=_SUCCESS, values=(_TOTAL,))
            if read is not None:
                batch: list[Any] = read.items
                total, ids = read.values[_TOTAL], list(map(_ID, batch))
            else:
                data = unwrap(response, TASK)
                if not isinstance(data, Mapping) or not isinstance(data.get("tasks"), list):
                    raise ProtocolError("SYNO.DownloadStation.Task list answered without a task list")
                batch, total = data["tasks"], data.get("total")
                ids = [_task_id(t) for t in batch]
                if as_models:
                    batch = [map_task(t) for t in batch]
            before = len(tasks)
            tasks.update(zip(ids, batch, strict=True))  # a task the list shifted onto this page again: once
            new = len(tasks) - before
            if len(tasks) > self.options.max_tasks:
                raise ProtocolError(
                    f"Download Station listed more than {self.options.max_tasks} tasks and its pages go on: "
                    "refused (the max_tasks option raises the bound)"
                )
            counted = as_int(as_number(total))
            # The documented ``total`` counts every task, and then says when to stop, even after a
            # full page. Some versions are said to count this page only (total == len(batch)):
            # then only a short page is the last one.
            more = counted > offset + len(batch) if counted > len(batch) else len(batch) >= page
            if not batch or not new or not more:
                break
            offset += len(batch)
        return list(tasks.values())

    def torrents(self) -> Flow[list[Torrent]]:
        listed = yield from self._list_tasks("detail,transfer", as_models=True)
        return with_known_hashes(listed, self.station.hashes)

    def _getinfo(self, torrent_id: str, additional: str) -> Flow[Mapping[str, Any]]:
        if "," in torrent_id:
            raise TorrentNotFoundError(f"no task with id {torrent_id!r}")
        data = yield from self._call(TASK, "getinfo", [("id", torrent_id), ("additional", additional)])
        tasks = data.get("tasks") if isinstance(data, Mapping) else None
        if not isinstance(tasks, list):
            raise ProtocolError("SYNO.DownloadStation.Task getinfo answered without a task list")
        for task in tasks:
            if isinstance(task, Mapping) and task.get("id") == torrent_id:
                return task
        raise TorrentNotFoundError(f"no task with id {torrent_id!r}")

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        task = yield from self._getinfo(torrent_id, "detail,transfer")
        return map_task(task, self.station.hashes.get(torrent_id))

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
        """Create the task, then read what DS made of it: a new task, or an error twin of one it has.

        A twin (``torrent_duplicate``) is removed, and the task holding the same torrent is the
        answer (``duplicate``, left as it is: ``paused`` applies only to a task this add made).
        """
        destination = check_destination(options.destination) if options.destination is not None else None
        # The ids before the create: v1 returns none, so what the create made is what is new.
        before = {_task_id(task) for task in (yield from self._list_tasks("", as_models=False))}
        if isinstance(source, TorrentFileData):
            returned, uris = (yield from self._add_file(source, destination)), {_stem(source)}
            wanted: str | None = source.info_hash
        else:
            link = source.uri if isinstance(source, MagnetLink) else source.url
            yield from self._add_link(link, destination)
            returned, uris = [], {sanitize_uri(link), link}
            wanted = source.info_hash if isinstance(source, MagnetLink) else None
        tasks = yield from self._list_tasks("detail", as_models=False)
        made = made_by_create(tasks, before, returned, uris)
        if made is not None and is_twin(made):
            return (yield from self._settle_duplicate(made, tasks, wanted, uris))
        if made is not None:
            task_id = _task_id(made)
        elif returned:
            task_id = returned[0]  # DS2 named the task, which the list does not show (yet)
        else:
            existing = self._holding(tasks, wanted) if wanted else None
            if existing is None:
                raise ServerError(
                    "Download Station accepted the task but lists no task for it (it may have refused it silently)"
                )
            return AddedTorrent(id=existing, info_hash=wanted, duplicate=True)  # refused without a twin
        if isinstance(source, TorrentFileData):
            self.station.hashes[task_id] = source.info_hash
        if options.paused:
            yield from self.pause([task_id])  # DS has no "add paused": pause right after
        return AddedTorrent(id=task_id, info_hash=wanted, duplicate=False)

    def _add_link(self, link: str, destination: str | None) -> Flow[None]:
        fields = [("uri", sanitize_uri(link))]
        if destination is not None:
            if self.apis.require(TASK).version < 2:
                raise NotSupportedError("this Download Station (Task API v1) cannot choose a destination")
            fields.append(("destination", destination))
        yield from self._call(TASK, "create", fields)

    def _add_file(self, source: TorrentFileData, destination: str | None) -> Flow[list[str]]:
        """Upload the .torrent; the task ids DS2 ``create`` returned (none from v1, maybe none from DS2)."""
        filename = f"{_stem(source)}.torrent"
        upload = self.apis.get(DS2_TASK)
        if upload is None or upload.max_version < 2:
            v1_fields = [("destination", destination)] if destination is not None else []
            yield from self._upload(TASK, v1_fields, part="file", filename=filename, content=source.content)
            return []
        target = destination if destination is not None else (yield from self._default_destination())
        fields = [
            ("type", json_value("file")),
            ("file", json_value(["torrent"])),
            ("create_list", "false"),
            ("size", str(len(source.content))),
            ("destination", json_value(target or "")),
        ]
        data = yield from self._upload(DS2_TASK, fields, part="torrent", filename=filename, content=source.content)
        raw = data.get("task_id") if isinstance(data, Mapping) else None
        if isinstance(raw, str):
            raw = [raw]
        return [i for i in raw if isinstance(i, str) and i] if isinstance(raw, list) else []

    def _upload(
        self, api: str, fields: list[tuple[str, str]], *, part: str, filename: str, content: bytes
    ) -> Flow[Any]:
        """A multipart ``create`` with one file part (the session travels in the cookie)."""
        entry = self.apis.require(api)
        version = 2 if api == DS2_TASK else entry.version
        head = [("api", api), ("version", str(version)), ("method", "create")]
        url = webapi_url(self.config.url, entry.path)
        request = multipart_request(url, fields=[*head, *fields], part_name=part, filename=filename, content=content)
        response = yield request
        return unwrap(response, api)

    def _default_destination(self) -> Flow[str | None]:
        """DS2 create insists on a destination (120 when missing on DS 3.9): ask for the default."""
        if self.apis.get(DS2_LOCATION) is not None:
            data = yield from self._call(DS2_LOCATION, "get")
        elif self.apis.get(INFO) is not None:
            data = yield from self._call(INFO, "getconfig")
        else:
            return None
        value = data.get("default_destination") if isinstance(data, Mapping) else None
        # Empty: send "" and let the NAS decide (newer DS takes it as the default, older ones answer 120).
        return value if isinstance(value, str) and value else None

    # -- duplicates ----------------------------------------------------------------------

    def _settle_duplicate(
        self, twin: Mapping[str, Any], tasks: Sequence[Mapping[str, Any]], wanted: str | None, uris: Collection[str]
    ) -> Flow[AddedTorrent]:
        """Remove the twin this add made (only it), and answer with the task that holds the torrent."""
        twin_id = _task_id(twin)
        others = [task for task in tasks if not is_twin(task) and _task_id(task) != twin_id]
        existing: str | None = None
        if wanted is None:  # a URL: DS stores it as sent, or its .torrent tells the hash
            existing = next((_task_id(t) for t in others if task_uri(t) in uris), None)
            if existing is None:
                wanted = yield from self._source_hash(twin_id)
        if existing is None and wanted is not None:
            existing = yield from self._find_holder(others, wanted)
        yield from self._bulk("add", "delete", [twin_id], [("force_complete", "false")])
        if existing is None:
            raise ServerError(
                "Download Station already has this torrent, in a task this account cannot see or tell apart "
                "(its duplicate error task was removed)",
                native_code=DUPLICATE,
            )
        return AddedTorrent(id=existing, info_hash=wanted, duplicate=True)

    def _holding(self, tasks: Sequence[Mapping[str, Any]], info_hash: str) -> str | None:
        """The task (not a twin) whose known info-hash is ``info_hash``."""
        known = self.station.hashes
        return next((_task_id(t) for t in tasks if not is_twin(t) and task_hash(t, known) == info_hash), None)

    def _find_holder(self, tasks: Sequence[Mapping[str, Any]], info_hash: str) -> Flow[str | None]:
        """The task holding ``info_hash``: by the hashes known, else by reading uploaded tasks' .torrent
        back from the NAS (``Task.Source``), newest first, each once per client."""
        holder = self._holding(tasks, info_hash)
        if holder is not None:
            return holder
        unread = [t for t in tasks if uploaded_name(t) and _task_id(t) not in self.station.hashes]
        unread.sort(key=lambda t: _dbid_number(_task_id(t)), reverse=True)
        for task in unread[:_MAX_SOURCE_READS]:
            if (yield from self._source_hash(_task_id(task))) == info_hash:
                return _task_id(task)
        return None

    def _source_hash(self, task_id: str) -> Flow[str | None]:
        """The info-hash of the .torrent DS keeps for a task (DS2 ``Task.Source``); None when it has none."""
        if task_id in self.station.hashes:
            return self.station.hashes[task_id]
        if self.apis.get(DS2_SOURCE) is None:
            return None
        # The id travels bare, as synology-api sends it (tasks_source).
        response = yield self._request(DS2_SOURCE, "download", [("id", task_id)])
        try:
            info_hash = parse_torrent_file(response.content).info_hash
        except InvalidInputError:
            return None  # an error envelope or a page: DS keeps no .torrent for this task
        self.station.hashes[task_id] = info_hash
        return info_hash

    # -- acting on tasks ---------------------------------------------------------------

    def _bulk(
        self, operation: str, method: str, ids: Sequence[str], extra: Sequence[tuple[str, str]] = ()
    ) -> Flow[None]:
        """One request for all ids; per-id failures become one error (the rest still counts)."""
        data = yield from self._call(TASK, method, [("id", _join_ids(ids)), *extra])
        raise_failures(ids, per_id_errors(data, TASK), operation)

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._bulk("pause", "pause", ids)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._bulk("resume", "resume", ids)

    def pause_all(self) -> Flow[None]:
        """Every task this account sees, BitTorrent and links alike; see :meth:`_every`."""
        yield from self._every("pause_all", "pause")

    def resume_all(self) -> Flow[None]:
        """Like :meth:`pause_all`."""
        yield from self._every("resume_all", "resume")

    def _every(self, operation: str, method: str) -> Flow[None]:
        """One DS2 ``<method>_condition`` for every task but eMule ones (what DS's own "all" buttons send);
        without DS2, the list then one v1 call. Tasks that cannot do it now (a finished task cannot pause:
        405) are no failure: "all" means every task that can."""
        if self.apis.get(DS2_TASK) is not None:
            fields = [("type", json_value(["emule"])), ("type_inverse", "true")]
            data = yield from self._call(DS2_TASK, f"{method}_condition", fields)
            failures = per_id_errors(data, DS2_TASK)
        else:
            tasks = yield from self._list_tasks("", as_models=False)
            ids = [_task_id(task) for task in tasks if task.get("type") != "emule"]
            if not ids:
                return
            data = yield from self._call(TASK, method, [("id", _join_ids(ids))])
            failures = per_id_errors(data, TASK)
        failures = {i: error for i, error in failures.items() if error.native_code != _WRONG_STATE}
        raise_failures(list(failures), failures, operation)

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        if delete_data:
            raise self._unsupported("remove with data")  # the core refuses first: no capability
        # force_complete=false: an unfinished task's partial data is discarded, finished files stay.
        yield from self._bulk("remove", "delete", ids, [("force_complete", "false")])

    def move(self, ids: Sequence[str], destination: str) -> Flow[None]:
        yield from self._bulk("move", "edit", ids, [("destination", check_destination(destination))])

    # -- whole-server ----------------------------------------------------------------------

    def stats(self) -> Flow[SessionStats]:
        speeds = yield from self._call(STATISTIC, "getinfo")
        if not isinstance(speeds, Mapping):
            raise ProtocolError("SYNO.DownloadStation.Statistic getinfo answered no object")
        down_limit = up_limit = None
        if self.apis.get(INFO) is not None:
            config = yield from self._call(INFO, "getconfig")
            if isinstance(config, Mapping):
                down_limit = KIB.from_native(as_number(config.get("bt_max_download")))
                up_limit = KIB.from_native(as_number(config.get("bt_max_upload")))
        return SessionStats(
            download_speed=read_size(as_number(speeds.get("speed_download"))),
            upload_speed=read_size(as_number(speeds.get("speed_upload"))),
            download_limit=down_limit,
            upload_limit=up_limit,
        )

    def set_limits(self, download: Limit, upload: Limit) -> Flow[None]:
        """BitTorrent limits (``bt_max_download``/``bt_max_upload``, KB/s; 0 is unlimited on DS), only
        those that change: ``setserverconfig`` changes the keys it is sent."""
        changes = changed_limits(bt_max_download=download, bt_max_upload=upload)
        fields = [(key, _kib(limit)) for key, limit in changes.items()]
        if self.station.is_manager is None:
            data = yield from self._call(INFO, "getinfo")
            manager = data.get("is_manager") if isinstance(data, Mapping) else None
            self.station.is_manager = manager if isinstance(manager, bool) else None
        if self.station.is_manager is False:
            # DS answers success to non-managers and ignores the change: say so instead.
            raise PermissionDeniedError("only a Download Station manager (an administrator) can change the limits")
        yield from self._call(INFO, "setserverconfig", fields)


def _kib(limit: int | None) -> str:
    """Bytes/s -> whole KB/s, rounded up: a small limit must not become 0, which DS reads as unlimited
    (and so the core refuses a 0 B/s limit)."""
    return str(math.ceil(KIB.to_native(limit)))


def _task_id(task: Any) -> str:
    if not isinstance(task, Mapping) or not isinstance(task.get("id"), str):
        raise ProtocolError("a Download Station task without an id")
    task_id: str = task["id"]
    return task_id
