"""TLS against a real local HTTPS server with a self-signed certificate on 127.0.0.1."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import enunclic
from enunclic import ConnectError, InvalidInputError


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        result = {"token": "t"} if self.path == "/login" else "tls-ok"
        body = json.dumps({"result": result}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class TlsServer:
    def __init__(self, url: str, cert: Path, fingerprint: str) -> None:
        self.url, self.cert, self.fingerprint = url, cert, fingerprint


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=enunclic-test",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    fingerprint = hashlib.sha256(der).hexdigest()
    try:
        yield TlsServer(f"memory+https://admin:pw@127.0.0.1:{server.server_address[1]}", cert, fingerprint)
    finally:
        server.shutdown()
        server.server_close()


def _version(url: str, **options: object) -> str | None:
    with enunclic.connect(url, timeout=5, **options) as client:
        return client.info().version


def test_verification_is_on_by_default_and_the_error_says_what_to_do(tls_server: TlsServer) -> None:
    with pytest.raises(ConnectError, match="self-signed") as caught:
        _version(tls_server.url)
    assert "tls_fingerprint" in str(caught.value)


def test_a_ca_bundle_path(tls_server: TlsServer) -> None:
    assert _version(tls_server.url, verify=str(tls_server.cert)) == "tls-ok"


def test_pem_text_as_verify(tls_server: TlsServer) -> None:
    assert _version(tls_server.url, verify=tls_server.cert.read_text()) == "tls-ok"


def test_pem_text_of_another_certificate_is_refused_by_the_handshake(
    tls_server: TlsServer, tmp_path: Path
) -> None:
    other_cert, other_key = tmp_path / "other.pem", tmp_path / "other.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other",
         "-keyout", str(other_key), "-out", str(other_cert)],
        check=True, capture_output=True,
    )
    with pytest.raises(ConnectError):
        _version(tls_server.url, verify=other_cert.read_text())


def test_broken_pem_text_is_a_clear_input_error(tls_server: TlsServer) -> None:
    with pytest.raises(InvalidInputError, match="PEM certificates"):
        _version(tls_server.url, verify="-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")


def test_verify_false_works_and_warns(tls_server: TlsServer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="enunclic"):
        assert _version(tls_server.url, verify=False) == "tls-ok"
    assert any("verification is OFF" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("style", ["plain", "colons"])
def test_a_pinned_fingerprint_is_accepted_sync_and_async(tls_server: TlsServer, style: str) -> None:
    pin = tls_server.fingerprint
    if style == "colons":
        pin = ":".join(pin[i : i + 2] for i in range(0, 64, 2)).upper()
    assert _version(tls_server.url, tls_fingerprint=pin) == "tls-ok"

    async def run() -> str | None:
        async with enunclic.connect_async(tls_server.url, tls_fingerprint=pin, timeout=5) as client:
            return (await client.info()).version

    assert asyncio.run(run()) == "tls-ok"


def test_a_wrong_fingerprint_is_refused_before_any_request(tls_server: TlsServer) -> None:
    with pytest.raises(ConnectError, match="not the pinned one"):
        _version(tls_server.url, tls_fingerprint="ab" * 32)

    async def run() -> None:
        async with enunclic.connect_async(tls_server.url, tls_fingerprint="ab" * 32, timeout=5) as client:
            await client.info()

    with pytest.raises(ConnectError, match="not the pinned one"):
        asyncio.run(run())


def test_a_malformed_fingerprint_is_invalid_input(tls_server: TlsServer) -> None:
    with pytest.raises(InvalidInputError, match="64 hex"):
        enunclic.connect(tls_server.url, tls_fingerprint="abc")
