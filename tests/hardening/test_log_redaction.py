"""No secret reaches a log line, the HTTP stack's included: httpcore logs every response header at DEBUG."""

from __future__ import annotations

import http.server
import json
import logging
import threading
from collections.abc import Iterator

import pytest

import enunclic
from enunclic.redact import redact_text

CANARY = "Canary-0f5e9d"


class _CookieHandler(http.server.BaseHTTPRequestHandler):
    """A memory-backend server that sets a session cookie holding the canary on every reply."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        login = self.path.endswith("/login")
        body = json.dumps({"result": {"token": "t"} if login else []}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("set-cookie", f"SID={CANARY}; HttpOnly")
        self.send_header("x-transmission-session-id", CANARY)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[http.server.ThreadingHTTPServer]:
    served = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CookieHandler)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


def test_the_http_stack_logs_headers_and_no_secret(
    server: http.server.ThreadingHTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"memory://admin:{CANARY}@127.0.0.1:{server.server_address[1]}"
    with enunclic.connect(url) as client:
        assert client.torrents() == []
    messages = [record.getMessage() for record in caplog.records]
    assert any(r.name.startswith("httpcore") and "set-cookie" in r.getMessage().lower() for r in caplog.records)
    assert not [m for m in messages if CANARY in m]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("[(b'Set-Cookie', b'SID=abc; HttpOnly'), (b'Content-Type', b'text/plain')]", "text/plain"),
        ("[(b'authorization', b'Basic Zm9v')]", "authorization"),
        ('HTTP Request: GET http://h/gui/?list=1&token=abc "HTTP/1.1 200 OK"', "list=1"),
        ("POST http://h/webapi/entry.cgi?_sid=abc&api=SYNO", "api=SYNO"),
        ("X-Syno-Token: abc", "X-Syno-Token"),
    ],
)
def test_redact_text_masks_values_and_keeps_the_rest(text: str, kept: str) -> None:
    redacted = redact_text(text)
    assert "abc" not in redacted and "Zm9v" not in redacted
    assert kept in redacted and "***" in redacted
