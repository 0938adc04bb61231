"""A real client in another language: Node (standard library only) drives the bridge subprocess.

Against the memory backend (served over loopback HTTP) and, when available, the
synology backend against the Download Station simulator (real HTTP on 127.0.0.1).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from enunclic_memory import MemoryServer

import enunclic
from enunclic.testing.torrents import make_test_torrent

from .memory_http import MemoryHTTP

SCRIPT = Path(__file__).parent / "node" / "client.mjs"
SECRET = "N0de-Secret-Value"


@dataclass
class Target:
    url: str  # without credentials
    magnet_name: str
    recheck: bool  # the server can recheck (a button a GUI enables or not)


@pytest.fixture(params=["memory", "synology"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    with ExitStack() as stack:
        if request.param == "memory":
            root = tmp_path / "dl"
            root.mkdir()
            http = stack.enter_context(MemoryHTTP(MemoryServer(root, password=SECRET)))
            yield Target(http.url(), "e" * 40, recheck=True)  # the memory server names a magnet by its hash
            return
        simulators = pytest.importorskip("enunclic.simulators.synology")
        if "synology" not in enunclic.get_backends():
            pytest.skip("the synology backend is not registered")
        sim = simulators.SynologySimulator(7)
        sim.add_account("admin", SECRET, manager=True)
        served = stack.enter_context(sim.serve())
        yield Target("synology://" + served.url.split("://", 1)[1], "from-node", recheck=False)


def test_node_client_lists_adds_pauses_and_receives_deltas(target: Target, tmp_path: Path, node: str) -> None:
    torrent = make_test_torrent(tmp_path / "payload", "node-data.bin")
    torrent_path = tmp_path / "node-data.torrent"
    torrent_path.write_bytes(torrent.content)
    env = {
        **os.environ,
        "ENUNCLIC_PYTHON": sys.executable,
        "ENUNCLIC_TEST_URL": target.url,
        "ENUNCLIC_TEST_PASSWORD": SECRET,
        "ENUNCLIC_TEST_TORRENT": str(torrent_path),
    }
    done = subprocess.run([node, str(SCRIPT)], env=env, capture_output=True, timeout=90, check=False)
    output = done.stdout.decode()
    assert done.returncode == 0, output + done.stderr.decode()
    lines = [json.loads(line) for line in output.splitlines()]
    steps = {line["step"]: line for line in lines if "step" in line}
    assert steps["info"]["framing"] == "ndjson" and steps["info"]["methods"] > 20
    assert steps["connected"]["status"] == "connected"
    assert steps["connected"]["backend"] == target.url.split("://")[0]
    assert steps["baseline"] == {"step": "baseline", "full": True, "added": 0}
    assert steps["added"]["info_hash"] == torrent.info_hash
    assert steps["listed"]["total"] == 2
    assert steps["listed"]["names"] == sorted([target.magnet_name, "node-data.bin"])
    # The same magnet again is the torrent the server already has: no twin, in the list or on the server.
    assert steps["duplicate"] == {
        "step": "duplicate", "duplicate": True, "same_id": True, "total": 2, "names": steps["listed"]["names"],
    }
    assert steps["buttons"] == {
        "step": "buttons", "recheck": target.recheck, "files": True, "pause": True, "sorted": True
    }
    assert steps["paused"]["state"] == "paused" and "state" in steps["paused"]["changed_fields"]
    assert steps["paused"]["ms"] < 5000  # refreshed after the action; the subscription's interval is 60 s
    assert steps["events"]["added"] == sorted(steps["added"]["ids"])
    assert steps["events"]["removed"] == [steps["added"]["ids"][1]]
    assert steps["shutdown"] == {"step": "shutdown", "listed": True, "ok": True, "last_two": ["list", "shutdown"]}
    assert steps["errors"] == {"step": "errors", "unknown": -32601, "bad_params": -32602, "kind": "InvalidParams"}
    assert steps["servers"]["names"] == ["nas"]
    result = lines[-1]["result"]
    assert result["exit_code"] == 0 and result["paused_state"] == "paused"
    assert result["seqs"] == list(range(1, result["deltas"] + 1)) and result["deltas"] >= 3
    assert SECRET not in output
    # What the Node client did really happened on the server: look with a separate client.
    with enunclic.connect(target.url, username="admin", password=SECRET) as client:
        states = {t.name: t.state for t in client.torrents()}
    assert states == {"node-data.bin": enunclic.TorrentState.PAUSED}  # the magnet was removed
