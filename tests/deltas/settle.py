"""Waiting for a live daemon to finish applying changes, and running the property with a readable failure."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from enunclic import Delta, Torrent, TorrentState
from enunclic.testing.deltas import DeltaStats, check_delta_convergence
from enunclic.watch import apply_delta

from .mutations import Mutator, actions_for

__all__ = ["DAEMON_ACTIONS", "LIVE_FIELDS", "RUNS", "assert_exercised", "check_daemon", "run_property", "settler"]

#: (calling style, seed) of each run per server: sync with seed 0, async with seed 1 by default.
#: ``ENUNCLIC_DELTA_SEEDS=N`` adds seeds 2..N+1 (alternating styles) for a longer hunt.
RUNS: list[tuple[str, int]] = [("sync", 0), ("async", 1)] + [
    ("sync" if seed % 2 == 0 else "async", seed)
    for seed in range(2, 2 + int(os.environ.get("ENUNCLIC_DELTA_SEEDS", "0")))
]

#: Fields a live daemon changes on its own between two calls: transfer figures and peer counts.
#: Identity, state, label, destination, name, size, progress, dates, queue position and error stay checked.
LIVE_FIELDS: frozenset[str] = frozenset(
    {
        "download_speed",
        "upload_speed",
        "eta",
        "ratio",
        "uploaded",
        "downloaded",
        "seeds_connected",
        "seeds_total",
        "peers_connected",
        "peers_total",
    }
)

#: States a torrent passes through after a command; a daemon is not settled while one shows.
TRANSIENT: frozenset[TorrentState] = frozenset({TorrentState.CHECKING, TorrentState.MOVING})


def _view(torrents: Iterable[Torrent], ignore: frozenset[str]) -> dict[str, dict[str, Any]]:
    return {t.id: {k: v for k, v in t.__dict__.items() if k not in ignore} for t in torrents}


def settler(
    observer: Any,
    mutator: Mutator | None = None,
    *,
    ignore: Iterable[str] = LIVE_FIELDS,
    interval: float = 0.15,
    quiet: float | None = None,
    timeout: float = 15.0,
    expect_for: float = 3.0,
    after_recheck: float = 1.5,
    transient: frozenset[TorrentState] = TRANSIENT,
) -> Callable[[], None]:
    """A ``settle`` callable: list through ``observer`` until the ``mutator``'s expected effects
    show, no torrent is checking or moving, and the list (ignored fields aside) has not
    changed for ``quiet`` seconds (default ``interval``, the time between two reads);
    AssertionError after ``timeout``.

    Expected effects are awaited for ``expect_for`` seconds only. Daemons apply some
    commands asynchronously (Transmission reports a stopped torrent as seeding until its next
    once-a-second tick); either way the delta property only needs the daemon to have come to rest. A recheck
    has no visible end state and starts late (Deluge 2.0.3 shows the torrent seeding for
    ~0.3 s, then queued for ~0.5 s or more, then checking): until a rechecked torrent was
    seen checking, the list must stay unchanged for ``after_recheck`` s.

    It only waits for the daemon: the client under test is never called here.
    """
    skip = frozenset(ignore)
    calm = interval if quiet is None else quiet

    def settle() -> None:
        start = time.monotonic()
        rechecked = set(mutator.rechecked) if mutator is not None else set()
        previous: dict[str, dict[str, Any]] | None = None
        unchanged_since = start
        while True:
            torrents = observer.torrents()
            now = time.monotonic()
            current = _view(torrents, skip)
            if current != previous:
                previous, unchanged_since = current, now
            busy = sorted(f"{t.name}:{t.state}" for t in torrents if t.state in transient)
            # Seen checking (or gone): that recheck has started, the usual quiet period is enough.
            rechecked &= {t.id for t in torrents if t.state is not TorrentState.CHECKING}
            needed = max(calm, after_recheck) if rechecked else calm
            by_id = {t.id: t for t in torrents}
            expected = mutator.expected if mutator is not None and now < start + expect_for else {}
            unmet = sorted(f"{tid} {what}" for tid, (what, check) in expected.items() if not check(by_id.get(tid)))
            if not busy and not unmet and now - unchanged_since >= needed:
                return
            if now > start + timeout:
                raise AssertionError(f"the daemon did not settle within {timeout}s (busy: {busy}; not yet: {unmet})")
            time.sleep(interval)

    return settle


class _Recorder:
    """The client under test, seen by the check; it keeps the patched snapshot and the last
    fresh list too, so a failure can show the values that disagree."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.snapshot: dict[str, Torrent] = {}
        self.fresh: list[Torrent] = []

    def poll(self) -> Delta:
        delta: Delta = self.client.poll()
        self.snapshot = apply_delta(self.snapshot, delta)
        return delta

    def torrents(self) -> list[Torrent]:
        self.fresh = list(self.client.torrents())
        return self.fresh

    def differences(self, ignore: frozenset[str]) -> list[str]:
        lines = []
        for torrent in self.fresh:
            old = self.snapshot.get(torrent.id)
            if old is None:
                continue
            for name, value in torrent.__dict__.items():
                if name not in ignore and old.__dict__[name] != value:
                    lines.append(f"{torrent.name} {name}: deltas say {old.__dict__[name]!r}, fresh list {value!r}")
        return lines


