"""add() options on Deluge: skip check (``seed_mode``), rename (``name``), file selection (``file_priorities``)
and per-torrent limits (KiB/s); the torrent options sent to a fake deluge-web, then added and read back on
the real daemons (2.0.3 and 2.2.0)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import enunclic
from enunclic import Capability, FilePriority, InvalidInputError, TorrentState
from enunclic.testing.contract import eventually
from enunclic.testing.torrents import make_multi_torrent

from ..daemons.deluge import MAGNET, DelugeServer
from .fake_web import ADDED, FakeWeb, connect

ADD_CAPABILITIES = {
    Capability.ADD_SKIP_CHECK,
    Capability.ADD_RENAME,
    Capability.ADD_FILE_SELECTION,
    Capability.ADD_LIMITS,
}


def _added(web: FakeWeb) -> tuple[str, list[Any]]:
    (call,) = [(method, params) for method, params in web.sent if method.startswith("core.add_torrent_")]
    return call


def test_each_option_is_a_torrent_option_of_the_one_add_call(web: FakeWeb, tmp_path: Path) -> None:
    made = make_multi_torrent(tmp_path, "three")
    with connect(web) as client:
        assert client.info().capabilities >= ADD_CAPABILITIES
        added = client.add(
            made.content, skip_check=True, rename="other", wanted_files=[2, 0], download_limit=2048, upload_limit=1536
        )
    assert added.id == ADDED
    method, (_, _, options) = _added(web)
    assert method == "core.add_torrent_file"
    assert options == {
        "add_paused": False,
        "seed_mode": True,
        "name": "other",
        "file_priorities": [4, 0, 4],  # one per file of the .torrent: normal, or skip
        "max_download_speed": 2,  # KiB/s
        "max_upload_speed": 1.5,
    }


def test_options_left_out_are_not_sent(web: FakeWeb, tmp_path: Path) -> None:
    with connect(web) as client:
        client.add(make_multi_torrent(tmp_path, "plain").content, paused=True, upload_limit=512)
    assert _added(web)[1][2] == {"add_paused": True, "max_upload_speed": 0.5}


def test_a_magnet_takes_a_name_and_limits(web: FakeWeb) -> None:
    with connect(web) as client:
        client.add(MAGNET, rename="named", download_limit=1024)
    assert _added(web) == ("core.add_torrent_magnet", [MAGNET, {"add_paused": False, "name": "named",
                                                                 "max_download_speed": 1}])  # fmt: skip


def test_a_magnet_check_cannot_be_skipped_nor_its_files_chosen(web: FakeWeb) -> None:
    with connect(web) as client:
        # libtorrent's seed mode needs the metadata when the torrent is added: refused, not silently dropped.
        with pytest.raises(InvalidInputError) as caught:
            client.add(MAGNET, skip_check=True)
        assert (caught.value.backend, caught.value.operation) == ("deluge", "add")
        with pytest.raises(InvalidInputError):
            client.add(MAGNET, wanted_files=[0])  # the core's rule: a magnet has no file list yet
    assert not [method for method, _ in web.sent if method.startswith("core.add_torrent_")]


@pytest.mark.daemon
def test_skip_check_rename_and_limits_are_read_back(deluge: DelugeServer) -> None:
    # The data on disk is wrong: a skipped check trusts it (seeding at 100 %), a check finds none of it.
    trusted, checked = (deluge.make_torrent(name) for name in ("add-trusted.bin", "add-checked.bin"))
    for made in (trusted, checked):
        assert made.data_path is not None
        made.data_path.write_bytes(b"x" * made.data_path.stat().st_size)
    with enunclic.connect(deluge.url, **deluge.options) as client:
        assert client.info().capabilities >= ADD_CAPABILITIES
        added = client.add(trusted.content, skip_check=True, rename="renamed", download_limit=20_480,
                           upload_limit=10_752)  # fmt: skip
        plain = client.add(checked.content)
        eventually(lambda: client.torrent(added.id).state is TorrentState.SEEDING, 15)
        eventually(lambda: client.torrent(plain.id).state is TorrentState.DOWNLOADING, 15)
        torrent, other = client.torrent(added.id), client.torrent(plain.id)
        assert (torrent.name, torrent.progress, other.name, other.progress) == ("renamed", 1.0, "add-checked.bin", 0.0)
        assert (torrent.download_limit, torrent.upload_limit) == (20_480, 10_752)  # 20 and 10.5 KiB/s
        assert (other.download_limit, other.upload_limit) == (None, None)
        listed = {t.id: t for t in client.torrents()}  # web.update_ui says the same
        assert (listed[added.id].name, listed[added.id].download_limit) == ("renamed", 20_480)
        assert [f.path for f in client.files(added.id)] == ["add-trusted.bin"]  # the torrent's name, not its file's


@pytest.mark.daemon
def test_file_selection_at_add(deluge: DelugeServer) -> None:
    # The skipped file's data is missing: the torrent completes on the other two alone (whole pieces per
    # file, so no piece of theirs needs it); a torrent wanting every file would wait for it.
    sizes = (32_768, 98_304, 32_768)
    made = make_multi_torrent(deluge.downloads, "add-multi", sizes)
    assert made.data_path is not None
    (made.data_path / "f1.bin").unlink()
    with enunclic.connect(deluge.url, **deluge.options) as client:
        added = client.add(made.content, wanted_files=[0, 2])
        files = client.files(added.id)
        assert [f.priority for f in files] == [FilePriority.NORMAL, FilePriority.SKIP, FilePriority.NORMAL]
        assert [f.wanted for f in files] == [True, False, True]
        eventually(lambda: client.torrent(added.id).state is TorrentState.SEEDING, 15)
        multi = make_multi_torrent(deluge.downloads, "add-multi-paused", sizes)
        paused = client.add(multi.content, wanted_files=[1], paused=True, rename="chosen")
        assert [f.wanted for f in client.files(paused.id)] == [False, True, False]
        torrent = client.torrent(paused.id)
        assert torrent.name == "chosen"
        assert torrent.state in (TorrentState.PAUSED, TorrentState.COMPLETED)


@pytest.mark.daemon
def test_a_magnet_is_added_with_its_name_and_limits(deluge: DelugeServer) -> None:
    with enunclic.connect(deluge.url, **deluge.options) as client:
        added = client.add(MAGNET, rename="named-magnet", download_limit=5120)
        torrent = client.torrent(added.id)
        assert (torrent.name, torrent.download_limit, torrent.upload_limit) == ("named-magnet", 5120, None)
        assert torrent.state is TorrentState.METADATA
