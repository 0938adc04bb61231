"""The Synology Download Station backend plugin (``synology://``, ``synology+https://``)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the synology backend; its module is imported only when a client asks for it."""
    register.lazy("synology", "enunclic.backends.synology.backend:SynologyBackend")
