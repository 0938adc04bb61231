"""The qBittorrent backend plugin (WebUI API v2: qBittorrent 4.1 to 5.x)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the qbittorrent backend; its module is imported only when a client asks for it."""
    register.lazy("qbittorrent", "enunclic.backends.qbittorrent.backend:QBittorrentBackend")
