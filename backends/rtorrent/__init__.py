"""The rTorrent backend plugin (XML-RPC over SCGI or HTTP)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the rtorrent backend; its module is imported only when a client asks for it."""
    register.lazy("rtorrent", "enunclic.backends.rtorrent.backend:RTorrentBackend")
