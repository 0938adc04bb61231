"""``Client`` and ``AsyncClient``: thin facades over one backend and one driver.

All checking happens in :class:`_Operations`, shared by both and driven by the
operation table (:data:`enunclic.operations.OPERATIONS`): ids normalized, empty bulk
operations answered without a request, the backend's discovery run once before the
first operation, capabilities checked before any request of the operation. Each
public method only hands the resulting flow to its driver, with its deadline.
"""

from __future__ import annotations

import logging
import os
import ssl
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import httpx

from .backend import AddOptions, Backend, BackendConfig
from .capabilities import Capability
from .delta import DeltaTracker
from .drivers import DEFAULT_MAX_REPLY_BYTES, DEFAULT_RETRIES, DEFAULT_TIMEOUT, AsyncDriver, SyncDriver
from .exceptions import ClientClosedError, EnunclicError, InvalidInputError, NotSupportedError
from .flows import Call, Flow, Serialized, done
from .limits import KEEP, Limit
from .models import AddedTorrent, Delta, Peer, ServerInfo, SessionStats, Torrent, TorrentFile, Tracker
from .mutations import MutationSignal
from .operations import OPERATIONS
from .plugins import collect_backends
from .registry import lookup
from .sources import MagnetLink, TorrentFileData, TorrentSource, TorrentURL, parse_source
from .states import FilePriority, QueueMove
from .tls import build_verify
from .urls import split_credentials

if TYPE_CHECKING:  # enunclic.watch (and asyncio) load with the first watch(), not with every client
    from .watch import Backoff, WatchEvent

__all__ = ["AsyncClient", "Client", "Ids"]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")
_Ops = TypeVar("_Ops", bound="_Operations")
log = logging.getLogger("enunclic")

#: One id or many.
Ids = str | Iterable[str]

#: What ``add()`` takes: a magnet link or URL (str), .torrent bytes, a .torrent path, or a parsed source.
Source = str | bytes | os.PathLike[str] | MagnetLink | TorrentURL | TorrentFileData

_SOURCE_CAPABILITY = {MagnetLink: Capability.ADD_MAGNET, TorrentURL: Capability.ADD_URL}


def _normalize_ids(ids: Ids) -> tuple[str, ...]:
    """One id or an iterable of ids -> a de-duplicated tuple, order kept."""
    items = (ids,) if isinstance(ids, str) else tuple(ids)
    for item in items:
        if not isinstance(item, str) or not item:
            raise InvalidInputError(f"a torrent id must be a non-empty string, not {item!r}")
    return tuple(dict.fromkeys(items))


def _normalize_id(torrent_id: str) -> str:
    return _normalize_ids((torrent_id,))[0]


def _limits(backend: Backend, download: Limit, upload: Limit) -> tuple[Limit, Limit]:
    """Check a limit change before any request: bytes/s, None (no limit) or KEEP, at least one not KEEP.

    0 B/s is refused where the server reads 0 as "no limit" (see ``Backend.zero_limit``).
    """
    for name, value in (("download", download), ("upload", upload)):
        if value is None or value is KEEP:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInputError(
                f"the {name} limit must be bytes per second (an int >= 0), None for no limit, "
                f"or left out to keep it; not {value!r}",
                backend=backend.name,
            )
        if value == 0 and not backend.zero_limit:
            raise InvalidInputError(
                f"{backend.display_name or backend.name} cannot hold a 0 B/s {name} limit (it reads 0 as "
                "no limit): give None to remove the limit, or pause the torrents to stop them",
                backend=backend.name,
            )
    if download is KEEP and upload is KEEP:
        raise InvalidInputError("give a download or an upload limit (or both)", backend=backend.name)
    return download, upload


def _seconds(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        raise InvalidInputError(f"{name} must be a positive number of seconds")
    return float(value)


def _sendable(value: object, name: str, backend: str) -> None:
    """A URL or credential that can go on the wire: text UTF-8 can carry, with no line breaks."""
    if value is None:
        return
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a string", backend=backend)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(
            f"the {name} holds characters that cannot be sent (not valid Unicode)", backend=backend
        ) from None
    if any(c in value for c in "\r\n\0"):
        raise InvalidInputError(f"the {name} may not hold line breaks or NUL characters", backend=backend)


def _parsed(source: Source) -> TorrentSource:
    if isinstance(source, (MagnetLink, TorrentURL, TorrentFileData)):
        return source
    return parse_source(source)


def _switch(enabled: object) -> bool:
    if not isinstance(enabled, bool):
        raise InvalidInputError(f"enabled must be True or False, not {enabled!r}")
    return enabled


