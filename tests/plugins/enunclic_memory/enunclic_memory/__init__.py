"""A third-party enunclic plugin, used by enunclic's own tests: registered only through its entry point."""

from __future__ import annotations

from enunclic import hookimpl

from .backend import MemoryBackend
from .server import MemoryServer

__all__ = ["MemoryBackend", "MemoryServer"]


@hookimpl
def register_backends(register):  # type: ignore[no-untyped-def]
    register(MemoryBackend)
