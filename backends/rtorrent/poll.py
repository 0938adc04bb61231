"""Lighter steady polls for rTorrent: one ``d.multicall2`` of the fields that change, the rest remembered.

rTorrent has no delta listing, and each value of an XML-RPC row costs its own ``<value>`` wrapper,
so what changes is asked as ONE string per torrent: ``cat=$d.state=,"\t",$d.is_active=,...``
(rTorrent 0.9.8 joins the values with the quoted tab; an unquoted one is dropped as blank). The texts
among them (message, label, directory: 0.9.8 takes ``d.directory.set`` on a started torrent) are read
exactly when the string splits into as many parts as asked; one holding a tab makes its torrent read in
full. The fields that stay (name, multi-file, load date, finish date, trackers) come from the last full
row, and are read again for a torrent that is new, still a magnet, or whose flags moved: its name appears
with metadata (0.9.8 has no ``d.name.set``), its finish date with completion. The trackers move on their
own: another program adds one (``d.tracker.insert``) or switches one off or on, and rTorrent puts a tracker
that answers first in its tier (libtorrent's ``TrackerList::promote``). So the joined string also carries
each tracker's enabled flag and the sum of their successful announces, and a torrent whose ones moved is
read again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from enunclic.plugin import ProtocolError, as_int

from .mapping import TORRENT_KEYS, tracker_entries

__all__ = [
    "LIGHT_FIELDS",
    "LIGHT_NUMBERS",
    "LIGHT_TEXTS",
    "TRACKER_SIGNALS",
    "PollState",
    "full_row",
    "light_row",
    "row_values",
    "tracker_signals",
]

#: The numbers that change between polls, then the texts; joined by rTorrent into one string per torrent.
LIGHT_NUMBERS: Final[tuple[str, ...]] = (
    "d.state",
    "d.is_active",
    "d.is_open",
    "d.complete",
    "d.is_hash_checking",
    "d.is_meta",
    "d.size_bytes",
    "d.completed_bytes",
    "d.left_bytes",
    "d.up.total",
    "d.down.rate",
    "d.up.rate",
    "d.peers_connected",
    "d.peers_complete",
)
LIGHT_TEXTS: Final[tuple[str, ...]] = ("d.message", "d.custom1", "d.directory")
#: The trackers' state, between the numbers and the texts: each tracker's enabled flag (the digits
#: joined, so their count too) and the sum of their successful announces (each promotion adds one).
TRACKER_SIGNALS: Final[tuple[tuple[str, str], ...]] = (
    ("trackers.enabled", "(t.multicall,,t.is_enabled=)"),
    ("trackers.announced", "(math.add,(t.multicall,,t.success_counter=))"),
)
_TRACKER_KEYS: Final = tuple(key for key, _ in TRACKER_SIGNALS)
#: What a change of these says: the remembered fields may be stale (see the module docstring).
STATIC_SIGNALS: Final[tuple[str, ...]] = ("d.state", "d.is_open", "d.complete", "d.is_meta", "d.size_bytes")
_SEPARATOR: Final = "\t"
#: One steady-poll row: the hash, and everything that changes as one joined string.
LIGHT_FIELDS: Final[tuple[str, ...]] = (
    "d.hash=",
    "cat="
    + f',"{_SEPARATOR}",'.join(
        [
            *(f"${name}=" for name in LIGHT_NUMBERS),
            *(command for _, command in TRACKER_SIGNALS),
            *(f"${name}=" for name in LIGHT_TEXTS),
        ]
    ),
)
_WIDTH: Final = len(LIGHT_NUMBERS) + len(TRACKER_SIGNALS) + len(LIGHT_TEXTS)


def light_row(values: Any) -> tuple[str, dict[str, Any] | None]:
    """One steady-poll row -> (upper-case hash, the fields it carries); None for the fields when the
    joined string does not split as asked (a text holding a tab): that torrent is read in full."""
    if not isinstance(values, list) or len(values) != len(LIGHT_FIELDS):
        raise ProtocolError("rTorrent answered a steady-poll row of the wrong shape")
    info_hash, joined = values
    if not isinstance(info_hash, str) or not isinstance(joined, str):
        raise ProtocolError("rTorrent answered a steady-poll row of the wrong shape")
    parts = joined.split(_SEPARATOR)
    if len(parts) != _WIDTH:
        return info_hash.upper(), None
    count = len(LIGHT_NUMBERS)
    numbers, (enabled, announced) = parts[:count], parts[count : count + len(TRACKER_SIGNALS)]
    if not all(p.lstrip("-").isdigit() for p in numbers) or enabled.strip("01") or not announced.isdigit():
        return info_hash.upper(), None
    row: dict[str, Any] = dict(zip(LIGHT_NUMBERS, map(int, numbers), strict=True))
    row.update(zip(_TRACKER_KEYS, (enabled, int(announced)), strict=True))
    row.update(zip(LIGHT_TEXTS, parts[count + len(TRACKER_SIGNALS) :], strict=True))
    return info_hash.upper(), row


def tracker_signals(trackers: Any) -> tuple[str, int]:
    """What :data:`TRACKER_SIGNALS` says of a row's trackers (as ``to_torrent`` reads them)."""
    entries = tracker_entries(trackers)
    return "".join("1" if enabled else "0" for enabled, _, _ in entries), sum(count for _, count, _ in entries)


def row_values(row: Mapping[str, Any]) -> list[Any]:
    """A remembered row in :data:`~.mapping.TORRENT_FIELDS` order, as ``to_torrent`` reads it."""
    return [row[key] for key in TORRENT_KEYS]


def full_row(values: Sequence[Any]) -> dict[str, Any]:
    """A full listing row (in :data:`~.mapping.TORRENT_FIELDS` order) as a dict to remember, with the
    tracker signals its trackers give."""
    row = dict(zip(TORRENT_KEYS, values, strict=True))
    row.update(zip(_TRACKER_KEYS, tracker_signals(row["trackers"]), strict=True))
    return row


@dataclass
class PollState:
    """What the steady polls of one client remember."""

    polls: int = 0
    #: Upper-case hash -> the last full row, updated by every poll.
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    def stale(self, info_hash: str, light: Mapping[str, Any] | None) -> bool:
        """Whether ``info_hash`` must be read in full instead of ``light`` merged into what is remembered."""
        known = self.rows.get(info_hash)
        if known is None or light is None or as_int(known["d.is_meta"]) == 1:
            return True
        return any(as_int(known[k]) != light[k] for k in STATIC_SIGNALS) or any(
            known[k] != light[k] for k in _TRACKER_KEYS
        )
