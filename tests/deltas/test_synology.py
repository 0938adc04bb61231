"""The delta property for the synology backend against the Download Station simulator.

DSM 6 and DSM 7, sync and async, in-process on the simulator's manual clock. Download
Station has no native delta: ``poll()`` is the core diff of two full lists. Between
steps the clock moves on, so tasks leave the queue, fetch metadata, download, finish
and seed; another account adds tasks of its own, some to hosts that fail.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import enunclic
from enunclic import ServerError
from enunclic.simulators.synology import SimulatorOptions, SynologySimulator
from enunclic.testing.contract import AsyncAdapter
from enunclic.testing.torrents import make_test_torrent

from .mutations import Mutator, actions_for
from .settle import assert_exercised, run_property

URL = "http://127.0.0.1:5000"
DESTINATIONS = ("downloads", "video", "video/Movies", "music")
STEPS = 20


def make_sim(dsm: int) -> SynologySimulator:
    # Slow transfers, so that downloads last several steps and progress shows as changes.
    sim = SynologySimulator(dsm, options=SimulatorOptions(download_rate=16 * 1024, upload_rate=4 * 1024))
    sim.add_account("admin", "secret", manager=True)
    sim.add_account("alice", "wonder", default_destination="downloads")
    return sim


def _client(sim: SynologySimulator, mode: str, loop: asyncio.AbstractEventLoop) -> Any:
    if mode == "sync":
        return enunclic.Client("synology", url=URL, username="admin", password="secret", transport=sim.transport())
    return AsyncAdapter(
        enunclic.AsyncClient("synology", url=URL, username="admin", password="secret", transport=sim.transport()),
        loop,
    )


def _wrong_state(exc: Exception) -> bool:
    """Download Station answers 405 to pausing a finished or failed task: a refusal, not a failure."""
    return isinstance(exc, ServerError) and exc.native_code == 405


class SimulatedWorld:
    """The simulator's own life between steps: the clock runs, alice adds links (some broken)."""

    def __init__(self, sim: SynologySimulator) -> None:
        self.sim = sim
        self.links = 0

    def __call__(self, rng: random.Random) -> None:
        if rng.random() < 0.3:
            self.links += 1
            host = rng.choice(["example.org", "broken.invalid"])
            self.sim.add_task(f"https://{host}/file-{self.links}.iso", owner="alice")
        self.sim.advance(rng.choice([0.0, 0.5, 1.0, 3.0, 11.0]))


@pytest.fixture(params=[6, 7], ids=["dsm6", "dsm7"])
def sim(request: pytest.FixtureRequest) -> SynologySimulator:
    return make_sim(request.param)


@pytest.fixture(params=["sync", "async"])
def clients(request: pytest.FixtureRequest, sim: SynologySimulator) -> Iterator[tuple[Any, Any]]:
    """The client under test (sync or async) and a second, sync client acting as another admin session."""
    loop = asyncio.new_event_loop()
    client = _client(sim, request.param, loop)
    other = _client(sim, "sync", loop)
    yield client, other
    client.close()
    other.close()
    loop.close()


@pytest.mark.parametrize("seed", [0, 1])
def test_applying_every_delta_equals_a_fresh_list(
    sim: SynologySimulator, clients: tuple[Any, Any], tmp_path: Path, seed: int
) -> None:
    client, other = clients
    actions = actions_for(client.backend.capabilities)
    # Download Station: adds, pause, resume, remove and move; no labels, no recheck.
    assert set(actions) == {"add_file", "add_magnet", "pause", "resume", "remove", "move"}
    mutator = Mutator(
        actors=[client, other],
        make_torrent=lambda name: make_test_torrent(tmp_path / "payload", name),
        actions=actions,
        destinations=DESTINATIONS,
        after=SimulatedWorld(sim),
        refused=_wrong_state,
    )
    stats = run_property(client, mutator, seed=seed, steps=STEPS)
    assert_exercised(stats, STEPS, seed)
    # The clock really moved tasks along, and the mutations reached the listing.
    assert {"progress", "destination"} <= stats.fields
    assert mutator.performed() == set(actions)
