"""What the Transmission backend keeps between calls: the server's facts, the poll cursor and the stops in flight."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from enunclic.plugin import ProtocolError, Rate

from .api import RPC_LABELS, Dialect
from .mapping import Quiet, speed_rate

__all__ = ["STOP_LANDS_WITHIN", "STOP_PATIENCE", "STOP_POLL_EVERY", "ServerFacts", "State", "Stops"]

#: An RPC torrent_stop only marks the torrent; the daemon stops it on its next once-a-second tick,
#: and a torrent_start that arrives before that finds it still running and is dropped (3.00 and 4.1,
#: observed: a resume right after a pause left the torrent paused every time). A resume within this
#: many seconds of this client's pause first waits until the daemon reports the torrent stopped.
STOP_LANDS_WITHIN: Final = 2.0
#: How long a resume waits at most for stops to land (then it sends the start anyway), and how often it looks.
STOP_PATIENCE: Final = 4.0
STOP_POLL_EVERY: Final = 0.2


@dataclass(frozen=True)
class ServerFacts:
    """What ``session_get`` told us when the client discovered the server."""

    version: str | None
    rpc_version: int
    rpc_version_semver: str | None
    dialect: Dialect
    #: Bytes in one "K" of the KBps speed limits (``units.speed_bytes``; 1000 on stock daemons).
    speed_bytes: int = 1000

    @classmethod
    def read(cls, session: Mapping[str, Any], dialect: Dialect) -> ServerFacts:
        """The facts in a (snake_case) session_get reply."""
        rpc_version = session.get("rpc_version")
        if isinstance(rpc_version, bool) or not isinstance(rpc_version, int):
            raise ProtocolError("session_get did not report an integer rpc-version: is this Transmission?")
        units = session.get("units")
        speed_bytes = units.get("speed_bytes") if isinstance(units, dict) else None
        version, semver = session.get("version"), session.get("rpc_version_semver")
        return cls(
            version=version if isinstance(version, str) else None,
            rpc_version=rpc_version,
            rpc_version_semver=semver if isinstance(semver, str) else None,
            dialect=dialect,
            speed_bytes=speed_bytes if type(speed_bytes) is int and speed_bytes > 0 else 1000,
        )

    @property
    def speed(self) -> Rate:
        """The speed limits' unit (see :func:`~.mapping.speed_rate`)."""
        return speed_rate(self.speed_bytes)

    @property
    def labels(self) -> bool:
        """The server has labels (rpc-version 16, Transmission 3.00)."""
        return self.rpc_version >= RPC_LABELS


class Stops:
    """The stops this client sent that the server may still undo, read from an injected clock.

    Two daemon behaviours: a stop lands on the daemon's next tick, and a start sent before
    that is dropped (so a resume right after a pause waits for it); and below rpc-version 18
    the end of a hash check restarts a torrent stopped during it (so it is stopped again).
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        #: How long a resume waits at most for pending stops, and how often it looks.
        self.patience = STOP_PATIENCE
        self.every = STOP_POLL_EVERY
        self._sent: dict[str, float] = {}  # info-hash -> when this client sent its torrent_stop
        self._sent_all: float | None = None  # when this client sent a torrent_stop of every torrent
        self._after_check: set[str] = set()  # paused while a check may undo it

    def stopped(self, hashes: Collection[str], *, survives_check: bool) -> None:
        """Remember a torrent_stop just sent for ``hashes``."""
        now = self.clock()
        self._sent = {h: sent for h, sent in self._sent.items() if now - sent < STOP_LANDS_WITHIN}
        self._sent.update(dict.fromkeys(hashes, now))
        if not survives_check:
            self._after_check.update(hashes)

    def stopped_all(self) -> None:
        """Remember a torrent_stop of every torrent just sent (only where a stop survives a check)."""
        self._sent_all = self.clock()

    def _recent(self, sent: float | None, now: float) -> bool:
        return sent is not None and now - sent < STOP_LANDS_WITHIN

    def resuming(self, hashes: Collection[str]) -> list[str]:
        """The hashes whose stop may not have landed yet; none of ``hashes`` is stopped again after a check."""
        self._after_check.difference_update(hashes)
        now = self.clock()
        every = self._recent(self._sent_all, now)
        return [h for h in hashes if every or self._recent(self._sent.get(h), now)]

    def pending(self) -> bool:
        """Some stop this client sent may not have landed yet."""
        now = self.clock()
        return self._recent(self._sent_all, now) or any(self._recent(sent, now) for sent in self._sent.values())

    def forget_all(self) -> None:
        """Nothing pending for any torrent (all started)."""
        self._sent.clear()
        self._sent_all = None
        self._after_check.clear()

    def forget(self, hashes: Iterable[str]) -> None:
        """Nothing pending for ``hashes`` any more (started or removed)."""
        for info_hash in hashes:
            self._sent.pop(info_hash, None)
            self._after_check.discard(info_hash)

    @property
    def awaiting_check(self) -> bool:
        """Some paused torrent may still be restarted by the end of its check."""
        return bool(self._after_check)

    def restarted(self, statuses: Mapping[str, str]) -> list[str]:
        """Of the torrents just read (info-hash -> status as text), those a finished check restarted.

        A torrent still checking, not read, or with an odd status stays awaited.
        """
        again: list[str] = []
        for info_hash in list(self._after_check):
            status = statuses.get(info_hash)
            if status is None or not status.isdigit() or status in _CHECKING:
                continue
            self._after_check.discard(info_hash)
            if status != "0":
                again.append(info_hash)
        return again


#: torrent_get statuses 1 (check-wait) and 2 (checking), as text (``Torrent.native_state``).
_CHECKING: Final = ("1", "2")


class State:
    """Everything the backend learns and keeps per client, in one place."""

    def __init__(self, clock: Callable[[], float]) -> None:
        #: Set by ``discover()``, before the first operation.
        self.facts: ServerFacts | None = None
        #: What the next incremental poll compares with: info-hash -> queue position, label and limits
        #: as the last poll reported them. Other reads leave it alone: the poll's caller did not see them.
        self.known: dict[str, Quiet] = {}
        self.polls = 0
        #: JSON-RPC 2.0 request ids.
        self.call_ids = itertools.count(1)
        self.stops = Stops(clock)
