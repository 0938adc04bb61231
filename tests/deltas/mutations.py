"""Random server-side changes through enunclic clients, for the per-backend delta property tests.

A :class:`Mutator` is the ``mutate`` callable of ``check_delta_convergence``: each call
makes one to three random changes (add a .torrent, add a magnet, pause, resume, remove,
set a label, move, recheck) chosen among what the backend supports, each by a randomly
chosen actor (the client under test, or a second client acting as another user). Every
choice comes from the seeded ``random.Random`` the check passes in, so a failing seed
replays; ``log`` keeps what was done, for the failure message.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from enunclic import Capability, Torrent, TorrentState
from enunclic.testing.target import TestTorrent

__all__ = ["ACTIONS", "Mutator", "actions_for", "random_magnet"]

#: Every kind of change, with the capability it needs (None: every backend can).
ACTIONS: dict[str, Capability | None] = {
    "add_file": Capability.ADD_FILE,
    "add_magnet": Capability.ADD_MAGNET,
    "pause": None,
    "resume": None,
    "remove": None,
    "set_label": Capability.LABELS,
    "move": Capability.MOVE,
    "recheck": Capability.RECHECK,
}

#: How often each action is drawn: state changes (pause, resume) weigh most, so that even a
#: short run sees them; adds are capped by ``max_torrents`` anyway.
WEIGHTS: dict[str, int] = {
    "add_file": 2,
    "add_magnet": 1,
    "pause": 3,
    "resume": 3,
    "remove": 2,
    "set_label": 2,
    "move": 2,
    "recheck": 1,
}

#: Distinct torrent names across every mutator of the run: some daemons (libtorrent) remove
#: asynchronously, and re-adding the same info-hash a moment later can fail.
_RUN = itertools.count(1)


def actions_for(capabilities: frozenset[Capability], *, without: Sequence[str] = ()) -> tuple[str, ...]:
    """The actions a server with ``capabilities`` supports, less ``without``."""
    return tuple(
        name for name, need in ACTIONS.items() if (need is None or need in capabilities) and name not in without
    )


def random_magnet(rng: random.Random, tracker: str | None = None) -> str:
    """A magnet for a random info-hash; with no peers on loopback it waits for metadata forever."""
    btih = f"{rng.getrandbits(160):040x}"
    return f"magnet:?xt=urn:btih:{btih}&dn=magnet-{btih[:8]}" + (f"&tr={tracker}" if tracker else "")


@dataclass
class Mutator:
    """Random changes on one server; call it with the check's ``random.Random``."""

    #: Clients in the sync calling style that make the changes (AsyncAdapter for async clients).
    actors: Sequence[Any]
    #: ``make_torrent(name)``: a real .torrent whose payload the server can find.
    make_torrent: Callable[[str], TestTorrent]
    #: The subset of :data:`ACTIONS` this backend supports.
    actions: Sequence[str]
    #: Folders ``move`` picks from (as the server names them).
    destinations: Sequence[str] = ()
    labels: Sequence[str | None] = ("linux", "iso", "tv", None)
    #: Announce URL of magnets (rTorrent drops tracker-less ones); None for none.
    magnet_tracker: str | None = None
    #: Whether ``remove`` may also delete the data (the server has REMOVE_WITH_DATA).
    delete_data: bool = False
    #: Extra server-side change after the actions (e.g. a simulator's clock moving on).
    after: Callable[[random.Random], object] | None = None
    #: Recheck a torrent at most once per step. qBittorrent 4.5 and 5.1 leave a torrent in
    #: ``checkingUP`` at progress 0 for good when a second recheck arrives before the first
    #: one started (their torrents/info still says ``queuedUP``, so the backend's guard
    #: cannot see it): a backend bug reported separately, kept out of the delta property.
    one_recheck_per_step: bool = False
    #: Errors the server may rightly answer to an action in the wrong state (e.g. Download
    #: Station's 405 for pausing a finished task): logged as refused, the run goes on.
    refused: Callable[[Exception], bool] = lambda exc: False
    #: By this step every action of ``actions`` has been tried at least once (the last steps
    #: force the missing ones), so that a short run still exercises everything; None: pure chance.
    cover_by: int | None = None
    #: Above this many torrents, adds are skipped (keeps each step's work small).
    max_torrents: int = 6
    #: What was done, one line per action: ``"[step] action details (actor index)"``.
    log: list[str] = field(default_factory=list)
    _step: int = 0
    #: Torrents rechecked during the current step.
    rechecked: set[str] = field(default_factory=set)
    #: Torrents added during the current step: the next poll reports them as added, whatever
    #: else this step does to them, so a pause or resume is better spent on an older one.
    added_now: set[str] = field(default_factory=set)
    #: What this step's changes should have done, by torrent id: (what, check). ``None`` means gone.
    #: A settle function waits for these, since some daemons apply commands asynchronously.
    expected: dict[str, tuple[str, Callable[[Torrent | None], bool]]] = field(default_factory=dict)
    _prefix: str = field(default_factory=lambda: f"delta{next(_RUN)}")
    _names: Callable[[], int] = field(default_factory=lambda: itertools.count(1).__next__)

    def performed(self) -> set[str]:
        """The kinds of action that really ran (an action on an empty server does nothing)."""
        return {line.split(" ", 2)[1] for line in self.log}

    def __call__(self, rng: random.Random) -> None:
        self._step += 1
        self.rechecked = set()
        self.added_now = set()
        self.expected = {}
        for n in range(rng.randint(1, 3)):
            self._one(rng, self._forced() if n == 0 else None)
        if self.after is not None:
            self.after(rng)

    def _expect(self, ids: str | Sequence[str], what: str, check: Callable[[Torrent | None], bool]) -> None:
        for tid in [ids] if isinstance(ids, str) else ids:
            self.expected[tid] = (what, check)

    def _note(self, line: str, who: int) -> None:
        self.log.append(f"[{self._step}] {line} (actor {who})")

    def _forced(self) -> str | None:
        """The action this step must start with so that ``cover_by`` holds, if any."""
        if self.cover_by is None:
            return None
        missing = [a for a in self.actions if a not in self.performed()]
        return missing[0] if missing and self.cover_by - self._step < len(missing) else None

    def _one(self, rng: random.Random, forced: str | None = None) -> None:
        who = rng.randrange(len(self.actors))
        actor = self.actors[who]
        torrents = sorted(actor.torrents(), key=lambda t: t.id)
        action = forced or rng.choices(self.actions, weights=[WEIGHTS[a] for a in self.actions])[0]
        adds = [a for a in self.actions if a.startswith("add_")]
        if not torrents and not action.startswith("add_") and adds:
            action = rng.choice(adds)
        if action.startswith("add_") and len(torrents) >= self.max_torrents:
            action = "remove"
        if action == "add_file":
            made = self.make_torrent(f"{self._prefix}-{self._names()}.bin")
            paused = rng.random() < 0.3
            label = rng.choice(self.labels) if "set_label" in self.actions else None
            added = actor.add(made.content, paused=paused, label=label)
            self.added_now.add(added.id)
            self._expect(added.id, "listed", lambda t: t is not None)
            self._note(f"add_file {made.name} paused={paused} label={label} -> {added.id}", who)
            return
        if action == "add_magnet":
            magnet = random_magnet(rng, self.magnet_tracker)
            added = actor.add(magnet)
            self.added_now.add(added.id)
            self._expect(added.id, "listed", lambda t: t is not None)
            self._note(f"add_magnet -> {added.id}", who)
            return
        if not torrents:
            return
        # Prefer torrents the action really changes (pausing a running one...), so most steps do
        # something, and among them those the last poll already saw, so the change is a delta.
        useful = [t for t in torrents if _changes(action, t)]
        useful = [t for t in useful if t.id not in self.added_now] or useful or torrents
        if action == "recheck" and self.one_recheck_per_step:
            useful = [t for t in useful if t.id not in self.rechecked]
            if not useful:
                return
        chosen = rng.sample(useful, rng.randint(1, min(2, len(useful))))
        picked = sorted(t.id for t in chosen)
        try:
            detail = self._act(actor, action, chosen, picked, rng)
        except Exception as exc:
            if not self.refused(exc):
                raise
            detail = f" refused: {exc}"
        self._note(f"{action} {picked}{detail}", who)

    def _act(self, actor: Any, action: str, chosen: Sequence[Torrent], picked: list[str], rng: random.Random) -> str:
        """Run one action on ``picked``; return what to add to the log line."""
        detail = ""
        if action == "pause":
            actor.pause(picked)
            self._expect(picked, "stopped", lambda t: t is not None and t.state in _STOPPED)
        elif action == "resume":
            actor.resume(picked)
            self._expect(picked, "running", lambda t: t is not None and t.state not in _STOPPED)
        elif action == "remove":
            delete = self.delete_data and rng.random() < 0.5
            actor.remove(picked, delete_data=delete)
            detail = f" delete_data={delete}"
            self._expect(picked, "gone", lambda t: t is None)
        elif action == "set_label":
            label = rng.choice([x for x in self.labels if x != chosen[0].label] or list(self.labels))
            actor.set_label(picked, label)
            detail = f" {label!r}"
            self._expect(picked, f"label {label!r}", lambda t: t is None or t.label == label)
        elif action == "move":
            destination = rng.choice(
                [d for d in self.destinations if d.rstrip("/") != (chosen[0].destination or "").rstrip("/")]
                or list(self.destinations)
            )
            actor.move(picked, destination)
            detail = f" -> {destination}"
            where = destination.rstrip("/")
            self._expect(picked, f"in {where}", lambda t: t is None or (t.destination or "").rstrip("/") == where)
        elif action == "recheck":
            actor.recheck(picked)
            self.rechecked.update(picked)
        return detail


#: States of a paused torrent (with all its data, "completed"; a failed one stays in error).
_STOPPED = frozenset({TorrentState.PAUSED, TorrentState.COMPLETED, TorrentState.ERROR})


def _changes(action: str, torrent: Torrent) -> bool:
    """Whether ``action`` on ``torrent`` is likely to change what the server reports."""
    stopped = torrent.state in (TorrentState.PAUSED, TorrentState.COMPLETED)
    if action == "pause":
        return not stopped and torrent.state is not TorrentState.ERROR
    if action == "resume":
        return stopped
    if action == "recheck":
        return torrent.state is not TorrentState.METADATA
    return True
