"""enunclic benchmarks: one run prints every figure and ratio (issue 9, P1-P5). Not a test.

Run from the repository root::

    python -m tests.benchmarks.bench               # the full run (10,000 torrents), a few minutes
    python -m tests.benchmarks.bench --quick       # 1,000 torrents, fewer repeats: a smoke run
    python -m tests.benchmarks.bench --profile     # plus where the listing time goes, per backend

transmission-rpc and qbittorrent-api are measured when installed (``pip install
transmission-rpc qbittorrent-api``); they are not dependencies of enunclic.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import sys
from collections.abc import Sequence
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from .bench_import import import_times
from .bench_list import ListResult, measure_lists, median_run, profile_list
from .bench_payloads import BACKENDS
from .bench_traffic import bulk_requests, poll_bytes

#: Targets from the issue.
P1_TARGET = 1.5  # x json.loads
P2_TARGET = 1  # request per bulk operation
P4_TARGET = 1.3  # x import httpx, pydantic


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
        f"Versions: enunclic {_version('enunclic')}, httpx {_version('httpx')}, pydantic {_version('pydantic')}, "
        f"transmission-rpc {_version('transmission-rpc')}, qbittorrent-api {_version('qbittorrent-api')}"
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
            "native delta" if r.native_delta else "full list, diffed locally",
            f"{r.poll_bytes:,}",
            r.poll_requests,
            f"{r.full_bytes:,}",
            f"{r.poll_bytes / r.full_bytes:.3f}",
        ]
        for r in poll_bytes(count, changing)
    ]
    print(_table(["backend", "how", "poll bytes", "poll requests", "full list bytes", "poll/full"], rows))
    print(
        "\nBytes = request bodies sent + reply bodies received (headers excluded). Transmission lists everything "
        "again every 60th poll (option full_poll_every)."
    )


def p4(repeat: int) -> None:
    print(f"\n## P4: import time, fresh interpreter each (median of {repeat}; target <= {P4_TARGET}x)\n")
    times = import_times(repeat)

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000, help="torrents in P1 (default 10,000)")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per figure (the least counts)")
    parser.add_argument(
        "--processes", type=int, default=5, help="fresh processes per backend in P1 (the median counts)"
    )
    parser.add_argument("--quick", action="store_true", help="1,000 torrents, 2 repeats, 1 process")
    parser.add_argument("--profile", action="store_true", help="profile every backend's listing")
    parser.add_argument("--only", nargs="*", choices=["p1", "p2", "p3", "p4", "p5"], help="run only these parts")
    parser.add_argument("--backends", nargs="*", choices=BACKENDS, help="P1 for these backends only")
    args = parser.parse_args(argv)
    count, repeat, processes = (1000, 2, 1) if args.quick else (args.count, args.repeat, args.processes)
    parts = set(args.only or ["p1", "p2", "p3", "p4", "p5"])
    print("# enunclic benchmark\n")
    print(machine())
    if "p1" in parts:
        p1(count, repeat, processes, args.profile, tuple(args.backends or BACKENDS))
    if "p2" in parts:
        p2(1000)
    if "p3" in parts:
        p3(1000, 10)
    if "p4" in parts:
        p4(max(repeat, 5))
    if "p5" in parts:
        p5(50, 1 if args.quick else 3)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
