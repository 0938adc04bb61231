"""The Example backend's own behaviour: its session, its tables, its server-version capability."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import enunclic
from enunclic.plugin import (
    AuthenticationError,
    Capability,
    InvalidInputError,
    NotSupportedError,
    PartialFailureError,
    ProtocolError,
    ServerError,
    TorrentNotFoundError,
    TorrentState,
)
from enunclic.testing.torrents import make_test_torrent
from enunclic_example.codes import ERRORS, error_for
from enunclic_example.mapping import STATES, to_torrent
from enunclic_example.server import ExampleServer

URL = "example://admin:secret@127.0.0.1"
HASH = "ab" * 20


class Fixtures:
    @pytest.fixture
    def server(self, tmp_path: Path) -> ExampleServer:
        return ExampleServer(tmp_path / "data")

    @pytest.fixture
    def client(self, server: ExampleServer) -> Iterator[enunclic.Client]:
        with enunclic.connect(URL, transport=server.transport()) as client:
            yield client


class TestSession(Fixtures):
    def test_the_session_cookie_is_carried_to_later_requests(
        self, server: ExampleServer, client: enunclic.Client
    ) -> None:
        client.torrents()
        client.torrents()
        assert server.logins == 1
        login, *calls = server.requests
        assert login.url.path == "/api/login"
        assert calls
        assert all(r.headers.get("cookie", "").startswith("session=") for r in calls)

    def test_a_lost_session_is_renewed_once_and_the_call_resent(
        self, server: ExampleServer, client: enunclic.Client
    ) -> None:
        client.torrents()
        server.expire_sessions()
        assert client.torrents() == []
        assert server.logins == 2

    def test_concurrent_calls_log_in_once(self, server: ExampleServer) -> None:
        async def main() -> None:
            async with enunclic.connect_async(URL, transport=server.transport()) as client:
                await asyncio.gather(*(client.torrents() for _ in range(5)))

        asyncio.run(main())
        assert server.logins == 1

    def test_a_wrong_password_is_an_authentication_error_without_the_password(self, server: ExampleServer) -> None:
        client = enunclic.connect("example://admin:wrong-pass@127.0.0.1", transport=server.transport())
        with client, pytest.raises(AuthenticationError) as caught:
            client.torrents()
        assert caught.value.native_code == 401
        assert "wrong-pass" not in f"{caught.value} {caught.value!r} {client.backend.auth!r}"

    def test_close_logs_out(self, server: ExampleServer) -> None:
        with enunclic.connect(URL, transport=server.transport()) as client:
            client.torrents()
        assert server.requests[-1].url.path == "/api/logout"
        assert not server.sessions

    def test_an_unknown_option_is_refused(self) -> None:
        with pytest.raises(InvalidInputError, match="colour"):
            enunclic.connect(URL, colour="blue")


class TestCapabilitiesOfTheServerVersion(Fixtures):
    def test_a_current_server_has_labels(self, client: enunclic.Client) -> None:
        assert Capability.LABELS in client.info().capabilities

    def test_an_old_server_has_none_and_they_are_refused_before_any_request(self, server: ExampleServer) -> None:
        server.version = "1.4.2"
        with enunclic.connect(URL, transport=server.transport()) as client:
            client.torrents()  # the first operation runs discovery
            assert Capability.LABELS not in client.capabilities()
            sent = client.requests_sent
            with pytest.raises(NotSupportedError):
                client.set_label(HASH, "movies")
            with pytest.raises(NotSupportedError):
                client.add(f"magnet:?xt=urn:btih:{HASH}", label="movies")
            assert client.requests_sent == sent
            assert client.info().version == "1.4.2"


class TestOperations(Fixtures):
    def test_a_bulk_call_reports_the_ids_it_failed_for(self, server: ExampleServer, client: enunclic.Client) -> None:
        made = make_test_torrent(server.root, "one.bin")
        added = client.add(made.content)
        with pytest.raises(PartialFailureError) as caught:
            client.pause([added.id, "cd" * 20, "not-a-hash"])
        assert set(caught.value.failures) == {"cd" * 20, "not-a-hash"}
        assert all(isinstance(e, TorrentNotFoundError) for e in caught.value.failures.values())
        assert client.torrent(added.id).state is TorrentState.COMPLETED

    def test_one_missing_id_is_not_found(self, client: enunclic.Client) -> None:
        with pytest.raises(TorrentNotFoundError):
            client.resume("cd" * 20)

    def test_add_url_is_fetched_by_the_server(self, server: ExampleServer, client: enunclic.Client) -> None:
        made = make_test_torrent(server.root, "from-url.bin")
        server.web["https://tracker.example/a.torrent"] = made.content
        assert client.add("https://tracker.example/a.torrent").info_hash == made.info_hash
        with pytest.raises(InvalidInputError):
            client.add("https://tracker.example/missing.torrent")

    def test_files(self, server: ExampleServer, client: enunclic.Client) -> None:
        made = make_test_torrent(server.root, "files.bin", size=4096)
        added = client.add(made.content)
        [file] = client.files(added.id)
        assert (file.path, file.size, file.progress) == ("files.bin", 4096, 1.0)


class TestMapping:
    @pytest.mark.parametrize(("status", "state"), STATES.items())
    def test_each_status(self, status: str, state: TorrentState) -> None:
        torrent = to_torrent({"hash": HASH, "status": status, "percent": 50})
        assert (torrent.state, torrent.native_state) == (state, status)

    def test_an_unknown_status_is_kept_verbatim(self) -> None:
        torrent = to_torrent({"hash": HASH, "status": "teleporting"})
        assert (torrent.state, torrent.native_state) == (TorrentState.UNKNOWN, "teleporting")

    def test_stopped_with_all_data_is_completed(self) -> None:
        assert to_torrent({"hash": HASH, "status": "stopped", "percent": 100}).state is TorrentState.COMPLETED

    def test_odd_values_read_as_unknown(self) -> None:
        row: dict[str, Any] = {
            "hash": HASH.upper(),
            "status": "error",
            "percent": 100.4,
            "size": -5,
            "downloaded": "lots",
            "eta": -1,
            "label": "",
            "added_on": 10**20,
            "message": "disk full",
        }
        torrent = to_torrent(row)
        assert (torrent.id, torrent.progress, torrent.size, torrent.downloaded) == (HASH, 1.0, 0, 0)
        assert (torrent.eta, torrent.label, torrent.added_at, torrent.ratio) == (None, None, None, None)
        assert torrent.error == "disk full"


class TestCodes:
    @pytest.mark.parametrize(("code", "kind"), ERRORS.items())
    def test_each_code(self, code: str, kind: type[Exception]) -> None:
        error = error_for(code, "message")
        assert type(error) is kind
        assert error.native_code == code

    def test_an_unknown_code_is_a_server_error(self) -> None:
        error = error_for("quota", None)
        assert type(error) is ServerError
        assert "quota" in str(error)

    def test_an_html_page_is_not_a_reply(self) -> None:
        def proxy(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, html="<html><body>Welcome to nginx</body></html>")

        client = enunclic.connect(URL, transport=httpx.MockTransport(proxy))
        with client, pytest.raises(ProtocolError):
            client.torrents()
