"""``Client`` and ``AsyncClient``: thin facades over one backend and one driver.

All checking happens in :class:`_Operations`, shared by both: ids normalized,
empty bulk operations answered without a request, capabilities checked before
any I/O. Each public method only hands the resulting flow to its driver.
"""

from __future__ import annotations

import logging
import os
import ssl
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from .backend import AddOptions, Backend, BackendConfig
from .capabilities import OPERATION_CAPABILITIES, Capability
from .delta import DeltaTracker
from .drivers import DEFAULT_MAX_REPLY_BYTES, DEFAULT_RETRIES, AsyncDriver, SyncDriver
from .exceptions import EnunclicError, InvalidInputError, NotSupportedError
from .flows import Call, Flow, done
from .models import AddedTorrent, Delta, Peer, ServerInfo, SessionStats, Torrent, TorrentFile, Tracker
from .plugins import collect_backends
from .registry import lookup
from .sources import MagnetLink, TorrentSource, TorrentURL, parse_source
from .states import FilePriority, QueueMove
from .tls import build_verify
from .urls import split_credentials

if TYPE_CHECKING:  # enunclic.watch (and asyncio) load with the first watch(), not with every client
    from .watch import Backoff, WatchEvent

__all__ = ["AsyncClient", "Client", "Ids"]

T = TypeVar("T")
log = logging.getLogger("enunclic")

#: One id or many.
Ids = str | Iterable[str]

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


