"""Tolerant converters for numbers and dates in server replies, shared by the backends' mappings.

A reply may hold a string where a number belongs, ``Infinity``, ``1e400`` or a date far
outside any calendar: each becomes the default (usually "unknown") instead of an
exception, so that one odd torrent never breaks a whole list.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

__all__ = ["as_datetime", "as_float", "as_int"]


def as_float(value: Any, default: float = 0.0) -> float:
    """A finite float from an int or float (bools and strings are not numbers here), else ``default``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return default
    return number if math.isfinite(number) else default


def as_int(value: Any, default: int = 0) -> int:
    """An int from an int or a finite float (truncated), else ``default``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = as_float(value, math.nan)
    return int(number) if math.isfinite(number) else default


def as_datetime(epoch: Any) -> datetime | None:
    """A UTC datetime from seconds since the epoch; None for 0, negative, missing or out-of-range values."""
    seconds = as_float(epoch)
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
