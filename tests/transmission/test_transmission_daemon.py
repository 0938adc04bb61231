"""Transmission-specific behaviour against the real daemons (3.00 and 4.1.0-beta.2).

What the contract suite cannot see: values on the wire (KBps, priorities, labels),
data on disk, the session-id dance with a live server, and version quirks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

import enunclic
from enunclic import AuthenticationError, FilePriority, TorrentNotFoundError, TorrentState
from tests.daemons.process import MAGNET
from tests.daemons.spies import check_one_pass_listing
from tests.daemons.transmission import TransmissionServer

pytestmark = pytest.mark.daemon

T = TypeVar("T")


def eventually(check: Callable[[], T], timeout: float = 15.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, f"still {value!r} after {timeout}s"
            return value
        time.sleep(0.1)


def raw_torrent(server: TransmissionServer, info_hash: str, *fields: str) -> dict[str, Any]:
    torrents = server.rpc("torrent-get", ids=[info_hash], fields=list(fields))["torrents"]
    assert len(torrents) == 1
    return dict(torrents[0])


def test_the_daemon_stays_on_loopback(transmission: TransmissionServer) -> None:
    session = transmission.rpc("session-get")
    assert (session["dht-enabled"], session["pex-enabled"], session["lpd-enabled"]) == (False, False, False)
    assert session["port-forwarding-enabled"] is False
    settings = (transmission.root / "config" / "settings.json").read_text()
    assert '"bind-address-ipv4": "127.0.0.1"' in settings


def test_info_reports_the_version_and_protocol(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    info = tr_client.info()
    assert info.version is not None and info.version.startswith(transmission.version)
    assert info.api_version is not None
    assert info.api_version.startswith("16" if transmission.version == "3.00" else "18")


def test_a_wrong_password_is_an_authentication_error(transmission: TransmissionServer) -> None:
    with enunclic.connect(transmission.url, username="admin", password="wrong") as client:
        with pytest.raises(AuthenticationError) as caught:
            client.torrents()
    assert "wrong" not in str(caught.value)


def test_a_stale_session_id_is_renewed(tr_client: enunclic.Client) -> None:
    tr_client.torrents()
    tr_client.backend.auth._session_id = "stale-id"  # type: ignore[attr-defined]
    before = tr_client.requests_sent
    assert tr_client.torrents() == []
    assert tr_client.requests_sent - before == 2  # the 409, then the call again


def test_adding_twice_reports_a_duplicate(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    made = transmission.make_torrent("dup.bin")
    first = tr_client.add(made.content)
    second = tr_client.add(made.content)
    assert (first.duplicate, second.duplicate) == (False, True)
    assert first.id == second.id == made.info_hash
    assert len(tr_client.torrents()) == 1


def test_add_with_destination_paused_and_label(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    from enunclic.testing.torrents import make_test_torrent

    elsewhere = transmission.move_dir
    made = make_test_torrent(elsewhere, "options.bin")
    added = tr_client.add(made.content, destination=str(elsewhere), paused=True, label="films")
    torrent = eventually(lambda: tr_client.torrent(added.id))
    assert torrent.destination == str(elsewhere)
    assert torrent.label == "films"
    assert eventually(lambda: tr_client.torrent(added.id).state in (TorrentState.PAUSED, TorrentState.COMPLETED))
    assert raw_torrent(transmission, added.id, "status")["status"] == 0


def test_a_magnet_waits_for_metadata(tr_client: enunclic.Client) -> None:
    added = tr_client.add(MAGNET)
    eventually(lambda: tr_client.torrent(added.id).state is TorrentState.METADATA)
    torrent = tr_client.torrent(added.id)
    assert torrent.size == 0
    assert torrent.name == "magnet-test"
    assert tr_client.files(added.id) == []
    tr_client.pause(added.id)
    assert eventually(lambda: tr_client.torrent(added.id).state is TorrentState.PAUSED)


def test_pausing_during_the_first_check_holds(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    """Transmission 3.00 restarts a torrent stopped while it is checked; the backend stops it again."""
    made = transmission.make_torrent("early-pause.bin")
    added = tr_client.add(made.content)
    tr_client.pause(added.id)
    assert eventually(lambda: tr_client.torrent(added.id).state is TorrentState.COMPLETED)
    time.sleep(1.0)  # long after any check
    assert tr_client.torrent(added.id).state is TorrentState.COMPLETED
    assert raw_torrent(transmission, added.id, "status")["status"] == 0


def test_a_resume_right_after_a_pause_resumes(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    """Both daemons apply an RPC stop on their next tick and drop a start that comes before it: the
    backend waits for the stop to land (without that, every resume below was lost)."""
    made = transmission.make_torrent("pause-resume.bin")
    added = tr_client.add(made.content)
    eventually(lambda: tr_client.torrent(added.id).state is TorrentState.SEEDING)
    for _ in range(3):
        tr_client.pause(added.id)
        tr_client.resume(added.id)
        time.sleep(1.5)  # past the daemon's next tick: a stop still pending would have landed
        assert raw_torrent(transmission, added.id, "status")["status"] == 6  # seeding


def test_move_moves_the_data(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    made = transmission.make_torrent("move-me.bin")
    added = tr_client.add(made.content)
    eventually(lambda: tr_client.torrent(added.id).state is TorrentState.SEEDING)
    tr_client.move(added.id, str(transmission.move_dir))
    eventually((transmission.move_dir / "move-me.bin").exists)
    assert not (transmission.download_dir / "move-me.bin").exists()
    assert eventually(lambda: tr_client.torrent(added.id).destination == str(transmission.move_dir))


def test_global_limits_are_kilobytes_on_the_wire(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    tr_client.set_limits(download=1_024_000, upload=2_000)
    session = transmission.rpc("session-get")
    assert session["units"]["speed-bytes"] == 1000
    assert (session["speed-limit-down"], session["speed-limit-down-enabled"]) == (1024, True)
    assert (session["speed-limit-up"], session["speed-limit-up-enabled"]) == (2, True)
    assert (tr_client.stats().download_limit, tr_client.stats().upload_limit) == (1_024_000, 2_000)
    tr_client.set_limits(download=None, upload=None)
    session = transmission.rpc("session-get")
    assert (session["speed-limit-down-enabled"], session["speed-limit-up-enabled"]) == (False, False)


def test_torrent_limits_on_the_wire(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    ids = [tr_client.add(transmission.make_torrent(f"limit-{i}.bin").content).id for i in range(2)]
    before = tr_client.requests_sent
    tr_client.set_torrent_limits(ids, download=2_048_000, upload=None)
    assert tr_client.requests_sent - before == 1
    for info_hash in ids:
        raw = raw_torrent(transmission, info_hash, "downloadLimit", "downloadLimited", "uploadLimited")
        assert (raw["downloadLimit"], raw["downloadLimited"], raw["uploadLimited"]) == (2048, True, False)
    tr_client.set_torrent_limits(ids, download=None, upload=None)
    assert raw_torrent(transmission, ids[0], "downloadLimited")["downloadLimited"] is False


@pytest.mark.parametrize(
    ("priority", "native", "wanted"),
    [(FilePriority.HIGH, 1, 1), (FilePriority.LOW, -1, 1), (FilePriority.NORMAL, 0, 1), (FilePriority.SKIP, None, 0)],
)
def test_file_priorities_on_the_wire(
    tr_client: enunclic.Client,
    transmission: TransmissionServer,
    priority: FilePriority,
    native: int | None,
    wanted: int,
) -> None:
    added = tr_client.add(transmission.make_torrent("prio.bin").content)
    tr_client.set_file_priority(added.id, [0], priority)
    raw = raw_torrent(transmission, added.id, "priorities", "wanted")
    assert raw["wanted"] == [wanted]
    if native is not None:
        assert raw["priorities"] == [native]
    files = tr_client.files(added.id)
    assert (files[0].priority, files[0].wanted) == (priority, bool(wanted))


def test_a_file_index_out_of_range_is_refused(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    added = tr_client.add(transmission.make_torrent("range.bin").content)
    with pytest.raises(enunclic.InvalidInputError, match="no file index 5"):
        tr_client.set_file_priority(added.id, [0, 5], FilePriority.HIGH)


def test_labels_on_the_wire(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    added = tr_client.add(transmission.make_torrent("labels.bin").content)
    tr_client.set_label(added.id, "series")
    assert raw_torrent(transmission, added.id, "labels")["labels"] == ["series"]
    tr_client.set_label(added.id, None)
    assert raw_torrent(transmission, added.id, "labels")["labels"] == []


def test_queue_moves(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    ids = [tr_client.add(transmission.make_torrent(f"queue-{i}.bin").content).id for i in range(3)]
    positions = {t.id: t.queue_position for t in tr_client.torrents()}
    assert [positions[i] for i in ids] == [0, 1, 2]
    tr_client.queue_move(ids[2], "top")
    tr_client.queue_move(ids[0], "bottom")
    positions = {t.id: t.queue_position for t in tr_client.torrents()}
    assert [positions[i] for i in ids] == [2, 1, 0]
    tr_client.queue_move(ids[1], "up")
    assert tr_client.torrent(ids[1]).queue_position == 0


def test_incremental_poll_reports_removals(tr_client: enunclic.Client, transmission: TransmissionServer) -> None:
    kept = tr_client.add(transmission.make_torrent("poll-a.bin").content).id
    gone = tr_client.add(transmission.make_torrent("poll-b.bin").content).id
    first = tr_client.poll()
    assert {t.id for t in first.added} == {kept, gone}
    tr_client.remove(gone)
    removed = eventually(lambda: tr_client.poll().removed)
    assert removed == [gone]


def test_single_torrent_reads_of_an_unknown_hash(tr_client: enunclic.Client) -> None:
    for read in (tr_client.torrent, tr_client.files, tr_client.trackers, tr_client.peers):
        with pytest.raises(TorrentNotFoundError):
            read("f" * 40)


def test_trackers_show_the_unreachable_announce_url(
    tr_client: enunclic.Client, transmission: TransmissionServer
) -> None:
    added = tr_client.add(transmission.make_torrent("tracker.bin").content)
    trackers = tr_client.trackers(added.id)
    assert [t.url for t in trackers] == ["http://127.0.0.1:9/announce"]
    assert tr_client.peers(added.id) == []


def test_stats(tr_client: enunclic.Client) -> None:
    stats = tr_client.stats()
    assert stats.free_space is not None and stats.free_space > 0
    assert (stats.download_speed, stats.upload_speed) == (0, 0)
    assert (stats.download_limit, stats.upload_limit) == (None, None)


def test_the_one_pass_reader_reads_the_real_listing(
    tr_client: enunclic.Client, transmission: TransmissionServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both dialects (camelCase 3.00, snake_case JSON-RPC 4.1) are read in one pass, not by fallback."""
    from enunclic.testing.torrents import make_test_torrent

    check_one_pass_listing(tr_client, make_test_torrent(transmission.move_dir, "one-pass.bin").content, monkeypatch)
