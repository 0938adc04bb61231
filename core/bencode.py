"""A strict bencode decoder and encoder, enough to read and check .torrent files.

Decoding keeps the raw span of every dictionary value under the top-level
``info`` key so that the info-hash is computed over the exact bytes the file
holds (re-encoding could reorder or normalise them).
"""

from __future__ import annotations

from typing import Union

__all__ = ["BencodeError", "Value", "decode", "encode", "info_span"]

#: A decoded bencode value.
Value = Union[int, bytes, list["Value"], dict[bytes, "Value"]]

_MAX_DEPTH = 64


class BencodeError(ValueError):
    """The bytes are not valid bencode (callers turn this into InvalidInputError)."""


class _Decoder:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.info_span: tuple[int, int] | None = None

    def value(self, pos: int, depth: int) -> tuple[Value, int]:
        if depth > _MAX_DEPTH:
            raise BencodeError("nested too deeply")
        if pos >= len(self.data):
            raise BencodeError("truncated")
        lead = self.data[pos : pos + 1]
        if lead == b"i":
            return self.integer(pos)
        if lead == b"l":
            items: list[Value] = []
            pos += 1
            while self.peek(pos) != b"e":
                item, pos = self.value(pos, depth + 1)
                items.append(item)
            return items, pos + 1
        if lead == b"d":
            return self.dictionary(pos, depth)
        if lead.isdigit():
            return self.string(pos)
        raise BencodeError(f"unexpected byte {lead!r} at offset {pos}")

    def peek(self, pos: int) -> bytes:
        if pos >= len(self.data):
            raise BencodeError("truncated")
        return self.data[pos : pos + 1]

    def integer(self, pos: int) -> tuple[int, int]:
        end = self.data.find(b"e", pos)
        if end < 0:
            raise BencodeError("truncated integer")
        text = self.data[pos + 1 : end]
        if not text or text == b"-0" or (text.lstrip(b"-").startswith(b"0") and text.lstrip(b"-") != b"0"):
            raise BencodeError(f"malformed integer at offset {pos}")
        try:
            return int(text), end + 1
        except ValueError:
            raise BencodeError(f"malformed integer at offset {pos}") from None

    def string(self, pos: int) -> tuple[bytes, int]:
        colon = self.data.find(b":", pos)
        if colon < 0 or not self.data[pos:colon].isdigit():
            raise BencodeError(f"malformed string length at offset {pos}")
        length = int(self.data[pos:colon])
        start = colon + 1
        if start + length > len(self.data):
            raise BencodeError("truncated string")
        return self.data[start : start + length], start + length

    def dictionary(self, pos: int, depth: int) -> tuple[dict[bytes, Value], int]:
        result: dict[bytes, Value] = {}
        pos += 1
        while self.peek(pos) != b"e":
            key, pos = self.string(pos) if self.peek(pos).isdigit() else self._bad_key(pos)
            start = pos
            result[key], pos = self.value(pos, depth + 1)
            if depth == 0 and key == b"info":
                self.info_span = (start, pos)
        return result, pos + 1

    @staticmethod
    def _bad_key(pos: int) -> tuple[bytes, int]:
        raise BencodeError(f"dictionary key is not a string at offset {pos}")


def decode(data: bytes) -> Value:
    """Decode one bencode value that spans all of ``data``."""
    value, _ = _decode(data)
    return value


def info_span(data: bytes) -> tuple[Value, tuple[int, int] | None]:
    """Decode ``data`` and return it with the byte span of the top-level ``info`` value."""
    return _decode(data)


def _decode(data: bytes) -> tuple[Value, tuple[int, int] | None]:
    decoder = _Decoder(data)
    value, end = decoder.value(0, 0)
    if end != len(data):
        raise BencodeError(f"{len(data) - end} unexpected bytes after the end")
    return value, decoder.info_span


def encode(value: Value) -> bytes:
    """Encode a value; dictionary keys are written sorted, as the format requires."""
    if isinstance(value, bool):
        raise TypeError("bencode has no booleans")
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(encode(item) for item in value) + b"e"
    if isinstance(value, dict):
        return b"d" + b"".join(encode(k) + encode(v) for k, v in sorted(value.items())) + b"e"
    raise TypeError(f"cannot bencode {type(value).__name__}")
