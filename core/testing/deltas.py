"""A reusable property check for ``poll()``: applying every delta in order equals a fresh full list.

Backends (simulators and real daemons) call :func:`check_delta_convergence` with a
client and a callable that changes the server at random; every delta is also checked
for exactness (a field listed as changed did change, a field not listed did not)::

    stats = check_delta_convergence(client, lambda rng: mutate_my_server(rng), steps=30, seed=seed)
    assert stats.changed and stats.added and stats.removed   # the mutations really happened
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ..models import Delta, Torrent
from ..watch import apply_delta

__all__ = ["DeltaStats", "check_delta_convergence", "check_delta_exact"]


class _SyncPolling(Protocol):
    def poll(self) -> Delta: ...
    def torrents(self) -> list[Torrent]: ...


@dataclass
class DeltaStats:
    """What the run saw, so a test can assert the mutations were real."""

    steps: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    fields: frozenset[str] = frozenset()


def _fail(message: str) -> None:
    raise AssertionError(message)


def _comparable(torrent: Torrent, ignore: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in torrent.__dict__.items() if k not in ignore}


def check_delta_exact(previous: Mapping[str, Torrent], delta: Delta) -> None:
    """Raise AssertionError unless ``delta`` is a consistent, exact change of ``previous``."""
    added = [t.id for t in delta.added]
    changed = [t.id for t in delta.changed]
    if len(set(added)) != len(added) or len(set(changed)) != len(changed):
        _fail("an id appears twice in added or changed")
    if set(added) & set(changed) or set(added) & set(delta.removed) or set(changed) & set(delta.removed):
        _fail("an id is in more than one of added/changed/removed")
    for tid in added:
        if tid in previous:
            _fail(f"{tid} reported added but it was already there")
    for tid in delta.removed:
        if tid not in previous:
            _fail(f"{tid} reported removed but it was not there")
    if set(delta.changed_fields) != set(changed):
        _fail(f"changed_fields keys {sorted(delta.changed_fields)} != changed ids {sorted(changed)}")
    for torrent in delta.changed:
        old = previous.get(torrent.id)
        if old is None:
            _fail(f"{torrent.id} reported changed but it was not there")
            continue
        really = frozenset(name for name in Torrent.model_fields if getattr(old, name) != getattr(torrent, name))
        listed = delta.changed_fields[torrent.id]
        if not really:
            _fail(f"{torrent.id} reported changed but no field differs")
        if really != listed:
            _fail(f"{torrent.id}: listed {sorted(listed)} but these changed: {sorted(really)}")


def check_delta_convergence(
    client: _SyncPolling,
    mutate: Callable[[random.Random], object],
    *,
    steps: int = 25,
    seed: int = 0,
    ignore_fields: Iterable[str] = (),
    settle: Callable[[], object] | None = None,
) -> DeltaStats:
    """Poll, mutate, poll... and after every delta compare the patched snapshot with ``torrents()``.

    ``client`` must not have polled yet (its first poll is the baseline). ``ignore_fields``
    leaves out fields a live daemon changes on its own between two calls (speeds, eta);
    ``settle`` runs after each mutation (e.g. wait until a daemon applied it).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test mutations, not cryptography
    ignore = frozenset(ignore_fields)
    stats = DeltaStats()
    first = client.poll()
    if first.changed or first.removed:
        _fail("the first poll must report every torrent as added (was the client polled before?)")
    snapshot: dict[str, Torrent] = {}
    check_delta_exact(snapshot, first)
    snapshot = apply_delta(snapshot, first)
    _same(snapshot, client.torrents(), ignore, "after the first poll")
    fields: set[str] = set()
    for step in range(1, steps + 1):
        mutate(rng)
        if settle is not None:
            settle()
        delta = client.poll()
        check_delta_exact(snapshot, delta)
        snapshot = apply_delta(snapshot, delta)
        _same(snapshot, client.torrents(), ignore, f"after step {step} (seed {seed})")
        stats.steps = step
        stats.added += len(delta.added)
        stats.changed += len(delta.changed)
        stats.removed += len(delta.removed)
        for names in delta.changed_fields.values():
            fields |= names
    stats.fields = frozenset(fields)
    return stats


def _same(snapshot: Mapping[str, Torrent], fresh: list[Torrent], ignore: frozenset[str], when: str) -> None:
    current = {t.id: t for t in fresh}
    if set(current) != set(snapshot):
        _fail(
            f"{when}: ids differ: missing {sorted(set(current) - set(snapshot))}, "
            f"extra {sorted(set(snapshot) - set(current))}"
        )
    for tid, torrent in current.items():
        if _comparable(torrent, ignore) != _comparable(snapshot[tid], ignore):
            diff = sorted(k for k, v in _comparable(torrent, ignore).items() if snapshot[tid].__dict__[k] != v)
            _fail(f"{when}: {tid} differs from a fresh list in {diff}")
