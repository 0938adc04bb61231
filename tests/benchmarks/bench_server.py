"""A fake server on a real loopback socket, for clients that bring their own HTTP stack (the peers).

The fakes of ``tests/hardening/fakes.py`` are ``handler(request) -> response`` functions that an
httpx transport calls in-process; the peer libraries speak HTTP through requests or niquests and
need a socket. :class:`LoopbackServer` puts a handler on 127.0.0.1 and acts out the part of a
real server that the wire shows: the daemons compress a reply only when the request accepts gzip,
and a slow link delivers the bytes at its own pace. It counts the bytes each way and the time the
server itself spent on each request, so that what the client and the link cost can be told apart.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx

__all__ = ["Handler", "LoopbackServer", "canned"]

Handler = Callable[[httpx.Request], httpx.Response]

#: Headers the server writes itself (the body it sends decides them), not copied from the handler's reply.
_OWN_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding", "connection"})
#: Bytes written between two checks of the pace: about 1 ms at 100 Mbit/s.
_CHUNK = 16 * 1024


def canned(handler: Handler, is_list: Callable[[httpx.Request], bool], body: bytes) -> Handler:
    """``handler``, except that listing requests are answered with the same ``body`` every time."""

    def answer(request: httpx.Request) -> httpx.Response:
        if is_list(request):
            return httpx.Response(200, headers={"content-type": "application/json"}, content=body)
        return handler(request)

    return answer


class LoopbackServer:
    """``handler`` served over HTTP/1.1 on 127.0.0.1, optionally compressing and paced at ``rate``.

    ``gzip_level``: the reply is gzip-compressed at this level when the request accepts gzip, as
    Transmission, qBittorrent and deluge-web do (and only then); None never compresses.
    ``rate``: bytes per second each way (a symmetric link); None is loopback speed. Compressed
    replies are cached by body, so a repeated listing costs the server nothing the second time:
    the server's time is the fake's, not a daemon's, and is reported apart (:attr:`server_seconds`).
    """

    def __init__(self, handler: Handler, *, gzip_level: int | None = None, rate: float | None = None) -> None:
        self.handler = handler
        self.gzip_level = gzip_level
        self.rate = rate
        self.bytes_received = 0  # request line, headers and body, as read from the socket
        self.bytes_sent = 0  # status line, headers and body, as written to the socket
        self.requests = 0
        #: Wall seconds the server spent answering (the handler and compression), link time excluded.
        self.server_seconds = 0.0
        self._lock = threading.Lock()  # the fakes are not thread-safe; a client may open two connections
        self._compressed: dict[bytes, bytes] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._request_handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._serve, name="loopback-server", daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reset_counters(self) -> None:
        with self._lock:
            self.bytes_received = self.bytes_sent = self.requests = 0
            self.server_seconds = 0.0

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _serve(self) -> None:
        self._httpd.serve_forever(poll_interval=0.05)  # a short poll: closing waits for it

    def _pace(self, started: float, size: int) -> None:
        """Sleep until ``size`` bytes since ``started`` have had the time the link needs for them."""
        if self.rate is not None:
            delay = started + size / self.rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)

    def _encode(self, body: bytes, accepted: str) -> tuple[bytes, bool]:
        if self.gzip_level is None or not body or "gzip" not in accepted.lower():
            return body, False
        packed = self._compressed.get(body)
        if packed is None:
            packed = self._compressed[body] = gzip.compress(body, self.gzip_level, mtime=0)
        return packed, True

    def _answer(self, request: httpx.Request) -> tuple[int, str, list[tuple[str, str]], bytes]:
        """Status, reason, headers and body of the reply to ``request`` (the fake's, then encoded)."""
        started = time.perf_counter()
        with self._lock:
            response = self.handler(request)
            body = response.read()
            body, packed = self._encode(body, request.headers.get("accept-encoding", ""))
            self.server_seconds += time.perf_counter() - started
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _OWN_HEADERS]
        if packed:
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        return response.status_code, response.reason_phrase, headers, body

    def _request_handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the daemons and the clients use it
            # The reply goes out in paced chunks: with Nagle's algorithm a short last chunk would wait
            # for the client's delayed ACK (40 ms on Linux), a stall of this server, not of the link.
            disable_nagle_algorithm = True

            def _serve(self) -> None:
                arrived = time.perf_counter()
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                head = len(self.raw_requestline) + sum(len(f"{k}: {v}\r\n") for k, v in self.headers.items()) + 2
                server._pace(arrived, head + len(body))  # the request's own trip over the link
                request = httpx.Request(
                    self.command, server.url + self.path, headers=list(self.headers.items()), content=body
                )
                status, reason, headers, content = server._answer(request)
                lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers), "", ""]
                reply = "\r\n".join(lines).encode("latin-1") + content
                with server._lock:  # counted before the client can have the reply and read the counters
                    server.requests += 1
                    server.bytes_received += head + len(body)
                    server.bytes_sent += len(reply)
                sending = time.perf_counter()
                for start in range(0, len(reply), _CHUNK):
                    end = min(start + _CHUNK, len(reply))
                    server._pace(sending, end)  # a chunk is there when its last byte would have arrived
                    self.wfile.write(reply[start:end])
                self.wfile.flush()

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the benchmark prints its own figures."""

        return Handler
