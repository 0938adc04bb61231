"""rTorrent-specific behaviour against the real rtorrent 0.9.8, over each of the three transports."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

import enunclic
from enunclic import (
    AuthenticationError,
    FilePriority,
    NotSupportedError,
    PartialFailureError,
    TorrentNotFoundError,
    TorrentState,
)
from enunclic.testing.contract import eventually

from ..daemons.rtorrent import ANNOUNCE, MAGNET, RTorrentDaemon, RTorrentServer, server_for

pytestmark = pytest.mark.daemon


def test_info_reports_the_daemon(rtorrent: RTorrentServer) -> None:
    with rtorrent.client() as client:
        info = client.info()
    assert info.version is not None
    assert info.version.startswith("0.9.")
    assert info.api_version == "10"
    assert enunclic.Capability.REMOVE_WITH_DATA not in info.capabilities  # opt-in only


def test_add_with_destination_label_and_paused(rtorrent: RTorrentServer, tmp_path: Path) -> None:
    made = rtorrent.make_torrent("rt-options.bin")
    elsewhere = rtorrent.downloads.parent / 'elsewhere, with "odd"; chars'
    elsewhere.mkdir(exist_ok=True)
    (elsewhere / made.name).write_bytes(made.data_path.read_bytes())  # type: ignore[union-attr]
    with rtorrent.client() as client:
        added = client.add(made.content, destination=str(elsewhere), label="tv shows/2024", paused=True)
        assert (added.id, added.info_hash, added.duplicate) == (made.info_hash, made.info_hash, False)
        torrent = client.torrent(added.id)
        assert torrent.destination == str(elsewhere)
        assert torrent.label == "tv shows/2024"
        assert torrent.state in (TorrentState.PAUSED, TorrentState.COMPLETED)
        again = client.add(made.content)
        assert again.duplicate is True
        assert again.id == added.id
        assert len(client.torrents()) == 1


def test_upper_case_ids_are_accepted(rtorrent: RTorrentServer) -> None:
    made = rtorrent.make_torrent("rt-upper.bin")
    with rtorrent.client() as client:
        added = client.add(made.content)
        assert client.torrent(added.id.upper()).id == added.id
        client.pause(added.id.upper())
        eventually(lambda: client.torrent(added.id).state is TorrentState.COMPLETED, 10)


def test_magnet_waits_for_metadata(rtorrent: RTorrentServer) -> None:
    with rtorrent.client() as client:
        added = client.add(MAGNET)
        torrent = client.torrent(added.id)
    assert added.info_hash == "0123456789abcdef0123456789abcdef01234567"
    assert torrent.state is TorrentState.METADATA
    assert torrent.size == 0


def test_tracker_less_torrent_is_reported_not_silently_lost(rtorrent: RTorrentServer, tmp_path: Path) -> None:
    from enunclic.testing.torrents import make_test_torrent

    made = make_test_torrent(rtorrent.downloads, "rt-no-tracker.bin", announce=None)
    with rtorrent.client() as client, pytest.raises(enunclic.ServerError, match="did not add"):
        client.add(made.content)


def test_add_url_fetched_by_rtorrent(rtorrent: RTorrentServer, rtorrent_tcp: RTorrentDaemon) -> None:
    web = server_for("scgi-tcp", rtorrent_tcp, None)
    made = rtorrent.make_torrent("rt-url.bin")
    url = web.publish(made)
    with rtorrent.client() as client:
        added = client.add(url, label="from-url")
        assert added.id == made.info_hash
        torrent = client.torrent(added.id)
        assert torrent.label == "from-url"


def test_bulk_operations_are_one_request_and_name_failures(rtorrent: RTorrentServer) -> None:
    with rtorrent.client() as client:
        ids = [client.add(rtorrent.make_torrent(f"rt-bulk-{i}.bin").content).id for i in range(3)]
        before = client.requests_sent
        client.resume(ids)
        client.recheck(ids)
        client.reannounce(ids)
        # resume and recheck first check (one request) that no hash check is running: see test_hash_check_guard
        assert client.requests_sent - before == 5
        missing = "f" * 40
        with pytest.raises(PartialFailureError) as caught:
            client.pause([*ids, missing])
        assert set(caught.value.failures) == {missing}
        assert isinstance(caught.value.failures[missing], TorrentNotFoundError)
        eventually(lambda: all(client.torrent(i).state is TorrentState.COMPLETED for i in ids), 10)
        with pytest.raises(TorrentNotFoundError):
            client.resume(missing)
        with pytest.raises(TorrentNotFoundError):
            client.torrent("not-a-hash")


def test_pause_resume_states(rtorrent: RTorrentServer) -> None:
    with rtorrent.client() as client:
        tid = client.add(rtorrent.make_torrent("rt-states.bin").content).id
        eventually(lambda: client.torrent(tid).state is TorrentState.SEEDING, 10)
        client.pause(tid)
        assert client.torrent(tid).state is TorrentState.COMPLETED
        client.resume(tid)
        assert client.torrent(tid).state is TorrentState.SEEDING


def test_files_priorities_and_bad_index(rtorrent: RTorrentServer) -> None:
    with rtorrent.client() as client:
        tid = client.add(rtorrent.make_torrent("rt-files.bin").content).id
        eventually(lambda: client.torrent(tid).state is TorrentState.SEEDING, 10)
        (file,) = client.files(tid)
        assert (file.path, file.size, file.progress) == ("rt-files.bin", 96 * 1024, 1.0)
        client.set_file_priority(tid, [0], FilePriority.SKIP)
        assert client.files(tid)[0].wanted is False
        client.set_file_priority(tid, [0], "high")
        assert client.files(tid)[0].priority is FilePriority.HIGH
        with pytest.raises(enunclic.InvalidInputError, match="index 5"):
            client.set_file_priority(tid, [5], "normal")
        with pytest.raises(TorrentNotFoundError):
            client.files("e" * 40)


def test_trackers_peers_and_labels(rtorrent: RTorrentServer) -> None:
    with rtorrent.client() as client:
        tid = client.add(rtorrent.make_torrent("rt-trackers.bin").content).id
        (tracker,) = client.trackers(tid)
        assert tracker.url == ANNOUNCE
        assert client.peers(tid) == []
        client.set_label(tid, "a,b;c")
        assert client.torrent(tid).label == "a,b;c"
        client.set_label(tid, None)
        assert client.torrent(tid).label is None


def test_global_limits_and_stats(rtorrent: RTorrentServer) -> None:
    with rtorrent.client() as client:
        client.set_limits(download=3 * 1024 * 1024, upload=None)
        stats = client.stats()
        assert (stats.download_limit, stats.upload_limit) == (3 * 1024 * 1024, None)
        assert stats.download_speed is not None


def test_remove_with_data_is_opt_in_and_deletes_only_the_payload(rtorrent: RTorrentServer) -> None:
    made = rtorrent.make_torrent("rt-delete.bin")
    keep = rtorrent.make_torrent("rt-keep.bin")
    assert made.data_path is not None
    assert keep.data_path is not None
    with rtorrent.client() as client:
        tid = client.add(made.content).id
        other = client.add(keep.content).id
        with pytest.raises(NotSupportedError):
            client.remove(tid, delete_data=True)
    with rtorrent.client(delete_data=True) as client:
        assert enunclic.Capability.REMOVE_WITH_DATA in client.info().capabilities
        client.remove(tid, delete_data=True)
        assert [t.id for t in client.torrents()] == [other]
    assert not made.data_path.exists()
    assert keep.data_path.exists()
    assert rtorrent.downloads.is_dir()


def test_async_client_over_each_transport(rtorrent: RTorrentServer) -> None:
    made = rtorrent.make_torrent("rt-async.bin")

    async def run() -> list[str]:
        async with enunclic.connect_async(rtorrent.url, **rtorrent.options) as client:
            added = await client.add(made.content)
            await client.pause([added.id])
            return [t.id for t in await client.torrents()]

    assert asyncio.run(run()) == [made.info_hash]


def test_http_bridge_needs_the_right_password(rtorrent_tcp: RTorrentDaemon) -> None:
    server = server_for("http", rtorrent_tcp, None)
    with server.client(password="wrong") as client, pytest.raises(AuthenticationError) as caught:
        client.torrents()
    assert caught.value.native_code == 401
    assert "wrong" not in str(caught.value)


def test_bridge_without_rtorrent_is_a_server_error(tmp_path: Path) -> None:
    """lighttpd up, rtorrent down: the bridge answers 503, a ServerError like any 5xx (the web server answered)."""
    from ..daemons.process import Daemon, free_port, need_binary, tcp_open
    from ..daemons.rtorrent import HTTP_PASSWORD, HTTP_USER, lighttpd_conf

    lighttpd = need_binary("lighttpd", "apt install lighttpd")
    (tmp_path / "www").mkdir()
    (tmp_path / "htpasswd.plain").write_text(f"{HTTP_USER}:{HTTP_PASSWORD}\n")
    port = free_port()
    (tmp_path / "lighttpd.conf").write_text(lighttpd_conf(tmp_path, port, free_port()))
    bridge = Daemon("lighttpd", [lighttpd, "-D", "-f", str(tmp_path / "lighttpd.conf")], workdir=tmp_path)
    try:
        bridge.wait_ready(lambda: tcp_open(port))
        url = f"rtorrent+http://127.0.0.1:{port}/RPC2"
        with enunclic.connect(url, username=HTTP_USER, password=HTTP_PASSWORD) as client:
            start = time.monotonic()
            with pytest.raises(enunclic.ServerError) as caught:
                client.torrents()
            assert caught.value.native_code == 503
            assert time.monotonic() - start < 10
    finally:
        bridge.stop()
