"""Lighter steady polls for Deluge: ``web.update_ui`` with the keys that change, the rest remembered.

deluge-web has no delta listing (its ``diff`` flag of ``core.get_torrents_status`` keeps one
previous status per daemon session, which deluge-web's own session proxy shares: unusable here),
so a steady poll leaves out the keys that stay: the name, the dates added and completed, the main
tracker's host. They come from the last full status, and are read again for a torrent that is new,
waiting for metadata (its name and size come with it), or whose state or finished flag moved (its
completion date comes with those). Label, location, limits and queue position stay in every poll:
another client changes them without touching the rest (the delta tests move and label that way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from .mapping import TORRENT_KEYS

__all__ = ["LIGHT_KEYS", "STATIC_KEYS", "PollState"]

#: Keys a steady poll leaves out (``hash`` is the key of each status anyway).
STATIC_KEYS: Final[tuple[str, ...]] = ("hash", "name", "time_added", "completed_time", "tracker_host")
LIGHT_KEYS: Final[tuple[str, ...]] = tuple(k for k in TORRENT_KEYS if k not in STATIC_KEYS)
#: A change of these says the remembered keys may be stale.
_SIGNALS: Final[tuple[str, ...]] = ("state", "is_finished", "total_wanted")


@dataclass
class PollState:
    """What the steady polls of one client remember."""

    polls: int = 0
    #: Info-hash -> the last full status (every key of ``TORRENT_KEYS`` the server answered).
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)

    def stale(self, info_hash: str, light: Mapping[str, Any]) -> bool:
        """Whether ``info_hash`` must be read in full instead of ``light`` merged into what is remembered."""
        known = self.statuses.get(info_hash)
        if known is None or not known.get("total_wanted"):
            return True
        return any(known.get(key) != light.get(key) for key in _SIGNALS)
