"""Human units for the command line: sizes and speeds shown in binary units, limits parsed from text.

Everything inside enunclic is bytes and bytes/s; only what a person reads or types is converted,
and ``--json`` output keeps the raw numbers.
"""

from __future__ import annotations

import re

__all__ = ["UNLIMITED_WORDS", "counted", "human_bytes", "human_eta", "human_limit", "parse_rate"]

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB")

#: Suffix (lower case, ``/s`` removed) -> multiplier. k, kb and kib all mean 1024: one binary scale, as shown.
_MULTIPLIERS: dict[str, int] = {
    "": 1,
    "b": 1,
    **dict.fromkeys(("k", "kb", "kib"), 1024),
    **dict.fromkeys(("m", "mb", "mib"), 1024**2),
    **dict.fromkeys(("g", "gb", "gib"), 1024**3),
}

#: What a user types for "no limit". ``0`` is a limit of 0 B/s (no transfer), which only some servers hold.
UNLIMITED_WORDS = frozenset({"none", "unlimited", "off"})

_RATE = re.compile(r"(?P<number>\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>[a-z]*)")


def human_bytes(value: int | None, suffix: str = "") -> str:
    """1536 -> '1.5 KiB'; None -> '-'."""
    if value is None:
        return "-"
    amount = float(value)
    for unit in _UNITS[:-1]:
        if amount < 1024:
            return (f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}") + suffix
        amount /= 1024
    return f"{amount:.1f} {_UNITS[-1]}{suffix}"


def human_eta(seconds: int | None) -> str:
    """3725 -> '1h02m'; 75 -> '1m15s'; None -> '-'."""
    if seconds is None:
        return "-"
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours >= 100:
        return f"{hours // 24}d{hours % 24:02d}h"
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def human_limit(value: int | None) -> str:
    """A speed limit: None is 'unlimited'."""
    return "unlimited" if value is None else human_bytes(value, "/s")


def parse_rate(text: str) -> int | None:
    """'1.5MiB/s' -> 1572864, '500k' -> 512000, 'unlimited' (or 'none', 'off') -> None, '0' -> 0.

    A plain number is bytes/s; k/m/g (with or without b, ib and /s, any case) are powers of 1024.
    Raises ValueError with a message a user can act on.
    """
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned in UNLIMITED_WORDS:
        return None
    cleaned = cleaned.removesuffix("/s")
    match = _RATE.fullmatch(cleaned)
    if match is None or match.group("unit") not in _MULTIPLIERS:
        raise ValueError(f"{text!r} is not a speed: use e.g. 500k, 1.5MiB/s, 2m, 100000 (bytes/s), or unlimited")
    value = round(float(match.group("number")) * _MULTIPLIERS[match.group("unit")])
    if value == 0 and float(match.group("number")) != 0:
        raise ValueError(f"{text!r} is less than 1 byte/s")
    return value


def counted(count: int, noun: str) -> str:
    """'1 torrent', '3 torrents': a count with its noun, plural when it is not one."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
