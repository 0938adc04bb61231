"""The benchmark script runs end to end on small payloads (a smoke test: it asserts no figure).

A stale payload (a reply shape a backend no longer reads) once broke the full run; this
keeps the script and the generated replies in step with the backends.
"""

from __future__ import annotations

import re

import pytest

from .bench import main
from .bench_payloads import BACKENDS


def test_p1_p2_p3_print_a_row_per_backend(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--only", "p1", "p2", "p3", "--count", "200", "--repeat", "1", "--processes", "2"]) == 0
    out = capsys.readouterr().out
    for part in ("## P1", "## P2", "## P3"):
        assert part in out
    # Every JSON backend's P1 row says where its time goes: three stages in Rust and Python, then the client.
    for backend in ("transmission", "qbittorrent", "deluge", "synology"):
        stages = r"read \d+\.\d \+ rules \d+\.\d \+ models \d+\.\d \+ client \d+\.\d"
        assert re.search(rf"^\| {backend} +\|.*\| {stages} +\|", out, flags=re.MULTILINE), backend
    assert re.search(
        r"^\| rtorrent +\|.*\| read \d+\.\d \+ mapping \d+\.\d \+ client \d+\.\d +\|", out, flags=re.MULTILINE
    )
    for backend in BACKENDS:  # the median of two processes, and their range
        assert re.search(rf"^\| {backend} +\|.*\| \d+\.\d\dx \(\d+\.\d\d-\d+\.\d\d\) +\|", out, flags=re.MULTILINE)
        rows = re.findall(rf"^\| {backend} +\|", out, flags=re.MULTILINE)
        assert len(rows) == 3, f"{backend}: {len(rows)} rows"


def _rows(out: str, section: str) -> list[list[str]]:
    """The cells of the first table after the heading that starts with ``section``."""
    body = out[out.index(section) :]
    lines = [line for line in body.splitlines() if line.startswith("| ")]
    table = body[body.index(lines[0]) :].split("\n\n", 1)[0].splitlines()
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table[2:]]


def test_memory_link_and_startup_print_their_tables(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--quick", "--only", "memory", "link", "startup", "--count", "200", "--startup-count", "20"]
    assert main([*argv, "--backends", "transmission", "qbittorrent"]) == 0
    out = capsys.readouterr().out

    memory = _rows(out, "## P1 memory")
    for backend in ("transmission", "qbittorrent"):
        mine = [row for row in memory if row[0] == backend]
        assert [row[2] for row in mine[:2]] == ["enunclic", "json.loads"], mine
        assert all(re.fullmatch(r"\d+\.\d MB", cell) for row in mine for cell in (row[3], row[4])), mine
        # The verdict compares enunclic with the peer library, or says that none is installed.
        assert re.fullmatch(r"(\d+\.\d\dx(, \d+\.\d\dx)? vs \S+: (yes|\*\*MISSED\*\*)|no peer installed)", mine[0][8])

    link = _rows(out, "## P3 on a slow link")
    for backend in ("transmission", "qbittorrent", "deluge"):
        mine = {row[1]: row for row in link if row[0] == backend}
        asked, plain = mine["enunclic"], mine["enunclic (server not compressing)"]
        # enunclic asks for gzip, and these servers compress only when asked: a fraction of the bytes crosses.
        assert int(asked[2].replace(",", "")) * 3 < int(plain[2].replace(",", "")), (asked, plain)
        assert all(cell.endswith("ms") for cell in asked[3:5] + asked[6:8]), asked
        assert len(mine) == 3, mine  # the peer too, measured or "not installed"

    startup = _rows(out, "## Start-up")
    for server in ("transmission", "qbittorrent"):
        ours = next(row for row in startup if row[:2] == [server, "enunclic"])
        assert all(re.fullmatch(r"\d+ ms", cell) for cell in ours[2:7]), ours
        assert re.fullmatch(r"(\d+\.\d\dx (yes|\*\*MISSED\*\*)|\S+ not installed)", ours[7]), ours
        if "MISSED" in ours[7]:
            assert f"### What dominates the start-up: {server}" in out
