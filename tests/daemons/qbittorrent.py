"""A real qbittorrent-nox on loopback: config, start, readiness, raw WebUI calls for cleanup, stop.

Two versions: Debian 12's 4.5.2 (apt) and Debian 13's 5.1.0 (unpacked by
``.ci/install-daemons`` and run with its own loader). The raw calls here are for
the fixtures only (emptying the server between tests); tests talk through enunclic.
"""

from __future__ import annotations

import base64
import hashlib
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
    "4.5": "qbittorrent-nox",
    "5.1": str(OPT / "trixie" / "bin" / "qbittorrent-nox"),
}

USERNAME = "admin"
PASSWORD = "adminpass123"
#: A magnet with no tracker: with DHT off it waits for metadata forever, on loopback only.


def password_hash(password: str) -> str:
    """qBittorrent >= 4.2's WebUI\\Password_PBKDF2: PBKDF2-HMAC-SHA512, 100000 rounds, 16-byte salt."""
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000, dklen=64)
    return f"@ByteArray({base64.b64encode(salt).decode()}:{base64.b64encode(key).decode()})"


def _config(save: Path, webui_port: int, peer_port: int) -> str:
    """qBittorrent.conf for a loopback-only daemon (keys must sit in their sections)."""
    return f"""[LegalNotice]
Accepted=true

[BitTorrent]
Session\\DefaultSavePath={save}
Session\\TempPathEnabled=false
Session\\Port={peer_port}
Session\\UseRandomPort=false
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\DHTEnabled=false
Session\\PeXEnabled=false
Session\\LSDEnabled=false
Session\\AnonymousModeEnabled=false
Session\\QueueingSystemEnabled=true
Session\\MaxActiveDownloads=100
Session\\MaxActiveUploads=100
Session\\MaxActiveTorrents=100
Session\\AddTrackersEnabled=false
Session\\AddTorrentPaused=false
Session\\AddTorrentStopped=false
Session\\RefreshInterval=100

[Network]
PortForwardingEnabled=false

[RSS]
Session\\EnableProcessing=false
AutoDownloader\\EnableProcessing=false

[Preferences]
Connection\\ResolvePeerCountries=false
Connection\\UPnP=false
Bittorrent\\DHT=false
Bittorrent\\PeX=false
Bittorrent\\LSD=false
Downloads\\SavePath={save}
General\\UseRandomPort=false
WebUI\\Enabled=true
WebUI\\Address=127.0.0.1
WebUI\\Port={webui_port}
WebUI\\UseUPnP=false
WebUI\\Username={USERNAME}
WebUI\\Password_PBKDF2="{password_hash(PASSWORD)}"
WebUI\\LocalHostAuth=true
WebUI\\MaxAuthenticationFailCount=0
WebUI\\CSRFProtection=true
WebUI\\HostHeaderValidation=true
"""


@dataclass
class QBittorrentServer:
    """One running daemon and what the tests need to reach it."""

    version: str
    port: int
    root: Path
    daemon: Daemon
    _http: httpx.Client = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}/api/v2/", timeout=10)

    @property
    def url(self) -> str:
        """The enunclic URL (credentials passed separately)."""
        return f"qbittorrent://127.0.0.1:{self.port}"

    @property
    def download_dir(self) -> Path:
        return self.root / "downloads"

    @property
    def move_dir(self) -> Path:
        return self.root / "moved"

    def options(self) -> dict[str, Any]:
        return {"username": USERNAME, "password": PASSWORD}

    def login(self) -> None:
        reply = self._http.post("auth/login", data={"username": USERNAME, "password": PASSWORD})
        if reply.text != "Ok.":
            raise RuntimeError(f"login failed: {reply.status_code} {reply.text!r}")

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One raw WebUI call (fixture use only); logs in again on 403."""
        reply = self._http.request(method, path, **kwargs)
        if reply.status_code == 403:
            self.login()
            reply = self._http.request(method, path, **kwargs)
        reply.raise_for_status()
        return reply

    def json(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params).json()

    @property
    def webapi(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.call("GET", "app/webapiVersion").text.split("."))

    def make_torrent(self, name: str) -> TestTorrent:
        """A torrent whose payload lies in the daemon's save path (it seeds at once)."""
        return make_test_torrent(self.download_dir, name)

    def reset(self) -> None:
        """Back to an empty server: no torrents, categories or limits; empty folders."""
        hashes = [t["hash"] for t in self.json("torrents/info")]
        if hashes:
            self.call("POST", "torrents/delete", data={"hashes": "|".join(hashes), "deleteFiles": "true"})
            deadline = time.monotonic() + 10
            while self.json("torrents/info"):
                if time.monotonic() > deadline:
                    raise RuntimeError("torrents were not removed")
                time.sleep(0.05)
        categories = list(self.json("torrents/categories"))
        if categories:
            self.call("POST", "torrents/removeCategories", data={"categories": "\n".join(categories)})
        self.call("POST", "transfer/setDownloadLimit", data={"limit": "0"})
        self.call("POST", "transfer/setUploadLimit", data={"limit": "0"})
        empty_folders(self.download_dir, self.move_dir)

    def target(self) -> ContractTarget:
        return daemon_target(self.url, self.make_torrent, self.options(), self.move_dir)

    def stop(self) -> None:
        self._http.close()
        self.daemon.stop()


def start_qbittorrent(version: str, workdir: Path) -> QBittorrentServer:
    """Start the daemon of ``version`` with a fresh profile under ``workdir``; skip/fail when missing."""
    binary = need_binary(VERSIONS[version], INSTALL_HINT)
    root = workdir / f"qbittorrent-{version}"
    config_dir = root / "profile" / "qBittorrent" / "config"
    config_dir.mkdir(parents=True)
    (root / "downloads").mkdir()
    (root / "moved").mkdir()
    port = free_port()
    (config_dir / "qBittorrent.conf").write_text(_config(root / "downloads", port, free_port()))
    daemon = Daemon(f"qbittorrent-{version}", [binary, f"--profile={root / 'profile'}"], workdir=root)
    daemon.wait_ready(lambda: tcp_open(port), timeout=30)
    server = QBittorrentServer(version=version, port=port, root=root, daemon=daemon)
    deadline = time.monotonic() + 10
    while True:  # the port opens slightly before the WebUI answers
        try:
            server.login()
            break
        except (httpx.HTTPError, RuntimeError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return server
