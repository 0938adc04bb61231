"""The contract cases of what a GUI does beyond the basics (Electorrent's actions): switches, limits, labels,
everything at once, and the options of add(). Each runs when the server reports its capability; otherwise
it proves the operation fails before any request. ``ContractSuite`` holds them all."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from enunclic import Capability, Torrent, TorrentState

from .steps import STOPPED, add_made, eventually, lacks
from .target import ContractTarget

__all__ = ["ActionCases"]

#: A per-torrent limit in bytes/s that servers counting in KiB/s and in kB/s both carry exactly.
_DOWNLOAD_LIMIT = 1_024_000
_UPLOAD_LIMIT = 512_000
#: A seeding ratio limit every server carries exactly.
_RATIO = 1.5


class ActionCases:
    """Cases for ``force_start``, the switches, ratio limits, alt speed, ``labels()``, pause/resume all and
    the add options (mixed into :class:`~enunclic.testing.contract.ContractSuite`)."""

    def test_sequential_is_a_switch(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.SEQUENTIAL):
            return
        torrent = _add(client, contract_target, "contract-sequential.bin")
        _switch_round_trip(client, contract_target, torrent, "sequential", client.set_sequential)

    def test_first_last_piece_is_a_switch(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.FIRST_LAST_PIECE):
            return
        torrent = _add(client, contract_target, "contract-first-last.bin")
        _switch_round_trip(client, contract_target, torrent, "first_last_piece", client.set_first_last_piece)

    def test_force_start_starts_a_paused_torrent(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.FORCE_START):
            return
        torrent = _add(client, contract_target, "contract-force.bin")
        client.pause(torrent.id)
        eventually(lambda: client.torrent(torrent.id).state in STOPPED, contract_target.settle_timeout)
        client.force_start(torrent.id)
        eventually(lambda: client.torrent(torrent.id).state not in STOPPED, contract_target.settle_timeout)

    def test_ratio_limit_round_trip(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.RATIO_LIMIT):
            return
        torrent = _add(client, contract_target, "contract-ratio.bin")
        listed = "ratio_limit" not in contract_target.unlisted
        client.set_ratio_limit(torrent.id, _RATIO)
        if listed:
            eventually(partial(_listed_as, client, torrent, "ratio_limit", _RATIO), contract_target.settle_timeout)
        client.set_ratio_limit([torrent.id], None)  # back to none of its own
        if listed:
            eventually(partial(_listed_as, client, torrent, "ratio_limit", None), contract_target.settle_timeout)

    def test_alt_speed_round_trip(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.ALT_SPEED):
            return
        original = client.stats().alt_speed if Capability.STATS in capabilities else None

        def alt_speed_is(enabled: bool) -> bool:
            now = client.stats().alt_speed
            assert now is enabled, f"stats().alt_speed is {now}, not {enabled}"
            return True

        # Switched away from the server's setting, then back (an unknown setting ends off).
        for enabled in (not original, bool(original)):
            client.set_alt_speed(enabled)
            if original is not None:
                eventually(partial(alt_speed_is, enabled), contract_target.settle_timeout)

    def test_labels_lists_a_label_a_torrent_carries(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.LABELS):
            return
        torrent = _add(client, contract_target, "contract-labels.bin")
        client.set_label(torrent.id, "contract-listed")

        def listed() -> list[str]:
            labels: list[str] = client.labels()
            assert "contract-listed" in labels, f"labels() is {labels}"
            return labels

        labels = eventually(listed, contract_target.settle_timeout)
        assert labels == sorted(labels), "labels() is sorted"

    def test_pause_all_and_resume_all_act_on_every_torrent(self, client: Any, contract_target: ContractTarget) -> None:
        ids = [_add(client, contract_target, f"contract-all-{i}.bin").id for i in range(2)]
        client.pause_all()
        eventually(lambda: _states(client, ids) <= STOPPED, contract_target.settle_timeout)
        assert sorted(t.id for t in client.torrents()) == sorted(ids), "pause_all() adds or removes nothing"
        # It pauses the torrents, not the server: a torrent added afterwards runs.
        later = _add(client, contract_target, "contract-all-later.bin")
        eventually(lambda: _states(client, [later.id]).isdisjoint(STOPPED), contract_target.settle_timeout)
        client.pause(later.id)
        eventually(lambda: _states(client, [later.id]) <= STOPPED, contract_target.settle_timeout)
        client.resume_all()
        eventually(lambda: _states(client, [*ids, later.id]).isdisjoint(STOPPED), contract_target.settle_timeout)
        assert sorted(t.id for t in client.torrents()) == sorted([*ids, later.id]), (
            "resume_all() adds or removes nothing"
        )

    def test_add_renamed(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.ADD_RENAME):
            return
        torrent = _add(client, contract_target, "contract-rename.bin", rename="contract-renamed")
        eventually(partial(_listed_as, client, torrent, "name", "contract-renamed"), contract_target.settle_timeout)

    def test_add_choosing_files(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.ADD_FILE_SELECTION, Capability.FILES):
            return
        if contract_target.make_multi_torrent is None:
            pytest.skip("the target makes no torrent of several files")
        made = contract_target.make_multi_torrent("contract-choose")
        torrent = add_made(client, contract_target, made, wanted_files=[0, 2])

        def wanted() -> list[bool]:
            files = sorted(client.files(torrent.id), key=lambda f: f.index)
            assert [f.index for f in files] == [0, 1, 2], "a torrent of three files lists three"
            return [f.wanted for f in files]

        eventually(lambda: wanted() == [True, False, True], contract_target.settle_timeout)

    def test_add_with_limits(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.ADD_LIMITS):
            return
        torrent = _add(
            client,
            contract_target,
            "contract-add-limits.bin",
            download_limit=_DOWNLOAD_LIMIT,
            upload_limit=_UPLOAD_LIMIT,
        )
        expected = {"download_limit": _DOWNLOAD_LIMIT, "upload_limit": _UPLOAD_LIMIT}
        for name in sorted(set(expected) - contract_target.unlisted):
            eventually(partial(_listed_as, client, torrent, name, expected[name]), contract_target.settle_timeout)

    def test_add_skipping_the_check(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        """The payload on disk is wrong (same size, other bytes): a check would find it incomplete, so a
        torrent complete at once proves that no check ran."""
        if lacks(client, capabilities, Capability.ADD_SKIP_CHECK):
            return
        made = contract_target.make_torrent("contract-skip-check.bin")
        if made.data_path is None:
            pytest.skip("the target does not say where the payload lies")
        made.data_path.write_bytes(bytes(b ^ 0xFF for b in made.data_path.read_bytes()))
        torrent = add_made(client, contract_target, made, skip_check=True)

        def complete() -> bool:
            now: Torrent = client.torrent(torrent.id)
            assert now.state not in (TorrentState.CHECKING, TorrentState.ERROR), f"{now.state.value}: {now.error}"
            assert now.progress == 1.0, f"progress {now.progress} after adding without a check"
            return True

        eventually(complete, contract_target.settle_timeout)


def _add(client: Any, target: ContractTarget, name: str, **options: Any) -> Torrent:
    """A new torrent of ``name``, added with ``options`` and listed."""
    return add_made(client, target, target.make_torrent(name), **options)


def _listed_as(client: Any, torrent: Torrent, name: str, expected: object) -> bool:
    """True when the server lists field ``name`` of ``torrent`` as ``expected`` now; else an AssertionError
    saying what it lists."""
    listed = getattr(client.torrent(torrent.id), name)
    assert (listed, type(listed)) == (expected, type(expected)), f"{name} is {listed!r}, not {expected!r}"
    return True


def _states(client: Any, ids: list[str]) -> set[TorrentState]:
    """The states the torrents ``ids`` show now."""
    return {client.torrent(i).state for i in ids}


def _switch_round_trip(client: Any, target: ContractTarget, torrent: Torrent, name: str, switch: Any) -> None:
    """Switch ``name`` on twice (a switch, not a toggle), then off; read it back where the listing carries it
    (not None before)."""
    listed = getattr(torrent, name) is not None
    for ids, enabled in ((torrent.id, True), ([torrent.id], True), (torrent.id, False)):
        switch(ids, enabled)
        if listed:
            eventually(partial(_listed_as, client, torrent, name, enabled), target.settle_timeout)
