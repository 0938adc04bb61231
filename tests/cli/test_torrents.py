"""Torrent commands against the simulated NAS over HTTP on 127.0.0.1; ``--json`` parsed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from enunclic.testing.torrents import make_test_torrent

from .conftest import Nas, cli

MAGNET = "magnet:?xt=urn:btih:" + "5f" * 20 + "&dn=Cli.Magnet"


def _list(*args: str) -> list[dict[str, Any]]:
    result = cli(["list", "--json", *args])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def _by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in rows}


def test_list_json_is_the_torrent_model(saved: Nas) -> None:
    rows = _list()
    assert len(rows) == 8
    bunny = _by_name(rows)["Big.Buck.Bunny.2008.2160p"]
    assert bunny["state"] == "downloading"
    assert bunny["download_speed"] == 5 * 1024 * 1024  # raw bytes/s
    assert bunny["info_hash"] == f"{0x4D5E6F:040x}"
    assert {"id", "name", "state", "native_state", "progress", "size", "eta", "label", "added_at"} <= set(bunny)
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), key=lambda i: int(i.rpartition("_")[2]))


def test_list_filters_and_sort(saved: Nas) -> None:
    assert {r["name"] for r in _list("--state", "paused")} == {"archlinux-2024.11.01-x86_64.iso"}
    both = _list("--state", "paused", "--state", "error")
    assert {r["state"] for r in both} == {"paused", "error"}
    assert [r["name"] for r in _list("--search", "ISO")] == [
        "ubuntu-24.04.1-desktop-amd64.iso",
        "debian-12.7.0-amd64-DVD-1.iso",
        "archlinux-2024.11.01-x86_64.iso",
    ]
    assert _list("--label", "nothing-has-this") == []
    names = [r["name"] for r in _list("--sort", "name")]
    assert names == sorted(names, key=str.lower)
    speeds = [r["download_speed"] for r in _list("--sort", "down", "--reverse")]
    assert speeds == sorted(speeds, reverse=True)


def test_list_table_with_chosen_columns(saved: Nas) -> None:
    result = cli(["list", "--columns", "name,state,down", "--sort", "name"])
    assert result.exit_code == 0, result.output
    [head] = [line for line in result.stdout.splitlines() if line.count("┃") == 4]
    assert [cell.strip() for cell in head.split("┃")[1:-1]] == ["Name", "State", "Down"]
    lines = [line for line in result.stdout.splitlines() if line.count("│") == 4]
    rows = {cell[0]: cell[1:] for cell in ([c.strip() for c in line.split("│")[1:-1]] for line in lines)}
    assert rows["Big.Buck.Bunny.2008.2160p"] == ["downloading", "5.0 MiB/s"]
    assert next(iter(rows)) == "annual-report-2023.pdf"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--columns", "name,bogus"], "unknown column bogus"),
        (["list", "--sort", "bogus"], "unknown column"),
        (["list", "--state", "sleeping"], "sleeping"),
        (["limits", "--download", "fast"], "not a speed"),
        (["label", "dbid_1"], "--set NAME or --clear"),
        (["priority", "urgent", "dbid_1"], "not one of skip, low, normal, high"),
        (["priority", "high", "dbid_1", "--", "-1"], "start at 0"),
        (["queue", "sideways", "dbid_1"], "not one of top, up, down, bottom"),
        (["queue", "top"], "at least one torrent id"),
        (["torrent-limits", "dbid_1"], "give --download, --upload or both"),
        (["torrent-limits", "dbid_1", "--download", "fast", "--upload", "0"], "not a speed"),
    ],
)
def test_usage_errors_exit_2(saved: Nas, args: list[str], message: str) -> None:
    result = cli(args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_add_magnet_then_info(saved: Nas) -> None:
    result = cli(["add", MAGNET, "--paused", "--destination", "video", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["failed"] == []
    [added] = report["added"]
    assert added["source"] == MAGNET
    assert added["info_hash"] == "5f" * 20
    assert added["duplicate"] is False
    row = next(r for r in _list() if r["id"] == added["id"])
    assert row["state"] == "paused"
    assert row["destination"] == "video"
    details = cli(["info", added["id"], "--json"])
    assert details.exit_code == 0, details.output
    data = json.loads(details.stdout)
    assert data["torrent"]["id"] == added["id"]
    assert set(data) == {"torrent", "files", "trackers", "peers"}
    assert isinstance(data["files"], list)
    assert isinstance(data["trackers"], list)


def test_info_table_shows_files_trackers_and_peers(saved: Nas) -> None:
    bunny = _by_name(_list())["Big.Buck.Bunny.2008.2160p"]
    result = cli(["info", bunny["id"]])
    assert result.exit_code == 0, result.output
    for text in ("Big.Buck.Bunny.2008.2160p", "downloading", "Files", "Trackers", "Peers", bunny["info_hash"]):
        assert text in result.stdout


def test_add_a_folder_with_a_summary_and_a_failure(saved: Nas, tmp_path: Path) -> None:
    folder = tmp_path / "torrents"
    folder.mkdir()
    for name in ("one", "two", "three"):
        (folder / f"{name}.torrent").write_bytes(make_test_torrent(tmp_path / "payload", name).content)
    (folder / "broken.torrent").write_bytes(b"this is not bencode")
    (folder / "notes.txt").write_text("ignored")
    result = cli(["add", str(folder), "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert sorted(Path(a["source"]).name for a in report["added"]) == ["one.torrent", "three.torrent", "two.torrent"]
    [failed] = report["failed"]
    assert Path(failed["source"]).name == "broken.torrent"
    assert failed["error"]["kind"] == "InvalidInputError"
    assert "3 added, 0 duplicate, 1 failed" in result.stderr
    names = {r["name"] for r in _list()}
    assert {"one", "two", "three"} <= names


def test_adding_twice_is_a_duplicate(saved: Nas, tmp_path: Path) -> None:
    made = make_test_torrent(tmp_path / "payload", "twice")
    path = tmp_path / "twice.torrent"
    path.write_bytes(made.content)
    assert cli(["add", str(path)]).exit_code == 0
    again = cli(["add", str(path), str(tmp_path / "missing.torrent")])
    assert again.exit_code == 1
    # DSM makes an error twin of a duplicate; the backend removes it and names the task already there.
    assert "0 added, 1 duplicate, 1 failed" in again.stdout
    assert "already there: " in again.stdout
    assert "missing.torrent: no such file" in again.stderr


def test_pause_resume_and_unknown_id(saved: Nas) -> None:
    bunny = _by_name(_list())["Big.Buck.Bunny.2008.2160p"]["id"]
    paused = cli(["pause", bunny])
    assert paused.exit_code == 0, paused.output
    assert "Paused 1 torrent." in paused.stdout
    assert _by_name(_list())["Big.Buck.Bunny.2008.2160p"]["state"] == "paused"
    assert cli(["resume", bunny]).exit_code == 0
    assert _by_name(_list())["Big.Buck.Bunny.2008.2160p"]["state"] != "paused"
    missing = cli(["pause", "dbid_999999"])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: ")
    assert "dbid_999999" in missing.stderr
    assert "Traceback" not in missing.output


def test_pause_all_and_argument_checks(saved: Nas) -> None:
    result = cli(["pause", "--all"])
    assert result.exit_code == 1  # finished and error tasks cannot be paused on DS: a partial failure
    assert "failed for" in result.stderr
    assert cli(["pause"]).exit_code == 2
    assert cli(["pause", "dbid_1", "--all"]).exit_code == 2


def test_remove_and_move(saved: Nas) -> None:
    rows = _by_name(_list())
    arch = rows["archlinux-2024.11.01-x86_64.iso"]["id"]
    moved = cli(["move", arch, "--to", "video"])
    assert moved.exit_code == 0, moved.output
    assert _by_name(_list())["archlinux-2024.11.01-x86_64.iso"]["destination"] == "video"
    removed = cli(["remove", arch])
    assert removed.exit_code == 0, removed.output
    assert "archlinux-2024.11.01-x86_64.iso" not in _by_name(_list())


@pytest.mark.parametrize(
    "args",
    [
        ["label", "dbid_1", "--set", "iso"],
        ["recheck", "dbid_1"],
        ["reannounce", "dbid_1"],
        ["remove", "dbid_1", "--delete-data"],
        ["priority", "skip", "dbid_1", "0"],
        ["queue", "top", "dbid_1"],
        ["torrent-limits", "dbid_1", "--download", "1m", "--upload", "none"],
    ],
)
def test_what_download_station_cannot_do_exits_4(saved: Nas, args: list[str]) -> None:
    result = cli(args)
    assert result.exit_code == 4, result.output
    assert result.stderr.startswith("Error: ")
    assert "Remove" not in result.output  # no confirmation asked for something impossible


def test_stats_and_limits(saved: Nas) -> None:
    stats = cli(["stats", "--json"])
    assert stats.exit_code == 0, stats.output
    figures = json.loads(stats.stdout)
    assert set(figures) == {
        "download_speed", "upload_speed", "download_limit", "upload_limit", "free_space", "alt_speed"
    }
    assert isinstance(figures["download_speed"], int)
    table = cli(["stats"])
    assert "Download limit" in table.stdout
    set_both = cli(["limits", "--download", "2MiB/s", "--upload", "500k", "--json"])
    assert set_both.exit_code == 0, set_both.output
    assert json.loads(set_both.stdout) == {"download_limit": 2 * 1024**2, "upload_limit": 500 * 1024}
    # Setting one keeps the other.
    assert cli(["limits", "--download", "none"]).exit_code == 0
    shown = cli(["limits", "--json"])
    assert json.loads(shown.stdout) == {"download_limit": None, "upload_limit": 500 * 1024}
    human = cli(["limits"])
    assert "download: unlimited" in human.stdout
    assert "upload:   500.0 KiB/s" in human.stdout


def test_connection_refused_exits_3(saved: Nas) -> None:
    from tests.daemons.process import free_port

    result = cli(["--password-stdin", "-s", f"synology://admin@127.0.0.1:{free_port()}", "list"], input="x\n")
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_debug_shows_the_traceback(saved: Nas) -> None:
    plain = cli(["info", "dbid_999999"])
    assert plain.exit_code == 1
    assert "Traceback" not in plain.stderr
    debug = cli(["--debug", "info", "dbid_999999"])
    assert debug.exit_code == 1
    assert "Traceback" in debug.stderr
    assert "TorrentNotFoundError" in debug.stderr


def test_add_with_a_label_download_station_cannot_set_adds_nothing(saved: Nas) -> None:
    before = len(_list())
    result = cli(["add", MAGNET, "--label", "linux"])
    assert result.exit_code == 4, result.output
    assert "cannot set labels" in result.stderr
    assert len(_list()) == before


@pytest.mark.parametrize(
    "name",
    ["[/]", "[link=file:///etc/passwd]click[/link]", "evil\x1b]0;owned\x07title\x1b[2J", "a\u202egnp.exe"],
)
def test_server_text_is_shown_as_text(saved: Nas, name: str) -> None:
    """A name from the server is neither markup nor terminal commands, in the table and in the details."""
    magnet = f"magnet:?xt=urn:btih:{'c' * 40}&dn={quote(name)}"
    assert cli(["add", magnet, "--paused"]).exit_code == 0
    added = next(r for r in _list() if r["info_hash"] == "c" * 40)
    for args in (["list", "--columns", "id,name,state,where"], ["info", added["id"]]):
        result = cli(args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\x07" not in result.stdout
        if name.startswith("["):
            assert name[:3] in result.stdout  # the brackets are printed, not read as markup
