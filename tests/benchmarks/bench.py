"""enunclic benchmarks: one run prints every figure and ratio (P1-P5, memory, a slow link, start-up). Not a test.

Run from the repository root::

    python -m tests.benchmarks.bench               # the full run (10,000 torrents), several minutes
    python -m tests.benchmarks.bench --quick       # 1,000 torrents, fewer repeats: a smoke run
    python -m tests.benchmarks.bench --profile     # plus where the listing time goes, per backend

The peer libraries are measured when installed (``pip install transmission-rpc qbittorrent-api
deluge-web-client py-synologydsm-api``); they are not dependencies of enunclic.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import subprocess
import sys
from collections.abc import Sequence
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from .bench_import import import_times
from .bench_link import RATES, UNCOMPRESSED, LinkResult, link_figures
from .bench_list import ListResult, measure_lists, median_run, profile_list
from .bench_memory import MemoryResult, measure_memory
from .bench_payloads import BACKENDS
from .bench_startup import PEERS, import_breakdown, startup_times
from .bench_traffic import bulk_requests, poll_bytes

#: Targets from the issue.
P1_TARGET = 1.5  # x json.loads
P2_TARGET = 1  # request per bulk operation
P4_TARGET = 1.3  # x import httpx, pydantic
STARTUP_TARGET = 1.2  # x the peer library: import + connect + first listing
#: The peer libraries whose versions the header names.
PEER_PACKAGES = ("transmission-rpc", "qbittorrent-api", "deluge-web-client", "py-synologydsm-api")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def _interpreter(python: str) -> str:
    """A line naming ``python`` (another interpreter than this one) and what it has installed."""
    names = ["enunclic", "httpx", "pydantic", "transmission-rpc", "qbittorrent-api"]
    code = (
        "import importlib.metadata as m\n"
        f"for name in {names!r}:\n"
        "    try: print(name, m.version(name))\n"
        "    except m.PackageNotFoundError: print(name, 'not installed')"
    )
    found = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout.splitlines()
    return f"Interpreter: {python} ({', '.join(found)})\n"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "yes" if ok else "**MISSED**"


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (
        f"Machine: {os.cpu_count()} CPUs (nproc), {_cpu_model()}; Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.release()}; load average {load}\n"
        f"Versions: enunclic {_version('enunclic')}, httpx {_version('httpx')}, pydantic {_version('pydantic')} "
        f"(pydantic-core {_version('pydantic-core')}); "
        + ", ".join(f"{name} {_version(name)}" for name in PEER_PACKAGES)
    )


def p1(count: int, repeat: int, processes: int, profile: bool, backends: tuple[str, ...] = BACKENDS) -> None:
    print(
        f"\n## P1: {count:,} torrents, reply bytes -> list[Torrent] (least of {repeat} runs in a process; "
        f"the median of {processes} processes; target <= {P1_TARGET}x floor)\n"
    )
    rows = []
    missed = []
    for runs in measure_lists(count, repeat, backends, processes):
        r = median_run(runs)
        ratio = r.ours / r.floor
        ratios = sorted(run.ours / run.floor for run in runs)
        spread = f" ({ratios[0]:.2f}-{ratios[-1]:.2f})" if len(ratios) > 1 else ""
        ok = ratio <= P1_TARGET
        if not ok:
            missed.append(r.backend)
        peers = (
            "; ".join(
                f"{name} {t * 1000:.0f} ms ({r.ours / t:.1f}x)" if t is not None else f"{name}: not installed"
                for name, t in r.peers.items()
            )
            or "-"
        )
        rows.append(
            [
                r.backend,
                f"{r.reply_bytes / 1e6:.1f} MB",
                f"{r.ours * 1000:.0f} ms",
                f"{r.floor_name} {r.floor * 1000:.0f} ms",
                f"{ratio:.2f}x{spread}",
                _met(ok),
                f"{r.ours / r.count * 1e6:.1f} us",
                f"{r.floor / r.count * 1e6:.1f} us",
                _where(r),
                peers,
            ]
        )
    print(
        _table(
            [
                "backend",
                "reply",
                "enunclic",
                "floor",
                "enunclic/floor",
                "target met",
                "per torrent",
                "floor per torrent",
                "where a torrent's time goes (us)",
                "peers (enunclic/peer)",
            ],
            rows,
        )
    )
    print(
        "\nenunclic = Client.torrents() on a logged-in client whose transport (httpx.MockTransport) returns "
        "the canned reply: everything a user pays (httpx, the flow, parsing, pydantic models), nothing "
        "subtracted. Peers = the peer library's own parsing of the same bytes (json.loads + its model classes). "
        "Where the time goes: each stage timed on its own on the same bytes, the difference to the stage "
        "before it. JSON backends: read = the native fields read from the bytes and converted in Rust "
        "(pydantic-core, a typed dict with aliases); rules = the backend's Python rules (state tables, "
        "derived fields), one after-validator per torrent; models = the values validated by Torrent's own "
        "schema, which builds the models; client = the rest of Client.torrents() (httpx, the flow). "
        "rTorrent: read = the XML-RPC reply read into rows; mapping = rows -> Torrent in Python."
    )
    if profile or missed:
        for backend in backends if profile else missed:
            print(f"\n### Where the time goes: {backend} ({min(count, 2000):,} torrents, cProfile by own time)\n")
            print("```")
            print(_trim_profile(profile_list(backend, min(count, 2000))))
            print("```")


def _where(r: ListResult) -> str:
    """The per-torrent microseconds of each stage of ``r``, and of the client around them."""
    parts, before = [], 0.0
    for name, upto in r.stages.items():
        parts.append(f"{name} {(upto - before) / r.count * 1e6:.1f}")
        before = upto
    parts.append(f"client {max(r.ours - before, 0.0) / r.count * 1e6:.1f}")
    return " + ".join(parts)


def _trim_profile(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(re.sub(r"/[^ ]*/(site-packages|lib/python3\.\d+|main)/", "", line) for line in lines[start:])


def _mb(size: int | None) -> str:
    return "n/a" if size is None else f"{size / 1e6:.1f} MB"


def p1_memory(count: int, backends: tuple[str, ...] = BACKENDS) -> None:
    print(
        f"\n## P1 memory: {count:,} torrents, reply bytes -> list[Torrent] (a fresh process each; "
        "target: no more than the peer library)\n"
    )
    results = measure_memory(count, backends)
    rows = []
    for r in results:
        peer = next((p for p in results if p.backend == r.backend and p.role == "peer"), None)
        rows.append(
            [
                r.backend,
                _mb(r.reply_bytes),
                r.contender,
                _mb(r.peak),
                _mb(r.retained),
                f"{r.retained / r.count / 1000:.1f} kB",
                _mb(r.rss_growth),
                _mb(r.rss_peak_growth),
                _memory_verdict(r, peer),
            ]
        )
    print(
        _table(
            [
                "backend",
                "reply",
                "library",
                "peak (tracemalloc)",
                "held after",
                "held per torrent",
                "RSS growth",
                "RSS peak growth",
                "enunclic/peer (peak, RSS peak), target met",
            ],
            rows,
        )
    )
    print(
        "\nEach row is a fresh interpreter that read the reply bytes from a file (not counted) and listed a few "
        "torrents once (validators and classes built once per process are not counted). Peak and held after = "
        "Python's allocations (tracemalloc) during the listing and after it, the result held: Rust's allocations "
        "inside pydantic-core are not traced. RSS growth = the resident set after the listing (result held) minus "
        "before, and RSS peak growth its high-water mark (VmHWM, reset before) minus before: everything the process "
        "took from the system, pydantic-core's included, measured in a first run without tracemalloc. The floor is "
        "json.loads (rTorrent: ET.fromstring) of the same bytes; a peer is the peer library's own parse of them."
    )


def _memory_verdict(r: MemoryResult, peer: MemoryResult | None) -> str:
    if r.role != "enunclic":
        return ""
    if peer is None:
        return "no peer installed"
    ratios = [r.peak / peer.peak]
    if r.rss_peak_growth is not None and peer.rss_peak_growth:
        ratios.append(r.rss_peak_growth / peer.rss_peak_growth)
    shown = ", ".join(f"{x:.2f}x" for x in ratios)
    return f"{shown} vs {peer.contender}: {_met(max(ratios) <= 1.0)}"


def p2(count: int) -> None:
    print(f"\n## P2: requests sent for one bulk operation on {count:,} torrents (target {P2_TARGET})\n")
    results = bulk_requests(count)
    steady = ("pause", "resume", "remove")
    rows = [
        [b, *(r[k] for k in steady), r["resume at once"], _met(max(r[k] for k in steady) <= P2_TARGET)]
        for b, r in results.items()
    ]
    print(_table(["backend", *steady, "resume at once", "target met"], rows))
    print(
        "\nresume at once: a resume sent right after this client's own pause. Transmission applies a stop on "
        "its next once-a-second tick and drops a start that comes before it, so the backend first reads the "
        "torrents' status until the stop has landed: here one read, as the fake server stops at once; a real "
        "daemon takes up to a second, read every 0.2 s."
    )


def p3(count: int, changing: int) -> None:
    print(f"\n## P3: bytes per steady-state poll, {count:,} torrents with {changing} changing, vs a full list\n")
    rows = [
        [
            r.backend,
            _how(r.native_delta, r.poll_bytes, r.full_bytes),
            f"{r.poll_bytes:,}",
            r.poll_requests,
            f"{r.full_bytes:,}",
            f"{r.poll_bytes / r.full_bytes:.3f}",
        ]
        for r in poll_bytes(count, changing)
    ]
    print(_table(["backend", "how", "poll bytes", "poll requests", "full list bytes", "poll/full"], rows))
    print(
        "\nBytes = request bodies sent + reply bodies received (headers excluded). A lighter list asks only for the "
        "fields that change and reads the others again for the torrents that need it; every 60th poll lists "
        "everything again (option full_poll_every)."
    )


def _how(native: bool, poll: int, full: int) -> str:
    """How a poll got its delta: the server's own, or a list enunclic compares (full, or only what changes)."""
    if native:
        return "native delta"
    return "full list, diffed locally" if poll >= full else "lighter list, diffed locally"


