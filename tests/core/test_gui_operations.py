"""What a GUI modelled on Electorrent needs beyond the basics: add options, labels, all-at-once,
force start, sequential, first/last piece, ratio limits, alternative speed; gated by capability."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from enunclic_memory import MemoryServer

import enunclic
from enunclic import Capability, InvalidInputError, NotSupportedError
from enunclic.testing.torrents import make_test_torrent
from tests.conftest import MEMORY_URL

MAGNET = "magnet:?xt=urn:btih:" + "ef" * 20


def _client(server: MemoryServer) -> enunclic.Client:
    return enunclic.connect(MEMORY_URL, transport=server.transport())


def test_add_with_every_option(memory_server: MemoryServer, tmp_path: Path) -> None:
    torrent = make_test_torrent(tmp_path / "payload", "one.bin")
    with _client(memory_server) as client:
        added = client.add(
            torrent.content, rename="renamed", wanted_files=[0], download_limit=2048, upload_limit=1024, skip_check=True
        )
        row = client.torrent(added.id)
    entry = memory_server.torrents[added.id]
    assert row.name == "renamed" and entry.wanted == [0]
    assert (row.download_limit, row.upload_limit) == (2048, 1024)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"wanted_files": [1]}, "from 0 to 0"),
        ({"wanted_files": []}, "at least one file"),
        ({"wanted_files": [True]}, "by its index"),
        ({"rename": "a/b"}, "path separators"),
        ({"rename": " "}, "non-empty"),
        ({"download_limit": 0}, "int > 0"),
        ({"upload_limit": 1.5}, "int > 0"),
    ],
)
def test_bad_add_options_are_refused_before_any_request(
    memory_server: MemoryServer, tmp_path: Path, options: dict[str, object], message: str
) -> None:
    torrent = make_test_torrent(tmp_path / "payload", "one.bin")
    with _client(memory_server) as client:
        client.info()
        sent = len(memory_server.requests)
        with pytest.raises(InvalidInputError, match=message):
            client.add(torrent.content, **options)  # type: ignore[arg-type]
        assert len(memory_server.requests) == sent


def test_a_magnet_has_no_files_to_choose_yet(memory_server: MemoryServer) -> None:
    with _client(memory_server) as client, pytest.raises(InvalidInputError, match="needs the .torrent content"):
        client.add(MAGNET, wanted_files=[0])


ADD_OPTIONS = {
    Capability.ADD_SKIP_CHECK: {"skip_check": True},
    Capability.ADD_RENAME: {"rename": "x"},
    Capability.ADD_LIMITS: {"download_limit": 1024},
}


BUILT_INS = ["aria2", "deluge", "qbittorrent", "rtorrent", "synology", "transmission", "utorrent"]


@pytest.mark.parametrize("backend", BUILT_INS)
def test_an_add_option_the_server_lacks_fails_before_any_request(backend: str) -> None:
    cls = enunclic.get_backends()[backend]
    lacking = {c: o for c, o in ADD_OPTIONS.items() if c not in cls.capabilities}
    if not lacking:
        pytest.skip(f"{backend} has every add option")
    url = f"{backend}://127.0.0.1:9" + ("/gui/" if backend == "utorrent" else "")
    with enunclic.connect(url, timeout=2) as client:  # port 9: nothing listens, and nothing is sent
        for capability, options in lacking.items():
            with pytest.raises(NotSupportedError, match=capability.value):
                client.add(MAGNET, **options)  # type: ignore[arg-type]
        assert client.requests_sent == 0


def test_labels_include_those_no_torrent_carries(memory_server: MemoryServer) -> None:
    memory_server.labels.add("tv")
    with _client(memory_server) as client:
        client.add(MAGNET, label="movies")
        assert client.labels() == ["movies", "tv"]


def test_pause_all_and_resume_all_are_one_request(memory_server: MemoryServer) -> None:
    with _client(memory_server) as client:
        for n in range(3):
            client.add(f"magnet:?xt=urn:btih:{n:040x}")
        client.info()
        before = len(memory_server.requests)
        client.pause_all()
        assert len(memory_server.requests) == before + 1
        assert {t.state.value for t in client.torrents()} == {"paused"}
        client.resume_all()
        assert {t.state.value for t in client.torrents()} == {"seeding"}


def test_per_torrent_switches_and_ratio_read_back(memory_server: MemoryServer) -> None:
    with _client(memory_server) as client:
        tid = client.add(MAGNET, paused=True).id
        client.set_sequential(tid, True)
        client.set_first_last_piece(tid, True)
        client.set_ratio_limit(tid, 1.5)
        client.force_start(tid)
        row = client.torrent(tid)
        assert (row.sequential, row.first_last_piece, row.ratio_limit, row.state.value) == (True, True, 1.5, "seeding")
        client.set_sequential([tid], False)
        client.set_ratio_limit([tid], None)
        row = client.torrent(tid)
        assert (row.sequential, row.ratio_limit) == (False, None)


def test_alternative_speed_reads_back(memory_server: MemoryServer) -> None:
    async def scenario() -> tuple[bool | None, bool | None]:
        async with enunclic.connect_async(MEMORY_URL, transport=memory_server.transport()) as client:
            await client.set_alt_speed(True)
            on = (await client.stats()).alt_speed
            await client.set_alt_speed(False)
            return on, (await client.stats()).alt_speed

    assert asyncio.run(scenario()) == (True, False)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.set_sequential("t1", "yes"), "True or False"),
        (lambda c: c.set_alt_speed(1), "True or False"),
        (lambda c: c.set_ratio_limit("t1", -1), "number >= 0"),
        (lambda c: c.set_ratio_limit("t1", True), "number >= 0"),
    ],
)
def test_bad_values_are_refused(memory_server: MemoryServer, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with _client(memory_server) as client, pytest.raises(InvalidInputError, match=message):
        call(client)


def test_changes_wake_a_watcher_and_reads_do_not(memory_server: MemoryServer) -> None:
    with _client(memory_server) as client:
        tid = client.add(MAGNET).id
        count = client.mutations.count
        client.labels()
        assert client.mutations.count == count
        client.pause_all()
        client.set_ratio_limit(tid, 2.0)
        assert client.mutations.count == count + 2
