"""The CLI and the bridge reach aria2 with no code of their own: only the plugin knows the server."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bridge.process import BridgeProcess
from tests.daemons.aria2 import SECRET, Aria2Server

pytestmark = pytest.mark.daemon


def test_the_cli_adds_and_lists_on_aria2(aria2: Aria2Server, tmp_path: Path) -> None:
    made = aria2.make_torrent("cli-aria2.bin")
    path = tmp_path / "cli-aria2.torrent"
    path.write_bytes(made.content)
    env = {**os.environ, "ENUNCLIC_CONFIG_DIR": str(tmp_path / "config")}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "enunclic.cli", "--password-stdin", "-s", aria2.url, *args],
            input=SECRET + "\n",
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )

    added = cli("add", str(path), "--json")
    assert added.returncode == 0, added.stderr
    listed = cli("list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [row["info_hash"] for row in json.loads(listed.stdout)] == [made.info_hash]
    assert SECRET not in listed.stdout + listed.stderr + added.stdout + added.stderr


def test_the_bridge_drives_aria2(aria2: Aria2Server) -> None:
    made = aria2.make_torrent("bridge-aria2.bin")
    bridge = BridgeProcess()
    try:
        info = bridge.call("bridge.info")["result"]
        assert "aria2" in [backend["name"] for backend in info["backends"]]
        added = bridge.call("servers.add", {"name": "a2", "url": aria2.url, "password": SECRET})
        assert added["result"]["server"]["status"] == "connected", added
        content = base64.b64encode(made.content).decode()
        result = bridge.call("torrents.add", {"server": "a2", "torrent": content})["result"]
        assert result["info_hash"] == made.info_hash
        listed = bridge.call("torrents.list", {"server": "a2"})["result"]
        rows = listed["torrents"] if isinstance(listed, dict) else listed
        assert [row["id"] for row in rows] == [result["id"]]
    finally:
        bridge.kill()
    assert SECRET.encode() not in b"".join(bridge.raw_lines) + bridge.stderr
