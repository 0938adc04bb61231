"""TLS settings: verification on by default, a CA bundle path, or off only when asked."""

from __future__ import annotations

import logging
import os
import ssl

from .exceptions import InvalidInputError

__all__ = ["build_verify"]

log = logging.getLogger("enunclic")


def build_verify(verify: bool | str | os.PathLike[str], *, backend: str) -> ssl.SSLContext | bool:
    """What httpx gets as ``verify``: a context for a CA bundle path, else the bool."""
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
        try:
            return ssl.create_default_context(cafile=text)
        except (OSError, ssl.SSLError) as exc:
            raise InvalidInputError(f"cannot load the CA bundle {text!r}: {exc}", backend=backend) from None
    raise InvalidInputError("verify must be True, False or the path of a CA bundle", backend=backend)
