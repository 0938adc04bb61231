"""The Transmission backend plugin (legacy RPC for 2.40-4.x, JSON-RPC 2.0 where the server speaks it)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the transmission backend; its module is imported only when a client asks for it."""
    register.lazy("transmission", "enunclic.backends.transmission.backend:TransmissionBackend")


def __getattr__(name: str) -> object:
    """``TransmissionBackend`` stays importable from the package, loaded on first use."""
    if name == "TransmissionBackend":
        from .backend import TransmissionBackend  # noqa: PLC0415 - lazy: importing the plugin must stay cheap

        return TransmissionBackend
    raise AttributeError(name)
