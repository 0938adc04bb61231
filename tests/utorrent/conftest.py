"""What the µTorrent tests share: a fresh fake WebAPI server and a client logged in to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import enunclic

from .fake import FakeUTorrent

URL = "utorrent://admin:secret@127.0.0.1:8080"


@pytest.fixture
def server(tmp_path: Path) -> FakeUTorrent:
    return FakeUTorrent(tmp_path / "data")


@pytest.fixture
def client(server: FakeUTorrent) -> Iterator[enunclic.Client]:
    with enunclic.connect(URL, transport=server.transport()) as client:
        yield client
