"""Session-scoped deluged + deluge-web per version, a per-test view emptied before each test, and a fake deluge-web."""

from __future__ import annotations

import sys

import httpx
import pytest

from ..daemons.deluge import VERSIONS, DelugeServer, start_deluge
from .fake_web import FakeWeb


@pytest.fixture(params=sorted(VERSIONS))
def deluge(
    request: pytest.FixtureRequest, deluge_daemons: dict[str, DelugeServer], tmp_path_factory: pytest.TempPathFactory
) -> DelugeServer:
    """One Deluge version with no torrents, no global limits and the Label plugin enabled."""
    version = request.param
    if version not in deluge_daemons:
        deluge_daemons[version] = start_deluge(version, tmp_path_factory.mktemp(f"deluge-{version}"))
    server = deluge_daemons[version]
    try:
        server.clear()
    except (RuntimeError, httpx.HTTPError) as exc:
        # Deluge can keep a half-removed torrent whose broken handle makes every listing hang
        # (see the backend's set_file_priority and the lead's report): start a fresh daemon
        # rather than let one server bug fail every later test.
        print(f"deluge {version}: restarting a broken daemon ({exc!r})", file=sys.stderr)
        server.stop()
        server = deluge_daemons[version] = start_deluge(version, tmp_path_factory.mktemp(f"deluge-{version}"))
        server.clear()
    return server


@pytest.fixture
def web() -> FakeWeb:
    """A fresh fake deluge-web with one torrent."""
    return FakeWeb()
