"""Download Station's side APIs: Info, config (sanitized for non-managers), Statistic, Schedule, DSM.Info (§7)."""

from __future__ import annotations

import pytest

from .conftest import Nas

INFO_CGI = "/webapi/DownloadStation/info.cgi"


def _info(nas: Nas, sid: str, method: str, version: int = 1, **params: object) -> dict:
    return dict(nas.post(INFO_CGI, api="SYNO.DownloadStation.Info", version=version, method=method, _sid=sid, **params))


@pytest.mark.parametrize(("dsm", "build", "text"), [(6, 3543, "3.8-3543"), (7, 5012, "4.1-5012")])
def test_getinfo(request: pytest.FixtureRequest, dsm: int, build: int, text: str) -> None:
    nas: Nas = request.getfixturevalue(f"nas{dsm}")
    assert _info(nas, nas.login(), "getinfo")["data"] == {"is_manager": True, "version": build, "version_string": text}
    assert _info(nas, nas.login("alice", "wonder"), "getinfo")["data"]["is_manager"] is False


def test_manager_getconfig(nas: Nas) -> None:
    data = _info(nas, nas.login(), "getconfig")["data"]
    assert data["default_destination"] == "downloads"
    assert data["bt_max_upload"] == 800
    assert set(data) == {
        "bt_max_download",
        "bt_max_upload",
        "default_destination",
        "emule_default_destination",
        "emule_enabled",
        "emule_max_download",
        "emule_max_upload",
        "ftp_max_download",
        "http_max_download",
        "nzb_max_download",
        "unzip_service_enabled",
    }


def test_non_manager_gets_a_sanitized_config_not_an_error(nas: Nas) -> None:
    # cmeans #123: null default_destination, zeroed rates.
    data = _info(nas, nas.login("alice", "wonder"), "getconfig")["data"]
    assert data["default_destination"] is None
    assert data["bt_max_upload"] == 0


def test_setserverconfig_by_a_manager_changes_the_config(nas: Nas) -> None:
    sid = nas.login()
    assert _info(nas, sid, "setserverconfig", bt_max_download=1500, default_destination="video") == {"success": True}
    data = _info(nas, sid, "getconfig")["data"]
    assert data["bt_max_download"] == 1500
    assert data["default_destination"] == "video"


def test_setserverconfig_by_a_non_manager_succeeds_and_changes_nothing(nas: Nas) -> None:
    alice = nas.login("alice", "wonder")
    assert _info(nas, alice, "setserverconfig", bt_max_download=1) == {"success": True}
    assert _info(nas, nas.login(), "getconfig")["data"]["bt_max_download"] == 0


def test_statistic_sums_task_speeds_and_has_no_emule_keys(nas: Nas) -> None:
    nas.sim.add_task("https://example.org/a.iso", owner="admin", status="downloading", download_rate=1000)
    nas.sim.add_task("https://example.org/b.iso", owner="alice", status="downloading", download_rate=500)
    nas.sim.add_task("magnet:?xt=urn:btih:" + "c" * 40, owner="admin", status="seeding", upload_rate=300)
    reply = nas.post(
        "/webapi/DownloadStation/statistic.cgi",
        api="SYNO.DownloadStation.Statistic",
        version=1,
        method="getinfo",
        _sid=nas.login(),
    )
    assert reply == {"data": {"speed_download": 1500, "speed_upload": 300}, "success": True}


def test_schedule_toggles(nas: Nas) -> None:
    sid = nas.login("alice", "wonder")
    path = "/webapi/DownloadStation/schedule.cgi"
    base = {"api": "SYNO.DownloadStation.Schedule", "version": 1, "_sid": sid}
    assert nas.post(path, method="getconfig", **base)["data"] == {"enabled": False, "emule_enabled": False}
    assert nas.post(path, method="setconfig", enabled="true", **base) == {"success": True}
    assert nas.post(path, method="getconfig", **base)["data"]["enabled"] is True


def test_dsm_info_serial(nas: Nas) -> None:
    reply = nas.ds2(nas.login(), "getinfo", api="SYNO.DSM.Info", version=2)
    assert reply["data"]["serial"] == nas.sim.state.serial
