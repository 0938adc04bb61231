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
