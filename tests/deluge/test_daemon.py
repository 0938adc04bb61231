"""Deluge-specific behaviour against real deluged + deluge-web 2.0.3 and 2.2.0."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

import enunclic
from enunclic import (
    AuthenticationError,
    Capability,
    ConnectError,
    InvalidInputError,
    NotSupportedError,
    PartialFailureError,
    TorrentNotFoundError,
    TorrentState,
)
from enunclic.testing.contract import eventually

from ..daemons.deluge import MAGNET, WEB_PASSWORD, DelugeServer
from ..daemons.process import free_port
from ..daemons.spies import check_one_pass_listing

pytestmark = pytest.mark.daemon


def connect(deluge: DelugeServer, **options: object) -> enunclic.Client:
    return enunclic.connect(deluge.url, **{**deluge.options, **options})


@pytest.fixture
def web_files(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A loopback HTTP server for .torrent files that Deluge fetches itself."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_info_and_version(deluge: DelugeServer) -> None:
    with connect(deluge) as client:
        info = client.info()
    assert info.version is not None
    assert info.version.startswith(deluge.version)
    assert Capability.LABELS in info.capabilities


def test_wrong_web_password(deluge: DelugeServer) -> None:
    with connect(deluge, password="not-the-password") as client, pytest.raises(AuthenticationError) as caught:
        client.torrents()
    assert "not-the-password" not in str(caught.value) + repr(caught.value)


def test_daemon_with_wrong_credentials_is_a_connect_error(deluge: DelugeServer) -> None:
    with connect(deluge, daemon_username="nobody", daemon_password="wrong") as client:
        with pytest.raises(ConnectError, match="daemon_username"):
            client.torrents()
    with connect(deluge) as client:  # and the right daemon is reachable again afterwards
        assert client.torrents() == []


def test_daemon_offline_is_a_connect_error(deluge: DelugeServer) -> None:
    with connect(deluge, daemon_port=free_port()) as client, pytest.raises(ConnectError, match="offline"):
        client.torrents()


def test_unlisted_daemon_without_credentials(deluge: DelugeServer) -> None:
    with connect(deluge, daemon_port=free_port(), daemon_username=None, daemon_password=None) as client:
        with pytest.raises(ConnectError, match="daemon_username"):
            client.torrents()


def session_cookie(client: enunclic.Client) -> str | None:
    """The deluge-web session cookie in the client's cookie jar (kept by the core, not the backend)."""
    return client._driver.http.cookies.get("_session_id")


def test_relogin_when_the_session_is_gone(deluge: DelugeServer) -> None:
    with connect(deluge) as client:
        client.torrents()
        cookie = session_cookie(client)
        assert cookie
        # End this web session from outside, as a session timeout would.
        httpx.post(
            f"http://127.0.0.1:{deluge.web_port}/json",
            json={"method": "auth.delete_session", "params": [], "id": 1},
            cookies={"_session_id": cookie},
        )
        before = client.requests_sent
        assert client.torrents() == []
        assert client.requests_sent - before > 2  # the refused call, a new login, the retry
        assert session_cookie(client) not in (None, cookie)


def test_reconnect_when_deluge_web_lost_its_daemon(deluge: DelugeServer) -> None:
    with connect(deluge) as client:
        client.torrents()
        deluge.rpc("web.disconnect")
        assert client.torrents() == []


def test_async_relogin(deluge: DelugeServer) -> None:
    async def run() -> list[enunclic.Torrent]:
        async with enunclic.connect_async(deluge.url, **deluge.options) as client:
            await client.torrents()
            deluge.rpc("web.disconnect")
            # Concurrent calls that all find the daemon gone: one re-login, every call answered.
            results = await asyncio.gather(*(client.torrents() for _ in range(4)))
            return results[0]

    assert asyncio.run(run()) == []


