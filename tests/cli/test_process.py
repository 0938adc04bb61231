"""The command as a real process: fast help, the bridge subcommand, Ctrl-C in watch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from enunclic.simulators.synology import FaultKind

from .conftest import PASSWORD, Nas, cli


def _env(config: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ENUNCLIC_CONFIG_DIR": str(config),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "COLUMNS": "200",
    }


def test_help_loads_neither_the_http_stack_nor_the_models() -> None:
    code = (
        "import sys\n"
        "from enunclic.cli.commands import app\n"
        "heavy = sorted(m for m in ('httpx', 'pydantic', 'enunclic.client', 'enunclic.backends.synology', 'keyring')"
        " if m in sys.modules)\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_bridge_answers_json_rpc(isolated: Path) -> None:
    request = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "bridge.info"}) + "\n"
    shutdown = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "bridge.shutdown"}) + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "enunclic.cli", "bridge", "--timeout", "5"],
        input=request + shutdown,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(isolated),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    info = next(r for r in replies if r.get("id") == 1)
    assert "result" in info


def test_bridge_help_is_the_bridges_own(isolated: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "enunclic.cli", "bridge", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(isolated),
        check=False,
    )
    assert done.returncode == 0
    assert "--max-message-bytes" in done.stdout


def test_bridge_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "enunclic.bridge", None)  # import now raises ImportError
    result = cli(["bridge"])
    assert result.exit_code == 1
    assert "the bridge is not available" in result.stderr


def test_watch_stops_cleanly_on_ctrl_c(isolated: Path, nas: Nas) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "enunclic.cli", "--password-stdin", "-s", nas.url, "watch", "--interval", "0.2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(isolated),
    )
    try:
        assert process.stdin is not None
        process.stdin.write(PASSWORD + "\n")
        process.stdin.close()
        time.sleep(3.0)  # start, log in, a few polls
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert process.stdout is not None
    with process.stdout:
        out = process.stdout.read()
    assert process.returncode == 0, out
    assert "Traceback" not in out
    assert "Stopped." in out
    assert "Big.Buck.Bunny" in out


def test_ctrl_c_during_a_command_exits_130(isolated: Path, nas: Nas) -> None:
    nas.sim.inject(FaultKind.SLOW, delay=30.0)  # the first request hangs
    process = subprocess.Popen(
        [sys.executable, "-m", "enunclic.cli", "--password-stdin", "-s", nas.url, "list"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(isolated),
    )
    try:
        assert process.stdin is not None
        process.stdin.write(PASSWORD + "\n")
        process.stdin.close()
        deadline = time.monotonic() + 30
        while len(nas.sim.faults) and time.monotonic() < deadline:  # until the slow request is in flight
            time.sleep(0.05)
        time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert process.stdout is not None and process.stderr is not None
    with process.stdout, process.stderr:
        out, err = process.stdout.read(), process.stderr.read()
    assert process.returncode == 130, out + err
    assert err.strip() == "Interrupted."
