"""A real aria2c on loopback: start with RPC on a free port and a temporary dir, raw RPC for cleanup, stop.

Debian 12's aria2 1.36.0 (``apt-get install aria2``), started with the flags of issue 20:
no DHT, LPD or PEX, integrity checks on, and ``--seed-ratio=0.0`` (seed forever).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from enunclic.testing.target import ContractTarget, TestTorrent
from enunclic.testing.torrents import make_test_torrent

from .process import Daemon, daemon_target, empty_folders, free_port, need_binary, tcp_open

INSTALL_HINT = "run `sudo .ci/install-daemons` (Debian 12) or `apt-get install aria2`"
SECRET = "aria2-test-secret"


@dataclass
class Aria2Server:
    """One running aria2c and what the tests need to reach it."""

    port: int
    root: Path
    daemon: Daemon

    @property
    def url(self) -> str:
        """The enunclic URL (the secret passed separately)."""
        return f"aria2://127.0.0.1:{self.port}"

    @property
    def download_dir(self) -> Path:
        return self.root / "downloads"

    def options(self) -> dict[str, Any]:
        return {"password": SECRET}

    def rpc(self, method: str, *params: Any) -> Any:
        """One raw call (fixture use only); an error reply raises RuntimeError."""
        body = {"jsonrpc": "2.0", "id": "t", "method": method, "params": [f"token:{SECRET}", *params]}
        reply = httpx.post(f"http://127.0.0.1:{self.port}/jsonrpc", json=body, timeout=10).json()
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def make_torrent(self, name: str) -> TestTorrent:
        """A torrent whose payload lies in the download dir (it checks and seeds at once)."""
        return make_test_torrent(self.download_dir, name)

    def reset(self) -> None:
        """Back to an empty server: no downloads, no global limits, an empty folder."""
        for gid in [d["gid"] for d in self.rpc("aria2.tellActive", ["gid"])] + [
            d["gid"] for d in self.rpc("aria2.tellWaiting", 0, 10000, ["gid"])
        ]:
            self.rpc("aria2.forceRemove", gid)
        deadline = time.monotonic() + 10
        while self.rpc("aria2.tellActive", ["gid"]) or self.rpc("aria2.tellWaiting", 0, 10, ["gid"]):
            if time.monotonic() > deadline:
                raise RuntimeError("downloads were not removed")
            time.sleep(0.05)
        self.rpc("aria2.purgeDownloadResult")
        self.rpc("aria2.changeGlobalOption", {"max-overall-download-limit": "0", "max-overall-upload-limit": "0"})
        empty_folders(self.download_dir)

    def target(self) -> ContractTarget:
        return daemon_target(self.url, self.make_torrent, self.options(), self.root / "moved")

    def stop(self) -> None:
        self.daemon.stop()


def start_aria2(workdir: Path) -> Aria2Server:
    """Start aria2c with RPC on a free 127.0.0.1 port; skip (fail under CI=true) when it is missing."""
    binary = need_binary("aria2c", INSTALL_HINT)
    root = workdir / "aria2"
    (root / "downloads").mkdir(parents=True)
    port = free_port()
    argv = [
        binary,
        "--enable-rpc",
        f"--rpc-listen-port={port}",
        f"--rpc-secret={SECRET}",
        "--rpc-listen-all=false",
        f"--dir={root / 'downloads'}",
        "--enable-dht=false",
        "--enable-dht6=false",
        "--bt-enable-lpd=false",
        "--enable-peer-exchange=false",
        "--check-integrity=true",
        "--seed-ratio=0.0",
        f"--listen-port={free_port()}",
        "--no-conf",
        "--quiet",
    ]
    daemon = Daemon("aria2c", argv, workdir=root)
    daemon.wait_ready(lambda: tcp_open(port), timeout=30)
    return Aria2Server(port=port, root=root, daemon=daemon)
