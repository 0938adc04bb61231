"""Read TOML with the standard library (``tomli`` on Python 3.10); write it with a tiny writer.

The profiles file only ever holds a top-level string and tables of strings, booleans and
numbers, so the writer covers exactly that (and escapes every string per TOML 1.0) instead
of adding a dependency. Round trips are tested against the reader.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["TOMLDecodeError", "dumps", "loads"]

TOMLDecodeError = tomllib.TOMLDecodeError

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}

Scalar = str | bool | int | float


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text."""
    data: dict[str, Any] = tomllib.loads(text)
    return data


def _string(value: str) -> str:
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")  # other control characters must be escaped
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as TOML")


def dumps(top: Mapping[str, Scalar], tables: Mapping[str, Mapping[str, Mapping[str, Scalar]]], header: str = "") -> str:
    """``top`` keys first, then ``[group.name]`` tables (``tables[group][name]``); None values are left out."""
    lines = [f"# {line}" for line in header.splitlines()]
    lines += [f"{_key(k)} = {_value(v)}" for k, v in top.items() if v is not None]
    for group, entries in tables.items():
        for name, fields in entries.items():
            lines += ["", f"[{_key(group)}.{_key(name)}]"]
            lines += [f"{_key(k)} = {_value(v)}" for k, v in fields.items() if v is not None]
    return "\n".join(lines) + "\n"
