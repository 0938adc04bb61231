"""The contract suite: the same tests for every backend, run against the sync and the async client.

Subclass :class:`ContractSuite` in a test module and override the ``contract_target``
fixture so that it returns a :class:`~enunclic.testing.target.ContractTarget` for a
fresh server (an empty torrent list)::

    from enunclic.testing.contract import ContractSuite
    from enunclic.testing.target import WRONG_PASSWORD, ContractTarget

    class TestMyBackend(ContractSuite):
        @pytest.fixture
        def contract_target(self, my_server):
            return ContractTarget(
                url=my_server.url,
                make_torrent=my_server.make_torrent,
                wrong_credentials={"password": WRONG_PASSWORD},
            )

Tests behind a capability run only when the server reports it; every capability the
server does not report is checked to fail with NotSupportedError before any request.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pytest

import enunclic
from enunclic import (
    AuthenticationError,
    Capability,
    EnunclicError,
    FilePriority,
    InvalidInputError,
    NotSupportedError,
    Torrent,
    TorrentNotFoundError,
    TorrentState,
)

from .actions import ActionCases
from .steps import GATED_CALLS, STOPPED, add_made, eventually, lacks
from .target import ContractTarget, TestTorrent

__all__ = ["GATED_CALLS", "AsyncAdapter", "ContractSuite", "eventually", "open_client"]

Mode = Literal["sync", "async"]

#: Reads of one torrent behind a capability: each raises TorrentNotFoundError for an unknown id.
_PER_TORRENT_READS = {Capability.FILES: "files", Capability.TRACKERS: "trackers", Capability.PEERS: "peers"}


class AsyncAdapter:
    """Presents an AsyncClient with the sync client's calling style, on a private event loop.

    Only the test code is adapted: every request still goes through the async driver.
    """

    def __init__(self, client: enunclic.AsyncClient, loop: asyncio.AbstractEventLoop) -> None:
        self.client = client
        self.loop = loop

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.client, name)
        if inspect.iscoroutinefunction(attribute):

            def call(*args: Any, **kwargs: Any) -> Any:
                return self.loop.run_until_complete(attribute(*args, **kwargs))

            return call
        return attribute


class ContractSuite(ActionCases):
    """Every backend's contract, as pytest tests. Override ``contract_target``."""

    @pytest.fixture
    def contract_target(self) -> ContractTarget:
        """Return the server under test; subclasses must override this fixture."""
        raise NotImplementedError("override the contract_target fixture")

    @pytest.fixture(params=["sync", "async"])
    def mode(self, request: pytest.FixtureRequest) -> Mode:
        """Which client every test of this run uses."""
        mode: Mode = request.param
        return mode

    @pytest.fixture
    def client(self, mode: Mode, contract_target: ContractTarget) -> Iterator[Any]:
        """A connected client: the sync Client, or the AsyncClient driven on a private loop."""
        with open_client(contract_target, mode) as client:
            yield client

    @pytest.fixture
    def capabilities(self, client: Any) -> frozenset[Capability]:
        """What the server reports (after discovery)."""
        return frozenset(client.info().capabilities)

    # -- helpers --------------------------------------------------------------------

    @staticmethod
    def _add(client: Any, target: ContractTarget, name: str, **options: Any) -> tuple[TestTorrent, Torrent]:
        made = target.make_torrent(name)
        return made, add_made(client, target, made, **options)

    def _magnet(self, client: Any, target: ContractTarget, capabilities: frozenset[Capability]) -> str | None:
        """The target's magnet link; None when the server lacks ``add_magnet`` (proved as in ``lacks``)."""
        if lacks(client, capabilities, Capability.ADD_MAGNET):
            return None
        if target.magnet is None:
            pytest.skip("the target gives no magnet link")
        return target.magnet

    # -- the contract ------------------------------------------------------------------

    def test_info_names_the_backend(self, client: Any, contract_target: ContractTarget) -> None:
        info = client.info()
        assert info.backend == contract_target.url.split("://", 1)[0].split("+", 1)[0]
        assert info.capabilities <= type(client.backend).capabilities

    def test_a_fresh_server_lists_no_torrents(self, client: Any) -> None:
        assert client.torrents() == []

    def test_add_file_then_list_and_get(self, client: Any, contract_target: ContractTarget) -> None:
        made, torrent = self._add(client, contract_target, "contract-add.bin")
        assert torrent.name == made.name
        assert torrent.info_hash in (None, made.info_hash)
        assert torrent.state is not TorrentState.ERROR, torrent.error
        assert [t.id for t in client.torrents()] == [torrent.id]

    def test_add_from_path(self, client: Any, contract_target: ContractTarget, tmp_path: Path) -> None:
        made = contract_target.make_torrent("contract-path.bin")
        path = tmp_path / "contract-path.torrent"
        path.write_bytes(made.content)
        added = client.add(path)
        found = eventually(lambda: client.torrent(added.id), contract_target.settle_timeout)
        assert found.name == made.name

    def test_add_magnet(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        magnet = self._magnet(client, contract_target, capabilities)
        if magnet is None:
            return
        added = client.add(magnet)
        expected = enunclic.sources.parse_magnet(magnet).info_hash
        assert added.info_hash == expected
        torrent = eventually(lambda: client.torrent(added.id), contract_target.settle_timeout)
        assert torrent.info_hash in (None, expected)

    def test_a_magnet_without_metadata(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        """Tests run with no network: the magnet never gets its metadata, and must say so."""
        magnet = self._magnet(client, contract_target, capabilities)
        if magnet is None:
            return
        added = client.add(magnet)
        assert added.duplicate is False
        expected = contract_target.metadata_states

        def waiting() -> Torrent:
            torrent: Torrent = client.torrent(added.id)
            assert torrent.state in expected, f"a magnet without metadata is {torrent.state.value}"
            return torrent

        torrent = eventually(waiting, contract_target.settle_timeout)
        assert (torrent.progress, torrent.size, torrent.downloaded) == (0.0, 0, 0)
        assert torrent.name

    def test_adding_a_magnet_twice_is_a_duplicate(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        magnet = self._magnet(client, contract_target, capabilities)
        if magnet is None:
            return
        first = client.add(magnet)
        eventually(lambda: client.torrent(first.id), contract_target.settle_timeout)
        again = client.add(magnet)
        assert (again.id, again.duplicate) == (first.id, True)
        assert [t.id for t in client.torrents()] == [first.id]

    def test_adding_a_torrent_twice_is_a_duplicate(self, client: Any, contract_target: ContractTarget) -> None:
        made, torrent = self._add(client, contract_target, "contract-twice.bin")
        again = client.add(made.content)
        assert (again.id, again.duplicate) == (torrent.id, True)
        assert again.info_hash in (None, made.info_hash)
        assert [t.id for t in client.torrents()] == [torrent.id]

    def test_a_torrent_added_paused_is_stopped(self, client: Any, contract_target: ContractTarget) -> None:
        _, torrent = self._add(client, contract_target, "contract-paused.bin", paused=True)
        eventually(lambda: client.torrent(torrent.id).state in STOPPED, contract_target.settle_timeout)

    def test_bad_sources_are_refused_before_any_request(self, client: Any) -> None:
        client.torrents()  # log in first, so that any request below would be visible
        before = client.requests_sent
        for bad in ("not a magnet", "magnet:?dn=no-hash", b"not bencode", b"d4:infoi1ee"):
            with pytest.raises(InvalidInputError) as caught:
                client.add(bad)
            _assert_placed(caught.value, client.backend_name, "add")
        with pytest.raises(InvalidInputError) as caught:
            client.pause("")
        _assert_placed(caught.value, client.backend_name, "pause")
        assert client.requests_sent == before

    def test_unknown_id_is_not_found(self, client: Any, contract_target: ContractTarget) -> None:
        with pytest.raises(TorrentNotFoundError):
            client.torrent(contract_target.missing_id)

    def test_a_wrong_password_is_refused(self, mode: Mode, contract_target: ContractTarget) -> None:
        wrong = contract_target.wrong_credentials
        if wrong is None:
            pytest.skip("the server has no authentication (the target's wrong_credentials is None)")
        with open_client(contract_target, mode, **wrong) as client:
            with pytest.raises(AuthenticationError) as caught:
                client.torrents()
            _assert_placed(caught.value, client.backend_name, "torrents")
        for secret in (value for value in wrong.values() if isinstance(value, str)):
            assert secret not in str(caught.value)
            assert secret not in repr(caught.value)

    def test_errors_name_the_backend_and_the_operation(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        missing = contract_target.missing_id
        reads = ["torrent"]
        reads += [name for capability, name in _PER_TORRENT_READS.items() if capability in capabilities]
        for operation in reads:
            with pytest.raises(TorrentNotFoundError) as caught:
                getattr(client, operation)(missing)
            _assert_placed(caught.value, client.backend_name, operation)

    def test_removing_an_unknown_id_removes_nothing(self, client: Any, contract_target: ContractTarget) -> None:
        _, kept = self._add(client, contract_target, "contract-kept.bin")
        if contract_target.unknown_remove == "not_found":
            with pytest.raises(TorrentNotFoundError) as caught:
                client.remove(contract_target.missing_id)
            _assert_placed(caught.value, client.backend_name, "remove")
        else:
            client.remove(contract_target.missing_id)
        assert [t.id for t in client.torrents()] == [kept.id]

    def test_pause_then_resume(self, client: Any, contract_target: ContractTarget) -> None:
        _, torrent = self._add(client, contract_target, "contract-pause.bin")
        client.pause(torrent.id)
        eventually(lambda: client.torrent(torrent.id).state in STOPPED, contract_target.settle_timeout)
        client.resume([torrent.id])
        eventually(lambda: client.torrent(torrent.id).state not in STOPPED, contract_target.settle_timeout)

    def test_bulk_pause_is_one_request(self, client: Any, contract_target: ContractTarget) -> None:
        ids = [self._add(client, contract_target, f"contract-bulk-{i}.bin")[1].id for i in range(3)]
        before = client.requests_sent
        client.pause(ids)
        assert client.requests_sent - before == contract_target.bulk_requests
        eventually(lambda: all(client.torrent(i).state in STOPPED for i in ids), contract_target.settle_timeout)

    def test_empty_bulk_operations_send_nothing(self, client: Any) -> None:
        client.torrents()
        before = client.requests_sent
        client.pause([])
        client.resume(())
        client.remove([])
        assert client.requests_sent == before

    def test_missing_capabilities_fail_before_any_request(
        self, client: Any, capabilities: frozenset[Capability]
    ) -> None:
        before = client.requests_sent
        for capability, call in GATED_CALLS.items():
            if capability in capabilities:
                continue
            with pytest.raises(NotSupportedError) as caught:
                call(client, "some-id")
            assert caught.value.backend == client.backend_name, caught.value
            assert caught.value.operation, caught.value
        assert client.requests_sent == before

    def test_remove_keeps_data(self, client: Any, contract_target: ContractTarget) -> None:
        made, torrent = self._add(client, contract_target, "contract-remove.bin")
        client.remove(torrent.id)
        eventually(lambda: torrent.id not in {t.id for t in client.torrents()}, contract_target.settle_timeout)
        if made.data_path is not None:
            assert made.data_path.exists()

    def test_remove_with_data_deletes_it(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.REMOVE_WITH_DATA):
            return
        made, torrent = self._add(client, contract_target, "contract-remove-data.bin")
        client.remove([torrent.id], delete_data=True)
        eventually(lambda: torrent.id not in {t.id for t in client.torrents()}, contract_target.settle_timeout)
        if made.data_path is not None:
            eventually(lambda: not made.data_path.exists(), contract_target.settle_timeout)  # type: ignore[union-attr]

    def test_files_and_priorities(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.FILES):
            return
        made, torrent = self._add(client, contract_target, "contract-files.bin")
        files = eventually(lambda: client.files(torrent.id), contract_target.settle_timeout)
        assert [f.index for f in files] == [0]
        assert files[0].path.endswith(made.name)
        assert files[0].size == torrent.size or torrent.size == 0
        if Capability.FILE_PRIORITY not in capabilities:
            return
        client.set_file_priority(torrent.id, [0], FilePriority.SKIP)
        skipped = eventually(lambda: client.files(torrent.id)[0], contract_target.settle_timeout)
        eventually(lambda: client.files(torrent.id)[0].priority is FilePriority.SKIP, contract_target.settle_timeout)
        assert skipped.index == 0
        assert client.files(torrent.id)[0].wanted is False
        client.set_file_priority(torrent.id, [0], "high")
        eventually(lambda: client.files(torrent.id)[0].priority is FilePriority.HIGH, contract_target.settle_timeout)
        assert client.files(torrent.id)[0].wanted is True

    def test_trackers_and_peers(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.TRACKERS):
            return
        _, torrent = self._add(client, contract_target, "contract-trackers.bin")
        trackers = eventually(lambda: client.trackers(torrent.id), contract_target.settle_timeout)
        assert all(t.url for t in trackers)
        if Capability.PEERS in capabilities:
            # Tests run with no network: nobody can be connected.
            assert client.peers(torrent.id) == []

    def test_labels(self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]) -> None:
        if lacks(client, capabilities, Capability.LABELS):
            return
        _, torrent = self._add(client, contract_target, "contract-label.bin", label="movies")
        eventually(lambda: client.torrent(torrent.id).label == "movies", contract_target.settle_timeout)
        client.set_label(torrent.id, "contract")
        eventually(lambda: client.torrent(torrent.id).label == "contract", contract_target.settle_timeout)
        client.set_label([torrent.id], None)
        eventually(lambda: client.torrent(torrent.id).label is None, contract_target.settle_timeout)

    def test_move(self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]) -> None:
        if lacks(client, capabilities, Capability.MOVE):
            return
        if contract_target.move_destination is None:
            pytest.skip("the target gives no destination to move to")
        destination = contract_target.move_destination.rstrip("/")
        _, torrent = self._add(client, contract_target, "contract-move.bin")
        client.move(torrent.id, contract_target.move_destination)
        eventually(
            lambda: (client.torrent(torrent.id).destination or "").rstrip("/") == destination,
            contract_target.settle_timeout,
        )

    def test_global_limits_round_trip_in_bytes_per_second(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.GLOBAL_LIMITS, Capability.STATS):
            return
        client.set_limits(download=1_024_000, upload=512_000)
        stats = eventually(client.stats, contract_target.settle_timeout)
        assert (stats.download_limit, stats.upload_limit) == (1_024_000, 512_000)
        client.set_limits(download=None, upload=None)
        stats = client.stats()
        assert (stats.download_limit, stats.upload_limit) == (None, None)

    def test_a_limit_left_out_is_kept(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.GLOBAL_LIMITS, Capability.STATS):
            return

        def limits_are(download: int | None, upload: int | None) -> bool:
            stats = client.stats()
            assert (stats.download_limit, stats.upload_limit) == (download, upload)
            return True

        client.set_limits(download=1_024_000)
        client.set_limits(upload=512_000)  # the download limit stays
        eventually(lambda: limits_are(1_024_000, 512_000), contract_target.settle_timeout)
        client.set_limits(download=None)  # removes that one only
        eventually(lambda: limits_are(None, 512_000), contract_target.settle_timeout)
        client.set_limits(upload=None)
        eventually(lambda: limits_are(None, None), contract_target.settle_timeout)
        before = client.requests_sent
        with pytest.raises(InvalidInputError):
            client.set_limits()  # nothing to change is a mistake, not a request
        assert client.requests_sent == before

    def test_stats(self, client: Any, capabilities: frozenset[Capability]) -> None:
        if lacks(client, capabilities, Capability.STATS):
            return
        stats = client.stats()
        for value in (stats.download_speed, stats.upload_speed, stats.free_space):
            assert value is None or value >= 0

    def test_torrent_limits_are_accepted(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.TORRENT_LIMITS):
            return
        _, torrent = self._add(client, contract_target, "contract-limits.bin")
        client.set_torrent_limits(torrent.id, download=2_048_000, upload=1_024_000)
        client.set_torrent_limits([torrent.id], download=None, upload=None)
        assert client.torrent(torrent.id).id == torrent.id

    def test_recheck_and_reannounce(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.RECHECK):
            return
        _, torrent = self._add(client, contract_target, "contract-recheck.bin")
        client.recheck(torrent.id)
        settled = eventually(
            lambda: client.torrent(torrent.id).state not in (TorrentState.CHECKING, TorrentState.QUEUED),
            contract_target.settle_timeout,
        )
        assert settled
        assert client.torrent(torrent.id).state is not TorrentState.ERROR
        if Capability.REANNOUNCE in capabilities:
            client.reannounce([torrent.id])

    def test_queue_moves(
        self, client: Any, contract_target: ContractTarget, capabilities: frozenset[Capability]
    ) -> None:
        if lacks(client, capabilities, Capability.QUEUE):
            return
        first = self._add(client, contract_target, "contract-queue-1.bin")[1]
        second = self._add(client, contract_target, "contract-queue-2.bin")[1]
        client.queue_move(second.id, "top")

        def second_is_ahead() -> bool:
            positions = {t.id: t.queue_position for t in client.torrents()}
            if positions[first.id] is None or positions[second.id] is None:
                return True  # the server keeps no queue position for these torrents (e.g. seeding)
            return bool(positions[second.id] < positions[first.id])

        eventually(second_is_ahead, contract_target.settle_timeout)

    def test_poll_reports_exact_deltas(self, client: Any, contract_target: ContractTarget) -> None:
        _, kept = self._add(client, contract_target, "contract-poll-1.bin")
        mirror: dict[str, Torrent] = {}

        def poll() -> enunclic.Delta:
            delta: enunclic.Delta = client.poll()
            for torrent in delta.added:
                assert torrent.id not in mirror
                mirror[torrent.id] = torrent
            for torrent in delta.changed:
                old = mirror[torrent.id]
                listed = delta.changed_fields[torrent.id]
                actual = {name for name in Torrent.model_fields if getattr(old, name) != getattr(torrent, name)}
                assert listed == actual
                mirror[torrent.id] = torrent
            for torrent_id in delta.removed:
                del mirror[torrent_id]
            return delta

        first = poll()
        assert [t.id for t in first.added] == [kept.id]
        _, other = self._add(client, contract_target, "contract-poll-2.bin")
        eventually(lambda: other.id in mirror or (poll() and other.id in mirror), contract_target.settle_timeout)
        client.pause(kept.id)
        eventually(lambda: poll() is not None and mirror[kept.id].state in STOPPED, contract_target.settle_timeout)
        client.remove(other.id)
        eventually(lambda: poll() is not None and other.id not in mirror, contract_target.settle_timeout)
        assert set(mirror) == {t.id for t in client.torrents()}

    def test_poll_reports_a_removed_torrent_once(self, client: Any, contract_target: ContractTarget) -> None:
        _, gone = self._add(client, contract_target, "contract-poll-gone.bin")
        assert gone.id in {t.id for t in client.poll().added}
        client.remove(gone.id)
        removed: list[str] = []

        def reported() -> bool:
            removed.extend(client.poll().removed)
            return gone.id in removed

        eventually(reported, contract_target.settle_timeout)
        assert removed == [gone.id]
        after = client.poll()
        assert gone.id not in {t.id for t in (*after.added, *after.changed)} | set(after.removed)
        assert gone.id not in {t.id for t in client.torrents()}


@contextmanager
def open_client(target: ContractTarget, mode: Mode, **overrides: Any) -> Iterator[Any]:
    """A client of ``target`` (its options, then ``overrides``), sync or async in the sync calling style."""
    options = {**target.options, **overrides}
    if mode == "sync":
        if target.sync_transport is not None:
            options["transport"] = target.sync_transport()
        with enunclic.connect(target.url, **options) as client:
            yield client
        return
    if target.async_transport is not None:
        options["transport"] = target.async_transport()
    loop = asyncio.new_event_loop()
    try:
        async_client = loop.run_until_complete(_make_async(target.url, options))
        try:
            yield AsyncAdapter(async_client, loop)
        finally:
            loop.run_until_complete(async_client.close())
    finally:
        loop.close()


def _assert_placed(error: EnunclicError, backend: str, operation: str) -> None:
    """The error names the backend and the operation the caller ran, as the docs promise."""
    assert (error.backend, error.operation) == (backend, operation), (
        f"{error.kind} names backend {error.backend!r} and operation {error.operation!r}, "
        f"not {backend!r} and {operation!r}"
    )


async def _make_async(url: str, options: dict[str, Any]) -> enunclic.AsyncClient:
    return enunclic.connect_async(url, **options)
