"""aria2-specific behaviour against the real aria2c 1.36.0: what the contract suite cannot see."""

from __future__ import annotations

import pytest

import enunclic
from enunclic import AuthenticationError, FilePriority, TorrentNotFoundError, TorrentState
from enunclic.testing.contract import eventually
from tests.daemons.aria2 import SECRET, Aria2Server
from tests.daemons.process import MAGNET

from .torrents import two_file_torrent

pytestmark = pytest.mark.daemon


def test_a_wrong_secret_is_an_authentication_error(aria2: Aria2Server) -> None:
    with enunclic.connect(aria2.url, password="wrong-secret") as client:
        with pytest.raises(AuthenticationError) as caught:
            client.torrents()
        assert "wrong-secret" not in str(caught.value) + repr(client.backend.auth)
    with enunclic.connect(aria2.url) as client, pytest.raises(AuthenticationError):
        client.info()


def test_the_secret_stays_out_of_errors(a2_client: enunclic.Client) -> None:
    with pytest.raises(TorrentNotFoundError) as caught:
        a2_client.pause("0123456789abcdef")
    assert SECRET not in str(caught.value) and SECRET not in repr(a2_client.backend.auth)


def test_a_magnet_waits_for_metadata_and_a_duplicate_is_found(a2_client: enunclic.Client) -> None:
    added = a2_client.add(MAGNET)
    torrent = eventually(lambda: a2_client.torrent(added.id), 10)
    assert (torrent.state, torrent.name, torrent.info_hash) == (TorrentState.METADATA, "magnet-test", added.info_hash)
    again = a2_client.add(MAGNET)
    assert (again.id, again.duplicate) == (added.id, True)
    assert len(a2_client.torrents()) == 1


def test_paused_adds_queue_and_move(a2_client: enunclic.Client, aria2: Aria2Server) -> None:
    ids = [a2_client.add(aria2.make_torrent(f"q{i}.bin").content, paused=True).id for i in range(3)]
    positions = {t.id: t.queue_position for t in a2_client.torrents()}
    assert [positions[i] for i in ids] == [0, 1, 2]
    a2_client.queue_move(ids[2], "top")
    assert {t.id: t.queue_position for t in a2_client.torrents()}[ids[2]] == 0
    a2_client.pause(ids)  # already paused: nothing to do, no error
    a2_client.resume(ids[0])
    eventually(lambda: a2_client.torrent(ids[0]).state is TorrentState.SEEDING, 15)
    a2_client.queue_move(ids[0], "bottom")  # running: in no queue, nothing to do
    a2_client.resume(ids[0])


def test_limits_reach_aria2_in_bytes_per_second(a2_client: enunclic.Client, aria2: Aria2Server) -> None:
    added = a2_client.add(aria2.make_torrent("limits.bin").content)
    a2_client.set_torrent_limits(added.id, download=2048, upload=None)
    options = aria2.rpc("aria2.getOption", added.id)
    assert (options["max-download-limit"], options["max-upload-limit"]) == ("2048", "0")
    a2_client.set_limits(download=None, upload=4096)
    assert aria2.rpc("aria2.getGlobalOption")["max-overall-upload-limit"] == "4096"


def test_files_of_a_multi_file_torrent_are_skipped_and_wanted_again(
    a2_client: enunclic.Client, aria2: Aria2Server
) -> None:
    added = a2_client.add(two_file_torrent(aria2.download_dir / "multi"))
    eventually(lambda: a2_client.torrent(added.id).state is TorrentState.SEEDING, 15)
    a2_client.set_file_priority(added.id, [0], FilePriority.SKIP)
    listed = a2_client.files(added.id)
    assert [(f.index, f.priority, f.wanted) for f in listed] == [
        (0, FilePriority.SKIP, False),
        (1, FilePriority.NORMAL, True),
    ]
    assert a2_client.torrent(added.id).size < 90000  # aria2 counts the wanted pieces only
    a2_client.set_file_priority(added.id, [0], FilePriority.NORMAL)
    assert all(f.wanted for f in a2_client.files(added.id))
