"""The qBittorrent backend plugin (WebUI API v2: qBittorrent 4.1 to 5.x)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the qbittorrent backend; its module is imported only when a client asks for it."""
    register.lazy("qbittorrent", "enunclic.backends.qbittorrent.backend:QBittorrentBackend")


def __getattr__(name: str) -> object:
    """``QBittorrentBackend`` stays importable from the package, loaded on first use."""
    if name == "QBittorrentBackend":
        from .backend import QBittorrentBackend  # noqa: PLC0415 - lazy: importing the plugin must stay cheap

        return QBittorrentBackend
    raise AttributeError(name)
