"""The README's first command on a fresh machine: install the wheel with the cli extra, run ``enunclic demo``."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_enunclic_demo_works_from_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], check=True, capture_output=True
    )
    wheel = next(dist.glob("enunclic-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[cli]"],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [str(env_dir / "bin" / "enunclic"), "demo", "--once"],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Big.Buck.Bunny.2008.2160p" in result.stdout
    assert "seeding" in result.stdout
