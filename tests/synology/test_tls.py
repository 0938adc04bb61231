"""TLS against a real loopback HTTPS server with a self-signed certificate: verified by default."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import respx

import enunclic
from enunclic import ConnectError

from . import replies
from .conftest import PASSWORD, make_client


class _MiniDSM(BaseHTTPRequestHandler):
    """Just enough DSM for a login and an empty task list."""

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        assert urlsplit(self.path).path == "/webapi/query.cgi"
        self._send({"success": True, "data": replies.API_INFO_DSM7})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        if form.get("api") == "SYNO.API.Auth":
            data = {"sid": "tls-sid"} if form.get("method") == "login" else None
            self._send({"success": True, "data": data} if data else {"success": True})
        else:
            self._send({"success": True, "data": {"offset": 0, "total": 0, "tasks": []}})


@pytest.fixture
def https_nas(tmp_path: Path, respx_router: respx.MockRouter) -> Iterator[tuple[int, Path]]:
    """(port, CA file) of a loopback HTTPS DSM whose certificate is self-signed."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _MiniDSM)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    respx_router.route(host="127.0.0.1", port=port).pass_through()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port, cert
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_https_scheme_defaults_to_port_5001() -> None:
    parsed = enunclic.urls.parse_server_url("synology+https://nas.local", enunclic.get_backends())
    assert parsed.url == "https://nas.local:5001"
    assert (
        enunclic.urls.parse_server_url("synology://nas.local", enunclic.get_backends()).url == "http://nas.local:5000"
    )


def test_a_self_signed_certificate_is_refused_by_default(https_nas: tuple[int, Path], mode: str) -> None:
    port, _ = https_nas
    client, close = make_client(mode, url=f"synology+https://admin@127.0.0.1:{port}")
    try:
        with pytest.raises(ConnectError, match="self-signed") as caught:
            client.torrents()
    finally:
        close()
    assert PASSWORD not in str(caught.value)


def test_a_ca_bundle_path_verifies_it(https_nas: tuple[int, Path], mode: str) -> None:
    port, cert = https_nas
    client, close = make_client(mode, url=f"synology+https://admin@127.0.0.1:{port}", verify=str(cert))
    try:
        assert client.torrents() == []
    finally:
        close()


def test_verify_false_is_an_explicit_choice(
    https_nas: tuple[int, Path], mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    port, _ = https_nas
    client, close = make_client(mode, url=f"synology+https://admin@127.0.0.1:{port}", verify=False)
    try:
        assert client.torrents() == []
    finally:
        close()
    assert "verification is OFF" in caplog.text
