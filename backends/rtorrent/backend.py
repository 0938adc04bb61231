"""The rTorrent backend: XML-RPC flows over SCGI (TCP or unix socket) or HTTP(S).

rTorrent has no login: SCGI has no authentication at all, and HTTP goes through a
web server that may ask for Basic credentials on every request. Bulk operations are
one ``system.multicall``; listing is one ``d.multicall2`` with exactly the fields the
mapping reads.
"""

from __future__ import annotations

import posixpath
import re
import secrets
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict

from enunclic import (
    AddedTorrent,
    AddOptions,
    Backend,
    BackendConfig,
    Capability,
    EnunclicError,
    FilePriority,
    Flow,
    InvalidInputError,
    PartialFailureError,
    Peer,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    ServerInfo,
    SessionStats,
    Torrent,
    TorrentFile,
    TorrentNotFoundError,
    Tracker,
    parse_options,
)
from enunclic.sources import MagnetLink, TorrentFileData, TorrentSource, TorrentURL

from .api import Endpoint, build_request, load_command, parse_reply
from .codes import fault_error
from .mapping import (
    FILE_FIELDS,
    FILE_PRIORITY_TO_NATIVE,
    PEER_FIELDS,
    TORRENT_FIELDS,
    TRACKER_FIELDS,
    encode_label,
    to_file,
    to_peer,
    to_torrent,
    to_tracker,
)
from .scgi import AsyncSCGITransport, SCGIAddress, SCGITransport
from .xmlrpc import Fault, decode_rows, multicall_items

__all__ = ["RTorrentBackend", "RTorrentOptions"]

