"""Many servers at once: a pool of async clients polled concurrently, with per-server status.

Each server has its own timeout, backoff and lock, so one dead or slow server never
stalls the others: polling N servers takes about as long as the slowest one. A
server is ``connecting`` until its first answer, ``connected`` while polls succeed,
``reconnecting`` (with backoff) after a transient failure, and ``failed`` after an
error that retrying cannot fix (wrong password, 2FA needed, bad options) until
:meth:`Pool.reconnect` is called.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from .client import AsyncClient
from .exceptions import (
    AuthenticationError,
    EnunclicError,
    InvalidInputError,
    NotSupportedError,
    PermissionDeniedError,
    PluginError,
    RequestTimeout,
    SessionExpiredError,
)
from .models import Delta, ServerInfo, Torrent
from .states import _StrEnum
from .watch import Backoff, ErrorInfo, WatchEvent, apply_delta

__all__ = ["RETRY_POLICY", "Pool", "ServerState", "ServerStatus", "is_retryable"]

T = TypeVar("T")
log = logging.getLogger("enunclic")


class ServerStatus(_StrEnum):
    """Where a pooled server stands."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    FAILED = "failed"


#: Whether a failure is worth retrying, by error class; the first matching row wins
#: (so the subclass SessionExpiredError comes before AuthenticationError). Unlisted: retry.
RETRY_POLICY: Final[tuple[tuple[type[EnunclicError], bool], ...]] = (
    (SessionExpiredError, True),
    (AuthenticationError, False),
    (PermissionDeniedError, False),
    (InvalidInputError, False),
    (NotSupportedError, False),
    (PluginError, False),
)


def is_retryable(error: EnunclicError) -> bool:
    """True when waiting and trying again may help (network, timeout, server hiccup)."""
    for cls, retry in RETRY_POLICY:
        if isinstance(error, cls):
            return retry
    return True


