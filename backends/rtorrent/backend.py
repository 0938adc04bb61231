"""The rTorrent backend: XML-RPC flows over SCGI (TCP or unix socket) or HTTP(S).

rTorrent has no login: SCGI has no authentication at all, and HTTP goes through a
web server that may ask for Basic credentials on every request (``httpx.BasicAuth``).
Bulk operations are one ``system.multicall``; listing is one ``d.multicall2`` with
exactly the fields the mapping reads.
"""

from __future__ import annotations

import posixpath
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Final
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field

from enunclic.plugin import (
    BYTES,
    AddedTorrent,
    AddOptions,
    Backend,
    BackendConfig,
    Capability,
    Changes,
    EnunclicError,
    FilePriority,
    Flow,
    InvalidInputError,
    Limit,
    MagnetLink,
    Peer,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    ServerInfo,
    SessionStats,
    Torrent,
    TorrentFile,
    TorrentFileData,
    TorrentSource,
    TorrentURL,
    Tracker,
    changed_limits,
    info_hash_id,
    parse_options,
    raise_failures,
    read_size,
    until,
)

from .api import build_request, load_command, parse_reply
from .mapping import (
    FILE_FIELDS,
    FILE_PRIORITY_TO_NATIVE,
    PEER_FIELDS,
    TORRENT_CALLS,
    TORRENT_FIELDS,
    TRACKER_FIELDS,
    encode_label,
    to_file,
    to_peer,
    to_torrent,
    to_tracker,
)
from .poll import LIGHT_FIELDS, PollState, full_row, light_row, row_values
from .scgi import AsyncSCGITransport, SCGIAddress, SCGITransport
from .xmlrpc import Fault, decode_rows, multicall_items

__all__ = ["RTorrentBackend", "RTorrentOptions"]

#: The request URL for a unix socket: host-less like the client's ``scgi:///path`` URL, so
#: that the core treats the reply as this server's; the socket itself is the transport's job.
_SOCKET_REQUEST_URL: Final = "scgi:///RPC2"
#: How add() waits for the new torrent (seconds between looks, seconds in all). rTorrent answers
#: ``load.*`` at once and creates the download a main-loop tick later (observed: up to ~10 ms on
#: 0.9.8), or fetches a URL in the background; a torrent it drops never appears.
ADD_EVERY: Final = 0.05
ADD_WITHIN: Final = 2.0
#: How long a running hash check is waited for before a command that must not meet one (see
#: :meth:`RTorrentBackend._unsettled`): a check of a few MiB ends within milliseconds.
SETTLE_EVERY: Final = 0.05
SETTLE_WITHIN: Final = 1.0
_ADD_MARKER: Final = "enunclic_add"
_CHECKING: Final = (
    "the torrent is being hash-checked; rTorrent 0.9 can hang for good when a torrent is stopped, "
    "removed or rechecked during its check: try again when the check has ended"
)


class RTorrentOptions(BaseModel):
    """Options of the rtorrent backend."""

    model_config = ConfigDict(extra="forbid")

    #: Opt in to ``remove(delete_data=True)``: rTorrent cannot delete data itself, so the
    #: backend runs ``rm -rf -- <base path>`` on the server through ``execute.throw`` (no
    #: shell), after checking that the path is the torrent's own and lies in its directory.
    delete_data: bool = False
    #: Every Nth ``poll()`` lists every field of every torrent instead of the ones that change (a safety net
    #: for the remembered ones: name, multi-file, load and finish dates, trackers).
    full_poll_every: int = Field(default=60, ge=1)