_HEX40 = re.compile(r"[0-9A-Fa-f]{40}")
#: The request URL used for a unix socket: httpx cannot complete a request to a host-less
#: ``scgi:///path`` URL (its cookie handling rejects it), and the socket is the transport's job.
_SOCKET_REQUEST_URL = "scgi://localhost/RPC2"
#: How many times add() looks for the new torrent. rTorrent answers ``load.*`` at once and
#: creates the download a main-loop tick later (observed: up to ~10 ms, 10 immediate checks,
#: on 0.9.8), or fetches a URL in the background; a torrent it drops never appears.
ADD_CHECKS = 300
_ADD_MARKER = "enunclic_add"
_CHECKING = (
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
                url = config.url
            elif parts.path:
                self._address = SCGIAddress(path=parts.path)
                url = _SOCKET_REQUEST_URL
            else:
                raise InvalidInputError("an SCGI URL needs host:port or a socket path", backend=self.name)
        elif parts.scheme in ("http", "https"):
            url = config.url
        else:
            raise InvalidInputError(f"rTorrent cannot be reached over {parts.scheme!r}", backend=self.name)
        self._endpoint = Endpoint(url, config.username, config.password)

    # -- transports and capabilities --------------------------------------------------------

    def transport(self) -> httpx.BaseTransport | None:
        return SCGITransport(self._address) if self._address else None

    def async_transport(self) -> httpx.AsyncBaseTransport | None:
        return AsyncSCGITransport(self._address) if self._address else None

    def available_capabilities(self) -> frozenset[Capability]:
        if self.options.delete_data:
            return self.capabilities
        return self.capabilities - {Capability.REMOVE_WITH_DATA}

    # -- plumbing ----------------------------------------------------------------------------

    def _call(self, method: str, *params: Any) -> Flow[Any]:
        response = yield build_request(self._endpoint, method, params)
        return parse_reply(response)

    def _multicall(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> Flow[list[Any]]:
        """Many calls in one request; each item is its value or a :class:`Fault`."""
        batch = [{"methodName": method, "params": list(params)} for method, params in calls]
        reply = yield from self._call("system.multicall", batch)
        return multicall_items(reply, len(calls))

    def _per_torrent(
        self, ids: Sequence[str], commands: Sequence[str], *args: Any, settle: bool = False
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
                failures[torrent_id] = fault_error(item.code, item.message)
        _raise_failures(failures, len(ids))
        return items

    def _unsettled(self, ids: Sequence[str]) -> Flow[list[str]]:
        """The ids still hash-checking after a bounded wait.

        rTorrent 0.9.8 deadlocks now and then (main thread stuck on a futex, SCGI dead for
        good) when ``d.stop``, ``d.erase`` or ``d.check_hash`` hits a torrent whose hash
        check is queued or running, e.g. right after ``load.*`` (observed within 40 rounds of
        add-then-erase; never once the check had ended). A check of a few MiB ends within
        milliseconds; a long one is reported instead of waited for.
        """
        pending = list(ids)
        for _ in range(ADD_CHECKS):
            calls = [(name, [_native(i)]) for i in pending for name in ("d.hashing", "d.is_hash_checking")]
            items = yield from self._multicall(calls)
            pending = [
                torrent_id
                for position, torrent_id in enumerate(pending)
                if any(_busy(item) for item in items[2 * position : 2 * position + 2])
            ]
            if not pending:
                break
        return pending

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
        response = yield build_request(self._endpoint, "d.multicall2", ("", "main", *TORRENT_FIELDS))
        rows: Any = None
        if response.status_code == 200 and "html" not in response.headers.get("content-type", "").lower():
            rows = decode_rows(response.content, len(TORRENT_FIELDS))  # the usual reply, in one pass
        if rows is None:
            rows = parse_reply(response)
        if not isinstance(rows, list):
            raise ProtocolError("d.multicall2 did not answer a list")
        return [to_torrent(row) for row in rows]

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        native = _native(torrent_id)
        items = yield from self._multicall([(field.rstrip("="), [native]) for field in TORRENT_FIELDS])
        for item in items:
            if isinstance(item, Fault):
                raise fault_error(item.code, item.message)
        return to_torrent(items)

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
        native = str(info_hash).upper()
        # One request: was it already there, then load it (rTorrent ignores a duplicate load).
        before, loaded = yield from self._multicall([("d.hash", [native]), (load[0], ["", load[1], *commands])])
        if isinstance(loaded, Fault):
            raise fault_error(loaded.code, loaded.message)
        if not isinstance(before, Fault):
            return AddedTorrent(id=info_hash, info_hash=info_hash, duplicate=True)
        # rTorrent answers 0 whatever happened: confirm the torrent appears.
        for _ in range(ADD_CHECKS):
            hashes = yield from self._call("download_list", "")
            if not isinstance(hashes, list):
                raise ProtocolError("download_list did not answer a list")
            if native in hashes:
                # Let a short initial hash check end, so that the next call may stop or erase it.
                yield from self._unsettled([str(info_hash)])
                return AddedTorrent(id=info_hash, info_hash=info_hash)
        raise ServerError(
            "rTorrent did not add the torrent (it silently drops torrents it cannot use, e.g. one "
            "without trackers while DHT is off; its log says why)"
        )

    def _add_url(self, url: str, start: bool, commands: list[str]) -> Flow[AddedTorrent]:
        """rTorrent fetches the URL in the background: tag the download, then look for the tag."""
        token = secrets.token_hex(8)
        marker = f"d.custom.set={_ADD_MARKER},{token}"
        yield from self._call("load.start" if start else "load.normal", "", url, *commands, marker)
        for _ in range(ADD_CHECKS):
            rows = yield from self._call("d.multicall2", "", "main", "d.hash=", f"d.custom={_ADD_MARKER}")
            for row in rows if isinstance(rows, list) else ():
                if isinstance(row, list) and len(row) == 2 and row[1] == token and isinstance(row[0], str):
                    yield from self._unsettled([row[0].lower()])
                    return AddedTorrent(id=row[0].lower(), info_hash=row[0].lower())
        raise ServerError(
            "rTorrent accepted the URL but no torrent from it appeared yet: the download of the "
            ".torrent failed or is still running (rTorrent's log says which)"
        )

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._per_torrent(ids, ("d.stop",), settle=True)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        # d.start alone leaves a d.pause'd torrent inactive; d.resume wakes it.
        yield from self._per_torrent(ids, ("d.start", "d.resume"), settle=True)

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        if not delete_data:
            yield from self._per_torrent(ids, ("d.erase",), settle=True)
            return
        if not self.options.delete_data:
            raise self._unsupported("remove with data (set the delete_data option to allow it)")
        # All or nothing: every id is settled and every path checked before anything is erased.
        unsettled = yield from self._unsettled(ids)
        if unsettled:
            raise ServerError(f"{_CHECKING} (nothing was removed)")
        fields = ("d.name", "d.directory", "d.base_path", "d.is_multi_file")
        items = yield from self._per_torrent(ids, fields)
        paths = {
            torrent_id: data_path(*items[position * len(fields) : (position + 1) * len(fields)])
            for position, torrent_id in enumerate(ids)
        }
        calls: list[tuple[str, Sequence[Any]]] = []
        for torrent_id, path in paths.items():
            calls.append(("d.erase", [_native(torrent_id)]))
            calls.append(("execute.throw", ["", "rm", "-rf", "--", path]))
        results = yield from self._multicall(calls)
        failures = {
            ids[position // 2]: fault_error(item.code, item.message)
            for position, item in enumerate(results)
            if isinstance(item, Fault)
        }
        _raise_failures(failures, len(ids))

    def recheck(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._per_torrent(ids, ("d.check_hash",), settle=True)

    def reannounce(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._per_torrent(ids, ("d.tracker_announce",))

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        yield from self._per_torrent(ids, ("d.custom1.set",), encode_label(label) if label else "")

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        native = _native(torrent_id)
        rows, chunk_size = yield from self._multicall(
            [("f.multicall", [native, "", *FILE_FIELDS]), ("d.chunk_size", [native])]
        )
        for item in (rows, chunk_size):
            if isinstance(item, Fault):
                raise fault_error(item.code, item.message)
        if not isinstance(rows, list) or not isinstance(chunk_size, int):
            raise ProtocolError("f.multicall or d.chunk_size answered the wrong shape")
        return [to_file(index, row, chunk_size) for index, row in enumerate(rows)]

    def set_file_priority(self, torrent_id: str, indexes: Sequence[int], priority: FilePriority) -> Flow[None]:
        native = _native(torrent_id)
        value = FILE_PRIORITY_TO_NATIVE[priority]
        calls: list[tuple[str, Sequence[Any]]] = [("f.priority.set", [f"{native}:f{i}", value]) for i in indexes]
        calls.append(("d.update_priorities", [native]))
        items = yield from self._multicall(calls)
        if isinstance(items[-1], Fault):
            raise fault_error(items[-1].code, items[-1].message)
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

    def set_limits(self, download: int | None, upload: int | None) -> Flow[None]:
        # Bytes per second; 0 means unlimited.
        items = yield from self._multicall(
            [
                ("throttle.global_down.max_rate.set", ["", download or 0]),
                ("throttle.global_up.max_rate.set", ["", upload or 0]),
            ]
        )
        for item in items:
            if isinstance(item, Fault):
                raise fault_error(item.code, item.message)

    def stats(self) -> Flow[SessionStats]:
        names = ("throttle.global_down.rate", "throttle.global_up.rate")
        limits = ("throttle.global_down.max_rate", "throttle.global_up.max_rate")
        items = yield from self._multicall([(name, []) for name in (*names, *limits)])
        values: list[int | None] = []
        for item in items:
            if isinstance(item, Fault):
                raise fault_error(item.code, item.message)
            if isinstance(item, bool) or not isinstance(item, int):
                raise ProtocolError("rTorrent answered a throttle value that is not a number")
            values.append(max(item, 0))
        down, up, down_limit, up_limit = values
        return SessionStats(
            download_speed=down,
            upload_speed=up,
            download_limit=down_limit or None,
            upload_limit=up_limit or None,
        )


def _native(torrent_id: str) -> str:
    """The contract's id (lower-case hex) as rTorrent spells it; anything else cannot exist."""
    if not _HEX40.fullmatch(torrent_id):
        raise TorrentNotFoundError(f"no torrent with id {torrent_id!r} (rTorrent ids are 40-digit info-hashes)")
    return str(torrent_id).upper()


def _busy(flag: Any) -> bool:
    """A ``d.hashing`` / ``d.is_hash_checking`` answer that says a check is queued or running."""
    return not isinstance(flag, Fault) and flag not in (0, False)


def _raise_failures(failures: dict[str, EnunclicError], total: int) -> None:
    if not failures:
        return
    if total == 1:
        raise next(iter(failures.values()))
    raise PartialFailureError(f"{len(failures)} of {total} torrents failed", failures)


def data_path(raw_name: Any, raw_directory: Any, raw_base_path: Any, multi_file: Any) -> str:
    """The path ``remove(delete_data=True)`` may delete: the torrent's own file or folder, checked.

    A single-file torrent's data is ``<directory>/<name>``; a multi-file torrent's
    ``d.directory`` already is its own folder, named after the torrent. Anything else
    (a name with a slash or ``..``, a relative or unnormalized directory, a base path
    that disagrees) is refused before anything is erased.
    """
    for value in (raw_name, raw_directory, raw_base_path):
        if isinstance(value, Fault):
            raise fault_error(value.code, value.message)
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
