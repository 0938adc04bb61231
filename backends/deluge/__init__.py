"""The Deluge backend plugin (deluge-web JSON-RPC)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the deluge backend; its module is imported only when a client asks for it."""
    register.lazy("deluge", "enunclic.backends.deluge.backend:DelugeBackend")
