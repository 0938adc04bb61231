"""TLS against a real local HTTPS server with a self-signed certificate on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

import enunclic
from enunclic import ConnectError, InvalidInputError
from tests.tlsserver import TlsServer, make_certificate, serve_tls


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    with serve_tls(tmp_path_factory.mktemp("tls")) as served:
        yield served


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
    other_cert, _ = make_certificate(tmp_path, "other")
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
