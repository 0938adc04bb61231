"""The Deluge backend plugin (deluge-web JSON-RPC)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar

from .backend import DelugeBackend


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the deluge backend."""
    register(DelugeBackend)
