"""Building the plugin manager (on first use) and collecting backends through the hook.

The built-in backends are the subpackages of ``enunclic.backends``, each an ordinary
plugin: a sixth built-in is one more folder there. Third-party plugins come from the
``enunclic`` entry-point group.
"""

from __future__ import annotations

import inspect
import logging
import os
import pkgutil
from collections.abc import Mapping
from functools import lru_cache
from importlib import import_module
from importlib.metadata import entry_points
from types import CodeType

import pluggy

from . import hookspecs
from .backend import Backend
from .exceptions import PluginError
from .registry import BackendRegistrar

__all__ = ["broken_plugins", "built_in_plugins", "collect_backends", "get_plugin_manager"]

log = logging.getLogger("enunclic")


def built_in_plugins() -> tuple[str, ...]:
    """The module names of the built-in backends: every subpackage of ``enunclic.backends``, sorted."""
    package = import_module(f"{__package__}.backends")
    return tuple(sorted(f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__) if m.ispkg))


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
    for module_name in built_in_plugins():
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
    """Call the ``register_backends`` hook through pluggy and return the backends by name.

    The registrar tells which plugin registered what from the hook implementation that
    called it, so a duplicate name or a crash is blamed on the plugin that caused it.
    """
    pm = pm or get_plugin_manager()
    owners = {impl.function.__code__: impl.plugin_name for impl in pm.hook.register_backends.get_hookimpls()}
    registrar = BackendRegistrar(lambda: _calling_plugin(owners))
    try:
        pm.hook.register_backends(register=registrar)
    except PluginError:
        raise
    except Exception as exc:  # a broken plugin must be named, whatever it raised
        culprit = _plugin_in_traceback(exc, owners)
        raise PluginError(f"plugin {culprit!r} failed to register its backends: {exc!r}") from exc
    return registrar.backends()


def _calling_plugin(owners: Mapping[CodeType, str]) -> str:
    """The plugin whose hook implementation is on the stack (the one calling ``register``)."""
    frame = inspect.currentframe()
    while frame is not None:
        owner = owners.get(frame.f_code)
        if owner is not None:
            return owner
        frame = frame.f_back
    return "?"


def _plugin_in_traceback(exc: BaseException, owners: Mapping[CodeType, str]) -> str:
    found = "?"
    traceback = exc.__traceback__
    while traceback is not None:
        found = owners.get(traceback.tb_frame.f_code, found)
        traceback = traceback.tb_next
    return found
