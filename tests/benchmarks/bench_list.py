"""P1: reply bytes -> ``list[Torrent]`` per backend, against ``json.loads`` (the floor) and peer libraries."""

from __future__ import annotations

import cProfile
import dataclasses
import gc
import io
import json
import pstats
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import xmlrpc.client
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic_core import SchemaValidator

from enunclic.backends.rtorrent.mapping import TORRENT_FIELDS, to_torrent
from enunclic.backends.rtorrent.xmlrpc import decode_rows
from enunclic.compiled import CompiledModel, listing_schema

from .bench_payloads import BACKENDS, Listing, listing

__all__ = ["ListResult", "floor", "measure_lists", "median_run", "peers", "profile_list"]


@dataclass
class ListResult:
    backend: str
    count: int
    reply_bytes: int
    ours: float
    floor: float
    floor_name: str
    peers: dict[str, float | None]  # peer name -> seconds, None when not installed
    #: Seconds of the listing's stages, each measured on its own (see :func:`_stages`): stage name
    #: -> the time of the stages up to and including it.
    stages: dict[str, float] = dataclasses.field(default_factory=dict)


def _best(runs: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Least CPU seconds of ``repeat`` runs of each, after one warm-up, the runs interleaved.

    CPU time, not wall time: nothing here waits for I/O, so on an idle machine both agree,
    and on a busy one (CI, a shared laptop) CPU time is not inflated by other processes.
    The least, not the median: on a shared machine noise only ever adds time (the advice of
    the stdlib's timeit). Interleaved (A B C A B C ...), so that a slow spell of the machine
    weighs on every contender alike and the ratios hold even when the times drift.
    """
    for run in runs.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            gc.collect()  # every run starts from the same heap: the collector's work is part of the cost
            started = time.process_time()
            run()
            times[name].append(time.process_time() - started)
    return {name: min(values) for name, values in times.items()}


def _transmission_rpc(bodies: list[bytes]) -> Callable[[], Any] | None:
    try:
        from transmission_rpc import Torrent
    except ImportError:
        return None

    def parse() -> Any:
        # What transmission_rpc.Client.get_torrents() does with the reply: json.loads, check, Torrent(fields=...).
        data = json.loads(bodies[0])
        if data["result"] != "success":
            raise RuntimeError(data["result"])
        return [Torrent(fields=x) for x in data["arguments"]["torrents"]]

    return parse


def _qbittorrent_api(bodies: list[bytes]) -> Callable[[], Any] | None:
    try:
        from qbittorrentapi.torrents import TorrentInfoList
    except ImportError:
        return None
    # What Client.torrents_info() does with the reply: response.json(), then TorrentInfoList.
    return lambda: TorrentInfoList(json.loads(bodies[0]), client=None)


def _deluge_web_client(bodies: list[bytes]) -> Callable[[], Any] | None:
    try:
        from deluge_web_client.schema import Response
    except ImportError:
        return None

    def parse() -> Any:
        # What DelugeWebClient.execute_call() does with a reply: response.json(), then its Response tuple.
        data = json.loads(bodies[0])
        return Response(result=data.get("result"), error=data.get("error"))

    return parse


def _synologydsm_api(bodies: list[bytes]) -> Callable[[], Any] | None:
    try:
        from synology_dsm.api.download_station.task import SynoDownloadTask
    except ImportError:
        return None

    def parse() -> Any:
        # What SynoDownloadStation.update() does with each page: response.json(), one SynoDownloadTask per task.
        tasks = {}
        for body in bodies:
            for task in json.loads(body)["data"]["tasks"]:
                tasks[task["id"]] = SynoDownloadTask(task)
        return tasks

    return parse


def peers(backend: str, bodies: list[bytes]) -> dict[str, Callable[[], Any] | None]:
    """The peer libraries' own parsing of ``bodies`` per name (None when the peer is not installed)."""
    if backend == "transmission":
        return {"transmission-rpc": _transmission_rpc(bodies)}
    if backend == "qbittorrent":
        return {"qbittorrent-api": _qbittorrent_api(bodies)}
    if backend == "rtorrent":
        # rtorrent-rpc (and most rTorrent clients) decode with the stdlib's xmlrpc.client.
        return {"xmlrpc.client.loads": lambda: xmlrpc.client.loads(bodies[0], use_builtin_types=True)}
    if backend == "deluge":
        return {"deluge-web-client": _deluge_web_client(bodies)}
    if backend == "synology":
        return {"py-synologydsm-api": _synologydsm_api(bodies)}
    return {}


def floor(backend: str, bodies: list[bytes]) -> tuple[str, Callable[[], Any]]:
    """The floor's name and a parse of ``bodies`` with nothing else: the C JSON or XML parser."""
    if backend == "rtorrent":
        return "ET.fromstring", lambda: ET.fromstring(bodies[0])  # noqa: S314 - our own bytes
    return "json.loads", lambda: [json.loads(b) for b in bodies]


#: The stages of one listing, in order. JSON backends: the native fields read and converted in Rust
#: (``CompiledModel.fields_schema``), plus the rules in Python (``values_schema``), plus the models
#: validated by their own schema (``schema``). rTorrent: the XML read into rows, plus the mapping.
STAGES = {"json": ("read", "rules", "models"), "xml": ("read", "mapping")}


def _stages(bench: Listing) -> dict[str, Callable[[], Any]]:
    """Each stage of the backend's parse, cumulative (stage -> a run of it and of every stage before)."""
    if bench.backend == "rtorrent":
        body, width = bench.bodies[0], len(TORRENT_FIELDS)
        assert decode_rows(body, width) is not None, "rtorrent: the listing reply is not read in one pass"
        return {
            "read": lambda: decode_rows(body, width),
            "mapping": lambda: [to_torrent(r) for r in decode_rows(body, width) or ()],
        }
    calls: list[tuple[CompiledModel[Any], bytes, tuple[Any, ...], dict[str, Any]]] = []
    original = CompiledModel.page_json  # many_json reads through it too

    def record(self: CompiledModel[Any], body: bytes, *args: Any, **kwargs: Any) -> Any:
        calls.append((self, body, args, kwargs))
        return original(self, body, *args, **kwargs)

    CompiledModel.page_json = record  # type: ignore[method-assign]
    try:
        bench.client.torrents()
    finally:
        CompiledModel.page_json = original  # type: ignore[method-assign]
    assert calls, f"{bench.backend}: the listing was not read in one pass"

    def stage(items: Callable[[CompiledModel[Any]], Any]) -> Callable[[], Any]:
        validators = [
            (SchemaValidator(listing_schema(items(model), *args, **kwargs)), body)
            for model, body, args, kwargs in calls
        ]
        return lambda: [validator.validate_json(body) for validator, body in validators]

    return {
        "read": stage(lambda model: model.fields_schema()),
        "rules": stage(lambda model: model.values_schema()),
        "models": stage(lambda model: model.schema()),
    }


def measure_list(backend: str, count: int, repeat: int) -> ListResult:
    """P1 for one backend, in this process."""
    bench: Listing = listing(backend, count)
    try:
        got = bench.client.torrents()
        assert len(got) == count, f"{backend}: {len(got)} torrents listed, {count} sent"
        floor_name, parse = floor(backend, bench.bodies)
        contenders = peers(backend, bench.bodies)
        runs = {"ours": bench.client.torrents, "floor": parse}
        runs.update({f"peer {name}": run for name, run in contenders.items() if run is not None})
        stages = _stages(bench)
        runs.update({f"stage {name}": run for name, run in stages.items()})
        best = _best(runs, repeat)
        return ListResult(
            backend,
            count,
            bench.size,
            best["ours"],
            best["floor"],
            floor_name,
            {name: best.get(f"peer {name}") for name in contenders},
            {name: best[f"stage {name}"] for name in stages},
        )
    finally:
        bench.close()


_ROOT = Path(__file__).resolve().parents[2]  # the repository: ``tests`` is importable from there


def measure_lists(
    count: int, repeat: int, backends: tuple[str, ...] = BACKENDS, processes: int = 1
) -> list[list[ListResult]]:
    """P1 per backend, each run in a fresh interpreter (as pyperf does): what one backend's run leaves
    in the allocator and the collector's generations does not weigh on the next one.

    With several ``processes``, the rounds go through every backend in turn (A B C A B C ...): a
    slow spell of the machine falls on one round of each, not on every run of one backend. One
    list of results per backend, in round order.
    """
    results: dict[str, list[ListResult]] = {backend: [] for backend in backends}
    for _ in range(processes):
        for backend in backends:
            command = [sys.executable, "-m", "tests.benchmarks.bench_list", backend, str(count), str(repeat)]
            out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=_ROOT)
            results[backend].append(ListResult(**json.loads(out.stdout.strip().splitlines()[-1])))
    return list(results.values())


def median_run(runs: list[ListResult]) -> ListResult:
    """The run whose enunclic/floor ratio is the median (the upper one of an even count)."""
    return sorted(runs, key=lambda r: r.ours / r.floor)[len(runs) // 2]


def profile_list(backend: str, count: int, top: int = 12) -> str:
    """Where the time of one listing goes (cProfile, by total time)."""
    bench = listing(backend, count)
    try:
        bench.client.torrents()
        profiler = cProfile.Profile()
        profiler.enable()
        bench.client.torrents()
        profiler.disable()
    finally:
        bench.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


if __name__ == "__main__":  # one backend's P1 as JSON, for measure_lists
    name, torrents, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(dataclasses.asdict(measure_list(name, torrents, runs))))