def run_property(
    client: Any,
    mutator: Mutator,
    *,
    seed: int,
    steps: int,
    ignore_fields: Iterable[str] = (),
    settle: Callable[[], object] | None = None,
) -> DeltaStats:
    """``check_delta_convergence`` whose failure message also lists the mutations made so far
    and the values on which the patched snapshot and the fresh list disagree."""
    recorder = _Recorder(client)
    try:
        return check_delta_convergence(
            recorder, mutator, steps=steps, seed=seed, ignore_fields=ignore_fields, settle=settle
        )
    except AssertionError as exc:
        done = "\n  ".join(mutator.log) or "(none)"
        values = "\n  ".join(recorder.differences(frozenset(ignore_fields))) or "(none)"
        raise AssertionError(f"{exc}\nvalues:\n  {values}\nmutations so far (seed {seed}):\n  {done}") from exc


def assert_exercised(stats: DeltaStats, steps: int, seed: int) -> None:
    """The run really added, changed and removed torrents, so the property was not vacuous.

    Checked in full for the default seeds; extra hunting seeds (``ENUNCLIC_DELTA_SEEDS``)
    need only have added and changed something.
    """
    assert stats.steps == steps
    assert stats.added > 0, stats
    assert stats.changed > 0, stats
    if seed in (0, 1):
        assert stats.removed > 0, stats
        assert "state" in stats.fields, stats


#: What a real daemon offers the mutator (rTorrent lacks ``move``).
DAEMON_ACTIONS: frozenset[str] = frozenset(
    {"add_file", "add_magnet", "pause", "resume", "remove", "set_label", "move", "recheck"}
)
#: Mutations per run against a real daemon.
DAEMON_STEPS = 10


def check_daemon(
    clients: tuple[Any, Any],
    make_torrent: Callable[[str], Any],
    *,
    seed: int,
    actions: frozenset[str] = DAEMON_ACTIONS,
    ignore: frozenset[str] = LIVE_FIELDS,
    quiet: float | None = None,
    **mutator_options: Any,
) -> DeltaStats:
    """The delta property on one real daemon: ``clients[0]`` polls while both clients mutate it.

    ``actions`` is exactly what the backend must offer; ``mutator_options`` go to :class:`Mutator`.
    """
    client, other = clients
    offered = actions_for(other.info().capabilities)
    assert set(offered) == actions
    mutator = Mutator(
        actors=[client, other],
        make_torrent=make_torrent,
        actions=offered,
        delete_data=True,
        cover_by=DAEMON_STEPS - 1,
        **mutator_options,
    )
    stats = run_property(
        client,
        mutator,
        seed=seed,
        steps=DAEMON_STEPS,
        ignore_fields=ignore,
        settle=settler(other, mutator, ignore=ignore, quiet=quiet),
    )
    try:
        assert_exercised(stats, DAEMON_STEPS, seed)
    except AssertionError as exc:
        done = "\n  ".join(mutator.log) or "(none)"
        raise AssertionError(f"{exc}\nmutations (seed {seed}):\n  {done}") from exc
    return stats
