"""The loopback server the benchmark puts the fakes on: compression on request, byte counts, pace."""

from __future__ import annotations

import gzip
import time

import httpx

from .bench_server import LoopbackServer, canned

BODY = b'{"torrents": [' + b",".join(b'{"name": "Some.Linux.Distribution.iso"}' for _ in range(2000)) + b"]}"


def _handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Set-Cookie": "SID=1"}, content=BODY if request.url.path == "/list" else b"ok")


def test_compresses_only_when_the_request_accepts_gzip() -> None:
    with LoopbackServer(_handler, gzip_level=6) as server, httpx.Client(base_url=server.url) as client:
        packed = client.get("/list", headers={"Accept-Encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.content == BODY
        assert packed.num_bytes_downloaded == len(gzip.compress(BODY, 6, mtime=0))
        plain = client.get("/list", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert plain.content == BODY
        assert plain.headers["set-cookie"] == "SID=1"  # the fake's own headers go through


def test_counts_the_bytes_each_way_headers_included() -> None:
    with LoopbackServer(_handler) as server, httpx.Client(base_url=server.url) as client:
        server.reset_counters()
        reply = client.post("/other", content=b"12345", headers={"Accept-Encoding": "identity"})
        assert reply.content == b"ok"
        assert server.requests == 1
        head = reply.request.method.encode() + b" /other HTTP/1.1\r\n"
        assert server.bytes_received >= len(head) + 5 + sum(len(k) + len(v) + 4 for k, v in reply.request.headers.raw)
        assert server.bytes_sent > len(b"ok") + sum(len(k) + len(v) + 4 for k, v in reply.headers.raw)


def test_a_paced_reply_takes_at_least_its_size_over_the_rate() -> None:
    rate = 2_000_000.0  # bytes per second
    with LoopbackServer(_handler, rate=rate) as server, httpx.Client(base_url=server.url) as client:
        started = time.perf_counter()
        reply = client.get("/list", headers={"Accept-Encoding": "identity"})
        elapsed = time.perf_counter() - started
        assert reply.content == BODY
        assert elapsed >= len(BODY) / rate  # a lower bound: a busy machine only adds time


def test_canned_answers_listings_with_the_same_body() -> None:
    handler = canned(_handler, lambda request: request.url.path == "/torrents", b"[1, 2, 3]")
    assert handler(httpx.Request("GET", "http://127.0.0.1/torrents")).content == b"[1, 2, 3]"
    assert handler(httpx.Request("GET", "http://127.0.0.1/list")).content == BODY
