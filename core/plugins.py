"""Building the plugin manager (on first use) and collecting backends through the hook."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from functools import lru_cache
from importlib import import_module

import pluggy

from . import hookspecs
from .backend import Backend
from .exceptions import PluginError
from .registry import BackendRegistrar

__all__ = ["DEFAULT_PLUGINS", "collect_backends", "get_plugin_manager"]

log = logging.getLogger("enunclic")

#: The built-in backends: ordinary plugins, registered like third-party ones.
DEFAULT_PLUGINS: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def get_plugin_manager() -> pluggy.PluginManager:
    """The one plugin manager: built-ins, then entry points, then a check for misspelt hooks.

    ``ENUNCLIC_DISABLED_PLUGINS`` (comma-separated plugin names) blocks plugins.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in os.environ.get("ENUNCLIC_DISABLED_PLUGINS", "").split(","):
        if name.strip():
            pm.set_blocked(name.strip())
    for module_name in DEFAULT_PLUGINS:
        if not pm.is_blocked(module_name):
            pm.register(import_module(module_name), name=module_name)
    pm.load_setuptools_entrypoints(hookspecs.PROJECT)
    pm.check_pending()
    return pm


def collect_backends(pm: pluggy.PluginManager | None = None) -> Mapping[str, type[Backend]]:
    """Call every plugin's ``register_backends`` and return the backends by name.

    Each implementation is called with its own plugin name on the registrar, so a
    duplicate name can be blamed on both plugins.
    """
    pm = pm or get_plugin_manager()
    registrar = BackendRegistrar()
    for impl in reversed(pm.hook.register_backends.get_hookimpls()):
        registrar.plugin_name = impl.plugin_name
        arguments = {"register": registrar}
        try:
            impl.function(*(arguments[name] for name in impl.argnames))
        except PluginError:
            raise
        except Exception as exc:  # a broken plugin must be named, whatever it raised
            raise PluginError(f"plugin {impl.plugin_name!r} failed to register its backends: {exc!r}") from exc
    return registrar.backends()
