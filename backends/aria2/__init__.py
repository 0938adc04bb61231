"""The aria2 backend plugin (aria2c's JSON-RPC)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the aria2 backend; its module is imported only when a client asks for it."""
    register.lazy("aria2", "enunclic.backends.aria2.backend:Aria2Backend")
