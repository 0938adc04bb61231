"""Live deltas for GUIs: ``watch()`` / ``awatch()`` poll forever and report failures as events.

A failed poll never ends the iteration: it becomes a :class:`WatchEvent` with an
``error`` and the delay before the next attempt (capped, jittered exponential
backoff, reset by the next success). That backoff is the only retry policy of a
watch: its polls skip the client's own retries, so ``next_retry_in`` is the truth.
A change made through the same client (pause, remove, add...) cuts the wait short,
so the next event follows one round trip after it. The iteration ends only when the
caller stops it (``break``, ``close()``, cancelling the task) or the client is closed.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from .certificates import CertificateInfo
from .exceptions import CertificateError, EnunclicError, InvalidInputError
from .models import Delta, Torrent
from .mutations import MutationSignal

__all__ = [
    "Backoff",
    "ErrorInfo",
    "WatchEvent",
    "apply_delta",
    "awatch",
    "watch",
]


class ErrorInfo(BaseModel):
    """A typed enunclic error as plain data: what a GUI shows and what crosses IPC."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    kind: str = Field(description="The exception class name, e.g. ConnectError, AuthenticationError.")
    message: str
    backend: str | None = None
    operation: str | None = None
    native_code: int | str | None = Field(default=None, description="The server's own error code, if any.")
    certificate: CertificateInfo | None = Field(
        default=None, description="CertificateError: the untrusted certificate, for a trust dialog."
    )

    @classmethod
    def from_error(cls, error: EnunclicError) -> ErrorInfo:
        """The data form of ``error`` (its message is already free of secrets)."""
        return cls(
            kind=error.kind,
            message=error.message,
            backend=error.backend,
            operation=error.operation,
            native_code=error.native_code,
            certificate=error.certificate if isinstance(error, CertificateError) else None,
        )


class WatchEvent(BaseModel):
    """One step of a watch: a delta after a good poll, or an error and when the next try comes.

    ``attempt`` counts consecutive failed polls (0 after a success); ``next_retry_in``
    is the delay in seconds before the next poll after a failure (None after a success).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    delta: Delta | None = None
    error: ErrorInfo | None = None
    attempt: int = Field(default=0, ge=0)
    next_retry_in: float | None = Field(default=None, ge=0)

    @property
    def ok(self) -> bool:
        """True for a successful poll."""
        return self.error is None


@dataclass
class Backoff:
    """Capped exponential backoff with jitter: ``initial * factor**(attempt-1)``, at most ``maximum``.

    ``jitter`` is a fraction: the delay is drawn uniformly from ``[d * (1 - jitter), d]``
    so that many GUIs (or pooled servers) that failed together do not retry together.
    """

    initial: float = 1.0
    maximum: float = 60.0
    factor: float = 2.0
    jitter: float = 0.2
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        if self.initial <= 0 or self.maximum < self.initial or self.factor < 1 or not 0 <= self.jitter <= 1:
            raise InvalidInputError("backoff needs 0 < initial <= maximum, factor >= 1 and 0 <= jitter <= 1")

    def delay(self, attempt: int) -> float:
        """Seconds to wait after the ``attempt``-th consecutive failure (1-based)."""
        exponent = min(max(attempt, 1) - 1, 64)  # bounded: no float overflow after a long outage
        base = min(self.maximum, self.initial * self.factor**exponent)
        return base * (1 - self.jitter * self.rng.random())


class _Pollable(Protocol):
    def poll(self, *, retry: bool = ...) -> Any: ...


def _is_closed(client: object) -> bool:
    return bool(getattr(client, "closed", False))


def _signal(client: object) -> MutationSignal:
    found = getattr(client, "mutations", None)
    return found if isinstance(found, MutationSignal) else MutationSignal()


def _check_interval(interval: float) -> float:
    if isinstance(interval, bool) or not isinstance(interval, (int, float)) or interval < 0:
        raise InvalidInputError("interval must be a number of seconds >= 0")
    return float(interval)


class _Tracker:
    """The failure count and backoff shared by both iterators."""

    def __init__(self, interval: float, backoff: Backoff | None) -> None:
        self.interval = _check_interval(interval)
        self.backoff = backoff or Backoff()
        self.attempt = 0

    def success(self, delta: Delta) -> WatchEvent:
        self.attempt = 0
        return WatchEvent(delta=delta)

    def failure(self, error: EnunclicError) -> WatchEvent:
        self.attempt += 1
        return WatchEvent(
            error=ErrorInfo.from_error(error), attempt=self.attempt, next_retry_in=self.backoff.delay(self.attempt)
        )

    def pause_after(self, event: WatchEvent) -> float:
        return event.next_retry_in if event.next_retry_in is not None else self.interval


def watch(
    client: _Pollable,
    interval: float = 2.0,
    *,
    backoff: Backoff | None = None,
    skip_empty: bool = False,
    sleep: Callable[[float], object] | None = None,
) -> Iterator[WatchEvent]:
    """Poll a :class:`~enunclic.Client` every ``interval`` seconds, forever; yield each result.

    The first event carries every torrent as ``added``. With ``skip_empty`` a poll that
    changed nothing yields nothing. Errors other than :class:`~enunclic.EnunclicError`
    (bugs) propagate: the iteration never ends silently. ``sleep`` replaces the wait
    between polls (tests); without it the wait ends early after a change.
    """
    state = _Tracker(interval, backoff)
    signal = _signal(client)
    while not _is_closed(client):
        seen = signal.count
        try:
            event = state.success(client.poll(retry=False))
        except EnunclicError as exc:
            if _is_closed(client):
                return
            event = state.failure(exc)
        if not (skip_empty and event.delta is not None and event.delta.empty):
            yield event
        if _is_closed(client):
            return
        if sleep is None:
            signal.wait(seen, state.pause_after(event))
        else:
            sleep(state.pause_after(event))


async def awatch(
    client: _Pollable,
    interval: float = 2.0,
    *,
    backoff: Backoff | None = None,
    skip_empty: bool = False,
    sleep: Callable[[float], Awaitable[object]] | None = None,
) -> AsyncIterator[WatchEvent]:
    """The async form of :func:`watch` for an :class:`~enunclic.AsyncClient`."""
    state = _Tracker(interval, backoff)
    signal = _signal(client)
    while not _is_closed(client):
        seen = signal.count
        try:
            event = state.success(await client.poll(retry=False))
        except EnunclicError as exc:
            if _is_closed(client):
                return
            event = state.failure(exc)
        if not (skip_empty and event.delta is not None and event.delta.empty):
            yield event
        if _is_closed(client):
            return
        if sleep is None:
            await signal.wait_async(seen, state.pause_after(event))
        else:
            await sleep(state.pause_after(event))


def apply_delta(snapshot: Mapping[str, Torrent], delta: Delta) -> dict[str, Torrent]:
    """A new snapshot: ``snapshot`` with ``delta`` applied (removed dropped, added/changed replaced)."""
    gone = set(delta.removed)
    result = {tid: t for tid, t in snapshot.items() if tid not in gone}
    for torrent in (*delta.added, *delta.changed):
        result[torrent.id] = torrent
    return result
