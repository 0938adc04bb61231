"""The delta engine: exact added/changed/removed and changed_fields, complete and incremental."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from enunclic import Torrent, TorrentState
from enunclic.delta import Changes, DeltaTracker


def _t(tid: str, **fields: object) -> Torrent:
    base: dict[str, object] = {
        "id": tid,
        "name": tid,
        "state": TorrentState.SEEDING,
        "native_state": "x",
        "progress": 1.0,
    }
    return Torrent.model_validate({**base, **fields})


def test_first_poll_reports_everything_added() -> None:
    tracker = DeltaTracker()
    delta = tracker.apply(Changes([_t("a"), _t("b")]))
    assert [t.id for t in delta.added] == ["a", "b"]
    assert delta.changed == [] and delta.removed == [] and delta.changed_fields == {}


def test_changed_fields_are_exact() -> None:
    tracker = DeltaTracker()
    tracker.apply(Changes([_t("a"), _t("b")]))
    delta = tracker.apply(Changes([_t("a", download_speed=5, state=TorrentState.PAUSED), _t("b")]))
    assert [t.id for t in delta.changed] == ["a"]
    assert delta.changed_fields == {"a": frozenset({"download_speed", "state"})}
    assert not delta.added and not delta.removed


def test_complete_snapshot_removes_missing_ids() -> None:
    tracker = DeltaTracker()
    tracker.apply(Changes([_t("a"), _t("b")]))
    assert tracker.apply(Changes([_t("b")])).removed == ["a"]


def test_incremental_changes_keep_untouched_torrents() -> None:
    tracker = DeltaTracker()
    tracker.apply(Changes([_t("a"), _t("b"), _t("c")]))
    delta = tracker.apply(Changes([_t("b", uploaded=9), _t("d")], complete=False, removed=["c", "zz"]))
    assert [t.id for t in delta.added] == ["d"]
    assert delta.changed_fields == {"b": frozenset({"uploaded"})}
    assert delta.removed == ["c"]
    assert set(tracker.snapshot) == {"a", "b", "d"}


snapshots = st.lists(
    st.dictionaries(
        st.sampled_from("abcdef"),
        st.tuples(st.sampled_from(list(TorrentState)), st.integers(0, 3), st.sampled_from([None, "x", "y"])),
        max_size=6,
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=200)
@given(snapshots)
def test_applying_every_delta_rebuilds_the_latest_snapshot(
    sequence: list[dict[str, tuple[TorrentState, int, str | None]]],
) -> None:
    tracker = DeltaTracker()
    mirror: dict[str, Torrent] = {}
    for snapshot in sequence:
        torrents = [_t(k, state=s, download_speed=v, label=lbl) for k, (s, v, lbl) in snapshot.items()]
        delta = tracker.apply(Changes(torrents))
        for torrent in delta.changed:
            old = mirror[torrent.id]
            assert delta.changed_fields[torrent.id] == {
                f for f in Torrent.model_fields if getattr(old, f) != getattr(torrent, f)
            }
        for tid in delta.removed:
            del mirror[tid]
        for torrent in [*delta.added, *delta.changed]:
            mirror[torrent.id] = torrent
        assert mirror == {t.id: t for t in torrents}
