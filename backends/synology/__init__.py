"""The Synology Download Station backend plugin (``synology://``, ``synology+https://``)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the Download Station backend; its module is imported only when a client asks for it."""
    register.lazy("synology", "enunclic.backends.synology.backend:SynologyBackend")


def __getattr__(name: str) -> object:
    """``SynologyBackend`` stays importable from the package, loaded on first use."""
    if name == "SynologyBackend":
        from .backend import SynologyBackend  # noqa: PLC0415 - lazy: importing the plugin must stay cheap

        return SynologyBackend
    raise AttributeError(name)
