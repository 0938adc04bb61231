"""Deluge states row by row, converters, error codes and reply parsing (no daemon needed)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from enunclic import (
    AuthenticationError,
    ConnectError,
    FilePriority,
    InvalidInputError,
    NotSupportedError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    SessionExpiredError,
    TorrentNotFoundError,
    TorrentState,
    TrackerStatus,
)
from enunclic.backends.deluge.api import build_request, endpoint_url, parse_reply
from enunclic.backends.deluge.codes import error_for, short_message
from enunclic.backends.deluge.mapping import (
    FILE_PRIORITY_FROM_NATIVE,
    FILE_PRIORITY_TO_NATIVE,
    STATES,
    to_files,
    to_peer,
    to_torrent,
    to_tracker,
)

HASH = "955a07e8911c4ef415623b139674d985b8be0969"


def status(**overrides: Any) -> dict[str, Any]:
    """A status entry as 2.0.3 answered it for a seeding torrent, with overrides."""
    base: dict[str, Any] = {
        "name": "x1.bin",
        "state": "Seeding",
        "progress": 100.0,
        "total_wanted": 98304,
        "total_done": 98304,
        "total_uploaded": 0,
        "ratio": -1.0,
        "download_payload_rate": 0,
        "upload_payload_rate": 0,
        "eta": 0,
        "label": "",
        "download_location": "/srv/dl",
        "time_added": 1795724039,
        "completed_time": 0,
        "num_seeds": 0,
        "total_seeds": -1,
        "num_peers": 0,
        "total_peers": -1,
        "queue": -1,
        "message": "OK",
        "is_finished": True,
        "paused": False,
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(("native", "state"), list(STATES.items()))
def test_every_deluge_state_is_mapped(native: str, state: TorrentState) -> None:
    torrent = to_torrent(HASH, status(state=native, is_finished=False))
    assert torrent.state is state
    assert torrent.native_state == native


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # Deluge 2.0.3 leaves paused false while the state is Paused: the state wins.
        ({"state": "Paused", "paused": False, "is_finished": False, "progress": 50.0}, TorrentState.PAUSED),
        ({"state": "Paused", "paused": True, "is_finished": False}, TorrentState.PAUSED),
        ({"state": "Paused", "paused": False, "is_finished": True}, TorrentState.COMPLETED),
        ({"state": "Seeding", "paused": True}, TorrentState.SEEDING),
        # A magnet without metadata (DHT off): Downloading, nothing wanted yet.
        ({"state": "Downloading", "total_wanted": 0, "progress": 0.0, "is_finished": False}, TorrentState.METADATA),
        ({"state": "Error", "message": "No such file"}, TorrentState.ERROR),
        ({"state": "Levitating"}, TorrentState.UNKNOWN),
    ],
)
def test_state_rules(overrides: dict[str, Any], expected: TorrentState) -> None:
    torrent = to_torrent(HASH, status(**overrides))
    assert torrent.state is expected
    assert (torrent.error is not None) is (expected is TorrentState.ERROR)


def test_units_and_unknowns() -> None:
    torrent = to_torrent(
        HASH,
        status(
            state="Downloading",
            progress=25.0,
            total_wanted=1000,
            eta=30,
            ratio=0.5,
            label="movies",
            queue=0,
            total_seeds=7,
            download_payload_rate=2048,
        ),
    )
    assert torrent.progress == 0.25
    assert (torrent.eta, torrent.ratio, torrent.label, torrent.queue_position) == (30, 0.5, "movies", 0)
    assert (torrent.seeds_total, torrent.peers_total) == (7, None)
    assert torrent.download_speed == 2048
    assert torrent.added_at is not None
    assert torrent.added_at.tzinfo is not None
    seed = to_torrent(HASH, status())
    assert (seed.ratio, seed.eta, seed.label, seed.queue_position, seed.completed_at) == (None, None, None, None, None)


@pytest.mark.parametrize("bad", [None, [], {"state": "Seeding"}, status(name=7)])
def test_wrong_shapes_are_protocol_errors(bad: Any) -> None:
    with pytest.raises(ProtocolError):
        to_torrent(HASH, bad)


def test_odd_values_become_unknown_instead_of_failing_the_list() -> None:
    """A number sent as text, a boolean or a non-finite value is "unknown", as on every backend."""
    torrent = to_torrent(HASH, status(progress="100", eta=True, ratio=float("inf"), num_seeds="3", total_wanted=-5))
    assert (torrent.progress, torrent.eta, torrent.ratio, torrent.seeds_connected, torrent.size) == (
        0.0,
        None,
        None,
        None,
        0,
    )


@pytest.mark.parametrize(("native", "priority"), list(FILE_PRIORITY_FROM_NATIVE.items()))
def test_file_priorities_from_native(native: int, priority: FilePriority) -> None:
    files = [{"index": 0, "path": "a", "size": 10, "offset": 0}]
    (file,) = to_files({"files": files, "file_progress": [0.5], "file_priorities": [native]})
    assert file.priority is priority
    assert file.wanted is (priority is not FilePriority.SKIP)
    assert (file.downloaded, file.progress) == (5, 0.5)


@pytest.mark.parametrize(("priority", "native"), list(FILE_PRIORITY_TO_NATIVE.items()))
def test_file_priorities_round_trip(priority: FilePriority, native: int) -> None:
    assert FILE_PRIORITY_FROM_NATIVE[native] is priority


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"url": "http://t/a", "updating": True}, TrackerStatus.UPDATING),
        ({"url": "http://t/a", "fails": 2}, TrackerStatus.ERROR),
        ({"url": "http://t/a", "last_error": {"value": 111, "category": "system"}}, TrackerStatus.ERROR),
        ({"url": "http://t/a", "verified": True, "scrape_complete": 3}, TrackerStatus.WORKING),
        ({"url": "http://t/a", "last_error": {"value": 0}, "fails": 0}, TrackerStatus.NOT_CONTACTED),
    ],
)
def test_tracker_status(entry: dict[str, Any], expected: TrackerStatus) -> None:
    assert to_tracker(entry).status is expected


def test_peer() -> None:
    peer = to_peer({"ip": "127.0.0.1:6881", "client": "Deluge", "progress": 0.5, "down_speed": 3, "up_speed": 4})
    assert (peer.address, peer.client, peer.progress, peer.download_speed, peer.upload_speed) == (
        "127.0.0.1:6881",
        "Deluge",
        0.5,
        3,
        4,
    )


# -- error codes -------------------------------------------------------------------------------

FAILURE = (
    "Failure: [Failure instance: Traceback (failure with no frames): <class 'deluge.error.{cls}'>: {text}\n"
    "Traceback (most recent call last):\n  File ...]"
)


@pytest.mark.parametrize(
    ("code", "message", "method", "expected"),
    [
        (1, "Not authenticated", "core.get_torrents_status", SessionExpiredError),
        (2, "Unknown method", "core.get_torrents_status", SessionExpiredError),
        (2, "Unknown method", "label.set_torrent", NotSupportedError),
        (3, "KeyError: 'none'", "web.update_ui", ServerError),
        (4, FAILURE.format(cls="NotAuthorizedError", text="Auth level too low: 0 < 5"), "c", PermissionDeniedError),
        (4, FAILURE.format(cls="WrappedException", text="'" + "0" * 40 + "'"), "c", TorrentNotFoundError),
        (4, FAILURE.format(cls="InvalidTorrentError", text="torrent_id x not in session."), "c", TorrentNotFoundError),
        (4, FAILURE.format(cls="WrappedException", text="Invalid label"), "c", InvalidInputError),
        (4, FAILURE.format(cls="AddTorrentError", text=f"Torrent already in session ({HASH})."), "core.x", ServerError),
        (5, "bad request", "core.x", ProtocolError),
        (99, "?", "core.x", ServerError),
    ],
)
def test_error_codes(code: int, message: str, method: str, expected: type[Exception]) -> None:
    error = error_for(code, message, method)
    assert type(error) is expected
    assert error.native_code == code
    assert "Traceback" not in str(error)


def test_short_message() -> None:
    assert short_message(FAILURE.format(cls="AddTorrentError", text="Torrent already in session (ab).")) == (
        "AddTorrentError: Torrent already in session (ab)."
    )
    assert short_message("") == "no details"


# -- requests and replies --------------------------------------------------------------------


def test_endpoint_url() -> None:
    assert endpoint_url("http://127.0.0.1:8112/json") == "http://127.0.0.1:8112/json"
    assert endpoint_url("https://nas/deluge/") == "https://nas/deluge/json"
    assert endpoint_url("http://127.0.0.1:8112") == "http://127.0.0.1:8112/json"


def test_request_carries_the_cookie_and_the_three_keys() -> None:
    request = build_request("http://127.0.0.1:8112/json", "core.pause_torrents", [["a"]], 7, "s3cr3t")
    assert request.headers["Cookie"] == "_session_id=s3cr3t"
    assert request.read() == b'{"method": "core.pause_torrents", "params": [["a"]], "id": 7}'
    assert "s3cr3t" not in str(request.url)


def reply(status: int = 200, content: bytes = b"", **headers: str) -> httpx.Response:
    return httpx.Response(status, content=content, headers=headers, request=httpx.Request("POST", "http://x/json"))


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (reply(200, b"<html><body>Deluge login</body></html>"), ProtocolError),
        (reply(200, b'{"result": 1'), ProtocolError),
        (reply(200, b"[1, 2]"), ProtocolError),
        (reply(200, b'{"id": 1}'), ProtocolError),
        (reply(200, b'{"result": null, "error": "bad", "id": 1}'), ProtocolError),
        (reply(200, b'{"result": null, "error": {"message": "Not authenticated", "code": 1}}'), SessionExpiredError),
        (reply(401), AuthenticationError),
        (reply(403), PermissionDeniedError),
        (reply(502), ConnectError),
        (reply(404, b"Not Found"), ProtocolError),
        (reply(405), ProtocolError),
    ],
)
def test_bad_replies(response: httpx.Response, expected: type[Exception]) -> None:
    with pytest.raises(expected):
        parse_reply(response, "core.get_torrents_status")


def test_good_reply() -> None:
    assert parse_reply(reply(200, b'{"result": {"a": 1}, "error": null, "id": 1}'), "m") == {"a": 1}
