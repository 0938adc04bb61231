"""Events worth telling a user, derived from each delta: added, removed, completed, errored; none at first."""

from __future__ import annotations

from typing import Any

import pytest

from enunclic import Delta, Torrent, TorrentEvent, TorrentEventKind, TorrentState
from enunclic.delta import Changes, DeltaTracker, torrent_events

S = TorrentState


def _t(tid: str = "a", state: TorrentState = S.DOWNLOADING, progress: float = 0.5, **extra: Any) -> Torrent:
    return Torrent(id=tid, name=f"name-{tid}", state=state, native_state=state.value, progress=progress, **extra)


#: (before, after, events expected for the torrent) - one row per transition.
TRANSITIONS = [
    (_t(), _t(state=S.SEEDING, progress=1.0), ["completed"]),
    (_t(), _t(state=S.COMPLETED, progress=1.0), ["completed"]),
    (_t(), _t(state=S.PAUSED, progress=1.0), ["completed"]),  # finished, then stopped before the poll
    (_t(state=S.METADATA, progress=0.0), _t(state=S.SEEDING, progress=1.0), ["completed"]),
    (_t(state=S.QUEUED, progress=0.2), _t(state=S.SEEDING, progress=1.0), ["completed"]),
    (_t(state=S.CHECKING, progress=0.3), _t(state=S.SEEDING, progress=1.0), []),  # a recheck ended
    (_t(state=S.MOVING, progress=0.0), _t(state=S.SEEDING, progress=1.0), []),  # a move ended
    (_t(), _t(state=S.CHECKING, progress=1.0), []),  # checking: progress is the check's
    (_t(state=S.SEEDING, progress=1.0), _t(state=S.PAUSED, progress=1.0), []),
    (_t(), _t(progress=0.9), []),
    (_t(), _t(state=S.ERROR, error="disk full"), ["errored"]),
    (_t(state=S.ERROR, error="disk full"), _t(state=S.ERROR, error="still full"), []),
    (_t(state=S.ERROR), _t(), []),
    (_t(), _t(state=S.ERROR, progress=1.0), ["errored", "completed"]),  # both happened since the last poll
    (_t(state=S.ERROR, progress=1.0), _t(state=S.SEEDING, progress=1.0), []),  # recovered: nothing new completed
]


@pytest.mark.parametrize(("before", "after", "kinds"), TRANSITIONS)
def test_one_transition(before: Torrent, after: Torrent, kinds: list[str]) -> None:
    events = torrent_events({before.id: before}, Delta(changed=[after], changed_fields={after.id: frozenset()}))
    assert [e.kind.value for e in events] == kinds
    assert all(e.id == "a" and e.name == "name-a" for e in events)


def test_added_removed_and_errored_at_once() -> None:
    gone = _t("gone")
    events = torrent_events(
        {"gone": gone}, Delta(added=[_t("new"), _t("bad", state=S.ERROR, error="tracker")], removed=["gone", "x"])
    )
    assert events == [
        TorrentEvent(kind=TorrentEventKind.ADDED, id="new", name="name-new"),
        TorrentEvent(kind=TorrentEventKind.ADDED, id="bad", name="name-bad"),
        TorrentEvent(kind=TorrentEventKind.ERRORED, id="bad", name="name-bad", error="tracker"),
        TorrentEvent(kind=TorrentEventKind.REMOVED, id="gone", name="name-gone"),
        TorrentEvent(kind=TorrentEventKind.REMOVED, id="x", name=None),  # never seen: no name to give
    ]


def test_the_tracker_reports_events_after_its_first_poll_only() -> None:
    tracker = DeltaTracker()
    first = tracker.apply(Changes([_t("a"), _t("b", state=S.ERROR)]))
    assert len(first.added) == 2 and first.events == []  # the baseline tells nothing new
    second = tracker.apply(Changes([_t("a", state=S.SEEDING, progress=1.0), _t("c")]))
    assert [(e.kind.value, e.id) for e in second.events] == [("added", "c"), ("completed", "a"), ("removed", "b")]
    assert tracker.apply(Changes([_t("a", state=S.SEEDING, progress=1.0), _t("c")])).events == []
    tracker.reset()
    assert tracker.apply(Changes([_t("z")])).events == []  # a new baseline
