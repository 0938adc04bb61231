"""Electorrent's actions and fields (issue 21 item 9), set through enunclic and read back on 4.5.2 and 5.1.0."""

from __future__ import annotations

import time

import pytest

import enunclic
from enunclic import FilePriority, TorrentState
from enunclic.testing.torrents import make_multi_torrent
from tests.daemons.qbittorrent import QBittorrentServer
from tests.qbittorrent.helpers import eventually, raw

pytestmark = pytest.mark.daemon


def test_the_listing_carries_the_new_fields(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    added = qb_client.add(qbittorrent.make_torrent("fields.bin").content)
    torrent = qb_client.torrent(added.id)
    assert (torrent.ratio_limit, torrent.sequential, torrent.first_last_piece) == (None, False, False)
    # 4.5 fills `tracker` only once a tracker answers (this one never does); 5.1 names the first one at once.
    expected = None if qbittorrent.version == "4.5" else "127.0.0.1"
    eventually(lambda: qb_client.torrent(added.id).tracker == expected)
    tracker = qb_client.trackers(added.id)[0]
    assert (tracker.tier, tracker.last_announce, tracker.next_announce) == (0, None, None)


def test_sequential_and_first_last_piece_are_set_not_flipped(
    qb_client: enunclic.Client, qbittorrent: QBittorrentServer
) -> None:
    first = qb_client.add(qbittorrent.make_torrent("seq-a.bin").content, paused=True).id
    second = qb_client.add(qbittorrent.make_torrent("seq-b.bin").content, paused=True).id
    qb_client.set_sequential(first, True)
    qb_client.set_sequential([first, second], True)  # the first is on already: it must stay on
    qb_client.set_first_last_piece(second, True)
    qb_client.set_first_last_piece(second, True)
    listed = {t.id: t for t in qb_client.torrents()}
    assert (listed[first].sequential, listed[second].sequential) == (True, True)
    assert (listed[first].first_last_piece, listed[second].first_last_piece) == (False, True)
    qb_client.set_sequential([first, second], False)
    qb_client.set_first_last_piece([first, second], False)
    assert {(t.sequential, t.first_last_piece) for t in qb_client.torrents()} == {(False, False)}


def test_ratio_limit_round_trip_keeps_the_seeding_time_limit(
    qb_client: enunclic.Client, qbittorrent: QBittorrentServer
) -> None:
    added = qb_client.add(qbittorrent.make_torrent("ratio.bin").content, paused=True)
    fields = {"hashes": added.id, "ratioLimit": "-2", "seedingTimeLimit": "90", "inactiveSeedingTimeLimit": "-2"}
    qbittorrent.call("POST", "torrents/setShareLimits", data=fields)
    qb_client.set_ratio_limit(added.id, 2.5)
    eventually(lambda: qb_client.torrent(added.id).ratio_limit == 2.5)
    assert raw(qbittorrent, added.id)["seeding_time_limit"] == 90
    qb_client.set_ratio_limit([added.id], None)
    eventually(lambda: qb_client.torrent(added.id).ratio_limit is None)
    assert (raw(qbittorrent, added.id)["ratio_limit"], raw(qbittorrent, added.id)["seeding_time_limit"]) == (-2, 90)


def test_force_start_runs_a_torrent_past_the_queue(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    added = qb_client.add(qbittorrent.make_torrent("force.bin").content, paused=True)
    qb_client.force_start(added.id)
    eventually(lambda: raw(qbittorrent, added.id)["state"] == "forcedUP")
    assert raw(qbittorrent, added.id)["force_start"] is True
    assert qb_client.torrent(added.id).state is TorrentState.SEEDING


def test_alt_speed_is_set_and_read_back_in_stats(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    try:
        for enabled in (True, True, False, False):  # asking twice keeps the state: no blind toggle
            qb_client.set_alt_speed(enabled)
            assert qbittorrent.call("GET", "transfer/speedLimitsMode").text == str(int(enabled))
            eventually(lambda wanted=enabled: qb_client.stats().alt_speed is wanted)
    finally:
        if qbittorrent.call("GET", "transfer/speedLimitsMode").text == "1":
            qbittorrent.call("POST", "transfer/toggleSpeedLimitsMode")


def test_labels_include_categories_without_torrents(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    qbittorrent.call("POST", "torrents/createCategory", data={"category": "empty", "savePath": ""})
    qb_client.add(qbittorrent.make_torrent("label.bin").content, label="films")
    assert qb_client.labels() == ["empty", "films"]


def test_pause_all_and_resume_all_are_one_request_each(
    qb_client: enunclic.Client, qbittorrent: QBittorrentServer
) -> None:
    ids = [qb_client.add(qbittorrent.make_torrent(f"all-{i}.bin").content).id for i in range(2)]
    eventually(lambda: all(t.state is TorrentState.SEEDING for t in qb_client.torrents()))
    before = qb_client.requests_sent
    qb_client.pause_all()
    assert qb_client.requests_sent == before + 1
    eventually(lambda: {t.state for t in qb_client.torrents()} == {TorrentState.COMPLETED})
    before = qb_client.requests_sent
    qb_client.resume_all()
    assert qb_client.requests_sent == before + 1
    eventually(lambda: {qb_client.torrent(i).state for i in ids} == {TorrentState.SEEDING})


def test_add_options_skip_check_rename_and_limits(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    # The data on disk is wrong: a skipped check trusts it (seeding at 100 %), a check finds nothing of it.
    # (Missing data would not do: 4.5 then reports missingFiles at 0 % now and then, skipped check or not.)
    trusted, checked = (qbittorrent.make_torrent(name) for name in ("trusted.bin", "checked.bin"))
    for made in (trusted, checked):
        assert made.data_path is not None
        made.data_path.write_bytes(b"x" * made.data_path.stat().st_size)
    added = qb_client.add(
        trusted.content, skip_check=True, rename="renamed", download_limit=20_480, upload_limit=10_240
    )
    plain = qb_client.add(checked.content)
    eventually(lambda: qb_client.torrent(added.id).state is TorrentState.SEEDING)
    eventually(lambda: qb_client.torrent(plain.id).state is TorrentState.DOWNLOADING)
    torrent, other = qb_client.torrent(added.id), qb_client.torrent(plain.id)
    assert (torrent.name, torrent.progress, other.progress) == ("renamed", 1.0, 0.0)
    assert (torrent.download_limit, torrent.upload_limit) == (20_480, 10_240)
    assert (other.download_limit, other.upload_limit) == (None, None)


def test_add_with_file_selection(qb_client: enunclic.Client, qbittorrent: QBittorrentServer) -> None:
    made = make_multi_torrent(qbittorrent.download_dir, "multi")
    added = qb_client.add(made.content, wanted_files=[0, 2])
    files = qb_client.files(added.id)
    assert [f.priority for f in files] == [FilePriority.NORMAL, FilePriority.SKIP, FilePriority.NORMAL]
    assert [f.wanted for f in files] == [True, False, True]
    eventually(lambda: qb_client.torrent(added.id).state is TorrentState.SEEDING)  # started: not asked paused
    paused = qb_client.add(
        make_multi_torrent(qbittorrent.download_dir, "multi-paused").content, wanted_files=[1], paused=True
    )
    assert [f.wanted for f in qb_client.files(paused.id)] == [False, True, False]
    time.sleep(1)
    assert qb_client.torrent(paused.id).state in (TorrentState.PAUSED, TorrentState.COMPLETED)
