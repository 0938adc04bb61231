"""What Download Station cannot do (labels, recheck, reannounce, delete data), on the memory test backend.

The memory server is served over real HTTP on 127.0.0.1 (tests/bridge/memory_http.py), so the
command line reaches it exactly like any server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from enunclic_memory import MemoryServer

from enunclic.testing.torrents import make_test_torrent
from tests.bridge.memory_http import MemoryHTTP

from .conftest import cli


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[tuple[MemoryServer, str]]:
    root = tmp_path / "downloads"
    root.mkdir()
    server = MemoryServer(root)
    with MemoryHTTP(server) as http:
        url = http.url()
        assert (
            cli(
                [
                    "--password-stdin",
                    "servers",
                    "add",
                    "mem",
                    url.replace("memory://", "memory://admin@"),
                    "--store-password-plaintext",
                ],
                input="secret\n",
            ).exit_code
            == 0
        )
        yield server, str(root)


def _add(tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.torrent"
    path.write_bytes(make_test_torrent(tmp_path / "downloads", name).content)
    result = cli(["add", str(path), "--json", "--label", "iso"])
    assert result.exit_code == 0, result.output
    [added] = json.loads(result.stdout)["added"]
    return str(added["id"])


def test_label_recheck_reannounce(memory: tuple[MemoryServer, str], tmp_path: Path) -> None:
    server, _ = memory
    tid = _add(tmp_path, "alpha")
    assert server.torrents[tid].label == "iso"
    assert [r["label"] for r in json.loads(cli(["list", "--json", "--label", "iso"]).stdout)] == ["iso"]
    assert cli(["label", tid, "--set", "linux"]).exit_code == 0
    assert server.torrents[tid].label == "linux"
    assert cli(["label", tid, "--clear"]).exit_code == 0
    assert server.torrents[tid].label is None
    for command in ("recheck", "reannounce"):
        result = cli([command, tid])
        assert result.exit_code == 0, result.output
    unknown = cli(["recheck", "nope"])
    assert unknown.exit_code == 1


def test_file_priority_queue_order_and_torrent_limits(memory: tuple[MemoryServer, str], tmp_path: Path) -> None:
    server, _ = memory
    first, second, third = (_add(tmp_path, name) for name in ("one", "two", "three"))
    result = cli(["priority", "SKIP", first, "0"])
    assert result.exit_code == 0, result.output
    assert server.torrents[first].priorities == ["skip"]
    assert "Set 1 file of" in result.stdout
    assert cli(["priority", "high", first]).exit_code == 0  # no index: every file the server lists
    assert server.torrents[first].priorities == ["high"]

    def order() -> list[str]:
        return [e.id for e in sorted(server.torrents.values(), key=lambda e: e.position)]

    before = order()
    result = cli(["queue", "top", before[-1]])
    assert result.exit_code == 0, result.output
    assert "Moved 1 torrent to the top." in result.stdout
    assert order() == [before[-1], *before[:-1]]
    assert cli(["queue", "bottom", before[-1]]).exit_code == 0
    assert order() == before

    result = cli(["torrent-limits", second, third, "--download", "1MiB/s", "--upload", "2k"])
    assert result.exit_code == 0, result.output
    assert "Limited 2 torrents: download 1.0 MiB/s, upload 2.0 KiB/s." in result.stdout
    result = cli(["torrent-limits", second, third, "--upload", "unlimited"])  # the download limit is kept
    assert result.exit_code == 0, result.output
    assert "download kept, upload unlimited" in result.stdout
    both = {"down": 1024 * 1024, "up": None}
    assert (server.torrents[second].limits, server.torrents[third].limits) == (both, both)
    assert server.torrents[first].limits == {"down": None, "up": None}
    missing = cli(["queue", "up", "nope"])
    assert missing.exit_code == 1, missing.output


def test_adding_the_same_torrent_again_is_a_duplicate(memory: tuple[MemoryServer, str], tmp_path: Path) -> None:
    _add(tmp_path, "beta")
    again = cli(["add", str(tmp_path / "beta.torrent")])
    assert again.exit_code == 0, again.output
    assert "already there" in again.stdout
    assert "0 added, 1 duplicate, 0 failed" in again.stdout


def test_remove_with_data_asks_first(memory: tuple[MemoryServer, str], tmp_path: Path) -> None:
    server, root = memory
    tid = _add(tmp_path, "gamma")
    data = Path(root) / "gamma"
    assert data.exists()
    declined = cli(["remove", tid, "--delete-data"], input="n\n")
    assert declined.exit_code == 1
    assert "DELETE THEIR DATA" in declined.stderr
    assert "nothing removed" in declined.stderr
    assert tid in server.torrents
    no_answer = cli(["remove", tid, "--delete-data"], input="")
    assert no_answer.exit_code == 1
    assert tid in server.torrents
    accepted = cli(["remove", tid, "--delete-data"], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert tid not in server.torrents
    assert not data.exists()


def test_remove_with_data_and_yes_does_not_ask(memory: tuple[MemoryServer, str], tmp_path: Path) -> None:
    server, root = memory
    tid = _add(tmp_path, "delta")
    result = cli(["remove", tid, "--delete-data", "--yes"])
    assert result.exit_code == 0, result.output
    assert "DELETE" not in result.output
    assert not (Path(root) / "delta").exists()
    assert server.torrents == {}


def test_limits_left_out_are_kept_and_a_word_removes_one(memory: tuple[MemoryServer, str]) -> None:
    server, _ = memory
    assert cli(["limits", "--download", "1m", "--upload", "2m"]).exit_code == 0
    assert server.global_limits == {"down": 1024**2, "up": 2 * 1024**2}
    result = cli(["limits", "--upload", "unlimited", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"download_limit": 1024**2, "upload_limit": None}  # read back
    assert server.global_limits == {"down": 1024**2, "up": None}


def test_a_zero_limit_is_refused_where_it_means_none_with_the_word_to_use(
    memory: tuple[MemoryServer, str], tmp_path: Path
) -> None:
    server, _ = memory
    tid = _add(tmp_path, "zero")
    sent = len(server.requests)
    for args in (["limits", "--download", "0"], ["torrent-limits", tid, "--upload", "0k"]):
        result = cli(args)
        assert result.exit_code == 2, result.output
        assert "unlimited' removes the limit" in result.stderr
    assert not any(b"limits" in r.content for r in server.requests[sent:])  # nothing was set
    assert (server.global_limits, server.torrents[tid].limits) == ({"down": None, "up": None},) * 2


def test_info_shows_a_torrents_limits_once_one_is_set(memory: tuple[MemoryServer, str], tmp_path: Path) -> None:
    tid = _add(tmp_path, "shown")
    assert "Limits" not in cli(["info", tid]).stdout  # none set: the row could not tell "none" from "not listed"
    assert cli(["torrent-limits", tid, "--download", "1m"]).exit_code == 0
    assert "down 1.0 MiB/s, up unlimited" in cli(["info", tid]).stdout
    torrent = json.loads(cli(["info", tid, "--json"]).stdout)["torrent"]
    assert (torrent["download_limit"], torrent["upload_limit"]) == (1024**2, None)


def test_limit_help_says_what_is_kept_and_what_removes() -> None:
    for command in ("limits", "torrent-limits"):
        text = " ".join(cli([command, "--help"]).stdout.split())
        assert "'unlimited' removes the limit" in text and "left out, the limit is kept" in text
