"""What a backend can do, declared as data and checked by the core before any request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .states import _StrEnum

if TYPE_CHECKING:
    from .backend import Backend

__all__ = ["Capability", "capability_matrix"]


class Capability(_StrEnum):
    """One thing a backend can do; reported in ``ServerInfo.capabilities``."""

    ADD_MAGNET = "add_magnet"
    ADD_URL = "add_url"
    ADD_FILE = "add_file"
    REMOVE_WITH_DATA = "remove_with_data"
    RECHECK = "recheck"
    REANNOUNCE = "reannounce"
    LABELS = "labels"
    MOVE = "move"
    FILES = "files"
    FILE_PRIORITY = "file_priority"
    TRACKERS = "trackers"
    PEERS = "peers"
    TORRENT_LIMITS = "torrent_limits"
    GLOBAL_LIMITS = "global_limits"
    QUEUE = "queue"
    STATS = "stats"
    NATIVE_DELTA = "native_delta"
    RATIO_LIMIT = "ratio_limit"
    FORCE_START = "force_start"
    SEQUENTIAL = "sequential"
    FIRST_LAST_PIECE = "first_last_piece"
    ALT_SPEED = "alt_speed"
    ADD_SKIP_CHECK = "add_skip_check"
    ADD_RENAME = "add_rename"
    ADD_FILE_SELECTION = "add_file_selection"
    ADD_LIMITS = "add_limits"


def capability_matrix(backends: Mapping[str, type[Backend]]) -> str:
    """A Markdown table: one row per capability, one column per backend (what a backend can ever do).

    A server may report less (an old version, a missing plugin): ``info().capabilities`` is authoritative.
    """
    names = sorted(backends)
    header = "| Capability | " + " | ".join(f"`{n}`" for n in names) + " |"
    rule = "|---|" + "---|" * len(names)
    rows = [
        f"| `{c.value}` | " + " | ".join("yes" if c in backends[n].capabilities else "-" for n in names) + " |"
        for c in Capability
    ]
    return "\n".join([header, rule, *rows])
