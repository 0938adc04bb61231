"""A real rtorrent 0.9.8 on loopback, reachable three ways: SCGI over TCP, SCGI over a unix
socket, and HTTP through lighttpd's mod_scgi (with Basic auth), as daemons.md shows.

rTorrent opens one SCGI listener per process, so the TCP daemon (with the lighttpd bridge
in front of it) and the unix-socket daemon are two processes. Cleanup between tests
goes through enunclic itself (erase every torrent); tests talk through enunclic too.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

import enunclic
from enunclic.testing.target import WRONG_PASSWORD, ContractTarget, TestTorrent
from enunclic.testing.torrents import make_test_torrent

from .process import Daemon, free_port, need_binary, tcp_open

INSTALL_HINT = "run `sudo .ci/install-daemons` (apt: rtorrent lighttpd)"
TRANSPORTS = ("scgi-tcp", "scgi-unix", "http")
HTTP_USER = "admin"
HTTP_PASSWORD = "adminpass"
#: The announce URL of every test torrent and magnet: a closed loopback port.
ANNOUNCE = "http://127.0.0.1:9/announce"
MAGNET = f"magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=magnet-test&tr={ANNOUNCE}"


def rtorrent_rc(root: Path, peer_port: int, scgi: str) -> str:
    """A loopback-only, headless config; ``scgi`` is the open_port or open_local line."""
    return "\n".join(
        [
            "system.daemon.set = true",
            f"directory.default.set = {root / 'downloads'}",
            f"session.path.set = {root / 'session'}",
            "network.bind_address.set = 127.0.0.1",
            f"network.port_range.set = {peer_port}-{peer_port}",
            "network.port_random.set = no",
            "dht.mode.set = disable",
            "protocol.pex.set = no",
            "trackers.use_udp.set = no",
            scgi,
            "network.xmlrpc.size_limit.set = 4M",
            "encoding.add = UTF-8",
            f'log.open_file = "main", {root / "rtorrent.log"}',
            'log.add_output = "info", "main"',
            "",
        ]
    )


def lighttpd_conf(root: Path, port: int, scgi_port: int) -> str:
    """mod_scgi at /RPC2 with Basic auth; /files/ serves .torrent files for URL adds."""
    return "\n".join(
        [
            'server.modules = ("mod_auth", "mod_authn_file", "mod_scgi")',
            'server.bind = "127.0.0.1"',
            f"server.port = {port}",
            f'server.document-root = "{root / "www"}"',
            f'server.errorlog = "{root / "lighttpd-error.log"}"',
            'auth.backend = "plain"',
            f'auth.backend.plain.userfile = "{root / "htpasswd.plain"}"',
            'auth.require = ("/RPC2" => ("method" => "basic", "realm" => "rtorrent", "require" => "valid-user"))',
            'scgi.protocol = "scgi"',
            f'scgi.server = ("/RPC2" => (("host" => "127.0.0.1", "port" => {scgi_port}, "check-local" => "disable")))',
            "",
        ]
    )


def _socket_ready(path: Path) -> bool:
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        sock.connect(str(path))
    return True


@dataclass
class RTorrentDaemon:
    """One rtorrent process (and the lighttpd bridge in front of the TCP one)."""

    root: Path
    scgi_url: str
    daemons: list[Daemon] = field(default_factory=list)
    http_port: int | None = None

    @property
    def downloads(self) -> Path:
        return self.root / "downloads"

    def stop(self) -> None:
        for daemon in reversed(self.daemons):
            daemon.stop()


def start_rtorrent(root: Path, *, unix_socket: bool) -> RTorrentDaemon:
    """Start rtorrent (TCP SCGI plus lighttpd, or a unix socket) and wait until it answers."""
    binary = need_binary("rtorrent", INSTALL_HINT)
    for sub in ("downloads", "session", "www/files"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    if unix_socket:
        sock = root / "rpc.socket"
        scgi_line, url = f"network.scgi.open_local = {sock}", f"rtorrent+scgi://{sock}"
    else:
        scgi_port = free_port()
        scgi_line, url = f"network.scgi.open_port = 127.0.0.1:{scgi_port}", f"rtorrent+scgi://127.0.0.1:{scgi_port}"
    (root / "rtorrent.rc").write_text(rtorrent_rc(root, free_port(), scgi_line))
    daemon = Daemon("rtorrent", [binary, "-n", "-o", f"import={root / 'rtorrent.rc'}"], workdir=root)
    server = RTorrentDaemon(root=root, scgi_url=url, daemons=[daemon])
    daemon.wait_ready(lambda: _socket_ready(sock) if unix_socket else tcp_open(scgi_port))
    if unix_socket:
        os.chmod(sock, 0o600)  # SCGI has no authentication: only this user may talk to it
        return server
    lighttpd = need_binary("lighttpd", INSTALL_HINT)
    http_port = free_port()
    (root / "htpasswd.plain").write_text(f"{HTTP_USER}:{HTTP_PASSWORD}\n")
    (root / "lighttpd.conf").write_text(lighttpd_conf(root, http_port, scgi_port))
    bridge = Daemon("lighttpd", [lighttpd, "-D", "-f", str(root / "lighttpd.conf")], workdir=root)
    server.daemons.append(bridge)
    server.http_port = http_port
    bridge.wait_ready(lambda: tcp_open(http_port))
    return server


@dataclass
class RTorrentServer:
    """One transport onto a running rtorrent: what a test needs to reach it and make torrents."""

    transport: str
    daemon: RTorrentDaemon
    url: str
    options: dict[str, object] = field(default_factory=dict)

    @property
    def downloads(self) -> Path:
        return self.daemon.downloads

    def make_torrent(self, name: str) -> TestTorrent:
        return make_test_torrent(self.downloads, name, announce=ANNOUNCE)

    def publish(self, torrent: TestTorrent) -> str:
        """Serve the .torrent over lighttpd (TCP daemon only) and return its URL."""
        if self.daemon.http_port is None:
            raise RuntimeError("only the TCP daemon has a web server")
        (self.daemon.root / "www" / "files" / f"{torrent.name}.torrent").write_bytes(torrent.content)
        return f"http://127.0.0.1:{self.daemon.http_port}/files/{torrent.name}.torrent"

    def client(self, **options: object) -> enunclic.Client:
        return enunclic.connect(self.url, **{**self.options, **options})

    def clear(self) -> None:
        """Erase every torrent and reset the global limits, so each test starts empty."""
        with self.client() as client:
            ids = [t.id for t in client.torrents()]
            client.remove(ids)
            client.set_limits(download=None, upload=None)

    def target(self) -> ContractTarget:
        return ContractTarget(
            url=self.url,
            make_torrent=self.make_torrent,
            options=dict(self.options),
            # SCGI has no authentication; the HTTP bridge has lighttpd's Basic auth.
            wrong_credentials={"password": WRONG_PASSWORD} if "password" in self.options else None,
            magnet=MAGNET,
            settle_timeout=10.0,
            # One request to see that no hash check runs (rTorrent 0.9.8 can deadlock otherwise), one to pause.
            bulk_requests=2,
        )


def server_for(transport: str, tcp: RTorrentDaemon | None, unix: RTorrentDaemon | None) -> RTorrentServer:
    """The server view for one transport name of :data:`TRANSPORTS`."""
    if transport == "scgi-unix" and unix is not None:
        return RTorrentServer(transport, unix, unix.scgi_url)
    if tcp is None:
        raise ValueError(transport)
    if transport == "scgi-tcp":
        return RTorrentServer(transport, tcp, tcp.scgi_url)
    url = f"rtorrent+http://127.0.0.1:{tcp.http_port}/RPC2"
    return RTorrentServer(transport, tcp, url, options={"username": HTTP_USER, "password": HTTP_PASSWORD})