def test_add_file_paused_with_destination_label_and_duplicate(deluge: DelugeServer) -> None:
    made = deluge.make_torrent("dl-options.bin")
    with connect(deluge) as client:
        added = client.add(made.content, destination=str(deluge.downloads), paused=True, label="Movies")
        torrent = client.torrent(added.id)
        assert torrent.state is TorrentState.PAUSED
        assert torrent.label == "movies"  # the Label plugin keeps labels lower-case
        assert torrent.destination == str(deluge.downloads)
        again = client.add(made.content)
        assert (again.id, again.duplicate) == (added.id, True)


def test_bad_labels_are_refused_before_any_request(deluge: DelugeServer) -> None:
    with connect(deluge) as client:
        tid = client.add(deluge.make_torrent("dl-bad-label.bin").content).id
        before = client.requests_sent
        with pytest.raises(InvalidInputError):
            client.set_label(tid, "tv shows")
        assert client.requests_sent == before


def test_add_magnet_and_url(deluge: DelugeServer, web_files: tuple[Path, str]) -> None:
    folder, base = web_files
    made = deluge.make_torrent("dl-url.bin")
    (folder / "dl-url.torrent").write_bytes(made.content)
    with connect(deluge) as client:
        magnet = client.add(MAGNET, paused=True)
        assert magnet.id == "0123456789abcdef0123456789abcdef01234567"
        assert client.torrent(magnet.id).state in (TorrentState.PAUSED, TorrentState.METADATA)
        client.resume(magnet.id)
        eventually(lambda: client.torrent(magnet.id).state is TorrentState.METADATA, 10)
        added = client.add(f"{base}/dl-url.torrent")
        assert added.id == made.info_hash
        eventually(lambda: client.torrent(added.id).state is TorrentState.SEEDING, 15)


def test_paused_state_wins_over_the_paused_field(deluge: DelugeServer) -> None:
    with connect(deluge) as client:
        tid = client.add(deluge.make_torrent("dl-paused.bin").content).id
        eventually(lambda: client.torrent(tid).state is TorrentState.SEEDING, 15)
        client.pause(tid)
        eventually(lambda: client.torrent(tid).native_state == "Paused", 15)
        assert client.torrent(tid).state is TorrentState.COMPLETED
    # The mapping reads the state only (2.0.3 was reported to leave ``paused`` false while paused).
    assert deluge.rpc("core.get_torrent_status", tid, ["state"]) == {"state": "Paused"}


def test_bulk_calls_are_one_request_and_unknown_ids_are_named(deluge: DelugeServer) -> None:
    with connect(deluge) as client:
        ids = [client.add(deluge.make_torrent(f"dl-bulk-{i}.bin").content).id for i in range(3)]
        eventually(lambda: all(t.state is TorrentState.SEEDING for t in client.torrents()), 15)
        before = client.requests_sent
        client.pause(ids)
        client.resume(ids)
        client.reannounce(ids)
        assert client.requests_sent - before == 3
        missing = "f" * 40
        with pytest.raises(PartialFailureError) as caught:
            client.pause([ids[0], missing, ids[1]])
        assert set(caught.value.failures) == {missing}
        eventually(lambda: client.torrent(ids[1]).native_state == "Paused", 15)  # done despite the unknown id
        with pytest.raises(TorrentNotFoundError):
            client.recheck(missing)
        with pytest.raises(TorrentNotFoundError):
            client.files(missing)
        with pytest.raises(TorrentNotFoundError):
            client.remove(missing)


def test_queue_order(deluge: DelugeServer) -> None:
    with connect(deluge) as client:
        ids = [client.add(deluge.make_torrent(f"dl-queue-{i}.bin").content, paused=True).id for i in range(3)]

        def order() -> list[str]:
            positions = {t.id: t.queue_position for t in client.torrents()}
            assert all(positions[i] is not None for i in ids)
            return sorted(ids, key=lambda i: positions[i])  # type: ignore[return-value,arg-type]

        # Deluge refreshes queue positions in its status cache about once a second.
        eventually(lambda: order() == ids, 10)
        client.queue_move(ids[2], "top")
        eventually(lambda: order() == [ids[2], ids[0], ids[1]], 10)
        client.queue_move([ids[2]], "down")
        eventually(lambda: order() == [ids[0], ids[2], ids[1]], 10)
        client.queue_move(ids[0], "bottom")
        eventually(lambda: order() == [ids[2], ids[1], ids[0]], 10)
        client.queue_move(ids[0], "up")
        eventually(lambda: order() == [ids[2], ids[0], ids[1]], 10)


