"""The delta property on the memory backend (sync and async): patched snapshot == fresh list, every step."""

from __future__ import annotations

import random
from typing import Any

import pytest
from enunclic_memory import MemoryServer

from enunclic import Delta, Torrent, TorrentState
from enunclic.testing.deltas import check_delta_convergence, check_delta_exact

from .memory_mutations import mutate


@pytest.mark.parametrize("seed", range(6))
def test_applying_every_delta_equals_a_fresh_list(memory_client: Any, memory_server: MemoryServer, seed: int) -> None:
    stats = check_delta_convergence(memory_client, lambda rng: mutate(memory_server, rng), steps=30, seed=seed)
    assert stats.steps == 30
    # The run really exercised every kind of change, so the property was not vacuous.
    assert stats.added > 0
    assert stats.changed > 0
    assert stats.removed > 0
    assert {"state", "native_state"} <= stats.fields


def test_check_fails_when_a_delta_is_lost(memory_client: Any, memory_server: MemoryServer) -> None:
    """The helper must catch a backend whose poll forgets a change."""
    rng = random.Random(1)  # noqa: S311 - test data
    original = memory_client.poll
    calls = {"n": 0}

    def lossy_poll() -> Delta:
        delta = original()
        calls["n"] += 1
        return Delta() if calls["n"] == 3 else delta

    class Lossy:
        poll = staticmethod(lossy_poll)
        torrents = staticmethod(memory_client.torrents)

    with pytest.raises(AssertionError, match="after step 2"):
        check_delta_convergence(Lossy(), lambda r: mutate(memory_server, r), steps=10, seed=rng.randint(0, 99))


def _torrent(tid: str, **fields: Any) -> Torrent:
    base: dict[str, Any] = {"id": tid, "name": tid, "state": TorrentState.SEEDING, "native_state": "seeding",
                            "progress": 1.0}
    return Torrent(**{**base, **fields})


def test_check_exact_rejects_a_wrong_field_list() -> None:
    old = _torrent("a")
    new = _torrent("a", label="x", size=5)
    with pytest.raises(AssertionError, match="listed"):
        check_delta_exact({"a": old}, Delta(changed=[new], changed_fields={"a": frozenset({"label"})}))
    with pytest.raises(AssertionError, match="no field differs"):
        check_delta_exact({"a": old}, Delta(changed=[old], changed_fields={"a": frozenset()}))
    with pytest.raises(AssertionError, match="already there"):
        check_delta_exact({"a": old}, Delta(added=[old]))
    with pytest.raises(AssertionError, match="was not there"):
        check_delta_exact({}, Delta(removed=["a"]))
    check_delta_exact({"a": old}, Delta(changed=[new], changed_fields={"a": frozenset({"label", "size"})}))
