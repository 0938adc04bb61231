"""Soak: N add/pause/resume/remove cycles against real daemons; no torrent lost, duplicated or left behind.

The short run is a test (tests/hardening/test_soak.py); the long run is::

    python -m tests.hardening.soak --cycles 500                  # every daemon installed here
    python -m tests.hardening.soak --cycles 500 --backend qbittorrent --batch 5

It starts the daemons on 127.0.0.1 with the suite's own harness (tests/daemons/), prints
one line per backend and exits non-zero when any cycle found an anomaly.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import enunclic
from enunclic.testing.target import ContractTarget, TestTorrent

__all__ = ["SoakReport", "daemon_targets", "soak"]


@dataclass
class SoakReport:
    """What a soak run saw: operations done and every anomaly, with the cycle it happened in."""

    name: str
    cycles: int = 0
    operations: int = 0
    requests: int = 0
    seconds: float = 0.0
    anomalies: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.anomalies

    def line(self) -> str:
        verdict = "OK" if self.ok else f"{len(self.anomalies)} ANOMALIES"
        return (
            f"{self.name}: {self.cycles} cycles, {self.operations} operations, {self.requests} requests, "
            f"{self.seconds:.1f} s ({self.seconds / max(self.cycles, 1) * 1000:.0f} ms/cycle): {verdict}"
        )


def _ids(client: enunclic.Client) -> list[str]:
    return [t.id for t in client.torrents()]


def _wait(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def soak(name: str, target: ContractTarget, cycles: int, batch: int = 3) -> SoakReport:
    """Run ``cycles`` rounds of add (``batch`` torrents), pause, resume and remove on an empty server.

    The same torrents are added every cycle: a daemon that keeps a trace of a removed
    torrent shows up as a duplicate or a refusal on the next cycle.
    """
    report = SoakReport(name)
    torrents: list[TestTorrent] = [target.make_torrent(f"soak-{name.replace(' ', '-')}-{k}") for k in range(batch)]
    started = time.monotonic()
    with enunclic.connect(target.url, **target.options) as client:
        baseline = set(_ids(client))
        for cycle in range(1, cycles + 1):
            problems = _cycle(client, target, torrents, baseline)
            report.anomalies += [f"cycle {cycle}: {p}" for p in problems]
            report.cycles = cycle
            report.operations += len(torrents) + 3
            if problems:
                _clean(client, baseline)
        report.requests = client.requests_sent
    report.seconds = time.monotonic() - started
    return report


def _cycle(
    client: enunclic.Client, target: ContractTarget, torrents: list[TestTorrent], baseline: set[str]
) -> list[str]:
    problems: list[str] = []
    added = []
    for torrent in torrents:
        result = client.add(torrent.content)
        if result.duplicate:
            problems.append(f"{torrent.name} reported as a duplicate of a removed torrent")
        added.append(result.id)
    expected = set(added)

    def check(step: str) -> None:
        listed = _ids(client)
        twice = [i for i, n in Counter(listed).items() if n > 1]
        if twice:
            problems.append(f"after {step}: listed twice: {twice}")
        missing = expected - set(listed)
        if missing:
            problems.append(f"after {step}: lost {sorted(missing)}")
        extra = set(listed) - expected - baseline
        if extra:
            problems.append(f"after {step}: unknown torrents appeared: {sorted(extra)}")

    check("add")
    client.pause(added)
    check("pause")
    client.resume(added)
    check("resume")
    client.remove(added)
    if not _wait(lambda: not expected & set(_ids(client)), target.settle_timeout):
        problems.append(f"after remove: left behind {sorted(expected & set(_ids(client)))}")
    return problems


def _clean(client: enunclic.Client, baseline: set[str]) -> None:
    leftovers = [i for i in _ids(client) if i not in baseline]
    if leftovers:
        client.remove(leftovers)


@contextmanager
def daemon_targets(workdir: Path, backends: tuple[str, ...]) -> Iterator[list[tuple[str, ContractTarget]]]:
    """Start every available daemon of ``backends`` (all versions) and yield (name, target) pairs."""
    from _pytest.outcomes import Skipped  # the harness skips when a binary is missing

    from tests.daemons import deluge, qbittorrent, rtorrent, transmission

    started: list[tuple[str, ContractTarget]] = []
    stops: list[Callable[[], None]] = []
    try:
        if "transmission" in backends:
            for version in sorted(transmission.VERSIONS):
                try:
                    tr = transmission.start_transmission(version, workdir)
                except Skipped as why:
                    print(f"transmission {version}: skipped ({why})")
                    continue
                stops.append(tr.stop)
                started.append((f"transmission {version}", tr.target()))
        if "qbittorrent" in backends:
            for version in sorted(qbittorrent.VERSIONS):
                try:
                    qb = qbittorrent.start_qbittorrent(version, workdir)
                except Skipped as why:
                    print(f"qbittorrent {version}: skipped ({why})")
                    continue
                stops.append(qb.stop)
                started.append((f"qbittorrent {version}", qb.target()))
        if "deluge" in backends:
            for version in sorted(deluge.VERSIONS):
                try:
                    dl = deluge.start_deluge(version, workdir / f"deluge-{version}")
                except Skipped as why:
                    print(f"deluge {version}: skipped ({why})")
                    continue
                stops.append(dl.stop)
                started.append((f"deluge {version}", dl.target()))
        if "rtorrent" in backends:
            try:
                rt = rtorrent.start_rtorrent(workdir / "rtorrent", unix_socket=False)
            except Skipped as why:
                print(f"rtorrent: skipped ({why})")
            else:
                stops.append(rt.stop)
                started.append(("rtorrent scgi-tcp", rtorrent.server_for("scgi-tcp", rt, None).target()))
        yield started
    finally:
        for stop in reversed(stops):
            stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cycles", type=int, default=500)
    parser.add_argument("--batch", type=int, default=3, help="torrents added per cycle")
    parser.add_argument(
        "--backend", action="append", choices=["transmission", "qbittorrent", "rtorrent", "deluge"], help="default: all"
    )
    args = parser.parse_args(argv)
    backends = tuple(args.backend or ("transmission", "qbittorrent", "rtorrent", "deluge"))
    failed = False
    with tempfile.TemporaryDirectory(prefix="enunclic-soak-") as tmp, daemon_targets(Path(tmp), backends) as targets:
        for name, target in targets:
            report = soak(name, target, args.cycles, args.batch)
            print(report.line(), flush=True)
            for anomaly in report.anomalies[:20]:
                print(f"  {anomaly}")
            failed |= not report.ok
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
