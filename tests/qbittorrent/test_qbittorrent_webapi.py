"""The WebUI API layer against scripted replies (respx): login, re-login, ban, API key, dialects, deltas."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

import enunclic
from enunclic import (
    AuthenticationError,
    EndpointNotFoundError,
    InvalidInputError,
    NotSupportedError,
    ProtocolError,
    ServerError,
    SessionExpiredError,
    TorrentNotFoundError,
    TorrentState,
)
from enunclic.backends.qbittorrent.backend import QBittorrentBackend
from enunclic.plugin import AddedTorrent, AddOptions, BackendConfig, Capability, Wait
from enunclic.sources import parse_magnet
from enunclic.testing.torrents import make_multi_torrent, make_test_torrent

BASE = "http://127.0.0.1:8080"
H1 = "1" * 40
H2 = "2" * 40
SECRET = "s3cret-pass"
KEY = "qbt_0123456789abcdefKEY"

Handler = Callable[[httpx.Request], httpx.Response]


class FakeQBittorrent:
    """A scripted qBittorrent WebUI: SID login, 403 without a valid session, per-path replies."""

    def __init__(self, api: str | None = "2.8.19", app: str = "v4.5.2") -> None:
        self.api = api
        self.app = app
        self.valid_sid = "sid-1"
        self.logins = 0
        self.login_reply: Handler | None = None
        self.routes: dict[str, Handler] = {}
        self.seen: list[tuple[str, str, dict[str, list[str]]]] = []
        self.api_key: str | None = None
        self.queueing = True

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v2/")
        form = _form(request)
        self.seen.append((request.method, path, form))
        if path == "auth/login":
            self.logins += 1
            if self.login_reply is not None:
                return self.login_reply(request)
            if form.get("password") != [SECRET]:
                return httpx.Response(200, text="Fails.")
            return httpx.Response(200, text="Ok.", headers={"Set-Cookie": f"SID={self.valid_sid}; HttpOnly; path=/"})
        if self.api_key is not None:
            if request.headers.get("Authorization") != f"Bearer {self.api_key}":
                return httpx.Response(403, text="Forbidden")
        elif request.headers.get("Cookie") != f"SID={self.valid_sid}":
            return httpx.Response(403, text="Forbidden")
        if path == "app/webapiVersion":
            if self.api is None:  # qBittorrent < 4.1 has no WebUI API v2
                return httpx.Response(404, text="Not Found")
            return httpx.Response(200, text=self.api)
        if path == "app/version":
            return httpx.Response(200, text=self.app)
        if path == "app/preferences":
            return httpx.Response(200, json={"queueing_enabled": self.queueing, "dht": False})
        handler = self.routes.get(path)
        if handler is None:
            return httpx.Response(200, text="")
        return handler(request)

    def calls(self, path: str) -> list[dict[str, list[str]]]:
        return [form for _, p, form in self.seen if p == path]


def _form(request: httpx.Request) -> dict[str, list[str]]:
    request.read()
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return parse_qs(request.content.decode(), keep_blank_values=True)
    if content_type.startswith("multipart/form-data"):
        fields: dict[str, list[str]] = {}
        for part in request.content.split(b"--" + content_type.split("boundary=")[1].encode()):
            head, _, body = part.partition(b"\r\n\r\n")
            if b'name="' not in head:
                continue
            name = head.split(b'name="')[1].split(b'"')[0].decode()
            value = body.removesuffix(b"\r\n")
            fields.setdefault(name, []).append("<file>" if b"filename=" in head else value.decode())
        return fields
    return {k: [v] for k, v in request.url.params.items()}


@pytest.fixture
def fake() -> Iterator[FakeQBittorrent]:
    server = FakeQBittorrent()
    with respx.mock(assert_all_called=False) as router:
        router.route(host="127.0.0.1", port=8080).mock(side_effect=server)
        yield server


def _client(**options: Any) -> enunclic.Client:
    return enunclic.connect("qbittorrent://127.0.0.1:8080", username="admin", password=SECRET, **options)


def _torrent(info_hash: str, **fields: Any) -> dict[str, Any]:
    return {"hash": info_hash, "name": info_hash[:4], "state": "stalledUP", "progress": 1, **fields}


def test_login_sends_the_sid_cookie_and_never_leaks_it(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[_torrent(H1)])
    with _client() as client:
        assert [t.id for t in client.torrents()] == [H1]
        assert "sid-1" not in repr(client.backend.auth)
    assert fake.logins == 1
    assert fake.calls("auth/logout") == [{}]  # close() logs out


def test_fails_is_an_authentication_error(fake: FakeQBittorrent) -> None:
    with enunclic.connect("qbittorrent://admin:wrong-pass@127.0.0.1:8080") as client:
        with pytest.raises(AuthenticationError) as caught:
            client.torrents()
    assert caught.value.native_code == "Fails."
    assert "wrong-pass" not in str(caught.value) and "wrong-pass" not in repr(caught.value)


def test_an_expired_session_means_one_relogin_and_one_retry(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[])
    with _client() as client:
        client.torrents()
        fake.valid_sid = "sid-2"  # the server forgot our session
        before = client.requests_sent
        assert client.torrents() == []
        # 403, login, the retry (the versions are known already)
        assert client.requests_sent - before == 3
    assert fake.logins == 2


def test_a_session_that_dies_again_right_after_login_is_reported(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/info"] = lambda r: httpx.Response(403, text="Forbidden")
    with _client() as client, pytest.raises(SessionExpiredError):
        client.torrents()
    assert fake.logins == 2


def test_the_ban_is_a_clear_error_without_retries(fake: FakeQBittorrent) -> None:
    banned = "Your IP address has been banned after too many failed authentication attempts."
    fake.login_reply = lambda r: httpx.Response(403, text=banned)
    with _client() as client, pytest.raises(AuthenticationError, match="banned") as caught:
        client.torrents()
    assert caught.value.native_code == 403
    assert fake.logins == 1


def test_a_ban_met_on_a_normal_call_is_not_retried(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/info"] = lambda r: httpx.Response(403, text="Your IP address has been banned")
    with _client() as client, pytest.raises(AuthenticationError, match="banned"):
        client.torrents()
    assert fake.logins == 1


def test_a_foreign_referer_refusal_is_an_authentication_error(fake: FakeQBittorrent) -> None:
    fake.login_reply = lambda r: httpx.Response(401, text="Unauthorized")
    with _client() as client, pytest.raises(AuthenticationError) as caught:
        client.torrents()
    assert caught.value.native_code == 401


def test_api_key_login_uses_the_bearer_header(fake: FakeQBittorrent) -> None:
    fake.api_key = KEY
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[])
    with enunclic.connect("qbittorrent://127.0.0.1:8080", api_key=KEY) as client:
        assert client.torrents() == []
        assert KEY not in repr(client.backend.auth)
        assert KEY not in repr(client.backend.options)  # type: ignore[attr-defined]
    assert fake.logins == 0
    assert fake.calls("auth/logout") == []


def test_a_wrong_api_key_is_an_authentication_error_without_login(fake: FakeQBittorrent) -> None:
    fake.api_key = KEY
    with enunclic.connect("qbittorrent://127.0.0.1:8080", api_key="wrong") as client:
        with pytest.raises(AuthenticationError, match="API key") as caught:
            client.torrents()
    assert "wrong" not in str(caught.value)
    assert fake.logins == 0


def test_without_credentials_a_403_asks_for_them_without_a_login(fake: FakeQBittorrent) -> None:
    with enunclic.connect("qbittorrent://127.0.0.1:8080") as client:
        with pytest.raises(AuthenticationError, match="username and password") as caught:
            client.torrents()
    assert caught.value.native_code == 403
    assert fake.logins == 0
    assert fake.calls("auth/logout") == []


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AuthenticationError),
        (500, ServerError),
        (502, ServerError),
        (404, EndpointNotFoundError),
        (405, ProtocolError),
    ],
)
def test_http_statuses_of_non_torrent_endpoints_have_the_core_meaning(
    fake: FakeQBittorrent, status: int, error: type[Exception]
) -> None:
    fake.routes["torrents/delete"] = lambda r: httpx.Response(status, text="nope")
    with _client() as client, pytest.raises(error) as caught:
        client.remove(H1)
    assert caught.value.native_code == status  # type: ignore[attr-defined]
    assert not isinstance(caught.value, TorrentNotFoundError)


def test_an_html_page_instead_of_json_is_a_protocol_error(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, text="<!DOCTYPE html><html>login</html>")
    with _client() as client, pytest.raises(ProtocolError, match="HTML"):
        client.torrents()


def test_a_missing_webapi_is_an_endpoint_not_found(fake: FakeQBittorrent) -> None:
    fake.api = None
    with _client() as client, pytest.raises(EndpointNotFoundError, match="webapiVersion") as caught:
        client.torrents()
    assert caught.value.native_code == 404


def test_no_login_at_this_url_says_what_is_needed(fake: FakeQBittorrent) -> None:
    fake.login_reply = lambda r: httpx.Response(404, text="Not Found")
    with _client() as client, pytest.raises(EndpointNotFoundError, match="4.1 or newer"):
        client.torrents()


@pytest.mark.parametrize(("api", "pause", "resume"), [("2.8.19", "pause", "resume"), ("2.11.4", "stop", "start")])
def test_pause_and_resume_by_api_version(fake: FakeQBittorrent, api: str, pause: str, resume: str) -> None:
    fake.api = api
    with _client() as client:
        client.pause([H1, H2])
        client.resume(H1)
    assert fake.calls(f"torrents/{pause}") == [{"hashes": [f"{H1}|{H2}"]}]
    assert fake.calls(f"torrents/{resume}") == [{"hashes": [H1]}]


def test_unknown_hashes_on_torrent_endpoints_are_not_found(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/files"] = lambda r: httpx.Response(404, text="Not Found")
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[])
    with _client() as client:
        with pytest.raises(TorrentNotFoundError):
            client.files(H1)
        with pytest.raises(TorrentNotFoundError):
            client.torrent(H1)
        with pytest.raises(TorrentNotFoundError):
            client.torrent("not-a-hash")


def test_add_a_file_with_options_is_confirmed_in_the_list(fake: FakeQBittorrent, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "a.bin")
    fake.routes["torrents/add"] = lambda r: httpx.Response(200, text="Ok.")
    answers = iter([[], [], [_torrent(made.info_hash)]])
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=next(answers))
    with _client() as client:
        added = client.add(made.content, destination="/dl", paused=True, label="tv")
    assert (added.id, added.info_hash, added.duplicate) == (made.info_hash, made.info_hash, False)
    form = fake.calls("torrents/add")[0]
    assert form["torrents"] == ["<file>"]
    assert (form["savepath"], form["category"]) == (["/dl"], ["tv"])
    assert (form["paused"], form["stopped"]) == (["true"], ["true"])
    assert len(fake.calls("torrents/info")) == 3


def test_add_that_never_shows_up_is_a_server_error(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/add"] = lambda r: httpx.Response(200, text="Ok.")
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[])
    with _client(add_confirm_attempts=3) as client, pytest.raises(ServerError, match="did not appear"):
        client.add(f"magnet:?xt=urn:btih:{H1}")
    assert len(fake.calls("torrents/info")) == 3


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200, text="Fails."),
        httpx.Response(409, text="Torrent is already present"),
        httpx.Response(200, json={"added_torrent_ids": [], "failure_count": 1, "pending_count": 0, "success_count": 0}),
    ],
)
def test_a_duplicate_is_reported_not_raised(fake: FakeQBittorrent, reply: httpx.Response) -> None:
    fake.routes["torrents/add"] = lambda r: reply
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[_torrent(H1)])
    with _client() as client:
        added = client.add(f"magnet:?xt=urn:btih:{H1}&dn=x")
    assert (added.id, added.duplicate) == (H1, True)
    assert fake.calls("torrents/add")[0]["urls"] == [f"magnet:?xt=urn:btih:{H1}&dn=x"]


def test_a_refused_add_that_is_not_a_duplicate_raises(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/add"] = lambda r: httpx.Response(200, text="Fails.")
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[])
    with _client() as client, pytest.raises(ServerError, match="refused to add"):
        client.add(f"magnet:?xt=urn:btih:{H1}")


def test_a_new_style_json_add_reply_is_accepted(fake: FakeQBittorrent) -> None:
    body = {"added_torrent_ids": [H1], "failure_count": 0, "pending_count": 0, "success_count": 1}
    fake.routes["torrents/add"] = lambda r: httpx.Response(200, json=body)
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[_torrent(H1)])
    with _client() as client:
        assert client.add(f"magnet:?xt=urn:btih:{H1}").duplicate is False


def test_an_invalid_torrent_is_invalid_input(fake: FakeQBittorrent, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "bad.bin")
    fake.routes["torrents/add"] = lambda r: httpx.Response(415, text="Error: 'x' is not a valid torrent file.")
    with _client() as client, pytest.raises(InvalidInputError) as caught:
        client.add(made.content)
    assert caught.value.native_code == 415


def test_a_url_is_downloaded_so_that_the_id_is_known(fake: FakeQBittorrent, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "url.bin")
    fake.routes["torrents/add"] = lambda r: httpx.Response(200, text="Ok.")
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[_torrent(made.info_hash)])
    with respx.mock(assert_all_called=False) as router:
        router.get("http://127.0.0.1:9999/files/x.torrent").mock(return_value=httpx.Response(200, content=made.content))
        router.route(host="127.0.0.1", port=8080).mock(side_effect=fake)
        with _client() as client:
            added = client.add("http://127.0.0.1:9999/files/x.torrent")
    assert added.id == made.info_hash
    assert fake.calls("torrents/add")[0]["torrents"] == ["<file>"]


def test_labels_create_a_missing_category_then_set_it(fake: FakeQBittorrent) -> None:
    created: set[str] = set()

    def set_category(request: httpx.Request) -> httpx.Response:
        category = _form(request)["category"][0]
        if category and category not in created:
            return httpx.Response(409, text="Incorrect category name")
        return httpx.Response(200)

    def create(request: httpx.Request) -> httpx.Response:
        created.add(_form(request)["category"][0])
        return httpx.Response(200)

    fake.routes["torrents/setCategory"] = set_category
    fake.routes["torrents/createCategory"] = create
    with _client() as client:
        client.set_label([H1, H2], "films")
        client.set_label(H1, "films")
        client.set_label(H1, None)
    assert [c["category"] for c in fake.calls("torrents/setCategory")] == [["films"], ["films"], ["films"], [""]]
    assert fake.calls("torrents/createCategory") == [{"category": ["films"], "savePath": [""]}]


@pytest.mark.parametrize(("priority", "native"), [("skip", "0"), ("low", "1"), ("normal", "1"), ("high", "6")])
def test_file_priorities_on_the_wire(fake: FakeQBittorrent, priority: str, native: str) -> None:
    with _client() as client:
        client.set_file_priority(H1, [0, 2], priority)
    assert fake.calls("torrents/filePrio") == [{"hash": [H1], "id": ["0|2"], "priority": [native]}]


def test_limits_are_bytes_per_second_and_zero_is_refused(fake: FakeQBittorrent) -> None:
    with _client() as client:
        client.set_torrent_limits([H1, H2], download=2_048_000, upload=None)
        client.set_limits(download=None, upload=512_000)
        before = client.requests_sent
        with pytest.raises(InvalidInputError, match="0 B/s"):
            client.set_limits(download=0)
        assert client.requests_sent == before
    assert fake.calls("torrents/setDownloadLimit") == [{"hashes": [f"{H1}|{H2}"], "limit": ["2048000"]}]
    assert fake.calls("torrents/setUploadLimit") == [{"hashes": [f"{H1}|{H2}"], "limit": ["0"]}]
    assert fake.calls("transfer/setDownloadLimit") == [{"limit": ["0"]}]
    assert fake.calls("transfer/setUploadLimit") == [{"limit": ["512000"]}]


def test_only_the_limit_directions_that_change_are_sent(fake: FakeQBittorrent) -> None:
    with _client() as client:
        client.set_torrent_limits([H1, H2], upload=4096)
        client.set_torrent_limits(H1, download=None)
        client.set_limits(download=1_024_000)
        client.set_limits(upload=None)
    assert fake.calls("torrents/setUploadLimit") == [{"hashes": [f"{H1}|{H2}"], "limit": ["4096"]}]
    assert fake.calls("torrents/setDownloadLimit") == [{"hashes": [H1], "limit": ["0"]}]
    assert fake.calls("transfer/setDownloadLimit") == [{"limit": ["1024000"]}]
    assert fake.calls("transfer/setUploadLimit") == [{"limit": ["0"]}]


def test_a_limit_in_a_partial_maindata_update_is_a_changed_field(fake: FakeQBittorrent) -> None:
    replies = iter(
        [
            {"rid": 1, "full_update": True, "torrents": {H1: _torrent(H1, dl_limit=0, up_limit=0)}},
            {"rid": 2, "torrents": {H1: {"up_limit": 2048}}},  # what 4.5 and 5.1 send after setUploadLimit
        ]
    )
    fake.routes["sync/maindata"] = lambda r: httpx.Response(200, json=next(replies))
    with _client() as client:
        client.poll()
        delta = client.poll()
    assert delta.changed_fields == {H1: frozenset({"upload_limit"})}
    assert (delta.changed[0].download_limit, delta.changed[0].upload_limit) == (None, 2048)


def test_queue_moves_and_their_conflicts(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/topPrio"] = lambda r: httpx.Response(409, text="Torrent queueing must be enabled")
    with _client() as client:
        client.queue_move([H1, H2], "bottom")
        with pytest.raises(NotSupportedError, match="queueing"):
            client.queue_move(H1, "top")
    assert fake.calls("torrents/bottomPrio") == [{"hashes": [f"{H1}|{H2}"]}]


def test_queueing_off_narrows_the_capabilities_before_the_first_call(fake: FakeQBittorrent) -> None:
    fake.queueing = False
    with _client() as client:
        assert Capability.QUEUE in client.capabilities()  # not asked yet
        with pytest.raises(NotSupportedError, match="queue"):
            client.queue_move(H1, "top")
        assert Capability.QUEUE not in client.capabilities()
        assert Capability.QUEUE not in client.info().capabilities
    assert fake.calls("torrents/topPrio") == []


def test_a_torrent_rechecked_moments_ago_is_not_rechecked_again(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[_torrent(H1)])
    now = [100.0]
    with _client() as client:
        client.backend.state.clock = lambda: now[0]  # type: ignore[attr-defined]
        client.recheck(H1)
        now[0] += 2.9
        client.recheck(H1)  # the list may not show the check yet
        now[0] += 0.2
        client.recheck(H1)
    assert fake.calls("torrents/recheck") == [{"hashes": [H1]}, {"hashes": [H1]}]


def test_add_looks_for_the_torrent_again_after_a_pause() -> None:
    """The flow itself, step by step: list, Wait, list, without a server."""
    backend = QBittorrentBackend(BackendConfig(url=BASE))
    flow = backend.add(parse_magnet(f"magnet:?xt=urn:btih:{H1}"), AddOptions())
    assert flow.send(None).url.path == "/api/v2/torrents/add"  # type: ignore[union-attr]
    assert flow.send(httpx.Response(200, text="Ok.")).url.path == "/api/v2/torrents/info"  # type: ignore[union-attr]
    assert flow.send(httpx.Response(200, json=[])) == Wait(0.25)
    assert flow.send(None).url.params["hashes"] == H1  # type: ignore[union-attr]
    with pytest.raises(StopIteration) as finished:
        flow.send(httpx.Response(200, json=[_torrent(H1)]))
    assert finished.value.value == AddedTorrent(id=H1, info_hash=H1)


def test_recheck_skips_torrents_that_are_loading(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/info"] = lambda r: httpx.Response(
        200, json=[_torrent(H1, state="checkingResumeData"), _torrent(H2, state="stalledUP")]
    )
    with _client() as client:
        client.recheck([H1, H2])
        client.recheck(H1)
    assert fake.calls("torrents/recheck") == [{"hashes": [H2]}]


def test_poll_merges_maindata_deltas_into_full_torrents(fake: FakeQBittorrent) -> None:
    replies = iter(
        [
            {"rid": 1, "full_update": True, "torrents": {H1: _torrent(H1), H2: _torrent(H2)}, "server_state": {}},
            {"rid": 2, "torrents": {H1: {"state": "pausedUP"}}, "torrents_removed": [H2]},
            {"rid": 3},
            {"rid": 1, "full_update": True, "torrents": {H1: _torrent(H1, state="uploading")}},
        ]
    )
    fake.routes["sync/maindata"] = lambda r: httpx.Response(200, json=next(replies))
    with _client() as client:
        first = client.poll()
        second = client.poll()
        third = client.poll()
        fourth = client.poll()
    assert {t.id for t in first.added} == {H1, H2}
    assert [t.id for t in second.changed] == [H1]
    assert second.changed[0].state is TorrentState.COMPLETED
    assert second.changed[0].name == H1[:4]  # the rest of the object was kept
    assert second.changed_fields[H1] == frozenset({"state", "native_state"})
    assert second.removed == [H2]
    assert third.empty
    assert fourth.changed_fields[H1] == frozenset({"state", "native_state"})
    assert [f["rid"] for f in fake.calls("sync/maindata")] == [["0"], ["1"], ["2"], ["3"]]


def test_stats_come_from_the_server_state_without_losing_poll_changes(fake: FakeQBittorrent) -> None:
    state = {"dl_info_speed": 10, "up_info_speed": 20, "dl_rate_limit": 1024000, "up_rate_limit": 0}
    replies = iter(
        [
            {"rid": 1, "full_update": True, "torrents": {H1: _torrent(H1)}, "server_state": state},
            {"rid": 2, "torrents": {H1: {"dlspeed": 99}}, "server_state": {"free_space_on_disk": 5}},
            {"rid": 3},
        ]
    )
    fake.routes["sync/maindata"] = lambda r: httpx.Response(200, json=next(replies))
    with _client() as client:
        client.poll()
        stats = client.stats()
        delta = client.poll()
    assert (stats.download_speed, stats.upload_speed, stats.free_space) == (10, 20, 5)
    assert (stats.download_limit, stats.upload_limit) == (1_024_000, None)
    assert delta.changed_fields[H1] == frozenset({"download_speed"})


@pytest.mark.parametrize(
    "reply",
    [{"rid": "1"}, {"rid": 1, "torrents": [1]}, {"rid": 1, "torrents": {H1: "x"}}, ["rid"]],
)
def test_malformed_maindata_is_a_protocol_error(fake: FakeQBittorrent, reply: Any) -> None:
    fake.routes["sync/maindata"] = lambda r: httpx.Response(200, content=json.dumps(reply).encode())
    with _client() as client, pytest.raises(ProtocolError):
        client.poll()


def test_unknown_options_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="apikey"):
        _client(apikey="x")


def test_the_async_client_relogs_in_too(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[_torrent(H1)])

    async def run() -> list[str]:
        async with enunclic.connect_async("qbittorrent://127.0.0.1:8080", username="admin", password=SECRET) as c:
            first = [t.id for t in await c.torrents()]
            fake.valid_sid = "sid-3"
            return first + [t.id for t in await c.torrents()]

    assert asyncio.run(run()) == [H1, H1]
    assert fake.logins == 2


@pytest.mark.parametrize(("api", "pause", "resume"), [("2.8.19", "pause", "resume"), ("2.11.4", "stop", "start")])
def test_pause_all_and_resume_all_are_one_request_each(
    fake: FakeQBittorrent, api: str, pause: str, resume: str
) -> None:
    fake.api = api
    with _client() as client:
        client.pause_all()
        client.resume_all()
    assert fake.calls(f"torrents/{pause}") == [{"hashes": ["all"]}]
    assert fake.calls(f"torrents/{resume}") == [{"hashes": ["all"]}]
    assert fake.calls("torrents/info") == []


def test_labels_are_every_category(fake: FakeQBittorrent) -> None:
    fake.routes["torrents/categories"] = lambda r: httpx.Response(
        200, json={"tv": {"name": "tv", "savePath": ""}, "films": {"name": "films", "savePath": "/f"}}
    )
    with _client() as client:
        assert client.labels() == ["films", "tv"]
    fake.routes["torrents/categories"] = lambda r: httpx.Response(200, json=["tv"])
    with _client() as client, pytest.raises(ProtocolError, match="categories"):
        client.labels()


def test_force_start(fake: FakeQBittorrent) -> None:
    with _client() as client:
        client.force_start([H1, H2])
    assert fake.calls("torrents/setForceStart") == [{"hashes": [f"{H1}|{H2}"], "value": ["true"]}]


def _listing(torrents: list[dict[str, Any]]) -> Handler:
    """torrents/info that answers only the hashes asked for."""

    def reply(request: httpx.Request) -> httpx.Response:
        asked = set(request.url.params.get("hashes", "").split("|"))
        return httpx.Response(200, json=[t for t in torrents if t["hash"] in asked])

    return reply


@pytest.mark.parametrize(
    ("operation", "field", "toggle"),
    [
        ("set_sequential", "seq_dl", "torrents/toggleSequentialDownload"),
        ("set_first_last_piece", "f_l_piece_prio", "torrents/toggleFirstLastPiecePrio"),
    ],
)
def test_toggles_flip_only_the_torrents_that_differ(
    fake: FakeQBittorrent, operation: str, field: str, toggle: str
) -> None:
    listed = [_torrent(H1, **{field: True}), _torrent(H2, **{field: False}), _torrent("3" * 40)]
    fake.routes["torrents/info"] = _listing(listed)
    with _client() as client:
        getattr(client, operation)([H1, H2, "3" * 40], True)
        getattr(client, operation)([H1], False)
        getattr(client, operation)([H2], False)  # already off: no toggle
    assert fake.calls("torrents/info")[0] == {"hashes": [f"{H1}|{H2}|{'3' * 40}"]}
    assert fake.calls(toggle) == [{"hashes": [H2]}, {"hashes": [H1]}]  # the third has no flag: left alone


def test_ratio_limit_keeps_each_torrents_seeding_time_limits(fake: FakeQBittorrent) -> None:
    listed = [
        _torrent(H1, seeding_time_limit=90, inactive_seeding_time_limit=-2),
        _torrent(H2, seeding_time_limit=-2),  # 4.5: no inactive limit in the list
    ]
    fake.routes["torrents/info"] = _listing(listed)
    with _client() as client:
        client.set_ratio_limit([H1, H2], 1.5)
        client.set_ratio_limit(H2, None)
    fields = ("hashes", "ratioLimit", "seedingTimeLimit", "inactiveSeedingTimeLimit")
    sent = [tuple(call[f][0] for f in fields) for call in fake.calls("torrents/setShareLimits")]
    assert sent == [(H1, "1.5", "90", "-2"), (H2, "1.5", "-2", "-2"), (H2, "-2", "-2", "-2")]


@pytest.mark.parametrize(
    ("mode", "enabled", "toggles"), [("0", True, 1), ("1", True, 0), ("1", False, 1), ("0", False, 0)]
)
def test_alt_speed_reads_the_mode_before_toggling(
    fake: FakeQBittorrent, mode: str, enabled: bool, toggles: int
) -> None:
    fake.routes["transfer/speedLimitsMode"] = lambda r: httpx.Response(200, text=mode)
    with _client() as client:
        client.set_alt_speed(enabled)
    assert len(fake.calls("transfer/toggleSpeedLimitsMode")) == toggles


def test_an_unknown_speed_limits_mode_is_a_protocol_error(fake: FakeQBittorrent) -> None:
    fake.routes["transfer/speedLimitsMode"] = lambda r: httpx.Response(200, text="2")
    with _client() as client, pytest.raises(ProtocolError, match="speedLimitsMode"):
        client.set_alt_speed(True)
    assert fake.calls("transfer/toggleSpeedLimitsMode") == []


@pytest.mark.parametrize(("native", "expected"), [(True, True), (False, False), (None, None)])
def test_stats_report_the_alt_speed_mode(fake: FakeQBittorrent, native: bool | None, expected: bool | None) -> None:
    state = {"dl_info_speed": 1, "up_info_speed": 2, "use_alt_speed_limits": native}
    fake.routes["sync/maindata"] = lambda r: httpx.Response(
        200, json={"rid": 1, "full_update": True, "server_state": state}
    )
    with _client() as client:
        assert client.stats().alt_speed is expected


def test_add_options_on_the_wire(fake: FakeQBittorrent, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path, "a.bin")
    fake.routes["torrents/add"] = lambda r: httpx.Response(200, text="Ok.")
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[_torrent(made.info_hash)])
    with _client() as client:
        client.add(made.content, skip_check=True, rename="other", download_limit=2048, upload_limit=1024)
    form = fake.calls("torrents/add")[0]
    assert (form["skip_checking"], form["seedMode"], form["rename"]) == (["true"], ["true"], ["other"])
    assert (form["dlLimit"], form["upLimit"], form["paused"]) == (["2048"], ["1024"], ["false"])
    assert fake.calls("torrents/filePrio") == []


@pytest.mark.parametrize(("paused", "starts"), [(False, 1), (True, 0)])
def test_file_selection_adds_stopped_then_skips_the_others(
    fake: FakeQBittorrent, tmp_path: Path, paused: bool, starts: int
) -> None:
    made = make_multi_torrent(tmp_path, "multi")
    fake.routes["torrents/add"] = lambda r: httpx.Response(200, text="Ok.")
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[_torrent(made.info_hash)])
    with _client() as client:
        client.add(made.content, wanted_files=[2, 0], paused=paused)
    assert fake.calls("torrents/add")[0]["paused"] == ["true"]
    assert fake.calls("torrents/filePrio") == [{"hash": [made.info_hash], "id": ["1"], "priority": ["0"]}]
    assert fake.calls("torrents/resume") == [{"hashes": [made.info_hash]}] * starts


def test_file_selection_is_not_applied_to_a_duplicate(fake: FakeQBittorrent, tmp_path: Path) -> None:
    made = make_multi_torrent(tmp_path, "multi")
    fake.routes["torrents/add"] = lambda r: httpx.Response(200, text="Fails.")
    fake.routes["torrents/info"] = lambda r: httpx.Response(200, json=[_torrent(made.info_hash)])
    with _client() as client:
        assert client.add(made.content, wanted_files=[0]).duplicate
    assert fake.calls("torrents/filePrio") == []
