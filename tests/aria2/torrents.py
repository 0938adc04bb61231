"""A two-file torrent for aria2's file selection tests, its data already on disk (it checks and seeds at once)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from enunclic.bencode import encode

#: Two tiers, each a closed loopback port: nothing leaves the machine.
ANNOUNCE_LIST = [[b"http://127.0.0.1:9/announce"], [b"http://localhost:9/b"]]


def two_file_torrent(folder: Path) -> bytes:
    """Write ``folder/f0`` (40000 bytes) and ``folder/f1`` (50000 bytes); the .torrent named after ``folder``."""
    folder.mkdir(parents=True)
    data = [b"a" * 40000, b"b" * 50000]
    for i, content in enumerate(data):
        (folder / f"f{i}").write_bytes(content)
    joined, piece = b"".join(data), 16384
    pieces = b"".join(hashlib.sha1(joined[i : i + piece]).digest() for i in range(0, len(joined), piece))  # noqa: S324
    files = [{b"length": len(c), b"path": [f"f{i}".encode()]} for i, c in enumerate(data)]
    info = {b"name": folder.name.encode(), b"piece length": piece, b"pieces": pieces, b"files": files}
    return encode({b"info": info, b"announce-list": ANNOUNCE_LIST})
