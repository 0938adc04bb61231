"""What the bridge tests share: a fresh memory server (admin / secret) with an empty download folder, and Node."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from enunclic_memory import MemoryServer


@pytest.fixture
def server(tmp_path: Path) -> MemoryServer:
    root = tmp_path / "dl"
    root.mkdir()
    return MemoryServer(root)


@pytest.fixture(scope="session")
def node() -> str:
    """The Node.js binary that runs the GUI-side scripts (required under CI=true)."""
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is required in CI")
        pytest.skip("node is not installed")
    return found
