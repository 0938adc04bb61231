"""qBittorrent-specific behaviour against the real daemons (4.5.2 and 5.1.0).

What the contract suite cannot see: the session surviving a server-side logout, the
ban, values on the wire (B/s limits, 0/1/6 priorities), data on disk, and the
stop/start rename of 5.0.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import enunclic
from enunclic import AuthenticationError, FilePriority, TorrentNotFoundError, TorrentState
from enunclic.testing.torrents import make_test_torrent
from tests.daemons.process import MAGNET, Daemon, need_binary, tcp_open
from tests.daemons.qbittorrent import INSTALL_HINT, VERSIONS, QBittorrentServer, start_qbittorrent
from tests.daemons.spies import check_one_pass_listing
from tests.qbittorrent.helpers import eventually, raw

pytestmark = pytest.mark.daemon


def seeding(client: enunclic.Client, info_hash: str) -> bool:
    return client.torrent(info_hash).state is TorrentState.SEEDING


def test_the_daemon_stays_on_loopback(qbittorrent: QBittorrentServer) -> None:
    preferences = qbittorrent.json("app/preferences")
    assert (preferences["dht"], preferences["pex"], preferences["lsd"], preferences["upnp"]) == (False,) * 4
    assert preferences["current_network_interface"] == "lo"
    assert preferences["web_ui_address"] == "127.0.0.1"


def test_info_reports_versions(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    info = qb_client.info()
    assert info.version is not None and info.version.startswith(qbittorrent.version)
    assert info.api_version == {"4.5": "2.8.19", "5.1": "2.11.4"}[qbittorrent.version]


def test_a_wrong_password_is_an_authentication_error(qbittorrent: QBittorrentServer) -> None:
    with enunclic.connect(qbittorrent.url, username="admin", password="wrong-password") as client:
        with pytest.raises(AuthenticationError) as caught:
            client.torrents()
    assert "wrong-password" not in str(caught.value)


def test_a_session_ended_by_the_server_is_renewed(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    qb_client.torrents()
    cookies = qb_client._driver.http.cookies  # the client's jar, where the login's SID landed
    sid = cookies.get("SID")
    assert sid
    # Log this very session out behind the client's back.
    qbittorrent._http.post("auth/logout", headers={"Cookie": f"SID={sid}"})
    assert qb_client.torrents() == []
    assert cookies.get("SID") not in (None, sid)


def test_pause_uses_the_versions_own_endpoint(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    added = qb_client.add(qbittorrent.make_torrent("pause.bin").content)
    eventually(lambda: seeding(qb_client, added.id))
    qb_client.pause(added.id)
    expected = "pausedUP" if qbittorrent.version == "4.5" else "stoppedUP"
    eventually(lambda: raw(qbittorrent, added.id)["state"] == expected)
    assert qb_client.torrent(added.id).state is TorrentState.COMPLETED
    qb_client.resume(added.id)
    eventually(lambda: seeding(qb_client, added.id))


def test_adding_twice_reports_a_duplicate(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    made = qbittorrent.make_torrent("dup.bin")
    first = qb_client.add(made.content)
    second = qb_client.add(made.content)
    assert (first.duplicate, second.duplicate) == (False, True)
    assert first.id == second.id == made.info_hash


def test_add_with_destination_paused_and_a_new_category(
    qb_client: enunclic.Client, qbittorrent: QBittorrentServer
) -> None:
    made = make_test_torrent(qbittorrent.move_dir, "options.bin")
    added = qb_client.add(made.content, destination=str(qbittorrent.move_dir), paused=True, label="films")
    torrent = qb_client.torrent(added.id)
    assert torrent.label == "films"
    assert (torrent.destination or "").rstrip("/") == str(qbittorrent.move_dir)
    assert "films" in qbittorrent.json("torrents/categories")
    # A torrent added stopped is not checked yet: qBittorrent shows it stopped at 0 %.
    stopped = eventually(lambda: qb_client.torrent(added.id).state in (TorrentState.PAUSED, TorrentState.COMPLETED))
    assert stopped
    assert raw(qbittorrent, added.id)["state"] in ("pausedDL", "stoppedDL", "pausedUP", "stoppedUP")


def test_a_magnet_waits_for_metadata(qb_client: enunclic.Client) -> None:
    added = qb_client.add(MAGNET)
    eventually(lambda: qb_client.torrent(added.id).state is TorrentState.METADATA)
    torrent = qb_client.torrent(added.id)
    assert (torrent.size, torrent.progress) == (0, 0.0)
    assert qb_client.files(added.id) == []
    qb_client.pause(added.id)
    eventually(lambda: qb_client.torrent(added.id).state is TorrentState.PAUSED)


def test_recheck_right_after_add_does_not_get_stuck(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    """qBittorrent leaves a torrent in checkingDL forever if a recheck arrives while it loads."""
    added = qb_client.add(qbittorrent.make_torrent("early-recheck.bin").content)
    qb_client.recheck(added.id)
    eventually(lambda: seeding(qb_client, added.id))
    qb_client.recheck(added.id)  # a settled torrent really is rechecked
    eventually(lambda: seeding(qb_client, added.id))


def test_move_moves_the_data(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    added = qb_client.add(qbittorrent.make_torrent("move-me.bin").content)
    eventually(lambda: seeding(qb_client, added.id))
    qb_client.move(added.id, str(qbittorrent.move_dir))
    eventually((qbittorrent.move_dir / "move-me.bin").exists)
    eventually(lambda: not (qbittorrent.download_dir / "move-me.bin").exists())


def test_remove_with_and_without_data(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    kept = qb_client.add(qbittorrent.make_torrent("kept.bin").content).id
    gone = qb_client.add(qbittorrent.make_torrent("gone.bin").content).id
    eventually(lambda: seeding(qb_client, kept) and seeding(qb_client, gone))
    qb_client.remove(kept)
    qb_client.remove([gone], delete_data=True)
    eventually(lambda: qb_client.torrents() == [])
    eventually(lambda: not (qbittorrent.download_dir / "gone.bin").exists())
    assert (qbittorrent.download_dir / "kept.bin").exists()


def test_limits_are_bytes_per_second_on_the_wire(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    added = qb_client.add(qbittorrent.make_torrent("limits.bin").content)
    qb_client.set_torrent_limits(added.id, download=2_048_000, upload=1_000)
    info = raw(qbittorrent, added.id)
    assert (info["dl_limit"], info["up_limit"]) == (2_048_000, 1_000)
    qb_client.set_limits(download=1_024_000, upload=None)
    transfer = qbittorrent.json("transfer/info")
    assert (transfer["dl_rate_limit"], transfer["up_rate_limit"]) == (1_024_000, 0)
    stats = eventually(lambda: qb_client.stats().download_limit == 1_024_000 and qb_client.stats())
    assert stats.upload_limit is None
    assert stats.free_space is not None and stats.free_space > 0


@pytest.mark.parametrize(("priority", "native"), [("skip", 0), ("low", 1), ("normal", 1), ("high", 6)])
def test_file_priorities_on_the_wire(
    qb_client: enunclic.Client, qbittorrent: QBittorrentServer, priority: str, native: int
) -> None:
    added = qb_client.add(qbittorrent.make_torrent("prio.bin").content)
    eventually(lambda: qb_client.files(added.id))
    qb_client.set_file_priority(added.id, [0], priority)
    eventually(lambda: qbittorrent.json("torrents/files", hash=added.id)[0]["priority"] == native)
    file = qb_client.files(added.id)[0]
    assert file.priority is (FilePriority.NORMAL if priority == "low" else FilePriority(priority))


def test_a_file_index_out_of_range_is_refused(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    added = qb_client.add(qbittorrent.make_torrent("range.bin").content)
    eventually(lambda: qb_client.files(added.id))
    with pytest.raises(enunclic.InvalidInputError):
        qb_client.set_file_priority(added.id, [5], FilePriority.HIGH)


def test_incremental_poll(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    kept = qb_client.add(qbittorrent.make_torrent("poll-a.bin").content).id
    gone = qb_client.add(qbittorrent.make_torrent("poll-b.bin").content).id
    first = qb_client.poll()
    assert {t.id for t in first.added} == {kept, gone}
    qb_client.set_label(kept, "polled")
    changed = eventually(lambda: qb_client.poll().changed_fields.get(kept, frozenset()))
    assert "label" in changed
    qb_client.remove(gone)
    assert eventually(lambda: qb_client.poll().removed) == [gone]


def test_trackers_hide_the_dht_pex_and_lsd_rows(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    added = qb_client.add(qbittorrent.make_torrent("trackers.bin").content)
    assert [t.url for t in qb_client.trackers(added.id)] == ["http://127.0.0.1:9/announce"]
    assert qb_client.peers(added.id) == []


def test_single_torrent_reads_of_an_unknown_hash(qb_client: enunclic.Client) -> None:
    for read in (qb_client.torrent, qb_client.files, qb_client.trackers, qb_client.peers):
        with pytest.raises(TorrentNotFoundError):
            read("f" * 40)


@pytest.fixture
def banning_server(qbittorrent_server: QBittorrentServer, tmp_path: Path) -> Iterator[QBittorrentServer]:
    """A separate daemon of the same version whose login ban is on (2 failures)."""
    version = qbittorrent_server.version
    root = tmp_path / "ban"
    root.mkdir()
    server = start_qbittorrent(version, root)
    config = server.root / "profile" / "qBittorrent" / "config" / "qBittorrent.conf"
    server.stop()
    text = config.read_text().replace("WebUI\\MaxAuthenticationFailCount=0", "WebUI\\MaxAuthenticationFailCount=2")
    if "MaxAuthenticationFailCount=2" not in text:  # the daemon rewrote the file: put the key in its section
        text = text.replace("[Preferences]\n", "[Preferences]\nWebUI\\MaxAuthenticationFailCount=2\n", 1)
    config.write_text(text)
    binary = need_binary(VERSIONS[version], INSTALL_HINT)
    server.daemon = Daemon(f"qbittorrent-ban-{version}", [binary, f"--profile={server.root / 'profile'}"], workdir=root)
    server.daemon.wait_ready(lambda: tcp_open(server.port), timeout=30)
    try:
        yield server
    finally:
        server.daemon.stop()


def test_the_login_ban_is_a_clear_error(banning_server: QBittorrentServer) -> None:
    for _ in range(2):
        with enunclic.connect(banning_server.url, username="admin", password="wrong") as client:
            with pytest.raises(AuthenticationError):
                client.torrents()
    with enunclic.connect(banning_server.url, **banning_server.options()) as client:
        with pytest.raises(AuthenticationError, match="banned") as caught:
            client.torrents()
    assert caught.value.native_code == 403


def test_the_one_pass_reader_reads_the_real_listing(
    qb_client: enunclic.Client, qbittorrent: QBittorrentServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """torrents/info is read in one pass (60-field objects, most skipped by the parser), not by fallback."""
    check_one_pass_listing(qb_client, make_test_torrent(qbittorrent.move_dir, "one-pass.bin").content, monkeypatch)
