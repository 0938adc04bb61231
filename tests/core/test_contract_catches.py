"""The contract suite fails a broken plugin: broken variants of the memory plugin run the whole suite.

Each variant is the memory plugin with one bug a real plugin could have, registered under its own
name like a third-party plugin. pytester runs the shipped suite against it, in-process, and the test
asserts exactly which contract cases fail, in both the sync and the async run, and that the correct
plugin fails none.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from enunclic_memory import MemoryBackend, MemoryServer

from enunclic import hookimpl
from enunclic.plugin import AddedTorrent, AddOptions, BackendRegistrar, Changes, Flow, TorrentSource
from enunclic.plugins import get_plugin_manager
from enunclic.testing.contract import ContractSuite
from enunclic.testing.target import WRONG_PASSWORD, ContractTarget
from enunclic.testing.torrents import make_multi_torrent, make_test_torrent

pytest_plugins = ["pytester"]


# -- the broken variants ---------------------------------------------------------------------------


class AnyPasswordServer(MemoryServer):
    """The plugin's server logs in whoever asks, whatever the password."""

    def _login(self, request: httpx.Request) -> dict[str, Any]:
        token = secrets.token_hex(8)
        self.tokens.add(token)
        return {"result": {"token": token}}


class AnyPassword(MemoryBackend):
    name = "memory-any-password"


class IgnoresPaused(MemoryBackend):
    """Adds every torrent started: ``paused=True`` never reaches the server."""

    name = "memory-ignores-paused"

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        return super().add(source, dataclasses.replace(options, paused=False))


class NeverDuplicate(MemoryBackend):
    """Drops the server's "already there" flag."""

    name = "memory-never-duplicate"

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        added = yield from super().add(source, options)
        return added.model_copy(update={"duplicate": False})


class BareErrors(MemoryBackend):
    """Lets a plain ``LookupError`` out where the contract promises ``TorrentNotFoundError``."""

    name = "memory-bare-errors"

    def _rpc(self, method: str, **params: Any) -> Flow[Any]:
        try:
            return (yield from super()._rpc(method, **params))
        except LookupError as exc:  # TorrentNotFoundError is one
            raise LookupError(str(exc)) from None


class MisplacedErrors(MemoryBackend):
    """Names its server's method as the operation of an error, instead of the operation the caller ran."""

    name = "memory-misplaced-errors"

    def _rpc(self, method: str, **params: Any) -> Flow[Any]:
        try:
            return (yield from super()._rpc(method, **params))
        except Exception as exc:
            exc.operation = method  # type: ignore[attr-defined]
            raise


class StalePoll(MemoryBackend):
    """A native delta that reports new and changed torrents but never a removed one."""

    name = "memory-stale-poll"

    def changes(self) -> Flow[Changes]:
        return Changes((yield from self.torrents()), complete=False)


