"""XML-RPC bodies, safe parsing, faults, SCGI framing, and both SCGI transports end to end
against a scripted SCGI server on loopback (for replies a real rTorrent never sends)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import enunclic
from enunclic.backends.rtorrent import backend as rtorrent_backend
from enunclic.backends.rtorrent.api import load_command
from enunclic.backends.rtorrent.scgi import encode_request
from enunclic.backends.rtorrent.scgi import parse_reply as parse_scgi
from enunclic.backends.rtorrent.xmlrpc import Fault, decode_response, encode_call, multicall_items
from enunclic.plugin import (
    AuthenticationError,
    ConnectError,
    EndpointNotFoundError,
    InvalidInputError,
    PermissionDeniedError,
    ProtocolError,
    RequestTimeout,
    ServerError,
    TorrentNotFoundError,
)


def reply(value_xml: str) -> bytes:
    params = f"<params><param><value>{value_xml}</value></param></params>"
    return f"<?xml version='1.0'?><methodResponse>{params}</methodResponse>".encode()


def fault(code: int, text: str) -> bytes:
    return (
        "<?xml version='1.0'?><methodResponse><fault><value><struct>"
        f"<member><name>faultCode</name><value><i4>{code}</i4></value></member>"
        f"<member><name>faultString</name><value><string>{text}</string></value></member>"
        "</struct></value></fault></methodResponse>"
    ).encode()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<methodResponse><params><param><value><string>&lol3;</string></value></param></params></methodResponse>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<methodResponse><params><param><value><string>&xxe;</string></value></param></params></methodResponse>"""


# -- XML-RPC --------------------------------------------------------------------------------


def test_encode_call_round_trips_through_the_stdlib_parser() -> None:
    import xmlrpc.client

    body = encode_call("load.raw_start", ["", b"\x00\xffbytes", "d.custom1.set=a<b&c", 5, 2**40, True, [1, "x"]])
    params, method = xmlrpc.client.loads(body, use_builtin_types=True)
    assert method == "load.raw_start"
    assert params == ("", b"\x00\xffbytes", "d.custom1.set=a<b&c", 5, 2**40, True, [1, "x"])


def test_control_characters_are_refused() -> None:
    with pytest.raises(InvalidInputError):
        encode_call("d.custom1.set", ["", "bell\x07"])


@pytest.mark.parametrize(
    ("xml", "value"),
    [
        ("<string>a&amp;b</string>", "a&b"),
        ("plain", "plain"),
        ("<i4>-501</i4>", -501),
        ("<i8>1099511627776</i8>", 2**40),
        ("<ex:i8 xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'>7</ex:i8>", 7),
        ("<boolean>1</boolean>", True),
        ("<double>1.5</double>", 1.5),
        ("<base64>AAE=</base64>", b"\x00\x01"),
        ("<array><data><value><i4>1</i4></value><value>x</value></data></array>", [1, "x"]),
        ("<struct><member><name>k</name><value><i4>1</i4></value></member></struct>", {"k": 1}),
        ("<nil/>", None),
    ],
)
def test_decode_values(xml: str, value: Any) -> None:
    assert decode_response(reply(xml)) == value


@pytest.mark.parametrize(
    ("code", "error"),
    [(-501, TorrentNotFoundError), (-506, ServerError), (-503, ServerError), (-1, ServerError)],
)
def test_faults_become_typed_errors_with_their_code(code: int, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        decode_response(fault(code, "Could not find info-hash."))
    assert caught.value.native_code == code  # type: ignore[attr-defined]
    assert "Could not find info-hash." in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        BOMB,
        EXTERNAL,
        b"",
        b"<methodResponse><params><param><value><string>cut",
        b"<html><body>Login</body></html>",
        b"<methodCall/>",
        reply("<unknown>1</unknown>"),
        reply("<i4>not a number</i4>"),
        reply("<double>x</double>"),
        reply("<boolean>2</boolean>"),
        b"<?xml version='1.0'?><methodResponse><params></params></methodResponse>",
        b"<?xml version='1.0'?><methodResponse><fault><value><string>x</string></value></fault></methodResponse>",
    ],
)
def test_bad_or_unsafe_replies_are_protocol_errors(body: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_response(body)


def test_multicall_items() -> None:
    items = multicall_items([["a"], {"faultCode": -501, "faultString": "nope"}], 2)
    assert items[0] == "a"
    assert isinstance(items[1], Fault)
    assert items[1].code == -501
    with pytest.raises(ProtocolError):
        multicall_items([["a"]], 2)
    with pytest.raises(ProtocolError):
        multicall_items([["a", "b"]], 1)


@pytest.mark.parametrize(
    ("status", "content", "error"),
    [
        (401, b"", AuthenticationError),
        (403, b"", PermissionDeniedError),
        (404, b"", EndpointNotFoundError),
        (500, b"", ServerError),
        (502, b"", ServerError),  # the web server cannot reach rTorrent
        (503, b"", ServerError),
        (504, b"", ServerError),
        (200, b"<!DOCTYPE html><html><body>Welcome</body></html>", ProtocolError),
        (200, b"<html><form><input type='password' name='pw'></form></html>", AuthenticationError),
    ],
)
def test_http_replies_through_the_web_server(status: int, content: bytes, error: type[Exception]) -> None:
    """Basic credentials on every request; statuses and HTML pages get the core's one meaning."""
    seen: list[httpx.Request] = []

    def web_server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=content)

    url = "rtorrent+http://127.0.0.1:8080/RPC2"
    with enunclic.connect(url, username="admin", password="s3cr3t", transport=httpx.MockTransport(web_server)) as c:
        with pytest.raises(error) as caught:
            c.torrents()
    assert caught.value.native_code == status  # type: ignore[attr-defined]
    assert "s3cr3t" not in str(caught.value)
    assert seen[0].headers["authorization"] == httpx.BasicAuth("admin", "s3cr3t")._auth_header
    assert b"<methodName>d.multicall2</methodName>" in seen[0].content