def p3_link(count: int, changing: int, repeat: int) -> None:
    rates = " and ".join(RATES)
    print(
        f"\n## P3 on a slow link: {count:,} torrents, {changing} changing, at {rates} "
        f"(servers that compress only on request; the median of {repeat})\n"
    )
    rows = []
    for r in link_figures(count, changing, repeat):
        if not isinstance(r, LinkResult):
            rows.append([r[0], r[1], "not installed", *[""] * (2 * len(RATES) + 1)])
            continue
        rows.append(
            [
                r.backend,
                r.library,
                f"{r.listing_bytes:,}",
                *(f"{r.listing_seconds[name] * 1000:.0f} ms" for name in RATES),
                f"{r.poll_bytes:,}",
                *(f"{r.poll_seconds[name] * 1000:.1f} ms" for name in RATES),
            ]
        )
    header = [
        "backend",
        "library",
        "listing bytes",
        *(f"listing at {name}" for name in RATES),
        "poll bytes",
        *(f"poll at {name}" for name in RATES),
    ]
    print(_table(header, rows))
    print(
        "\nEach library talks HTTP over a real 127.0.0.1 socket to the backend's fake server, which gzips a reply "
        "when the request accepts gzip, at the level that reproduces its daemon's sizes (Transmission 3.00 and "
        "deluge-web 9, qBittorrent 6), and writes its bytes at the link's rate (each way, no added latency). "
        "Bytes = request and reply, headers included. Time = what the client waited, less the fake server's own "
        "time (building and compressing the reply), so it is the link and the client. The peers ask for the same "
        f"fields as enunclic. {UNCOMPRESSED}: the same client, the server compressing nothing, for scale. Polls: "
        "Transmission's is recently-active plus enunclic's four-field check of every torrent (labels and queue "
        "positions change without making a torrent recently active), transmission-rpc's recently-active alone; "
        "qBittorrent's is sync/maindata from the last rid; deluge-web has no delta: enunclic's poll asks for the "
        "fields that change, deluge-web-client's the same fields as its listing."
    )