def test_limits_travel_in_kib(deluge: DelugeServer) -> None:
    with connect(deluge) as client:
        tid = client.add(deluge.make_torrent("dl-limits.bin").content).id
        client.set_torrent_limits(tid, download=2_048_000, upload=1536)
        client.set_limits(download=1_024_000, upload=None)
        stats = client.stats()
    assert deluge.rpc("core.get_torrent_status", tid, ["max_download_speed", "max_upload_speed"]) == {
        "max_download_speed": 2000.0,
        "max_upload_speed": 1.5,  # fractions of a KiB/s travel as they are
    }
    assert deluge.rpc("core.get_config_values", ["max_download_speed", "max_upload_speed"]) == {
        "max_download_speed": 1000.0,
        "max_upload_speed": -1.0,
    }
    assert (stats.download_limit, stats.upload_limit) == (1_024_000, None)
    assert stats.free_space is not None
    assert stats.free_space > 0


def test_files_trackers_peers(deluge: DelugeServer) -> None:
    with connect(deluge) as client:
        tid = client.add(deluge.make_torrent("dl-files.bin").content).id
        eventually(lambda: client.torrent(tid).state is TorrentState.SEEDING, 15)
        (file,) = client.files(tid)
        assert (file.path, file.size, file.progress) == ("dl-files.bin", 96 * 1024, 1.0)
        with pytest.raises(InvalidInputError):
            client.set_file_priority(tid, [3], "high")
        client.set_file_priority(tid, [0], "skip")
        client.set_file_priority(tid, [0], "low")
        assert client.files(tid)[0].priority.value == "low"
        (tracker,) = client.trackers(tid)
        assert tracker.url == "http://127.0.0.1:9/announce"
        assert client.peers(tid) == []
        # A file wanted again after a skip is rechecked, so that Deluge can remove the torrent later.
        eventually(lambda: deluge.rpc("core.get_torrent_status", tid, ["is_finished"])["is_finished"], 15)
        client.remove(tid)
        assert client.torrents() == []


def test_remove_with_data(deluge: DelugeServer) -> None:
    made = deluge.make_torrent("dl-delete.bin")
    assert made.data_path is not None
    with connect(deluge) as client:
        tid = client.add(made.content).id
        eventually(lambda: client.torrent(tid).state is TorrentState.SEEDING, 15)
        client.remove(tid, delete_data=True)
    eventually(lambda: not made.data_path.exists(), 15)  # type: ignore[union-attr]


def test_without_the_label_plugin(deluge: DelugeServer) -> None:
    deluge.rpc("core.disable_plugin", "Label")
    try:
        with connect(deluge) as client:
            assert Capability.LABELS not in client.info().capabilities
            before = client.requests_sent
            with pytest.raises(NotSupportedError):
                client.set_label("a" * 40, "movies")
            with pytest.raises(NotSupportedError):
                client.add(deluge.make_torrent("dl-nolabel.bin").content, label="movies")
            assert client.requests_sent == before
            assert client.torrents() == []
    finally:
        deluge.rpc("core.enable_plugin", "Label")


def test_web_password_never_reaches_errors_or_reprs(deluge: DelugeServer) -> None:
    with connect(deluge) as client:
        client.torrents()
        assert WEB_PASSWORD not in repr(client)
        assert "adminpass" not in repr(client.backend.options)  # type: ignore[attr-defined]


def test_the_one_pass_reader_reads_the_real_listing(deluge: DelugeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """deluge-web sends each torrent's hash when asked, so a listing is read in one pass, not by fallback."""
    with connect(deluge) as client:
        check_one_pass_listing(client, deluge.make_torrent("dl-one-pass.bin").content, monkeypatch)
