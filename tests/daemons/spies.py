"""Watching enunclic's internals from a real-daemon test, without changing what they do."""

from __future__ import annotations

from typing import Any

import pytest

import enunclic
from enunclic import TorrentState
from enunclic.compiled import CompiledModel
from enunclic.testing.contract import eventually

__all__ = ["check_one_pass_listing", "record_one_pass", "same_listing"]


def record_one_pass(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every one-pass listing read from now on: its torrents, or None when it fell back."""
    results: list[Any] = []
    original = CompiledModel.many_json

    def spy(self: CompiledModel[Any], *args: Any, **kwargs: Any) -> Any:
        found = original(self, *args, **kwargs)
        results.append(found)
        return found

    monkeypatch.setattr(CompiledModel, "many_json", spy)
    return results


#: Fields of a stopped torrent that do not move between two reads a moment apart.
_STABLE = ("id", "info_hash", "name", "state", "native_state", "size", "label", "destination", "added_at")


def same_listing(listed: Any, one: Any) -> bool:
    """A torrent read by the one-pass listing equals the same torrent read alone (the ordinary path)."""
    return all(getattr(listed, name) == getattr(one, name) for name in _STABLE)


def check_one_pass_listing(client: enunclic.Client, content: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """Add a stopped torrent with a label; the daemon's real listing must be read in one pass, not by
    fallback, and agree with reading that torrent alone."""
    added = client.add(content, paused=True, label="onepass")
    eventually(lambda: client.torrent(added.id).state in (TorrentState.PAUSED, TorrentState.COMPLETED), 15.0)
    reads = record_one_pass(monkeypatch)
    listed = {t.id: t for t in client.torrents()}
    assert reads and all(found is not None for found in reads)
    assert same_listing(listed[added.id], client.torrent(added.id))
    assert listed[added.id].label == "onepass"
    client.remove([added.id], delete_data=True)
