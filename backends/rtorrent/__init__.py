"""The rTorrent backend plugin (XML-RPC over SCGI or HTTP)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the rtorrent backend; its module is imported only when a client asks for it."""
    register.lazy("rtorrent", "enunclic.backends.rtorrent.backend:RTorrentBackend")


def __getattr__(name: str) -> object:
    """``RTorrentBackend`` stays importable from the package, loaded on first use."""
    if name == "RTorrentBackend":
        from .backend import RTorrentBackend  # noqa: PLC0415 - lazy: importing the plugin must stay cheap

        return RTorrentBackend
    raise AttributeError(name)
