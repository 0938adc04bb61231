"""The v1 task API (task.cgi): create, list/getinfo shapes, progression, destinations, per-id results (§5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from enunclic.testing.torrents import make_test_torrent

from .conftest import MAGNET, TASK_CGI, Nas, error_code, make_nas

MIB = 1024 * 1024


def _create(nas: Nas, sid: str, version: int = 3, **params: Any) -> dict[str, Any]:
    return dict(nas.task(sid, "create", version=version, **params))


def _only(nas: Nas, sid: str, additional: str = "detail,transfer,file,tracker,peer") -> dict[str, Any]:
    tasks = nas.list_tasks(sid, additional)
    assert len(tasks) == 1, tasks
    return tasks[0]


def _upload(
    nas: Nas,
    sid: str,
    content: bytes,
    filename: str,
    *,
    version: int = 2,
    file_last: bool = True,
    destination: str | None = None,
) -> dict[str, Any]:
    """A v1 multipart create, laid out as Sonarr does: form fields, then the file part."""
    fields = [("_sid", sid), ("api", "SYNO.DownloadStation.Task"), ("version", str(version)), ("method", "create")]
    if destination is not None:
        fields.append(("destination", destination))
    parts: list[tuple[str, Any]] = [(k, (None, v)) for k, v in fields]
    file_part = ("file", (filename, content, "application/x-bittorrent"))
    parts = [*parts, file_part] if file_last else [file_part, *parts]
    return dict(nas.http.post(TASK_CGI, files=parts).json())


def test_uri_create_is_a_bare_success_without_a_task_id(nas: Nas) -> None:
    sid = nas.login()
    assert _create(nas, sid, uri=MAGNET) == {"success": True}


def test_task_object_shape_and_uri_kept_verbatim(nas: Nas) -> None:
    sid = nas.login()
    _create(nas, sid, uri=MAGNET, destination="video/Movies")
    task = _only(nas, sid)
    assert set(task) == {"id", "type", "username", "title", "size", "status", "additional"}
    assert task["id"] == "dbid_1"
    assert task["type"] == "bt"
    assert task["username"] == "admin"
    assert task["title"] == "Some.Linux.iso"
    assert task["status"] == "waiting"
    assert "status_extra" not in task  # absent on healthy tasks (DSM 6 capture)
    detail = task["additional"]["detail"]
    assert detail["uri"] == MAGNET
    assert detail["destination"] == "video/Movies"  # no leading slash
    assert set(detail) == {
        "completed_time",
        "connected_leechers",
        "connected_peers",
        "connected_seeders",
        "create_time",
        "destination",
        "seedelapsed",
        "started_time",
        "total_peers",
        "total_pieces",
        "unzip_password",
        "uri",
        "waiting_seconds",
    }
    assert set(task["additional"]["transfer"]) == {
        "downloaded_pieces",
        "size_downloaded",
        "size_uploaded",
        "speed_download",
        "speed_upload",
    }
    assert all(isinstance(v, int) for v in task["additional"]["transfer"].values())


def test_magnet_has_size_zero_and_no_files_until_metadata_arrives() -> None:
    nas = make_nas(7, waiting_seconds=1, metadata_seconds=20, download_rate=MIB)
    sid = nas.login()
    _create(nas, sid, uri=MAGNET)
    nas.sim.advance(10)
    task = _only(nas, sid)
    assert task["status"] == "downloading"
    assert task["size"] == 0
    assert task["additional"]["file"] == []
    assert task["additional"]["detail"]["total_pieces"] == 0
    assert task["additional"]["transfer"]["speed_download"] == 0
    nas.sim.advance(15)  # metadata at t=21, then 4 s of download at 1 MiB/s
    task = _only(nas, sid)
    assert task["size"] > 0
    assert task["additional"]["file"]
    assert sum(f["size"] for f in task["additional"]["file"]) == task["size"]
    assert task["additional"]["transfer"]["size_downloaded"] == 4 * MIB
    assert task["additional"]["transfer"]["speed_download"] == MIB


def test_bt_task_goes_waiting_downloading_finishing_seeding(tmp_path: Path) -> None:
    nas = make_nas(6, waiting_seconds=2, finishing_seconds=3, download_rate=32 * 1024, upload_rate=1000)
    sid = nas.login()
    torrent = make_test_torrent(tmp_path, "payload.bin", size=96 * 1024)
    assert _upload(nas, sid, torrent.content, "payload.bin.torrent") == {"success": True}
    assert _only(nas, sid)["status"] == "waiting"
    assert _only(nas, sid)["size"] == 96 * 1024  # an uploaded torrent knows its size at once
    nas.sim.advance(2.5)
    task = _only(nas, sid)
    assert task["status"] == "downloading"
    assert task["additional"]["transfer"]["size_downloaded"] == 16 * 1024
    nas.sim.advance(2.5)  # 96 KiB at 32 KiB/s needs 3 s after the 2 s wait
    assert _only(nas, sid)["status"] == "finishing"
    nas.sim.advance(3)
    task = _only(nas, sid)
    assert task["status"] == "seeding"
    # waiting 0-2 s, downloading 2-5 s, finishing 5-8 s: completed now, started at +2 s.
    assert task["additional"]["detail"]["completed_time"] == int(nas.sim.clock.now())
    assert task["additional"]["detail"]["started_time"] == task["additional"]["detail"]["create_time"] + 2
    assert task["additional"]["transfer"]["speed_upload"] == 1000
    assert task["additional"]["transfer"]["size_downloaded"] == 96 * 1024


def test_one_big_step_equals_many_small_ones() -> None:
    big, small = make_nas(7, download_rate=3 * MIB), make_nas(7, download_rate=3 * MIB)
    sids = [big.login(), small.login()]
    for box, sid in zip((big, small), sids, strict=True):
        _create(box, sid, uri="https://cdn.example.org/file.iso")
    big.sim.advance(700)
    for _ in range(70):
        small.sim.advance(10)
    assert _only(big, sids[0], "detail,transfer") == _only(small, sids[1], "detail,transfer")
    assert _only(big, sids[0])["status"] in {"downloading", "finished"}


def test_http_task_finishes_instead_of_seeding() -> None:
    nas = make_nas(7, download_rate=100 * MIB)
    sid = nas.login()
    _create(nas, sid, uri="https://cdn.example.org/big/file.iso")
    task = _only(nas, sid)
    assert task["type"] == "https"  # lower-case, and https is its own type (Radarr#914)
    assert task["title"] == "file.iso"
    nas.sim.advance(3600)
    task = _only(nas, sid)
    assert task["status"] == "finished"
    assert task["additional"]["transfer"]["speed_upload"] == 0


def test_broken_link_becomes_an_error_task_with_error_detail(nas: Nas) -> None:
    sid = nas.login()
    _create(nas, sid, uri="http://files.example.invalid/missing.zip")
    nas.sim.advance(5)
    task = _only(nas, sid)
    assert task["status"] == "error"
    assert task["status_extra"] == {"error_detail": "broken_link"}
    assert task["size"] == 0


def test_seed_limit_ends_in_finished() -> None:
    nas = make_nas(7, seed_seconds=60, download_rate=100 * MIB)
    sid = nas.login()
    _create(nas, sid, uri="https://example.org/pack.torrent")
    nas.sim.advance(600)
    task = _only(nas, sid)
    assert task["status"] == "finished"
    assert task["additional"]["detail"]["seedelapsed"] == 60


# -- destinations ------------------------------------------------------------------------------


@pytest.mark.parametrize("destination", ["nowhere", "downloads/missing", "/downloads", "/volume1/downloads"])
def test_missing_or_absolute_destination_is_403(nas: Nas, destination: str) -> None:
    sid = nas.login()
    assert error_code(_create(nas, sid, uri=MAGNET, destination=destination)) == 403
    assert nas.list_tasks(sid) == []


def test_destination_without_write_permission_is_402(nas: Nas) -> None:
    nas.sim.add_folder("private", writers={"admin"})
    sid = nas.login("alice", "wonder")
    assert error_code(_create(nas, sid, uri=MAGNET, destination="private")) == 402
    assert _create(nas, nas.login(), uri=MAGNET, destination="private")["success"] is True


def test_user_without_default_destination_gets_406(nas: Nas) -> None:
    nas.sim.add_account("carol", "pw")  # a non-manager with no default destination
    sid = nas.login("carol", "pw")
    assert error_code(_create(nas, sid, uri=MAGNET)) == 406
    assert _create(nas, sid, uri=MAGNET, destination="downloads")["success"] is True


def test_no_destination_uses_the_default(nas: Nas) -> None:
    sid = nas.login()
    _create(nas, sid, uri=MAGNET)
    assert _only(nas, sid)["additional"]["detail"]["destination"] == "downloads"


def test_v1_create_ignores_destination(nas: Nas) -> None:
    # destination is "2 and later" in the PDF.
    sid = nas.login()
    _create(nas, sid, version=1, uri=MAGNET, destination="video")
    assert _only(nas, sid)["additional"]["detail"]["destination"] == "downloads"


# -- several links, odd links ----------------------------------------------------------------


def test_comma_separated_uris_create_several_tasks_and_percent_2c_stays_inside(nas: Nas) -> None:
    sid = nas.login()
    with_comma = "https://example.org/get?files=a%2Cb"
    _create(nas, sid, uri=f"{MAGNET},{with_comma}")
    uris = [t["additional"]["detail"]["uri"] for t in nas.list_tasks(sid)]
    assert uris == [MAGNET, with_comma]


def test_unsupported_link_is_101_and_creates_nothing(nas: Nas) -> None:
    sid = nas.login()
    assert error_code(_create(nas, sid, uri=f"{MAGNET},gopher://old.example.org/")) == 101
    assert nas.list_tasks(sid) == []


def test_missing_uri_and_file_is_101(nas: Nas) -> None:
    assert error_code(_create(nas, nas.login())) == 101


# -- uploads -----------------------------------------------------------------------------------


def test_dsm6_v1_upload_works_and_uri_is_the_file_stem(nas6: Nas, tmp_path: Path) -> None:
    sid = nas6.login()
    torrent = make_test_torrent(tmp_path, "La.Cite.De.La.Peur.1994.mkv")
    assert (
        _upload(nas6, sid, torrent.content, "La.Cite.De.La.Peur.1994.mkv.torrent", destination="video")["success"]
        is True
    )
    task = _only(nas6, sid)
    assert task["additional"]["detail"]["uri"] == "La.Cite.De.La.Peur.1994.mkv"
    assert task["additional"]["detail"]["destination"] == "video"
    assert task["title"] == "La.Cite.De.La.Peur.1994.mkv"
    assert task["additional"]["tracker"][0]["url"] == "http://127.0.0.1:9/announce"


def test_dsm7_v1_upload_is_101(nas7: Nas, tmp_path: Path) -> None:
    # Dead since DS 3.8.16 (Sonarr#4385, cmeans on DSM 7.2.2).
    sid = nas7.login()
    torrent = make_test_torrent(tmp_path, "x.bin")
    assert error_code(_upload(nas7, sid, torrent.content, "x.bin.torrent")) == 101
    assert nas7.list_tasks(sid) == []


def test_file_part_must_come_last(nas6: Nas, tmp_path: Path) -> None:
    sid = nas6.login()
    torrent = make_test_torrent(tmp_path, "x.bin")
    assert error_code(_upload(nas6, sid, torrent.content, "x.bin.torrent", file_last=False)) == 101


def test_garbage_upload_is_400(nas6: Nas) -> None:
    assert error_code(_upload(nas6, nas6.login(), b"<html>not a torrent</html>", "x.torrent")) == 400


def test_duplicate_torrent_is_a_task_in_error(nas6: Nas, tmp_path: Path) -> None:
    sid = nas6.login()
    torrent = make_test_torrent(tmp_path, "dup.bin")
    _upload(nas6, sid, torrent.content, "dup.bin.torrent")
    _upload(nas6, sid, torrent.content, "dup.bin.torrent")
    tasks = nas6.list_tasks(sid)
    assert [t["status"] for t in tasks] == ["waiting", "error"]
    assert tasks[1]["status_extra"] == {"error_detail": "torrent_duplicate"}


def test_multi_file_torrent_lists_its_files(nas6: Nas) -> None:
    from enunclic.bencode import encode

    info = {
        b"name": b"album",
        b"piece length": 16384,
        b"pieces": b"\0" * 20,
        b"files": [{b"length": 1000, b"path": [b"cd1", b"01.flac"]}, {b"length": 2000, b"path": [b"cover.jpg"]}],
    }
    content = encode({b"info": info})
    sid = nas6.login()
    _upload(nas6, sid, content, "album.torrent")
    files = _only(nas6, sid)["additional"]["file"]
    assert [(f["filename"], f["size"], f["index"]) for f in files] == [
        ("album/cd1/01.flac", 1000, 0),
        ("album/cover.jpg", 2000, 1),
    ]
    assert {f["priority"] for f in files} == {"normal"}
    assert all(f["wanted"] is True for f in files)


# -- list and getinfo --------------------------------------------------------------------------


def _three(nas: Nas) -> str:
    sid = nas.login()
    for n in range(3):
        _create(nas, sid, uri=f"https://example.org/{n}.iso")
    return sid


def test_list_offset_limit_and_total(nas: Nas) -> None:
    sid = _three(nas)
    data = nas.task(sid, "list", offset=1, limit=1)["data"]
    assert data["total"] == 3
    assert data["offset"] == 1
    assert [t["id"] for t in data["tasks"]] == ["dbid_2"]
    assert len(nas.task(sid, "list", limit=-1)["data"]["tasks"]) == 3


def test_list_total_can_count_the_page() -> None:
    nas = make_nas(7, list_total="returned")
    sid = _three(nas)
    assert nas.task(sid, "list", limit=2)["data"]["total"] == 2


def test_list_without_additional_has_no_additional(nas: Nas) -> None:
    sid = _three(nas)
    assert all("additional" not in t for t in nas.task(sid, "list")["data"]["tasks"])


def test_getinfo_returns_tasks_and_omits_unknown_ids(nas: Nas) -> None:
    sid = _three(nas)
    data = nas.task(sid, "getinfo", id="dbid_3,dbid_99,dbid_1", additional="detail")["data"]
    assert set(data) == {"tasks"}
    assert [t["id"] for t in data["tasks"]] == ["dbid_3", "dbid_1"]


def test_getinfo_unknown_id_can_be_an_error() -> None:
    nas = make_nas(6, getinfo_unknown="error")
    sid = _three(nas)
    assert error_code(nas.task(sid, "getinfo", id="dbid_99")) == 404


def test_numbers_as_strings_mode() -> None:
    nas = make_nas(6, numbers_as_strings=True, download_rate=MIB)
    sid = nas.login()
    _create(nas, sid, uri="https://example.org/a.torrent")
    nas.sim.advance(5)
    task = nas.list_tasks(sid, "detail,transfer,file,tracker,peer")[0]
    assert isinstance(task["size"], str)
    assert int(task["size"]) > 0
    assert task["additional"]["transfer"]["size_downloaded"] == str(3 * MIB)
    assert isinstance(task["additional"]["detail"]["create_time"], str)
    assert isinstance(task["additional"]["file"][0]["size"], str)
    assert task["additional"]["file"][0]["wanted"] is True  # booleans stay booleans
    assert isinstance(task["additional"]["peer"][0]["progress"], str)


def test_ids_only_increase_after_deletes(nas: Nas) -> None:
    sid = _three(nas)
    nas.task(sid, "delete", id="dbid_3")
    _create(nas, sid, uri=MAGNET)
    assert [t["id"] for t in nas.list_tasks(sid)] == ["dbid_1", "dbid_2", "dbid_4"]


def test_tracker_and_peer_shapes_while_active(nas: Nas) -> None:
    sid = nas.login()
    _create(nas, sid, uri=MAGNET + "&tr=udp%3A%2F%2Ftracker.example.org%3A1337")
    nas.sim.advance(60)
    task = _only(nas, sid)
    assert [t["url"] for t in task["additional"]["tracker"]] == ["udp://tracker.example.org:1337"]
    assert set(task["additional"]["tracker"][0]) == {"url", "status", "update_timer", "seeds", "peers"}
    peers = task["additional"]["peer"]
    assert peers
    assert set(peers[0]) == {"address", "agent", "progress", "speed_download", "speed_upload"}
    assert isinstance(peers[0]["progress"], float)
    detail = task["additional"]["detail"]
    assert detail["connected_peers"] == detail["connected_seeders"] + detail["connected_leechers"]


# -- pause, resume, delete, edit: per-id results -------------------------------------------------


def test_pause_resume_per_id_results(nas: Nas) -> None:
    sid = _three(nas)
    nas.sim.advance(5)
    reply = nas.task(sid, "pause", id="dbid_1,dbid_42")
    assert reply == {"data": [{"error": 0, "id": "dbid_1"}, {"error": 404, "id": "dbid_42"}], "success": True}
    before = _size_downloaded(nas, sid, "dbid_1")
    nas.sim.advance(10)
    task = nas.task(sid, "getinfo", id="dbid_1", additional="transfer")["data"]["tasks"][0]
    assert task["status"] == "paused"
    assert task["additional"]["transfer"]["size_downloaded"] == before
    assert task["additional"]["transfer"]["speed_download"] == 0
    assert nas.task(sid, "pause", id="dbid_1")["data"] == [{"error": 0, "id": "dbid_1"}]  # idempotent
    assert nas.task(sid, "resume", id="dbid_1")["data"] == [{"error": 0, "id": "dbid_1"}]
    nas.sim.advance(1)
    assert _size_downloaded(nas, sid, "dbid_1") > before


def _size_downloaded(nas: Nas, sid: str, task_id: str) -> int:
    task = nas.task(sid, "getinfo", id=task_id, additional="transfer")["data"]["tasks"][0]
    return int(task["additional"]["transfer"]["size_downloaded"])


def test_pausing_an_error_task_is_405(nas: Nas) -> None:
    sid = nas.login()
    _create(nas, sid, uri="http://x.invalid/a")
    nas.sim.advance(5)
    assert nas.task(sid, "pause", id="dbid_1")["data"] == [{"error": 405, "id": "dbid_1"}]


def test_resuming_an_error_task_retries_it(nas: Nas) -> None:
    sid = nas.login()
    _create(nas, sid, uri="http://x.invalid/a")
    nas.sim.advance(5)
    nas.task(sid, "resume", id="dbid_1")
    assert _only(nas, sid)["status"] == "waiting"
    nas.sim.advance(5)
    assert _only(nas, sid)["status"] == "error"  # the link is still broken


def test_delete_per_id_and_gone_afterwards(nas: Nas) -> None:
    sid = _three(nas)
    reply = nas.task(sid, "delete", id="dbid_1,dbid_2,dbid_9", force_complete="false")
    assert reply["data"] == [{"error": 0, "id": "dbid_1"}, {"error": 0, "id": "dbid_2"}, {"error": 404, "id": "dbid_9"}]
    assert [t["id"] for t in nas.list_tasks(sid)] == ["dbid_3"]


def test_edit_needs_version_2(nas: Nas) -> None:
    sid = _three(nas)
    assert error_code(nas.task(sid, "edit", version=1, id="dbid_1", destination="video")) == 103


def test_edit_changes_destination_and_checks_it(nas: Nas) -> None:
    sid = _three(nas)
    assert nas.task(sid, "edit", version=2, id="dbid_1", destination="video/Series")["data"] == [
        {"error": 0, "id": "dbid_1"}
    ]
    assert (
        nas.task(sid, "getinfo", id="dbid_1", additional="detail")["data"]["tasks"][0]["additional"]["detail"][
            "destination"
        ]
        == "video/Series"
    )
    assert error_code(nas.task(sid, "edit", version=2, id="dbid_1", destination="nope")) == 403


# -- users ---------------------------------------------------------------------------------------


def test_non_manager_sees_and_touches_only_its_own_tasks(nas: Nas) -> None:
    admin = nas.login()
    alice = nas.login("alice", "wonder")
    _create(nas, admin, uri="https://example.org/admin.iso")
    _create(nas, alice, uri="https://example.org/alice.iso")
    assert [t["username"] for t in nas.list_tasks(alice)] == ["alice"]
    assert [t["username"] for t in nas.list_tasks(admin)] == ["admin", "alice"]
    assert nas.task(alice, "delete", id="dbid_1")["data"] == [{"error": 404, "id": "dbid_1"}]
    assert nas.task(alice, "getinfo", id="dbid_1")["data"]["tasks"] == []
    assert nas.task(admin, "pause", id="dbid_2")["data"] == [{"error": 0, "id": "dbid_2"}]


def test_max_tasks_is_401() -> None:
    nas = make_nas(7, max_tasks=2)
    sid = nas.login()
    _create(nas, sid, uri="https://example.org/1.iso")
    _create(nas, sid, uri="https://example.org/2.iso")
    assert error_code(_create(nas, sid, uri="https://example.org/3.iso")) == 401


def test_add_task_refuses_a_bad_scene() -> None:
    nas = make_nas(7)
    with pytest.raises(ValueError, match="no account"):
        nas.sim.add_task(MAGNET, owner="nobody")
    with pytest.raises(ValueError, match="DSM error 403"):
        nas.sim.add_task(MAGNET, owner="admin", destination="missing")