class ServerState(BaseModel):
    """One server's status as plain data (never its credentials)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: str
    backend: str
    url: str = Field(description="The base URL, without credentials.")
    status: ServerStatus
    error: ErrorInfo | None = Field(default=None, description="The last failure while not connected.")
    attempt: int = Field(default=0, ge=0, description="Consecutive failed polls.")
    next_retry_in: float | None = Field(default=None, ge=0, description="Seconds until the next poll is allowed.")
    latency: float | None = Field(default=None, ge=0, description="Seconds taken by the last successful poll.")
    torrents: int = Field(default=0, ge=0, description="Torrents known from the polls so far.")
    version: str | None = Field(default=None, description="The server's version, once connected.")


@dataclass
class _Entry:
    name: str
    client: AsyncClient
    backoff: Backoff
    status: ServerStatus = ServerStatus.CONNECTING
    error: ErrorInfo | None = None
    attempt: int = 0
    retry_at: float | None = None
    latency: float | None = None
    info: ServerInfo | None = None
    snapshot: dict[str, Torrent] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Pool:
    """Several :class:`~enunclic.AsyncClient` (any mix of backends) under one roof.

    Args:
        timeout: seconds one server may take for a poll or a call before it counts as failed.
        backoff: builds each server's backoff (capped, jittered, reset on success).
        clock: a monotonic clock (tests pass a fake one).
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        backoff: Callable[[], Backoff] = Backoff,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
            raise InvalidInputError("the pool timeout must be a positive number of seconds")
        self.timeout = float(timeout)
        self._make_backoff = backoff
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._listeners: list[Callable[[ServerState], None]] = []

    # -- membership ---------------------------------------------------------------------

    def add(self, name: str, client: AsyncClient) -> ServerState:
        """Hold ``client`` under ``name`` (unique, non-empty); it starts as ``connecting``."""
        self._check_new(name)
        self._entries[name] = _Entry(name, client, self._make_backoff())
        return self.state(name)

    async def adopt(self, name: str, client: AsyncClient) -> ServerInfo:
        """Connect ``client`` (who the server is, then a first listing) and hold it under ``name`` once that
        worked; it is then ``connected``, with its torrents and latency known. A failure raises the typed
        error and leaves nothing behind: no entry, no status event (the caller closes the client).
        """
        self._check_new(name)
        entry = _Entry(name, client, self._make_backoff())
        info = await self._timed(entry, "info", client.info())
        started = self._clock()
        delta = await self._timed(entry, "poll", client.poll())
        entry.latency = self._clock() - started
        entry.snapshot = apply_delta({}, delta)
        entry.info = info
        self._check_new(name)  # another add of the same name may have finished meanwhile
        self._entries[name] = entry
        self._set(entry, ServerStatus.CONNECTED, error=None)
        return info

    def _check_new(self, name: str) -> None:
        if not isinstance(name, str) or not name.strip():
            raise InvalidInputError("a server name must be a non-empty string")
        if name in self._entries:
            raise InvalidInputError(f"a server named {name!r} is already in the pool")

    async def remove(self, name: str) -> None:
        """Close the server's client (logging out) and forget it."""
        entry = self._entry(name)
        del self._entries[name]
        await _close_quietly(entry.client)

    async def close(self) -> None:
        """Close every client, concurrently."""
        entries, self._entries = list(self._entries.values()), {}
        await asyncio.gather(*(_close_quietly(e.client) for e in entries))

    @property
    def names(self) -> list[str]:
        """The servers' names, in the order they were added."""
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def client(self, name: str) -> AsyncClient:
        """The client held under ``name``."""
        return self._entry(name).client

    def add_listener(self, listener: Callable[[ServerState], None]) -> None:
        """Call ``listener`` with the new state whenever a server's status or error changes."""
        self._listeners.append(listener)

    # -- state --------------------------------------------------------------------------

    def state(self, name: str) -> ServerState:
        """The status of one server."""
        e = self._entry(name)
        retry_in = None if e.retry_at is None else max(0.0, e.retry_at - self._clock())
        return ServerState(
            name=e.name,
            backend=e.client.backend_name,
            url=e.client.backend.config.url,
            status=e.status,
            error=e.error,
            attempt=e.attempt,
            next_retry_in=retry_in,
            latency=e.latency,
            torrents=len(e.snapshot),
            version=e.info.version if e.info else None,
        )

    def states(self) -> list[ServerState]:
        """The status of every server."""
        return [self.state(name) for name in self._entries]

    def snapshot(self, name: str) -> Mapping[str, Torrent]:
        """The torrents as of the last successful poll (every delta applied in order)."""
        return dict(self._entry(name).snapshot)

    # -- I/O ----------------------------------------------------------------------------

    async def connect(self, name: str) -> ServerInfo:
        """Ask the server who it is (logging in); raises the typed error on failure."""
        entry = self._entry(name)
        try:
            info = await self._timed(entry, "info", entry.client.info())
        except EnunclicError as exc:
            self._failed(entry, exc)
            raise
        entry.info = info
        if entry.status is not ServerStatus.CONNECTED:
            self._set(entry, ServerStatus.CONNECTED, error=None)
        return info

    async def call(self, name: str, operation: str, action: Callable[[AsyncClient], Awaitable[T]]) -> T:
        """Run one client operation under the pool's per-server timeout."""
        entry = self._entry(name)
        return await self._timed(entry, operation, action(entry.client))

    async def reconnect(self, name: str) -> None:
        """Give a ``failed`` (or backing-off) server another chance at the next poll."""
        entry = self._entry(name)
        entry.attempt, entry.retry_at = 0, None
        self._set(entry, ServerStatus.CONNECTING, error=entry.error)

    async def poll_server(self, name: str, *, force: bool = False) -> WatchEvent | None:
        """Poll one server; None when it is ``failed`` or still backing off (unless ``force``)."""
        entry = self._entry(name)
        async with entry.lock:
            if not force and not self._due(entry):
                return None
            started = self._clock()
            try:
                # The pool's backoff is the one retry policy of its polls: no client retries inside.
                delta = await self._timed(entry, "poll", entry.client.poll(retry=False))
            except EnunclicError as exc:
                return self._failed(entry, exc)
            entry.latency = self._clock() - started
            entry.snapshot = apply_delta(entry.snapshot, delta)
            entry.attempt, entry.retry_at = 0, None
            if entry.status is not ServerStatus.CONNECTED or entry.error is not None:
                self._set(entry, ServerStatus.CONNECTED, error=None)
            return WatchEvent(delta=delta)

    async def poll(self, names: Iterable[str] | None = None, *, force: bool = False) -> dict[str, WatchEvent]:
        """Poll the named servers (default all) concurrently; skipped ones are left out."""
        chosen = list(self._entries) if names is None else list(dict.fromkeys(names))
        for name in chosen:
            self._entry(name)
        events = await asyncio.gather(*(self.poll_server(n, force=force) for n in chosen))
        return {n: e for n, e in zip(chosen, events, strict=True) if e is not None}

    def full_delta(self, name: str) -> Delta:
        """The current snapshot as one delta of ``added`` torrents (a subscriber's baseline)."""
        return Delta(added=list(self._entry(name).snapshot.values()))

    # -- internals --------------------------------------------------------------------

    def _entry(self, name: str) -> _Entry:
        try:
            return self._entries[name]
        except KeyError:
            raise InvalidInputError(f"no server named {name!r} in the pool") from None

    def _due(self, entry: _Entry) -> bool:
        if entry.status is ServerStatus.FAILED:
            return False
        return entry.retry_at is None or self._clock() >= entry.retry_at

    async def _timed(self, entry: _Entry, operation: str, work: Awaitable[T]) -> T:
        try:
            return await asyncio.wait_for(work, self.timeout)
        except EnunclicError:
            raise
        except asyncio.TimeoutError:
            raise RequestTimeout(
                f"{entry.name} did not answer within {self.timeout:g}s",
                backend=entry.client.backend_name,
                operation=operation,
            ) from None

    def _failed(self, entry: _Entry, error: EnunclicError) -> WatchEvent:
        entry.attempt += 1
        info = ErrorInfo.from_error(error)
        if is_retryable(error):
            delay = entry.backoff.delay(entry.attempt)
            entry.retry_at = self._clock() + delay
            self._set(entry, ServerStatus.RECONNECTING, error=info)
            log.info("%s: %s; retrying in %.1fs", entry.name, error, delay)
            return WatchEvent(error=info, attempt=entry.attempt, next_retry_in=delay)
        entry.retry_at = None
        self._set(entry, ServerStatus.FAILED, error=info)
        log.warning("%s: %s; not retrying", entry.name, error)
        return WatchEvent(error=info, attempt=entry.attempt)

    def _set(self, entry: _Entry, status: ServerStatus, *, error: ErrorInfo | None) -> None:
        changed = entry.status is not status or entry.error != error
        entry.status, entry.error = status, error
        if changed:
            state = self.state(entry.name)
            for listener in list(self._listeners):
                listener(state)


async def _close_quietly(client: AsyncClient) -> None:
    try:
        await client.close()
    except Exception as exc:  # noqa: BLE001 - closing must never raise out of the pool
        log.debug("closing %r failed: %r", client, exc)
