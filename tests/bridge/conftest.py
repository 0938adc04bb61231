"""What the bridge tests share: a fresh memory server (admin / secret) with an empty download folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from enunclic_memory import MemoryServer


@pytest.fixture
def server(tmp_path: Path) -> MemoryServer:
    root = tmp_path / "dl"
    root.mkdir()
    return MemoryServer(root)
