"""Deluge states row by row, converters, error codes and reply parsing (no daemon needed)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from enunclic.backends.deluge.api import JsonRpc, endpoint_url, lost_session, parse_reply
from enunclic.backends.deluge.codes import duplicate_of, error_for, removal_error, session_lost, short_message
from enunclic.backends.deluge.mapping import (
    FILE_PRIORITY_FROM_NATIVE,
    FILE_PRIORITY_TO_NATIVE,
    RATE,
    STATES,
    to_files,
    to_peer,
    to_torrent,
    to_tracker,
)
from enunclic.plugin import (
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


def test_request_has_the_three_keys_numbered_and_no_cookie() -> None:
    rpc = JsonRpc("http://127.0.0.1:8112/json")
    first, second = rpc.request("core.pause_torrents", ["a"]), rpc.request("web.connected")
    assert first.read() == b'{"method": "core.pause_torrents", "params": [["a"]], "id": 1}'
    assert second.read() == b'{"method": "web.connected", "params": [], "id": 2}'
    assert "cookie" not in first.headers  # the session cookie comes from the client's jar


def reply(content: bytes, method: str = "core.get_torrents_status") -> httpx.Response:
    request = JsonRpc("http://x/json").request(method)
    return httpx.Response(200, content=content, request=request)


# HTTP statuses and HTML pages are the core's (tests/deluge/test_channel.py); these are JSON-RPC's.
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Not Found", ProtocolError),
        (b'{"result": 1', ProtocolError),
        (b"[1, 2]", ProtocolError),
        (b'{"id": 1}', ProtocolError),
        (b'{"result": null, "error": "bad", "id": 1}', ProtocolError),
        (b'{"result": null, "error": {"message": "x", "code": "1"}, "id": 1}', ProtocolError),
        (b'{"result": null, "error": {"message": "Not authenticated", "code": 1}}', SessionExpiredError),
        (b'{"result": null, "error": {"message": "Unknown method", "code": 2}, "id": 1}', SessionExpiredError),
    ],
)
def test_bad_replies(content: bytes, expected: type[Exception]) -> None:
    with pytest.raises(expected):
        parse_reply(reply(content), "core.get_torrents_status")


def test_good_reply() -> None:
    assert parse_reply(reply(b'{"result": {"a": 1}, "error": null, "id": 1}'), "m") == {"a": 1}


def error_reply(code: int) -> bytes:
    return b'{"result": null, "error": {"message": "m", "code": %d}, "id": 1}' % code


@pytest.mark.parametrize(
    ("content", "method", "lost"),
    [
        (error_reply(1), "core.get_torrents_status", True),
        (error_reply(2), "core.get_torrents_status", True),  # deluge-web has no daemon
        (error_reply(2), "label.set_torrent", False),  # the Label plugin is off
        (error_reply(1), "auth.delete_session", False),  # logging out of a session already gone
        (error_reply(3), "core.get_torrents_status", False),
        (error_reply(4), "core.get_torrents_status", False),
        (b'{"result": {"code": 1}, "error": null, "id": 1}', "web.update_ui", False),
        (b'{"result": "' + b"x" * 2000 + b'", "error": {"code": 1}, "id": 1}', "web.update_ui", False),
        (b"<html>code</html>", "web.update_ui", False),
    ],
)
def test_lost_session(content: bytes, method: str, lost: bool) -> None:
    assert lost_session(reply(content, method)) is lost


@pytest.mark.parametrize(
    ("code", "method", "lost"),
    [
        (1, "core.x", True),
        (2, "core.x", True),
        (2, "label.add", False),
        (1, "auth.delete_session", False),
        (4, "c", False),
    ],
)
def test_session_lost_codes(code: int, method: str, lost: bool) -> None:
    assert session_lost(code, method) is lost


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (f"torrent_id {HASH} not in session.", TorrentNotFoundError),
        ("not in queued torrents set", ServerError),
        ("Permission denied", ServerError),
    ],
)
def test_removal_errors(message: str, expected: type[Exception]) -> None:
    assert type(removal_error(message)) is expected


def test_duplicate_of() -> None:
    failure = FAILURE.format(cls="AddTorrentError", text=f"Torrent already in session ({HASH.upper()}).")
    assert duplicate_of(failure) == HASH
    assert duplicate_of("AddTorrentError: Torrent already in session") is None


# -- limits: KiB/s on the wire, -1 for none ---------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "native"),
    [(None, -1), (2_048_000, 2000), (1536, 1.5), (1024, 1), (512, 0.5), (1, 1 / 1024)],  # fractions: Deluge takes them
)
def test_limits_to_kib(limit: int | None, native: float) -> None:
    assert RATE.to_native(limit) == native


@pytest.mark.parametrize(
    ("native", "limit"),
    [(-1, None), (-1.0, None), (0, None), (1000.0, 1_024_000), (1.5, 1536), ("100", None), (None, None), (True, None)],
)
def test_limits_from_kib(native: object, limit: int | None) -> None:
    assert RATE.from_native(native) == limit
