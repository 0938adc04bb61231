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

    result = cli(["torrent-limits", second, third, "--download", "1MiB/s", "--upload", "0"])
    assert result.exit_code == 0, result.output
    assert "Limited 2 torrents" in result.stdout
    assert (server.torrents[second].limits, server.torrents[third].limits) == ((1024 * 1024, 0), (1024 * 1024, 0))
    assert server.torrents[first].limits == (0, 0)
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


def test_limits_zero_means_unlimited(memory: tuple[MemoryServer, str]) -> None:
    server, _ = memory
    assert cli(["limits", "--download", "1m", "--upload", "2m"]).exit_code == 0
    assert server.global_limits == (1024**2, 2 * 1024**2)
    assert cli(["limits", "--upload", "0"]).exit_code == 0
    assert json.loads(cli(["limits", "--json"]).stdout) == {"download_limit": 1024**2, "upload_limit": None}
