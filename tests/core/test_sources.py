"""add() sources: magnet links, URLs, .torrent bytes and paths, each validated before sending."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest

from enunclic import InvalidInputError, bencode
from enunclic.sources import MagnetLink, TorrentFileData, TorrentURL, parse_magnet, parse_source
from enunclic.testing.torrents import make_test_torrent

HASH = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"


def test_hex_magnet() -> None:
    link = parse_magnet(f"magnet:?xt=urn:btih:{HASH.upper()}&dn=Some+Name&tr=http%3A%2F%2Ft%2Fa")
    assert link == MagnetLink(
        uri=f"magnet:?xt=urn:btih:{HASH.upper()}&dn=Some+Name&tr=http%3A%2F%2Ft%2Fa",
        info_hash=HASH,
        name="Some Name",
        trackers=("http://t/a",),
    )


def test_base32_magnet() -> None:
    b32 = base64.b32encode(bytes.fromhex(HASH)).decode()
    assert parse_magnet(f"magnet:?xt=urn:btih:{b32}").info_hash == HASH


def test_v2_only_magnet_has_no_v1_hash() -> None:
    assert parse_magnet("magnet:?xt=urn:btmh:1220" + "ab" * 32).info_hash is None


@pytest.mark.parametrize(
    "uri",
    [
        "magnet:?dn=nothing",
        "magnet:?xt=urn:btih:1234",
        "magnet:?xt=urn:btih:" + "g" * 40,
        "magnet:?xt=urn:sha1:" + "a" * 40,
        "magnet:xt=urn:btih:" + "a" * 40,
    ],
)
def test_invalid_magnets(uri: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_source(uri)


def test_urls() -> None:
    assert parse_source(" https://example.org/a.torrent ") == TorrentURL("https://example.org/a.torrent")
    with pytest.raises(InvalidInputError):
        parse_source("http:///nohost")
    with pytest.raises(InvalidInputError, match="pathlib.Path"):
        parse_source("/home/me/file.torrent")
    with pytest.raises(InvalidInputError):
        parse_source(42)  # type: ignore[arg-type]


def test_torrent_file_hash_name_and_size(tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "payload.bin", size=70_000)
    parsed = parse_source(made.content)
    assert isinstance(parsed, TorrentFileData)
    assert (parsed.info_hash, parsed.name, parsed.size, parsed.filename) == (
        made.info_hash,
        "payload.bin",
        70_000,
        "payload.bin.torrent",
    )
    assert "content" not in repr(parsed)


def test_info_hash_uses_the_raw_bytes_even_when_keys_are_unsorted() -> None:
    # Re-encoding would sort the keys and change the hash; the raw span must be used.
    info = b"d6:lengthi1e4:name1:x12:piece lengthi16384e6:pieces20:" + b"a" * 20 + b"e"
    unsorted = b"d4:name1:x6:lengthi1e12:piece lengthi16384e6:pieces20:" + b"a" * 20 + b"e"
    for raw in (info, unsorted):
        parsed = parse_source(b"d4:info" + raw + b"e")
        assert isinstance(parsed, TorrentFileData)
        assert parsed.info_hash == hashlib.sha1(raw).hexdigest()  # noqa: S324


def test_path_source(tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "p.bin")
    path = tmp_path / "named.torrent"
    path.write_bytes(made.content)
    parsed = parse_source(path)
    assert isinstance(parsed, TorrentFileData)
    assert (parsed.filename, parsed.info_hash) == ("named.torrent", made.info_hash)
    with pytest.raises(InvalidInputError, match="cannot read"):
        parse_source(tmp_path / "missing.torrent")


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "directory"])
def test_a_path_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path: Path, special: str) -> None:
    if special == "fifo":
        path = tmp_path / "pipe.torrent"
        os.mkfifo(path)  # opening it for reading would wait for a writer forever
    elif special == "directory":
        path = tmp_path / "dir.torrent"
        path.mkdir()
    else:
        path = Path(special)
    with pytest.raises(InvalidInputError, match="not a regular file"):
        parse_source(path)


def test_v2_only_torrent() -> None:
    info = {b"name": b"v2", b"piece length": 16384, b"meta version": 2, b"file tree": {b"v2": {b"": {b"length": 1}}}}
    raw = bencode.encode(info)
    parsed = parse_source(bencode.encode({b"info": info}))
    assert isinstance(parsed, TorrentFileData)
    assert parsed.info_hash == hashlib.sha256(raw).hexdigest()[:40]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html>login</html>",
        b"d4:info",
        b"d4:infod4:name1:xee",
        b"d4:infoi1ee",
        b"li1ee",
        b"d4:infod4:name1:x12:piece lengthi0e6:pieces0:ee",
        b"d4:infod12:piece lengthi1e4:name0:6:pieces0:ee",
        b"d3:abci1ee trailing",
        b"i01e",
        b"d1:ai1e",
    ],
)
def test_invalid_torrent_files(content: bytes) -> None:
    with pytest.raises(InvalidInputError):
        parse_source(content)


def test_truncated_real_torrent(tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "t.bin")
    for cut in (1, len(made.content) // 2, len(made.content) - 1):
        with pytest.raises(InvalidInputError):
            parse_source(made.content[:cut])
