"""aria2's tables row by row, its error texts, the token in the body, and the reply reading, with no daemon."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

import enunclic
from enunclic import (
    AuthenticationError,
    FilePriority,
    InvalidInputError,
    NotSupportedError,
    ProtocolError,
    ServerError,
    TorrentNotFoundError,
    TorrentState,
)
from enunclic.backends.aria2.auth import Aria2Auth
from enunclic.backends.aria2.codes import error_for, is_idle
from enunclic.backends.aria2.mapping import STATES, state_of, to_file, to_peer, to_stats, to_torrent

SECRET = "s3cret-token"
INFO = {"announceList": [["http://t/a"]], "info": {"name": "x.bin"}}


def row(**fields: Any) -> dict[str, Any]:
    base = {"gid": "0123456789abcdef", "status": "active", "totalLength": "100", "completedLength": "40"}
    base.setdefault("bittorrent", INFO)
    return {**base, **fields}


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"status": "active"}, TorrentState.DOWNLOADING),
        ({"status": "active", "seeder": "true", "completedLength": "100"}, TorrentState.SEEDING),
        ({"status": "active", "bittorrent": {"announceList": []}}, TorrentState.METADATA),
        ({"status": "active", "verifiedLength": "32768"}, TorrentState.CHECKING),
        ({"status": "waiting", "verifyIntegrityPending": "true"}, TorrentState.CHECKING),
        ({"status": "waiting"}, TorrentState.QUEUED),
        ({"status": "paused"}, TorrentState.PAUSED),
        ({"status": "paused", "completedLength": "100"}, TorrentState.COMPLETED),
        ({"status": "error"}, TorrentState.ERROR),
        ({"status": "complete"}, TorrentState.COMPLETED),
        ({"status": "removed"}, TorrentState.UNKNOWN),
        ({"status": "brand-new"}, TorrentState.UNKNOWN),
    ],
)
def test_state_table_row_by_row(fields: dict[str, Any], state: TorrentState) -> None:
    assert state_of(row(**fields)) is state
    assert to_torrent(row(**fields)).native_state == fields["status"]


def test_every_status_is_in_the_table() -> None:
    assert set(STATES) == {"active", "waiting", "paused", "error", "complete", "removed"}


def test_a_row_maps_every_field() -> None:
    torrent = to_torrent(
        row(
            infoHash="ABCDEF" + "0" * 34,
            uploadLength="20",
            downloadSpeed="30",
            uploadSpeed="5",
            numSeeders="2",
            connections="3",
            dir="/data",
        ),
        queue_position=4,
    )
    assert (torrent.id, torrent.info_hash, torrent.name) == ("0123456789abcdef", "abcdef" + "0" * 34, "x.bin")
    assert (torrent.size, torrent.downloaded, torrent.uploaded, torrent.progress) == (100, 40, 20, 0.4)
    assert (torrent.ratio, torrent.download_speed, torrent.upload_speed, torrent.eta) == (0.5, 30, 5, 2)
    assert (torrent.seeds_connected, torrent.peers_connected, torrent.destination) == (2, 3, "/data")
    assert (torrent.queue_position, torrent.error) == (4, None)


def test_odd_values_read_as_unknown_never_as_a_crash() -> None:
    torrent = to_torrent(row(totalLength="lots", completedLength=None, numSeeders="-1", connections=True))
    assert (torrent.size, torrent.downloaded, torrent.progress) == (0, 0, 0.0)
    assert (torrent.seeds_connected, torrent.peers_connected, torrent.eta) == (None, None, None)


def test_a_magnet_is_named_after_its_metadata_path_and_errors_keep_their_text() -> None:
    magnet = row(bittorrent={}, files=[{"path": "[METADATA]ubuntu"}], infoHash="ab" * 20)
    assert to_torrent(magnet).name == "ubuntu"
    assert to_torrent(row(bittorrent={}, infoHash="ab" * 20)).name == "ab" * 20
    failed = to_torrent(row(status="error", errorMessage="disk full"))
    assert (failed.state, failed.error) == (TorrentState.ERROR, "disk full")
    assert to_torrent(row(errorMessage="old")).error is None


def test_files_are_skip_or_normal_and_zero_based() -> None:
    wanted = to_file({"index": "1", "path": "/d/a", "length": "10", "completedLength": "5", "selected": "true"})
    skipped = to_file({"index": "2", "path": "/d/b", "length": "0", "completedLength": "0", "selected": "false"})
    assert (wanted.index, wanted.progress, wanted.priority, wanted.wanted) == (0, 0.5, FilePriority.NORMAL, True)
    assert (skipped.index, skipped.progress, skipped.priority, skipped.wanted) == (1, 0.0, FilePriority.SKIP, False)


def test_peers_and_stats() -> None:
    peer = to_peer({"ip": "10.0.0.1", "port": "6881", "bitfield": "f0", "downloadSpeed": "7", "seeder": "false"})
    assert (peer.address, peer.progress, peer.download_speed) == ("10.0.0.1:6881", 0.5, 7)
    assert to_peer({"ip": "h", "port": "1", "bitfield": "zz", "seeder": "true"}).progress == 1.0
    options = {"max-overall-download-limit": "1024000", "max-overall-upload-limit": "0"}
    stats = to_stats({"downloadSpeed": "9", "uploadSpeed": "x"}, options)
    assert (stats.download_speed, stats.upload_speed, stats.download_limit, stats.upload_limit) == (9, 0, 1024000, None)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Unauthorized", AuthenticationError),
        ("GID 0123456789abcdef is not found", TorrentNotFoundError),
        ("Active Download not found for GID#0123456789abcdef", TorrentNotFoundError),
        ("Invalid GID zz", TorrentNotFoundError),
        ("No such method: aria2.nosuch", NotSupportedError),
        ("InfoHash ab is already registered.", InvalidInputError),
        ("something new", ServerError),
        (None, ServerError),
    ],
)
def test_error_table_row_by_row(message: Any, kind: type[Exception]) -> None:
    assert type(error_for(1, message)) is kind


def test_idle_refusals() -> None:
    assert is_idle("GID#0123456789abcdef cannot be paused now")
    assert is_idle("GID#0123456789abcdef cannot be unpaused now")
    assert is_idle("GID#0123456789abcdef not found in the waiting queue.")
    assert not is_idle("GID 0123456789abcdef is not found")


def test_the_token_goes_first_in_every_call_and_never_in_repr() -> None:
    auth = Aria2Auth(SECRET)
    assert SECRET not in repr(auth)
    single = httpx.Request("POST", "http://h/jsonrpc", json={"method": "aria2.getVersion", "params": []})
    sent = json.loads(next(auth.auth_flow(single)).content)
    assert sent["params"] == [f"token:{SECRET}"]
    calls = [
        {"methodName": "aria2.tellActive", "params": [["gid"]]},
        {"methodName": "aria2.getGlobalStat", "params": []},
    ]
    multi = httpx.Request("POST", "http://h/jsonrpc", json={"method": "system.multicall", "params": [calls]})
    sent = json.loads(next(auth.auth_flow(multi)).content)
    assert [c["params"][0] for c in sent["params"][0]] == [f"token:{SECRET}"] * 2
    assert len(sent["params"]) == 1  # system.multicall itself takes no token
    plain = next(Aria2Auth(None).auth_flow(single))
    assert plain is single


# -- through a client, against a fake aria2 ------------------------------------------------------


def fake(handler: Any) -> enunclic.Client:
    return enunclic.connect(f"aria2://:{SECRET}@127.0.0.1", transport=httpx.MockTransport(handler))


def test_the_url_defaults_and_a_wrong_secret() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(400, json={"id": "x", "jsonrpc": "2.0", "error": {"code": 1, "message": "Unauthorized"}})

    with fake(handler) as client:
        with pytest.raises(AuthenticationError) as caught:
            client.info()
        assert SECRET not in repr(client.backend.auth)
    assert str(seen[0].url) == "http://127.0.0.1:6800/jsonrpc"
    assert SECRET not in str(caught.value) and SECRET not in str(seen[0].url)


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, b"not json", ProtocolError),
        (400, b'{"id": 1}', ProtocolError),
        (200, b'{"result": [[1]]}', ProtocolError),  # a listing multicall answered with one result
        (401, b"", AuthenticationError),
        (500, b'{"error": {"code": -32700, "message": "Parse error."}}', ServerError),
    ],
)
def test_status_table(status: int, body: bytes, kind: type[Exception]) -> None:
    with fake(lambda request: httpx.Response(status, content=body)) as client:
        with pytest.raises(kind):
            client.torrents()


def test_listing_is_one_multicall_of_bittorrent_downloads_only() -> None:
    plain_http = {"gid": "1111111111111111", "status": "active", "totalLength": "5", "completedLength": "1"}
    followed = row(gid="2222222222222222", status="complete", bittorrent={}, followedBy=["3333333333333333"])
    real = row(gid="3333333333333333")
    queued = row(gid="4444444444444444", status="waiting")
    removed = row(gid="5555555555555555", status="removed")
    bodies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append(body)
        if body["method"] == "aria2.tellStatus":  # the metadata step names the download that took over
            found = followed if body["params"][1] == followed["gid"] else plain_http
            return httpx.Response(200, json={"result": {k: v for k, v in found.items() if k == "followedBy"}})
        return httpx.Response(200, json={"result": [[[plain_http, real]], [[queued]], [[followed, removed]]]})

    with fake(handler) as client:
        torrents = client.torrents()
        assert len(bodies) == 1
        assert {t.id: t.queue_position for t in torrents} == {"3333333333333333": None, "4444444444444444": 0}
        assert client.torrent("2222222222222222").id == "3333333333333333"
        with pytest.raises(TorrentNotFoundError):
            client.torrent("1111111111111111")  # an HTTP download is no torrent
    methods = [c["methodName"] for c in bodies[0]["params"][0]]
    assert methods == ["aria2.tellActive", "aria2.tellWaiting", "aria2.tellStopped"]


def test_bad_ids_and_priorities_fail_before_any_request() -> None:
    with fake(lambda request: httpx.Response(500)) as client:
        client_requests = client.requests_sent
        with pytest.raises(TorrentNotFoundError):
            client.files("not-a-gid")
        with pytest.raises(NotSupportedError):
            client.set_file_priority("0123456789abcdef", [0], "low")
        assert client.requests_sent == client_requests
