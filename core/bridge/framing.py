"""Newline-delimited JSON framing: one JSON-RPC message per line, in both directions.

Why lines and not LSP's ``Content-Length`` headers: compact JSON never contains a raw
newline (``json`` escapes it inside strings), every language splits lines in its
standard library (Node's ``readline``), a message is readable in a terminal, and a
corrupt message costs only its own line: the next newline resynchronizes the stream,
where a wrong ``Content-Length`` would desynchronize everything after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final, Union

__all__ = ["DEFAULT_MAX_MESSAGE_BYTES", "Frame", "LineSplitter", "Oversized", "encode"]

#: Incoming lines longer than this are refused (a 32 MiB .torrent is ~43 MiB of base64).
DEFAULT_MAX_MESSAGE_BYTES: Final = 64 * 1024 * 1024


@dataclass(frozen=True)
class Oversized:
    """Stands for a line that was longer than the limit; its content was discarded."""

    size: int


#: What the splitter yields: a complete line (without its newline) or an oversized marker.
Frame = Union[bytes, Oversized]


class LineSplitter:
    """Cuts a byte stream into lines, never holding more than ``max_bytes`` of one line."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> None:
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        self.max_bytes = max_bytes
        self._buffer = bytearray()
        self._discarding = 0  # > 0 while skipping the rest of an oversized line (bytes seen so far)

    def feed(self, data: bytes) -> list[Frame]:
        """Add bytes; return the frames they complete."""
        frames: list[Frame] = []
        start = 0
        while start < len(data):
            end = data.find(b"\n", start)
            piece = data[start:] if end < 0 else data[start:end]
            if self._discarding:
                self._discarding += len(piece)
                if end >= 0:
                    frames.append(Oversized(self._discarding))
                    self._discarding = 0
            elif len(self._buffer) + len(piece) > self.max_bytes:
                self._discarding = len(self._buffer) + len(piece)
                self._buffer.clear()
                if end >= 0:
                    frames.append(Oversized(self._discarding))
                    self._discarding = 0
            else:
                self._buffer += piece
                if end >= 0:
                    frames.append(bytes(self._buffer))
                    self._buffer.clear()
            if end < 0:
                break
            start = end + 1
        return frames

    def end(self) -> list[Frame]:
        """The stream ended: a last line without a newline still counts."""
        if self._discarding:
            size, self._discarding = self._discarding, 0
            return [Oversized(size)]
        if self._buffer.strip():
            line = bytes(self._buffer)
            self._buffer.clear()
            return [line]
        return []


def encode(message: Any) -> bytes:
    """One message as a line: compact JSON, UTF-8, newline-terminated.

    Text that UTF-8 cannot carry (a lone surrogate, echoed from a request id or a server's
    reply) is written as JSON ``\\u`` escapes instead, which every JSON reader takes back.
    """
    text = json.dumps(message, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    try:
        return text.encode() + b"\n"
    except UnicodeEncodeError:
        return json.dumps(message, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode() + b"\n"