class RTorrentBackend(Backend):
    """rTorrent 0.9.x over XML-RPC."""

    name = "rtorrent"
    display_name = "rTorrent"
    capabilities = frozenset(
        {
            Capability.ADD_MAGNET,
            Capability.ADD_URL,
            Capability.ADD_FILE,
            Capability.REMOVE_WITH_DATA,
            Capability.RECHECK,
            Capability.REANNOUNCE,
            Capability.LABELS,
            Capability.FILES,
            Capability.FILE_PRIORITY,
            Capability.TRACKERS,
            Capability.PEERS,
            Capability.GLOBAL_LIMITS,
            Capability.STATS,
        }
    )
    url_schemes = ("scgi", "http", "https")
    default_ports: ClassVar[Mapping[str, int]] = {"scgi": 5000}
    default_path = "/RPC2"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.options = parse_options(RTorrentOptions, config, self.name)
        self.state = PollState()
        parts = urlsplit(config.url)
        self._address: SCGIAddress | None = None
        if parts.scheme == "scgi":
            if config.username is not None or config.password is not None:
                raise InvalidInputError(
                    "SCGI has no authentication: drop the credentials, or put a web server in front "
                    "of rTorrent and use rtorrent+https://",
                    backend=self.name,
                )
            if parts.hostname:
                self._address = SCGIAddress(host=parts.hostname, port=parts.port or self.default_ports["scgi"])
                self._url = config.url
            elif parts.path:
                self._address = SCGIAddress(path=parts.path)
                self._url = _SOCKET_REQUEST_URL
            else:
                raise InvalidInputError("an SCGI URL needs host:port or a socket path", backend=self.name)
        elif parts.scheme in ("http", "https"):
            self._url = config.url
            if config.username is not None or config.password is not None:
                self.auth = httpx.BasicAuth(config.username or "", config.password or "")
        else:
            raise InvalidInputError(f"rTorrent cannot be reached over {parts.scheme!r}", backend=self.name)

    # -- transports and capabilities --------------------------------------------------------

    def transport(self) -> httpx.BaseTransport | None:
        return SCGITransport(self._address) if self._address else None

    def async_transport(self) -> httpx.AsyncBaseTransport | None:
        return AsyncSCGITransport(self._address) if self._address else None

    def available_capabilities(self) -> frozenset[Capability]:
        if self.options.delete_data:
            return self.capabilities
        return self.capabilities - {Capability.REMOVE_WITH_DATA}

    # -- calls ------------------------------------------------------------------------------

    def _call(self, method: str, *params: Any) -> Flow[Any]:
        response = yield build_request(self._url, method, params)
        return parse_reply(response)

    def _multicall(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> Flow[list[Any]]:
        """Many calls in one request; each item is its value or a :class:`Fault`."""
        batch = [{"methodName": method, "params": list(params)} for method, params in calls]
        reply = yield from self._call("system.multicall", batch)
        return multicall_items(reply, len(calls))

    def _values(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> Flow[list[Any]]:
        """Many calls in one request, all of which must succeed: the first fault raises."""
        items = yield from self._multicall(calls)
        if fault := next((item for item in items if isinstance(item, Fault)), None):
            raise fault.error()
        return items

    def _per_torrent(
        self, operation: str, ids: Sequence[str], commands: Sequence[str], *args: Any, settle: bool = False
    ) -> Flow[list[Any]]:
        """Run ``command(hash, *args)`` for each id and command in one request; failures name their ids.

        With ``settle``, torrents are first left to finish a running hash check (see
        :meth:`_unsettled`); those still checking fail without being touched.
        """
        failures: dict[str, EnunclicError] = {}
        if settle:
            for torrent_id in (yield from self._unsettled(ids)):
                failures[torrent_id] = ServerError(_CHECKING)
        targets = [i for i in ids if i not in failures]
        calls = [(command, [_native(i), *args]) for i in targets for command in commands]
        items = (yield from self._multicall(calls)) if calls else []
        for position, item in enumerate(items):
            torrent_id = targets[position // len(commands)]
            if isinstance(item, Fault) and torrent_id not in failures:
                failures[torrent_id] = item.error()
        raise_failures(ids, failures, operation)
        return items

    def _unsettled(self, ids: Sequence[str]) -> Flow[list[str]]:
        """The ids still hash-checking after a bounded wait.

        rTorrent 0.9.8 deadlocks now and then (main thread stuck on a futex, SCGI dead for
        good) when ``d.stop``, ``d.erase`` or ``d.check_hash`` hits a torrent whose hash
        check is queued or running, e.g. right after ``load.*`` (observed within 40 rounds of
        add-then-erase; never once the check had ended). Nothing else is sent meanwhile; a
        check still running after :data:`SETTLE_WITHIN` seconds is reported, not waited for.
        """
        pending = list(ids)

        def settled() -> Flow[bool]:
            nonlocal pending
            calls = [(name, [_native(i)]) for i in pending for name in ("d.hashing", "d.is_hash_checking")]
            items = yield from self._multicall(calls)
            pending = [i for n, i in enumerate(pending) if any(_busy(item) for item in items[2 * n : 2 * n + 2])]
            return not pending

        yield from until(settled, every=SETTLE_EVERY, within=SETTLE_WITHIN)
        return pending

    def _appeared(self, find: Callable[[], Flow[str | None]], missing: str) -> Flow[AddedTorrent]:
        """Poll ``find()`` until it names the new torrent's hash, then let its first hash check end.

        ``ServerError(missing)`` when nothing appeared within :data:`ADD_WITHIN` seconds.
        """
        found: str | None = None

        def look() -> Flow[bool]:
            nonlocal found
            found = yield from find()
            return found is not None

        yield from until(look, every=ADD_EVERY, within=ADD_WITHIN)
        if found is None:
            raise ServerError(missing)
        yield from self._unsettled([found.lower()])  # so that the next call may stop or erase it
        return AddedTorrent(id=found.lower(), info_hash=found.lower())

    # -- flows -----------------------------------------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        items = yield from self._multicall(
            [("system.client_version", []), ("system.library_version", []), ("system.api_version", [])]
        )
        version, library, api = (None if isinstance(i, Fault) else str(i) for i in items)
        return ServerInfo(
            backend=self.name,
            version=f"{version} (libtorrent {library})" if version and library else version,
            api_version=api,
            capabilities=self.available_capabilities(),
        )

    def torrents(self) -> Flow[list[Torrent]]:
        return [to_torrent(row) for row in (yield from self._rows(TORRENT_FIELDS))]

    def _rows(self, fields: Sequence[str]) -> Flow[list[Any]]:
        """One ``d.multicall2`` of ``fields`` over every torrent: its rows, not yet read."""
        response = yield build_request(self._url, "d.multicall2", ("", "main", *fields))
        rows: Any = decode_rows(response.content, len(fields))  # the usual reply, in one pass
        if rows is None:
            rows = parse_reply(response)
        if not isinstance(rows, list):
            raise ProtocolError("d.multicall2 did not answer a list")
        return rows

    def changes(self) -> Flow[Changes]:
        """A steady poll asks only the fields that change (see :mod:`.poll`); the first poll, every Nth,
        and one whose rows the light form cannot carry list everything."""
        state = self.state
        state.polls += 1
        if state.polls == 1 or state.polls % self.options.full_poll_every == 0:
            rows = yield from self._rows(TORRENT_FIELDS)
            torrents = [to_torrent(row) for row in rows]  # read first: a bad row raises before anything is kept
            state.rows = {str(row[0]).upper(): full_row(row) for row in rows}
            return Changes(torrents, complete=True)
        light = dict(light_row(values) for values in (yield from self._rows(LIGHT_FIELDS)))
        stale = [info_hash for info_hash, values in light.items() if state.stale(info_hash, values)]
        fresh = yield from self._full_rows(stale)
        rows_now = {}
        for info_hash, values in light.items():
            if info_hash in fresh:
                rows_now[info_hash] = fresh[info_hash]
            elif values is not None and info_hash not in stale:
                rows_now[info_hash] = {**state.rows[info_hash], **values}
            # else: removed between the two requests, so gone
        torrents = [to_torrent(row_values(row)) for row in rows_now.values()]
        state.rows = rows_now
        return Changes(torrents, complete=True)

    def _full_rows(self, hashes: Sequence[str]) -> Flow[dict[str, dict[str, Any]]]:
        """Every listing field of these torrents, in one request; one removed since is left out."""
        if not hashes:
            return {}
        items = yield from self._multicall([(method, [h, *rest]) for h in hashes for method, rest in TORRENT_CALLS])
        width = len(TORRENT_CALLS)
        rows = {}
        for n, info_hash in enumerate(hashes):
            values = items[n * width : (n + 1) * width]
            if not any(isinstance(value, Fault) for value in values):
                rows[info_hash] = full_row(values)
        return rows

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        native = _native(torrent_id)
        return to_torrent((yield from self._values([(method, [native, *rest]) for method, rest in TORRENT_CALLS])))

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        commands: list[str] = []
        if options.destination is not None:
            commands.append(load_command("d.directory.set", options.destination))
        if options.label is not None:
            commands.append(load_command("d.custom1.set", encode_label(options.label)))
        start = not options.paused
        if isinstance(source, TorrentFileData):
            load: tuple[str, Any] = ("load.raw_start" if start else "load.raw", source.content)
            info_hash: str | None = source.info_hash
        elif isinstance(source, MagnetLink):
            if source.info_hash is None:
                raise InvalidInputError("rTorrent 0.9 needs a magnet link with a v1 info-hash (xt=urn:btih:...)")
            load, info_hash = ("load.start" if start else "load.normal", source.uri), source.info_hash
        elif isinstance(source, TorrentURL):
            return (yield from self._add_url(source.url, start, commands))
        else:
            raise InvalidInputError(f"rTorrent cannot add a {type(source).__name__}")
        native = _native(str(info_hash))
        # One request: was it already there, then load it (rTorrent ignores a duplicate load).
        before, loaded = yield from self._multicall([("d.hash", [native]), (load[0], ["", load[1], *commands])])
        if isinstance(loaded, Fault):
            raise loaded.error()
        if not isinstance(before, Fault):
            return AddedTorrent(id=native.lower(), info_hash=native.lower(), duplicate=True)

        def listed() -> Flow[str | None]:
            hashes = yield from self._call("download_list", "")
            if not isinstance(hashes, list):
                raise ProtocolError("download_list did not answer a list")
            return native if native in hashes else None

        # rTorrent answers 0 whatever happened: confirm the torrent appears.
        missing = (
            "rTorrent did not add the torrent (it silently drops torrents it cannot use, e.g. one "
            "without trackers while DHT is off; its log says why)"
        )
        return (yield from self._appeared(listed, missing))

    def _add_url(self, url: str, start: bool, commands: list[str]) -> Flow[AddedTorrent]:
        """rTorrent fetches the URL in the background: tag the download, then look for the tag."""
        token = secrets.token_hex(8)
        marker = f"d.custom.set={_ADD_MARKER},{token}"
        yield from self._call("load.start" if start else "load.normal", "", url, *commands, marker)

        def tagged() -> Flow[str | None]:
            rows = yield from self._call("d.multicall2", "", "main", "d.hash=", f"d.custom={_ADD_MARKER}")
            for row in rows if isinstance(rows, list) else ():
                if isinstance(row, list) and len(row) == 2 and row[1] == token and isinstance(row[0], str):
                    return row[0]
            return None

        missing = (
            "rTorrent accepted the URL but no torrent from it appeared yet: the download of the "
            ".torrent failed or is still running (rTorrent's log says which)"
        )
        return (yield from self._appeared(tagged, missing))

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._per_torrent("pause", ids, ("d.stop",), settle=True)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        # d.start alone leaves a d.pause'd torrent inactive; d.resume wakes it.
        yield from self._per_torrent("resume", ids, ("d.start", "d.resume"), settle=True)

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        if not delete_data:
            yield from self._per_torrent("remove", ids, ("d.erase",), settle=True)
            return
        # All or nothing: every id is settled and every path checked before anything is erased.
        if (yield from self._unsettled(ids)):
            raise ServerError(f"{_CHECKING} (nothing was removed)")
        fields = ("d.name", "d.directory", "d.base_path", "d.is_multi_file")
        items = yield from self._per_torrent("remove", ids, fields)
        calls: list[tuple[str, Sequence[Any]]] = []
        for position, torrent_id in enumerate(ids):
            path = data_path(*items[position * len(fields) : (position + 1) * len(fields)])
            calls.append(("d.erase", [_native(torrent_id)]))
            calls.append(("execute.throw", ["", "rm", "-rf", "--", path]))
        results = yield from self._multicall(calls)
        failures = {ids[n // 2]: item.error() for n, item in enumerate(results) if isinstance(item, Fault)}
        raise_failures(ids, failures, "remove")

    def recheck(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._per_torrent("recheck", ids, ("d.check_hash",), settle=True)

    def reannounce(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._per_torrent("reannounce", ids, ("d.tracker_announce",))

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        yield from self._per_torrent("set_label", ids, ("d.custom1.set",), encode_label(label) if label else "")

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        native = _native(torrent_id)
        rows, chunk_size = yield from self._values(
            [("f.multicall", [native, "", *FILE_FIELDS]), ("d.chunk_size", [native])]
        )
        if not isinstance(rows, list):
            raise ProtocolError("f.multicall did not answer a list")
        return [to_file(index, row, read_size(chunk_size)) for index, row in enumerate(rows)]

    def set_file_priority(self, torrent_id: str, indexes: Sequence[int], priority: FilePriority) -> Flow[None]:
        native = _native(torrent_id)
        value = FILE_PRIORITY_TO_NATIVE[priority]
        calls: list[tuple[str, Sequence[Any]]] = [("f.priority.set", [f"{native}:f{i}", value]) for i in indexes]
        calls.append(("d.update_priorities", [native]))
        items = yield from self._multicall(calls)
        if isinstance(items[-1], Fault):
            raise items[-1].error()
        bad = [index for index, item in zip(indexes, items[:-1], strict=True) if isinstance(item, Fault)]
        if bad:
            raise InvalidInputError(f"the torrent has no file with index {', '.join(map(str, bad))}")

    def trackers(self, torrent_id: str) -> Flow[list[Tracker]]:
        rows = yield from self._call("t.multicall", _native(torrent_id), "", *TRACKER_FIELDS)
        if not isinstance(rows, list):
            raise ProtocolError("t.multicall did not answer a list")
        return [to_tracker(row) for row in rows]

    def peers(self, torrent_id: str) -> Flow[list[Peer]]:
        rows = yield from self._call("p.multicall", _native(torrent_id), "", *PEER_FIELDS)
        if not isinstance(rows, list):
            raise ProtocolError("p.multicall did not answer a list")
        return [to_peer(row) for row in rows]

    def set_limits(self, download: Limit, upload: Limit) -> Flow[None]:
        """The global throttles that change, in bytes/s (0 is none there, so the core refuses a 0 B/s limit)."""
        changes = changed_limits(
            **{"throttle.global_down.max_rate.set": download, "throttle.global_up.max_rate.set": upload}
        )
        yield from self._values([(method, ["", BYTES.to_native(limit)]) for method, limit in changes.items()])

    def stats(self) -> Flow[SessionStats]:
        down, up, down_limit, up_limit = yield from self._values(
            [
                ("throttle.global_down.rate", []),
                ("throttle.global_up.rate", []),
                ("throttle.global_down.max_rate", []),
                ("throttle.global_up.max_rate", []),
            ]
        )
        return SessionStats(
            download_speed=read_size(down),
            upload_speed=read_size(up),
            download_limit=BYTES.from_native(down_limit),
            upload_limit=BYTES.from_native(up_limit),
        )


def _native(torrent_id: str) -> str:
    """The contract's id (an info-hash, either case) as rTorrent spells it: upper-case."""
    return info_hash_id(torrent_id).upper()


def _busy(flag: Any) -> bool:
    """A ``d.hashing`` / ``d.is_hash_checking`` answer that says a check is queued or running."""
    return not isinstance(flag, Fault) and flag not in (0, False)


def data_path(raw_name: Any, raw_directory: Any, raw_base_path: Any, multi_file: Any) -> str:
    """The path ``remove(delete_data=True)`` may delete: the torrent's own file or folder, checked.

    A single-file torrent's data is ``<directory>/<name>``; a multi-file torrent's
    ``d.directory`` already is its own folder, named after the torrent. Anything else
    (a name with a slash or ``..``, a relative or unnormalized directory, a base path
    that disagrees) is refused before anything is erased.
    """
    for value in (raw_name, raw_directory, raw_base_path):
        if isinstance(value, Fault):
            raise value.error()
        if not isinstance(value, str):
            raise ProtocolError("rTorrent answered a path that is not text")
    name, directory, base_path = str(raw_name), str(raw_directory), str(raw_base_path)
    if name in ("", ".", "..") or "/" in name or "\0" in name:
        raise PermissionDeniedError(f"refusing to delete data: the torrent's name {name!r} is not a plain name")
    if not directory.startswith("/") or posixpath.normpath(directory) != directory.rstrip("/") or directory == "/":
        raise PermissionDeniedError(f"refusing to delete data: its directory {directory!r} is not a clean path")
    directory = directory.rstrip("/")
    if multi_file:
        path = directory
        if posixpath.basename(path) != name or posixpath.dirname(path) in ("", "/"):
            raise PermissionDeniedError(f"refusing to delete data: {path!r} is not a folder named after the torrent")
    else:
        path = posixpath.join(directory, name)
    if base_path and posixpath.normpath(base_path) != path:
        raise PermissionDeniedError(f"refusing to delete data: rTorrent's base path {base_path!r} is not {path!r}")
    return path