def _add_limit(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInputError(f"{name} must be bytes per second (an int > 0), or None for no limit")
    return value


@dataclass(frozen=True)
class _AddExtras:
    """The add options beyond destination, paused and label: each needs its own capability."""

    skip_check: bool
    rename: str | None
    wanted_files: Iterable[int] | None
    download_limit: int | None
    upload_limit: int | None

    def needs(self) -> list[Capability]:
        wanted = (
            (self.skip_check, Capability.ADD_SKIP_CHECK),
            (self.rename is not None, Capability.ADD_RENAME),
            (self.wanted_files is not None, Capability.ADD_FILE_SELECTION),
            (self.download_limit is not None or self.upload_limit is not None, Capability.ADD_LIMITS),
        )
        return [capability for given, capability in wanted if given]

    def checked_rename(self) -> str | None:
        if self.rename is None:
            return None
        if not isinstance(self.rename, str) or not self.rename.strip() or "/" in self.rename or "\\" in self.rename:
            raise InvalidInputError("rename must be a non-empty name without path separators")
        return self.rename

    def checked_files(self, source: TorrentSource) -> tuple[int, ...] | None:
        if self.wanted_files is None:
            return None
        if not isinstance(source, TorrentFileData):
            raise InvalidInputError(
                "choosing files when adding needs the .torrent content (a magnet or URL has no file list yet)"
            )
        indexes = list(self.wanted_files)
        count = source.file_count
        if not indexes or any(isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < count for i in indexes):
            raise InvalidInputError(
                f"wanted_files must name at least one file by its index, from 0 to {source.file_count - 1}"
            )
        return tuple(sorted(set(indexes)))


def _builder(build: Callable[Concatenate[_Ops, P], R]) -> Callable[Concatenate[_Ops, P], R]:
    """A builder of the operation of its name: an error it raises (bad input, a missing capability) names
    the backend and that operation, as every error raised later does."""
    operation = build.__name__.lstrip("_")

    def checked(self: _Ops, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return build(self, *args, **kwargs)
        except EnunclicError as exc:
            exc.backend = exc.backend or self.backend.name
            exc.operation = exc.operation or operation
            raise

    return checked


class _Operations:
    """Builds checked flows for every public operation; shared by both clients."""

    def __init__(
        self,
        backend: str,
        *,
        url: str,
        username: str | None = None,
        password: str | None = None,
        verify: bool | str = True,
        timeout: float = DEFAULT_TIMEOUT,
        tls_fingerprint: str | None = None,
        **backend_options: Any,
    ) -> None:
        cls = lookup(collect_backends(), backend)
        plain_url, url_user, url_password = split_credentials(url)
        for name, value in (("url", url), ("username", username), ("password", password)):
            _sendable(value, name, backend)
        try:
            seconds = _seconds(timeout, "timeout")
        except InvalidInputError as exc:
            exc.backend = backend
            raise
        config = BackendConfig(
            url=plain_url,
            username=username if username is not None else url_user,
            password=password if password is not None else url_password,
            verify=verify,
            timeout=seconds,
            options=backend_options,
            tls_fingerprint=tls_fingerprint,
        )
        self.backend: Backend = cls(config)
        self._tracker = DeltaTracker()
        self._discovered = False
        #: Bumped after each successful change to torrents, so that a watcher refreshes at once.
        self.mutations = MutationSignal()

    @property
    def backend_name(self) -> str:
        """The registered name of this client's backend."""
        return self.backend.name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.backend.name} {self.backend.config.url}>"

    def capabilities(self) -> frozenset[Capability]:
        """What this server can do as far as known now: all the backend can, narrowed once it has been asked."""
        return self.backend.available_capabilities()

    def _require(self, operation: str, needed: Iterable[Capability]) -> None:
        available = self.backend.available_capabilities()
        for capability in needed:
            if capability not in available:
                raise NotSupportedError(
                    f"the {self.backend.name} backend cannot {operation.replace('_', ' ')} "
                    f"(missing capability {capability.value!r})",
                    backend=self.backend.name,
                    operation=operation,
                )

    def _discover(self) -> Flow[None]:
        """The backend's discovery, once per client, under the client's lock."""
        if not self._discovered:
            yield from self.backend.discover()
            self._discovered = True

    def _call(self, operation: str, make: Callable[[], Flow[T]], *needs: Capability) -> Call[T]:
        """Check the operation's capabilities (again after the first discovery), then run its flow.

        Reads get a way to start again, so that a transport failure is retried; writes do not.
        """
        spec = OPERATIONS[operation]
        needed = tuple(c for c in (spec.capability, *needs) if c is not None)
        self._require(operation, needed)

        def flow() -> Flow[T]:
            if not self._discovered:
                yield Serialized(self._discover)
                self._require(operation, needed)
            return (yield from make())

        return Call(operation, flow(), flow if spec.read else None)

    def _bulk(self, operation: str, ids: Ids, make: Callable[[tuple[str, ...]], Flow[None]]) -> Call[None]:
        normalized = _normalize_ids(ids)
        if not normalized:
            self._require(operation, [c for c in (OPERATIONS[operation].capability,) if c is not None])
            return Call(operation, done(None))
        return self._call(operation, lambda: make(normalized))

    # -- one builder per operation ----------------------------------------------------

    @_builder
    def _info(self) -> Call[ServerInfo]:
        return self._call("info", self.backend.info)

    @_builder
    def _torrents(self) -> Call[list[Torrent]]:
        return self._call("torrents", self.backend.torrents)

    @_builder
    def _torrent(self, torrent_id: str) -> Call[Torrent]:
        torrent_id = _normalize_id(torrent_id)
        return self._call("torrent", lambda: self.backend.torrent(torrent_id))

    @_builder
    def _files(self, torrent_id: str) -> Call[list[TorrentFile]]:
        torrent_id = _normalize_id(torrent_id)
        return self._call("files", lambda: self.backend.files(torrent_id))

    @_builder
    def _trackers(self, torrent_id: str) -> Call[list[Tracker]]:
        torrent_id = _normalize_id(torrent_id)
        return self._call("trackers", lambda: self.backend.trackers(torrent_id))

    @_builder
    def _peers(self, torrent_id: str) -> Call[list[Peer]]:
        torrent_id = _normalize_id(torrent_id)
        return self._call("peers", lambda: self.backend.peers(torrent_id))

    @_builder
    def _add(
        self, source: Source, destination: str | None, paused: bool, label: str | None, extras: _AddExtras
    ) -> Call[AddedTorrent]:
        parsed = _parsed(source)
        needs = [_SOURCE_CAPABILITY.get(type(parsed), Capability.ADD_FILE)]
        if label is not None:
            needs.append(Capability.LABELS)
        if destination is not None and (not isinstance(destination, str) or not destination.strip()):
            raise InvalidInputError("destination must be a non-empty path or None for the server's default")
        if label is not None and not isinstance(label, str):
            raise InvalidInputError("label must be a string or None")
        needs += extras.needs()
        options = AddOptions(
            destination=destination,
            paused=bool(paused),
            label=label or None,
            skip_check=bool(extras.skip_check),
            rename=extras.checked_rename(),
            wanted_files=extras.checked_files(parsed),
            download_limit=_add_limit(extras.download_limit, "download_limit"),
            upload_limit=_add_limit(extras.upload_limit, "upload_limit"),
        )
        return self._call("add", lambda: self.backend.add(parsed, options), *needs)

    @_builder
    def _labels(self) -> Call[list[str]]:
        return self._call("labels", self.backend.labels)

    @_builder
    def _pause_all(self) -> Call[None]:
        return self._call("pause_all", self.backend.pause_all)

    @_builder
    def _resume_all(self) -> Call[None]:
        return self._call("resume_all", self.backend.resume_all)

    @_builder
    def _force_start(self, ids: Ids) -> Call[None]:
        return self._bulk("force_start", ids, self.backend.force_start)

    @_builder
    def _set_sequential(self, ids: Ids, enabled: bool) -> Call[None]:
        on = _switch(enabled)
        return self._bulk("set_sequential", ids, lambda normalized: self.backend.set_sequential(normalized, on))

    @_builder
    def _set_first_last_piece(self, ids: Ids, enabled: bool) -> Call[None]:
        on = _switch(enabled)
        return self._bulk(
            "set_first_last_piece", ids, lambda normalized: self.backend.set_first_last_piece(normalized, on)
        )

    @_builder
    def _set_ratio_limit(self, ids: Ids, ratio: float | None) -> Call[None]:
        if ratio is not None and (
            isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0 <= ratio < 1e6
        ):
            raise InvalidInputError("a ratio limit is a number >= 0 (0: stop seeding at once), or None for none")
        value = None if ratio is None else float(ratio)
        return self._bulk("set_ratio_limit", ids, lambda normalized: self.backend.set_ratio_limit(normalized, value))

    @_builder
    def _set_alt_speed(self, enabled: bool) -> Call[None]:
        on = _switch(enabled)
        return self._call("set_alt_speed", lambda: self.backend.set_alt_speed(on))

    @_builder
    def _pause(self, ids: Ids) -> Call[None]:
        return self._bulk("pause", ids, self.backend.pause)

    @_builder
    def _resume(self, ids: Ids) -> Call[None]:
        return self._bulk("resume", ids, self.backend.resume)

    @_builder
    def _remove(self, ids: Ids, delete_data: bool) -> Call[None]:
        delete = bool(delete_data)
        if delete:
            self._require("remove", [Capability.REMOVE_WITH_DATA])
        return self._bulk("remove", ids, lambda normalized: self.backend.remove(normalized, delete))

    @_builder
    def _recheck(self, ids: Ids) -> Call[None]:
        return self._bulk("recheck", ids, self.backend.recheck)

    @_builder
    def _reannounce(self, ids: Ids) -> Call[None]:
        return self._bulk("reannounce", ids, self.backend.reannounce)

    @_builder
    def _set_label(self, ids: Ids, label: str | None) -> Call[None]:
        if label is not None and not isinstance(label, str):
            raise InvalidInputError("label must be a string, or None to clear it")
        return self._bulk("set_label", ids, lambda normalized: self.backend.set_label(normalized, label or None))

    @_builder
    def _move(self, ids: Ids, destination: str) -> Call[None]:
        if not isinstance(destination, str) or not destination.strip():
            raise InvalidInputError("destination must be a non-empty path")
        return self._bulk("move", ids, lambda normalized: self.backend.move(normalized, destination))

    @_builder
    def _set_file_priority(self, torrent_id: str, indexes: Iterable[int], priority: FilePriority | str) -> Call[None]:
        torrent_id = _normalize_id(torrent_id)
        index_list = list(dict.fromkeys(indexes))
        if any(isinstance(i, bool) or not isinstance(i, int) or i < 0 for i in index_list):
            raise InvalidInputError("file indexes must be ints >= 0")
        try:
            level = FilePriority(priority)
        except ValueError:
            raise InvalidInputError(f"unknown file priority {priority!r}; use skip, low, normal or high") from None
        if not index_list:
            self._require("set_file_priority", [Capability.FILE_PRIORITY])
            return Call("set_file_priority", done(None))
        return self._call("set_file_priority", lambda: self.backend.set_file_priority(torrent_id, index_list, level))

    @_builder
    def _set_torrent_limits(self, ids: Ids, download: Limit, upload: Limit) -> Call[None]:
        down, up = _limits(self.backend, download, upload)
        return self._bulk(
            "set_torrent_limits", ids, lambda normalized: self.backend.set_torrent_limits(normalized, down, up)
        )

    @_builder
    def _set_limits(self, download: Limit, upload: Limit) -> Call[None]:
        down, up = _limits(self.backend, download, upload)
        return self._call("set_limits", lambda: self.backend.set_limits(down, up))

    @_builder
    def _queue_move(self, ids: Ids, direction: QueueMove | str) -> Call[None]:
        try:
            where = QueueMove(direction)
        except ValueError:
            raise InvalidInputError(f"unknown queue move {direction!r}; use top, up, down or bottom") from None
        return self._bulk("queue_move", ids, lambda normalized: self.backend.queue_move(normalized, where))

    @_builder
    def _stats(self) -> Call[SessionStats]:
        return self._call("stats", self.backend.stats)

    @_builder
    def _poll(self, retry: bool) -> Call[Delta]:
        def flow() -> Flow[Delta]:
            changes = yield from self.backend.changes()
            return self._tracker.apply(changes)

        call = self._call("poll", flow)
        return call if retry else Call(call.operation, call.flow)

    def _changed(self, call: Call[Any]) -> None:
        operation = OPERATIONS.get(call.operation)
        if operation is not None and operation.refresh:
            self.mutations.bump()

    def _deadline(self, timeout: float | None) -> float | None:
        return None if timeout is None else _seconds(timeout, "timeout")

    def _closed_error(self, operation: str) -> ClientClosedError:
        return ClientClosedError("this client is closed", backend=self.backend_name, operation=operation)


def _http_options(ops: _Operations, max_reply_bytes: int) -> dict[str, Any]:
    config = ops.backend.config
    if not isinstance(max_reply_bytes, int) or max_reply_bytes <= 0:
        raise InvalidInputError("max_reply_bytes must be a positive int", backend=ops.backend_name)
    verify: ssl.SSLContext | bool = build_verify(
        config.verify, backend=ops.backend_name, fingerprint=config.tls_fingerprint
    )
    return {"verify": verify, "timeout": httpx.Timeout(config.timeout), "follow_redirects": False}


def _driver_options(ops: _Operations, max_reply_bytes: int, retries: int, name: str | None) -> dict[str, Any]:
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise InvalidInputError("retries must be an int >= 0")
    if name is not None and not isinstance(name, str):
        raise InvalidInputError("name must be a string", backend=ops.backend_name)
    backend = ops.backend
    return {
        "label": name,
        "max_reply_bytes": max_reply_bytes,
        "retries": retries,
        "auth": backend.auth,
        "protocol_statuses": backend.protocol_statuses,
        "timeout": backend.config.timeout,
        "origin": backend.config.url,
    }


class Client(_Operations):
    """A synchronous connection to one torrent server.

    Args:
        backend: a registered backend name (see ``enunclic.get_backends()``).
        url: the server's base URL, e.g. ``https://nas.local:5001``.
        username, password: credentials (a password in ``url`` works too).
        verify: TLS verification: True, False, or the path of a CA bundle.
        tls_fingerprint: accept exactly the server certificate with this SHA-256 fingerprint.
        timeout: seconds one call may take, all its requests, retries and waits included
            (``RequestTimeout`` after that); each verb's ``timeout=`` overrides it for one call.
        transport: an httpx transport to use instead of the network (tests, simulators).
        max_reply_bytes: larger replies are refused with ProtocolError.
        retries: how often an idempotent read is retried after a connection failure or timeout
            (with jittered exponential backoff); writes are never retried.
        name: how log lines call this server (a profile or pool name), next to the backend's name.
        **backend_options: options of the backend (unknown ones are refused).
    """

    def __init__(
        self,
        backend: str,
        *,
        url: str,
        username: str | None = None,
        password: str | None = None,
        verify: bool | str = True,
        timeout: float = DEFAULT_TIMEOUT,
        tls_fingerprint: str | None = None,
        transport: httpx.BaseTransport | None = None,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
        retries: int = DEFAULT_RETRIES,
        name: str | None = None,
        **backend_options: Any,
    ) -> None:
        super().__init__(
            backend,
            url=url,
            username=username,
            password=password,
            verify=verify,
            timeout=timeout,
            tls_fingerprint=tls_fingerprint,
            **backend_options,
        )
        http = httpx.Client(transport=transport or self.backend.transport(), **_http_options(self, max_reply_bytes))
        self._driver = SyncDriver(http, self.backend.name, **_driver_options(self, max_reply_bytes, retries, name))
        self._closed = False

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this client has sent so far."""
        return self._driver.requests_sent

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran: every call then raises."""
        return self._closed

    def _run(self, call: Call[T], timeout: float | None) -> T:
        if self._closed:
            raise self._closed_error(call.operation)
        result = self._driver.run(call, self._deadline(timeout))
        self._changed(call)
        return result

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Log out (best effort) and release connections. Safe to call twice."""
        if self._closed:
            return
        try:
            self._driver.run(Call("close", self.backend.close()))
        except EnunclicError as exc:
            log.debug("%s: logout failed: %s", self.backend_name, exc)
        finally:
            self._closed = True
            self._driver.http.close()

    def info(self, *, timeout: float | None = None) -> ServerInfo:
        """Server version, API version and what it can do."""
        return self._run(self._info(), timeout)

    def torrents(self, *, timeout: float | None = None) -> list[Torrent]:
        """Every torrent (or task) on the server."""
        return self._run(self._torrents(), timeout)

    def torrent(self, torrent_id: str, *, timeout: float | None = None) -> Torrent:
        """One torrent; :class:`~enunclic.TorrentNotFoundError` when absent."""
        return self._run(self._torrent(torrent_id), timeout)

    def files(self, torrent_id: str, *, timeout: float | None = None) -> list[TorrentFile]:
        """The files of a torrent."""
        return self._run(self._files(torrent_id), timeout)

    def trackers(self, torrent_id: str, *, timeout: float | None = None) -> list[Tracker]:
        """The trackers of a torrent."""
        return self._run(self._trackers(torrent_id), timeout)

    def peers(self, torrent_id: str, *, timeout: float | None = None) -> list[Peer]:
        """The connected peers of a torrent."""
        return self._run(self._peers(torrent_id), timeout)

    def add(
        self,
        source: Source,
        *,
        destination: str | None = None,
        paused: bool = False,
        label: str | None = None,
        skip_check: bool = False,
        rename: str | None = None,
        wanted_files: Iterable[int] | None = None,
        download_limit: int | None = None,
        upload_limit: int | None = None,
        timeout: float | None = None,
    ) -> AddedTorrent:
        """Add a magnet link or URL (str), .torrent content (bytes) or a .torrent path.

        ``skip_check`` trusts data already on disk, ``rename`` names the torrent, ``wanted_files`` (indexes in
        the .torrent) downloads only those files, ``download_limit``/``upload_limit`` (bytes/s) limit it from
        the start: each where the server has the capability (``add_skip_check``, ``add_rename``,
        ``add_file_selection``, ``add_limits``), else NotSupportedError before any request.
        """
        extras = _AddExtras(skip_check, rename, wanted_files, download_limit, upload_limit)
        return self._run(self._add(source, destination, paused, label, extras), timeout)

    def pause(self, ids: Ids, *, timeout: float | None = None) -> None:
        """Pause torrents, in one request where the server allows."""
        self._run(self._pause(ids), timeout)

    def resume(self, ids: Ids, *, timeout: float | None = None) -> None:
        """Resume torrents."""
        self._run(self._resume(ids), timeout)

    def remove(self, ids: Ids, *, delete_data: bool = False, timeout: float | None = None) -> None:
        """Remove torrents; with ``delete_data`` their downloaded files too."""
        self._run(self._remove(ids, delete_data), timeout)

    def recheck(self, ids: Ids, *, timeout: float | None = None) -> None:
        """Verify the downloaded data against the piece hashes."""
        self._run(self._recheck(ids), timeout)

    def reannounce(self, ids: Ids, *, timeout: float | None = None) -> None:
        """Contact the trackers now."""
        self._run(self._reannounce(ids), timeout)

    def set_label(self, ids: Ids, label: str | None, *, timeout: float | None = None) -> None:
        """Set (or with None clear) the label of torrents."""
        self._run(self._set_label(ids, label), timeout)

    def move(self, ids: Ids, destination: str, *, timeout: float | None = None) -> None:
        """Move the data of torrents to another folder."""
        self._run(self._move(ids, destination), timeout)

    def set_file_priority(
        self, torrent_id: str, indexes: Iterable[int], priority: FilePriority | str, *, timeout: float | None = None
    ) -> None:
        """Set the priority of files (``skip`` to not download them)."""
        self._run(self._set_file_priority(torrent_id, indexes, priority), timeout)

    def set_torrent_limits(
        self, ids: Ids, *, download: Limit = KEEP, upload: Limit = KEEP, timeout: float | None = None
    ) -> None:
        """Per-torrent speed limits in bytes/s; None removes a limit, one left out is kept."""
        self._run(self._set_torrent_limits(ids, download, upload), timeout)

    def set_limits(self, *, download: Limit = KEEP, upload: Limit = KEEP, timeout: float | None = None) -> None:
        """Global speed limits in bytes/s; None removes a limit, one left out is kept."""
        self._run(self._set_limits(download, upload), timeout)

    def queue_move(self, ids: Ids, direction: QueueMove | str, *, timeout: float | None = None) -> None:
        """Move torrents to the top, up, down or to the bottom of the queue."""
        self._run(self._queue_move(ids, direction), timeout)

    def labels(self, *, timeout: float | None = None) -> list[str]:
        """Every label the server knows (also those no torrent carries, where the server keeps them)."""
        return self._run(self._labels(), timeout)

    def pause_all(self, *, timeout: float | None = None) -> None:
        """Pause every torrent, in one request where the server has one."""
        self._run(self._pause_all(), timeout)

    def resume_all(self, *, timeout: float | None = None) -> None:
        """Resume every torrent, in one request where the server has one."""
        self._run(self._resume_all(), timeout)

    def force_start(self, ids: Ids, *, timeout: float | None = None) -> None:
        """Start torrents now, past the queue."""
        self._run(self._force_start(ids), timeout)

    def set_sequential(self, ids: Ids, enabled: bool, *, timeout: float | None = None) -> None:
        """Download pieces in order, or not."""
        self._run(self._set_sequential(ids, enabled), timeout)

    def set_first_last_piece(self, ids: Ids, enabled: bool, *, timeout: float | None = None) -> None:
        """Get the first and last pieces of each file first, or not."""
        self._run(self._set_first_last_piece(ids, enabled), timeout)

    def set_ratio_limit(self, ids: Ids, ratio: float | None, *, timeout: float | None = None) -> None:
        """Stop seeding torrents at this ratio; None: no limit of their own."""
        self._run(self._set_ratio_limit(ids, ratio), timeout)

    def set_alt_speed(self, enabled: bool, *, timeout: float | None = None) -> None:
        """Switch the alternative speed limits on or off."""
        self._run(self._set_alt_speed(enabled), timeout)

    def stats(self, *, timeout: float | None = None) -> SessionStats:
        """Whole-server speeds, limits and free space."""
        return self._run(self._stats(), timeout)

    def poll(self, *, timeout: float | None = None, retry: bool = True) -> Delta:
        """What changed since the last poll; the first poll reports every torrent as added.

        ``retry=False`` skips the client's own retries: a watcher that retries failed polls on
        its own schedule (``watch()``, a pool) passes it, so that only one retry policy applies.
        """
        return self._run(self._poll(retry), timeout)

    def watch(
        self, interval: float = 2.0, *, backoff: Backoff | None = None, skip_empty: bool = False
    ) -> Iterator[WatchEvent]:
        """Poll every ``interval`` seconds until closed; a failed poll is an event, retried with backoff."""
        from .watch import watch  # noqa: PLC0415 - lazy, see the imports

        return watch(self, interval, backoff=backoff, skip_empty=skip_empty)


class AsyncClient(_Operations):
    """The asyncio twin of :class:`Client`: same arguments, same methods, awaitable."""

    def __init__(
        self,
        backend: str,
        *,
        url: str,
        username: str | None = None,
        password: str | None = None,
        verify: bool | str = True,
        timeout: float = DEFAULT_TIMEOUT,
        tls_fingerprint: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
        retries: int = DEFAULT_RETRIES,
        name: str | None = None,
        **backend_options: Any,
    ) -> None:
        super().__init__(
            backend,
            url=url,
            username=username,
            password=password,
            verify=verify,
            timeout=timeout,
            tls_fingerprint=tls_fingerprint,
            **backend_options,
        )
        http = httpx.AsyncClient(
            transport=transport or self.backend.async_transport(), **_http_options(self, max_reply_bytes)
        )
        self._driver = AsyncDriver(http, self.backend.name, **_driver_options(self, max_reply_bytes, retries, name))
        self._closed = False

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this client has sent so far."""
        return self._driver.requests_sent

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran: every call then raises."""
        return self._closed

    async def _run(self, call: Call[T], timeout: float | None) -> T:
        if self._closed:
            raise self._closed_error(call.operation)
        result = await self._driver.run(call, self._deadline(timeout))
        self._changed(call)
        return result

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Log out (best effort) and release connections. Safe to call twice."""
        if self._closed:
            return
        try:
            await self._driver.run(Call("close", self.backend.close()))
        except EnunclicError as exc:
            log.debug("%s: logout failed: %s", self.backend_name, exc)
        finally:
            self._closed = True
            await self._driver.http.aclose()

    async def info(self, *, timeout: float | None = None) -> ServerInfo:
        """Server version, API version and what it can do."""
        return await self._run(self._info(), timeout)

    async def torrents(self, *, timeout: float | None = None) -> list[Torrent]:
        """Every torrent (or task) on the server."""
        return await self._run(self._torrents(), timeout)

    async def torrent(self, torrent_id: str, *, timeout: float | None = None) -> Torrent:
        """One torrent; :class:`~enunclic.TorrentNotFoundError` when absent."""
        return await self._run(self._torrent(torrent_id), timeout)

    async def files(self, torrent_id: str, *, timeout: float | None = None) -> list[TorrentFile]:
        """The files of a torrent."""
        return await self._run(self._files(torrent_id), timeout)

    async def trackers(self, torrent_id: str, *, timeout: float | None = None) -> list[Tracker]:
        """The trackers of a torrent."""
        return await self._run(self._trackers(torrent_id), timeout)

    async def peers(self, torrent_id: str, *, timeout: float | None = None) -> list[Peer]:
        """The connected peers of a torrent."""
        return await self._run(self._peers(torrent_id), timeout)

    async def add(
        self,
        source: Source,
        *,
        destination: str | None = None,
        paused: bool = False,
        label: str | None = None,
        skip_check: bool = False,
        rename: str | None = None,
        wanted_files: Iterable[int] | None = None,
        download_limit: int | None = None,
        upload_limit: int | None = None,
        timeout: float | None = None,
    ) -> AddedTorrent:
        """Add a magnet link or URL (str), .torrent content (bytes) or a .torrent path (read off the event loop)."""
        if isinstance(source, os.PathLike):
            import asyncio  # noqa: PLC0415 - an async caller has it loaded already

            source = await asyncio.to_thread(parse_source, source)
        extras = _AddExtras(skip_check, rename, wanted_files, download_limit, upload_limit)
        return await self._run(self._add(source, destination, paused, label, extras), timeout)

    async def pause(self, ids: Ids, *, timeout: float | None = None) -> None:
        """Pause torrents, in one request where the server allows."""
        await self._run(self._pause(ids), timeout)

    async def resume(self, ids: Ids, *, timeout: float | None = None) -> None:
        """Resume torrents."""
        await self._run(self._resume(ids), timeout)

    async def remove(self, ids: Ids, *, delete_data: bool = False, timeout: float | None = None) -> None:
        """Remove torrents; with ``delete_data`` their downloaded files too."""
        await self._run(self._remove(ids, delete_data), timeout)

    async def recheck(self, ids: Ids, *, timeout: float | None = None) -> None:
        """Verify the downloaded data against the piece hashes."""
        await self._run(self._recheck(ids), timeout)

    async def reannounce(self, ids: Ids, *, timeout: float | None = None) -> None:
        """Contact the trackers now."""
        await self._run(self._reannounce(ids), timeout)

    async def set_label(self, ids: Ids, label: str | None, *, timeout: float | None = None) -> None:
        """Set (or with None clear) the label of torrents."""
        await self._run(self._set_label(ids, label), timeout)

    async def move(self, ids: Ids, destination: str, *, timeout: float | None = None) -> None:
        """Move the data of torrents to another folder."""
        await self._run(self._move(ids, destination), timeout)

    async def set_file_priority(
        self, torrent_id: str, indexes: Iterable[int], priority: FilePriority | str, *, timeout: float | None = None
    ) -> None:
        """Set the priority of files (``skip`` to not download them)."""
        await self._run(self._set_file_priority(torrent_id, indexes, priority), timeout)

    async def set_torrent_limits(
        self, ids: Ids, *, download: Limit = KEEP, upload: Limit = KEEP, timeout: float | None = None
    ) -> None:
        """Per-torrent speed limits in bytes/s; None removes a limit, one left out is kept."""
        await self._run(self._set_torrent_limits(ids, download, upload), timeout)

    async def set_limits(self, *, download: Limit = KEEP, upload: Limit = KEEP, timeout: float | None = None) -> None:
        """Global speed limits in bytes/s; None removes a limit, one left out is kept."""
        await self._run(self._set_limits(download, upload), timeout)

    async def queue_move(self, ids: Ids, direction: QueueMove | str, *, timeout: float | None = None) -> None:
        """Move torrents to the top, up, down or to the bottom of the queue."""
        await self._run(self._queue_move(ids, direction), timeout)

    async def labels(self, *, timeout: float | None = None) -> list[str]:
        """Every label the server knows (also those no torrent carries, where the server keeps them)."""
        return await self._run(self._labels(), timeout)

    async def pause_all(self, *, timeout: float | None = None) -> None:
        """Pause every torrent, in one request where the server has one."""
        await self._run(self._pause_all(), timeout)

    async def resume_all(self, *, timeout: float | None = None) -> None:
        """Resume every torrent, in one request where the server has one."""
        await self._run(self._resume_all(), timeout)

    async def force_start(self, ids: Ids, *, timeout: float | None = None) -> None:
        """Start torrents now, past the queue."""
        await self._run(self._force_start(ids), timeout)

    async def set_sequential(self, ids: Ids, enabled: bool, *, timeout: float | None = None) -> None:
        """Download pieces in order, or not."""
        await self._run(self._set_sequential(ids, enabled), timeout)

    async def set_first_last_piece(self, ids: Ids, enabled: bool, *, timeout: float | None = None) -> None:
        """Get the first and last pieces of each file first, or not."""
        await self._run(self._set_first_last_piece(ids, enabled), timeout)

    async def set_ratio_limit(self, ids: Ids, ratio: float | None, *, timeout: float | None = None) -> None:
        """Stop seeding torrents at this ratio; None: no limit of their own."""
        await self._run(self._set_ratio_limit(ids, ratio), timeout)

    async def set_alt_speed(self, enabled: bool, *, timeout: float | None = None) -> None:
        """Switch the alternative speed limits on or off."""
        await self._run(self._set_alt_speed(enabled), timeout)

    async def stats(self, *, timeout: float | None = None) -> SessionStats:
        """Whole-server speeds, limits and free space."""
        return await self._run(self._stats(), timeout)

    async def poll(self, *, timeout: float | None = None, retry: bool = True) -> Delta:
        """What changed since the last poll; the first poll reports every torrent as added.

        ``retry=False`` skips the client's own retries, as in :meth:`Client.poll`.
        """
        return await self._run(self._poll(retry), timeout)

    def watch(
        self, interval: float = 2.0, *, backoff: Backoff | None = None, skip_empty: bool = False
    ) -> AsyncIterator[WatchEvent]:
        """Poll every ``interval`` seconds until closed; a failed poll is an event, retried with backoff."""
        from .watch import awatch  # noqa: PLC0415 - lazy, see the imports

        return awatch(self, interval, backoff=backoff, skip_empty=skip_empty)