class BlindToggle(MemoryBackend):
    """Flips sequential download whatever was asked (qBittorrent's API only toggles): on twice is off."""

    name = "memory-blind-toggle"

    def set_sequential(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        for torrent_id in ids:
            now = yield from self.torrent(torrent_id)
            yield from super().set_sequential([torrent_id], not now.sequential)


class FirstLastStaysOn(MemoryBackend):
    """Sends "on" for first and last pieces whatever was asked."""

    name = "memory-first-last-stays-on"

    def set_first_last_piece(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        return super().set_first_last_piece(ids, True)


class ForceStartOnlyFlags(MemoryBackend):
    """Force start marks the torrents (here: a reannounce) but leaves a paused one paused."""

    name = "memory-force-start-only-flags"

    def force_start(self, ids: Sequence[str]) -> Flow[None]:
        return self.reannounce(ids)


class RatioNeverCleared(MemoryBackend):
    """A ratio limit of None sends nothing: the torrent keeps its own limit."""

    name = "memory-ratio-never-cleared"

    def set_ratio_limit(self, ids: Sequence[str], ratio: float | None) -> Flow[None]:
        if ratio is not None:
            yield from super().set_ratio_limit(ids, ratio)


class AltSpeedStuck(MemoryBackend):
    """Switches the alternative speed limits on whatever was asked: they never go back off."""

    name = "memory-alt-speed-stuck"

    def set_alt_speed(self, enabled: bool) -> Flow[None]:
        return super().set_alt_speed(True)


class KeptLabelsOnlyServer(MemoryServer):
    """Lists only the labels it keeps on its own, not those its torrents carry."""

    def rpc_labels(self) -> list[str]:
        return sorted(self.labels)


class KeptLabelsOnly(MemoryBackend):
    name = "memory-kept-labels-only"


class PausesOneOfAll(MemoryBackend):
    """Pause all pauses the first torrent listed only."""

    name = "memory-pauses-one-of-all"

    def pause_all(self) -> Flow[None]:
        torrents = yield from self.torrents()
        yield from self.pause([t.id for t in torrents[:1]])


class PausesTheServerServer(MemoryServer):
    """Pause all pauses the server as a whole: a torrent added afterwards stays stopped until resume all."""

    paused = False

    def rpc_all(self, state: str) -> None:
        super().rpc_all(state)
        self.paused = state == "stopped"

    def rpc_add(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        added = super().rpc_add(*args, **kwargs)
        if self.paused:
            self.torrents[added["id"]].state = "stopped"
        return added


class PausesTheServer(MemoryBackend):
    name = "memory-pauses-the-server"


def _dropping(option: str, *more: str) -> type[MemoryBackend]:
    """The memory backend with add options dropped (back to their defaults) on the way to the server."""

    class Dropping(MemoryBackend):
        name = f"memory-drops-{option.replace('_', '-')}"

        def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
            defaults = AddOptions()
            dropped = {name: getattr(defaults, name) for name in (option, *more)}
            return super().add(source, dataclasses.replace(options, **dropped))

    Dropping.__doc__ = f"Drops {', '.join((option, *more))} when adding."
    return Dropping


#: Variant -> (backend, server, the contract cases that must fail against it).
VARIANTS: dict[str, tuple[type[MemoryBackend], type[MemoryServer], set[str]]] = {
    "correct": (MemoryBackend, MemoryServer, set()),
    "any-password": (AnyPassword, AnyPasswordServer, {"test_a_wrong_password_is_refused"}),
    "ignores-paused": (IgnoresPaused, MemoryServer, {"test_a_torrent_added_paused_is_stopped"}),
    "never-duplicate": (
        NeverDuplicate,
        MemoryServer,
        {"test_adding_a_torrent_twice_is_a_duplicate", "test_adding_a_magnet_twice_is_a_duplicate"},
    ),
    "bare-errors": (
        BareErrors,
        MemoryServer,
        {
            "test_unknown_id_is_not_found",
            "test_errors_name_the_backend_and_the_operation",
            "test_removing_an_unknown_id_removes_nothing",
        },
    ),
    "misplaced-errors": (
        MisplacedErrors,
        MemoryServer,
        {"test_errors_name_the_backend_and_the_operation", "test_a_wrong_password_is_refused"},
    ),
    "stale-poll": (
        StalePoll,
        MemoryServer,
        {"test_poll_reports_a_removed_torrent_once", "test_poll_reports_exact_deltas"},
    ),
    "blind-toggle": (BlindToggle, MemoryServer, {"test_sequential_is_a_switch"}),
    "first-last-stays-on": (FirstLastStaysOn, MemoryServer, {"test_first_last_piece_is_a_switch"}),
    "force-start-only-flags": (ForceStartOnlyFlags, MemoryServer, {"test_force_start_starts_a_paused_torrent"}),
    "ratio-never-cleared": (RatioNeverCleared, MemoryServer, {"test_ratio_limit_round_trip"}),
    "alt-speed-stuck": (AltSpeedStuck, MemoryServer, {"test_alt_speed_round_trip"}),
    "kept-labels-only": (KeptLabelsOnly, KeptLabelsOnlyServer, {"test_labels_lists_a_label_a_torrent_carries"}),
    "pauses-one-of-all": (PausesOneOfAll, MemoryServer, {"test_pause_all_and_resume_all_act_on_every_torrent"}),
    "pauses-the-server": (
        PausesTheServer,
        PausesTheServerServer,
        {"test_pause_all_and_resume_all_act_on_every_torrent"},
    ),
    "drops-rename": (_dropping("rename"), MemoryServer, {"test_add_renamed"}),
    "drops-wanted-files": (_dropping("wanted_files"), MemoryServer, {"test_add_choosing_files"}),
    "drops-limits": (_dropping("download_limit", "upload_limit"), MemoryServer, {"test_add_with_limits"}),
    "drops-skip-check": (_dropping("skip_check"), MemoryServer, {"test_add_skipping_the_check"}),
}


class _Registers:
    """A plugin registering one backend class, as a third-party package's hook would."""

    def __init__(self, backend: type[MemoryBackend]) -> None:
        self.backend = backend

    @hookimpl
    def register_backends(self, register: BackendRegistrar) -> None:
        register(self.backend)


def suite_for(variant: str) -> type[ContractSuite]:
    """The contract suite against a fresh server of ``variant`` (what the inner pytest run collects)."""
    backend, server_class, _ = VARIANTS[variant]

    class Suite(ContractSuite):
        @pytest.fixture
        def contract_target(self, tmp_path: Path) -> Iterator[ContractTarget]:
            server = server_class(tmp_path / "downloads")
            server.root.mkdir()
            registered = backend is not MemoryBackend  # the memory plugin itself comes from its entry point
            if registered:
                get_plugin_manager().register(_Registers(backend), name=backend.name)
            try:
                yield ContractTarget(
                    url=f"{backend.name}://admin:secret@127.0.0.1",
                    make_torrent=lambda name: make_test_torrent(server.root, name),
                    make_multi_torrent=lambda name: make_multi_torrent(server.root, name),
                    wrong_credentials={"password": WRONG_PASSWORD},
                    sync_transport=server.transport,
                    async_transport=server.transport,
                    magnet="magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=contract",
                    settle_timeout=1.0,
                    missing_id="t999",
                )
            finally:
                if registered:
                    get_plugin_manager().unregister(name=backend.name)

    return Suite


# -- running the suite against each --------------------------------------------------------------------


def _failed(outcome: pytest.RunResult) -> dict[str, set[str]]:
    """Failed test names -> the client modes they failed with."""
    failed: dict[str, set[str]] = {}
    for line in outcome.outlines:
        found = re.match(r"FAILED \S+::(test_\w+)\[(sync|async)\]", line)
        if found:
            failed.setdefault(found[1], set()).add(found[2])
    return failed


def _run(pytester: pytest.Pytester, variant: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(
        test_variant=f"from tests.core.test_contract_catches import suite_for\n\nTestVariant = suite_for({variant!r})\n"
    )
    return pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:cacheprovider", "-rf", *args)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_contract_fails_exactly_the_broken_cases(pytester: pytest.Pytester, variant: str) -> None:
    expected = VARIANTS[variant][2]
    outcome = _run(pytester, variant)
    counts = outcome.parseoutcomes()
    assert counts.get("passed", 0) > 40, outcome.outlines[-1]
    assert "error" not in counts and "errors" not in counts, outcome.outlines[-1]
    assert _failed(outcome) == {name: {"sync", "async"} for name in expected}
