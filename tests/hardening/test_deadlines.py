"""A timeout is a deadline: a server that drips its reply a byte at a time cannot hold any call past it,
on any backend, sync or async, through the library, the CLI and the bridge."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import enunclic
from enunclic import RequestTimeout

from ..bridge.process import BridgeProcess
from ..drip import DripServer

URLS = {
    "synology": "synology://admin:secret@127.0.0.1:{port}",
    "qbittorrent": "qbittorrent://admin:secret@127.0.0.1:{port}",
    "transmission": "transmission://admin:secret@127.0.0.1:{port}",
    "deluge": "deluge://:secret@127.0.0.1:{port}",
    "rtorrent": "rtorrent+http://127.0.0.1:{port}/RPC2",
    "memory": "memory://admin:secret@127.0.0.1:{port}",
    "aria2": "aria2://:secret@127.0.0.1:{port}",
    "utorrent": "utorrent://admin:secret@127.0.0.1:{port}/gui/",
}


@pytest.fixture(scope="module")
def drip() -> Iterator[DripServer]:
    with DripServer() as server:
        yield server


@pytest.mark.parametrize("backend", sorted(URLS))
def test_a_sync_call_ends_by_its_deadline(drip: DripServer, backend: str) -> None:
    with enunclic.connect(URLS[backend].format(port=drip.port), timeout=1.0) as client:
        started = time.monotonic()
        with pytest.raises(RequestTimeout):
            client.torrents()
        assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("backend", sorted(URLS))
def test_an_async_call_ends_by_its_deadline(drip: DripServer, backend: str) -> None:
    async def run() -> float:
        async with enunclic.connect_async(URLS[backend].format(port=drip.port), timeout=5.0) as client:
            started = time.monotonic()
            with pytest.raises(RequestTimeout):
                await client.torrents(timeout=1.0)
            return time.monotonic() - started

    assert asyncio.run(run()) < 2.0


def test_the_cli_timeout_is_a_deadline(drip: DripServer, tmp_path: Path) -> None:
    url = URLS["transmission"].format(port=drip.port)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "enunclic.cli", "--timeout", "1", "-s", url, "list"],
        capture_output=True,
        timeout=30,
        check=False,
        env={**os.environ, "ENUNCLIC_CONFIG_DIR": str(tmp_path)},
    )
    assert time.monotonic() - started < 10  # the interpreter's start-up included
    assert done.returncode == 3, done.stderr  # a connection problem
    assert b"time" in done.stderr.lower()


def test_the_bridge_timeout_option_is_a_deadline(drip: DripServer) -> None:
    bridge = BridgeProcess("--timeout", "1")
    try:
        assert bridge.call("bridge.info")["result"]
        started = time.monotonic()
        reply = bridge.call("servers.add", {"name": "slow", "url": URLS["transmission"].format(port=drip.port)})
        assert time.monotonic() - started < 5
        assert reply["error"]["data"]["kind"] == "RequestTimeout", reply
        assert "result" in bridge.call("bridge.info")  # still serving
    finally:
        bridge.kill()
