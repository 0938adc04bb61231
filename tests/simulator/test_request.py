"""Request parsing: query, form and multipart bodies, binary-safe uploads, cookies."""

from __future__ import annotations

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from enunclic.simulators.synology.request import parse_request


def _parse(request: httpx.Request):  # type: ignore[no-untyped-def]
    body = request.read()
    headers = {k.lower(): v for k, v in request.headers.items()}
    return parse_request(request.method, request.url.path, request.url.query.decode(), headers=headers, body=body)


@settings(max_examples=60, deadline=None)
@given(content=st.binary(max_size=4096), text=st.text(max_size=40))
def test_multipart_upload_is_byte_exact(content: bytes, text: str) -> None:
    request = httpx.Request(
        "POST",
        "http://127.0.0.1/webapi/entry.cgi",
        data={"field": text},
        files={"torrent": ("x.torrent", content, "application/x-bittorrent")},
    )
    parsed = _parse(request)
    assert parsed.multipart is True
    assert parsed.files[0].content == content
    assert parsed.files[0].filename == "x.torrent"
    assert parsed.form == {"field": text}
    assert parsed.part_order == ["field", "torrent"]


def test_query_and_form_both_count_and_the_body_wins() -> None:
    request = httpx.Request("POST", "http://127.0.0.1/webapi/x.cgi?a=query&b=only", data={"a": "form"})
    parsed = _parse(request)
    assert parsed.param("a") == "form"
    assert parsed.param("b") == "only"
    assert parsed.param("c") is None


def test_cookies_are_read() -> None:
    request = httpx.Request("GET", "http://127.0.0.1/webapi/x.cgi", headers={"Cookie": "id=abc; did=def"})
    assert _parse(request).cookies == {"id": "abc", "did": "def"}
