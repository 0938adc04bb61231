"""The documentation: the capability matrix is current, and the site builds with warnings as errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import enunclic
from enunclic.capabilities import capability_matrix

DOCS = Path(__file__).resolve().parents[2] / "docs"
START, END = "<!-- capability-matrix:start -->", "<!-- capability-matrix:end -->"


def _built_ins() -> dict[str, type[enunclic.Backend]]:
    return {n: c for n, c in enunclic.get_backends().items() if c.__module__.startswith("enunclic.backends.")}


def test_capability_matrix_is_current() -> None:
    page = DOCS / "backends.md"
    text = page.read_text()
    expected = f"{START}\n{capability_matrix(_built_ins())}\n{END}"
    current = re.search(re.escape(START) + ".*?" + re.escape(END), text, re.S)
    assert current is not None, "the markers are missing from docs/backends.md"
    if current.group(0) != expected and os.environ.get("ENUNCLIC_UPDATE_DOCS") == "1":
        page.write_text(text.replace(current.group(0), expected))
        return
    assert current.group(0) == expected, "stale: run ENUNCLIC_UPDATE_DOCS=1 pytest tests/docs"


@pytest.mark.slow
def test_site_builds_strictly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "reference.html").exists()
