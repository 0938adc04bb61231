"""Steps the contract cases share: wait for a lagging server, add a torrent and wait for it, and prove that
an operation whose capability the server lacks fails before any request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

from enunclic import Capability, FilePriority, NotSupportedError, Torrent, TorrentNotFoundError, TorrentState

from ..bencode import encode
from .target import ContractTarget, TestTorrent

__all__ = ["GATED_CALLS", "STOPPED", "add_made", "eventually", "lacks"]

T = TypeVar("T")

#: What a stopped torrent shows: paused, or completed (a server may show a finished, stopped torrent so).
STOPPED = frozenset({TorrentState.PAUSED, TorrentState.COMPLETED})

#: A .torrent the core accepts, for an add() that must fail before any request: one file of one byte.
_GATE_TORRENT = encode({b"info": {b"name": b"gate.bin", b"length": 1, b"piece length": 16384, b"pieces": bytes(20)}})

#: How each capability-gated operation is called in the "raises before any request" test.
GATED_CALLS: dict[Capability, Callable[[Any, str], object]] = {
    Capability.FILES: lambda c, tid: c.files(tid),
    Capability.TRACKERS: lambda c, tid: c.trackers(tid),
    Capability.PEERS: lambda c, tid: c.peers(tid),
    Capability.RECHECK: lambda c, tid: c.recheck(tid),
    Capability.REANNOUNCE: lambda c, tid: c.reannounce(tid),
    Capability.LABELS: lambda c, tid: c.set_label(tid, "x"),
    Capability.MOVE: lambda c, tid: c.move(tid, "elsewhere"),
    Capability.FILE_PRIORITY: lambda c, tid: c.set_file_priority(tid, [0], FilePriority.SKIP),
    Capability.TORRENT_LIMITS: lambda c, tid: c.set_torrent_limits(tid, download=1024),
    Capability.GLOBAL_LIMITS: lambda c, tid: c.set_limits(download=1024),
    Capability.QUEUE: lambda c, tid: c.queue_move(tid, "top"),
    Capability.STATS: lambda c, tid: c.stats(),
    Capability.REMOVE_WITH_DATA: lambda c, tid: c.remove(tid, delete_data=True),
    Capability.RATIO_LIMIT: lambda c, tid: c.set_ratio_limit(tid, 2.0),
    Capability.FORCE_START: lambda c, tid: c.force_start(tid),
    Capability.SEQUENTIAL: lambda c, tid: c.set_sequential(tid, True),
    Capability.FIRST_LAST_PIECE: lambda c, tid: c.set_first_last_piece(tid, True),
    Capability.ALT_SPEED: lambda c, tid: c.set_alt_speed(True),
    Capability.ADD_SKIP_CHECK: lambda c, tid: c.add(_GATE_TORRENT, skip_check=True),
    Capability.ADD_RENAME: lambda c, tid: c.add(_GATE_TORRENT, rename="gate"),
    Capability.ADD_FILE_SELECTION: lambda c, tid: c.add(_GATE_TORRENT, wanted_files=[0]),
    Capability.ADD_LIMITS: lambda c, tid: c.add(_GATE_TORRENT, download_limit=1024),
}


def eventually(check: Callable[[], T], timeout: float, interval: float = 0.1) -> T:
    """Call ``check`` until it returns a truthy value without raising AssertionError; return that value."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
            failure: str = f"still false after {timeout}s: {result!r}"
        except (AssertionError, TorrentNotFoundError) as exc:
            failure = f"still failing after {timeout}s: {exc}"
        if time.monotonic() >= deadline:
            raise AssertionError(failure)
        time.sleep(interval)


def add_made(client: Any, target: ContractTarget, made: TestTorrent, **options: Any) -> Torrent:
    """Add ``made`` with ``options`` and return the torrent once the server lists it; it must be new."""
    added = client.add(made.content, **options)
    assert added.info_hash in (None, made.info_hash)
    assert added.duplicate is False, "a torrent the server did not have is reported as a duplicate"
    torrent: Torrent = eventually(lambda: client.torrent(added.id), target.settle_timeout)
    return torrent


def lacks(client: Any, capabilities: frozenset[Capability], *needed: Capability) -> bool:
    """True when the server lacks one of ``needed``, after proving each missing one fails before any request.

    A test whose capability is missing thus still checks something real instead of being skipped.
    """
    missing = [c for c in needed if c not in capabilities]
    before = client.requests_sent
    for capability in missing:
        call = GATED_CALLS.get(capability)
        if call is not None:
            with pytest.raises(NotSupportedError):
                call(client, "some-id")
    assert client.requests_sent == before
    return bool(missing)
