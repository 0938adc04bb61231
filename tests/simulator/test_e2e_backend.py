"""End to end: the real ``synology`` backend against the simulator, DSM 6 and DSM 7, sync and async.

In-process through the simulator's httpx transport, and over real HTTP on 127.0.0.1.
The simulator's own tests check the wire; these check that backend and simulator agree.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import enunclic
from enunclic import (
    AuthenticationError,
    ConnectError,
    EnunclicError,
    ProtocolError,
    RequestTimeout,
    ServerError,
    TorrentNotFoundError,
    TorrentState,
    TwoFactorRequired,
)
from enunclic.simulators.synology import FaultKind, SimulatorOptions, SynologySimulator, add_samples
from enunclic.testing.contract import AsyncAdapter, ContractSuite
from enunclic.testing.target import WRONG_PASSWORD, ContractTarget
from enunclic.testing.torrents import make_test_torrent

URL = "http://127.0.0.1:5000"
MAGNET = "magnet:?xt=urn:btih:" + "5f" * 20 + "&dn=Simulated.Magnet"


def make_sim(dsm: int, **options: Any) -> SynologySimulator:
    sim = SynologySimulator(dsm, options=SimulatorOptions(**options))
    sim.add_account("admin", "secret", manager=True)
    sim.add_account("alice", "wonder", default_destination="downloads")
    return sim


# -- the contract suite, in-process and over HTTP -------------------------------------------------


def _target(sim: SynologySimulator, tmp_path: Path, url: str, in_process: bool) -> ContractTarget:
    host = url.split("://", 1)[1]
    return ContractTarget(
        url=f"synology://admin@{host}",
        options={"password": "secret"},
        wrong_credentials={"password": WRONG_PASSWORD},
        make_torrent=lambda name: make_test_torrent(tmp_path / "payload", name),
        sync_transport=sim.transport if in_process else None,
        async_transport=sim.transport if in_process else None,
        magnet=MAGNET,
        move_destination="video",
        settle_timeout=2.0,
        missing_id="dbid_999999",
        # A new task waits until the scheduler starts it, and the simulated clock stands still here.
        metadata_states=frozenset({TorrentState.METADATA, TorrentState.QUEUED}),
    )


class TestContractDsm6InProcess(ContractSuite):
    @pytest.fixture
    def contract_target(self, tmp_path: Path) -> ContractTarget:
        return _target(make_sim(6), tmp_path, URL, in_process=True)


class TestContractDsm7InProcess(ContractSuite):
    @pytest.fixture
    def contract_target(self, tmp_path: Path) -> ContractTarget:
        return _target(make_sim(7), tmp_path, URL, in_process=True)


class TestContractDsm6OverHttp(ContractSuite):
    @pytest.fixture
    def contract_target(self, tmp_path: Path) -> Iterator[ContractTarget]:
        sim = make_sim(6)
        with sim.serve() as server:
            yield _target(sim, tmp_path, server.url, in_process=False)


class TestContractDsm7OverHttp(ContractSuite):
    @pytest.fixture
    def contract_target(self, tmp_path: Path) -> Iterator[ContractTarget]:
        sim = make_sim(7)
        with sim.serve() as server:
            yield _target(sim, tmp_path, server.url, in_process=False)


# -- one way to get a client: sync or async, in-process or over HTTP ---------------------------------


Connect = Callable[..., Any]


@pytest.fixture(params=[6, 7], ids=["dsm6", "dsm7"])
def sim(request: pytest.FixtureRequest) -> SynologySimulator:
    return make_sim(request.param)


@pytest.fixture(params=["sync", "async"])
def connect(request: pytest.FixtureRequest, sim: SynologySimulator) -> Iterator[Connect]:
    """``connect(username=..., password=..., **options)``: a client of ``sim`` in the sync calling style."""
    opened: list[Any] = []
    loop = asyncio.new_event_loop()

    def make(username: str = "admin", password: str = "secret", **options: Any) -> Any:
        if request.param == "sync":
            client: Any = enunclic.Client(
                "synology", url=URL, username=username, password=password, transport=sim.transport(), **options
            )
        else:
            client = AsyncAdapter(
                enunclic.AsyncClient(
                    "synology", url=URL, username=username, password=password, transport=sim.transport(), **options
                ),
                loop,
            )
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.close()
    loop.close()


def _by_name(client: Any) -> dict[str, enunclic.Torrent]:
    return {t.name: t for t in client.torrents()}


# -- listing and mapping ------------------------------------------------------------------------------


def test_sample_tasks_map_to_normalized_states(sim: SynologySimulator, connect: Connect) -> None:
    add_samples(sim, "admin")
    torrents = _by_name(connect())
    assert torrents["ubuntu-24.04.1-desktop-amd64.iso"].state is TorrentState.SEEDING
    assert torrents["ubuntu-24.04.1-desktop-amd64.iso"].progress == 1.0
    bunny = torrents["Big.Buck.Bunny.2008.2160p"]
    assert bunny.state is TorrentState.DOWNLOADING
    assert bunny.progress == pytest.approx(0.42, abs=0.01)
    assert bunny.download_speed == 5 * 1024 * 1024
    assert bunny.info_hash == f"{0x4D5E6F:040x}"  # from the magnet's btih
    assert bunny.destination == "downloads"
    debian = torrents["debian-12.7.0-amd64-DVD-1.iso"]
    assert debian.state is TorrentState.METADATA
    assert debian.size == 0
    assert debian.progress == 0.0
    assert torrents["archlinux-2024.11.01-x86_64.iso"].state is TorrentState.PAUSED
    report = torrents["annual-report-2023.pdf"]
    assert report.state is TorrentState.ERROR
    assert report.native_state == "error"
    assert report.error
    assert "broken" in report.error
    assert torrents["Sintel.2010.1080p"].state is TorrentState.QUEUED
    assert torrents["Tears.of.Steel.2012.720p"].state is TorrentState.COMPLETED


def test_numbers_as_strings_read_the_same(connect: Connect, sim: SynologySimulator) -> None:
    add_samples(sim, "admin")
    as_ints = connect().torrents()
    sim.options.numbers_as_strings = True
    assert connect().torrents() == as_ints


def test_non_manager_sees_only_its_own_tasks(sim: SynologySimulator, connect: Connect) -> None:
    sim.add_task("https://example.org/admin.iso", owner="admin")
    sim.add_task("https://example.org/alice.iso", owner="alice")
    assert [t.name for t in connect("alice", "wonder").torrents()] == ["alice.iso"]
    assert len(connect().torrents()) == 2
    admin_task = next(t for t in connect().torrents() if t.name == "admin.iso")
    with pytest.raises(TorrentNotFoundError):
        connect("alice", "wonder").torrent(admin_task.id)


# -- adding, and the task engine through the backend -------------------------------------------------


def test_add_file_progresses_on_the_simulated_clock(sim: SynologySimulator, connect: Connect, tmp_path: Path) -> None:
    sim.options.download_rate = 32 * 1024
    made = make_test_torrent(tmp_path, "e2e.bin", size=96 * 1024)
    client = connect()
    added = client.add(made.content, destination="video/Movies")
    assert added.id.startswith("dbid_")
    assert added.info_hash == made.info_hash
    torrent = client.torrent(added.id)
    assert torrent.state is TorrentState.QUEUED
    assert torrent.destination == "video/Movies"
    assert torrent.size == 96 * 1024
    sim.advance(sim.options.waiting_seconds + 1)
    torrent = client.torrent(added.id)
    assert torrent.state is TorrentState.DOWNLOADING
    assert torrent.progress == pytest.approx(1 / 3)
    assert torrent.eta == 2
    sim.advance(2 + sim.options.finishing_seconds)
    torrent = client.torrent(added.id)
    assert torrent.state is TorrentState.SEEDING
    assert torrent.progress == 1.0
    assert torrent.completed_at is not None


def test_dsm7_file_add_goes_through_ds2(tmp_path: Path) -> None:
    sim = make_sim(7)
    made = make_test_torrent(tmp_path, "ds2.bin")
    with enunclic.Client("synology", url=URL, username="admin", password="secret", transport=sim.transport()) as c:
        c.add(made.content)
    assert sim.seen.by_api.get("SYNO.DownloadStation2.Task", 0) >= 1
    assert next(iter(sim.state.tasks.values())).info_hash == made.info_hash


def test_add_magnet_then_metadata_arrives(sim: SynologySimulator, connect: Connect) -> None:
    client = connect()
    added = client.add(MAGNET)
    assert added.info_hash == "5f" * 20
    sim.advance(sim.options.waiting_seconds + 1)
    assert client.torrent(added.id).state is TorrentState.METADATA
    sim.advance(sim.options.metadata_seconds)
    torrent = client.torrent(added.id)
    assert torrent.state is TorrentState.DOWNLOADING
    assert torrent.size > 0
    assert client.files(added.id)


def test_add_to_a_missing_folder_fails_with_the_task_code(connect: Connect) -> None:
    with pytest.raises(EnunclicError) as caught:
        connect().add(MAGNET, destination="no/such/folder")
    assert caught.value.native_code == 403


def test_user_without_default_destination(sim: SynologySimulator, connect: Connect) -> None:
    sim.add_account("carol", "pw")
    with pytest.raises(EnunclicError) as caught:
        connect("carol", "pw").add(MAGNET)
    assert caught.value.native_code == 406


def test_pause_resume_remove_and_unknown_ids(sim: SynologySimulator, connect: Connect) -> None:
    task = sim.add_task("https://example.org/a.iso", owner="admin", status="downloading")
    client = connect()
    client.pause(task.id)
    assert client.torrent(task.id).state is TorrentState.PAUSED
    client.resume(task.id)
    assert client.torrent(task.id).state is TorrentState.DOWNLOADING
    with pytest.raises((TorrentNotFoundError, enunclic.PartialFailureError)):
        client.pause([task.id, "dbid_4242"])
    client.remove(task.id)
    assert client.torrents() == []


def test_poll_reports_progress_as_changed_fields(sim: SynologySimulator, connect: Connect) -> None:
    task = sim.add_task("https://example.org/a.iso", owner="admin", status="downloading")
    client = connect()
    first = client.poll()
    assert [t.id for t in first.added] == [task.id]
    sim.advance(1)
    delta = client.poll()
    assert [t.id for t in delta.changed] == [task.id]
    assert "progress" in delta.changed_fields[task.id]
    assert "downloaded" in delta.changed_fields[task.id]
    assert client.poll().empty


# -- sessions: the backend recovers from every way a DSM session ends ---------------------------------


def _logins(sim: SynologySimulator) -> int:
    return sim.seen.by_api.get("SYNO.API.Auth", 0)


@pytest.mark.parametrize("end", ["idle", "fault", "duplicate", "reboot", "logout"])
def test_lost_session_means_one_silent_relogin(sim: SynologySimulator, connect: Connect, end: str) -> None:
    sim.add_task("https://example.org/a.iso", owner="admin")
    client = connect()
    assert len(client.torrents()) == 1
    logins = _logins(sim)
    if end == "idle":
        sim.advance(sim.options.session_idle_timeout + 1)
    elif end == "fault":
        sim.inject(FaultKind.EXPIRE_SESSION)
    elif end == "duplicate":
        sim.options.interrupt_duplicate_logins = True
        assert len(connect().torrents()) == 1  # a second client logs in with the same session name
        logins = _logins(sim)
    elif end == "reboot":
        sim.reboot()
    else:
        sim.state.sessions.clear()
    assert len(client.torrents()) == 1
    assert _logins(sim) == logins + 1


def test_close_logs_out_for_real(sim: SynologySimulator, connect: Connect) -> None:
    client = connect()
    client.torrents()
    assert sim.active_sessions() == 1
    client.close()
    assert sim.active_sessions() == 0


def test_wrong_password_is_one_attempt_and_an_authentication_error(sim: SynologySimulator, connect: Connect) -> None:
    with pytest.raises(AuthenticationError) as caught:
        connect(password="nope").torrents()
    assert caught.value.native_code == 400
    assert _logins(sim) == 1
    assert "nope" not in str(caught.value) and "nope" not in repr(caught.value)


def test_blocked_address_is_an_authentication_error(sim: SynologySimulator, connect: Connect) -> None:
    sim.options.block_threshold = 2
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            connect(password="nope").torrents()
    with pytest.raises(AuthenticationError) as caught:
        connect().torrents()
    assert caught.value.native_code == 407


def test_two_factor_login_and_device_token(sim: SynologySimulator, connect: Connect) -> None:
    sim.add_account("twofa", "pw", manager=True, otp_code="123456")
    with pytest.raises(TwoFactorRequired):
        connect("twofa", "pw").torrents()
    with pytest.raises(TwoFactorRequired):
        connect("twofa", "pw", otp_code="000000").torrents()
    client = connect("twofa", "pw", otp_code="123456")
    assert client.torrents() == []
    token = client.backend.device_token
    assert token
    assert connect("twofa", "pw", device_token=token).torrents() == []


# -- faults -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        (FaultKind.HTML, AuthenticationError),  # DSM's login page: a portal asks for a login
        (FaultKind.TRUNCATED, ProtocolError),
        (FaultKind.HTTP_500, ServerError),
        (FaultKind.RESET, ConnectError),
    ],
)
def test_faults_become_typed_errors(sim: SynologySimulator, connect: Connect, kind: FaultKind, error: type) -> None:
    client = connect(retries=0)  # the core retries reads after connection failures; see the test below
    client.torrents()
    sim.inject(kind, api="SYNO.DownloadStation.Task")
    with pytest.raises(error):
        client.torrents()
    assert client.torrents() == []  # the next call works again


def test_one_reset_is_retried_transparently(sim: SynologySimulator, connect: Connect) -> None:
    client = connect()
    client.torrents()
    before = sim.seen.by_api["SYNO.DownloadStation.Task"]
    sim.inject(FaultKind.RESET, api="SYNO.DownloadStation.Task")
    assert client.torrents() == []
    assert sim.seen.by_api["SYNO.DownloadStation.Task"] == before + 2


def test_slow_reply_is_a_request_timeout(sim: SynologySimulator, connect: Connect) -> None:
    client = connect(timeout=0.2, retries=0)
    client.torrents()
    sim.inject(FaultKind.SLOW, delay=30)
    with pytest.raises(RequestTimeout):
        client.torrents()


# -- over real HTTP on 127.0.0.1 -----------------------------------------------------------------------


@pytest.mark.parametrize("dsm", [6, 7])
def test_over_real_http_sync_and_async(dsm: int, tmp_path: Path) -> None:
    sim = make_sim(dsm, download_rate=10 * 1024 * 1024)
    add_samples(sim, "admin", 3)
    made = make_test_torrent(tmp_path, "over-http.bin")
    with sim.serve() as server:
        with enunclic.connect(f"synology://admin@{server.url.split('://')[1]}", password="secret") as client:
            assert len(client.torrents()) == 3
            added = client.add(made.content)
            assert client.torrent(added.id).name == "over-http.bin"

        async def run() -> list[str]:
            async with enunclic.AsyncClient("synology", url=server.url, username="admin", password="secret") as ac:
                await ac.pause(added.id)
                return [t.native_state for t in await ac.torrents() if t.id == added.id]

        assert asyncio.run(run()) == ["paused"]
