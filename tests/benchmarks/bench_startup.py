"""Start-up: import, connect and the first listing, in a fresh interpreter each, enunclic against the peer.

What a script or a GUI pays before it shows its first list: not ``import enunclic`` alone (P4),
but everything up to the torrents in hand. Each sample is a fresh interpreter talking HTTP to
a fake server on 127.0.0.1 (:mod:`.bench_server`) that answers the listing with the same
generated reply for both libraries; each library asks for the same fields.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from tests.hardening.fakes import USERNAME, make_target
from tests.hardening.natives import transmission_torrent

from .bench_payloads import bodies
from .bench_server import LoopbackServer, canned

__all__ = ["PEERS", "ImportBreakdown", "StartupResult", "import_breakdown", "startup_times"]

PASSWORD = "adminpass"
#: The peer library measured against enunclic, per server, and the module it is imported as.
PEERS = {"transmission": ("transmission-rpc", "transmission_rpc"), "qbittorrent": ("qbittorrent-api", "qbittorrentapi")}
#: The fields enunclic asks Transmission for; the peer asks for the same.
_TRANSMISSION_FIELDS = sorted(transmission_torrent(0))

#: Each contender's code in three phases (import, connect, first listing); ``{port}`` is the server's.
_CODE: dict[tuple[str, str], tuple[str, str, str]] = {
    ("transmission", "enunclic"): (
        "import enunclic",
        f"client = enunclic.connect('transmission://{USERNAME}@127.0.0.1:{{port}}', password='{PASSWORD}')",
        "got = client.torrents()",
    ),
    ("transmission", "transmission-rpc"): (
        "import transmission_rpc",
        "client = transmission_rpc.Client(host='127.0.0.1', port={port}, "
        f"username='{USERNAME}', password='{PASSWORD}')",
        f"got = client.get_torrents(arguments={_TRANSMISSION_FIELDS!r})",
    ),
    ("qbittorrent", "enunclic"): (
        "import enunclic",
        f"client = enunclic.connect('qbittorrent://{USERNAME}@127.0.0.1:{{port}}', password='{PASSWORD}')",
        "got = client.torrents()",
    ),
    ("qbittorrent", "qbittorrent-api"): (
        "import qbittorrentapi",
        "client = qbittorrentapi.Client(host='127.0.0.1', port={port}, "
        f"username='{USERNAME}', password='{PASSWORD}')",
        "got = client.torrents_info()",
    ),
}

#: The child: wall and CPU time at the end of each phase (interpreter start-up not counted).
_TIMED = """\
import time
wall, cpu = [time.perf_counter()], [time.process_time()]
{imports}
wall.append(time.perf_counter()); cpu.append(time.process_time())
{connect}
wall.append(time.perf_counter()); cpu.append(time.process_time())
{listing}
wall.append(time.perf_counter()); cpu.append(time.process_time())
assert len(got) == {count}, len(got)
print([b - a for a, b in zip(wall, wall[1:])] + [cpu[-1] - cpu[0]])
"""


@dataclass
class StartupResult:
    server: str
    library: str
    count: int
    #: Median seconds over the processes: of each phase (wall), of the whole (wall), and the child's CPU.
    phases: dict[str, float]
    total: float
    cpu: float


def _is_listing(server: str, request: httpx.Request) -> bool:
    if server == "qbittorrent":
        return request.url.path.endswith("/torrents/info")
    return b'"torrent-get"' in request.content


@contextmanager
def serving(server: str, count: int) -> Iterator[LoopbackServer]:
    """The fake ``server`` on loopback, answering every listing with ``count`` generated torrents."""
    target = make_target(server, 0, password=PASSWORD)
    handler = canned(target.server, lambda request: _is_listing(server, request), bodies(server, count)[0])
    with LoopbackServer(handler) as loopback:
        yield loopback


def installed(server: str, python: str = sys.executable) -> bool:
    """Whether ``server``'s peer library can be imported by ``python``."""
    probe = subprocess.run([python, "-c", f"import {PEERS[server][1]}"], capture_output=True, check=False)
    return probe.returncode == 0


def _code(server: str, library: str, port: int, count: int) -> str:
    imports, connect, listing = (part.format(port=port) for part in _CODE[server, library])
    return _TIMED.format(imports=imports, connect=connect, listing=listing, count=count)


