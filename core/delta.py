"""The generic delta engine: what changed between two polls, field by field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .models import Delta, Torrent

__all__ = ["Changes", "DeltaTracker"]

_FIELDS: tuple[str, ...] = tuple(Torrent.model_fields)


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
        return Delta(added=added, changed=changed, removed=removed, changed_fields=changed_fields)

    def reset(self) -> None:
        """Forget the snapshot: the next poll reports every torrent as added."""
        self.snapshot = {}


def diff_fields(old: Torrent, new: Torrent, names: Iterable[str] = _FIELDS) -> frozenset[str]:
    """The names of the fields whose values differ."""
    if old == new:
        return frozenset()
    a, b = old.__dict__, new.__dict__
    return frozenset(name for name in names if a[name] != b[name])
