"""``Torrent.tracker`` against the real rtorrent 0.9.8: the listing carries it, and the steady poll sees
it move when another program switches a tracker off or on, and when rTorrent promotes one that answered."""

from __future__ import annotations

import http.server
import threading
import xmlrpc.client
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

import enunclic
from enunclic import Torrent, TorrentState
from enunclic.testing.contract import eventually
from enunclic.watch import apply_delta

from ..daemons.process import free_port
from ..daemons.rtorrent import HTTP_PASSWORD, HTTP_USER, RTorrentDaemon, RTorrentServer, server_for

pytestmark = pytest.mark.daemon

#: The second tracker's address: loopback, another host name than the test torrents' 127.0.0.1.
SECOND_HOST = "127.0.0.2"


def test_the_main_tracker_is_in_the_listing(rtorrent: RTorrentServer) -> None:
    with rtorrent.client() as client:
        added = client.add(rtorrent.make_torrent("rt-tracker.bin").content, paused=True)
        (listed,) = client.torrents()
        assert listed.tracker == client.torrent(added.id).tracker == "127.0.0.1"  # http://127.0.0.1:9/announce
        (polled,) = client.poll().added
        assert polled.tracker == "127.0.0.1"


class _Tracker(http.server.BaseHTTPRequestHandler):
    """An HTTP tracker that answers every announce with no peers."""

    def do_GET(self) -> None:
        body = b"d8:intervali1800e5:peers0:e"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@contextmanager
def _tracker_on(port: int) -> Iterator[None]:
    server = http.server.ThreadingHTTPServer((SECOND_HOST, port), _Tracker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


class _Watcher:
    """A client's poll deltas applied to one snapshot, as a remote keeps its list."""

    def __init__(self, client: enunclic.Client) -> None:
        self.client = client
        self.snapshot: dict[str, Torrent] = {}

    def poll(self) -> dict[str, set[str]]:
        delta = self.client.poll()
        self.snapshot = apply_delta(self.snapshot, delta)
        return delta.changed_fields

    def agrees(self) -> bool:
        """The snapshot is what a fresh list says (transfer figures aside: none move on loopback)."""
        return {t.id: t for t in self.client.torrents()} == self.snapshot


def test_a_tracker_that_moves_without_a_flag_reaches_the_steady_poll(rtorrent_tcp: RTorrentDaemon) -> None:
    """Another program switches the main tracker off and on (``t.disable``/``t.enable``), and rTorrent
    puts a tracker that answers first in its tier: no flag moves, the steady poll reads the trackers again."""
    server = server_for("http", rtorrent_tcp, None)
    server.clear()
    port = free_port()
    # "Another program": the stdlib's XML-RPC through the web server. Nothing is polled in full after the
    # first poll: what the steady polls see, they see through the tracker signals.
    with (
        xmlrpc.client.ServerProxy(f"http://{HTTP_USER}:{HTTP_PASSWORD}@127.0.0.1:{rtorrent_tcp.http_port}/RPC2") as raw,
        server.client(full_poll_every=10_000) as client,
    ):
        tid = client.add(server.make_torrent("rt-tracker-moves.bin").content, paused=True).id
        native = tid.upper()
        raw.d.tracker.insert(native, "0", f"http://{SECOND_HOST}:{port}/announce")  # tier 0, after the first
        client.resume(tid)
        # Nobody listens on either tracker yet: both fail, and the order stays.
        eventually(lambda: all(n for (n,) in raw.t.multicall(native, "", "t.failed_counter=")), 15)
        eventually(lambda: client.torrent(tid).state is TorrentState.SEEDING, 10)
        watcher = _Watcher(client)
        watcher.poll()
        assert watcher.poll() == {}  # a steady poll: nothing moved
        assert watcher.snapshot[tid].tracker == "127.0.0.1"

        raw.t.disable(f"{native}:t0")
        assert watcher.poll() == {tid: {"tracker"}}
        assert watcher.snapshot[tid].tracker == SECOND_HOST
        raw.t.enable(f"{native}:t0")
        assert watcher.poll() == {tid: {"tracker"}}
        assert watcher.snapshot[tid].tracker == "127.0.0.1"
        assert watcher.agrees()

        with _tracker_on(port):
            raw.d.tracker_announce(native)  # the first fails again, the second answers and goes first

            def promoted() -> bool:
                watcher.poll()
                return watcher.snapshot[tid].tracker == SECOND_HOST

            eventually(promoted, 20)
            assert raw.t.multicall(native, "", "t.url=")[0] == [f"http://{SECOND_HOST}:{port}/announce"]
            assert watcher.agrees()
