"""The generic delta engine: what changed between two polls, field by field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .models import Delta, Torrent, TorrentEvent, TorrentEventKind
from .states import TorrentState

__all__ = ["Changes", "DeltaTracker", "torrent_events"]

_FIELDS: tuple[str, ...] = tuple(Torrent.model_fields)

#: States in which progress may say less than the wanted data that is there, for a while.
_PROGRESS_ELSEWHERE = frozenset({TorrentState.CHECKING, TorrentState.MOVING})


@dataclass(frozen=True)
class Changes:
    """What a backend's ``changes()`` flow reports.

    ``complete=True``: ``torrents`` is every torrent on the server (anything absent
    is removed). ``complete=False``: ``torrents`` holds only new or changed ones and
    ``removed`` names the ids that are gone (a native incremental API).
    """

    torrents: Sequence[Torrent]
    complete: bool = True
    removed: Sequence[str] = field(default_factory=tuple)


class DeltaTracker:
    """Holds the last snapshot of one client and turns ``Changes`` into an exact ``Delta``."""

    def __init__(self) -> None:
        self.snapshot: dict[str, Torrent] = {}
        self._primed = False  # after the first poll, whose torrents are all "added" and tell nothing

    def apply(self, changes: Changes) -> Delta:
        previous = self.snapshot
        current = {t.id: t for t in changes.torrents}
        if changes.complete:
            removed = [tid for tid in previous if tid not in current]
            self.snapshot = current
        else:
            removed = [tid for tid in dict.fromkeys(changes.removed) if tid in previous and tid not in current]
            merged = dict(previous)
            for tid in removed:
                del merged[tid]
            merged.update(current)
            self.snapshot = merged
        added: list[Torrent] = []
        changed: list[Torrent] = []
        changed_fields: dict[str, frozenset[str]] = {}
        for tid, torrent in current.items():
            old = previous.get(tid)
            if old is None:
                added.append(torrent)
                continue
            names = diff_fields(old, torrent)
            if names:
                changed.append(torrent)
                changed_fields[tid] = names
        delta = Delta(added=added, changed=changed, removed=removed, changed_fields=changed_fields)
        if not self._primed:
            self._primed = True
            return delta
        return delta.model_copy(update={"events": torrent_events(previous, delta)})

    def reset(self) -> None:
        """Forget the snapshot: the next poll reports every torrent as added (a new baseline)."""
        self.snapshot = {}
        self._primed = False


def _complete(torrent: Torrent) -> bool:
    return torrent.progress >= 1.0 and torrent.state not in _PROGRESS_ELSEWHERE


def torrent_events(before: Mapping[str, Torrent], delta: Delta) -> list[TorrentEvent]:
    """What ``delta`` holds for a user whose rows were ``before``: torrents added and removed, a
    torrent that now has all its wanted data (a recheck or a move, which may show less for a while,
    is not a completion), a torrent that went into error."""
    events = [TorrentEvent(kind=TorrentEventKind.ADDED, id=t.id, name=t.name) for t in delta.added]
    for torrent in (*delta.added, *delta.changed):
        old = before.get(torrent.id)
        if torrent.state is TorrentState.ERROR and (old is None or old.state is not TorrentState.ERROR):
            events.append(
                TorrentEvent(kind=TorrentEventKind.ERRORED, id=torrent.id, name=torrent.name, error=torrent.error)
            )
        if old is not None and _complete(torrent) and not _complete(old) and old.state not in _PROGRESS_ELSEWHERE:
            events.append(TorrentEvent(kind=TorrentEventKind.COMPLETED, id=torrent.id, name=torrent.name))
    for tid in delta.removed:
        gone = before.get(tid)
        events.append(TorrentEvent(kind=TorrentEventKind.REMOVED, id=tid, name=gone.name if gone else None))
    return events


def diff_fields(old: Torrent, new: Torrent, names: Iterable[str] = _FIELDS) -> frozenset[str]:
    """The names of the fields whose values differ."""
    if old == new:
        return frozenset()
    a, b = old.__dict__, new.__dict__
    return frozenset(name for name in names if a[name] != b[name])