def _sample(python: str, code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, *flags, "-c", code], check=True, capture_output=True, text=True)


def startup_times(server: str, count: int, processes: int, python: str = sys.executable) -> list[StartupResult]:
    """enunclic and the peer (when installed), ``processes`` fresh ``python`` interpreters each, interleaved."""
    libraries = ["enunclic", PEERS[server][0]] if installed(server, python) else ["enunclic"]
    samples: dict[str, list[list[float]]] = defaultdict(list)
    with serving(server, count) as loopback:
        for library in libraries:  # a warm-up each: byte-code caches written, files in the page cache
            _sample(python, _code(server, library, loopback.port, count))
        for _ in range(processes):
            for library in libraries:
                out = _sample(python, _code(server, library, loopback.port, count)).stdout
                samples[library].append(json.loads(out.strip().splitlines()[-1]))
    results = []
    for library in libraries:
        runs = samples[library]
        phase = [statistics.median(run[i] for run in runs) for i in range(3)]
        results.append(
            StartupResult(
                server,
                library,
                count,
                dict(zip(("import", "connect", "first listing"), phase, strict=True)),
                statistics.median(sum(run[:3]) for run in runs),
                statistics.median(run[3] for run in runs),
            )
        )
    return results


_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)\s*$")


def _import_self_times(stderr: str) -> dict[str, float]:
    """Seconds of ``-X importtime`` self time per module."""
    found = (_IMPORT_LINE.match(line) for line in stderr.splitlines())
    return {match.group(2): int(match.group(1)) / 1e6 for match in found if match}


def _distributions(python: str) -> dict[str, list[str]]:
    """``python``'s top-level module names -> the distributions that ship them."""
    code = "import importlib.metadata, json; print(json.dumps(importlib.metadata.packages_distributions()))"
    found: dict[str, list[str]] = json.loads(_sample(python, code).stdout)
    return found


def _owner(module: str, distributions: Mapping[str, list[str]]) -> str:
    """What ships ``module``: "stdlib", or its distribution's name."""
    top = module.split(".", maxsplit=1)[0]
    if top in sys.stdlib_module_names:
        return "stdlib"
    return distributions.get(top, [top])[0]


@dataclass
class ImportBreakdown:
    """Seconds of import self time: the top distributions, and the top modules of the library's own."""

    by_distribution: list[tuple[str, float]]
    own_modules: list[tuple[str, float]]

    @property
    def total(self) -> float:
        return sum(seconds for _, seconds in self.by_distribution)


def _ranked(totals: Mapping[str, float], top: int) -> list[tuple[str, float]]:
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    if len(ranked) <= top:
        return ranked
    return [*ranked[:top], (f"{len(ranked) - top} others", sum(t for _, t in ranked[top:]))]


def import_breakdown(
    server: str, library: str, count: int, *, top: int = 6, runs: int = 3, python: str = sys.executable
) -> ImportBreakdown:
    """Where one start-up's import time goes, by ``-X importtime`` self time (the median of ``runs`` processes).

    Counts every import of the run, the lazy ones during connect and the first listing included;
    the modules a bare interpreter imports at its own start-up are left out. A module's self time
    includes running its body: the classes it defines (a pydantic model's included).
    """
    bare = set(_import_self_times(_sample(python, "pass", "-X", "importtime").stderr))
    distributions = _distributions(python)
    per_run: list[dict[str, float]] = []
    own: list[dict[str, float]] = []
    with serving(server, count) as loopback:
        for _ in range(runs):
            stderr = _sample(python, _code(server, library, loopback.port, count), "-X", "importtime").stderr
            owners: dict[str, float] = defaultdict(float)
            modules = {m: t for m, t in _import_self_times(stderr).items() if m not in bare}
            for module, seconds in modules.items():
                owners[_owner(module, distributions)] += seconds
            per_run.append(owners)
            own.append({m: t for m, t in modules.items() if _owner(m, distributions) == library})

    def medians(samples: list[dict[str, float]]) -> dict[str, float]:
        names = {name for sample in samples for name in sample}
        return {name: statistics.median(sample.get(name, 0.0) for sample in samples) for name in names}

    return ImportBreakdown(_ranked(medians(per_run), top), _ranked(medians(own), top))
