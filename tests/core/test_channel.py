"""The channel: cookies carried, auth objects, single-flight logins, deadlines, discovery before capability checks."""

from __future__ import annotations

import asyncio
import gzip
import http.server
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

import enunclic
from enunclic import RequestTimeout
from enunclic.plugin import (
    AddedTorrent,
    AddOptions,
    AuthenticationError,
    Backend,
    BackendConfig,
    Capability,
    Flow,
    NotSupportedError,
    ServerInfo,
    SessionAuth,
    SessionExpiredError,
    Torrent,
    TorrentSource,
    TorrentState,
)
from enunclic.registry import BackendRegistrar
from enunclic.testing.torrents import make_test_torrent

BASE = "http://127.0.0.1:9"


class _CookieAuth(SessionAuth):
    """Logs in at /login; the server's cookie is all the session there is."""

    def __init__(self, config: BackendConfig) -> None:
        super().__init__()
        self.config = config
        self.logins = 0

    def login(self) -> Flow[None]:
        self.logins += 1
        response = yield httpx.Request("POST", f"{BASE}/login", json={"password": self.config.password})
        if response.json() != {"ok": True}:
            raise AuthenticationError("wrong password")

    def is_lost(self, response: httpx.Response) -> bool:
        return response.status_code == 419

    def logout(self) -> Flow[None]:
        yield httpx.Request("POST", f"{BASE}/logout")


class _Toy(Backend):
    """A backend of a cookie-login JSON API whose version decides whether it has labels."""

    name: ClassVar[str] = "toy"
    capabilities = frozenset({Capability.ADD_MAGNET, Capability.LABELS})
    protocol_statuses = frozenset({419})

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.auth = _CookieAuth(config)
        self.version: int | None = None  # unknown until discover()

    def available_capabilities(self) -> frozenset[Capability]:
        if self.version is not None and self.version < 2:
            return self.capabilities - {Capability.LABELS}
        return self.capabilities

    def discover(self) -> Flow[None]:
        response = yield httpx.Request("GET", f"{BASE}/version")
        self.version = int(response.json())

    def info(self) -> Flow[ServerInfo]:
        return ServerInfo(backend=self.name, version=str(self.version), capabilities=self.available_capabilities())
        yield  # pragma: no cover - a flow that sends nothing

    def torrents(self) -> Flow[list[Torrent]]:
        response = yield httpx.Request("GET", f"{BASE}/list")
        return [
            Torrent(id=row, name=row, state=TorrentState.SEEDING, native_state="s", progress=1.0)
            for row in response.json()
        ]

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        raise NotImplementedError
        yield  # pragma: no cover

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        yield httpx.Request("POST", f"{BASE}/pause", json=list(ids))

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        yield httpx.Request("POST", f"{BASE}/resume", json=list(ids))

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        yield httpx.Request("POST", f"{BASE}/remove", json=list(ids))

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        yield httpx.Request("POST", f"{BASE}/label", json=[list(ids), label])


