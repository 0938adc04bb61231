"""The typed ``register`` object handed to ``register_backends`` and the lookup of backends."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from .backend import Backend
from .exceptions import InvalidInputError, PluginError

__all__ = ["BackendRegistrar", "lookup"]

_NAME = re.compile(r"[a-z][a-z0-9_-]*")


class BackendRegistrar:
    """Collects backend classes from one plugin at a time, refusing duplicates."""

    def __init__(self) -> None:
        self._classes: dict[str, type[Backend]] = {}
        self._owners: dict[str, str] = {}
        self.plugin_name = "?"

    def __call__(self, backend: type[Backend]) -> None:
        """Register one backend class under its ``name``."""
        if not (isinstance(backend, type) and issubclass(backend, Backend)):
            raise PluginError(f"plugin {self.plugin_name!r} registered {backend!r}, which is not an enunclic.Backend")
        name = getattr(backend, "name", None)
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise PluginError(
                f"plugin {self.plugin_name!r} registered {backend.__qualname__} with a bad name {name!r} "
                "(lower-case letters, digits, '-' and '_', starting with a letter)"
            )
        if name in self._owners:
            raise PluginError(
                f"backend name {name!r} is registered twice: by plugin {self._owners[name]!r} "
                f"({self._classes[name].__module__}.{self._classes[name].__qualname__}) and by plugin "
                f"{self.plugin_name!r} ({backend.__module__}.{backend.__qualname__})"
            )
        self._classes[name] = backend
        self._owners[name] = self.plugin_name

    def backends(self) -> Mapping[str, type[Backend]]:
        """What was registered, sorted by name, read-only."""
        return MappingProxyType(dict(sorted(self._classes.items())))

    def owner(self, name: str) -> str:
        """The plugin that registered ``name``."""
        return self._owners[name]


def lookup(backends: Mapping[str, type[Backend]], name: str) -> type[Backend]:
    """The backend class called ``name``, or an InvalidInputError listing the registered ones."""
    try:
        return backends[name]
    except KeyError:
        known = ", ".join(backends) or "none"
        raise InvalidInputError(f"unknown backend {name!r}; registered backends: {known}") from None
