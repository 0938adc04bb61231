"""pause/resume/remove/move in one request; per-id failures; capabilities and what is not supported."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from enunclic import (
    Capability,
    InvalidInputError,
    NotSupportedError,
    PartialFailureError,
    ServerError,
    TorrentNotFoundError,
)
from enunclic.backends.synology.api import per_id_errors

from . import replies
from .conftest import make_client
from .fakenas import BASE, FakeNAS

TASK = "SYNO.DownloadStation.Task"
IDS = ["dbid_1", "dbid_2", "dbid_3"]


def _all_ok(ids: list[str]) -> list[dict[str, Any]]:
    return [{"error": 0, "id": i} for i in ids]


@pytest.mark.parametrize(
    ("operation", "method", "extra"),
    [("pause", "pause", {}), ("resume", "resume", {}), ("remove", "delete", {"force_complete": "false"})],
)
def test_bulk_actions_are_one_post_with_comma_joined_ids(
    client: Any, nas: FakeNAS, operation: str, method: str, extra: dict[str, str]
) -> None:
    client.torrents()
    nas.reply(TASK, method, _all_ok(IDS))
    before = client.requests_sent
    getattr(client, operation)(IDS)
    assert client.requests_sent - before == 1
    (call,) = nas.calls_to(TASK, method)
    assert call.request.method == "POST"
    assert call.form["id"] == "dbid_1,dbid_2,dbid_3"
    for key, value in extra.items():
        assert call.form[key] == value


def test_per_id_failures_become_one_error_and_the_rest_still_counts(client: Any, nas: FakeNAS) -> None:
    nas.reply(
        TASK, "pause", [{"error": 0, "id": "dbid_1"}, {"error": 404, "id": "dbid_2"}, {"error": 405, "id": "dbid_3"}]
    )
    with pytest.raises(PartialFailureError) as caught:
        client.pause(IDS)
    error = caught.value
    assert set(error.failures) == {"dbid_2", "dbid_3"}
    assert isinstance(error.failures["dbid_2"], TorrentNotFoundError)
    assert error.failures["dbid_3"].native_code == 405
    assert "2 of 3" in error.message
    assert error.failures["dbid_2"].message == "dbid_2: invalid task id"
    assert error.failures["dbid_3"].message.startswith("dbid_3: invalid task action")
    assert error.operation == "pause"


def test_every_id_failing_is_still_a_partial_failure_with_each_code(client: Any, nas: FakeNAS) -> None:
    nas.reply(TASK, "delete", [{"error": 404, "id": "dbid_1"}, {"error": 405, "id": "dbid_2"}])
    with pytest.raises(PartialFailureError, match="2 of 2") as caught:
        client.remove(["dbid_1", "dbid_2"])
    assert {i: e.native_code for i, e in caught.value.failures.items()} == {"dbid_1": 404, "dbid_2": 405}


def test_one_failing_id_alone_raises_its_own_error(client: Any, nas: FakeNAS) -> None:
    nas.reply(TASK, "resume", [{"error": 404, "id": "dbid_9"}])
    with pytest.raises(TorrentNotFoundError, match="dbid_9: invalid task id"):
        client.resume("dbid_9")


def test_a_top_level_error_is_raised_as_is(client: Any, nas: FakeNAS) -> None:
    nas.reply(TASK, "pause", ("error", 404))
    with pytest.raises(TorrentNotFoundError):
        client.pause(IDS)


def test_ds2_failed_task_lists_are_understood() -> None:
    failures = per_id_errors({"failed_task": [{"error": 404, "id": "dbid_7"}]}, "SYNO.DownloadStation2.Task")
    assert isinstance(failures["dbid_7"], TorrentNotFoundError)
    assert per_id_errors(None, TASK) == {}
    assert per_id_errors({}, "SYNO.DownloadStation2.Task") == {}  # DS2 pause answers plain success


@pytest.mark.parametrize(
    "bad", [{"failed_task": "x"}, "ok", [{"error": 1}], ["dbid_1"], [{"id": "dbid_1", "error": "x"}]]
)
def test_malformed_per_id_results_are_protocol_errors(bad: Any) -> None:
    from enunclic import ProtocolError

    with pytest.raises(ProtocolError):
        per_id_errors(bad, TASK)


def test_ids_with_commas_are_refused(client: Any, nas: FakeNAS) -> None:
    client.torrents()
    before = client.requests_sent
    with pytest.raises(InvalidInputError):
        client.pause("dbid_1,dbid_2")
    assert client.requests_sent == before


def test_remove_with_data_is_not_supported_and_sends_nothing(client: Any, nas: FakeNAS) -> None:
    with pytest.raises(NotSupportedError):
        client.remove(IDS, delete_data=True)
    assert nas.calls == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.recheck("dbid_1"),
        lambda c: c.reannounce("dbid_1"),
        lambda c: c.set_label("dbid_1", "tv"),
        lambda c: c.set_file_priority("dbid_1", [0], "skip"),
        lambda c: c.set_torrent_limits("dbid_1", download=1024),
        lambda c: c.queue_move("dbid_1", "top"),
        lambda c: c.add(replies.MAGNET, label="tv"),
    ],
    ids=["recheck", "reannounce", "labels", "file_priority", "torrent_limits", "queue", "add-label"],
)
def test_what_download_station_lacks_fails_before_any_request(client: Any, nas: FakeNAS, call: Any) -> None:
    with pytest.raises(NotSupportedError):
        call(client)
    assert nas.calls == []


def test_move_edits_the_destination(client: Any, nas: FakeNAS) -> None:
    nas.reply(TASK, "edit", _all_ok(IDS))
    client.move(IDS, "video/Films")
    (edit,) = nas.calls_to(TASK, "edit")
    assert (edit.form["id"], edit.form["destination"], edit.form["version"]) == (
        "dbid_1,dbid_2,dbid_3",
        "video/Films",
        "3",
    )


def test_info_reports_version_and_capabilities(client: Any, nas: FakeNAS) -> None:
    nas.reply("SYNO.DownloadStation.Info", "getinfo", replies.INFO_GETINFO)
    info = client.info()
    assert info.backend == "synology"
    assert info.version == "3.8-3543"
    assert info.api_version == "Task v3, DownloadStation2.Task v2"
    assert info.capabilities == frozenset(
        {
            Capability.ADD_MAGNET,
            Capability.ADD_URL,
            Capability.ADD_FILE,
            Capability.MOVE,
            Capability.FILES,
            Capability.TRACKERS,
            Capability.PEERS,
            Capability.GLOBAL_LIMITS,
            Capability.STATS,
        }
    )


def test_capabilities_narrow_after_discovery(respx_router: respx.MockRouter, mode: str) -> None:
    nas = FakeNAS(replies.API_INFO_DSM5, replies.LOGIN_DSM6)  # Task v1 only; no Info, no Statistic
    respx_router.route(url__startswith=f"{BASE}/webapi/").mock(side_effect=nas.handle)
    client, close = make_client(mode)
    try:
        info = client.info()
        assert not info.capabilities & {Capability.MOVE, Capability.STATS, Capability.GLOBAL_LIMITS}
        assert info.version is None
        before = client.requests_sent
        for call in (lambda: client.move("dbid_1", "x"), client.stats, lambda: client.set_limits(download=1024)):
            with pytest.raises(NotSupportedError):
                call()
        assert client.requests_sent == before
        with pytest.raises(NotSupportedError, match="destination"):
            client.add(replies.MAGNET, destination="downloads")
    finally:
        close()


def test_move_as_the_first_call_on_an_old_nas_is_refused_after_discovery(
    respx_router: respx.MockRouter, mode: str
) -> None:
    nas = FakeNAS(replies.API_INFO_DSM5, replies.LOGIN_DSM6)
    respx_router.route(url__startswith=f"{BASE}/webapi/").mock(side_effect=nas.handle)
    client, close = make_client(mode)
    try:
        with pytest.raises(NotSupportedError):
            client.move("dbid_1", "x")
    finally:
        close()
    assert nas.calls_to(TASK) == []


def test_a_nas_without_download_station_says_so(respx_router: respx.MockRouter, mode: str) -> None:
    nas = FakeNAS({"SYNO.API.Auth": replies.API_INFO_DSM7["SYNO.API.Auth"]})
    respx_router.route(url__startswith=f"{BASE}/webapi/").mock(side_effect=nas.handle)
    client, close = make_client(mode)
    try:
        with pytest.raises(ServerError, match="Download Station installed"):
            client.torrents()
    finally:
        close()
