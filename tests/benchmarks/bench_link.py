"""P3 on a slow link: a listing and a steady poll in bytes on the wire and in time, enunclic against the peers.

Transmission (3.00 and 4.1), qBittorrent (4.5 and 5.1) and deluge-web (2.0.3 and 2.2.0) compress
a reply only when the request accepts gzip (observed on the real daemons of the test suite), so
what a client asks for decides what crosses the link. Each client here talks HTTP to the
backend's fake server on 127.0.0.1 (:mod:`.bench_server`), which compresses as its daemon does
(the level that reproduces the daemon's sizes) and delivers its bytes at the link's rate.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import enunclic
from tests.hardening.fakes import USERNAME, Target, make_target
from tests.hardening.natives import deluge_status, transmission_torrent

from .bench_server import LoopbackServer

__all__ = ["GZIP_LEVELS", "RATES", "LinkResult", "link_figures"]

PASSWORD = "adminpass"
#: The gzip level that reproduces each daemon's compressed sizes (Transmission 3.00 and twisted's
#: deluge-web: 9; qBittorrent: 6; Transmission 4.1 compresses about 6% tighter than zlib's 9).
GZIP_LEVELS = {"transmission": 9, "qbittorrent": 6, "deluge": 9}
#: The emulated links, in bytes per second each way.
RATES = {"100 Mbit/s": 100e6 / 8, "10 Mbit/s": 10e6 / 8}
#: What the server-side contender is called: the same enunclic client, the server told not to compress.
UNCOMPRESSED = "enunclic (server not compressing)"
_PEERS = {"transmission": "transmission-rpc", "qbittorrent": "qbittorrent-api", "deluge": "deluge-web-client"}


@dataclass
class LinkResult:
    backend: str
    library: str
    listing_bytes: int  # request and reply, headers included, as they cross the link
    poll_bytes: int
    #: Median seconds per link name: what the client waited, the fake server's own time subtracted.
    listing_seconds: dict[str, float] = field(default_factory=dict)
    poll_seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class _Session:
    """One library's client on a server: a full listing and a steady poll, each returning how many it saw."""

    listing: Callable[[], int]
    poll: Callable[[], int]
    close: Callable[[], None]


def _enunclic(backend: str, port: int, target: Target) -> _Session:
    user = "" if backend == "deluge" else f"{USERNAME}@"
    client = enunclic.connect(f"{backend}://{user}127.0.0.1:{port}", **target.options)
    return _Session(lambda: len(client.torrents()), lambda: len(client.poll().changed), client.close)


def _transmission_rpc(port: int) -> _Session | None:
    try:
        import transmission_rpc
    except ImportError:
        return None
    client = transmission_rpc.Client(host="127.0.0.1", port=port, username=USERNAME, password=PASSWORD)
    fields = list(transmission_torrent(0))  # the fields enunclic asks for
    return _Session(
        lambda: len(client.get_torrents(arguments=fields)),
        lambda: len(client.get_recently_active_torrents(arguments=fields)[0]),
        lambda: client.__exit__(None, None, None),
    )


def _qbittorrent_api(port: int) -> _Session | None:
    try:
        import qbittorrentapi
    except ImportError:
        return None
    client = qbittorrentapi.Client(host="127.0.0.1", port=port, username=USERNAME, password=PASSWORD)
    rid = 0

    def poll() -> int:
        nonlocal rid
        data = client.sync_maindata(rid=rid)
        rid = data["rid"]
        return len(data.get("torrents", {}))

    return _Session(lambda: len(client.torrents_info()), poll, client.auth_log_out)


def _deluge_web_client(port: int) -> _Session | None:
    try:
        from deluge_web_client import DelugeWebClient
    except ImportError:
        return None
    client = DelugeWebClient(url=f"http://127.0.0.1:{port}", password=PASSWORD)
    client.login()
    keys = list(deluge_status(0))  # the keys enunclic asks for

    def listing() -> int:
        result = client.update_ui(keys=keys).result
        return len(result["torrents"]) if isinstance(result, dict) else 0

    # deluge-web has no delta: a poll lists the same fields again, and the caller compares.
    return _Session(listing, listing, client.close_session)


def _session(backend: str, library: str, port: int, target: Target) -> _Session | None:
    if library.startswith("enunclic"):
        return _enunclic(backend, port, target)
    peers: dict[str, Callable[[int], _Session | None]] = {
        "transmission": _transmission_rpc,
        "qbittorrent": _qbittorrent_api,
        "deluge": _deluge_web_client,
    }
    return peers[backend](port)


@contextmanager
def _server(backend: str, count: int, compress: bool) -> Iterator[tuple[Target, LoopbackServer]]:
    target = make_target(backend, count, password=PASSWORD)
    with LoopbackServer(target.server, gzip_level=GZIP_LEVELS[backend] if compress else None) as server:
        yield target, server


def _measure(server: LoopbackServer, call: Callable[[], int]) -> tuple[int, float, int]:
    """Bytes on the wire and seconds the client waited (the server's own time out) for one call, and its count."""
    server.reset_counters()
    started = time.perf_counter()
    seen = call()
    waited = time.perf_counter() - started - server.server_seconds
    return server.bytes_received + server.bytes_sent, waited, seen


def _library(backend: str, library: str, count: int, changing: int, repeat: int) -> LinkResult | None:
    with _server(backend, count, compress=library != UNCOMPRESSED) as (target, server):
        session = _session(backend, library, server.port, target)
        if session is None:
            return None
        try:
            assert session.listing() == count, f"{backend} {library}: listing"  # log in, warm up
            session.poll()
            session.poll()  # steady state: the poll after the first one
            changed = [target.id_of(i) for i in range(changing)]
            result = LinkResult(backend, library, 0, 0)
            for name, rate in RATES.items():
                server.rate = rate
                listings, polls = [], []
                for _ in range(repeat):
                    result.listing_bytes, waited, seen = _measure(server, session.listing)
                    assert seen == count, f"{backend} {library}: {seen} of {count} listed"
                    listings.append(waited)
                    target.server.touch(changed)
                    result.poll_bytes, waited, seen = _measure(server, session.poll)
                    expected = count if backend == "deluge" and not library.startswith("enunclic") else changing
                    assert seen == expected, f"{backend} {library}: {seen} in the poll, {expected} expected"
                    polls.append(waited)
                result.listing_seconds[name] = statistics.median(listings)
                result.poll_seconds[name] = statistics.median(polls)
                server.rate = None
            return result
        finally:
            session.close()


def link_figures(count: int, changing: int, repeat: int) -> list[LinkResult | tuple[str, str]]:
    """Per backend: enunclic, its peer (or ``(backend, peer)`` when not installed), enunclic uncompressed."""
    results: list[LinkResult | tuple[str, str]] = []
    for backend in GZIP_LEVELS:
        for library in ("enunclic", _PEERS[backend], UNCOMPRESSED):
            found = _library(backend, library, count, changing, repeat)
            results.append(found if found is not None else (backend, library))
    return results
