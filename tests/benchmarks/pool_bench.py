"""Benchmark: 50 simulated servers polled by the pool take about as long as the slowest, not the sum.

Run: ``python tests/benchmarks/pool_bench.py [--servers 50] [--rounds 3]``. Not collected by pytest
(tests/pool/test_pool.py holds the structural concurrency test).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from enunclic_memory import MemoryServer

import enunclic
from enunclic.pool import Pool

URL = "memory://admin:secret@127.0.0.1"


class Delayed(httpx.AsyncBaseTransport):
    """A memory server that answers after a fixed delay (a slow NAS, a far seedbox)."""

    def __init__(self, server: MemoryServer, delay: float) -> None:
        self.inner, self.delay = server.transport(), delay

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(self.delay)
        return await self.inner.handle_async_request(request)


async def _run(servers: int, rounds: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - benchmark delays
    delays = [rng.uniform(0.05, 0.5) for _ in range(servers)]
    with tempfile.TemporaryDirectory() as tmp:
        pool = Pool(timeout=5.0)
        for i, delay in enumerate(delays):
            root = Path(tmp) / str(i)
            root.mkdir()
            server = MemoryServer(root)
            for n in range(20):  # seeded on the server side: only the polls pay the delay
                server.rpc_add("magnet", f"magnet:?xt=urn:btih:{i * 1000 + n + 1:040x}", None, False, None)
            pool.add(f"server-{i}", enunclic.connect_async(URL, transport=Delayed(server, delay)))
        await pool.poll()  # baseline

        sequential = []
        for _ in range(rounds):
            started = time.perf_counter()
            for name in pool.names:
                await pool.poll_server(name)
            sequential.append(time.perf_counter() - started)

        concurrent = []
        for _ in range(rounds):
            started = time.perf_counter()
            events = await pool.poll()
            concurrent.append(time.perf_counter() - started)
            assert len(events) == servers and all(e.ok for e in events.values())

        await pool.close()
    seq, con = statistics.median(sequential), statistics.median(concurrent)
    print(f"servers:                      {servers} (delay per poll {min(delays):.3f}..{max(delays):.3f} s)")
    print(f"sum of delays:                {sum(delays):.3f} s")
    print(f"slowest server:               {max(delays):.3f} s")
    print(f"sequential poll (median):     {seq:.3f} s")
    print(f"pool.poll() (median):         {con:.3f} s")
    print(f"pool / slowest:               {con / max(delays):.2f}x   (1.0 = ideal)")
    print(f"pool / sum:                   {con / sum(delays):.3f}    (1.0 = no concurrency)")
    print(f"speed-up over sequential:     {seq / con:.1f}x")


def main(argv: list[str] | None = None) -> int:
    """Print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--servers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    asyncio.run(_run(args.servers, args.rounds, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
