"""Fixtures: the shared aria2c (tests/daemons/fixtures.py), emptied before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import enunclic
from tests.daemons.aria2 import Aria2Server


@pytest.fixture
def aria2(aria2_server: Aria2Server) -> Aria2Server:
    """The daemon with no downloads, no global limits and an empty folder."""
    aria2_server.reset()
    return aria2_server


@pytest.fixture
def a2_client(aria2: Aria2Server) -> Iterator[enunclic.Client]:
    with enunclic.connect(aria2.url, **aria2.options()) as client:
        yield client
