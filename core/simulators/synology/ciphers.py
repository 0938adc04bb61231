"""The two login ciphers DSM offers over plain HTTP, done with ``cryptography`` and ``noiseprotocol``.

* ``SYNO.API.Encryption`` (DSM 4 to 7): the client RSA-encrypts (PKCS#1 v1.5, e=65537,
  4096-bit key) a random passphrase, AES-256-CBC-encrypts the url-encoded login
  parameters with it (OpenSSL ``Salted__`` format, ``EVP_BytesToKey`` MD5 key and IV),
  and sends ``__cIpHeRtExT={"rsa": b64, "aes": b64}``. The parameters include
  ``__cIpHeRtOkEn=<server_time>``, which must be at most 360 s old (DSM's
  ``CIPHERTOKEN_VALID_DURATION``).
* ``SYNO.API.Auth.UIConfig`` (DSM 7): the ``_SSID`` cookie carries the NAS's X25519
  public key; the login's ``ik_message`` is the initiator's first Noise
  ``IK_25519_ChaChaPoly_BLAKE2b`` message and the reply's ``ik_message`` completes it.

Both libraries come with the ``simulator`` extra; :func:`available` tells whether they are installed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from functools import lru_cache
from urllib.parse import parse_qsl

try:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from noise.connection import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
        Keypair,
        NoiseConnection,
    )
    from noise.exceptions import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
        NoiseInvalidMessage,
        NoiseValueError,
    )

    _INSTALLED = True
except ImportError:  # pragma: no cover - the simulator extra is missing
    _INSTALLED = False

__all__ = [
    "CIPHER_KEY",
    "CIPHER_TOKEN",
    "TOKEN_LIFETIME",
    "CipherError",
    "NoiseKey",
    "available",
    "decrypt_params",
    "public_key_hex",
]

CIPHER_KEY = "__cIpHeRtExT"
CIPHER_TOKEN = "__cIpHeRtOkEn"  # noqa: S105 - the name of a form field, not a secret
#: Seconds a ``server_time`` token stays valid (DSM's CIPHERTOKEN_VALID_DURATION).
TOKEN_LIFETIME = 360
_NOISE_PROTOCOL = b"Noise_IK_25519_ChaChaPoly_BLAKE2b"
_SALT_MAGIC = b"Salted__"
_lock = threading.Lock()


class CipherError(ValueError):
    """An encrypted login that does not decrypt or carries a stale token."""


def available() -> bool:
    """Whether ``cryptography`` and ``noiseprotocol`` are installed (they come with the ``simulator`` extra)."""
    return _INSTALLED


@lru_cache(maxsize=1)
def _rsa_key() -> rsa.RSAPrivateKey:
    """One 4096-bit key per process: synology-api's 501-byte passphrase needs 4096 bits under PKCS#1 v1.5."""
    return rsa.generate_private_key(public_exponent=65537, key_size=4096)


def public_key_hex() -> str:
    """The RSA modulus as hex, the form ``getinfo`` hands out (the exponent is the fixed 0x10001)."""
    with _lock:
        key = _rsa_key()
    return f"{key.public_key().public_numbers().n:X}"


def _bytes_to_key(passphrase: bytes, salt: bytes) -> tuple[bytes, bytes]:
    """OpenSSL ``EVP_BytesToKey`` with MD5, one round: a 32-byte AES key and a 16-byte IV."""
    derived = block = b""
    while len(derived) < 48:
        block = hashlib.md5(block + passphrase + salt, usedforsecurity=False).digest()
        derived += block
    return derived[:32], derived[32:48]


def _b64(value: object) -> bytes:
    if not isinstance(value, str):
        raise CipherError("rsa and aes must be base64 strings")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise CipherError("not base64") from None


def decrypt_params(envelope: str, now: float) -> dict[str, str]:
    """The login parameters inside ``__cIpHeRtExT``; :class:`CipherError` if undecryptable or the token is stale."""
    try:
        parts = json.loads(envelope)
    except ValueError:
        raise CipherError("the envelope is not JSON") from None
    if not isinstance(parts, dict):
        raise CipherError("the envelope is not an object")
    sealed, blob = _b64(parts.get("rsa")), _b64(parts.get("aes"))
    with _lock:
        key = _rsa_key()
    try:
        passphrase = key.decrypt(sealed, PKCS1v15())
    except ValueError:
        raise CipherError("the passphrase was not sealed with this NAS's key") from None
    if not blob.startswith(_SALT_MAGIC) or len(blob) < 32 or (len(blob) - 16) % 16:
        raise CipherError("not an OpenSSL salted AES blob")
    aes_key, iv = _bytes_to_key(passphrase, blob[8:16])
    decryptor = Cipher(algorithms.AES(aes_key), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        plain = unpadder.update(decryptor.update(blob[16:]) + decryptor.finalize()) + unpadder.finalize()
        params = dict(parse_qsl(plain.decode("utf-8"), keep_blank_values=True))
    except ValueError:
        raise CipherError("the parameters do not decrypt") from None
    token = params.pop(CIPHER_TOKEN, None)
    try:
        age = now - int(token or "")
    except ValueError:
        raise CipherError("no cipher token") from None
    if not -TOKEN_LIFETIME <= age <= TOKEN_LIFETIME:
        raise CipherError("the cipher token is stale")
    return params


def _urlsafe(data: bytes) -> str:
    """The unpadded url-safe base64 DSM uses for ``_SSID`` and ``ik_message``."""
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _from_urlsafe(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CipherError("ik_message is not base64") from None


class NoiseKey:
    """The NAS's static X25519 key for the DSM 7 login handshake."""

    def __init__(self) -> None:
        self._private = X25519PrivateKey.generate().private_bytes_raw()
        self.cookie = _urlsafe(X25519PrivateKey.from_private_bytes(self._private).public_key().public_bytes_raw())

    def answer(self, ik_message: str) -> tuple[bytes, str]:
        """Read the initiator's message; its payload and the responder's reply (url-safe base64)."""
        noise = NoiseConnection.from_name(_NOISE_PROTOCOL)
        noise.set_as_responder()
        noise.set_keypair_from_private_bytes(Keypair.STATIC, self._private)
        noise.start_handshake()
        try:
            payload = bytes(noise.read_message(_from_urlsafe(ik_message)))
            reply = bytes(noise.write_message(b""))
        except (InvalidTag, NoiseInvalidMessage, NoiseValueError, ValueError) as exc:
            raise CipherError("ik_message is not a Noise IK message for this NAS") from exc
        return payload, _urlsafe(reply)
