"""Building the plugin manager (on first use) and collecting backends through the hook."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from functools import lru_cache
from importlib import import_module
from importlib.metadata import entry_points

import pluggy

from . import hookspecs
from .backend import Backend
from .exceptions import PluginError
from .registry import BackendRegistrar

__all__ = ["DEFAULT_PLUGINS", "broken_plugins", "collect_backends", "get_plugin_manager"]

log = logging.getLogger("enunclic")

#: The built-in backends: ordinary plugins, registered like third-party ones.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "enunclic.backends.deluge",
    "enunclic.backends.rtorrent",
    "enunclic.backends.synology",
    "enunclic.backends.qbittorrent",
    "enunclic.backends.transmission",
)


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
    _load_entry_points(pm)
    pm.check_pending()
    return pm


#: Third-party plugins whose entry point failed to load, by name, with the error (see ``broken_plugins``).
_BROKEN: dict[str, Exception] = {}


def broken_plugins() -> Mapping[str, Exception]:
    """Entry-point plugins that failed to import: skipped, so that one broken package breaks nothing else."""
    get_plugin_manager()
    return dict(_BROKEN)


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    for entry_point in entry_points(group=hookspecs.PROJECT):
        if pm.is_blocked(entry_point.name) or pm.has_plugin(entry_point.name):
            continue
        try:
            plugin = entry_point.load()
        except Exception as exc:  # noqa: BLE001 - one broken third-party package must not take the others down
            _BROKEN[entry_point.name] = exc
            log.warning(
                "enunclic plugin %r (%s) failed to load and is skipped: %r", entry_point.name, entry_point.value, exc
            )
            continue
        pm.register(plugin, name=entry_point.name)


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
