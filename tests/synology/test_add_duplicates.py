"""add() of a torrent DS already has: its error twin goes, the task that holds the torrent is the answer."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import httpx
import pytest

from enunclic import AddedTorrent, ServerError
from enunclic.testing.torrents import make_test_torrent

from . import replies
from .fakenas import Call, FakeNAS

TASK = "SYNO.DownloadStation.Task"
DS2 = "SYNO.DownloadStation2.Task"
SOURCE = "SYNO.DownloadStation2.Task.Source"
HASH = "0123456789abcdef0123456789abcdef01234567"
UPPER = f"magnet:?xt=urn:btih:{HASH.upper()}&dn=Some.Name"
BASE32 = "magnet:?xt=urn:btih:" + base64.b32encode(bytes.fromhex(HASH)).decode() + "&dn=Some.Name"
TWIN = {"status": "error", "status_extra": {"error_detail": "torrent_duplicate"}}


def _deletes(nas: FakeNAS) -> None:
    def delete(call: Call) -> list[dict[str, Any]]:
        ids = call.form["id"].split(",")
        nas.tasks = [t for t in nas.tasks if t["id"] not in ids]
        return [{"error": 0, "id": task_id} for task_id in ids]

    nas.always(TASK, "delete", delete)


def _twin_on_create(nas: FakeNAS, twin_id: str, **reply: Any) -> None:
    """create makes an error twin of what was sent (v1 answers no data; DS2 may name the twin)."""

    def create(call: Call) -> dict[str, Any]:
        uri = call.form.get("uri") or (call.parts[-1].filename or "").removesuffix(".torrent")
        nas.tasks.append(replies.bt_task(twin_id, uri, **TWIN))
        return reply

    nas.reply(DS2 if reply else TASK, "create", create)


@pytest.mark.parametrize("again", [replies.MAGNET, UPPER, BASE32], ids=["same", "upper-case", "base32"])
def test_a_magnet_again_removes_its_twin_and_answers_the_original(client: Any, nas: FakeNAS, again: str) -> None:
    nas.tasks = [replies.bt_task("dbid_2", replies.MAGNET.replace(",", "%2C"), status="seeding")]
    _twin_on_create(nas, "dbid_3")
    _deletes(nas)
    added = client.add(again, paused=True)
    assert added == AddedTorrent(id="dbid_2", info_hash=HASH, duplicate=True)
    (delete,) = nas.calls_to(TASK, "delete")
    assert (delete.form["id"], delete.form["force_complete"]) == ("dbid_3", "false")  # the twin, only it
    assert nas.calls_to(TASK, "pause") == []  # the existing task is left as it is
    assert [t["id"] for t in nas.tasks] == ["dbid_2"]


def test_only_the_twin_this_add_made_goes(client: Any, nas: FakeNAS) -> None:
    old_twin = replies.bt_task("dbid_3", UPPER, **TWIN)  # left by another client: not this add's business
    nas.tasks = [replies.bt_task("dbid_2", replies.MAGNET), old_twin]
    _twin_on_create(nas, "dbid_4")
    _deletes(nas)
    assert client.add(UPPER).id == "dbid_2"
    assert [t["id"] for t in nas.tasks] == ["dbid_2", "dbid_3"]


def test_an_upload_again_finds_the_original_by_the_hash_it_recorded(client: Any, nas: FakeNAS, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "show.bin")

    def first(call: Call) -> dict[str, Any]:
        nas.tasks.append(replies.bt_task("dbid_5", "show.bin"))
        return {"task_id": ["dbid_5"]}

    nas.reply(DS2, "create", first)
    _twin_on_create(nas, "dbid_6", task_id=["dbid_6"])
    _deletes(nas)
    assert client.add(made.content, destination="downloads").duplicate is False
    assert client.add(made.content, destination="downloads") == AddedTorrent(
        id="dbid_5", info_hash=made.info_hash, duplicate=True
    )
    assert nas.calls_to(SOURCE) == []  # known from the first upload
    assert nas.calls_to(TASK, "delete")[0].form["id"] == "dbid_6"


def test_a_fresh_client_reads_uploaded_tasks_back_to_find_the_original(
    client: Any, nas: FakeNAS, tmp_path: Path
) -> None:
    made = make_test_torrent(tmp_path, "show.bin")
    other = make_test_torrent(tmp_path, "other.bin")
    nas.tasks = [
        replies.bt_task("dbid_7", "show"),  # uploaded by someone else, named otherwise: the hash tells
        replies.bt_task("dbid_8", replies.MAGNET),  # a magnet's hash is in its uri: never read back
        replies.bt_task("dbid_9", "other"),
        replies.bt_task("dbid_10", "https://example.org/x.iso", type="https"),  # not a torrent upload
    ]
    sources = {"dbid_7": made.content, "dbid_9": other.content}
    nas.always(SOURCE, "download", lambda call: httpx.Response(200, content=sources[call.form["id"]]))
    _twin_on_create(nas, "dbid_11", task_id=["dbid_11"])
    _deletes(nas)
    added = client.add(made.content, destination="downloads")
    assert added == AddedTorrent(id="dbid_7", info_hash=made.info_hash, duplicate=True)
    assert [c.form["id"] for c in nas.calls_to(SOURCE)] == ["dbid_9", "dbid_7"]  # newest first
    # Read once per client: a second duplicate needs no read.
    _twin_on_create(nas, "dbid_12", task_id=["dbid_12"])
    assert client.add(made.content, destination="downloads").id == "dbid_7"
    assert len(nas.calls_to(SOURCE)) == 2


def test_a_url_again_answers_the_task_with_that_url(client: Any, nas: FakeNAS) -> None:
    url = "https://tracker.example.org/dl/Show.torrent"
    nas.tasks = [replies.bt_task("dbid_2", url)]
    _twin_on_create(nas, "dbid_3")
    _deletes(nas)
    assert client.add(url) == AddedTorrent(id="dbid_2", info_hash=None, duplicate=True)
    assert nas.calls_to(SOURCE) == []


def test_a_url_of_a_torrent_added_otherwise_is_placed_by_the_twins_source(
    client: Any, nas: FakeNAS, tmp_path: Path
) -> None:
    made = make_test_torrent(tmp_path, "show.bin")
    nas.tasks = [replies.bt_task("dbid_2", f"magnet:?xt=urn:btih:{made.info_hash}")]
    nas.always(SOURCE, "download", lambda call: httpx.Response(200, content=made.content))
    _twin_on_create(nas, "dbid_3")
    _deletes(nas)
    added = client.add("https://tracker.example.org/dl/Show.torrent")
    assert added == AddedTorrent(id="dbid_2", info_hash=made.info_hash, duplicate=True)
    assert [c.form["id"] for c in nas.calls_to(SOURCE)] == ["dbid_3"]


def test_a_duplicate_of_a_task_out_of_sight_removes_the_twin_and_says_so(client: Any, nas: FakeNAS) -> None:
    nas.always(SOURCE, "download", ("error", 404))
    nas.tasks = [replies.bt_task("dbid_1", "someone's upload")]
    _twin_on_create(nas, "dbid_2")
    _deletes(nas)
    with pytest.raises(ServerError, match="already has this torrent") as caught:
        client.add(UPPER)
    assert caught.value.native_code == "torrent_duplicate"
    assert [t["id"] for t in nas.tasks] == ["dbid_1"]


def test_without_task_source_an_unknown_upload_cannot_be_placed(client: Any, nas: FakeNAS, tmp_path: Path) -> None:
    del nas.api_info[SOURCE]
    made = make_test_torrent(tmp_path, "show.bin")
    nas.tasks = [replies.bt_task("dbid_1", "show")]
    _twin_on_create(nas, "dbid_2", task_id=["dbid_2"])
    _deletes(nas)
    with pytest.raises(ServerError, match="already has this torrent"):
        client.add(made.content, destination="downloads")
    assert nas.calls_to(SOURCE) == []
    assert [t["id"] for t in nas.tasks] == ["dbid_1"]


def test_a_create_that_lists_nothing_new_is_a_duplicate_of_the_holder(client: Any, nas: FakeNAS) -> None:
    nas.tasks = [replies.bt_task("dbid_4", BASE32)]
    nas.reply(TASK, "create", {})  # refused without a twin (the other reading of the reference)
    assert client.add(UPPER) == AddedTorrent(id="dbid_4", info_hash=HASH, duplicate=True)
    assert nas.calls_to(TASK, "delete") == []
