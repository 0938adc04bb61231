"""Fixtures: the shared transmission-daemon of each version (tests/daemons/fixtures.py), emptied before each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import enunclic
from tests.daemons.transmission import TransmissionServer


@pytest.fixture
def transmission(transmission_server: TransmissionServer) -> TransmissionServer:
    """The daemon with no torrents, no limits and empty folders."""
    transmission_server.reset()
    return transmission_server


@pytest.fixture
def tr_client(transmission: TransmissionServer) -> Iterator[enunclic.Client]:
    """A sync client connected to the emptied daemon."""
    with enunclic.connect(transmission.url, **transmission.options()) as client:
        yield client


@pytest.fixture
def payload_dir(transmission: TransmissionServer) -> Path:
    return transmission.download_dir
