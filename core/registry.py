"""The typed ``register`` object handed to ``register_backends`` and the lookup of backends."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
from importlib import import_module

from .backend import Backend
from .exceptions import InvalidInputError, PluginError
from .operations import missing_operations

__all__ = ["BackendRegistrar", "Backends", "lookup"]

_NAME = re.compile(r"[a-z][a-z0-9_-]*")


class BackendRegistrar:
    """Collects backend classes from one plugin at a time, refusing duplicates."""

    def __init__(self, plugin: Callable[[], str] = lambda: "?") -> None:
        self._classes: dict[str, type[Backend] | str] = {}
        self._owners: dict[str, str] = {}
        self._plugin = plugin

    @property
    def plugin_name(self) -> str:
        """The plugin registering now (for error messages)."""
        return self._plugin()

    def __call__(self, backend: type[Backend]) -> None:
        """Register one backend class under its ``name``."""
        plugin = self.plugin_name
        _check_class(backend, None, plugin)
        self._add(backend.name, backend, f"{backend.__module__}.{backend.__qualname__}", plugin)

    def lazy(self, name: str, target: str) -> None:
        """Register backend ``name`` as ``"package.module:Class"``, imported when first looked up.

        Listing the backends imports nothing: only the one a client asks for is loaded.
        """
        plugin = self.plugin_name
        if not isinstance(target, str) or target.count(":") != 1:
            raise PluginError(f"plugin {plugin!r} registered {name!r} as {target!r}, not 'module:Class'")
        self._add(name, target, target, plugin)

    def _add(self, name: object, backend: type[Backend] | str, where: str, plugin: str) -> None:
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise PluginError(
                f"plugin {plugin!r} registered {where} with a bad name {name!r} "
                "(lower-case letters, digits, '-' and '_', starting with a letter)"
            )
        if name in self._owners:
            raise PluginError(
                f"backend name {name!r} is registered twice: by plugin {self._owners[name]!r} "
                f"({_where(self._classes[name])}) and by plugin {plugin!r} ({where})"
            )
        self._classes[name] = backend
        self._owners[name] = plugin

    def backends(self) -> Backends:
        """What was registered, sorted by name, read-only; lazy entries load on first lookup."""
        return Backends(dict(sorted(self._classes.items())), dict(self._owners))


def _where(backend: type[Backend] | str) -> str:
    return backend if isinstance(backend, str) else f"{backend.__module__}.{backend.__qualname__}"


def _check_class(backend: object, name: str | None, plugin: str) -> type[Backend]:
    if not (isinstance(backend, type) and issubclass(backend, Backend)):
        raise PluginError(f"plugin {plugin!r} registered {backend!r}, which is not an enunclic.Backend")
    if name is not None and backend.name != name:
        raise PluginError(f"plugin {plugin!r} registered {name!r}, but its class is named {backend.name!r}")
    missing = missing_operations(backend, Backend)
    if missing:
        raise PluginError(
            f"plugin {plugin!r} registered {backend.__module__}.{backend.__qualname__}, which does not write "
            f"{', '.join(missing)} (required, or promised by its capabilities)"
        )
    return backend


class Backends(Mapping[str, type[Backend]]):
    """Registered backends by name, read-only; a lazily registered one is imported on first access."""

    def __init__(self, entries: dict[str, type[Backend] | str], owners: Mapping[str, str]) -> None:
        self._entries = entries
        self._owners = owners
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> type[Backend]:
        entry = self._entries[name]
        if not isinstance(entry, str):
            return entry
        with self._lock:
            entry = self._entries[name]
            if isinstance(entry, str):
                module, _, attribute = entry.partition(":")
                try:
                    loaded = getattr(import_module(module), attribute)
                except (ImportError, AttributeError) as exc:
                    raise PluginError(
                        f"plugin {self._owners[name]!r} could not load backend {name!r}: {exc!r}"
                    ) from exc
                entry = self._entries[name] = _check_class(loaded, name, self._owners[name])
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Backends {', '.join(self._entries)}>"


def lookup(backends: Mapping[str, type[Backend]], name: str) -> type[Backend]:
    """The backend class called ``name``, or an InvalidInputError listing the registered ones."""
    try:
        return backends[name]
    except KeyError:
        known = ", ".join(backends) or "none"
        raise InvalidInputError(f"unknown backend {name!r}; registered backends: {known}") from None
