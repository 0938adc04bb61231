"""Every module of the package imports on this Python (CI also runs this on the oldest one supported)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import enunclic
import enunclic.backends


def _modules() -> list[str]:
    names = ["enunclic", "enunclic.backends"]
    # Two trees (core/ and backends/ are installed as one namespace), walked one by one.
    for package in (enunclic, enunclic.backends):
        found = pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
        names += [m.name for m in found if not m.name.endswith("__main__")]  # running it is not importing it
    return sorted(set(names))


@pytest.mark.parametrize("name", _modules())
def test_the_module_imports(name: str) -> None:
    importlib.import_module(name)


def test_the_backends_are_among_them() -> None:
    assert {f"enunclic.backends.{b}" for b in ("transmission", "qbittorrent", "deluge", "rtorrent", "synology")} <= set(
        _modules()
    )
