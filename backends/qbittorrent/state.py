"""What one qBittorrent client remembers between calls: the server's facts, the sync/maindata cache, recent rechecks.

One object per backend instance, so that all protocol state is in one place and time is
read from the injected clock (``BackendConfig.clock``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from enunclic.plugin import Changes, ProtocolError

from .mapping import to_torrent

__all__ = ["RECHECK_SETTLE_SECONDS", "ProtocolState"]

#: A torrent rechecked this recently is treated as checking: the list shows the check ~0.5 s late.
RECHECK_SETTLE_SECONDS: Final = 3.0


@dataclass
class ProtocolState:
    """All a qBittorrent client keeps between calls."""

    clock: Callable[[], float]
    #: What discovery learnt: the app and WebAPI versions, and whether queueing is on.
    version: str | None = None
    api: tuple[int, ...] = ()
    queueing: bool = True
    #: The sync/maindata cursor, and the full torrent objects (by hash) its partial updates are merged into.
    rid: int = 0
    torrents: dict[str, dict[str, Any]] = field(default_factory=dict)
    server_state: dict[str, Any] = field(default_factory=dict)
    #: Hashes changed and removed since the last take_changes(); a full dump came; a first list was handed out.
    dirty: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)
    full_update: bool = False
    delivered: bool = False
    #: hash -> clock() of its last recheck
    rechecked: dict[str, float] = field(default_factory=dict)

    def merge(self, reply: Any) -> None:
        """Apply one ``sync/maindata`` reply; a reply of the wrong shape changes nothing."""
        if not isinstance(reply, dict) or not isinstance(reply.get("rid"), int):
            raise ProtocolError("sync/maindata did not return an object with a rid")
        torrents = reply.get("torrents") or {}
        removed = reply.get("torrents_removed") or []
        state = reply.get("server_state") or {}
        if not isinstance(torrents, dict) or not isinstance(removed, list) or not isinstance(state, dict):
            raise ProtocolError("sync/maindata returned torrents, removals or server state of the wrong shape")
        if not all(isinstance(partial, dict) for partial in torrents.values()):
            raise ProtocolError("sync/maindata returned a torrent that is not an object")
        if reply.get("full_update"):
            self.torrents, self.server_state, self.dirty, self.gone = {}, {}, set(), set()
            self.full_update = True
        for key, partial in torrents.items():
            info_hash = str(key).lower()
            self.torrents.setdefault(info_hash, {"hash": info_hash}).update(partial)
            self.dirty.add(info_hash)
            self.gone.discard(info_hash)
        for key in removed:
            info_hash = str(key).lower()
            self.torrents.pop(info_hash, None)
            self.dirty.discard(info_hash)
            self.gone.add(info_hash)
        self.server_state.update(state)
        self.rid = reply["rid"]

    def take_changes(self) -> Changes:
        """Everything after a full dump (or the first time), else what changed since the last call."""
        if self.full_update or not self.delivered:
            result = Changes([to_torrent(t) for t in self.torrents.values()], complete=True)
        else:
            changed = [to_torrent(self.torrents[h]) for h in self.dirty if h in self.torrents]
            result = Changes(changed, complete=False, removed=sorted(self.gone))
        self.dirty, self.gone = set(), set()
        self.full_update, self.delivered = False, True
        return result

    def to_recheck(self, hashes: Sequence[str], checking: Iterable[str]) -> list[str]:
        """The hashes worth a recheck now: not being checked, and not rechecked in the last few seconds."""
        now = self.clock()
        self.rechecked = {h: at for h, at in self.rechecked.items() if now - at < RECHECK_SETTLE_SECONDS}
        skip = {*checking, *self.rechecked}
        return [h for h in hashes if h not in skip]

    def mark_rechecked(self, hashes: Iterable[str]) -> None:
        self.rechecked.update(dict.fromkeys(hashes, self.clock()))
