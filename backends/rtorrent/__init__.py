"""The rTorrent backend plugin (XML-RPC over SCGI or HTTP)."""

from __future__ import annotations

from enunclic.hookspecs import hookimpl
from enunclic.registry import BackendRegistrar

from .backend import RTorrentBackend


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    """Register the rtorrent backend."""
    register(RTorrentBackend)
