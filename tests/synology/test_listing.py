"""torrents(), torrent(), files/trackers/peers against DSM 6 and DSM 7 shaped replies."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest

from enunclic import FilePriority, ProtocolError, TorrentNotFoundError, TorrentState, TrackerStatus

from . import replies
from .conftest import make_client
from .fakenas import FakeNAS


def test_torrents_maps_a_dsm6_list(client: Any, nas: FakeNAS) -> None:
    nas.tasks = [
        copy.deepcopy(replies.TASK_DSM6_DOWNLOADING),
        copy.deepcopy(replies.TASK_DSM6_MAGNET_NO_METADATA),
        copy.deepcopy(replies.TASK_DSM6_HTTPS_ERROR),
    ]
    downloading, magnet, https = client.torrents()
    assert downloading.id == "dbid_86"
    assert downloading.info_hash == "abcdefabcdefabcdefabcdefabcdefabcdefabcd"
    assert downloading.state is TorrentState.DOWNLOADING
    assert downloading.native_state == "downloading"
    assert downloading.progress == pytest.approx(0.5)
    assert downloading.ratio == pytest.approx(0.5)
    assert downloading.eta == 2599  # ceil((5196586484 - 2598293242) / 1_000_000)
    assert downloading.seeds_connected == 3
    assert downloading.peers_connected == 2
    assert downloading.peers_total == 40
    assert downloading.destination == "Folder/containing/downloads"
    assert downloading.added_at == datetime.fromtimestamp(1550089068, tz=timezone.utc)
    assert downloading.completed_at is None
    assert magnet.state is TorrentState.METADATA
    assert magnet.info_hash == "0123456789abcdef0123456789abcdef01234567"
    assert magnet.eta is None
    assert magnet.ratio is None
    assert https.info_hash is None
    assert https.state is TorrentState.ERROR
    assert https.error == "broken link"


def test_torrents_maps_ds2_numeric_and_pdf_string_shapes(client: Any, nas: FakeNAS) -> None:
    nas.tasks = [copy.deepcopy(replies.TASK_DS2_SEEDING), copy.deepcopy(replies.TASK_PDF_STRINGS)]
    seeding, strings = client.torrents()
    assert seeding.state is TorrentState.SEEDING
    assert seeding.native_state == "8"
    assert seeding.progress == 1.0
    assert seeding.ratio == 0.0
    assert seeding.completed_at == datetime.fromtimestamp(1691154531, tz=timezone.utc)
    assert seeding.info_hash is None  # uploaded elsewhere: DS reports no hash
    assert strings.size == 9427312332
    assert strings.uploaded == 18854624664
    assert strings.ratio == pytest.approx(2.0)
    assert strings.upload_speed == 1024
    assert strings.eta is None  # speed 0
    assert strings.state is TorrentState.SEEDING
    assert strings.error is None


def test_the_list_asks_for_detail_and_transfer_in_a_post(client: Any, nas: FakeNAS) -> None:
    client.torrents()
    (listing,) = nas.calls_to("SYNO.DownloadStation.Task", "list")
    assert listing.request.method == "POST"
    assert listing.path == "DownloadStation/task.cgi"
    assert listing.form["additional"] == "detail,transfer"
    assert listing.form["version"] == "3"
    assert listing.form["_sid"] == listing.sid


@pytest.mark.parametrize(("count", "page_size", "requests"), [(0, 2, 1), (5, 2, 3), (4, 2, 2), (3, 10, 1), (2, 2, 2)])
def test_paging_fetches_every_task(nas: FakeNAS, mode: str, count: int, page_size: int, requests: int) -> None:
    nas.tasks = [{**copy.deepcopy(replies.TASK_DSM6_DOWNLOADING), "id": f"dbid_{i}"} for i in range(count)]
    client, close = make_client(mode, page_size=page_size)
    try:
        assert [t.id for t in client.torrents()] == [f"dbid_{i}" for i in range(count)]
    finally:
        close()
    pages = nas.calls_to("SYNO.DownloadStation.Task", "list")
    assert len(pages) == requests
    assert [p.form["offset"] for p in pages] == [str(i * page_size) for i in range(requests)]
    assert {p.form["limit"] for p in pages} == {str(page_size)}


def test_paging_follows_total_when_the_server_caps_the_page(nas: FakeNAS, mode: str) -> None:
    everything = [{**copy.deepcopy(replies.TASK_DSM6_DOWNLOADING), "id": f"dbid_{i}"} for i in range(5)]

    def capped(call: Any) -> dict[str, Any]:
        offset = int(call.form["offset"])
        return {"offset": offset, "total": 5, "tasks": everything[offset : offset + 2]}  # caps at 2 per page

    nas.always("SYNO.DownloadStation.Task", "list", capped)
    client, close = make_client(mode, page_size=100)
    try:
        assert len(client.torrents()) == 5
    finally:
        close()


@pytest.mark.parametrize(("count", "requests"), [(4, 3), (5, 3)])
def test_paging_when_total_counts_only_the_page_goes_on_until_a_short_page(
    nas: FakeNAS, mode: str, count: int, requests: int
) -> None:
    everything = [{**copy.deepcopy(replies.TASK_DSM6_DOWNLOADING), "id": f"dbid_{i}"} for i in range(count)]

    def page_count(call: Any) -> dict[str, Any]:
        offset = int(call.form["offset"])
        tasks = everything[offset : offset + 2]
        return {"offset": offset, "total": len(tasks), "tasks": tasks}  # "the number that came back"

    nas.always("SYNO.DownloadStation.Task", "list", page_count)
    client, close = make_client(mode, page_size=2)
    try:
        assert [t.id for t in client.torrents()] == [f"dbid_{i}" for i in range(count)]
    finally:
        close()
    assert len(nas.calls_to("SYNO.DownloadStation.Task", "list")) == requests


def test_paging_stops_when_the_server_ignores_offset(nas: FakeNAS, mode: str) -> None:
    same = [{**copy.deepcopy(replies.TASK_DSM6_DOWNLOADING), "id": f"dbid_{i}"} for i in range(2)]
    nas.always("SYNO.DownloadStation.Task", "list", {"offset": 0, "total": 2, "tasks": same})
    client, close = make_client(mode, page_size=2)
    try:
        assert len(client.torrents()) == 2
    finally:
        close()
    assert len(nas.calls_to("SYNO.DownloadStation.Task", "list")) == 2


def test_torrent_uses_getinfo(client: Any, nas: FakeNAS) -> None:
    nas.tasks = [copy.deepcopy(replies.TASK_DSM6_DOWNLOADING)]
    assert client.torrent("dbid_86").name == "My super movie Complete 2021-2031"
    (getinfo,) = nas.calls_to("SYNO.DownloadStation.Task", "getinfo")
    assert getinfo.form["id"] == "dbid_86"
    assert getinfo.form["additional"] == "detail,transfer"


@pytest.mark.parametrize("answer", [{"tasks": []}, ("error", 404)], ids=["empty", "code-404"])
def test_an_unknown_task_is_not_found(client: Any, nas: FakeNAS, answer: Any) -> None:
    nas.reply("SYNO.DownloadStation.Task", "getinfo", answer)
    with pytest.raises(TorrentNotFoundError):
        client.torrent("dbid_999")


def test_files_trackers_and_peers(client: Any, nas: FakeNAS) -> None:
    task = copy.deepcopy(replies.TASK_DSM6_DOWNLOADING)
    task["additional"] = {"file": replies.FILES_DSM6, "tracker": replies.TRACKERS_PDF, "peer": replies.PEERS_PDF}
    nas.tasks = [task]
    info, movie, sample = client.files("dbid_86")
    assert (info.index, info.path, info.size, info.priority, info.wanted) == (
        0,
        "INFO.nfo",
        1335,
        FilePriority.LOW,
        True,
    )
    assert movie.progress == pytest.approx(0.25)
    assert (sample.priority, sample.wanted) == (FilePriority.SKIP, False)
    working, failing = client.trackers("dbid_86")
    assert (working.status, working.seeds, working.peers) == (TrackerStatus.WORKING, 12, 3)
    assert (failing.status, failing.seeds, failing.message) == (TrackerStatus.UNKNOWN, None, "Connection failed")
    first, second = client.peers("dbid_86")
    assert (first.address, first.client, first.progress, first.download_speed) == (
        "10.0.0.2:51413",
        "Transmission 2.94",
        0.5,
        100,
    )
    assert (second.client, second.progress, second.upload_speed) == (None, 1.0, 5)
    asked = [c.form["additional"] for c in nas.calls_to("SYNO.DownloadStation.Task", "getinfo")]
    assert asked == ["file", "tracker", "peer"]


def test_a_non_bittorrent_task_has_no_files(client: Any, nas: FakeNAS) -> None:
    nas.tasks = [copy.deepcopy(replies.TASK_DSM6_HTTPS_ERROR)]
    assert client.files("dbid_549") == []
    assert client.peers("dbid_549") == []


@pytest.mark.parametrize(
    "bad",
    [
        {"offset": 0, "total": 1},
        {"offset": 0, "tasks": "nope"},
        {"offset": 0, "tasks": [{"title": "no id"}]},
    ],
)
def test_malformed_lists_are_protocol_errors(client: Any, nas: FakeNAS, bad: dict[str, Any]) -> None:
    nas.reply("SYNO.DownloadStation.Task", "list", bad)
    with pytest.raises(ProtocolError):
        client.torrents()


def test_an_odd_number_is_unknown_and_does_not_fail_the_list(client: Any, nas: FakeNAS) -> None:
    odd = {"id": "dbid_1", "title": "odd", "size": "lots", "additional": {"transfer": {"speed_download": [5]}}}
    nas.reply("SYNO.DownloadStation.Task", "list", {"offset": 0, "total": 1, "tasks": [odd]})
    (torrent,) = client.torrents()
    assert (torrent.id, torrent.name, torrent.size, torrent.download_speed) == ("dbid_1", "odd", 0, 0)


def test_poll_diffs_full_lists(client: Any, nas: FakeNAS) -> None:
    nas.tasks = [copy.deepcopy(replies.TASK_DSM6_DOWNLOADING), copy.deepcopy(replies.TASK_DSM6_HTTPS_ERROR)]
    first = client.poll()
    assert {t.id for t in first.added} == {"dbid_86", "dbid_549"}
    nas.tasks[0]["status"] = "paused"
    del nas.tasks[1]
    second = client.poll()
    assert [t.id for t in second.changed] == ["dbid_86"]
    assert second.changed_fields["dbid_86"] == {"state", "native_state"}
    assert second.removed == ["dbid_549"]


def test_a_listing_whose_pages_never_end_is_bounded(nas: FakeNAS, mode: str) -> None:
    """A hostile NAS: every page brings new tasks and ``total`` says a billion more exist."""

    def endless(call: Any) -> dict[str, Any]:
        offset = int(call.form["offset"])
        tasks = [{**copy.deepcopy(replies.TASK_DSM6_DOWNLOADING), "id": f"dbid_{offset + i}"} for i in range(50)]
        return {"offset": offset, "total": 10**9, "tasks": tasks}

    nas.always("SYNO.DownloadStation.Task", "list", endless)
    client, close = make_client(mode, page_size=50, max_tasks=500)
    try:
        with pytest.raises(ProtocolError, match="more than 500 tasks"):
            client.torrents()
    finally:
        close()
    assert len(nas.calls_to("SYNO.DownloadStation.Task", "list")) == 11
