"""The operation table is the contract: the clients, the backend base class and the contract suite follow it."""

from __future__ import annotations

import inspect

import pytest

import enunclic
from enunclic.backend import Backend
from enunclic.operations import OPERATIONS, REQUIRED, missing_operations
from enunclic.testing.contract import GATED_CALLS

#: The backend flow behind each client verb, where the names differ.
FLOW_OF = {"poll": "changes"}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_is_a_verb_of_both_clients_with_a_timeout(name: str) -> None:
    for client in (enunclic.Client, enunclic.AsyncClient):
        verb = getattr(client, name)
        parameters = inspect.signature(verb).parameters
        assert parameters["timeout"].kind is inspect.Parameter.KEYWORD_ONLY, (client, name)
        assert parameters["timeout"].default is None
    assert inspect.iscoroutinefunction(getattr(enunclic.AsyncClient, name))


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_has_a_backend_flow(name: str) -> None:
    assert callable(getattr(Backend, FLOW_OF.get(name, name)))


def test_the_required_operations() -> None:
    assert set(REQUIRED) == {"info", "torrents", "add", "pause", "resume", "remove"}


def test_the_contract_suite_gates_every_capability_of_the_table() -> None:
    gated = {op.capability for op in OPERATIONS.values() if op.capability is not None}
    assert gated <= set(GATED_CALLS)


def test_only_reads_are_retried() -> None:
    reads = {name for name, op in OPERATIONS.items() if op.read}
    assert reads == {"info", "torrents", "torrent", "poll", "files", "trackers", "peers", "stats", "labels"}


def test_missing_operations_names_the_required_and_the_promised() -> None:
    class Bare(Backend):
        name = "bare"
        capabilities = frozenset({enunclic.Capability.STATS})

    assert missing_operations(Bare, Backend) == [*REQUIRED, "stats"]


@pytest.mark.parametrize("name", ["deluge", "qbittorrent", "rtorrent", "synology", "transmission"])
def test_every_built_in_writes_what_it_promises(name: str) -> None:
    assert missing_operations(enunclic.get_backends()[name], Backend) == []
