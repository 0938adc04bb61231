"""Real .torrent files over real local payload: they hash-check and seed with no network."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..bencode import Value, encode
from .target import TestTorrent

__all__ = ["LOOPBACK_ANNOUNCE", "make_multi_torrent", "make_test_torrent"]

#: A closed loopback port: rTorrent drops tracker-less torrents when DHT is off, and nothing may leave loopback.
LOOPBACK_ANNOUNCE = "http://127.0.0.1:9/announce"


def make_test_torrent(
    directory: Path,
    name: str,
    size: int = 96 * 1024,
    *,
    announce: str | None = LOOPBACK_ANNOUNCE,
    piece_length: int = 32 * 1024,
) -> TestTorrent:
    """Write ``directory/name`` with deterministic content and return a single-file torrent for it."""
    directory.mkdir(parents=True, exist_ok=True)
    data = _content(name, size)
    (directory / name).write_bytes(data)
    return _torrent(name, directory / name, {b"length": size}, data, announce=announce, piece_length=piece_length)


def make_multi_torrent(
    directory: Path,
    name: str,
    sizes: tuple[int, ...] = (40_000, 50_000, 60_000),
    *,
    announce: str | None = LOOPBACK_ANNOUNCE,
    piece_length: int = 32 * 1024,
) -> TestTorrent:
    """Write ``directory/name/f<i>.bin`` (deterministic content) and return the torrent of the folder,
    its files in that order (for choosing files at add time)."""
    folder = directory / name
    folder.mkdir(parents=True, exist_ok=True)
    data = b""
    files: list[Value] = []
    for index, size in enumerate(sizes):
        content = _content(f"{name}/{index}", size)
        (folder / f"f{index}.bin").write_bytes(content)
        data += content
        files.append({b"length": size, b"path": [f"f{index}.bin".encode()]})
    return _torrent(name, folder, {b"files": files}, data, announce=announce, piece_length=piece_length)


def _content(seed: str, size: int) -> bytes:
    """``size`` bytes that depend only on ``seed``: a torrent made twice is the same torrent."""
    block = hashlib.sha256(seed.encode()).digest()
    return (block * (size // len(block) + 1))[:size]


def _torrent(
    name: str, payload: Path, layout: dict[bytes, Value], data: bytes, *, announce: str | None, piece_length: int
) -> TestTorrent:
    """The torrent ``name`` of ``payload`` (a file or a folder) whose bytes, in file order, are ``data``."""
    pieces = b"".join(
        hashlib.sha1(data[i : i + piece_length]).digest()  # noqa: S324 - BitTorrent v1 pieces
        for i in range(0, len(data), piece_length)
    )
    info: dict[bytes, Value] = {
        b"name": name.encode(),
        **layout,
        b"piece length": piece_length,
        b"pieces": pieces,
        b"private": 1,
    }
    meta: dict[bytes, Value] = {b"info": info, b"created by": b"enunclic tests", b"creation date": 1700000000}
    if announce:
        meta[b"announce"] = announce.encode()
    info_hash = hashlib.sha1(encode(info)).hexdigest()  # noqa: S324 - the BitTorrent v1 id
    return TestTorrent(name=name, content=encode(meta), info_hash=info_hash, data_path=payload)