def _limit(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(f"{name} must be bytes per second (an int >= 0) or None for no limit")
    return value


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
        timeout: float = 30.0,
        tls_fingerprint: str | None = None,
        **backend_options: Any,
    ) -> None:
        cls = lookup(collect_backends(), backend)
        plain_url, url_user, url_password = split_credentials(url)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
            raise InvalidInputError("timeout must be a positive number of seconds", backend=backend)
        config = BackendConfig(
            url=plain_url,
            username=username if username is not None else url_user,
            password=password if password is not None else url_password,
            verify=verify,
            timeout=float(timeout),
            options=backend_options,
            tls_fingerprint=tls_fingerprint,
        )
        self.backend: Backend = cls(config)
        self._tracker = DeltaTracker()

    @property
    def backend_name(self) -> str:
        """The registered name of this client's backend."""
        return self.backend.name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.backend.name} {self.backend.config.url}>"

    def _require(self, operation: str, capability: Capability) -> None:
        if capability not in self.backend.available_capabilities():
            raise NotSupportedError(
                f"the {self.backend.name} backend cannot {operation.replace('_', ' ')} "
                f"(missing capability {capability.value!r})",
                backend=self.backend.name,
                operation=operation,
            )

    def _call(self, operation: str, make: Any, *args: Any, idempotent: bool = False) -> Call[Any]:
        """Check the operation's capability, then build its flow (and, for reads, a way to retry it)."""
        capability = OPERATION_CAPABILITIES.get(operation)
        if capability is not None:
            self._require(operation, capability)
        try:
            flow: Flow[Any] = make(*args)
        except EnunclicError as exc:
            exc.backend = exc.backend or self.backend.name
            exc.operation = exc.operation or operation
            raise
        return Call(operation, flow, (lambda: make(*args)) if idempotent else None)

    def _bulk(self, operation: str, make: Any, ids: Ids, *args: Any) -> Call[None]:
        normalized = _normalize_ids(ids)
        if not normalized:
            capability = OPERATION_CAPABILITIES.get(operation)
            if capability is not None:
                self._require(operation, capability)
            return Call(operation, done(None))
        return self._call(operation, make, normalized, *args)

    # -- one builder per operation ----------------------------------------------------

    def _info(self) -> Call[ServerInfo]:
        return self._call("info", self.backend.info, idempotent=True)

    def _torrents(self) -> Call[list[Torrent]]:
        return self._call("torrents", self.backend.torrents, idempotent=True)

    def _torrent(self, torrent_id: str) -> Call[Torrent]:
        return self._call("torrent", self.backend.torrent, _normalize_id(torrent_id), idempotent=True)

    def _files(self, torrent_id: str) -> Call[list[TorrentFile]]:
        return self._call("files", self.backend.files, _normalize_id(torrent_id), idempotent=True)

    def _trackers(self, torrent_id: str) -> Call[list[Tracker]]:
        return self._call("trackers", self.backend.trackers, _normalize_id(torrent_id), idempotent=True)

    def _peers(self, torrent_id: str) -> Call[list[Peer]]:
        return self._call("peers", self.backend.peers, _normalize_id(torrent_id), idempotent=True)

    def _add(
        self,
        source: str | bytes | os.PathLike[str],
        destination: str | None,
        paused: bool,
        label: str | None,
    ) -> Call[AddedTorrent]:
        parsed: TorrentSource = parse_source(source)
        self._require("add", _SOURCE_CAPABILITY.get(type(parsed), Capability.ADD_FILE))
        if label is not None:
            self._require("add", Capability.LABELS)
        if destination is not None and (not isinstance(destination, str) or not destination.strip()):
            raise InvalidInputError("destination must be a non-empty path or None for the server's default")
        if label is not None and not isinstance(label, str):
            raise InvalidInputError("label must be a string or None")
        options = AddOptions(destination=destination, paused=bool(paused), label=label or None)
        return self._call("add", self.backend.add, parsed, options)

    def _pause(self, ids: Ids) -> Call[None]:
        return self._bulk("pause", self.backend.pause, ids)

    def _resume(self, ids: Ids) -> Call[None]:
        return self._bulk("resume", self.backend.resume, ids)

    def _remove(self, ids: Ids, delete_data: bool) -> Call[None]:
        if delete_data:
            self._require("remove", Capability.REMOVE_WITH_DATA)
        return self._bulk("remove", self.backend.remove, ids, bool(delete_data))

    def _recheck(self, ids: Ids) -> Call[None]:
        return self._bulk("recheck", self.backend.recheck, ids)

    def _reannounce(self, ids: Ids) -> Call[None]:
        return self._bulk("reannounce", self.backend.reannounce, ids)

    def _set_label(self, ids: Ids, label: str | None) -> Call[None]:
        if label is not None and not isinstance(label, str):
            raise InvalidInputError("label must be a string, or None to clear it")
        return self._bulk("set_label", self.backend.set_label, ids, label or None)

    def _move(self, ids: Ids, destination: str) -> Call[None]:
        if not isinstance(destination, str) or not destination.strip():
            raise InvalidInputError("destination must be a non-empty path")
        return self._bulk("move", self.backend.move, ids, destination)

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
            self._require("set_file_priority", Capability.FILE_PRIORITY)
            return Call("set_file_priority", done(None))
        return self._call("set_file_priority", self.backend.set_file_priority, torrent_id, index_list, level)

    def _set_torrent_limits(self, ids: Ids, download: int | None, upload: int | None) -> Call[None]:
        return self._bulk(
            "set_torrent_limits",
            self.backend.set_torrent_limits,
            ids,
            _limit(download, "download"),
            _limit(upload, "upload"),
        )

    def _set_limits(self, download: int | None, upload: int | None) -> Call[None]:
        return self._call("set_limits", self.backend.set_limits, _limit(download, "download"), _limit(upload, "upload"))

    def _queue_move(self, ids: Ids, direction: QueueMove | str) -> Call[None]:
        try:
            where = QueueMove(direction)
        except ValueError:
            raise InvalidInputError(f"unknown queue move {direction!r}; use top, up, down or bottom") from None
        return self._bulk("queue_move", self.backend.queue_move, ids, where)

    def _stats(self) -> Call[SessionStats]:
        return self._call("stats", self.backend.stats, idempotent=True)

    def _poll(self) -> Call[Delta]:
        def flow() -> Flow[Delta]:
            changes = yield from self.backend.changes()
            return self._tracker.apply(changes)

        return self._call("poll", flow, idempotent=True)


def _http_options(ops: _Operations, max_reply_bytes: int) -> dict[str, Any]:
    config = ops.backend.config
    if not isinstance(max_reply_bytes, int) or max_reply_bytes <= 0:
        raise InvalidInputError("max_reply_bytes must be a positive int", backend=ops.backend_name)
    verify: ssl.SSLContext | bool = build_verify(
        config.verify, backend=ops.backend_name, fingerprint=config.tls_fingerprint
    )
    return {"verify": verify, "timeout": httpx.Timeout(config.timeout), "follow_redirects": False}


