"""P1's memory: what one listing of N torrents costs in memory, per backend, against the floor and the peers.

Each figure comes from a fresh interpreter that has read the reply bytes from a file before it
starts measuring (they are not counted, and generating them there would leave the heap full of
freed objects for the listing to reuse) and has parsed a small listing once, so that what is
built once per process (validators, a peer's classes) is not counted either. It measures the listing twice:
first the resident set (``/proc/self/status``: VmRSS after, and VmHWM, the peak, reset through
``/proc/self/clear_refs``), with nothing else running; then, the result dropped, Python's own
allocations under ``tracemalloc`` (the peak during the listing, and what is still held after it,
the result included). tracemalloc's bookkeeping would swell the resident set, hence the order.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.hardening.fakes import make_target

from .bench_list import floor, peers
from .bench_payloads import BACKENDS, Listing, bodies, listing

__all__ = ["ENUNCLIC", "MemoryResult", "contenders", "measure_memory"]

ENUNCLIC = "enunclic"
_ROOT = Path(__file__).resolve().parents[2]
#: Torrents in the listing parsed once before measuring (the warm-up).
_WARM = 10


@dataclass
class MemoryResult:
    backend: str
    contender: str
    role: str  # "enunclic", "floor" or "peer"
    count: int
    reply_bytes: int
    #: tracemalloc: the most Python held at once during the listing, and what it still holds after it.
    peak: int
    retained: int
    #: The resident set in bytes: its growth over the listing (the result held), and its peak over the start.
    #: None where /proc does not say.
    rss_growth: int | None
    rss_peak_growth: int | None


def contenders(backend: str) -> dict[str, str]:
    """enunclic, the floor and the installed peers of ``backend`` (name -> role), in the order the table shows."""
    sample = bodies(backend, 1)
    found = {name: "peer" for name, parse in peers(backend, sample).items() if parse is not None}
    return {ENUNCLIC: "enunclic", floor(backend, sample)[0]: "floor", **found}


def _parse(backend: str, contender: str, replies: list[bytes]) -> Callable[[], Any]:
    """The floor's or a peer's parse of ``replies``."""
    name, parse = floor(backend, replies)
    found = parse if contender == name else peers(backend, replies).get(contender)
    if found is None:
        raise ValueError(f"{backend}: {contender!r} is neither the floor nor an installed peer")
    return found


def _parser(
    backend: str, contender: str, replies: list[bytes], count: int
) -> tuple[Callable[[], Any], Callable[[], None]]:
    """A listing of ``replies`` (``count`` torrents) by ``contender``, after its warm-up, and a cleanup."""
    if contender == ENUNCLIC:
        warm = listing(backend, _WARM)
        warm.client.torrents()
        warm.close()
        bench = Listing(backend, count, replies, make_target(backend, 0))
        return bench.client.torrents, bench.close
    _parse(backend, contender, bodies(backend, _WARM))()
    return _parse(backend, contender, replies), lambda: None


def _files(folder: Path, backend: str) -> list[Path]:
    return sorted(folder.glob(f"{backend}-*.body"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))


def _status(field: str) -> int | None:
    """A ``/proc/self/status`` size in bytes (``VmRSS``, ``VmHWM``), or None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset VmHWM to the current resident set (Linux 4.0+: write 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def measure_here(backend: str, contender: str, role: str, count: int, folder: Path) -> MemoryResult:
    """One contender's memory for one listing of the replies saved in ``folder``, in this (fresh) process."""
    replies = [path.read_bytes() for path in _files(folder, backend)]
    run, close = _parser(backend, contender, replies, count)
    try:
        gc.collect()
        peak_reset = _reset_peak()
        before = _status("VmRSS")
        result = run()
        after, high = _status("VmRSS"), _status("VmHWM")
        del result
        gc.collect()
        tracemalloc.start()
        result = run()
        retained, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del result
    finally:
        close()
    growth = after - before if after is not None and before is not None else None
    high_growth = high - before if high is not None and before is not None and peak_reset else None
    size = sum(map(len, replies))
    return MemoryResult(backend, contender, role, count, size, peak, retained, growth, high_growth)


def measure_memory(count: int, backends: tuple[str, ...] = BACKENDS) -> list[MemoryResult]:
    """Every contender of every backend, each in a fresh interpreter."""
    results = []
    with tempfile.TemporaryDirectory(prefix="enunclic-bench-") as folder:
        for backend in backends:
            for i, body in enumerate(bodies(backend, count)):
                (Path(folder) / f"{backend}-{i}.body").write_bytes(body)
            for contender, role in contenders(backend).items():
                command = [sys.executable, "-m", __name__, backend, contender, role, str(count), folder]
                out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=_ROOT)
                results.append(MemoryResult(**json.loads(out.stdout.strip().splitlines()[-1])))
    return results


if __name__ == "__main__":  # one contender's figures as JSON, for measure_memory
    name, who, role, torrents, where = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), Path(sys.argv[5])
    print(json.dumps(asdict(measure_here(name, who, role, torrents, where))))
