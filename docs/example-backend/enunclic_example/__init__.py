"""An example enunclic backend plugin: a cookie-login JSON API, written to be copied.

enunclic finds this module through the ``enunclic`` entry point in pyproject.toml and
calls its hook; the backend module itself is imported only when a client needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from enunclic.plugin import hookimpl

if TYPE_CHECKING:
    from enunclic.plugin import BackendRegistrar

__all__ = ["register_backends"]


@hookimpl
def register_backends(register: BackendRegistrar) -> None:
    register.lazy("example", "enunclic_example.backend:ExampleBackend")
