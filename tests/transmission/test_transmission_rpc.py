"""The RPC layer against scripted replies (respx): 409 dance, errors, dialects, field selection.

The JSON-RPC 2.0 dialect is tested here from the specification (framing with
``jsonrpc``/``params``/``id``, snake_case names, ``result``/``error`` replies),
since no Transmission daemon available here speaks it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

import enunclic
from enunclic import (
    AuthenticationError,
    EndpointNotFoundError,
    InvalidInputError,
    NotSupportedError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    TorrentNotFoundError,
    TorrentState,
)
from enunclic.backends.transmission.api import LEGACY_TORRENT_FIELDS, TORRENT_FIELDS
from enunclic.backends.transmission.state import STOP_LANDS_WITHIN
from enunclic.testing.torrents import make_test_torrent

URL = "http://127.0.0.1:9091/transmission/rpc"
H1 = "1" * 40
H2 = "2" * 40
SECRET = "s3cret-pass"


def _legacy_torrent(torrent_id: int, info_hash: str, status: int = 6) -> dict[str, Any]:
    return {"id": torrent_id, "hashString": info_hash, "name": f"t{torrent_id}", "status": status, "percentDone": 1}


class FakeTransmission:
    """A scripted Transmission: the 409 dance, then replies per method; records every call."""

    def __init__(self, rpc_version: int = 16, jsonrpc: bool = False, speed_bytes: int = 1000) -> None:
        self.rpc_version = rpc_version
        self.jsonrpc = jsonrpc
        self.speed_bytes = speed_bytes
        self.session_id = "id-1"
        self.calls: list[dict[str, Any]] = []
        self.gone: set[str] = set()
        self.replies: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("X-Transmission-Session-Id") != self.session_id:
            return httpx.Response(409, headers={"X-Transmission-Session-Id": self.session_id}, text="<h1>409</h1>")
        body = json.loads(request.content)
        self.calls.append(body)
        if "jsonrpc" in body:
            if not self.jsonrpc:  # what 4.1.0-beta.2 does
                return httpx.Response(200, json={"arguments": 0, "result": "no method name"})
            method, params = body["method"], body.get("params", {})
            handler = self.replies.get(method)
            result = handler(params) if handler else self._session(snake=True)
            if "error" in result:
                return httpx.Response(200, json={"jsonrpc": "2.0", "error": result["error"], "id": body["id"]})
            return httpx.Response(200, json={"jsonrpc": "2.0", "result": result, "id": body["id"]})
        method, arguments = body["method"], body.get("arguments", {})
        handler = self.replies.get(method)
        if handler is None and method == "session-get":
            return httpx.Response(200, json={"result": "success", "arguments": self._session(snake=False)})
        reply = handler(arguments) if handler else {}
        if "result" in reply:
            return httpx.Response(200, json=reply)
        return httpx.Response(200, json={"result": "success", "arguments": reply})

    def _session(self, snake: bool) -> dict[str, Any]:
        sep = "_" if snake else "-"
        return {
            "version": "9.9.9",
            f"rpc{sep}version": self.rpc_version,
            f"rpc{sep}version{sep}semver": "6.0.0",
            "units": {f"speed{sep}bytes": self.speed_bytes},
        }

    def methods(self) -> list[str]:
        return [c["method"] for c in self.calls]


def _quiet_server(torrents: dict[str, dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """torrent-get over ``torrents`` (hash -> legacy object, changed in place by the test): the
    fields and ids asked for, and nothing "recently active" (as after a label or queue change)."""

    def torrent_get(arguments: dict[str, Any]) -> dict[str, Any]:
        if arguments.get("ids") == "recently-active":
            return {"torrents": [], "removed": []}
        wanted = arguments.get("ids")
        chosen = [t for h, t in torrents.items() if wanted is None or h in wanted]
        return {"torrents": [{k: v for k, v in t.items() if k in arguments["fields"]} for t in chosen]}

    return torrent_get


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def _serve(mock: respx.MockRouter, fake: FakeTransmission) -> FakeTransmission:
    mock.post(URL).mock(side_effect=fake)
    return fake


def _client(**options: Any) -> enunclic.Client:
    return enunclic.connect("transmission://127.0.0.1:9091", username="admin", password=SECRET, **options)


def test_the_session_id_dance_on_the_first_call_and_when_it_rotates(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission())
    fake.replies["torrent-get"] = lambda a: {"torrents": [_legacy_torrent(1, H1)]}
    with _client() as client:
        assert [t.id for t in client.torrents()] == [H1]
        fake.session_id = "id-2"  # the server expired the CSRF token
        assert [t.id for t in client.torrents()] == [H1]
    sent = [r.headers.get("X-Transmission-Session-Id") for r in (c.request for c in mock.calls)]
    assert sent == [None, "id-1", "id-1", "id-1", "id-2"]
    assert mock.calls[0].request.headers["Authorization"].startswith("Basic ")


def test_a_409_without_the_header_is_a_protocol_error(mock: respx.MockRouter) -> None:
    mock.post(URL).mock(return_value=httpx.Response(409))
    with _client() as client, pytest.raises(ProtocolError, match="X-Transmission-Session-Id"):
        client.torrents()


def test_a_server_that_always_answers_409_is_given_up_on(mock: respx.MockRouter) -> None:
    ids = iter(range(100))
    header = "X-Transmission-Session-Id"
    mock.post(URL).mock(side_effect=lambda r: httpx.Response(409, headers={header: str(next(ids))}))
    with _client() as client, pytest.raises(ProtocolError, match="409"):
        client.info()
    assert mock.calls.call_count == 3


def test_401_is_an_authentication_error_that_does_not_leak_the_password(mock: respx.MockRouter) -> None:
    mock.post(URL).mock(return_value=httpx.Response(401, text="<h1>401: Unauthorized</h1>"))
    with _client() as client, pytest.raises(AuthenticationError) as caught:
        client.torrents()
    assert caught.value.native_code == 401
    assert caught.value.backend == "transmission"
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)
    assert SECRET not in repr(client.backend.auth)


def test_403_is_permission_denied(mock: respx.MockRouter) -> None:
    """What rpc-whitelist / rpc-host-whitelist answer a client they do not know."""
    mock.post(URL).mock(return_value=httpx.Response(403, text="<h1>403: Forbidden</h1>"))
    with _client() as client, pytest.raises(PermissionDeniedError) as caught:
        client.torrents()
    assert caught.value.native_code == 403


def test_404_means_no_rpc_at_this_path(mock: respx.MockRouter) -> None:
    mock.post(URL).mock(return_value=httpx.Response(404, text="<h1>404: Not Found</h1>"))
    with _client() as client, pytest.raises(EndpointNotFoundError) as caught:
        client.torrents()
    assert caught.value.native_code == 404


@pytest.mark.parametrize(
    ("reply", "match"),
    [
        (httpx.Response(200, text="<html><body>login</body></html>"), "HTML"),
        (httpx.Response(200, text='{"result": "succ'), "not JSON"),
        (httpx.Response(200, json=["not", "an", "object"]), "not an object"),
        (httpx.Response(200, json={"arguments": {}}), "result"),
        (httpx.Response(404, text="nope"), "404"),
    ],
)
def test_replies_that_are_not_transmission_are_protocol_errors(
    mock: respx.MockRouter, reply: httpx.Response, match: str
) -> None:
    mock.post(URL).mock(return_value=reply)
    with _client() as client, pytest.raises(ProtocolError, match=match):
        client.torrents()


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_5xx_is_a_server_error(mock: respx.MockRouter, status: int) -> None:
    mock.post(URL).mock(return_value=httpx.Response(status))
    with _client() as client, pytest.raises(ServerError) as caught:
        client.torrents()
    assert caught.value.native_code == status


@pytest.mark.parametrize(
    ("result", "error"),
    [
        ("invalid or corrupt torrent file", InvalidInputError),
        ("gotMetadataFromURL: http error 404: Not Found", ServerError),
        ("method name not recognized", NotSupportedError),
    ],
)
def test_result_texts_map_to_exceptions(mock: respx.MockRouter, result: str, error: type[Exception]) -> None:
    fake = _serve(mock, FakeTransmission())
    fake.replies["torrent-add"] = lambda a: {"result": result}
    with _client() as client, pytest.raises(error) as caught:
        client.add("http://127.0.0.1:1/x.torrent")
    assert getattr(caught.value, "native_code", None) == result


def test_torrent_lists_ask_only_for_the_model_fields(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=16))
    fake.replies["torrent-get"] = lambda a: {"torrents": []}
    with _client() as client:
        client.torrents()
    fields = next(c for c in fake.calls if c["method"] == "torrent-get")["arguments"]["fields"]
    # 3.00 (rpc 16) has no trackerList (it would answer 0): its trackers objects give the main tracker.
    assert fields == [*(LEGACY_TORRENT_FIELDS.get(f, f) for f in TORRENT_FIELDS), "trackers", "labels"]


def test_labels_are_not_asked_of_servers_without_them(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=15))
    fake.replies["torrent-get"] = lambda a: {"torrents": []}
    with _client() as client:
        client.torrents()
        assert enunclic.Capability.LABELS not in client.info().capabilities
        with pytest.raises(NotSupportedError):
            client.set_label(H1, "x")
    fields = next(c for c in fake.calls if c["method"] == "torrent-get")["arguments"]["fields"]
    assert "labels" not in fields


def test_too_old_servers_are_refused(mock: respx.MockRouter) -> None:
    _serve(mock, FakeTransmission(rpc_version=13))
    with _client() as client, pytest.raises(NotSupportedError, match="too old"):
        client.torrents()


def test_poll_uses_recently_active_and_reports_removed_torrents(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission())
    torrents = {H1: _legacy_torrent(1, H1), H2: _legacy_torrent(2, H2)}

    def torrent_get(arguments: dict[str, Any]) -> dict[str, Any]:
        if arguments.get("ids") == "recently-active":
            return {"torrents": [_legacy_torrent(1, H1, status=0)], "removed": [2, 77]}
        return {"torrents": list(torrents.values())}

    fake.replies["torrent-get"] = torrent_get
    with _client() as client:
        first = client.poll()
        del torrents[H2]
        second = client.poll()
        third = client.poll()
    assert {t.id for t in first.added} == {H1, H2}
    assert [t.id for t in second.changed] == [H1]
    assert second.changed_fields[H1] == frozenset({"state", "native_state"})
    assert second.changed[0].state is TorrentState.COMPLETED
    assert second.removed == [H2]
    assert third.removed == []  # reported once


def test_poll_names_removed_torrents_by_hash_not_by_the_servers_numeric_ids(mock: respx.MockRouter) -> None:
    """A restarted daemon renumbers its torrents: a "removed" id must not name a torrent still there."""
    fake = _serve(mock, FakeTransmission())
    listing = [_legacy_torrent(1, H1), _legacy_torrent(2, H2)]

    def torrent_get(arguments: dict[str, Any]) -> dict[str, Any]:
        if arguments.get("ids") == "recently-active":
            return {"torrents": [], "removed": [1]}  # id 1 was another torrent before the restart
        return {"torrents": listing}

    fake.replies["torrent-get"] = torrent_get
    with _client() as client:
        client.poll()
        listing = [_legacy_torrent(2, H1), _legacy_torrent(1, H2)]  # the same torrents, renumbered
        delta = client.poll()
    assert delta.empty


def test_a_listing_between_two_polls_hides_nothing_from_the_next_poll(mock: respx.MockRouter) -> None:
    """The poll compares with what the last poll reported, not with what other calls have read."""
    fake = _serve(mock, FakeTransmission())
    torrents = {
        H1: {**_legacy_torrent(1, H1), "labels": ["tv"], "queuePosition": 0},
        H2: {**_legacy_torrent(2, H2), "labels": [], "queuePosition": 1},
    }

    fake.replies["torrent-get"] = _quiet_server(torrents)
    with _client() as client:
        client.poll()
        client.poll()  # an incremental one: the comparison is now with its light list
        torrents[H1]["labels"] = ["linux"]
        del torrents[H2]
        assert {t.id: t.label for t in client.torrents()} == {H1: "linux"}
        assert client.torrent(H1).label == "linux"
        delta = client.poll()
    assert [t.id for t in delta.changed] == [H1]
    assert delta.changed_fields[H1] == frozenset({"label"})
    assert delta.removed == [H2]


def test_poll_fetches_a_torrent_it_never_saw_even_when_not_recently_active(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission())
    torrents = {H1: _legacy_torrent(1, H1)}

    fake.replies["torrent-get"] = _quiet_server(torrents)
    with _client() as client:
        client.poll()
        torrents[H2] = _legacy_torrent(2, H2)  # added and gone quiet between two polls
        delta = client.poll()
    assert [t.id for t in delta.added] == [H2]
    assert delta.added[0].name == _legacy_torrent(2, H2)["name"]


def test_poll_sees_label_and_queue_changes_that_recently_active_misses(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission())
    torrents = {
        H1: {**_legacy_torrent(1, H1), "labels": ["tv"], "queuePosition": 0},
        H2: {**_legacy_torrent(2, H2), "labels": [], "queuePosition": 1},
    }

    fake.replies["torrent-get"] = _quiet_server(torrents)
    with _client() as client:
        client.poll()
        assert client.poll().empty
        torrents[H1]["labels"] = ["linux"]
        delta = client.poll()
    assert [t.id for t in delta.changed] == [H1]
    assert delta.changed_fields[H1] == frozenset({"label"})
    assert delta.changed[0].label == "linux"
    full_gets = [c["arguments"] for c in fake.calls if c["method"] == "torrent-get"]
    assert full_gets[-1]["ids"] == [H1]  # only the torrent whose light fields moved is fetched in full


@pytest.mark.parametrize("read", ["listing", "one torrent"])
def test_a_pause_undone_by_the_end_of_a_check_is_sent_again_on_old_servers(mock: respx.MockRouter, read: str) -> None:
    """rpc-version < 18 restarts a torrent paused while it waits for or runs a check: stop it again."""
    fake = _serve(mock, FakeTransmission(rpc_version=17))
    status = {"now": 1}  # check-wait
    fake.replies["torrent-get"] = lambda a: {"torrents": [_legacy_torrent(1, H1, status=status["now"])]}

    def stops() -> int:
        return fake.methods().count("torrent-stop")

    with _client() as client:
        client.pause([H1])
        assert stops() == 1

        def look() -> None:
            client.torrents() if read == "listing" else client.torrent(H1)

        look()
        status["now"] = 2  # checking: not yet
        look()
        assert stops() == 1
        status["now"] = 4  # the check is over and the server restarted it
        look()
        assert stops() == 2
        assert fake.calls[-1] == {"method": "torrent-stop", "arguments": {"ids": [H1]}}
        look()  # once only
        assert stops() == 2


def test_a_torrent_still_stopped_after_its_check_is_not_stopped_again(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=17))
    fake.replies["torrent-get"] = lambda a: {"torrents": [_legacy_torrent(1, H1, status=0)]}
    with _client() as client:
        client.pause([H1])
        client.torrents()
        client.torrents()
    assert fake.methods().count("torrent-stop") == 1


def test_new_servers_keep_a_pause_through_a_check(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=18))
    fake.replies["torrent-get"] = lambda a: {"torrents": [_legacy_torrent(1, H1, status=4)]}
    with _client(dialect="legacy") as client:
        client.pause([H1])
        client.torrents()
    assert fake.methods().count("torrent-stop") == 1


class _Ticking:
    """One torrent as both daemons treat torrent-stop and torrent-start: a stop is only marked, and
    lands on a later tick (here, at the ``lands_at``-th status read after it; never when None); a
    start while the torrent still runs is dropped. ``clock`` moves one second per read."""

    def __init__(self, fake: FakeTransmission, lands_at: int | None) -> None:
        self.status, self.stopping, self.reads, self.lands_at, self.now = 6, False, 0, lands_at, 100.0
        fake.replies["torrent-stop"] = self.stop
        fake.replies["torrent-start"] = self.start
        fake.replies["torrent-get"] = self.get

    def clock(self) -> float:
        return self.now

    def stop(self, arguments: dict[str, Any]) -> dict[str, Any]:
        self.stopping, self.reads = True, 0
        return {}

    def start(self, arguments: dict[str, Any]) -> dict[str, Any]:
        if self.status == 0:
            self.status = 6
        return {}

    def get(self, arguments: dict[str, Any]) -> dict[str, Any]:
        self.now += 1.0
        if self.stopping:
            self.reads += 1
            if self.reads == self.lands_at:
                self.status, self.stopping = 0, False
        return {"torrents": [_legacy_torrent(1, H1, status=self.status)]}


def _ticking(mock: respx.MockRouter, lands_at: int | None) -> tuple[FakeTransmission, _Ticking]:
    """A server holding one :class:`_Ticking` torrent; :func:`_on_clock` gives its clock to a client."""
    fake = _serve(mock, FakeTransmission())
    return fake, _Ticking(fake, lands_at)


def _on_clock(client: Any, torrent: _Ticking) -> None:
    """The client's backend reads the torrent's clock (what ``BackendConfig.clock`` gives it)."""
    client.backend.state.stops.clock = torrent.clock


def test_a_resume_right_after_a_pause_waits_until_the_stop_lands(mock: respx.MockRouter) -> None:
    """Sent at once, the start would be dropped and the torrent would stay paused (3.00 and 4.1)."""
    fake, torrent = _ticking(mock, lands_at=2)
    with _client() as client:
        _on_clock(client, torrent)
        client.pause([H1])
        client.resume([H1])
        # One stop only: on this old server (rpc 16) the reads must not take the running torrent
        # for one that a check restarted, and stop it again.
        assert fake.methods() == ["session-get", "torrent-stop", "torrent-get", "torrent-get", "torrent-start"]
        status_read = fake.calls[-2]["arguments"]
        assert status_read == {"ids": [H1], "fields": ["hashString", "status"], "format": "table"}
        # Later reads would land a stop still pending: the torrent runs.
        assert [client.torrent(H1).state for _ in range(3)] == [TorrentState.SEEDING] * 3
    assert (torrent.status, torrent.stopping) == (6, False)


def test_the_async_client_waits_for_the_stop_too(mock: respx.MockRouter) -> None:
    fake, torrent = _ticking(mock, lands_at=3)

    async def run() -> None:
        async with enunclic.connect_async("transmission://127.0.0.1:9091", password=SECRET) as client:
            _on_clock(client, torrent)
            await client.pause([H1])
            await client.resume([H1])

    asyncio.run(run())
    assert fake.methods()[-5:] == ["torrent-stop", "torrent-get", "torrent-get", "torrent-get", "torrent-start"]
    assert fake.methods().count("torrent-stop") == 1
    assert torrent.status == 6 and not torrent.stopping


def test_a_resume_long_after_a_pause_or_without_one_is_one_request(mock: respx.MockRouter) -> None:
    fake, torrent = _ticking(mock, lands_at=1)
    with _client() as client:
        _on_clock(client, torrent)
        client.info()
        before = len(fake.calls)
        client.resume([H1, H2])
        assert fake.calls[before:] == [{"method": "torrent-start", "arguments": {"ids": [H1, H2]}}]
        client.pause([H1])
        torrent.now += STOP_LANDS_WITHIN
        before = len(fake.calls)
        client.resume([H1])
        assert fake.methods()[before:] == ["torrent-start"]


def test_a_stop_that_never_lands_holds_the_resume_back_only_so_long(mock: respx.MockRouter) -> None:
    fake, torrent = _ticking(mock, lands_at=None)
    with _client() as client:
        _on_clock(client, torrent)
        stops = client.backend.state.stops  # type: ignore[attr-defined]
        stops.every, stops.patience = 0.25, 0.75  # exact in binary: three pauses, then the start anyway
        client.pause([H1])
        client.resume([H1])
    assert fake.methods()[-1] == "torrent-start"
    # One read, then one per pause until the patience is spent: bounded, not endless.
    assert fake.methods().count("torrent-get") == 1 + 3


def test_a_torrent_removed_before_the_resume_is_not_waited_for(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission())
    fake.replies["torrent-get"] = lambda a: {"torrents": []}
    with _client() as client:
        client.pause([H1])
        client.resume([H1])
    assert fake.methods()[-3:] == ["torrent-stop", "torrent-get", "torrent-start"]


def test_every_nth_poll_is_a_full_listing(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission())
    fake.replies["torrent-get"] = lambda a: {"torrents": [], "removed": []}
    with _client(full_poll_every=2) as client:
        for _ in range(4):
            client.poll()
    ids = [c["arguments"].get("ids") for c in fake.calls if c["method"] == "torrent-get"]
    # the incremental poll also lists every torrent's labels and queue position (light fields)
    assert ids == [None, None, "recently-active", None, None]


def test_bulk_operations_are_one_request_with_hash_ids(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=18))
    with _client(dialect="legacy") as client:
        client.info()
        before = len(fake.calls)
        client.pause([H1, H2.upper()])
        client.remove([H1, H2], delete_data=True)
        client.move([H1, H2], "/elsewhere")
        client.queue_move([H1, H2], "top")
    assert fake.calls[before:] == [
        {"method": "torrent-stop", "arguments": {"ids": [H1, H2]}},
        {"method": "torrent-remove", "arguments": {"ids": [H1, H2], "delete-local-data": True}},
        {"method": "torrent-set-location", "arguments": {"ids": [H1, H2], "location": "/elsewhere", "move": True}},
        {"method": "queue-move-top", "arguments": {"ids": [H1, H2]}},
    ]


def test_ids_that_are_not_hashes_name_no_torrent(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission())
    with _client() as client:
        client.info()
        before = len(fake.calls)
        with pytest.raises(TorrentNotFoundError):
            client.torrent("5")
        with pytest.raises(TorrentNotFoundError):
            client.pause(["not-a-hash"])
    assert len(fake.calls) == before


@pytest.mark.parametrize(("speed_bytes", "wire"), [(1000, 1024), (1024, 1000)])
def test_limits_are_bytes_per_second_in_the_contract_and_k_on_the_wire(
    mock: respx.MockRouter, speed_bytes: int, wire: int
) -> None:
    fake = _serve(mock, FakeTransmission(speed_bytes=speed_bytes))
    fake.replies["session-get"] = lambda a: (
        {
            "rpc-version": 16,
            "units": {"speed-bytes": speed_bytes},
            "speed-limit-down": wire,
            "speed-limit-down-enabled": True,
            "speed-limit-up": 5,
            "speed-limit-up-enabled": False,
            "download-dir": "/d",
        }
    )
    fake.replies["session-stats"] = lambda a: {"downloadSpeed": 10, "uploadSpeed": 20}
    fake.replies["free-space"] = lambda a: {"path": a["path"], "size-bytes": 123}
    with _client() as client:
        client.set_limits(download=1_024_000, upload=None)
        client.set_torrent_limits(H1, download=1, upload=0)
        stats = client.stats()
    sets = [c["arguments"] for c in fake.calls if c["method"] in ("session-set", "torrent-set")]
    assert sets[0] == {
        "speed-limit-down-enabled": True,
        "speed-limit-up-enabled": False,
        "speed-limit-down": wire,
    }
    # 1 B/s does not round down to "0 = stopped"; 0 is a real zero limit.
    assert sets[1] == {
        "ids": [H1],
        "downloadLimited": True,
        "uploadLimited": True,
        "downloadLimit": 1,
        "uploadLimit": 0,
    }
    assert stats.download_limit == wire * speed_bytes
    assert (stats.upload_limit, stats.download_speed, stats.upload_speed, stats.free_space) == (None, 10, 20, 123)


def test_old_servers_report_duplicates_as_an_error_text(mock: respx.MockRouter, tmp_path: Any) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=14))
    fake.replies["torrent-add"] = lambda a: {"result": "duplicate torrent"}
    made = make_test_torrent(tmp_path, "dup.bin")
    with _client() as client:
        added = client.add(made.content)
    assert (added.id, added.info_hash, added.duplicate) == (made.info_hash, made.info_hash, True)


def test_rpc_16_sets_the_label_after_adding(mock: respx.MockRouter, tmp_path: Any) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=16))
    made = make_test_torrent(tmp_path, "label.bin")
    fake.replies["torrent-add"] = lambda a: {"torrent-added": {"id": 3, "hashString": made.info_hash, "name": "x"}}
    with _client() as client:
        client.add(made.content, label="tv", destination="/d", paused=True)
    add, label = (c for c in fake.calls if c["method"] in ("torrent-add", "torrent-set"))
    assert "labels" not in add["arguments"]
    assert add["arguments"]["download-dir"] == "/d"
    assert add["arguments"]["paused"] is True
    assert label == {"method": "torrent-set", "arguments": {"ids": [made.info_hash], "labels": ["tv"]}}


def test_rpc_18_without_json_rpc_stays_legacy(mock: respx.MockRouter) -> None:
    """What Transmission 4.1.0-beta.2 does: rpc-version 18, JSON-RPC framing answered "no method name"."""
    fake = _serve(mock, FakeTransmission(rpc_version=18, jsonrpc=False))
    fake.replies["torrent-get"] = lambda a: {"torrents": []}
    with _client() as client:
        client.torrents()
    assert fake.methods() == ["session-get", "session_get", "torrent-get"]


# -- JSON-RPC 2.0 (Transmission 4.1+ per its specification) -------------------------------------


def _jsonrpc_server(mock: respx.MockRouter) -> FakeTransmission:
    """Two torrents; ``fake.gone`` lists the hashes removed from it since."""
    fake = _serve(mock, FakeTransmission(rpc_version=19, jsonrpc=True))

    def torrent_get(params: dict[str, Any]) -> dict[str, Any]:
        torrent = {"id": 1, "hash_string": H1, "name": "t", "status": 4, "percent_done": 0.5, "labels": ["tv"]}
        if params.get("ids") == "recently_active":
            return {"torrents": [torrent], "removed": [2]}
        other = {"id": 2, "hash_string": H2, "name": "u", "status": 0}
        return {"torrents": [t for t in (torrent, other) if t["hash_string"] not in fake.gone]}

    fake.replies["torrent_get"] = torrent_get
    return fake


def test_json_rpc_is_picked_when_the_server_speaks_it(mock: respx.MockRouter) -> None:
    fake = _jsonrpc_server(mock)
    with _client() as client:
        torrents = client.torrents()
        assert client.info().version == "9.9.9"
    assert [t.id for t in torrents] == [H1, H2]
    assert torrents[0].state is TorrentState.DOWNLOADING
    assert torrents[0].label == "tv"
    get = next(c for c in fake.calls if c.get("method") == "torrent_get")
    assert get["jsonrpc"] == "2.0"
    assert isinstance(get["id"], int)
    # snake_case names, untranslated; 4.1 has trackerList and sequential_download
    assert get["params"]["fields"] == [*TORRENT_FIELDS, "tracker_list", "labels", "sequential_download"]


def test_json_rpc_requests_use_snake_case_everywhere(mock: respx.MockRouter) -> None:
    fake = _jsonrpc_server(mock)
    with _client() as client:
        client.remove([H1], delete_data=True)
        client.set_limits(download=2000, upload=None)
        client.poll()
        fake.gone.add(H2)
        delta = client.poll()
    calls = {c["method"]: c for c in fake.calls if "jsonrpc" in c}
    assert calls["torrent_remove"]["params"] == {"ids": [H1], "delete_local_data": True}
    assert calls["session_set"]["params"] == {
        "speed_limit_down_enabled": True,
        "speed_limit_up_enabled": False,
        "speed_limit_down": 2,
    }
    gets = [c["params"] for c in fake.calls if c.get("method") == "torrent_get"]
    assert gets[-2]["ids"] == "recently_active"
    light = [
        "hash_string",
        "queue_position",
        "download_limit",
        "download_limited",
        "upload_limit",
        "upload_limited",
        "seed_ratio_limit",
        "seed_ratio_mode",
    ]
    # the light list, snake_case, as a table (no key repeated per torrent)
    assert gets[-1]["fields"] == [*light, "labels", "sequential_download"]
    assert gets[-1]["format"] == "table"
    assert delta.removed == [H2]


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (-32601, NotSupportedError),
        (-32602, InvalidInputError),
        (-32700, ProtocolError),
        (-32603, ServerError),
        (7, ServerError),
    ],
)
def test_json_rpc_errors_map_to_exceptions(mock: respx.MockRouter, code: int, error: type[Exception]) -> None:
    fake = _jsonrpc_server(mock)
    fake.replies["torrent_verify"] = lambda p: {
        "error": {"code": code, "message": "refused", "data": {"error_string": "details here"}}
    }
    with _client() as client, pytest.raises(error) as caught:
        client.recheck(H1)
    assert getattr(caught.value, "native_code", None) == code
    assert "refused - details here" in str(caught.value)


def test_dialect_can_be_forced_and_fails_clearly(mock: respx.MockRouter) -> None:
    _serve(mock, FakeTransmission(rpc_version=18, jsonrpc=False))
    with _client(dialect="jsonrpc") as client, pytest.raises(ProtocolError, match="JSON-RPC"):
        client.torrents()


def test_unknown_options_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="dialect"):
        _client(dialect="xml")


def test_the_async_client_does_the_same_dance(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission())
    fake.replies["torrent-get"] = lambda a: {"torrents": [_legacy_torrent(1, H1)]}

    async def run() -> list[str]:
        async with enunclic.connect_async(URL.replace("http", "transmission", 1), password=SECRET) as client:
            first = [t.id for t in await client.torrents()]
            fake.session_id = "id-9"
            return first + [t.id for t in await client.torrents()]

    assert asyncio.run(run()) == [H1, H1]
