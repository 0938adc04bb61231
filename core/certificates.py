"""A server's TLS certificate as a user must see it before trusting it ("trust this certificate?").

A NAS usually has a self-signed certificate. When verification fails, the GUI shows who
the certificate says it is, who signed it, when it is valid and its SHA-256 fingerprint;
once the user agrees, it connects with ``tls_fingerprint=`` (that exact certificate and no
other). The certificate is fetched without trusting it, and without sending a byte of HTTP.
Subject, issuer and dates are read with ``cryptography`` (X.509 is no format to parse by hand).
"""

from __future__ import annotations

import hashlib
import logging
import socket
import ssl
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from .exceptions import ConnectError, InvalidInputError, RequestTimeout
from .models import Text
from .tls import format_fingerprint

__all__ = ["CertificateInfo", "describe_certificate", "fetch_certificate"]

log = logging.getLogger("enunclic")


class CertificateInfo(BaseModel):
    """What a trust dialog shows; ``sha256`` is what ``tls_fingerprint`` takes to pin this certificate."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    sha256: str = Field(description="SHA-256 of the DER certificate, as AB:CD:... (what tls_fingerprint takes).")
    subject: Text | None = Field(default=None, description="Who the certificate names (RFC 4514), e.g. CN=nas.local.")
    issuer: Text | None = Field(default=None, description="Who signed it (RFC 4514); the subject again if self-signed.")
    not_before: datetime | None = None
    not_after: datetime | None = None
    self_signed: bool | None = Field(default=None, description="Issuer and subject are the same.")


def describe_certificate(der: bytes) -> CertificateInfo:
    """The dialog's view of a DER certificate; the fingerprint alone when it cannot be read."""
    fingerprint = format_fingerprint(hashlib.sha256(der).hexdigest())
    try:
        from cryptography import x509  # noqa: PLC0415 - loaded only for a trust dialog

        cert = x509.load_der_x509_certificate(der)
        subject, issuer = cert.subject.rfc4514_string(), cert.issuer.rfc4514_string()
        return CertificateInfo(
            sha256=fingerprint,
            subject=subject,
            issuer=issuer,
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            self_signed=subject == issuer,
        )
    except (ValueError, TypeError) as exc:  # a server can send anything; its fingerprint still identifies it
        log.debug("cannot read the certificate with fingerprint %s: %s", fingerprint, exc)
        return CertificateInfo(sha256=fingerprint)


def fetch_certificate(host: str, port: int, timeout: float) -> CertificateInfo:
    """The certificate ``host:port`` presents, fetched without verifying it (a TLS handshake, then close)."""
    if not host or not 0 < port < 65536:
        raise InvalidInputError("a certificate needs a host and a port")
    if timeout <= 0:
        raise RequestTimeout(f"no time left to fetch the certificate of {host}")
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only to read what the server presents: nothing is sent over it
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, context.wrap_socket(
            raw, server_hostname=host
        ) as tls:
            der = tls.getpeercert(binary_form=True)
    except TimeoutError:
        raise RequestTimeout(f"{host} did not finish a TLS handshake in time") from None
    except (OSError, ssl.SSLError) as exc:
        raise ConnectError(f"cannot fetch the TLS certificate of {host}: {exc}") from None
    if not der:
        raise ConnectError(f"{host} presented no TLS certificate")
    return describe_certificate(der)
