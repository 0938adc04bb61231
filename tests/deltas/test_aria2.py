"""The delta property for aria2c 1.36.0, whose ``poll()`` is the core diff of two full
``system.multicall`` listings (aria2 has no incremental listing)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

import enunclic
from enunclic.testing.contract import AsyncAdapter
from tests.daemons.aria2 import Aria2Server

from .mutations import Mutator, actions_for
from .settle import DAEMON_STEPS, LIVE_FIELDS, RUNS, assert_exercised, run_property, settler

pytestmark = pytest.mark.daemon

#: aria2 has no labels, move or recheck, and removes without data only.
ACTIONS = {"add_file", "add_magnet", "pause", "resume", "remove"}


@pytest.fixture
def aria2_clients(aria2_server: Aria2Server, mode: str) -> Iterator[tuple[Any, Any]]:
    aria2_server.reset()
    loop = asyncio.new_event_loop()
    options = aria2_server.options()
    other = enunclic.connect(aria2_server.url, **options)
    client: Any = enunclic.connect(aria2_server.url, **options)
    if mode == "async":
        client.close()
        client = AsyncAdapter(enunclic.connect_async(aria2_server.url, **options), loop)
    yield client, other
    client.close()
    other.close()
    loop.close()


@pytest.mark.parametrize(("mode", "seed"), RUNS)
def test_applying_every_delta_equals_a_fresh_list(
    aria2_server: Aria2Server, aria2_clients: tuple[Any, Any], seed: int
) -> None:
    client, other = aria2_clients
    actions = actions_for(other.info().capabilities)
    assert set(actions) == ACTIONS
    mutator = Mutator(
        actors=[client, other], make_torrent=aria2_server.make_torrent, actions=actions, cover_by=DAEMON_STEPS - 1
    )
    stats = run_property(
        client,
        mutator,
        seed=seed,
        steps=DAEMON_STEPS,
        ignore_fields=LIVE_FIELDS,
        settle=settler(other, mutator, ignore=LIVE_FIELDS),
    )
    assert_exercised(stats, DAEMON_STEPS, seed)
