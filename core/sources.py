"""What ``add()`` accepts, checked and normalized before anything is sent.

A magnet link (its info-hash read from ``xt=urn:btih``), an http(s) URL the
server will fetch, or the bytes of a .torrent file (validated, info-hash
computed from the raw ``info`` dictionary).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union
from urllib.parse import parse_qs, urlsplit

from . import bencode
from .exceptions import InvalidInputError

__all__ = [
    "MAX_TORRENT_FILE_BYTES",
    "MagnetLink",
    "TorrentFileData",
    "TorrentSource",
    "TorrentURL",
    "parse_magnet",
    "parse_source",
    "parse_torrent_file",
]

#: Larger .torrent files are refused (the largest public ones are a few MiB).
MAX_TORRENT_FILE_BYTES = 32 * 1024 * 1024

_HEX40 = re.compile(r"[0-9a-fA-F]{40}")
_BASE32 = re.compile(r"[A-Za-z2-7]{32}")


@dataclass(frozen=True)
class MagnetLink:
    """A magnet URI and what it says about the torrent."""

    uri: str
    info_hash: str | None
    name: str | None = None
    trackers: tuple[str, ...] = ()


@dataclass(frozen=True)
class TorrentURL:
    """An http(s) URL of a .torrent file, fetched by the server itself."""

    url: str


@dataclass(frozen=True)
class TorrentFileData:
    """The bytes of a valid .torrent file."""

    content: bytes = field(repr=False)
    info_hash: str
    name: str
    filename: str
    size: int
    #: Files in the torrent, in the order of its info dictionary (what add-time file selection indexes).
    file_count: int = 1


TorrentSource = Union[MagnetLink, TorrentURL, TorrentFileData]


def parse_source(source: str | bytes | os.PathLike[str]) -> TorrentSource:
    """Classify and validate what the caller gave to ``add()``."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return parse_torrent_file(bytes(source))
    if isinstance(source, os.PathLike):
        return _read_torrent_path(Path(source))
    if isinstance(source, str):
        text = source.strip()
        scheme = text.split(":", 1)[0].lower()
        if scheme == "magnet":
            return parse_magnet(text)
        if scheme in ("http", "https"):
            try:
                host = urlsplit(text).hostname
            except ValueError:
                raise InvalidInputError("not a valid URL (malformed host)") from None
            if not host:
                raise InvalidInputError("the URL has no host")
            return TorrentURL(text)
        raise InvalidInputError(
            "a source string must be a magnet link or an http(s) URL; pass a .torrent file as pathlib.Path or as bytes"
        )
    raise InvalidInputError(f"cannot add a {type(source).__name__}: give a magnet link, a URL, bytes or a path")


def parse_magnet(uri: str) -> MagnetLink:
    """Parse a magnet link; it must carry a BitTorrent info-hash (btih or btmh)."""
    if not uri.lower().startswith("magnet:?"):
        raise InvalidInputError("not a magnet link (expected 'magnet:?xt=urn:btih:...')")
    params = parse_qs(uri[len("magnet:?") :], keep_blank_values=True)
    topics = [t for key, values in params.items() if key == "xt" or key.startswith("xt.") for t in values]
    info_hash: str | None = None
    has_v2 = False
    for topic in topics:
        lowered = topic.lower()
        if lowered.startswith("urn:btih:"):
            info_hash = _btih(topic[len("urn:btih:") :])
        elif lowered.startswith("urn:btmh:") and re.fullmatch(r"1220[0-9a-f]{64}", lowered[len("urn:btmh:") :]):
            has_v2 = True
    if info_hash is None and not has_v2:
        raise InvalidInputError("the magnet link has no valid BitTorrent info-hash (xt=urn:btih:...)")
    names = params.get("dn")
    trackers = tuple(params.get("tr", ()))
    return MagnetLink(uri=uri, info_hash=info_hash, name=names[0] if names else None, trackers=trackers)


def _btih(value: str) -> str:
    if _HEX40.fullmatch(value):
        return value.lower()
    if _BASE32.fullmatch(value):
        return base64.b32decode(value.upper()).hex()
    raise InvalidInputError("the magnet link's btih is neither 40 hex digits nor 32 base32 characters")


def _read_torrent_path(path: Path) -> TorrentFileData:
    """A .torrent file's bytes: only a regular file (a device or a FIFO could be read forever), at most the cap."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise InvalidInputError(f"{path.name} is not a regular file, so not a .torrent file")
        if status.st_size > MAX_TORRENT_FILE_BYTES:
            raise InvalidInputError(f"{path.name} is {status.st_size} bytes: too large for a .torrent file")
        with path.open("rb") as stream:
            content = stream.read(MAX_TORRENT_FILE_BYTES + 1)  # the file may have grown since
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return parse_torrent_file(content, filename=path.name)


def parse_torrent_file(content: bytes, filename: str | None = None) -> TorrentFileData:
    """Validate .torrent bytes and compute their info-hash.

    The info-hash is SHA-1 of the raw ``info`` dictionary (v1 and hybrid torrents);
    for a v2-only torrent it is SHA-256 truncated to 40 hex digits, the id
    libtorrent-based servers use for it.
    """
    if len(content) > MAX_TORRENT_FILE_BYTES:
        raise InvalidInputError(f"{len(content)} bytes: too large for a .torrent file")
    try:
        meta, span = bencode.info_span(content)
    except bencode.BencodeError as exc:
        raise InvalidInputError(f"not a valid .torrent file: {exc}") from None
    if not isinstance(meta, dict) or span is None or not isinstance(meta.get(b"info"), dict):
        raise InvalidInputError("not a valid .torrent file: no 'info' dictionary")
    info = meta[b"info"]
    assert isinstance(info, dict)  # noqa: S101 - narrowed above, for mypy
    raw_name = info.get(b"name")
    piece_length = info.get(b"piece length")
    if not isinstance(raw_name, bytes) or not raw_name or not isinstance(piece_length, int) or piece_length <= 0:
        raise InvalidInputError("not a valid .torrent file: 'info' lacks a name or a piece length")
    raw_info = content[span[0] : span[1]]
    if isinstance(info.get(b"pieces"), bytes):
        info_hash = hashlib.sha1(raw_info).hexdigest()  # noqa: S324 - BitTorrent v1 defines the id as SHA-1
    elif info.get(b"meta version") == 2 and isinstance(info.get(b"file tree"), dict):
        info_hash = hashlib.sha256(raw_info).hexdigest()[:40]
    else:
        raise InvalidInputError("not a valid .torrent file: no piece hashes")
    name = raw_name.decode("utf-8", errors="replace")
    return TorrentFileData(
        content=content,
        info_hash=info_hash,
        name=name,
        filename=filename or f"{_safe_filename(name)}.torrent",
        size=_total_size(info),
        file_count=len(files) if isinstance(files := info.get(b"files"), list) else 1,
    )


def _total_size(info: dict[bytes, bencode.Value]) -> int:
    length = info.get(b"length")
    if isinstance(length, int):
        return length
    files = info.get(b"files")
    if isinstance(files, list):
        return sum(f[b"length"] for f in files if isinstance(f, dict) and isinstance(f.get(b"length"), int))  # type: ignore[misc]
    return 0


def _safe_filename(name: str) -> str:
    cleaned = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name).strip(". ")
    return cleaned[:200] or "upload"


def is_info_hash(value: str) -> bool:
    """True for 40 hex digits (either case)."""
    try:
        return len(value) == 40 and bool(binascii.unhexlify(value))
    except (binascii.Error, ValueError):
        return False
