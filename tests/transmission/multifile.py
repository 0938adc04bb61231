"""A multi-file test torrent (the core's maker writes single-file ones): for file selection at add time."""

from __future__ import annotations

import hashlib
from pathlib import Path

from enunclic.bencode import Value, encode
from enunclic.testing.target import TestTorrent


def make_multi_torrent(
    directory: Path, name: str, sizes: tuple[int, ...] = (40_000, 50_000, 60_000), piece_length: int = 32 * 1024
) -> TestTorrent:
    """Write ``directory/name/f<i>.bin`` (deterministic content) and return the torrent of the folder."""
    folder = directory / name
    folder.mkdir(parents=True, exist_ok=True)
    data = b""
    files: list[Value] = []
    for index, size in enumerate(sizes):
        block = hashlib.sha256(f"{name}/{index}".encode()).digest()
        content = (block * (size // len(block) + 1))[:size]
        (folder / f"f{index}.bin").write_bytes(content)
        data += content
        files.append({b"length": size, b"path": [f"f{index}.bin".encode()]})
    pieces = b"".join(
        hashlib.sha1(data[i : i + piece_length]).digest()  # noqa: S324 - BitTorrent v1 pieces
        for i in range(0, len(data), piece_length)
    )
    info: dict[bytes, Value] = {
        b"name": name.encode(),
        b"files": files,
        b"piece length": piece_length,
        b"pieces": pieces,
        b"private": 1,
    }
    meta: dict[bytes, Value] = {b"info": info, b"announce": b"http://127.0.0.1:9/announce"}
    info_hash = hashlib.sha1(encode(info)).hexdigest()  # noqa: S324 - the BitTorrent v1 id
    return TestTorrent(name=name, content=encode(meta), info_hash=info_hash, data_path=folder)
