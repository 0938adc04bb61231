"""Property: the parsers of untrusted input raise only enunclic's typed errors, whatever they get.

.torrent bencode, magnet links and add() sources, XML-RPC replies and SCGI framing.
(JSON replies are fuzzed through the clients in test_fuzz_replies.py.)
"""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enunclic import EnunclicError, InvalidInputError, ProtocolError, bencode
from enunclic.backends.rtorrent.api import parse_reply
from enunclic.backends.rtorrent.scgi import parse_reply as parse_scgi
from enunclic.backends.rtorrent.xmlrpc import decode_response, decode_rows, multicall_items
from enunclic.sources import TorrentFileData, parse_magnet, parse_source, parse_torrent_file

from .natives import xmlrpc_response

FUZZ = settings(max_examples=100, deadline=None)

# -- bencode and .torrent files ---------------------------------------------------------------------

bencode_values = st.recursive(
    st.integers(min_value=-(2**70), max_value=2**70) | st.binary(max_size=24),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.binary(max_size=8), children, max_size=4),
    max_leaves=12,
)


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` truncated, with bytes flipped, inserted or deleted."""
    out = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        if not out:
            break
        where = draw(st.integers(0, len(out) - 1))
        action = draw(st.integers(0, 3))
        if action == 0:
            out[where] = draw(st.integers(0, 255))
        elif action == 1:
            out.insert(where, draw(st.sampled_from(b"ilde0123456789:-")))
        elif action == 2:
            del out[where]
        else:
            del out[where:]
    return bytes(out)


@st.composite
def torrent_files(draw: st.DrawFn) -> bytes:
    """A .torrent whose info fields may be of any type, sometimes damaged on the byte level."""
    info: dict[bytes, Any] = {
        b"name": draw(st.binary(max_size=12) | st.just(b"linux.iso")),
        b"piece length": draw(st.sampled_from([16384, 0, -1]) | st.integers()),
        b"pieces": draw(st.binary(max_size=60) | st.just(hashlib.sha1(b"x").digest())),  # noqa: S324
    }
    if draw(st.booleans()):
        info[b"length"] = draw(st.integers(-(2**64), 2**64))
    else:
        info[b"files"] = draw(st.lists(bencode_values, max_size=3))
    for key in draw(st.lists(st.sampled_from(sorted(info)), unique=True)):
        info[key] = draw(bencode_values)
    if draw(st.booleans()):
        info[b"meta version"] = 2
        info[b"file tree"] = draw(bencode_values)
    meta: dict[bytes, Any] = {b"info": info, b"announce": b"http://127.0.0.1:9/announce"}
    data = bencode.encode(meta)
    return draw(damaged(data)) if draw(st.booleans()) else data


@FUZZ
@given(st.binary(max_size=200) | bencode_values.map(bencode.encode).flatmap(damaged))
def test_bencode_decode_raises_only_bencode_error(data: bytes) -> None:
    try:
        bencode.decode(data)
    except bencode.BencodeError:
        pass


@FUZZ
@given(torrent_files() | st.binary(max_size=120))
def test_torrent_files_parse_or_are_invalid_input(data: bytes) -> None:
    try:
        parsed = parse_torrent_file(data)
    except InvalidInputError:
        return
    assert isinstance(parsed, TorrentFileData)
    assert len(parsed.info_hash) == 40 and int(parsed.info_hash, 16) >= 0
    assert isinstance(parsed.size, int)
    assert isinstance(parsed.name, str) and parsed.filename.endswith(".torrent")


def test_deeply_nested_bencode_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        parse_torrent_file(b"d4:infol" + b"l" * 100_000 + b"e" * 100_001 + b"e")


# -- magnet links and add() sources --------------------------------------------------------------------

_HEX = "0123456789abcdefABCDEF"
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcdefghijklmnopqrstuvwxyz"
topics = st.one_of(
    st.text(_HEX, min_size=38, max_size=42).map(lambda h: f"urn:btih:{h}"),
    st.text(_B32, min_size=31, max_size=33).map(lambda h: f"urn:btih:{h}"),
    st.text(_HEX, min_size=60, max_size=70).map(lambda h: f"urn:btmh:1220{h}"),
    st.text(max_size=30),
)
params = st.lists(
    st.tuples(st.sampled_from(["xt", "xt.1", "dn", "tr", "ws", "x.pe", "", "XT"]), topics | st.text(max_size=20)),
    max_size=5,
)


@st.composite
def magnets(draw: st.DrawFn) -> str:
    pairs = draw(params)
    joined = "&".join(f"{k}={v}" for k, v in pairs)
    return draw(st.sampled_from(["magnet:?", "MAGNET:?", "magnet:", "magnet:?&"])) + joined


#: http(s) URLs, malformed bracketed hosts included.
urls = st.builds(
    lambda scheme, host, rest: f"{scheme}://{host}{rest}",
    st.sampled_from(["http", "https", "HTTP", "ftp", "file"]),
    st.text(max_size=20) | st.sampled_from(["[::1", "[zz]", "[::1]:99999"]),
    st.text(max_size=20),
)


@FUZZ
@given(magnets() | urls | st.text(max_size=60))
def test_add_sources_parse_or_are_invalid_input(text: str) -> None:
    try:
        parsed = parse_source(text)
    except InvalidInputError:
        return
    info_hash = getattr(parsed, "info_hash", None)
    assert info_hash is None or (len(info_hash) == 40 and info_hash == info_hash.lower())


@FUZZ
@given(magnets())
def test_magnets_have_a_lower_case_hash_or_are_refused(text: str) -> None:
    try:
        magnet = parse_magnet(text)
    except InvalidInputError:
        return
    assert magnet.info_hash is None or int(magnet.info_hash, 16) >= 0


# -- XML-RPC and SCGI --------------------------------------------------------------------------------

_TAGS = ["i4", "i8", "int", "string", "boolean", "double", "nil", "base64", "dateTime.iso8601", "bogus"]


def _xml_value(draw: st.DrawFn, depth: int) -> str:
    kind = draw(st.sampled_from([*_TAGS, "array", "struct", "bare"] if depth < 4 else _TAGS))
    text = draw(
        st.sampled_from(["1", "-1", "99999999999999999999999", "x", "", "1.5", "0", "2", "AAAA"])
        | st.text("ab<>&;01-. ", max_size=8)
    )
    if kind == "array":
        items = "".join(_xml_value(draw, depth + 1) for _ in range(draw(st.integers(0, 3))))
        return f"<value><array><data>{items}</data></array></value>"
    if kind == "struct":
        members = "".join(
            f"<member><name>{draw(st.sampled_from(['faultCode', 'faultString', 'a']))}</name>"
            f"{_xml_value(draw, depth + 1)}</member>"
            for _ in range(draw(st.integers(0, 3)))
        )
        return f"<value><struct>{members}</struct></value>"
    if kind == "bare":
        return f"<value>{text}</value>"
    return f"<value><{kind}>{text}</{kind}></value>"


@st.composite
def xmlrpc_replies(draw: st.DrawFn) -> bytes:
    value = _xml_value(draw, 0)
    shape = draw(st.integers(0, 3))
    if shape == 0:
        body = f"<methodResponse><params><param>{value}</param></params></methodResponse>"
    elif shape == 1:
        body = f"<methodResponse><fault>{value}</fault></methodResponse>"
    elif shape == 2:
        body = f"<methodCall>{value}</methodCall>"
    else:
        body = value
    data = ("<?xml version='1.0'?>" + body).encode()
    return draw(damaged(data)) if draw(st.booleans()) else data


@FUZZ
@given(xmlrpc_replies() | st.binary(max_size=100), st.integers(0, 4))
def test_xmlrpc_replies_decode_or_are_typed_errors(body: bytes, expected: int) -> None:
    try:
        value = decode_response(body)
        multicall_items(value, expected)
    except EnunclicError:
        pass


# Rows as rTorrent writes them: strings (any text XML can carry) and 64-bit integers.
_cells = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.integers(-(2**63), 2**63 - 1)


@st.composite
def listing_replies(draw: st.DrawFn) -> tuple[bytes, int]:
    """A ``d.multicall2`` reply (rTorrent's CRLF layout or none), sometimes damaged, and its row width."""
    width = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(_cells, min_size=width, max_size=width), max_size=4))
    body = xmlrpc_response(rows)
    if draw(st.booleans()):  # rTorrent (xmlrpc-c) puts CRLF between elements
        body = body.replace(b"><value>", b">\r\n<value>").replace(b"</data>", b"\r\n</data>")
    return (draw(damaged(body)) if draw(st.booleans()) else body), width


@FUZZ
@given(listing_replies() | st.tuples(xmlrpc_replies(), st.integers(1, 3)))
def test_the_one_pass_listing_reader_reads_what_the_xmlrpc_reader_reads(reply: tuple[bytes, int]) -> None:
    """Whatever decode_rows accepts, decode_response reads to the same rows; the rest it leaves to it."""
    body, width = reply
    rows = decode_rows(body, width)
    if rows is None:
        return
    assert decode_response(body) == rows
    assert all(len(row) == width for row in rows)


@given(st.lists(st.lists(_cells, min_size=3, max_size=3), max_size=5))
@FUZZ
def test_the_one_pass_listing_reader_takes_every_ordinary_listing(rows: list[list[Any]]) -> None:
    body = xmlrpc_response(rows)
    if any(isinstance(c, str) and (set(c) & _NOT_PLAIN or "]]>" in c) for row in rows for c in row):
        return  # characters written as references or refused by XML: the ordinary reader's job
    assert decode_rows(body, 3) == rows


#: What the one-pass reader leaves to expat: CR (XML reads it as LF) and characters XML 1.0 forbids.
_NOT_PLAIN = {"\r", *map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])}


@pytest.mark.parametrize(
    "body",
    [
        xmlrpc_response([["a", 1], ["b"]]),  # a row of another width
        xmlrpc_response([["a", 1], []]),
        xmlrpc_response([["a", True]]),  # a boolean
        xmlrpc_response([["a", b"x"]]),  # base64
        xmlrpc_response(["a", 1]),  # not rows
        b"<?xml version='1.0'?><methodResponse><params><param><value><array><data><value><array><data>"
        b"<value>bare</value><value><i4>1</i4></value></data></array></value></data></array></value></param>"
        b"</params></methodResponse>",  # a string without <string>
        xmlrpc_response([["&#65;", 1]]).replace(b"&amp;#65;", b"&#65;"),  # a character reference
        xmlrpc_response([["a", 1]]).replace(b"version='1.0'", b"version='1.0' encoding='latin-1'"),
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + xmlrpc_response([["a", 1]]).split(b"?>", 1)[1],
        xmlrpc_response([["\xe9", 1]]).replace(b"\xc3\xa9", b"\xe9"),  # not UTF-8
        b"<methodResponse><fault><value><struct></struct></value></fault></methodResponse>",
        b"<html><body>login</body></html>",
        xmlrpc_response([["a", 1]])[:-30],  # truncated
    ],
)
def test_the_one_pass_listing_reader_leaves_other_replies_to_the_xmlrpc_reader(body: bytes) -> None:
    assert decode_rows(body, 2) is None


def test_the_one_pass_listing_reader_reads_entities_as_xml_does() -> None:
    rows = [["a & b < c > d \" e ' f &lt; g", -(2**63)], ["", 2**63 - 1]]
    body = xmlrpc_response(rows).replace(b"d \" e ' f", b"d &quot; e &apos; f")
    assert b"&apos;" in body and b"&quot;" in body
    assert decode_rows(body, 2) == rows == decode_response(body)


@FUZZ
@given(
    xmlrpc_replies() | st.binary(max_size=100),
    st.sampled_from([200, 401, 404, 500, 502, 503, 302]),
    st.sampled_from(["text/xml", "text/html", ""]),
)
def test_xmlrpc_http_replies_are_typed_errors(body: bytes, status: int, content_type: str) -> None:
    response = httpx.Response(status, headers={"content-type": content_type} if content_type else {}, content=body)
    try:
        parse_reply(response)
    except EnunclicError:
        pass


@FUZZ
@given(
    st.binary(max_size=120)
    | st.builds(
        lambda status, headers, body: (status + headers + "\r\n\r\n").encode() + body,
        st.sampled_from(["Status: 200 OK\r\n", "Status: 999\r\n", "Status: x\r\n", ""]),
        st.sampled_from(
            ["Content-Type: text/xml", "Content-Length: 5", "Content-Length: -1", "Content-Length: x", "bad"]
        ),
        st.binary(max_size=20),
    )
)
def test_scgi_replies_are_typed_errors(raw: bytes) -> None:
    try:
        parse_scgi(raw)
    except ProtocolError:
        pass
