"""Serve a MemoryServer over real HTTP on 127.0.0.1, so a bridge subprocess (or Node) can reach it.

No test hook in the bridge: the memory backend (installed by entry point) talks plain
HTTP to this loopback server, like any backend to its daemon.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx
from enunclic_memory import MemoryServer


class MemoryHTTP:
    """``with MemoryHTTP(server) as http: http.port``; requests are served one at a time."""

    def __init__(self, server: MemoryServer) -> None:
        self.server = server
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                request = httpx.Request(
                    self.command, f"http://127.0.0.1{self.path}", headers=dict(self.headers.items()), content=body
                )
                with outer._lock:
                    response = outer.server.handle(request)
                self.send_response(response.status_code)
                self.send_header("content-type", response.headers.get("content-type", "text/plain"))
                self.send_header("content-length", str(len(response.content)))
                self.end_headers()
                self.wfile.write(response.content)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def url(self, password: str | None = None) -> str:
        """The enunclic URL of this server (credentials in it only when asked)."""
        auth = f"admin:{password}@" if password else ""
        return f"memory://{auth}127.0.0.1:{self.port}"

    def __enter__(self) -> MemoryHTTP:
        self._thread.start()
        return self

    def __exit__(self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
