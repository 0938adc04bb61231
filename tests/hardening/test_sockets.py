"""The same faults over real loopback sockets: what httpx raises is translated for every backend.

A tiny TCP server on 127.0.0.1 misbehaves in one way per test; the client's first request
(login, discovery or the listing itself) meets it.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import pytest

import enunclic
from enunclic import ConnectError, EnunclicError, ProtocolError, RequestTimeout

from .fakes import BACKENDS, make_target

#: How each misbehaviour must surface.
EXPECTED: dict[str, type[EnunclicError]] = {
    "reset": ConnectError,  # RST right after the request arrives
    "silent": RequestTimeout,  # accepts, reads, never answers
    "short_body": ConnectError,  # promises 1000 bytes, sends 5, closes
    "not_http": ConnectError,  # answers a line that is not HTTP at all
    "refused": ConnectError,  # nothing listens
    "html": ProtocolError,  # a web server's HTML page with 200
}


class BadServer:
    """Accepts connections on 127.0.0.1 and misbehaves as told."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self._stop = threading.Event()
        self._clients: list[socket.socket] = []
        if mode == "refused":
            self.sock.close()
            return
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._clients.append(conn)
            conn.settimeout(2)
            try:
                conn.recv(65536)
                self._misbehave(conn)
            except OSError:
                pass

    def _misbehave(self, conn: socket.socket) -> None:
        if self.mode == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
        elif self.mode == "short_body":
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":')
            conn.close()
        elif self.mode == "not_http":
            conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
            conn.close()
        elif self.mode == "html":
            page = b"<!DOCTYPE html><html><body><form><input name=password></form></body></html>"
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(page)
            conn.sendall(head + page)
        # "silent": keep the connection open, say nothing

    def close(self) -> None:
        self._stop.set()
        for conn in self._clients:
            conn.close()
        self.sock.close()


@pytest.fixture
def bad_server(request: pytest.FixtureRequest) -> Iterator[BadServer]:
    server = BadServer(str(request.param))
    yield server
    server.close()


@pytest.mark.parametrize(
    ("backend", "bad_server"),
    [(b, m) for b in BACKENDS for m in sorted(EXPECTED)],
    indirect=["bad_server"],
)
def test_a_misbehaving_socket_is_a_typed_error(backend: str, bad_server: BadServer) -> None:
    target = make_target(backend)
    scheme, rest = target.url.split("://", 1)
    userinfo = rest.split("@", 1)[0] + "@" if "@" in rest else ""
    path = "/RPC2" if backend == "rtorrent" else ""
    url = f"{scheme}://{userinfo}127.0.0.1:{bad_server.port}{path}"
    with enunclic.connect(url, timeout=0.5, retries=0, **target.options) as client:
        with pytest.raises(EXPECTED[bad_server.mode]) as caught:
            client.torrents()
    assert caught.value.backend == backend and caught.value.operation == "torrents"