def _retries(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError("retries must be an int >= 0")
    return value


class Client(_Operations):
    """A synchronous connection to one torrent server.

    Args:
        backend: a registered backend name (see ``enunclic.backends()``).
        url: the server's base URL, e.g. ``https://nas.local:5001``.
        username, password: credentials (a password in ``url`` works too).
        verify: TLS verification: True, False, or the path of a CA bundle.
        tls_fingerprint: accept exactly the server certificate with this SHA-256 fingerprint.
        timeout: seconds for connecting and for each reply.
        transport: an httpx transport to use instead of the network (tests, simulators).
        max_reply_bytes: larger replies are refused with ProtocolError.
        retries: how often an idempotent read is retried after a connection failure or timeout
            (with jittered exponential backoff); writes are never retried.
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
        timeout: float = 30.0,
        tls_fingerprint: str | None = None,
        transport: httpx.BaseTransport | None = None,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
        retries: int = DEFAULT_RETRIES,
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
        self._driver = SyncDriver(http, self.backend.name, max_reply_bytes=max_reply_bytes, retries=_retries(retries))
        self._closed = False

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this client has sent so far."""
        return self._driver.requests_sent

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran: every call then raises."""
        return self._closed

    def _run(self, call: Call[T]) -> T:
        if self._closed:
            raise InvalidInputError("this client is closed", backend=self.backend_name, operation=call.operation)
        return self._driver.run(call)

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

    def info(self) -> ServerInfo:
        """Server version, API version and what it can do."""
        return self._run(self._info())

    def torrents(self) -> list[Torrent]:
        """Every torrent (or task) on the server."""
        return self._run(self._torrents())

    def torrent(self, torrent_id: str) -> Torrent:
        """One torrent; :class:`~enunclic.TorrentNotFoundError` when absent."""
        return self._run(self._torrent(torrent_id))

    def files(self, torrent_id: str) -> list[TorrentFile]:
        """The files of a torrent."""
        return self._run(self._files(torrent_id))

    def trackers(self, torrent_id: str) -> list[Tracker]:
        """The trackers of a torrent."""
        return self._run(self._trackers(torrent_id))

    def peers(self, torrent_id: str) -> list[Peer]:
        """The connected peers of a torrent."""
        return self._run(self._peers(torrent_id))

    def add(
        self,
        source: str | bytes | os.PathLike[str],
        *,
        destination: str | None = None,
        paused: bool = False,
        label: str | None = None,
    ) -> AddedTorrent:
        """Add a magnet link or URL (str), .torrent content (bytes) or a .torrent path."""
        return self._run(self._add(source, destination, paused, label))

    def pause(self, ids: Ids) -> None:
        """Pause torrents, in one request where the server allows."""
        self._run(self._pause(ids))

    def resume(self, ids: Ids) -> None:
        """Resume torrents."""
        self._run(self._resume(ids))

    def remove(self, ids: Ids, *, delete_data: bool = False) -> None:
        """Remove torrents; with ``delete_data`` their downloaded files too."""
        self._run(self._remove(ids, delete_data))

    def recheck(self, ids: Ids) -> None:
        """Verify the downloaded data against the piece hashes."""
        self._run(self._recheck(ids))

    def reannounce(self, ids: Ids) -> None:
        """Contact the trackers now."""
        self._run(self._reannounce(ids))

    def set_label(self, ids: Ids, label: str | None) -> None:
        """Set (or with None clear) the label of torrents."""
        self._run(self._set_label(ids, label))

    def move(self, ids: Ids, destination: str) -> None:
        """Move the data of torrents to another folder."""
        self._run(self._move(ids, destination))

    def set_file_priority(self, torrent_id: str, indexes: Iterable[int], priority: FilePriority | str) -> None:
        """Set the priority of files (``skip`` to not download them)."""
        self._run(self._set_file_priority(torrent_id, indexes, priority))

    def set_torrent_limits(self, ids: Ids, *, download: int | None = None, upload: int | None = None) -> None:
        """Per-torrent speed limits in bytes/s; None removes a limit."""
        self._run(self._set_torrent_limits(ids, download, upload))

    def set_limits(self, *, download: int | None = None, upload: int | None = None) -> None:
        """Global speed limits in bytes/s; None removes a limit."""
        self._run(self._set_limits(download, upload))

    def queue_move(self, ids: Ids, direction: QueueMove | str) -> None:
        """Move torrents to the top, up, down or to the bottom of the queue."""
        self._run(self._queue_move(ids, direction))

    def stats(self) -> SessionStats:
        """Whole-server speeds, limits and free space."""
        return self._run(self._stats())

    def poll(self) -> Delta:
        """What changed since the last poll; the first poll reports every torrent as added."""
        return self._run(self._poll())

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
        timeout: float = 30.0,
        tls_fingerprint: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
        retries: int = DEFAULT_RETRIES,
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
        self._driver = AsyncDriver(http, self.backend.name, max_reply_bytes=max_reply_bytes, retries=_retries(retries))
        self._closed = False

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this client has sent so far."""
        return self._driver.requests_sent

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran: every call then raises."""
        return self._closed

    async def _run(self, call: Call[T]) -> T:
        if self._closed:
            raise InvalidInputError("this client is closed", backend=self.backend_name, operation=call.operation)
        return await self._driver.run(call)

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

    async def info(self) -> ServerInfo:
        """Server version, API version and what it can do."""
        return await self._run(self._info())

    async def torrents(self) -> list[Torrent]:
        """Every torrent (or task) on the server."""
        return await self._run(self._torrents())

    async def torrent(self, torrent_id: str) -> Torrent:
        """One torrent; :class:`~enunclic.TorrentNotFoundError` when absent."""
        return await self._run(self._torrent(torrent_id))

    async def files(self, torrent_id: str) -> list[TorrentFile]:
        """The files of a torrent."""
        return await self._run(self._files(torrent_id))

    async def trackers(self, torrent_id: str) -> list[Tracker]:
        """The trackers of a torrent."""
        return await self._run(self._trackers(torrent_id))

    async def peers(self, torrent_id: str) -> list[Peer]:
        """The connected peers of a torrent."""
        return await self._run(self._peers(torrent_id))

    async def add(
        self,
        source: str | bytes | os.PathLike[str],
        *,
        destination: str | None = None,
        paused: bool = False,
        label: str | None = None,
    ) -> AddedTorrent:
        """Add a magnet link or URL (str), .torrent content (bytes) or a .torrent path."""
        return await self._run(self._add(source, destination, paused, label))

    async def pause(self, ids: Ids) -> None:
        """Pause torrents, in one request where the server allows."""
        await self._run(self._pause(ids))

    async def resume(self, ids: Ids) -> None:
        """Resume torrents."""
        await self._run(self._resume(ids))

    async def remove(self, ids: Ids, *, delete_data: bool = False) -> None:
        """Remove torrents; with ``delete_data`` their downloaded files too."""
        await self._run(self._remove(ids, delete_data))

    async def recheck(self, ids: Ids) -> None:
        """Verify the downloaded data against the piece hashes."""
        await self._run(self._recheck(ids))

    async def reannounce(self, ids: Ids) -> None:
        """Contact the trackers now."""
        await self._run(self._reannounce(ids))

    async def set_label(self, ids: Ids, label: str | None) -> None:
        """Set (or with None clear) the label of torrents."""
        await self._run(self._set_label(ids, label))

    async def move(self, ids: Ids, destination: str) -> None:
        """Move the data of torrents to another folder."""
        await self._run(self._move(ids, destination))

    async def set_file_priority(self, torrent_id: str, indexes: Iterable[int], priority: FilePriority | str) -> None:
        """Set the priority of files (``skip`` to not download them)."""
        await self._run(self._set_file_priority(torrent_id, indexes, priority))

    async def set_torrent_limits(self, ids: Ids, *, download: int | None = None, upload: int | None = None) -> None:
        """Per-torrent speed limits in bytes/s; None removes a limit."""
        await self._run(self._set_torrent_limits(ids, download, upload))

    async def set_limits(self, *, download: int | None = None, upload: int | None = None) -> None:
        """Global speed limits in bytes/s; None removes a limit."""
        await self._run(self._set_limits(download, upload))

    async def queue_move(self, ids: Ids, direction: QueueMove | str) -> None:
        """Move torrents to the top, up, down or to the bottom of the queue."""
        await self._run(self._queue_move(ids, direction))

    async def stats(self) -> SessionStats:
        """Whole-server speeds, limits and free space."""
        return await self._run(self._stats())

    async def poll(self) -> Delta:
        """What changed since the last poll; the first poll reports every torrent as added."""
        return await self._run(self._poll())

    def watch(
        self, interval: float = 2.0, *, backoff: Backoff | None = None, skip_empty: bool = False
    ) -> AsyncIterator[WatchEvent]:
        """Poll every ``interval`` seconds until closed; a failed poll is an event, retried with backoff."""
        from .watch import awatch  # noqa: PLC0415 - lazy, see the imports

        return awatch(self, interval, backoff=backoff, skip_empty=skip_empty)
