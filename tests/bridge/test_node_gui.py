"""A GUI's whole feature set through the bridge alone, driven from Node (tests/bridge/node/gui.mjs).

The servers are real loopback HTTP servers: the memory backend's (every capability), the Download
Station simulator asking for a two-step code, and an HTTPS server with a self-signed certificate.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from enunclic_memory import MemoryServer

from enunclic.testing.torrents import LOOPBACK_ANNOUNCE, make_multi_torrent
from tests.tlsserver import serve_tls

from .memory_http import MemoryHTTP

SCRIPT = Path(__file__).parent / "node" / "gui.mjs"
SECRET = "Gui-Secret-Value"
NAS_SECRET = "Nas-Secret-Value"
CODE = "271828"
simulators = pytest.importorskip("enunclic.simulators.synology")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def session(node: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], str]]:
    """Run the GUI script once against the three servers: its steps by name, and everything it printed."""
    tmp_path = tmp_path_factory.mktemp("gui")
    (tmp_path / "dl").mkdir()
    (tmp_path / "tls").mkdir()
    server = MemoryServer(tmp_path / "dl", password=SECRET)
    server.rpc_add("magnet", "magnet:?xt=urn:btih:" + "a" * 40, None, False, None)  # there before the GUI starts
    multi = make_multi_torrent(tmp_path / "payload", "gui-multi")
    multi_path = tmp_path / "gui-multi.torrent"
    multi_path.write_bytes(multi.content)
    # On the wall clock, quick: a new task waits 0.3 s in the queue and 0.3 s finishing.
    quick = simulators.SimulatorOptions(waiting_seconds=0.3, finishing_seconds=0.3)
    nas = simulators.real_time_simulator(7, options=quick)
    nas.add_account("admin", NAS_SECRET, manager=True, otp_code=CODE)
    with MemoryHTTP(server) as http, nas.serve() as served, serve_tls(tmp_path / "tls") as tls:
        env = {
            **os.environ,
            "ENUNCLIC_PYTHON": sys.executable,
            "ENUNCLIC_TEST_URL": http.url(),
            "ENUNCLIC_TEST_PASSWORD": SECRET,
            "ENUNCLIC_TEST_MULTI": str(multi_path),
            "ENUNCLIC_TEST_DOWN_URL": f"memory://127.0.0.1:{_closed_port()}",
            "ENUNCLIC_TEST_NAS_URL": "synology://" + served.url.split("://", 1)[1],
            "ENUNCLIC_TEST_NAS_PASSWORD": NAS_SECRET,
            "ENUNCLIC_TEST_OTP": CODE,
            "ENUNCLIC_TEST_TLS_URL": tls.url,
        }
        done = subprocess.run([node, str(SCRIPT)], env=env, capture_output=True, timeout=120, check=False)
    output = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 0, output
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    steps = {line.pop("step"): line for line in lines if "step" in line}
    steps["result"] = lines[-1]["result"]
    yield steps, output


def test_failed_adds_leave_no_server_and_no_status(session: tuple[dict[str, Any], str]) -> None:
    steps, _ = session
    assert steps["ghosts"] == {"wrong": "AuthenticationError", "down": "ConnectError", "servers": 0}
    assert steps["servers"]["names"] == ["box", "nas", "tls"]
    assert set(steps["servers"]["status_names"]) <= {"box", "nas", "tls"}  # none for "wrong" or "down"


def test_the_connect_reports_what_it_learned(session: tuple[dict[str, Any], str]) -> None:
    steps, _ = session
    assert steps["connected"] == {"status": "connected", "torrents": 1, "version": "memory 1.0", "latency": True}


def test_every_electorrent_action_is_enabled_and_reads_back(session: tuple[dict[str, Any], str]) -> None:
    steps, _ = session
    assert all(steps["buttons"].values()) and len(steps["buttons"]) == 11
    assert steps["added"] == {
        "name": "renamed-by-gui",
        "state": "seeding",  # skip_check: the data on disk is trusted, complete at once
        "label": "gui",
        "tracker": "127.0.0.1",
        "download_limit": 512_000,
        "upload_limit": 256_000,
        "wanted": [True, False, True],
    }
    assert steps["switches"] == {
        "sequential": True,
        "first_last_piece": True,
        "ratio_limit": 1.5,
        "cleared_ratio_limit": None,
        "cleared_download_limit": None,
        "kept_upload_limit": 256_000,  # a limit left out is kept
    }
    assert steps["force_start"] == {"paused": "paused", "after": "seeding"}
    assert steps["alt_speed"] == {"on": True, "off": False}
    assert steps["labels"] == {"labels": ["gui"]}
    assert steps["all"] == {"paused": ["paused", "paused"], "resumed": ["seeding", "seeding"]}
    assert steps["details"] == {"trackers": [[LOOPBACK_ANNOUNCE, "unknown", None]], "peers": 0}


def test_two_step_verification_is_asked_once_per_device(session: tuple[dict[str, Any], str]) -> None:
    steps, output = session
    assert steps["two_factor"] == {
        "asked": "TwoFactorRequired",
        "names_the_param": True,  # the bridge's name for it, not a Python keyword
        "first": "connected",
        "token_length": steps["two_factor"]["token_length"],
        "later": "connected",
        "later_token": None,  # nothing new to store
        "sequential_button": False,  # Download Station has no sequential download: the button is off
        "unsupported": "NotSupportedError",  # and the bridge refuses it if pressed anyway
    }
    assert steps["two_factor"]["token_length"] >= 16
    for secret in (SECRET, NAS_SECRET, CODE):
        assert secret not in output


def test_a_completed_download_and_a_failed_task_are_notified(session: tuple[dict[str, Any], str]) -> None:
    steps, _ = session
    assert steps["notified"] == {"completed": "gui-multi", "errored": "broken link", "added": True}


def test_a_certificate_is_shown_then_trusted_by_its_pin(session: tuple[dict[str, Any], str]) -> None:
    steps, _ = session
    assert steps["trust"] == {
        "refused": "CertificateError",
        "same": True,
        "subject": "CN=enunclic-test",
        "self_signed": True,
        "pinned": "connected",
    }
    assert steps["result"] == {"exit_code": 0}
