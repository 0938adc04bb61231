"""The µTorrent backend plugin (the WebUI API under /gui/)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the utorrent backend; its module is imported only when a client asks for it."""
    register.lazy("utorrent", "enunclic.backends.utorrent.backend:UTorrentBackend")
