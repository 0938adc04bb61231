"""Start a real daemon on loopback for the suite, wait until it answers, stop it by PID.

Under ``CI=true`` a missing binary or a daemon that does not come up is a test
failure; locally it is a skip that says what to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from enunclic.testing.target import WRONG_PASSWORD, ContractTarget, TestTorrent

IN_CI = os.environ.get("CI", "").lower() == "true"


def need_binary(path_or_name: str, install_hint: str) -> str:
    """The binary's path; fails under CI=true and skips locally when it is missing."""
    if os.sep in path_or_name:
        found = path_or_name if Path(path_or_name).exists() else None
    else:
        found = shutil.which(path_or_name)
    if found:
        return found
    message = f"{path_or_name} is not installed: {install_hint}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tcp_open(port: int, host: str = "127.0.0.1") -> bool:
    """True when something accepts connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class Daemon:
    """One daemon process started by the suite."""

    def __init__(self, name: str, argv: Sequence[str], *, workdir: Path, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.log_path = workdir / f"{name}.out"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )

    def wait_ready(self, ready: Callable[[], bool], timeout: float = 30.0) -> None:
        """Poll ``ready()`` until it is true; fail with the daemon's output otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if ready():
                    return
            except OSError:
                pass
            time.sleep(0.05)
        output = self.log_path.read_text(errors="replace")[-3000:]
        self.stop()
        message = f"{self.name} did not come up (exit code {self.process.returncode}); output:\n{output}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 8 s; always reaped (no zombies)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=8)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()


#: A magnet no daemon can resolve without network: it stays in the metadata state.
MAGNET = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=magnet-test"


def empty_folders(*folders: Path) -> None:
    """Delete and recreate each folder (a daemon's download and move targets between tests)."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)


def daemon_target(
    url: str, make_torrent: Callable[[str], TestTorrent], options: dict[str, Any], move_dir: Path
) -> ContractTarget:
    """The contract target of a real daemon: its magnet, its move folder, and daemon-sized patience."""
    return ContractTarget(
        url=url,
        make_torrent=make_torrent,
        options=options,
        wrong_credentials={"password": WRONG_PASSWORD},
        magnet=MAGNET,
        move_destination=str(move_dir),
        settle_timeout=15.0,
    )
