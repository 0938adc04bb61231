"""The simulator over real HTTP on loopback: a stdlib threading server in a background thread."""

from __future__ import annotations

import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .app import SynologySimulator

__all__ = ["LOOPBACK_HOSTS", "SimulatorServer"]

#: The only addresses the simulator listens on.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    #: Connections waiting to be accepted: a GUI demo with many clients opens hundreds at once (default 5).
    request_queue_size = 1024
    simulator: SynologySimulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up are normal here (timeouts, resets); anything else is printed as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _V6Server(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    _reset = False

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: query strings may carry sids and passwords."""

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        parts = urlsplit(self.path)
        headers = {key.lower(): value for key, value in self.headers.items()}
        answer = self.server.simulator.handle(
            self.command, parts.path, parts.query, headers=headers, body=body, client=self.client_address[0]
        )
        if answer.delay:
            time.sleep(answer.delay)
        if answer.reset:
            self._reset_connection()
            return
        try:
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("content-length", str(len(answer.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)
        except ConnectionError:
            self.close_connection = True  # the client gave up waiting (a slow-reply fault): nothing to do

    def _reset_connection(self) -> None:
        """Close with SO_LINGER 0, so the client gets a TCP reset instead of a reply."""
        self._reset = True
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.wfile.close()
        self.connection.close()

    def finish(self) -> None:
        if not self._reset:
            super().finish()

    do_GET = do_POST = do_PUT = do_HEAD = _answer


class SimulatorServer:
    """A started-on-demand HTTP server for one simulator, bound to loopback only."""

    def __init__(self, simulator: SynologySimulator, *, host: str = "127.0.0.1", port: int = 0) -> None:
        if host not in LOOPBACK_HOSTS:
            raise ValueError(f"the simulator listens on loopback only (127.0.0.1 or ::1), not {host!r}")
        server_class = _V6Server if ":" in host else _Server
        self._httpd = server_class((host, port), _Handler)
        self._httpd.simulator = simulator
        self.simulator = simulator
        self.host = host
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port actually bound (a free one when 0 was asked)."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the base URL to connect to."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Serve from a daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="synology-simulator",
                daemon=True,
            )
            self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SimulatorServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