class _ToyServer:
    """Sets a session cookie on login; answers 419 to requests without it; counts what it saw."""

    def __init__(self, version: int = 2, password: str = "secret") -> None:
        self.version, self.password = version, password
        self.sessions: set[str] = set()
        self.paths: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.paths.append(request.url.path)
            count = len(self.paths)
        if request.url.path == "/login":
            if httpx.Response(200, content=request.content).json()["password"] != self.password:
                return httpx.Response(200, json={"ok": False})
            session = f"s{count}"
            self.sessions.add(session)
            return httpx.Response(200, json={"ok": True}, headers={"set-cookie": f"toy={session}; Path=/; HttpOnly"})
        cookie = request.headers.get("cookie", "")
        if not any(f"toy={session}" == part.strip() for part in cookie.split(";") for session in self.sessions):
            return httpx.Response(419, json={"error": "session"})
        if request.url.path == "/version":
            return httpx.Response(200, json=self.version)
        return httpx.Response(200, json=["a", "b"])


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The toy backend, registered as a plugin would (the registrar checks it) and found by ``Client``."""
    registrar = BackendRegistrar()
    registrar(_Toy)
    monkeypatch.setattr("enunclic.client.collect_backends", registrar.backends)


def _client(server: _ToyServer, **options: Any) -> enunclic.Client:
    return enunclic.Client("toy", url=BASE, password="secret", transport=httpx.MockTransport(server), **options)


@pytest.mark.usefixtures("toy")
def test_the_login_cookie_reaches_the_next_requests() -> None:
    server = _ToyServer()
    with _client(server) as client:
        assert [t.id for t in client.torrents()] == ["a", "b"]
        client.pause("a")
    assert server.paths == ["/login", "/version", "/list", "/pause", "/logout"]


@pytest.mark.usefixtures("toy")
def test_a_lost_session_is_renewed_once_and_the_request_resent() -> None:
    server = _ToyServer()
    with _client(server) as client:
        client.torrents()
        server.sessions.clear()  # the server restarted
        assert len(client.torrents()) == 2
        assert isinstance(client.backend.auth, _CookieAuth) and client.backend.auth.logins == 2
    assert server.paths[-4:] == ["/list", "/login", "/list", "/logout"]


@pytest.mark.usefixtures("toy")
def test_a_session_lost_again_right_after_a_login_is_an_error() -> None:
    server = _ToyServer()

    def forgetful(request: httpx.Request) -> httpx.Response:
        if request.url.path != "/login":
            server.sessions.clear()
        return server(request)

    with enunclic.Client("toy", url=BASE, password="secret", transport=httpx.MockTransport(forgetful)) as client:
        with pytest.raises(SessionExpiredError):
            client.torrents()


@pytest.mark.usefixtures("toy")
def test_a_wrong_password_is_an_authentication_error_before_anything_else() -> None:
    server = _ToyServer(password="other")
    with _client(server) as client, pytest.raises(AuthenticationError):
        client.torrents()
    assert server.paths == ["/login"]


@pytest.mark.usefixtures("toy")
def test_concurrent_async_calls_log_in_once() -> None:
    server = _ToyServer()

    async def run() -> int:
        async with enunclic.AsyncClient("toy", url=BASE, password="secret", transport=httpx.MockTransport(server)) as c:
            await asyncio.gather(*(c.torrents() for _ in range(20)))
            assert isinstance(c.backend.auth, _CookieAuth)
            return c.backend.auth.logins

    assert asyncio.run(run()) == 1
    assert server.paths.count("/login") == 1 and server.paths.count("/version") == 1


@pytest.mark.usefixtures("toy")
def test_discovery_narrows_capabilities_before_the_first_operation_sends_anything() -> None:
    server = _ToyServer(version=1)
    with _client(server) as client:
        assert Capability.LABELS in client.capabilities()  # not asked yet: what the backend can ever do
        with pytest.raises(NotSupportedError, match="labels"):
            client.set_label("a", "iso")
        assert "/label" not in server.paths and server.paths == ["/login", "/version"]
        assert Capability.LABELS not in client.capabilities()
        with pytest.raises(NotSupportedError):
            client.set_label("a", "iso")  # now refused with no request at all
        assert server.paths == ["/login", "/version"]


@pytest.mark.usefixtures("toy")
def test_a_newer_server_gets_the_capability() -> None:
    server = _ToyServer(version=2)
    with _client(server) as client:
        client.set_label(["a"], "iso")
    assert server.paths[-2:] == ["/label", "/logout"]


# -- deadlines ------------------------------------------------------------------------------------------


def _dripping(request: httpx.Request) -> httpx.Response:
    """Headers at once, then one byte every 0.2 s of a reply that would take 20 s."""

    def body() -> Iterator[bytes]:
        for _ in range(100):
            time.sleep(0.2)
            yield b" "

    return httpx.Response(200, headers={"content-length": "100"}, content=body())


async def _adripping(request: httpx.Request) -> httpx.Response:
    async def body() -> AsyncIterator[bytes]:
        for _ in range(100):
            await asyncio.sleep(0.2)
            yield b" "

    return httpx.Response(200, headers={"content-length": "100"}, content=body())


def test_a_dripping_reply_cannot_hold_a_sync_call_past_its_timeout() -> None:
    url = "memory://admin:secret@127.0.0.1"
    with enunclic.connect(url, transport=httpx.MockTransport(_dripping), timeout=1.0) as client:
        started = time.monotonic()
        with pytest.raises(RequestTimeout):
            client.torrents()
        assert time.monotonic() - started < 2.0
        started = time.monotonic()
        with pytest.raises(RequestTimeout):
            client.torrents(timeout=0.5)  # a verb's own timeout
        assert time.monotonic() - started < 1.2


def test_a_dripping_reply_cannot_hold_an_async_call_past_its_timeout() -> None:
    async def run() -> float:
        url = "memory://admin:secret@127.0.0.1"
        async with enunclic.connect_async(url, transport=httpx.MockTransport(_adripping), timeout=5) as client:
            started = time.monotonic()
            with pytest.raises(RequestTimeout):
                await client.torrents(timeout=0.6)
            return time.monotonic() - started

    assert asyncio.run(run()) < 1.2


def test_retries_never_run_past_the_deadline() -> None:
    sent: list[float] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        sent.append(time.monotonic())
        raise httpx.ConnectError("refused", request=request)

    url = "memory://admin:secret@127.0.0.1"
    with enunclic.connect(url, transport=httpx.MockTransport(refuse), retries=10) as client:
        started = time.monotonic()
        with pytest.raises(enunclic.ConnectError):
            client.torrents(timeout=0.6)
        assert time.monotonic() - started < 0.7
    assert 1 <= len(sent) < 4


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf"), True, "1"])
def test_a_bad_per_call_timeout_is_refused(timeout: object) -> None:
    with enunclic.connect("memory://admin:secret@127.0.0.1", transport=httpx.MockTransport(_dripping)) as client:
        with pytest.raises(enunclic.InvalidInputError, match="timeout"):
            client.torrents(timeout=timeout)  # type: ignore[arg-type]


def test_async_add_reads_a_path_off_the_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    torrent = make_test_torrent(tmp_path, "one")
    path = tmp_path / "one.torrent"
    path.write_bytes(torrent.content)
    readers: list[int] = []
    original = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            readers.append(threading.get_ident())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)

    async def run() -> int:
        loop_thread = threading.get_ident()
        transport = httpx.MockTransport(lambda r: httpx.Response(500))
        async with enunclic.connect_async("memory://admin:secret@127.0.0.1", transport=transport) as client:
            with pytest.raises(enunclic.ServerError):
                await client.add(path)
        return loop_thread

    loop_thread = asyncio.run(run())
    assert readers and all(thread != loop_thread for thread in readers)


# -- compression and identity on the wire ------------------------------------------------------------------


class _GzipHandler(http.server.BaseHTTPRequestHandler):
    """A memory-backend server on a real socket: a token on /login, ``server.reply`` on /rpc,
    gzip-compressed when asked; it remembers the request headers."""

    def do_POST(self) -> None:
        self.server.seen.append({k.lower(): v for k, v in self.headers.items()})  # type: ignore[attr-defined]
        self.rfile.read(int(self.headers.get("content-length", 0)))
        login = self.path.endswith("/login")
        body = b'{"result": {"token": "t"}}' if login else self.server.reply  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("content-type", "application/json")
        if "gzip" in self.headers.get("accept-encoding", ""):
            body = gzip.compress(body)
            self.send_header("content-encoding", "gzip")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def gzip_server() -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _GzipHandler)
    server.seen = []  # type: ignore[attr-defined]
    server.reply = json.dumps({"result": [_ROW]}).encode()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


_ROW = {"id": "1", "hash": "a" * 40, "name": "n", "state": "seeding", "size": 1, "dir": "/d", "label": None, "pos": 0}


def _memory_url(server: http.server.ThreadingHTTPServer) -> str:
    return f"memory://admin:secret@127.0.0.1:{server.server_address[1]}"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_every_request_asks_for_gzip_names_enunclic_and_reads_the_compressed_reply(
    gzip_server: http.server.ThreadingHTTPServer, mode: str
) -> None:
    if mode == "sync":
        with enunclic.connect(_memory_url(gzip_server)) as client:
            listed = client.torrents()
    else:

        async def run() -> list[enunclic.Torrent]:
            async with enunclic.connect_async(_memory_url(gzip_server)) as client:
                return await client.torrents()

        listed = asyncio.run(run())
    assert [t.id for t in listed] == ["1"]
    seen = gzip_server.seen  # type: ignore[attr-defined]
    assert len(seen) >= 2 and all(h.get("accept-encoding") == "gzip" for h in seen)
    assert all(h.get("user-agent") == f"enunclic/{enunclic.__version__}" for h in seen)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_gzip_bomb_is_refused_by_the_cap_on_decompressed_bytes(
    gzip_server: http.server.ThreadingHTTPServer, mode: str
) -> None:
    bomb = json.dumps({"result": "0" * 8_000_000}).encode()  # 8 MB that compress to a few KB
    assert len(gzip.compress(bomb)) < 100_000
    gzip_server.reply = bomb  # type: ignore[attr-defined]
    url = _memory_url(gzip_server)
    if mode == "sync":
        with enunclic.connect(url, retries=0, max_reply_bytes=1_000_000) as client:
            with pytest.raises(enunclic.ProtocolError, match="larger than 1000000 bytes"):
                client.info()
        return

    async def run() -> None:
        async with enunclic.connect_async(url, retries=0, max_reply_bytes=1_000_000) as client:
            with pytest.raises(enunclic.ProtocolError, match="larger than 1000000 bytes"):
                await client.info()

    asyncio.run(run())


def test_an_encoding_never_asked_for_is_refused(gzip_server: http.server.ThreadingHTTPServer) -> None:
    class Brotli(_GzipHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(200)
            self.send_header("content-encoding", "br")
            self.send_header("content-length", "4")
            self.end_headers()
            self.wfile.write(b"\x00\x01\x02\x03")

    gzip_server.RequestHandlerClass = Brotli
    with enunclic.connect(_memory_url(gzip_server), retries=0) as client:
        with pytest.raises(enunclic.ProtocolError, match="did not ask for"):
            client.info()


def test_a_cut_compressed_reply_is_a_protocol_error(gzip_server: http.server.ThreadingHTTPServer) -> None:
    class Cut(_GzipHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            body = gzip.compress(b'{"result": {"token": "t"}}')[:-12]
            self.send_response(200)
            self.send_header("content-encoding", "gzip")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    gzip_server.RequestHandlerClass = Cut
    with enunclic.connect(_memory_url(gzip_server), retries=0) as client:
        with pytest.raises(enunclic.ProtocolError, match="cut short"):
            client.info()


# -- odd input and races ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [{"password": "a\udc80b"}, {"username": "ad\nmin"}, {"password": "p\x00"}, {"url": "http://127.0.0.1/\udc80"}],
)
def test_credentials_that_cannot_be_sent_are_refused_up_front(options: dict[str, str]) -> None:
    arguments = {"url": "http://127.0.0.1", **options}
    with pytest.raises(enunclic.InvalidInputError, match="cannot be sent|line breaks"):
        enunclic.Client("memory", **arguments)


def test_close_during_a_call_ends_it_with_a_typed_error() -> None:
    started = threading.Event()

    def refuse(request: httpx.Request) -> httpx.Response:
        started.set()
        raise httpx.ConnectError("refused", request=request)

    client = enunclic.connect("memory://admin:secret@127.0.0.1", transport=httpx.MockTransport(refuse), retries=5)
    closer = threading.Thread(target=lambda: (started.wait(5), client.close()))
    closer.start()
    with pytest.raises(enunclic.ClientClosedError):
        client.torrents()  # retried after a backoff: the next send finds the client closed
    closer.join(5)
    assert client.closed


@pytest.mark.usefixtures("toy")
def test_a_logout_that_finds_the_session_gone_does_not_log_in_again() -> None:
    server = _ToyServer()
    client = _client(server)
    client.torrents()
    server.sessions.clear()  # the server restarted: the logout will be refused
    client.close()
    assert server.paths[-1] == "/logout" and server.paths.count("/login") == 1