def test_no_credentials_no_authorization_header() -> None:
    seen: list[httpx.Request] = []

    def web_server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=reply("<array><data></data></array>"))

    with enunclic.connect("rtorrent+http://127.0.0.1:8080/RPC2", transport=httpx.MockTransport(web_server)) as c:
        assert c.torrents() == []
    assert "authorization" not in seen[0].headers


def test_load_commands_are_quoted() -> None:
    assert load_command("d.directory.set", '/a b,"c";d\\e') == 'd.directory.set="/a b,\\"c\\";d\\\\e"'
    with pytest.raises(InvalidInputError):
        load_command("d.directory.set", "/a\nd.erase=")


# -- SCGI framing ---------------------------------------------------------------------------


def test_scgi_request_framing() -> None:
    framed = encode_request(b"<x/>", "/RPC2")
    head = b"CONTENT_LENGTH\x004\x00SCGI\x001\x00REQUEST_METHOD\x00POST\x00REQUEST_URI\x00/RPC2\x00"
    assert framed == str(len(head)).encode() + b":" + head + b",<x/>"


def test_scgi_reply_parsing() -> None:
    status, headers, body = parse_scgi(b"Status: 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 3\r\n\r\nabcdef")
    assert (status, body) == (200, b"abc")
    assert ("Content-Type", "text/xml") in headers
    assert parse_scgi(b"Content-Type: text/xml\n\nabc")[0] == 200


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"Status: 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        b"Status: abc\r\n\r\nbody",
        b"garbage line\r\n\r\nbody",
        b"Status: 200 OK\r\nContent-Length: x\r\n\r\nbody",
    ],
)
def test_bad_scgi_replies(raw: bytes) -> None:
    with pytest.raises(ProtocolError):
        parse_scgi(raw)


# -- both transports against a scripted SCGI server ------------------------------------------


