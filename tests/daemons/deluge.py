"""A real deluged + deluge-web on loopback: config, start, readiness, raw JSON-RPC for cleanup, stop.

Two versions: Debian 12's 2.0.3 (apt) and Deluge 2.2.0 from PyPI in a venv
(``.ci/install-daemons``). The daemon listens on a free port, not 58846, so the
backend must add it to deluge-web's host list itself. The raw JSON-RPC here is for
the fixtures only (emptying the server between tests); tests talk through enunclic.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from enunclic.testing.target import WRONG_PASSWORD, ContractTarget, TestTorrent
from enunclic.testing.torrents import make_multi_torrent, make_test_torrent

from .process import Daemon, free_port, need_binary, tcp_open

OPT = Path(os.environ.get("ENUNCLIC_OPT", "/opt/enunclic"))
INSTALL_HINT = "run `sudo .ci/install-daemons` (apt: deluged deluge-web; PyPI deluge==2.2.0 in a venv)"

#: Version label -> (deluged, deluge-web).
VERSIONS: dict[str, tuple[str, str]] = {
    "2.0.3": ("/usr/bin/deluged", "/usr/bin/deluge-web"),
    "2.2.0": (str(OPT / "deluge-2.2" / "bin" / "deluged"), str(OPT / "deluge-2.2" / "bin" / "deluge-web")),
}

WEB_PASSWORD = "webpass"
DAEMON_USER = "admin"
DAEMON_PASSWORD = "adminpass"
#: A magnet with no tracker: with DHT off it waits for metadata forever, on loopback only.
MAGNET = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=magnet-test"
_HEADER = json.dumps({"file": 1, "format": 1})


def write_config(conf: Path, downloads: Path, daemon_port: int, web_port: int, peer_port: int) -> None:
    """core.conf, auth and web.conf for a loopback-only daemon with the Label plugin enabled."""
    conf.mkdir(parents=True, exist_ok=True)
    downloads.mkdir(parents=True, exist_ok=True)
    core = {
        "daemon_port": daemon_port,
        "allow_remote": False,
        "download_location": str(downloads),
        "torrentfiles_location": str(downloads),
        "move_completed_path": str(downloads),
        "listen_ports": [peer_port, peer_port],
        "random_port": False,
        "listen_interface": "127.0.0.1",
        "outgoing_interface": "lo",
        "dht": False,
        "upnp": False,
        "natpmp": False,
        "utpex": False,
        "lsd": False,
        "new_release_check": False,
        "send_info": False,
        "enabled_plugins": ["Label"],
        "add_paused": False,
        "queue_new_to_top": False,
        "max_active_downloading": 50,
        "max_active_seeding": 50,
        "max_active_limit": 100,
    }
    (conf / "core.conf").write_text(_HEADER + json.dumps(core, indent=4))
    (conf / "auth").write_text(f"{DAEMON_USER}:{DAEMON_PASSWORD}:10\n")
    os.chmod(conf / "auth", 0o600)
    salt = secrets.token_hex(20)
    web = {
        "pwd_salt": salt,
        "pwd_sha1": hashlib.sha1((salt + WEB_PASSWORD).encode()).hexdigest(),  # noqa: S324 - Deluge's own scheme
        "interface": "127.0.0.1",
        "port": web_port,
        "https": False,
        "base": "/",
        "first_login": False,
        "enabled_plugins": [],
        "default_daemon": "",
        "session_timeout": 3600,
    }
    (conf / "web.conf").write_text(_HEADER + json.dumps(web, indent=4))


@dataclass
class DelugeServer:
    """One running deluged + deluge-web and what the tests need to reach them."""

    version: str
    root: Path
    daemon_port: int
    web_port: int
    daemons: list[Daemon] = field(default_factory=list)

    @property
    def downloads(self) -> Path:
        return self.root / "downloads"

    @property
    def url(self) -> str:
        return f"deluge://127.0.0.1:{self.web_port}"

    @property
    def options(self) -> dict[str, Any]:
        """connect() options: web password and the daemon to connect deluge-web to."""
        return {
            "password": WEB_PASSWORD,
            "daemon_port": self.daemon_port,
            "daemon_username": DAEMON_USER,
            "daemon_password": DAEMON_PASSWORD,
        }

    def make_torrent(self, name: str) -> TestTorrent:
        return make_test_torrent(self.downloads, name)

    def rpc(self, method: str, *params: Any) -> Any:
        """One raw JSON-RPC call in a fresh logged-in, connected web session (fixture use only)."""
        with httpx.Client(base_url=f"http://127.0.0.1:{self.web_port}", timeout=15) as http:
            _post(http, "auth.login", [WEB_PASSWORD])
            # Tests may leave deluge-web connected elsewhere (wrong daemon user, dead port).
            hosts = _post(http, "web.get_hosts", [])
            host_id = next((h[0] for h in hosts if h[2] == self.daemon_port and h[3] == DAEMON_USER), None)
            if host_id is None:
                daemon = ["127.0.0.1", self.daemon_port, DAEMON_USER, DAEMON_PASSWORD]
                host_id = _post(http, "web.add_host", daemon)[1]
            if _post(http, "web.get_host_status", [host_id])[1] != "Connected" or not _post(http, "web.connected", []):
                _post(http, "web.connect", [host_id])
            try:
                return _post(http, method, list(params))
            except RuntimeError as exc:
                # deluge-web can report its daemon "Connected" while its client is gone (seen on 2.2.0 under
                # load: "'NoneType' object has no attribute 'send_request'"): connect again, once.
                if "send_request" not in str(exc):
                    raise
                _post(http, "web.connect", [host_id])
                return _post(http, method, list(params))

    def clear(self) -> None:
        """Remove every torrent (keeping data) and reset the global limits.

        Waits for running hash checks first: Deluge 2.0.3/2.2.0 fail half-way removing a
        torrent that a file un-skip marked unfinished (see the backend's set_file_priority),
        and the recheck that repairs it must end before the removal.
        """
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            states = self.rpc("core.get_torrents_status", {}, ["state"])
            if not any(s.get("state") in ("Checking", "Allocating", "Moving") for s in states.values()):
                break
            time.sleep(0.05)
        ids = list(self.rpc("core.get_torrents_status", {}, ["name"]))
        if ids:
            errors = self.rpc("core.remove_torrents", ids, False)
            if errors:  # a half-removed torrent breaks every later listing: fail loudly here
                raise RuntimeError(f"Deluge {self.version} could not remove torrents: {errors}")
        self.rpc("core.set_config", {"max_download_speed": -1.0, "max_upload_speed": -1.0})

    def target(self) -> ContractTarget:
        moved = self.root / "moved"
        moved.mkdir(exist_ok=True)
        return ContractTarget(
            url=self.url,
            make_torrent=self.make_torrent,
            make_multi_torrent=lambda name: make_multi_torrent(self.downloads, name),
            options=dict(self.options),
            wrong_credentials={"password": WRONG_PASSWORD},
            magnet=MAGNET,
            move_destination=str(moved),
            settle_timeout=15.0,
        )

    def stop(self) -> None:
        for daemon in reversed(self.daemons):
            daemon.stop()


def _post(http: httpx.Client, method: str, params: list[Any]) -> Any:
    reply = http.post("/json", json={"method": method, "params": params, "id": 1}).json()
    if reply.get("error"):
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


def _web_ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def start_deluge(version: str, root: Path) -> DelugeServer:
    """Start deluged and deluge-web of one version with fresh configs; wait until both answer."""
    deluged_path, web_path = VERSIONS[version]
    deluged = need_binary(deluged_path, INSTALL_HINT)
    deluge_web = need_binary(web_path, INSTALL_HINT)
    server = DelugeServer(version=version, root=root, daemon_port=free_port(), web_port=free_port())
    conf = root / "config"
    write_config(conf, server.downloads, server.daemon_port, server.web_port, free_port())
    daemon = Daemon(
        "deluged",
        [
            deluged, "-d", "-c", str(conf), "-u", "127.0.0.1", "-p", str(server.daemon_port),
            "-i", "127.0.0.1", "-o", "lo", "-L", os.environ.get("DELUGE_LOG_LEVEL", "error"),
            "-l", str(root / "deluged.log"),
        ],
        workdir=root,
    )  # fmt: skip
    server.daemons.append(daemon)
    daemon.wait_ready(lambda: tcp_open(server.daemon_port))
    web = Daemon(
        "deluge-web",
        [deluge_web, "-d", "-c", str(conf), "-i", "127.0.0.1", "-p", str(server.web_port), "-L", "error",
         "-l", str(root / "web.log")],
        workdir=root,
    )  # fmt: skip
    server.daemons.append(web)
    web.wait_ready(lambda: _web_ready(server.web_port))
    return server
