"""The Synology Download Station backend plugin (``synology://``, ``synology+https://``)."""

from __future__ import annotations

from typing import Any

from enunclic.hookspecs import hookimpl

from .backend import SynologyBackend


@hookimpl
def register_backends(register: Any) -> None:
    """Register the Download Station backend."""
    register(SynologyBackend)
