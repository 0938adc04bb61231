"""The short soak run: a few add/pause/resume/remove cycles per real daemon (the long run is soak.py's CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .soak import daemon_targets, soak

#: Short in CI; ``python -m tests.hardening.soak --cycles 500`` is the long run (docs/performance.md).
CYCLES = 3
BATCH = 2


@pytest.mark.daemon
@pytest.mark.parametrize("backend", ["transmission", "qbittorrent", "rtorrent", "deluge"])
def test_soak_loses_duplicates_and_leaves_nothing(backend: str, tmp_path: Path) -> None:
    with daemon_targets(tmp_path, (backend,)) as targets:
        if not targets:
            pytest.skip(f"no {backend} daemon installed (see tests/daemons/)")
        for name, target in targets:
            report = soak(name, target, CYCLES, BATCH)
            assert report.ok, "\n".join([report.line(), *report.anomalies])
            assert report.cycles == CYCLES and report.operations == CYCLES * (BATCH + 3)
