"""A hostile HTTP server on 127.0.0.1 that sends its headers at once, then its body one byte at a time."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"


class DripServer:
    """Every connection gets ``HTTP/1.1 200`` with a 100,000-byte Content-Length and one byte per ``every`` s."""

    def __init__(self, every: float = 0.2, limit: float = 30.0) -> None:
        self.every, self.limit = every, limit
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self) -> int:
        port: int = self._listener.getsockname()[1]
        return port

    def __enter__(self) -> DripServer:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection: socket.socket) -> None:
        ends = time.monotonic() + self.limit  # bounded, whatever the client does
        with connection:
            try:
                connection.recv(65536)
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
                )
                while not self._stop.is_set() and time.monotonic() < ends:
                    connection.sendall(b" ")
                    time.sleep(self.every)
            except OSError:
                return
