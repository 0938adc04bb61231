"""Fixtures: one real transmission-daemon per version for the session, emptied before each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import enunclic
from tests.daemons.transmission import VERSIONS, TransmissionServer, start_transmission


@pytest.fixture(scope="session", params=sorted(VERSIONS), ids=lambda v: f"transmission-{v}")
def transmission_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TransmissionServer]:
    """A daemon of each version (3.00 from Debian 12, 4.1.0-beta.2 from Debian 13), started once."""
    server = start_transmission(request.param, tmp_path_factory.mktemp("transmission"))
    try:
        yield server
    finally:
        server.stop()


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
