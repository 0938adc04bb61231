"""The copyable example backend (docs/example-backend): its own tests, the contract suite, and registration.

The example's test modules are imported from its folder, so that the project suite runs
exactly what a plugin author copies. Under CI the example must be installed
(``pip install -e docs/example-backend``); elsewhere its absence skips this module.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from pathlib import Path
from types import ModuleType

import pluggy
import pytest

try:
    from enunclic_example.backend import ExampleBackend
except ImportError:
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("enunclic-example is not installed (pip install -e docs/example-backend)", allow_module_level=True)

import enunclic
from enunclic import hookspecs
from enunclic.plugin import REQUIRED, Backend, BackendRegistrar, Capability, PluginError, hookimpl
from enunclic.plugins import collect_backends, get_plugin_manager

EXAMPLE_TESTS = Path(__file__).resolve().parents[2] / "docs" / "example-backend" / "tests"


def _example_tests(name: str) -> ModuleType:
    """One test module of the example, imported from its folder with pytest's assertion rewriting."""
    if name not in sys.modules:
        pytest.register_assert_rewrite(name)
    sys.path.insert(0, str(EXAMPLE_TESTS))
    try:
        return import_module(name)
    finally:
        sys.path.remove(str(EXAMPLE_TESTS))


_contract = _example_tests("test_example_contract")
_unit = _example_tests("test_example_backend")

# Collected here as if written here.
TestExampleContract = _contract.TestExampleContract
TestSession = _unit.TestSession
TestCapabilitiesOfTheServerVersion = _unit.TestCapabilitiesOfTheServerVersion
TestOperations = _unit.TestOperations
TestMapping = _unit.TestMapping
TestCodes = _unit.TestCodes


# -- registration -------------------------------------------------------------------------------------


def _example_without(operation: str) -> type[Backend]:
    """The example backend with one flow left out, written directly on ``Backend``."""
    skipped = {operation, "__dict__", "__weakref__", "__qualname__"}
    namespace = {key: value for key, value in vars(ExampleBackend).items() if key not in skipped}
    namespace["name"] = "example-partial"
    return type(f"ExampleWithout_{operation}", (Backend,), namespace)


#: Module-level, so that a lazy registration can name it.
PAUSELESS = _example_without("pause")


def test_the_example_registers_through_its_entry_point() -> None:
    assert enunclic.get_backends()["example"] is ExampleBackend
    assert get_plugin_manager().get_plugin("example") is not None


def test_the_complete_example_is_accepted() -> None:
    registrar = BackendRegistrar()
    registrar(_example_without("__no_such_attribute__"))
    assert "example-partial" in registrar.backends()


@pytest.mark.parametrize("operation", REQUIRED)
def test_a_backend_missing_a_required_operation_is_refused(operation: str) -> None:
    with pytest.raises(PluginError, match=rf"does not write {operation}\b"):
        BackendRegistrar()(_example_without(operation))


def test_a_backend_missing_an_operation_its_capabilities_promise_is_refused() -> None:
    fileless = _example_without("files")
    assert Capability.FILES in fileless.capabilities
    with pytest.raises(PluginError, match=r"does not write files\b"):
        BackendRegistrar()(fileless)


def test_a_plugin_registering_it_through_pluggy_is_named() -> None:
    class Partial:
        @hookimpl
        def register_backends(self, register: BackendRegistrar) -> None:
            register(PAUSELESS)

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(Partial(), name="partial-plugin")
    with pytest.raises(PluginError, match=r"'partial-plugin'.*does not write pause\b"):
        collect_backends(pm)


def test_a_lazily_registered_backend_is_refused_when_first_looked_up() -> None:
    registrar = BackendRegistrar()
    registrar.lazy("example-partial", f"{__name__}:PAUSELESS")
    backends = registrar.backends()
    assert list(backends) == ["example-partial"]
    with pytest.raises(PluginError, match=r"does not write pause\b"):
        backends["example-partial"]
