"""Helpers every backend needs, written once: ids, partial failures, units and limits, numbers, waiting.

Each has one meaning under one name, so that a backend folder holds only its API's
meaning. Plugin authors reach them through :mod:`enunclic.plugin`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import httpx

from .convert import as_datetime, as_float, as_int
from .exceptions import EnunclicError, InvalidInputError, PartialFailureError, TorrentNotFoundError
from .flows import MAX_WAIT, Flow, Wait
from .sources import MagnetLink, TorrentFileData, parse_magnet, parse_torrent_file

__all__ = [
    "BYTES",
    "KIB",
    "Rate",
    "as_datetime",
    "as_float",
    "as_int",
    "fetch_torrent",
    "info_hash_id",
    "info_hash_ids",
    "is_info_hash",
    "raise_failures",
    "read_count",
    "read_size",
    "until",
]

_HEX40: Final = re.compile(r"[0-9a-fA-F]{40}")


# -- ids ------------------------------------------------------------------------------------------


def is_info_hash(value: object) -> bool:
    """True for 40 hex digits, either case (a BitTorrent v1 info-hash)."""
    return isinstance(value, str) and _HEX40.fullmatch(value) is not None


def info_hash_ids(ids: Sequence[str]) -> tuple[dict[str, str], dict[str, EnunclicError]]:
    """The bulk form of :func:`info_hash_id`: each usable id lower-cased (mapped to the caller's id),
    and a not-found error for each id that cannot name a torrent, ready for :func:`raise_failures`."""
    usable: dict[str, str] = {}
    failures: dict[str, EnunclicError] = {}
    for torrent_id in ids:
        if is_info_hash(torrent_id):
            usable.setdefault(torrent_id.lower(), torrent_id)
        else:
            failures[torrent_id] = TorrentNotFoundError(f"no torrent with id {torrent_id!r} (ids here are info-hashes)")
    return usable, failures


def info_hash_id(torrent_id: str) -> str:
    """An id that must be an info-hash, lower-cased; anything else names no torrent on the server.

    For servers whose torrent ids are info-hashes: a malformed id is answered without a
    request, as the server would (``TorrentNotFoundError``).
    """
    if not is_info_hash(torrent_id):
        raise TorrentNotFoundError(f"no torrent with id {torrent_id!r} (ids here are 40-hex info-hashes)")
    return torrent_id.lower()


# -- bulk operations ------------------------------------------------------------------------------


def raise_failures(ids: Sequence[str], failures: Mapping[str, EnunclicError], operation: str) -> None:
    """Report a bulk operation's failures: none, the error itself when it was the only id, else a partial failure.

    ``failures`` maps each failed id to its error; the ids not in it succeeded.
    """
    if not failures:
        return
    if len(ids) == 1 and len(failures) == 1:
        raise next(iter(failures.values()))
    done = len(ids) - len(failures)
    raise PartialFailureError(
        f"{operation} failed for {len(failures)} of {len(ids)} torrents ({done} done)",
        failures,
        operation=operation,
    )


# -- numbers ------------------------------------------------------------------------------------------


def read_size(value: Any) -> int:
    """A byte count or speed that must not be negative: bad, missing or negative values read 0."""
    return max(as_int(value), 0)


def read_count(value: Any) -> int | None:
    """A count a server may not know: a non-negative int, or None for negative, missing or bad values."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = as_int(value, -1)
    return number if number >= 0 else None


@dataclass(frozen=True)
class Rate:
    """How a server writes a speed limit: its unit, and which native value means "no limit".

    ``unlimited`` is what :meth:`to_native` sends for no limit; ``unlimited_at_or_below``
    says which native values read back as no limit (0 and below for most servers, where a
    zero limit would stop all traffic and no server means that).
    """

    #: Bytes per native unit (1 for bytes/s, 1024 for KiB/s).
    unit: int
    #: The native value written for "no limit".
    unlimited: float = 0
    #: Native values at or below this read as "no limit".
    unlimited_at_or_below: float = 0
    #: The smallest native value a non-zero limit is sent as (0 for servers that take any fraction).
    smallest: float = 1

    def to_native(self, limit: int | None) -> int | float:
        """Bytes/s (None: no limit) -> the native value; whole units are sent as ints."""
        if limit is None:
            return self.unlimited
        native = limit / self.unit
        if limit and native < self.smallest:
            native = self.smallest  # a tiny limit stays a limit: it never reads back as "none"
        return int(native) if float(native).is_integer() else native

    def from_native(self, value: Any) -> int | None:
        """The native value -> bytes/s, None for no limit (or an unreadable value)."""
        number = as_float(value, math.nan)
        if math.isnan(number) or number <= self.unlimited_at_or_below:
            return None
        return round(number * self.unit)


#: Limits in bytes/s, 0 or less for none.
BYTES: Final = Rate(unit=1)
#: Limits in KiB/s, 0 or less for none.
KIB: Final = Rate(unit=1024)


# -- waiting for a server ------------------------------------------------------------------------------


def until(check: Callable[[], Flow[bool]], *, every: float = 0.2, within: float = 10.0) -> Flow[bool]:
    """Run the flow ``check()`` until it returns True, pausing ``every`` seconds between tries.

    Returns False when ``within`` seconds of pauses went by without it: the caller decides
    whether that is an error. For servers that apply a command after they answer it.
    """
    if not 0 < every <= MAX_WAIT:
        raise ValueError(f"every must be within (0, {MAX_WAIT}] seconds")
    waited = 0.0
    while True:
        if (yield from check()):
            return True
        if waited >= within:
            return False
        yield Wait(every)
        waited += every


# -- a .torrent the server cannot fetch itself ----------------------------------------------------------


#: Redirects followed when fetching a .torrent (a tracker's download link usually takes one or two).
MAX_REDIRECTS: Final = 5


def fetch_torrent(url: str) -> Flow[TorrentFileData | MagnetLink]:
    """Download the .torrent at ``url`` for ``add()``, for servers that take only uploads.

    The request goes to another site than the backend's, so it carries no credentials and its
    status is read here: redirects are followed (one to a magnet link gives that magnet), any
    other failure is an ``InvalidInputError``, and the bytes are checked as a .torrent file.
    """
    for _ in range(MAX_REDIRECTS):
        response: httpx.Response = yield httpx.Request("GET", url)
        if response.is_redirect:
            url = str(response.url.join(response.headers["location"]))
            if url.lower().startswith("magnet:"):
                return parse_magnet(url)
            continue
        if not response.is_success:
            raise InvalidInputError(f"could not download the .torrent (HTTP {response.status_code})")
        name = url.rsplit("/", 1)[-1].split("?", 1)[0] or "download.torrent"
        return parse_torrent_file(response.content, filename=name)
    raise InvalidInputError("too many redirects while downloading the .torrent")
