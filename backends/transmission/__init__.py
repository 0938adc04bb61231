"""The Transmission backend plugin (legacy RPC for 2.40-4.x, JSON-RPC 2.0 where the server speaks it)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the transmission backend; its module is imported only when a client asks for it."""
    register.lazy("transmission", "enunclic.backends.transmission.backend:TransmissionBackend")
