"""One meaning per HTTP status, on every built-in backend (docs/errors.md): a server, or a proxy before it,
that answers every request the same way gives the same error class whatever the backend."""

from __future__ import annotations

import asyncio

import httpx
import pytest

import enunclic
from enunclic import (
    AuthenticationError,
    EndpointNotFoundError,
    EnunclicError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
)
from enunclic.channel import check_reply, html_reply

URLS = {
    "synology": "synology://admin:secret@127.0.0.1:5000",
    "qbittorrent": "qbittorrent://admin:secret@127.0.0.1:8080",
    "transmission": "transmission://admin:secret@127.0.0.1:9091",
    "deluge": "deluge://:secret@127.0.0.1:8112",
    "rtorrent": "rtorrent+http://admin:secret@127.0.0.1:8000/RPC2",
    "memory": "memory://admin:secret@127.0.0.1:80",
    "aria2": "aria2://:secret@127.0.0.1:6800",
    "utorrent": "utorrent://admin:secret@127.0.0.1:8080/gui/",
}

PLAIN_PAGE = b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>It works</body></html>"
LOGIN_PAGE = (
    b"<!doctype html><html><head><title>Sign in</title></head><body><form method=post>"
    b"<input name=user><input type='password' name=pass></form></body></html>"
)

#: (status, body, content type) -> the error every backend gives.
ROWS: list[tuple[int, bytes, str, type[EnunclicError]]] = [
    (500, b"<html><body>Internal Server Error</body></html>", "text/html", ServerError),
    (502, b"<html><body>Bad Gateway</body></html>", "text/html", ServerError),
    (503, b"Service Unavailable", "text/plain", ServerError),
    (504, b"", "text/plain", ServerError),
    (401, b"Unauthorized", "text/plain", AuthenticationError),
    (404, b"<html><body>Not Found</body></html>", "text/html", EndpointNotFoundError),
    (200, PLAIN_PAGE, "text/html", ProtocolError),
    (200, LOGIN_PAGE, "text/html", AuthenticationError),
]


def _answer(status: int, body: bytes, content_type: str) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(status, content=body, headers={"content-type": content_type})
    )


@pytest.mark.parametrize("backend", sorted(URLS))
@pytest.mark.parametrize(("status", "body", "content_type", "error"), ROWS, ids=lambda v: str(v)[:20])
def test_every_backend_gives_each_status_the_same_meaning(
    backend: str, status: int, body: bytes, content_type: str, error: type[EnunclicError]
) -> None:
    transport = _answer(status, body, content_type)
    with enunclic.connect(URLS[backend], transport=transport, retries=0) as client:
        with pytest.raises(EnunclicError) as caught:
            client.torrents()
    assert type(caught.value) is error, (backend, status, repr(caught.value))
    assert caught.value.backend == backend and caught.value.operation == "torrents"
    if error is not AuthenticationError or status != 200:
        assert caught.value.native_code == status


@pytest.mark.parametrize("backend", sorted(set(URLS) - {"qbittorrent"}))
def test_403_is_permission_denied_where_it_is_not_part_of_the_protocol(backend: str) -> None:
    with enunclic.connect(URLS[backend], transport=_answer(403, b"Forbidden", "text/plain"), retries=0) as client:
        with pytest.raises(PermissionDeniedError):
            client.torrents()


@pytest.mark.parametrize("backend", sorted(URLS))
def test_the_async_client_reads_statuses_the_same_way(backend: str) -> None:
    async def run() -> EnunclicError:
        transport = httpx.MockTransport(lambda request: httpx.Response(502, text="Bad Gateway"))
        async with enunclic.connect_async(URLS[backend], transport=transport, retries=0) as client:
            try:
                await client.torrents()
            except EnunclicError as exc:
                return exc
        raise AssertionError("no error")

    assert type(asyncio.run(run())) is ServerError


@pytest.mark.parametrize(
    ("status", "location", "error"),
    [
        (302, "https://sso.example/login?next=/api", AuthenticationError),
        (301, "https://127.0.0.1:5001/webapi/entry.cgi", ProtocolError),
        (307, "", ProtocolError),
    ],
)
def test_redirects_are_not_followed_and_say_where_they_point(
    status: int, location: str, error: type[EnunclicError]
) -> None:
    response = httpx.Response(status, headers={"location": location} if location else {})
    with pytest.raises(error) as caught:
        check_reply(response)
    assert type(caught.value) is error and caught.value.native_code == status
    if location:
        assert location.split("?", maxsplit=1)[0] in str(caught.value)


def test_a_protocol_status_is_left_to_the_backend() -> None:
    check_reply(httpx.Response(409, text="<h1>409: Conflict</h1>"), protocol_statuses={409})
    with pytest.raises(ProtocolError):
        check_reply(httpx.Response(409, text="<h1>409: Conflict</h1>"))


@pytest.mark.parametrize(
    "body",
    [b'{"result": "success"}', b"[]", b"Ok.", b'<?xml version="1.0"?><methodResponse/>', b"", b"<methodResponse>"],
)
def test_api_replies_pass(body: bytes) -> None:
    check_reply(httpx.Response(200, content=body))


def test_a_request_marked_for_an_html_reply_gets_its_page() -> None:
    page = httpx.Response(200, content=PLAIN_PAGE, request=html_reply(httpx.Request("GET", "http://127.0.0.1/token")))
    check_reply(page, html=True)
    with pytest.raises(ProtocolError):
        check_reply(page)
    with pytest.raises(ServerError):
        check_reply(httpx.Response(500, content=PLAIN_PAGE), html=True)  # only a 2xx page is let through