class ScriptedSCGI:
    """Answers every SCGI connection with ``self.answer`` (after reading the request)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.answer = b""
        self.requests: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"," not in data or not data.endswith(b"</methodCall>"):
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.requests.append(data)
                if self.answer == b"HANG":
                    conn.recv(1)  # never answers; the client times out and closes
                    continue
                conn.sendall(self.answer)


@pytest.fixture(params=["tcp", "unix"])
def scripted(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[ScriptedSCGI, str]]:
    if request.param == "tcp":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        url = f"rtorrent+scgi://127.0.0.1:{sock.getsockname()[1]}"
    else:
        path = tmp_path / "s.sock"
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(path))
        url = f"rtorrent+scgi://{path}"
    sock.listen(8)
    server = ScriptedSCGI(sock)
    yield server, url
    sock.close()


def scgi_reply(body: bytes) -> bytes:
    return b"Status: 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def run_both(url: str, operation: str, **options: Any) -> list[Any]:
    """The operation through the sync and the async client; results or raised errors."""
    outcomes: list[Any] = []
    with enunclic.connect(url, **options) as client:
        try:
            outcomes.append(getattr(client, operation)())
        except enunclic.EnunclicError as exc:
            outcomes.append(exc)

    async def run() -> Any:
        async with enunclic.connect_async(url, **options) as client:
            try:
                return await getattr(client, operation)()
            except enunclic.EnunclicError as exc:
                return exc

    outcomes.append(asyncio.run(run()))
    return outcomes


def test_transports_speak_scgi(scripted: tuple[ScriptedSCGI, str]) -> None:
    server, url = scripted
    server.answer = scgi_reply(reply("<array><data></data></array>"))
    assert run_both(url, "torrents") == [[], []]
    for request in server.requests:
        assert b"REQUEST_URI\x00/RPC2\x00" in request
        assert request.endswith(b"</methodCall>")
        assert b"<methodName>d.multicall2</methodName>" in request


@pytest.mark.parametrize(
    "answer",
    [
        scgi_reply(BOMB),
        scgi_reply(EXTERNAL),
        b"Status: 200 OK\r\nContent-Length: 99\r\n\r\n<cut",
        b"",
        scgi_reply(b"{}"),
    ],
)
def test_transports_refuse_bad_replies(scripted: tuple[ScriptedSCGI, str], answer: bytes) -> None:
    server, url = scripted
    server.answer = answer
    for outcome in run_both(url, "torrents"):
        assert isinstance(outcome, ProtocolError), outcome
        assert "lol" not in str(outcome)
        assert "root:" not in str(outcome)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (b"Status: 404 Not Found\r\n\r\n", EndpointNotFoundError),
        (b"Status: 500 Internal Server Error\r\n\r\n", ServerError),
        (b"Status: 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>hi</body></html>", ProtocolError),
    ],
)
def test_scgi_replies_get_the_core_status_check(
    scripted: tuple[ScriptedSCGI, str], answer: bytes, error: type[Exception]
) -> None:
    """Over TCP and over a unix socket alike, an SCGI reply is checked as this server's own."""
    server, url = scripted
    server.answer = answer
    for outcome in run_both(url, "torrents"):
        assert type(outcome) is error, outcome


def test_transports_time_out(scripted: tuple[ScriptedSCGI, str]) -> None:
    server, url = scripted
    server.answer = b"HANG"
    for outcome in run_both(url, "torrents", timeout=0.3):
        assert isinstance(outcome, RequestTimeout), outcome


def test_nobody_listening_is_a_connect_error(tmp_path: Path) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # bound, never listening: the port is closed
    for url in (f"rtorrent+scgi://127.0.0.1:{port}", f"rtorrent+scgi://{tmp_path / 'missing.sock'}"):
        for outcome in run_both(url, "torrents"):
            assert isinstance(outcome, ConnectError), outcome


def test_scgi_refuses_credentials() -> None:
    with pytest.raises(InvalidInputError):
        enunclic.connect("rtorrent+scgi://admin:secret@127.0.0.1:5000")


def test_url_forms() -> None:
    with enunclic.connect("rtorrent://127.0.0.1") as client:
        assert client.backend.config.url == "scgi://127.0.0.1:5000/RPC2"
    with enunclic.connect("rtorrent+scgi:///run/rtorrent.sock") as client:
        assert client.backend.config.url == "scgi:///run/rtorrent.sock"
        assert client.backend.transport().address.path == "/run/rtorrent.sock"  # type: ignore[union-attr]
    with enunclic.connect("rtorrent+https://u:s3cr3t@127.0.0.1/RPC2") as client:
        assert client.backend.transport() is None
        assert "s3cr3t" not in repr(client)
        assert "s3cr3t" not in repr(client.backend.auth)


def test_a_running_hash_check_is_waited_for_then_reported(
    scripted: tuple[ScriptedSCGI, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """rTorrent 0.9.8 can deadlock when d.stop/d.erase/d.check_hash hit a torrent being checked:
    those calls are never sent while d.hashing says a check runs, which is polled with pauses."""
    monkeypatch.setattr(rtorrent_backend, "SETTLE_WITHIN", 0.2)
    server, url = scripted
    server.answer = scgi_reply(
        reply(
            "<array><data>"
            + "<value><array><data><value><i4>1</i4></value></data></array></value>" * 2
            + "</data></array>"
        )
    )
    with enunclic.connect(url) as client:
        for operation in (client.pause, client.resume, client.recheck, client.remove):
            before, start = len(server.requests), time.monotonic()
            with pytest.raises(ServerError, match="hash-checked"):
                operation("a" * 40)
            assert time.monotonic() - start >= 0.2
            assert 2 <= len(server.requests) - before <= 6  # a few looks with pauses, not a burst
    for request in server.requests:
        assert b"d.hashing" in request
        assert b"d.stop" not in request
        assert b"d.erase" not in request
        assert b"d.check_hash" not in request
