"""Watching enunclic's internals from a real-daemon test, without changing what they do."""

from __future__ import annotations

from typing import Any

import pytest

from enunclic.compiled import CompiledModel

__all__ = ["record_one_pass", "same_listing"]


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
