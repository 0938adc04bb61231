"""add(): links by form POST found by their uri, .torrent uploads as multipart with the file part last."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import respx

from enunclic import AddedTorrent, InvalidInputError, ServerError
from enunclic.testing.torrents import make_test_torrent

from . import replies
from .conftest import make_client
from .fakenas import BASE, Call, FakeNAS, json_field

TASK = "SYNO.DownloadStation.Task"
DS2 = "SYNO.DownloadStation2.Task"


def _creates(nas: FakeNAS, task_id: str) -> None:
    """Answer create like v1 does (no data) and make the task appear with the uri DS stores."""

    def create(call: Call) -> dict[str, Any]:
        nas.tasks.append(replies.bt_task(task_id, call.form["uri"]))
        return {}

    nas.reply(TASK, "create", create)


def test_a_magnet_is_posted_and_found_by_its_exact_uri(client: Any, nas: FakeNAS) -> None:
    nas.tasks = [replies.bt_task("dbid_90", "magnet:?xt=urn:btih:" + "f" * 40)]  # a newer, unrelated task
    _creates(nas, "dbid_7")
    added = client.add(replies.MAGNET)
    assert added.id == "dbid_7"
    assert added.info_hash == "0123456789abcdef0123456789abcdef01234567"
    assert added.duplicate is False
    (create,) = nas.calls_to(TASK, "create")
    assert create.request.method == "POST"
    assert create.request.url.query == b""
    assert create.form["uri"] == replies.MAGNET.replace(",", "%2C")  # DS splits uri on commas
    assert b"," not in create.request.content
    assert "destination" not in create.form
    assert client.torrent("dbid_7").info_hash == added.info_hash


def test_a_url_is_posted_with_its_destination(client: Any, nas: FakeNAS) -> None:
    url = "https://tracker.example.invalid/get?id=1,2&name=a b"
    _creates(nas, "dbid_8")
    added = client.add(url, destination="video/Series/")
    assert (added.id, added.info_hash) == ("dbid_8", None)
    (create,) = nas.calls_to(TASK, "create")
    assert create.form["uri"] == url.replace(",", "%2C")
    assert create.form["destination"] == "video/Series"
    assert b"%20" in create.request.content


@pytest.mark.parametrize(
    "destination", ["/volume1/downloads", "/downloads", "volume2/x", "a/../b", "\\share", "a//b", "volumeUSB1/usbshare"]
)
def test_bad_destinations_are_refused_before_sending(client: Any, nas: FakeNAS, destination: str) -> None:
    client.torrents()
    before = client.requests_sent
    with pytest.raises(InvalidInputError, match="destination"):
        client.add(replies.MAGNET, destination=destination)
    with pytest.raises(InvalidInputError, match="destination"):
        client.move("dbid_1", destination)
    assert client.requests_sent == before


def test_a_torrent_file_goes_through_downloadstation2_as_multipart(client: Any, nas: FakeNAS, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "Some File.bin")
    nas.reply("SYNO.DownloadStation2.Settings.Location", "get", {"default_destination": "downloads"})
    nas.reply(DS2, "create", {"list_id": [], "task_id": ["dbid_12"]})
    added = client.add(made.content)
    assert (added.id, added.info_hash) == ("dbid_12", made.info_hash)
    (upload,) = nas.calls_to(DS2, "create")
    assert upload.path == "entry.cgi"
    assert upload.request.url.query == b""  # no sid in the URL: it is in the cookie
    assert upload.request.headers["cookie"].startswith("id=SID-DSM7")
    names = [part.name for part in upload.parts]
    assert names == ["api", "version", "method", "type", "file", "create_list", "size", "destination", "torrent"]
    last = upload.parts[-1]
    assert (last.filename, last.content_type, last.content) == (
        "Some File.bin.torrent",
        "application/x-bittorrent",
        made.content,
    )
    assert upload.form["version"] == "2"
    assert json_field(upload, "type") == "file"
    assert json_field(upload, "file") == ["torrent"]  # names the part that holds the file
    assert json_field(upload, "destination") == "downloads"
    assert upload.form["create_list"] == "false"
    assert upload.form["size"] == str(len(made.content))
    # The hash DS never reports is remembered for the task this client uploaded.
    nas.tasks = [replies.bt_task("dbid_12", "Some File.bin")]
    assert client.torrents()[0].info_hash == made.info_hash


def test_an_explicit_destination_needs_no_default_lookup(client: Any, nas: FakeNAS, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "x.bin")
    nas.reply(DS2, "create", {"task_id": ["dbid_3"]})
    client.add(made.content, destination="torrents/new")
    assert json_field(nas.calls_to(DS2, "create")[0], "destination") == "torrents/new"
    assert nas.calls_to("SYNO.DownloadStation2.Settings.Location") == []


def test_without_ids_in_the_reply_the_task_is_found_by_file_name(client: Any, nas: FakeNAS, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "payload.bin")
    path = tmp_path / "My Upload.torrent"
    path.write_bytes(made.content)
    nas.tasks = [replies.bt_task("dbid_40", "Other Upload")]
    nas.reply("SYNO.DownloadStation2.Settings.Location", "get", {"default_destination": ""})

    def create(call: Call) -> dict[str, Any]:
        nas.tasks.insert(0, replies.bt_task("dbid_39", "My Upload"))
        return {"list_id": [], "task_id": []}

    nas.reply(DS2, "create", create)
    added = client.add(path)
    assert added.id == "dbid_39"  # matched by name, not "the newest task"
    assert nas.calls_to(DS2, "create")[0].parts[-1].filename == "My Upload.torrent"
    assert json_field(nas.calls_to(DS2, "create")[0], "destination") == ""


def test_the_default_destination_comes_from_getconfig_without_settings_location(
    client: Any, nas: FakeNAS, tmp_path: Path
) -> None:
    del nas.api_info["SYNO.DownloadStation2.Settings.Location"]
    made = make_test_torrent(tmp_path, "x.bin")
    nas.reply("SYNO.DownloadStation.Info", "getconfig", replies.INFO_GETCONFIG)
    nas.reply(DS2, "create", {"task_id": ["dbid_3"]})
    client.add(made.content)
    assert json_field(nas.calls_to(DS2, "create")[0], "destination") == "downloads"


def test_dsm6_without_downloadstation2_uploads_to_task_cgi(
    respx_router: respx.MockRouter, mode: str, tmp_path: Path
) -> None:
    nas = FakeNAS(replies.API_INFO_DSM6, replies.LOGIN_DSM6)
    respx_router.route(url__startswith=f"{BASE}/webapi/").mock(side_effect=nas.handle)
    made = make_test_torrent(tmp_path, "old.bin")

    def create(call: Call) -> None:
        nas.tasks.append(replies.bt_task("dbid_5", "old.bin"))

    nas.reply(TASK, "create", create)
    client, close = make_client(mode)
    try:
        added = client.add(made.content, destination="downloads")
    finally:
        close()
    assert (added.id, added.info_hash) == ("dbid_5", made.info_hash)
    (upload,) = nas.calls_to(TASK, "create")
    assert upload.path == "DownloadStation/task.cgi"
    assert upload.request.url.query == b""
    assert [p.name for p in upload.parts] == ["api", "version", "method", "destination", "file"]
    assert upload.parts[-1].filename == "old.bin.torrent"
    # The sid travels in the cookie, never in a multipart field or the URL.
    assert upload.sid is not None and upload.sid == nas.calls_to(TASK, "list")[0].sid


def test_add_paused_pauses_the_new_task(client: Any, nas: FakeNAS) -> None:
    _creates(nas, "dbid_7")
    nas.reply(TASK, "pause", [{"error": 0, "id": "dbid_7"}])
    added = client.add(replies.MAGNET, paused=True)
    (pause,) = nas.calls_to(TASK, "pause")
    assert pause.form["id"] == added.id == "dbid_7"


def test_no_matching_task_after_create_is_an_error(client: Any, nas: FakeNAS) -> None:
    nas.tasks = [replies.bt_task("dbid_1", "magnet:?xt=urn:btih:" + "e" * 40)]
    nas.reply(TASK, "create", {})
    with pytest.raises(ServerError, match="lists no task"):
        client.add(replies.MAGNET)


def test_the_task_is_the_new_one_even_beside_an_older_task_with_the_same_uri(client: Any, nas: FakeNAS) -> None:
    url = "https://cdn.example.org/big.iso"
    nas.tasks = [replies.bt_task("dbid_1", url, type="https", status="finished")]  # fetched before: DS fetches it again
    _creates(nas, "dbid_2")
    assert client.add(url) == AddedTorrent(id="dbid_2", info_hash=None, duplicate=False)
    before, after = nas.calls_to(TASK, "list")
    assert "additional" not in before.form  # ids are all the diff needs
    assert after.form["additional"] == "detail"


@pytest.mark.parametrize("code", [403, 406, 402, 401])
def test_create_errors_are_task_errors(client: Any, nas: FakeNAS, code: int) -> None:
    from enunclic.backends.synology.codes import TASK_CODES

    nas.reply(TASK, "create", ("error", code))
    with pytest.raises(TASK_CODES[code][0]) as caught:
        client.add(replies.MAGNET)
    assert caught.value.native_code == code
    assert caught.value.message == TASK_CODES[code][1]
