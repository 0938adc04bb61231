"""P2 (requests per bulk operation) and P3 (bytes per steady-state poll), against the fake servers."""

from __future__ import annotations

from dataclasses import dataclass

from tests.hardening.fakes import make_target

from .bench_payloads import BACKENDS

__all__ = ["PollBytes", "bulk_requests", "poll_bytes"]


def bulk_requests(count: int, backends: tuple[str, ...] = BACKENDS) -> dict[str, dict[str, int]]:
    """Requests each of pause, resume and remove of ``count`` torrents sends (session already up)."""
    results: dict[str, dict[str, int]] = {}
    for backend in backends:
        target = make_target(backend, count)
        ids = [target.id_of(i) for i in range(count)]
        with target.connect() as client:
            client.info()
            row = {}
            for operation in ("pause", "resume", "remove"):
                before = client.requests_sent
                if operation == "remove":
                    client.remove(ids)
                else:
                    getattr(client, operation)(ids)
                row[operation] = client.requests_sent - before
            assert not client.torrents(), f"{backend}: remove left torrents behind"
        results[backend] = row
    return results


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
