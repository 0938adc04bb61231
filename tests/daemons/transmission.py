"""A real transmission-daemon on loopback: config, start, readiness, raw RPC for cleanup, stop.

Two versions: Debian 12's 3.00 (apt) and Debian 13's 4.1.0-beta.2 (unpacked by
``.ci/install-daemons`` and run with its own loader). The raw RPC here is for the
fixtures only (emptying the server between tests); tests talk through enunclic.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from enunclic.testing.target import ContractTarget, TestTorrent
from enunclic.testing.torrents import make_test_torrent

from .process import Daemon, daemon_target, empty_folders, free_port, need_binary, tcp_open

OPT = Path(os.environ.get("ENUNCLIC_OPT", "/opt/enunclic"))
INSTALL_HINT = "run `sudo .ci/install-daemons` (Debian 12) to install the test daemons"

#: Version label -> how to find the binary.
VERSIONS: dict[str, str] = {
    "3.00": "transmission-daemon",
    "4.1": str(OPT / "trixie" / "bin" / "transmission-daemon"),
}

USERNAME = "admin"
PASSWORD = "adminpass"
#: A magnet with no tracker: with DHT off it waits for metadata forever, on loopback only.


def _settings(root: Path, rpc_port: int, peer_port: int) -> dict[str, Any]:
    """settings.json for a loopback-only daemon: no DHT/PEX/LPD/uTP/port forwarding."""
    return {
        "rpc-enabled": True,
        "rpc-bind-address": "127.0.0.1",
        "rpc-port": rpc_port,
        "rpc-url": "/transmission/",
        "rpc-authentication-required": True,
        "rpc-username": USERNAME,
        "rpc-password": PASSWORD,
        "rpc-whitelist-enabled": True,
        "rpc-whitelist": "127.0.0.1,::1",
        "rpc-host-whitelist-enabled": True,
        "rpc-host-whitelist": "",
        "bind-address-ipv4": "127.0.0.1",
        "bind-address-ipv6": "::1",
        "peer-port": peer_port,
        "peer-port-random-on-start": False,
        "dht-enabled": False,
        "lpd-enabled": False,
        "pex-enabled": False,
        "utp-enabled": False,
        "port-forwarding-enabled": False,
        "blocklist-enabled": False,
        "download-dir": str(root / "downloads"),
        "incomplete-dir-enabled": False,
        "watch-dir-enabled": False,
        "start-added-torrents": True,
        "queue-stalled-enabled": False,
        "message-level": 2,
    }


@dataclass
class TransmissionServer:
    """One running daemon and what the tests need to reach it."""

    version: str
    port: int
    root: Path
    daemon: Daemon
    _session_id: str = field(default="", repr=False)

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/transmission/rpc"

    @property
    def url(self) -> str:
        """The enunclic URL (credentials passed separately)."""
        return f"transmission://127.0.0.1:{self.port}/transmission/rpc"

    @property
    def download_dir(self) -> Path:
        return self.root / "downloads"

    @property
    def move_dir(self) -> Path:
        return self.root / "moved"

    def options(self) -> dict[str, Any]:
        return {"username": USERNAME, "password": PASSWORD}

    def rpc(self, method: str, **arguments: Any) -> dict[str, Any]:
        """One legacy RPC call with the 409 dance (fixture use only)."""
        body = json.dumps({"method": method, "arguments": arguments})
        for _ in range(3):
            reply = httpx.post(
                self.rpc_url,
                content=body,
                auth=(USERNAME, PASSWORD),
                headers={"X-Transmission-Session-Id": self._session_id},
                timeout=10,
            )
            if reply.status_code == 409:
                self._session_id = reply.headers["X-Transmission-Session-Id"]
                continue
            reply.raise_for_status()
            data: dict[str, Any] = reply.json()
            if data.get("result") != "success":
                raise RuntimeError(f"{method}: {data.get('result')}")
            return dict(data.get("arguments") or {})
        raise RuntimeError("the session id kept changing")

    def make_torrent(self, name: str) -> TestTorrent:
        """A torrent whose payload lies in the daemon's download dir (it seeds at once)."""
        return make_test_torrent(self.download_dir, name)

    def add_raw(self, made: TestTorrent, **arguments: Any) -> dict[str, Any]:
        """Add a test torrent behind enunclic's back (to test what enunclic reads)."""
        metainfo = base64.b64encode(made.content).decode()
        return self.rpc("torrent-add", metainfo=metainfo, **arguments)

    def reset(self) -> None:
        """Back to an empty server: no torrents, no limits, empty folders."""
        torrents = self.rpc("torrent-get", fields=["id"])["torrents"]
        if torrents:
            self.rpc("torrent-remove", ids=[t["id"] for t in torrents], **{"delete-local-data": True})
            deadline = time.monotonic() + 10
            while self.rpc("torrent-get", fields=["id"])["torrents"]:
                if time.monotonic() > deadline:
                    raise RuntimeError("torrents were not removed")
                time.sleep(0.05)
        self.rpc(
            "session-set",
            **{
                "speed-limit-down-enabled": False,
                "speed-limit-up-enabled": False,
                "alt-speed-enabled": False,
                "download-queue-enabled": True,
                "download-queue-size": 5,
            },
        )
        empty_folders(self.download_dir, self.move_dir)

    def target(self) -> ContractTarget:
        return daemon_target(self.url, self.make_torrent, self.options(), self.move_dir)

    def stop(self) -> None:
        self.daemon.stop()


def start_transmission(version: str, workdir: Path) -> TransmissionServer:
    """Start the daemon of ``version`` with a fresh config under ``workdir``; skip/fail when missing."""
    binary = need_binary(VERSIONS[version], INSTALL_HINT)
    root = workdir / f"transmission-{version}"
    (root / "config").mkdir(parents=True)
    (root / "downloads").mkdir()
    (root / "moved").mkdir()
    port = free_port()
    settings = _settings(root, port, free_port())
    (root / "config" / "settings.json").write_text(json.dumps(settings, indent=2))
    daemon = Daemon(
        f"transmission-{version}",
        [binary, "-f", "-g", str(root / "config"), "--logfile", str(root / "daemon.log")],
        workdir=root,
    )
    daemon.wait_ready(lambda: tcp_open(port), timeout=30)
    server = TransmissionServer(version=version, port=port, root=root, daemon=daemon)
    deadline = time.monotonic() + 10
    while True:  # the port opens slightly before the RPC answers
        try:
            server.rpc("session-get", fields=["version"])
            break
        except (httpx.HTTPError, RuntimeError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return server
