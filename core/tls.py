"""TLS settings: verification on by default, a CA bundle path, a pinned certificate, or off when asked.

Pinning (``tls_fingerprint=``) is how a desktop remote "trusts this certificate" of a
NAS with a self-signed certificate: the connection is accepted only when the
server's certificate has exactly that SHA-256 fingerprint. The check runs at the
end of the TLS handshake, before a single byte of any request is sent, in the sync
and the async client alike.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import ssl

from .exceptions import InvalidInputError

__all__ = ["FingerprintMismatch", "build_verify", "normalize_fingerprint"]

log = logging.getLogger("enunclic")

_HEX64 = re.compile(r"[0-9a-f]{64}")
_PEM_BEGIN = "-----BEGIN CERTIFICATE-----"


class FingerprintMismatch(ssl.SSLCertVerificationError):
    """The server's certificate is not the pinned one."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(1, "certificate fingerprint mismatch")
        self.verify_message = f"its SHA-256 fingerprint is {format_fingerprint(actual)}, not the pinned one"
        self.expected = expected
        self.actual = actual


def normalize_fingerprint(value: str) -> str:
    """``AB:CD:..`` or ``abcd..`` -> 64 lower-case hex digits; anything else is an InvalidInputError."""
    cleaned = re.sub(r"[\s:]", "", str(value)).lower()
    if cleaned.startswith("sha256"):
        cleaned = cleaned[len("sha256") :].lstrip("/=")
    if not _HEX64.fullmatch(cleaned):
        raise InvalidInputError("tls_fingerprint must be a SHA-256 fingerprint: 64 hex digits, colons allowed")
    return cleaned


def format_fingerprint(hex_digits: str) -> str:
    """64 hex digits as the usual ``AB:CD:...`` form."""
    return ":".join(hex_digits[i : i + 2] for i in range(0, len(hex_digits), 2)).upper()


def _check_peer(certificate: bytes | None, expected: str) -> None:
    actual = hashlib.sha256(certificate or b"").hexdigest()
    if actual != expected:
        raise FingerprintMismatch(expected, actual)


def _pinned_context(expected: str) -> ssl.SSLContext:
    context = ssl.create_default_context()
    # The chain is not verified: the exact certificate is, right after the handshake.
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class PinnedSocket(ssl.SSLSocket):
        def do_handshake(self, block: bool = False) -> None:
            super().do_handshake(block)
            _check_peer(self.getpeercert(binary_form=True), expected)

    class PinnedObject(ssl.SSLObject):
        def do_handshake(self) -> None:
            super().do_handshake()
            _check_peer(self.getpeercert(binary_form=True), expected)

    context.sslsocket_class = PinnedSocket
    context.sslobject_class = PinnedObject
    return context


def build_verify(
    verify: bool | str | os.PathLike[str], *, backend: str, fingerprint: str | None = None
) -> ssl.SSLContext | bool:
    """What httpx gets as ``verify``: a pinned context, a context for a CA bundle (a path, or PEM text as a
    GUI keeps trusted certificates in its own store), or the bool."""
    if fingerprint is not None:
        return _pinned_context(normalize_fingerprint(fingerprint))
    if isinstance(verify, bool):
        if not verify:
            log.warning("%s: TLS certificate verification is OFF for this client", backend)
        return verify
    if isinstance(verify, (str, os.PathLike)):
        text = os.fspath(verify)
        if text.lower() in ("false", "0", "no", "off"):
            return build_verify(False, backend=backend)
        if text.lower() in ("true", "1", "yes", "on"):
            return True
        if _PEM_BEGIN in text:
            try:
                return ssl.create_default_context(cadata=text)
            except (ssl.SSLError, ValueError) as exc:
                message = f"the PEM certificates given as verify are not valid: {exc}"
                raise InvalidInputError(message, backend=backend) from None
        try:
            return ssl.create_default_context(cafile=text)
        except (OSError, ssl.SSLError) as exc:
            raise InvalidInputError(f"cannot load the CA bundle {text!r}: {exc}", backend=backend) from None
    raise InvalidInputError("verify must be True, False, the path of a CA bundle or PEM text", backend=backend)
