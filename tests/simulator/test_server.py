"""The simulator over real HTTP on 127.0.0.1: same replies as in-process, faults acted out on the socket."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from enunclic.simulators.synology import FaultKind, SimulatorOptions, SimulatorServer, SynologySimulator
from enunclic.simulators.synology.app import real_time_simulator

from .conftest import MAGNET, QUERY_CGI, TASK_CGI

INFO = {"api": "SYNO.API.Info", "version": "1", "method": "query", "query": "SYNO.API.Auth"}


@pytest.fixture(params=[6, 7], ids=["dsm6", "dsm7"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[SynologySimulator, SimulatorServer]]:
    sim = SynologySimulator(request.param)
    sim.add_account("admin", "secret", manager=True)
    with sim.serve() as server:
        yield sim, server


def _login(http: httpx.Client, sim: SynologySimulator) -> str:
    entry = sim.personality.apis["SYNO.API.Auth"]
    reply = http.post(
        f"/webapi/{entry.path}",
        data={
            "api": "SYNO.API.Auth",
            "version": entry.max_version,
            "method": "login",
            "account": "admin",
            "passwd": "secret",
            "format": "sid",
        },
    ).json()
    return str(reply["data"]["sid"])


def test_listens_on_loopback_and_answers_like_in_process(served: tuple[SynologySimulator, SimulatorServer]) -> None:
    sim, server = served
    assert server.url.startswith("http://127.0.0.1:")
    assert server.port > 0
    with httpx.Client(base_url=server.url) as http:
        over_tcp = http.get(QUERY_CGI, params=INFO).json()
    in_process = httpx.Client(transport=sim.transport(), base_url="http://x").get(QUERY_CGI, params=INFO).json()
    assert over_tcp == in_process
    assert over_tcp["success"] is True


def test_login_create_and_list_over_http(served: tuple[SynologySimulator, SimulatorServer]) -> None:
    sim, server = served
    with httpx.Client(base_url=server.url) as http:
        sid = _login(http, sim)
        created = http.post(
            TASK_CGI,
            data={"api": "SYNO.DownloadStation.Task", "version": 3, "method": "create", "uri": MAGNET, "_sid": sid},
        ).json()
        assert created == {"success": True}
        listed = http.get(
            TASK_CGI,
            params={
                "api": "SYNO.DownloadStation.Task",
                "version": 1,
                "method": "list",
                "additional": "detail",
                "_sid": sid,
            },
        ).json()
    assert listed["data"]["tasks"][0]["additional"]["detail"]["uri"] == MAGNET


def test_multipart_upload_over_http(served: tuple[SynologySimulator, SimulatorServer], tmp_path) -> None:  # type: ignore[no-untyped-def]
    from enunclic.testing.torrents import make_test_torrent

    sim, server = served
    torrent = make_test_torrent(tmp_path, "over-http.bin")
    with httpx.Client(base_url=server.url) as http:
        sid = _login(http, sim)
        fields = {
            "api": "SYNO.DownloadStation2.Task",
            "version": "2",
            "method": "create",
            "type": '"file"',
            "file": '["torrent"]',
            "create_list": "false",
            "destination": '"downloads"',
        }
        reply = http.post(
            "/webapi/entry.cgi",
            params={"_sid": sid},
            data=fields,
            files={"torrent": ("over-http.bin.torrent", torrent.content, "application/x-bittorrent")},
        )
    assert reply.json()["data"]["task_id"] == ["dbid_1"]
    assert sim.state.tasks["dbid_1"].info_hash == torrent.info_hash


def test_http_500_and_html_and_truncated_over_http(served: tuple[SynologySimulator, SimulatorServer]) -> None:
    sim, server = served
    with httpx.Client(base_url=server.url) as http:
        sim.inject(FaultKind.HTTP_500)
        assert http.get(QUERY_CGI, params=INFO).status_code == 500
        sim.inject(FaultKind.HTML)
        assert http.get(QUERY_CGI, params=INFO).headers["content-type"].startswith("text/html")
        sim.inject(FaultKind.TRUNCATED)
        with pytest.raises(json.JSONDecodeError):
            http.get(QUERY_CGI, params=INFO).json()
        assert http.get(QUERY_CGI, params=INFO).json()["success"] is True


def test_connection_reset_over_tcp(served: tuple[SynologySimulator, SimulatorServer]) -> None:
    sim, server = served
    sim.inject(FaultKind.RESET)
    with httpx.Client(base_url=server.url) as http:
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            http.get(QUERY_CGI, params=INFO)
        assert http.get(QUERY_CGI, params=INFO).json()["success"] is True  # the server lives on


def test_slow_reply_times_out_a_patient_client(served: tuple[SynologySimulator, SimulatorServer]) -> None:
    sim, server = served
    sim.inject(FaultKind.SLOW, delay=1.0)
    with httpx.Client(base_url=server.url) as http, pytest.raises(httpx.ReadTimeout):
        http.get(QUERY_CGI, params=INFO, timeout=0.2)


def test_real_clock_moves_tasks_in_real_time() -> None:
    sim = real_time_simulator(7, options=SimulatorOptions(waiting_seconds=0.1, download_rate=1_000_000))
    sim.add_account("admin", "secret", manager=True)
    task = sim.add_task("https://example.org/file.iso", owner="admin", status="downloading")
    first = task.downloaded
    time.sleep(0.3)
    sim.tick()
    assert task.downloaded - first >= 200_000
    with pytest.raises(TypeError):
        sim.advance(1)


def test_refuses_non_loopback_addresses() -> None:
    sim = SynologySimulator(7)
    for host in ("0.0.0.0", "192.168.1.10", "localhost"):  # noqa: S104 - the point is refusing them
        with pytest.raises(ValueError, match="loopback"):
            SimulatorServer(sim, host=host)


def test_stop_releases_the_port() -> None:
    sim = SynologySimulator(7)
    server = sim.serve()
    port = server.port
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}{QUERY_CGI}", params=INFO, timeout=2)
