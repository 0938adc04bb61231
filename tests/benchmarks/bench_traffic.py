"""P2 (requests per bulk operation) and P3 (bytes per steady-state poll), against the fake servers."""

from __future__ import annotations

from dataclasses import dataclass

from enunclic import Client
from tests.hardening.fakes import make_target

from .bench_payloads import BACKENDS

__all__ = ["PollBytes", "bulk_requests", "poll_bytes"]


def bulk_requests(count: int, backends: tuple[str, ...] = BACKENDS) -> dict[str, dict[str, int]]:
    """Requests each of pause, resume and remove of ``count`` torrents sends (session already up).

    ``resume`` is a resume of torrents this client did not just pause (a later session, as a fresh
    client sees it); ``resume at once`` follows the client's own pause immediately, which costs
    Transmission a read (a stop lands on its next tick, and a start before that is lost).
    """
    results: dict[str, dict[str, int]] = {}
    for backend in backends:
        target = make_target(backend, count)
        ids = [target.id_of(i) for i in range(count)]
        row = {}
        with target.connect() as client:
            client.info()
            row["pause"] = _requests(client, "pause", ids)
            row["resume at once"] = _requests(client, "resume", ids)
            client.pause(ids)
        with target.connect() as later:
            later.info()
            row["resume"] = _requests(later, "resume", ids)
            row["remove"] = _requests(later, "remove", ids)
            assert not later.torrents(), f"{backend}: remove left torrents behind"
        results[backend] = row
    return results


def _requests(client: Client, operation: str, ids: list[str]) -> int:
    before = client.requests_sent
    getattr(client, operation)(ids)
    return client.requests_sent - before


@dataclass
class PollBytes:
    backend: str
    poll_bytes: int  # sent + received for one steady-state poll
    poll_requests: int
    full_bytes: int  # sent + received for one full listing
    native_delta: bool


def poll_bytes(count: int, changing: int, backends: tuple[str, ...] = BACKENDS) -> list[PollBytes]:
    """Bytes on the wire for one poll after ``changing`` of ``count`` torrents changed, vs a full list."""
    results = []
    for backend in backends:
        target = make_target(backend, count)
        wire = target.wire
        with target.connect() as client:
            client.poll()
            client.poll()  # steady state: the first poll after the initial full one
            if backend != "synology":  # the simulator moves its own tasks; its poll is a full list anyway
                target.server.touch([target.id_of(i) for i in range(changing)])
            wire.reset_counters()
            delta = client.poll()
            poll = wire.bytes_sent + wire.bytes_received
            requests = len(wire.requests)
            if backend != "synology":
                assert len(delta.changed) == changing, f"{backend}: {len(delta.changed)} changed"
            wire.reset_counters()
            client.torrents()
            full = wire.bytes_sent + wire.bytes_received
        results.append(PollBytes(backend, poll, requests, full, backend in ("transmission", "qbittorrent")))
    return results
