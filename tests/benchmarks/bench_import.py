"""P4: ``import enunclic`` against ``import httpx, pydantic``, each in a fresh interpreter."""

from __future__ import annotations

import statistics
import subprocess
import sys

__all__ = ["SNIPPETS", "import_times"]

#: CPU time of the child (see bench_list._best): robust to other load on the machine.
_TIMER = "import time; t = time.process_time(); {code}; print(time.process_time() - t)"

#: What is timed in each fresh interpreter (interpreter start-up itself is not counted).
SNIPPETS: dict[str, str] = {
    "import httpx, pydantic": "import httpx, pydantic",
    "import enunclic": "import enunclic",
    "import enunclic + first Client": (
        "import enunclic, httpx; "
        "enunclic.Client('transmission', url='http://127.0.0.1:9091/transmission/rpc', "
        "transport=httpx.MockTransport(lambda r: httpx.Response(500))).close()"
    ),
    "import httpx, pydantic + httpx.Client": "import httpx, pydantic; httpx.Client().close()",
    # What the first Client needs its dependencies to do, with nothing of enunclic's own: an httpx
    # client, a first pydantic model class (which loads pydantic's model machinery), a pluggy
    # manager, and the scan of installed entry points for third-party backends (as enunclic.plugins).
    "dependencies at work": (
        "import httpx, pydantic, pluggy, importlib.metadata; httpx.Client().close(); "
        "type('M', (pydantic.BaseModel,), {'__annotations__': {'x': int}, '__module__': '__main__'}); "
        "pluggy.PluginManager('p'); importlib.metadata.entry_points(group='p')"
    ),
}


def _once(code: str, python: str) -> float:
    out = subprocess.run([python, "-c", _TIMER.format(code=code)], check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def import_times(repeat: int, python: str = sys.executable) -> dict[str, float]:
    """Median seconds per snippet over ``repeat`` fresh ``python`` interpreters (interleaved, to share any noise)."""
    samples: dict[str, list[float]] = {name: [] for name in SNIPPETS}
    for _ in range(repeat):
        for name, code in SNIPPETS.items():
            samples[name].append(_once(code, python))
    return {name: statistics.median(values) for name, values in samples.items()}
