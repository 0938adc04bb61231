"""A torrent the NAS already has: DS adds an error twin (``torrent_duplicate``), matched by info-hash.

Magnets (any case, hex or base32), uploads (v1 and DS2) and .torrent URLs, on both personalities.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from enunclic.simulators.synology import DS2_STATUS
from enunclic.testing.torrents import make_test_torrent

from .conftest import Nas, make_nas

HASH = "c0ffee" + "5a" * 17
MAGNET = f"magnet:?xt=urn:btih:{HASH}&dn=Some.Show"
UPPER = f"magnet:?xt=urn:btih:{HASH.upper()}&dn=Some.Show"
BASE32 = "magnet:?xt=urn:btih:" + base64.b32encode(bytes.fromhex(HASH)).decode() + "&dn=Other.Name"
TWIN = {"error_detail": "torrent_duplicate"}


def _create(nas: Nas, sid: str, uri: str) -> None:
    assert nas.task(sid, "create", uri=uri) == {"success": True}


def _states(nas: Nas, sid: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    return [(t["id"], t["status"], t.get("status_extra")) for t in nas.list_tasks(sid, "detail")]


@pytest.mark.parametrize("again", [MAGNET, UPPER, BASE32], ids=["same", "upper-case", "base32"])
def test_a_magnet_added_again_leaves_an_error_twin_and_the_original_untouched(nas: Nas, again: str) -> None:
    sid = nas.login()
    _create(nas, sid, MAGNET)
    _create(nas, sid, again)
    assert _states(nas, sid) == [("dbid_1", "waiting", None), ("dbid_2", "error", TWIN)]
    assert nas.list_tasks(sid, "detail")[1]["additional"]["detail"]["uri"] == again  # stored as sent
    _create(nas, sid, "magnet:?xt=urn:btih:" + "1" * 40)  # another torrent is no duplicate
    assert _states(nas, sid)[2] == ("dbid_3", "waiting", None)


def test_a_ds2_upload_again_returns_the_twins_id(nas: Nas, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "dup.bin")
    sid = nas.login()
    assert nas.upload_ds2(sid, made.content)["data"]["task_id"] == ["dbid_1"]
    assert nas.upload_ds2(sid, made.content)["data"]["task_id"] == ["dbid_2"]
    assert _states(nas, sid) == [("dbid_1", "waiting", None), ("dbid_2", "error", TWIN)]
    reply = nas.ds2(sid, "list", version=1, additional='["detail"]')
    twin = reply["data"]["task"][1]
    assert twin["status"] == nas.sim.options.ds2_error_status not in DS2_STATUS.values()
    assert twin["status_extra"] == TWIN


def test_a_magnet_of_an_uploaded_torrent_is_a_duplicate_through_ds2_url_create(nas: Nas, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "dup.bin")
    sid = nas.login()
    nas.upload_ds2(sid, made.content)
    magnet = f"magnet:?xt=urn:btih:{made.info_hash.upper()}"
    params = {"type": '"url"', "url": json.dumps([magnet]), "create_list": "false", "destination": '"downloads"'}
    assert nas.ds2(sid, "create", **params)["data"]["task_id"] == ["dbid_2"]
    assert _states(nas, sid)[1] == ("dbid_2", "error", TWIN)


def test_the_same_torrent_url_is_one_torrent(nas: Nas) -> None:
    sid = nas.login()
    _create(nas, sid, "https://tracker.example.org/get/Some.Show.torrent")
    _create(nas, sid, "https://tracker.example.org/get/Some.Show.torrent")
    _create(nas, sid, "https://tracker.example.org/get/Other.Show.torrent")
    _create(nas, sid, "https://cdn.example.org/big.iso")  # not a torrent: downloaded again, no twin
    _create(nas, sid, "https://cdn.example.org/big.iso")
    assert [s[1:] for s in _states(nas, sid)] == [("waiting", None), ("error", TWIN)] + [("waiting", None)] * 3


def test_once_the_original_is_removed_the_same_add_is_a_fresh_task(nas: Nas) -> None:
    sid = nas.login()
    _create(nas, sid, MAGNET)
    _create(nas, sid, UPPER)
    assert nas.task(sid, "resume", id="dbid_2")["data"] == [{"error": 0, "id": "dbid_2"}]
    assert _states(nas, sid)[1] == ("dbid_2", "error", TWIN)  # retried, still a duplicate
    nas.task(sid, "delete", id="dbid_1", force_complete="false")
    _create(nas, sid, BASE32)  # the old twin holds no torrent
    assert _states(nas, sid) == [("dbid_2", "error", TWIN), ("dbid_3", "waiting", None)]


def test_a_twin_resumed_after_the_original_went_is_a_task_again(nas: Nas) -> None:
    sid = nas.login()
    _create(nas, sid, MAGNET)
    _create(nas, sid, MAGNET)
    nas.task(sid, "delete", id="dbid_1", force_complete="false")
    nas.task(sid, "resume", id="dbid_2")
    assert _states(nas, sid) == [("dbid_2", "waiting", None)]


def test_the_torrent_of_another_user_makes_a_twin_the_user_sees_alone() -> None:
    nas = make_nas(7)
    admin = nas.login()
    _create(nas, admin, MAGNET)
    alice = nas.login("alice", "wonder")
    _create(nas, alice, UPPER)
    assert _states(nas, alice) == [("dbid_2", "error", TWIN)]
    assert [s[0] for s in _states(nas, admin)] == ["dbid_1", "dbid_2"]


def test_add_task_of_a_torrent_already_there_is_its_twin() -> None:
    nas = make_nas(6)
    nas.sim.add_task(MAGNET, owner="admin", status="seeding")
    twin = nas.sim.add_task(BASE32, owner="admin", status="seeding")
    assert (twin.status, twin.error_detail) == ("error", "torrent_duplicate")
