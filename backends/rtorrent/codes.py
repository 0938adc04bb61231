"""rTorrent's XML-RPC fault codes -> the enunclic error class and a message, as data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from enunclic.plugin import EnunclicError, ServerError, TorrentNotFoundError

__all__ = ["FAULTS", "fault_error"]

#: Fault code -> (error class, what it means). Other codes are a plain ServerError.
FAULTS: Final[Mapping[int, tuple[type[EnunclicError], str]]] = {
    # rTorrent uses -501 for any unknown target: info-hash, file or tracker index.
    -501: (TorrentNotFoundError, "rTorrent found no such torrent (or file) for this call"),
    -503: (ServerError, "rTorrent refused the arguments (wrong type or count)"),
    -506: (ServerError, "rTorrent does not know this command (older or restricted build?)"),
}


def fault_error(code: int, message: str) -> EnunclicError:
    """The typed error for one XML-RPC fault; the server's text follows the meaning."""
    cls, meaning = FAULTS.get(code, (ServerError, "rTorrent refused the call"))
    detail = message.strip()[:300]
    return cls(f"{meaning}: {detail}" if detail else meaning, native_code=code)