def p4(repeat: int, python: str = sys.executable) -> None:
    print(f"\n## P4: import time, fresh interpreter each (median of {repeat}; target <= {P4_TARGET}x)\n")
    if python != sys.executable:
        print(_interpreter(python))
    times = import_times(repeat, python)

    def row(ours: str, reference: str, judged: bool = True) -> list[str]:
        ratio = times[ours] / times[reference]
        met = _met(ratio <= P4_TARGET) if judged else "(for information)"
        timed = [f"{times[name] * 1000:.0f} ms" for name in (ours, reference)]
        return [ours, timed[0], reference, timed[1], f"{ratio:.2f}x", met]

    first_client = "import enunclic + first Client"
    rows = [
        row("import enunclic", "import httpx, pydantic"),
        row(first_client, "import httpx, pydantic + httpx.Client"),
        row(first_client, "dependencies at work", judged=False),
    ]
    print(_table(["enunclic", "time", "reference", "time", "ratio", "target met"], rows))
    print(
        "\nDependencies at work = import httpx, pydantic and pluggy, make an httpx.Client, define one pydantic "
        "model (which loads pydantic's model machinery, lazy in `import pydantic`), make a pluggy manager and "
        "read the entry points for plugins: what a first Client cannot avoid; the gap to it is enunclic's own code."
    )


