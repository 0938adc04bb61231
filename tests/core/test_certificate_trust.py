"""Trust this certificate? A TLS failure describes the certificate; pinning its fingerprint then connects."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import enunclic
from enunclic.bridge.methods import default_client_factory
from enunclic.certificates import CertificateInfo, describe_certificate, fetch_certificate
from enunclic.exceptions import CertificateError, ConnectError, InvalidInputError
from enunclic.tls import format_fingerprint
from tests.bridge.harness import Harness
from tests.tlsserver import TlsServer, serve_tls


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    with serve_tls(tmp_path_factory.mktemp("trust")) as served:
        yield served


def _check(info: CertificateInfo, server: TlsServer) -> None:
    assert info.sha256 == format_fingerprint(server.fingerprint)
    assert info.subject == info.issuer == "CN=enunclic-test" and info.self_signed is True
    assert info.not_before is not None and info.not_after is not None
    now = datetime.now(timezone.utc)
    assert info.not_before <= now < info.not_after <= now + timedelta(days=3)


def test_an_untrusted_certificate_is_described_in_the_error(tls_server: TlsServer) -> None:
    with pytest.raises(CertificateError) as caught, enunclic.connect(tls_server.url, timeout=5) as client:
        client.info()
    assert isinstance(caught.value, ConnectError)  # still a connection failure for code that knows no better
    _check(caught.value.certificate, tls_server)


def test_the_async_client_describes_it_too(tls_server: TlsServer) -> None:
    async def scenario() -> CertificateError:
        async with enunclic.connect_async(tls_server.url, timeout=5) as client:
            try:
                await client.info()
            except CertificateError as exc:
                return exc
        raise AssertionError("connected to an untrusted server")

    _check(asyncio.run(scenario()).certificate, tls_server)


def test_a_pinned_certificate_that_changed_is_described(tls_server: TlsServer) -> None:
    with pytest.raises(CertificateError, match="not the pinned one") as caught:
        enunclic.connect(tls_server.url, timeout=5, tls_fingerprint="00" * 32).info()
    _check(caught.value.certificate, tls_server)


def test_trusting_the_fingerprint_connects(tls_server: TlsServer) -> None:
    info = fetch_certificate("127.0.0.1", int(tls_server.url.rsplit(":", 1)[1]), 5)
    with enunclic.connect(tls_server.url, timeout=5, tls_fingerprint=info.sha256) as client:
        assert client.info().version == "tls-ok"


def test_garbage_for_a_certificate_still_has_a_fingerprint() -> None:
    info = describe_certificate(b"\x30\x03\x02\x01\x00 not a certificate")
    assert len(info.sha256) == 95 and info.subject is None and info.not_after is None


def test_fetching_from_a_closed_port_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConnectError):
        fetch_certificate("127.0.0.1", port, 2)
    with pytest.raises(InvalidInputError):
        fetch_certificate("127.0.0.1", 0, 2)


def test_the_bridge_flow_error_certificate_then_pinned_add(tls_server: TlsServer, tmp_path: Path) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
        h = Harness(default_client_factory)
        refused = await h.call("servers.add", {"name": "nas", "url": tls_server.url, "timeout": 5})
        shown = await h.result("servers.certificate", {"url": tls_server.url})
        added = await h.result(
            "servers.add", {"name": "nas", "url": tls_server.url, "tls_fingerprint": shown["sha256"], "timeout": 5}
        )
        plain = await h.call("servers.certificate", {"url": "memory://127.0.0.1:9"})
        await h.bridge.close()
        return refused, shown, added, plain

    refused, shown, added, plain = asyncio.run(scenario())
    data = refused["error"]["data"]
    assert data["kind"] == "CertificateError" and data["certificate"] == shown
    assert shown["subject"] == "CN=enunclic-test" and shown["self_signed"] is True
    assert shown["sha256"] == format_fingerprint(tls_server.fingerprint)
    assert added["server"]["status"] == "connected" and added["info"]["version"] == "tls-ok"
    assert plain["error"]["data"]["kind"] == "InvalidInputError" and "TLS" in plain["error"]["message"]
