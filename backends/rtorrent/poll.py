"""Lighter steady polls for rTorrent: one ``d.multicall2`` of the fields that change, the rest remembered.

rTorrent has no delta listing, and each value of an XML-RPC row costs its own ``<value>`` wrapper,
so what changes is asked as ONE string per torrent: ``cat=$d.state=,"\t",$d.is_active=,...``
(rTorrent 0.9.8 joins the values with the quoted tab; an unquoted one is dropped as blank). The texts
among them (message, label, directory: 0.9.8 takes ``d.directory.set`` on a started torrent) are read
exactly when the string splits into as many parts as asked; one holding a tab makes its torrent read in
full. The fields that stay (name, multi-file, load date, finish date) come from the last full row, and
are read again for a torrent that is new, still a magnet, or whose flags moved: its name appears with
metadata (0.9.8 has no ``d.name.set``), its finish date with completion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from enunclic.plugin import ProtocolError, as_int

from .mapping import TORRENT_FIELDS

__all__ = ["LIGHT_FIELDS", "LIGHT_NUMBERS", "LIGHT_TEXTS", "PollState", "full_row", "light_row", "row_values"]

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
#: What a change of these says: the remembered fields may be stale (see the module docstring).
STATIC_SIGNALS: Final[tuple[str, ...]] = ("d.state", "d.is_open", "d.complete", "d.is_meta", "d.size_bytes")
_SEPARATOR: Final = "\t"
#: One steady-poll row: the hash, and everything that changes as one joined string.
LIGHT_FIELDS: Final[tuple[str, ...]] = (
    "d.hash=",
    "cat=" + f',"{_SEPARATOR}",'.join(f"${name}=" for name in (*LIGHT_NUMBERS, *LIGHT_TEXTS)),
)
_KEYS: Final = tuple(name.rstrip("=") for name in TORRENT_FIELDS)


def light_row(values: Any) -> tuple[str, dict[str, Any] | None]:
    """One steady-poll row -> (upper-case hash, the fields it carries); None for the fields when the
    joined string does not split as asked (a text holding a tab): that torrent is read in full."""
    if not isinstance(values, list) or len(values) != len(LIGHT_FIELDS):
        raise ProtocolError("rTorrent answered a steady-poll row of the wrong shape")
    info_hash, joined = values
    if not isinstance(info_hash, str) or not isinstance(joined, str):
        raise ProtocolError("rTorrent answered a steady-poll row of the wrong shape")
    parts = joined.split(_SEPARATOR)
    numbers = parts[: len(LIGHT_NUMBERS)]
    if len(parts) != len(LIGHT_NUMBERS) + len(LIGHT_TEXTS) or not all(p.lstrip("-").isdigit() for p in numbers):
        return info_hash.upper(), None
    row: dict[str, Any] = dict(zip(LIGHT_NUMBERS, map(int, numbers), strict=True))
    row.update(zip(LIGHT_TEXTS, parts[len(LIGHT_NUMBERS) :], strict=True))
    return info_hash.upper(), row


def row_values(row: Mapping[str, Any]) -> list[Any]:
    """A remembered row in :data:`TORRENT_FIELDS` order, as ``to_torrent`` reads it."""
    return [row[key] for key in _KEYS]


def full_row(values: Sequence[Any]) -> dict[str, Any]:
    """A full listing row (in :data:`TORRENT_FIELDS` order) as a dict to remember."""
    return dict(zip(_KEYS, values, strict=True))


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
        return any(as_int(known[k]) != light[k] for k in STATIC_SIGNALS)
