"""The backend contract as data: every operation, what it needs, whether it may be retried.

One table drives the client facades (capability gate, retries, empty bulk calls), the
check a backend class passes when it is registered, and the contract suite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from .capabilities import Capability

__all__ = ["OPERATIONS", "REQUIRED", "Operation", "missing_operations"]


@dataclass(frozen=True)
class Operation:
    """One operation of the contract: a ``Client`` verb and the ``Backend`` flow of the same name."""

    name: str
    #: What the backend must declare (and the server report) for the operation; None: every backend.
    capability: Capability | None = None
    #: A read: sending it twice changes nothing, so a transport failure is retried.
    read: bool = False
    #: Takes many ids: an empty list is answered without a request.
    bulk: bool = False
    #: Every backend implements it: a backend class without it is refused at registration.
    required: bool = False
    #: Changes torrent rows: a watcher polls again at once after it succeeds.
    refresh: bool = False
    #: ``Backend`` has a generic flow for it, built on others: a backend writes it only to do better.
    generic: bool = False


def _table(*operations: Operation) -> Mapping[str, Operation]:
    return {operation.name: operation for operation in operations}


#: Every operation of the contract, by name.
OPERATIONS: Final[Mapping[str, Operation]] = _table(
    Operation("info", read=True, required=True),
    Operation("torrents", read=True, required=True),
    Operation("torrent", read=True),
    Operation("poll", read=True),
    Operation("add", required=True, refresh=True),
    Operation("pause", bulk=True, required=True, refresh=True),
    Operation("resume", bulk=True, required=True, refresh=True),
    Operation("remove", bulk=True, required=True, refresh=True),
    Operation("files", Capability.FILES, read=True),
    Operation("trackers", Capability.TRACKERS, read=True),
    Operation("peers", Capability.PEERS, read=True),
    Operation("recheck", Capability.RECHECK, bulk=True, refresh=True),
    Operation("reannounce", Capability.REANNOUNCE, bulk=True),
    Operation("set_label", Capability.LABELS, bulk=True, refresh=True),
    Operation("move", Capability.MOVE, bulk=True, refresh=True),
    Operation("set_file_priority", Capability.FILE_PRIORITY, refresh=True),
    Operation("set_torrent_limits", Capability.TORRENT_LIMITS, bulk=True, refresh=True),
    Operation("set_limits", Capability.GLOBAL_LIMITS),
    Operation("queue_move", Capability.QUEUE, bulk=True, refresh=True),
    Operation("stats", Capability.STATS, read=True),
    Operation("labels", Capability.LABELS, read=True, generic=True),
    Operation("pause_all", refresh=True, generic=True),
    Operation("resume_all", refresh=True, generic=True),
    Operation("force_start", Capability.FORCE_START, bulk=True, refresh=True),
    Operation("set_sequential", Capability.SEQUENTIAL, bulk=True, refresh=True),
    Operation("set_first_last_piece", Capability.FIRST_LAST_PIECE, bulk=True, refresh=True),
    Operation("set_ratio_limit", Capability.RATIO_LIMIT, bulk=True, refresh=True),
    Operation("set_alt_speed", Capability.ALT_SPEED),
)

#: The operations every backend implements.
REQUIRED: Final[tuple[str, ...]] = tuple(name for name, operation in OPERATIONS.items() if operation.required)


def missing_operations(backend: type, base: type) -> list[str]:
    """The flows ``backend`` must write and does not: the required ones, and those of each declared capability.

    A flow counts as written when the class defines it instead of inheriting ``base``'s.
    """
    declared: frozenset[Capability] = getattr(backend, "capabilities", frozenset())
    return [
        name
        for name, operation in OPERATIONS.items()
        if (operation.required or (operation.capability is not None and operation.capability in declared))
        and not operation.generic
        and getattr(backend, name, None) is getattr(base, name, None)
    ]
