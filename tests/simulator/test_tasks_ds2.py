"""SYNO.DownloadStation2.*: JSON parameters, create by url and file, int statuses, failed_task lists (§6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from enunclic.testing.torrents import make_test_torrent

from .conftest import ENTRY_CGI, MAGNET, Nas, error_code, make_nas

MIB = 1024 * 1024


def _create_url(nas: Nas, sid: str, url: Any, destination: Any = '"downloads"', **extra: Any) -> dict[str, Any]:
    params = {"type": '"url"', "url": url, "create_list": "false", **extra}
    if destination is not None:
        params["destination"] = destination
    return dict(nas.ds2(sid, "create", **params))


def test_url_create_json_style_returns_task_ids(nas: Nas) -> None:
    sid = nas.login()
    reply = _create_url(nas, sid, json.dumps([MAGNET, "https://example.org/a.iso"]))
    assert reply == {"data": {"list_id": [], "task_id": ["dbid_1", "dbid_2"]}, "success": True}


def test_url_create_bare_style_works_too(nas: Nas) -> None:
    # Sonarr: type=url&url=<raw url>&destination=<dir> (SickChill#7062: "works without the extra quotes").
    sid = nas.login()
    reply = nas.ds2(sid, "create", type="url", url=MAGNET, destination="downloads", create_list="false")
    assert reply["data"]["task_id"] == ["dbid_1"]
    assert nas.list_tasks(sid, "detail")[0]["additional"]["detail"]["uri"] == MAGNET


def test_task_ids_can_be_withheld() -> None:
    nas = make_nas(7, ds2_returns_task_ids=False)
    assert _create_url(nas, nas.login(), json.dumps([MAGNET]))["data"] == {"list_id": [], "task_id": []}


@pytest.mark.parametrize("missing", ["type", "destination", "create_list", "url"])
def test_missing_required_parameter_is_120_with_errors(nas: Nas, missing: str) -> None:
    params = {"type": '"url"', "url": json.dumps([MAGNET]), "create_list": "false", "destination": '"downloads"'}
    del params[missing]
    reply = nas.ds2(nas.login(), "create", **params)
    assert reply == {"error": {"code": 120, "errors": {"name": missing, "reason": "required"}}, "success": False}


def test_empty_destination_means_default_by_default(nas: Nas) -> None:
    sid = nas.login()
    _create_url(nas, sid, json.dumps([MAGNET]), destination='""')
    assert nas.list_tasks(sid, "detail")[0]["additional"]["detail"]["destination"] == "downloads"


def test_empty_destination_can_be_120() -> None:
    # DS 3.9 on DSM 7.0 (Sonarr#4562).
    nas = make_nas(7, ds2_empty_destination="error")
    reply = _create_url(nas, nas.login(), json.dumps([MAGNET]), destination='""')
    assert reply["error"] == {"code": 120, "errors": {"name": "destination", "reason": "required"}}


def test_bad_destination_is_403(nas: Nas) -> None:
    assert error_code(_create_url(nas, nas.login(), json.dumps([MAGNET]), destination='"/volume1/x"')) == 403


def test_file_create_works_on_both_personalities(nas: Nas, tmp_path: Path) -> None:
    sid = nas.login()
    torrent = make_test_torrent(tmp_path, "payload.bin")
    reply = nas.upload_ds2(sid, torrent.content)
    assert reply == {"data": {"list_id": [], "task_id": ["dbid_1"]}, "success": True}
    task = nas.list_tasks(sid, "detail")[0]
    assert task["title"] == "payload.bin"
    assert task["size"] == 96 * 1024


def test_any_part_name_works_when_listed(nas: Nas, tmp_path: Path) -> None:
    # Sonarr uses "fileData": the part name only has to match the name listed in ``file``.
    torrent = make_test_torrent(tmp_path, "p.bin")
    assert nas.upload_ds2(nas.login(), torrent.content, listed="fileData", part="fileData")["success"] is True


def test_part_name_mismatch_is_120_condition(nas: Nas, tmp_path: Path) -> None:
    torrent = make_test_torrent(tmp_path, "p.bin")
    reply = nas.upload_ds2(nas.login(), torrent.content, listed="torrent", part="fileData")
    assert reply == {"error": {"code": 120, "errors": {"name": "file", "reason": "condition"}}, "success": False}


def test_create_list_true_starts_nothing(nas: Nas) -> None:
    sid = nas.login()
    reply = _create_url(nas, sid, json.dumps([MAGNET]), create_list="true")
    assert reply["data"]["task_id"] == []
    assert len(reply["data"]["list_id"]) == 1
    assert nas.list_tasks(sid) == []


def test_list_has_task_key_and_int_statuses(nas: Nas) -> None:
    sid = nas.login()
    _create_url(nas, sid, json.dumps([MAGNET, "https://example.org/a.iso"]))
    reply = nas.ds2(sid, "list", additional='["detail","transfer"]', offset=0, limit=-1)
    data = reply["data"]
    assert set(data) == {"offset", "task", "total"}
    assert data["total"] == 2
    assert [t["status"] for t in data["task"]] == [1, 1]  # waiting
    assert set(data["task"][0]["additional"]) == {"detail", "transfer"}


@pytest.mark.parametrize("additional", ["detail", '"detail"', "detail,transfer", '["detail","transfer"]'])
def test_bare_and_json_additional_both_count(nas: Nas, additional: str) -> None:
    # A real DSM 7 answered additional=detail (bare) with the detail block (Prowlarr#1812).
    sid = nas.login()
    _create_url(nas, sid, json.dumps([MAGNET]))
    task = nas.ds2(sid, "list", additional=additional)["data"]["task"][0]
    assert "detail" in task["additional"]
    assert ("transfer" in task["additional"]) is ("transfer" in additional)


@pytest.mark.parametrize(("status", "code"), [("downloading", 2), ("paused", 3), ("finished", 5), ("seeding", 8)])
def test_ds2_status_numbers(nas: Nas, status: str, code: int) -> None:
    nas.sim.add_task(MAGNET, owner="admin", status=status, progress=0.5)
    assert nas.ds2(nas.login(), "list")["data"]["task"][0]["status"] == code


def test_error_task_has_the_configured_int_and_error_detail(nas: Nas) -> None:
    nas.sim.add_task("https://x.invalid/a", owner="admin", error="broken_link")
    task = nas.ds2(nas.login(), "list")["data"]["task"][0]
    assert task["status"] == nas.sim.options.ds2_error_status
    assert task["status_extra"] == {"error_detail": "broken_link"}


def test_get_has_tasks_key(nas: Nas) -> None:
    sid = nas.login()
    _create_url(nas, sid, json.dumps([MAGNET, "https://example.org/a.iso"]))
    data = nas.ds2(sid, "get", id='["dbid_2","dbid_7"]', additional='["detail"]')["data"]
    assert [t["id"] for t in data["tasks"]] == ["dbid_2"]


def test_delete_reports_only_failures(nas: Nas) -> None:
    sid = nas.login()
    _create_url(nas, sid, json.dumps([MAGNET]))
    reply = nas.ds2(sid, "delete", id='["dbid_1","dbid_5"]', force_complete="false")
    assert reply == {"data": {"failed_task": [{"error": 404, "id": "dbid_5"}]}, "success": True}
    assert nas.list_tasks(sid) == []


def test_delete_accepts_a_bare_id(nas: Nas) -> None:
    sid = nas.login()
    _create_url(nas, sid, json.dumps([MAGNET]))
    assert nas.ds2(sid, "delete", id="dbid_1", force_complete="false")["data"] == {"failed_task": []}


def test_pause_is_a_plain_success_and_resume_lists_failures(nas: Nas) -> None:
    sid = nas.login()
    _create_url(nas, sid, json.dumps([MAGNET]))
    assert nas.ds2(sid, "pause", id='["dbid_1"]') == {"success": True}
    assert nas.list_tasks(sid)[0]["status"] == "paused"
    reply = nas.ds2(sid, "resume", id='["dbid_1","dbid_3"]')
    assert reply["data"] == {"failed_task": [{"error": 404, "id": "dbid_3"}]}
    assert nas.list_tasks(sid)[0]["status"] == "waiting"


def test_source_download_returns_the_uploaded_torrent(nas: Nas, tmp_path: Path) -> None:
    sid = nas.login()
    torrent = make_test_torrent(tmp_path, "src.bin")
    nas.upload_ds2(sid, torrent.content)
    response = nas.http.get(
        ENTRY_CGI,
        params={
            "api": "SYNO.DownloadStation2.Task.Source",
            "version": 2,
            "method": "download",
            "id": "dbid_1",
            "_sid": sid,
        },
    )
    assert response.content == torrent.content
    assert response.headers["content-type"] == "application/x-bittorrent"


def test_source_of_a_link_task_is_an_error(nas: Nas) -> None:
    sid = nas.login()
    _create_url(nas, sid, json.dumps([MAGNET]))
    reply = nas.ds2(sid, "download", api="SYNO.DownloadStation2.Task.Source", id="dbid_1")
    assert error_code(reply) == 404


def test_settings_location(nas: Nas) -> None:
    reply = nas.ds2(nas.login(), "get", api="SYNO.DownloadStation2.Settings.Location", version=1)
    assert reply == {"data": {"default_destination": "downloads"}, "success": True}


def test_task_complete_stops_seeding_on_dsm7(nas7: Nas) -> None:
    task = nas7.sim.add_task(MAGNET, owner="admin", status="seeding")
    sid = nas7.login()
    reply = nas7.ds2(sid, "start", api="SYNO.DownloadStation2.Task.Complete", version=1, id=json.dumps([task.id]))
    assert reply["data"]["task_id"].startswith("admin/SYNODLTaskEnd")
    assert nas7.list_tasks(sid)[0]["status"] == "finished"


def test_task_complete_does_not_exist_on_dsm6(nas6: Nas) -> None:
    reply = nas6.ds2(nas6.login(), "start", api="SYNO.DownloadStation2.Task.Complete", version=1, id='["dbid_1"]')
    assert error_code(reply) == 102
