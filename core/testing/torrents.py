"""Real .torrent files over real local payload: they hash-check and seed with no network."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..bencode import Value, encode
from .target import TestTorrent

__all__ = ["make_test_torrent"]


def make_test_torrent(
    directory: Path,
    name: str,
    size: int = 96 * 1024,
    *,
    announce: str | None = "http://127.0.0.1:9/announce",
    piece_length: int = 32 * 1024,
) -> TestTorrent:
    """Write ``directory/name`` with deterministic content and return a single-file torrent for it.

    The default announce URL points at a closed loopback port: rTorrent drops
    tracker-less torrents when DHT is off, and nothing may leave loopback.
    """
    directory.mkdir(parents=True, exist_ok=True)
    block = hashlib.sha256(name.encode()).digest()
    data = (block * (size // len(block) + 1))[:size]
    (directory / name).write_bytes(data)
    pieces = b"".join(hashlib.sha1(data[i : i + piece_length]).digest() for i in range(0, size, piece_length))  # noqa: S324
    info: dict[bytes, Value] = {
        b"name": name.encode(),
        b"length": size,
        b"piece length": piece_length,
        b"pieces": pieces,
        b"private": 1,
    }
    meta: dict[bytes, Value] = {b"info": info, b"created by": b"enunclic tests", b"creation date": 1700000000}
    if announce:
        meta[b"announce"] = announce.encode()
    info_hash = hashlib.sha1(encode(info)).hexdigest()  # noqa: S324 - the BitTorrent v1 id
    return TestTorrent(name=name, content=encode(meta), info_hash=info_hash, data_path=directory / name)
