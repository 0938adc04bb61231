"""The µTorrent backend's own behaviour: the token session, errors, secrets, the native delta, add and limits."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

import enunclic
from enunclic.plugin import (
    AuthenticationError,
    InvalidInputError,
    PartialFailureError,
    ProtocolError,
    ServerError,
    TorrentNotFoundError,
    TorrentState,
)
from enunclic.testing.torrents import make_test_torrent

from .conftest import URL
from .fake import FakeUTorrent


def wrapped(server: FakeUTorrent, answer: Callable[[httpx.Request], httpx.Response | None]) -> httpx.MockTransport:
    """The fake, except where ``answer`` returns a response of its own."""
    return httpx.MockTransport(lambda request: answer(request) or server.handle(request))


def add(client: enunclic.Client, server: FakeUTorrent, name: str, **options: object) -> str:
    return client.add(make_test_torrent(server.root, name).content, **options).id  # type: ignore[arg-type]


def _settings_sent(request: httpx.Request) -> list[str]:
    """The names of the settings or properties a setsetting/setprops request carries."""
    return [value for name, value in request.url.params.multi_items() if name == "s"]


class TestUrl:
    def test_port_8080_and_path_gui_by_default(self, server: FakeUTorrent) -> None:
        with enunclic.connect("utorrent://admin:secret@127.0.0.1", transport=server.transport()) as client:
            assert client.backend.config.url == "http://127.0.0.1:8080/gui/"
            assert client.torrents() == []

    def test_gui_without_its_slash_still_reaches_the_api(self, server: FakeUTorrent) -> None:
        with enunclic.connect("utorrent://admin:secret@127.0.0.1:8080/gui", transport=server.transport()) as client:
            assert client.torrents() == []

    def test_an_unknown_option_is_refused(self) -> None:
        with pytest.raises(InvalidInputError, match="bad option"):
            enunclic.connect(URL + "?colour=red")


class TestSession:
    def test_one_token_serves_every_call_with_basic_auth_and_the_guid_cookie(
        self, server: FakeUTorrent, client: enunclic.Client
    ) -> None:
        client.torrents()
        client.torrents()
        assert server.token_fetches == 1
        token_page, *calls = server.requests
        assert token_page.url.path == "/gui/token.html"
        assert "cookie" not in token_page.headers
        for call in calls:
            assert call.url.params.multi_items()[0][0] == "token"
            assert call.headers["cookie"].startswith("GUID=")
            assert call.headers["authorization"].startswith("Basic ")

    def test_a_stale_token_is_fetched_again_once_and_the_call_resent(
        self, server: FakeUTorrent, client: enunclic.Client
    ) -> None:
        add(client, server, "a.bin")
        server.expire_tokens()
        assert [t.name for t in client.torrents()] == ["a.bin"]
        assert server.token_fetches == 2

    def test_a_request_refused_even_with_a_fresh_token_is_a_protocol_error(self, server: FakeUTorrent) -> None:
        def refuse_lists(request: httpx.Request) -> httpx.Response | None:
            return httpx.Response(400, text="invalid request") if "list" in request.url.params else None

        with enunclic.connect(URL, transport=wrapped(server, refuse_lists)) as client:
            with pytest.raises(ProtocolError) as caught:
                client.torrents()
        assert caught.value.native_code == 400
        assert server.token_fetches == 2

    def test_a_wrong_password_is_an_authentication_error_that_names_no_secret(self, server: FakeUTorrent) -> None:
        with enunclic.connect(URL.replace("secret", "wrong-pass"), transport=server.transport()) as client:
            with pytest.raises(AuthenticationError) as caught:
                client.torrents()
            shown = f"{caught.value} {caught.value!r} {client.backend.auth!r}"
        assert caught.value.native_code == 401
        assert "wrong-pass" not in shown
        assert server.token_fetches == 0

    def test_no_credentials_sends_the_default_admin_account(self, server: FakeUTorrent) -> None:
        server.password = ""
        with enunclic.connect("utorrent://127.0.0.1", transport=server.transport()) as client:
            assert client.torrents() == []

    def test_a_proxy_login_page_instead_of_the_token_is_an_authentication_error(self, server: FakeUTorrent) -> None:
        def portal(request: httpx.Request) -> httpx.Response | None:
            page = "<html><form><input type='password' name='pw'></form></html>"
            return httpx.Response(200, text=page) if request.url.path.endswith("token.html") else None

        with enunclic.connect(URL, transport=wrapped(server, portal)) as client, pytest.raises(AuthenticationError):
            client.torrents()

    @pytest.mark.parametrize("page", ["<html><body>It works!</body></html>", "<html><div id='x'></div></html>"])
    def test_html_where_the_api_should_be_is_a_protocol_error(self, server: FakeUTorrent, page: str) -> None:
        def html(request: httpx.Request) -> httpx.Response | None:
            return httpx.Response(200, text=page)

        with enunclic.connect(URL, transport=wrapped(server, html)) as client, pytest.raises(ProtocolError):
            client.torrents()

    def test_the_token_and_the_password_stay_out_of_logs_reprs_and_errors(
        self, server: FakeUTorrent, client: enunclic.Client, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        add(client, server, "a.bin")
        with pytest.raises(TorrentNotFoundError) as caught:
            client.trackers("00" * 20)
        (token,) = server.tokens
        shown = f"{caplog.text} {client!r} {client.backend.auth!r} {client.backend.config!r} {caught.value!r}"
        assert "token=" in caplog.text  # the query is logged, its value masked
        for secret in (token, "secret", server._basic().split()[1]):
            assert secret not in shown


class TestErrors:
    def test_a_magnet_without_a_v1_hash_is_refused_before_any_request(self, client: enunclic.Client) -> None:
        client.torrents()
        before = client.requests_sent
        with pytest.raises(InvalidInputError, match="v1"):
            client.add("magnet:?xt=urn:btmh:1220" + "cd" * 32)
        assert client.requests_sent == before

    def test_an_error_in_a_reply_raises_its_class(self, server: FakeUTorrent) -> None:
        def refuse(request: httpx.Request) -> httpx.Response | None:
            if request.url.params.get("action") == "add-file":
                return httpx.Response(200, json={"build": 1, "error": "Can't add torrent: disk full"})
            return None

        with enunclic.connect(URL, transport=wrapped(server, refuse)) as other, pytest.raises(ServerError) as caught:
            add(other, server, "a.bin")
        assert "disk full" in str(caught.value)

    def test_a_reply_that_is_not_json_is_a_protocol_error(self, server: FakeUTorrent) -> None:
        def garbage(request: httpx.Request) -> httpx.Response | None:
            return httpx.Response(200, text="\r\n") if "list" in request.url.params else None

        with enunclic.connect(URL, transport=wrapped(server, garbage)) as client, pytest.raises(ProtocolError):
            client.torrents()

    def test_ids_that_are_no_info_hash_fail_without_a_request(self, client: enunclic.Client) -> None:
        client.torrents()
        before = client.requests_sent
        with pytest.raises(TorrentNotFoundError):
            client.pause("not-a-hash")
        assert client.requests_sent == before

    def test_a_bulk_call_with_one_bad_id_does_the_others(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        good = add(client, server, "a.bin")
        with pytest.raises(PartialFailureError) as caught:
            client.pause([good, "bad"])
        assert set(caught.value.failures) == {"bad"}
        assert client.torrent(good).state is TorrentState.COMPLETED

    def test_files_and_trackers_of_an_unknown_hash_are_not_found(self, client: enunclic.Client) -> None:
        with pytest.raises(TorrentNotFoundError):
            client.files("ab" * 20)
        with pytest.raises(TorrentNotFoundError):
            client.trackers("ab" * 20)


class TestNativeDelta:
    def test_polls_ask_for_changes_since_the_last_cache_id(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        kept, gone = add(client, server, "a.bin"), add(client, server, "b.bin")
        first = client.poll()
        assert {t.id for t in first.added} == {kept, gone}
        client.pause(kept)
        client.remove(gone)
        second = client.poll()
        lists = [r for r in server.requests if r.url.params.get("list") == "1"]
        assert "cid" not in lists[-2].url.params and lists[-1].url.params["cid"]
        assert [t.id for t in second.changed] == [kept]
        assert second.changed_fields[kept] == {"state", "native_state"}
        assert second.removed == [gone]
        assert client.poll().empty

    def test_a_cache_id_the_server_forgot_gives_the_whole_list(
        self, server: FakeUTorrent, client: enunclic.Client
    ) -> None:
        kept = add(client, server, "a.bin")
        client.poll()
        server._snapshots.clear()  # a µTorrent restart forgets every cache id
        assert client.poll().empty
        assert [t.id for t in client.torrents()] == [kept]


class TestAdd:
    def test_paused_with_a_label(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        torrent = client.torrent(add(client, server, "a.bin", paused=True, label="tv"))
        assert (torrent.state, torrent.label) == (TorrentState.COMPLETED, "tv")
        client.set_label(torrent.id, None)
        assert client.torrent(torrent.id).label is None

    def test_a_second_add_is_a_duplicate(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        made = make_test_torrent(server.root, "a.bin")
        assert client.add(made.content).duplicate is False
        again = client.add(made.content)
        assert (again.id, again.duplicate) == (made.info_hash, True)

    def test_a_magnet_waits_for_its_metadata(self, client: enunclic.Client) -> None:
        added = client.add("magnet:?xt=urn:btih:" + "AB" * 20)
        torrent = client.torrent(added.id)
        assert (added.id, torrent.state, torrent.queue_position) == ("ab" * 20, TorrentState.METADATA, 0)
        assert client.files(added.id) == []

    def test_a_url_is_downloaded_here_and_uploaded(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        made = make_test_torrent(server.root, "a.bin")
        server.web["http://tracker.test/a.torrent"] = made.content
        assert client.add("http://tracker.test/a.torrent").id == made.info_hash
        (download,) = server.web_requests
        assert "authorization" not in download.headers and "cookie" not in download.headers
        assert not any("token=" in str(r.url) for r in server.web_requests)
        assert client.torrent(made.info_hash).name == "a.bin"

    def test_a_destination_under_a_download_folder(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        made = make_test_torrent(server.root / "tv", "a.bin")
        client.add(made.content, destination=str(server.root / "tv"))
        upload = next(r for r in server.requests if r.url.params.get("action") == "add-file")
        assert (upload.url.params["download_dir"], upload.url.params["path"]) == ("0", "tv")
        assert client.torrent(made.info_hash).destination == str(server.root / "tv")

    def test_a_destination_elsewhere_is_refused_before_the_upload(
        self, server: FakeUTorrent, client: enunclic.Client
    ) -> None:
        with pytest.raises(InvalidInputError, match="download folders"):
            add(client, server, "a.bin", destination="/elsewhere")
        assert not server.jobs


class TestLimitsAndFiles:
    def test_global_limits_are_whole_kib_per_second(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        client.set_limits(download=1_024_000, upload=1500)
        assert (server.settings["max_dl_rate"], server.settings["max_ul_rate"]) == (1000, 1)
        stats = client.stats()
        assert (stats.download_limit, stats.upload_limit, stats.free_space) == (1_024_000, 1024, None)
        with pytest.raises(InvalidInputError, match="0 B/s"):
            client.set_limits(download=0)

    def test_torrent_limits_are_bytes_per_second(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        ids = [add(client, server, "a.bin"), add(client, server, "b.bin")]
        client.set_torrent_limits(ids, download=2048, upload=None)
        assert [(job.dlrate, job.ulrate) for job in server.jobs.values()] == [(2048, 0), (2048, 0)]

    def test_global_limits_left_out_are_kept(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        client.set_limits(download=1_024_000, upload=2048)
        client.set_limits(upload=None)
        assert _settings_sent(server.requests[-1]) == ["max_ul_rate"]
        client.set_limits(download=4096)
        assert _settings_sent(server.requests[-1]) == ["max_dl_rate"]
        stats = client.stats()
        assert (stats.download_limit, stats.upload_limit) == (4096, None)

    def test_torrent_limits_left_out_are_kept_and_not_listed(
        self, server: FakeUTorrent, client: enunclic.Client
    ) -> None:
        ids = [add(client, server, "a.bin"), add(client, server, "b.bin")]
        client.set_torrent_limits(ids, download=2048, upload=4096)
        client.set_torrent_limits(ids[0], upload=None)
        assert _settings_sent(server.requests[-1]) == ["ulrate"]
        assert [(job.dlrate, job.ulrate) for job in server.jobs.values()] == [(2048, 0), (2048, 4096)]
        # The list carries no per-torrent limits (getprops does, one torrent per call): unknown, not "none".
        assert [(t.download_limit, t.upload_limit) for t in client.torrents()] == [(None, None)] * 2

    def test_file_priorities_round_trip(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        torrent_id = add(client, server, "a.bin")
        for priority in ("low", "normal", "high", "skip"):
            client.set_file_priority(torrent_id, [0], priority)  # type: ignore[arg-type]
            assert client.files(torrent_id)[0].priority == priority

    def test_queue_moves_send_the_queue_actions(self, server: FakeUTorrent, client: enunclic.Client) -> None:
        first = client.add("magnet:?xt=urn:btih:" + "11" * 20).id
        second = client.add("magnet:?xt=urn:btih:" + "22" * 20).id
        client.queue_move(second, "top")
        assert [client.torrent(i).queue_position for i in (second, first)] == [0, 1]
        client.queue_move(second, "bottom")
        assert [client.torrent(i).queue_position for i in (first, second)] == [0, 1]

    def test_info_reports_the_build(self, client: enunclic.Client) -> None:
        info = client.info()
        assert (info.backend, info.version) == ("utorrent", "46906")