def startup(count: int, processes: int, breakdown_runs: int = 3, python: str = sys.executable) -> None:
    print(
        f"\n## Start-up: import + connect + first listing of {count:,} torrents, a fresh interpreter each "
        f"(the median of {processes}; target <= {STARTUP_TARGET}x the peer library)\n"
    )
    if python != sys.executable:
        print(_interpreter(python))
    rows, missed = [], []
    for server in PEERS:
        results = startup_times(server, count, processes, python)
        peer = next((r for r in results if r.library != "enunclic"), None)
        for r in results:
            verdict = ""
            if r.library == "enunclic" and peer is None:
                verdict = f"{PEERS[server][0]} not installed"
            elif r.library == "enunclic" and peer is not None:
                ratio = r.total / peer.total
                verdict = f"{ratio:.2f}x {_met(ratio <= STARTUP_TARGET)}"
                if ratio > STARTUP_TARGET:
                    missed.append((server, peer.library))
            phases = [f"{t * 1000:.0f} ms" for t in r.phases.values()]
            rows.append([server, r.library, *phases, f"{r.total * 1000:.0f} ms", f"{r.cpu * 1000:.0f} ms", verdict])
    header = ["server", "library", "import", "connect", "first listing", "total", "CPU", "enunclic/peer (total)"]
    print(_table(header, rows))
    print(
        "\nWall time in the child from before its first import to the torrents in hand (interpreter start-up not "
        "counted), against the server's fake on a 127.0.0.1 socket answering the listing with generated torrents; "
        "CPU = the child's own. enunclic imports httpx, pydantic and the backend on first use, so its connect "
        "phase holds most of its imports; transmission-rpc's connect asks the server for its session."
    )
    for server, peer_name in missed:
        print(
            f"\n### What dominates the start-up: {server} (-X importtime self time, the median of {breakdown_runs})\n"
        )
        rows = []
        for library in ("enunclic", peer_name):
            found = import_breakdown(server, library, count, runs=breakdown_runs, python=python)
            rows.append(
                [
                    library,
                    f"{found.total * 1000:.0f} ms",
                    ", ".join(f"{name} {t * 1000:.0f}" for name, t in found.by_distribution),
                    ", ".join(f"{name} {t * 1000:.1f}" for name, t in found.own_modules),
                ]
            )
        print(_table(["library", "imports", "by distribution (ms)", "the library's own modules (ms)"], rows))
    if missed:
        print(
            "\nA module's self time includes running its body, so enunclic's own share includes defining its "
            "pydantic models; stdlib = modules of the standard library not loaded by a bare interpreter. "
            "-X importtime adds its own overhead: the shares matter, not the sum."
        )


def p5(servers: int, rounds: int) -> None:
    print(f"\n## P5: {servers} simulated servers polled together\n")
    try:
        pool_bench = import_module("tests.benchmarks.pool_bench")
    except ImportError as exc:
        print(f"tests/benchmarks/pool_bench.py is not available ({exc}): P5 not measured.")
        return
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        pool_bench.main(["--servers", str(servers), "--rounds", str(rounds)])
    print("```")
    print(out.getvalue().rstrip())
    print("```")


PARTS = ("p1", "memory", "p2", "p3", "link", "p4", "startup", "p5")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, help="torrents in P1 and its memory (default 10,000; quick 1,000)")
    parser.add_argument("--repeat", type=int, help="timed runs per figure (default 9, the least counts; quick 2)")
    parser.add_argument("--processes", type=int, help="fresh processes per backend in P1 (default 5; quick 1)")
    parser.add_argument("--startup-count", type=int, help="torrents in the start-up's listing (default 1,000)")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter whose start-up P4 and start-up measure (a venv holding only the wheel and the peers)",
    )
    parser.add_argument("--quick", action="store_true", help="smaller and fewer runs: a smoke run")
    parser.add_argument("--profile", action="store_true", help="profile every backend's listing")
    parser.add_argument(
        "--only",
        nargs="*",
        choices=PARTS,
        help="run only these parts (memory = P1's memory, link = P3 on a slow link, startup = import + connect + "
        "first listing)",
    )
    parser.add_argument("--backends", nargs="*", choices=BACKENDS, help="P1 and its memory for these backends only")
    args = parser.parse_args(argv)

    def pick(given: int | None, full: int, quick: int) -> int:
        return given if given is not None else quick if args.quick else full

    count, repeat = pick(args.count, 10_000, 1000), pick(args.repeat, 9, 2)
    processes, startup_count = pick(args.processes, 5, 1), pick(args.startup_count, 1000, 100)
    polled = 200 if args.quick else 1000
    parts = set(args.only or PARTS)
    backends = tuple(args.backends or BACKENDS)
    print("# enunclic benchmark\n")
    print(machine())
    if "p1" in parts:
        p1(count, repeat, processes, args.profile, backends)
    if "memory" in parts:
        p1_memory(count, backends)
    if "p2" in parts:
        p2(1000)
    if "p3" in parts:
        p3(1000, 10)
    if "link" in parts:
        p3_link(polled, 10, 2 if args.quick else 5)
    if "p4" in parts:
        p4(max(repeat, 5), args.python)
    if "startup" in parts:
        startup(startup_count, *((3, 1) if args.quick else (max(repeat, 5), 3)), python=args.python)
    if "p5" in parts:
        p5(50, 1 if args.quick else 3)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
