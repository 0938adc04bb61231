"""A real HTTPS server on 127.0.0.1 with a fresh self-signed certificate (openssl), for TLS tests."""

from __future__ import annotations

import hashlib
import json
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def make_certificate(directory: Path, name: str = "enunclic-test") -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, valid two days."""
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        # The memory backend's calls: a login token, its version, an empty list.
        result: object = {"token": "t"} if self.path == "/login" else "tls-ok"
        if self.path == "/rpc" and json.loads(body).get("method") == "list":
            result = []
        reply = json.dumps({"result": result}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: object) -> None:
        pass


class TlsServer:
    """Where it listens (a memory-backend URL), its certificate file and SHA-256 fingerprint."""

    def __init__(self, url: str, cert: Path, fingerprint: str) -> None:
        self.url, self.cert, self.fingerprint = url, cert, fingerprint


@contextmanager
def serve_tls(directory: Path) -> Iterator[TlsServer]:
    """Serve the memory backend's login and one answer over HTTPS until the block ends."""
    cert, key = make_certificate(directory)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fingerprint = hashlib.sha256(ssl.PEM_cert_to_DER_cert(cert.read_text())).hexdigest()
    try:
        yield TlsServer(f"memory+https://admin:pw@127.0.0.1:{server.server_address[1]}", cert, fingerprint)
    finally:
        server.shutdown()
        server.server_close()
