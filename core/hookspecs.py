"""The plugin hooks of enunclic (pluggy project name ``enunclic``).

A plugin is a module (or object) with ``@enunclic.hookimpl`` functions, found
through the ``enunclic`` entry-point group::

    [project.entry-points.enunclic]
    mybackend = "enunclic_mybackend"

Built-in backends register through exactly the same hook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .registry import BackendRegistrar

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "enunclic"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_backends(register: BackendRegistrar) -> None:
    """Register backend classes: call ``register(MyBackend)`` once for each.

    Called the first time the backends are needed (``connect()``,
    ``enunclic.get_backends()``), never at import time. A name already taken by another
    plugin is a :class:`~enunclic.PluginError` naming both plugins.
    """
