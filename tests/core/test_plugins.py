"""The plugin path: hook registration, duplicates, broken plugins, lookup errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence

import pluggy
import pytest

import enunclic
from enunclic import InvalidInputError, PluginError, hookimpl
from enunclic import plugins as plugin_module
from enunclic.hookspecs import PROJECT
from enunclic.plugin import OPERATIONS, AddedTorrent, AddOptions, Backend, Flow, ServerInfo, Torrent, TorrentSource
from enunclic.registry import BackendRegistrar


class _Complete(Backend):
    """Writes every required flow (none is ever run here)."""

    def info(self) -> Flow[ServerInfo]:
        raise NotImplementedError

    def torrents(self) -> Flow[list[Torrent]]:
        raise NotImplementedError

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        raise NotImplementedError

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        raise NotImplementedError

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        raise NotImplementedError

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        raise NotImplementedError


class _One(_Complete):
    name = "one"


class _OtherOne(_Complete):
    name = "one"


class _PluginA:
    __name__ = "plugin-a"

    @hookimpl
    def register_backends(self, register: BackendRegistrar) -> None:
        register(_One)


class _PluginB:
    @hookimpl
    def register_backends(self, register: BackendRegistrar) -> None:
        register(_OtherOne)


@pytest.fixture
def pm() -> Iterator[pluggy.PluginManager]:
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(enunclic.hookspecs)
    yield manager


def test_plugin_manager_is_built_lazily_and_once() -> None:
    assert plugin_module.get_plugin_manager() is plugin_module.get_plugin_manager()


def test_entry_point_plugin_is_found_with_no_change_to_enunclic() -> None:
    backends = enunclic.get_backends()
    assert backends["memory"].__module__ == "enunclic_memory.backend"
    owners = {name for name, _ in plugin_module.get_plugin_manager().list_name_plugin()}
    assert "memory" in owners


def test_built_ins_register_through_the_same_hook() -> None:
    pm = plugin_module.get_plugin_manager()
    assert len(plugin_module.built_in_plugins()) >= 5
    for module_name in plugin_module.built_in_plugins():
        plugin = pm.get_plugin(module_name)
        assert plugin is not None
        assert any(impl.plugin is plugin for impl in pm.hook.register_backends.get_hookimpls())


def test_duplicate_names_blame_both_plugins(pm: pluggy.PluginManager) -> None:
    pm.register(_PluginA(), name="plugin-a")
    pm.register(_PluginB(), name="plugin-b")
    with pytest.raises(PluginError) as caught:
        plugin_module.collect_backends(pm)
    message = str(caught.value)
    assert "'one'" in message and "plugin-a" in message and "plugin-b" in message


def test_registering_something_else_is_a_plugin_error(pm: pluggy.PluginManager) -> None:
    class Bad:
        @hookimpl
        def register_backends(self, register: BackendRegistrar) -> None:
            register(dict)  # type: ignore[arg-type]

    pm.register(Bad(), name="bad")
    with pytest.raises(PluginError, match="not an enunclic.Backend"):
        plugin_module.collect_backends(pm)


def test_a_bad_backend_name_is_refused(pm: pluggy.PluginManager) -> None:
    class Nameless(_Complete):
        name = "Not A Scheme"

    class P:
        @hookimpl
        def register_backends(self, register: BackendRegistrar) -> None:
            register(Nameless)

    pm.register(P(), name="p")
    with pytest.raises(PluginError, match="bad name"):
        plugin_module.collect_backends(pm)


def test_a_crashing_plugin_is_named(pm: pluggy.PluginManager) -> None:
    class Crash:
        @hookimpl
        def register_backends(self, register: BackendRegistrar) -> None:
            raise RuntimeError("boom")

    pm.register(Crash(), name="crashy")
    with pytest.raises(PluginError, match="crashy"):
        plugin_module.collect_backends(pm)


def test_a_misspelt_hook_fails_the_check(pm: pluggy.PluginManager) -> None:
    class Typo:
        @hookimpl
        def register_backend(self, register: BackendRegistrar) -> None:  # missing "s"
            raise AssertionError("never called")

    pm.register(Typo(), name="typo")
    with pytest.raises(pluggy.PluginValidationError):
        pm.check_pending()


def test_unknown_backend_lists_the_registered_ones() -> None:
    with pytest.raises(InvalidInputError, match="registered backends: .*memory"):
        enunclic.Client("nope", url="http://127.0.0.1")
    with pytest.raises(InvalidInputError, match="memory"):
        enunclic.connect("nope://127.0.0.1")


def test_get_backends_lists_them_and_enunclic_backends_is_only_the_package() -> None:
    assert "memory" in enunclic.get_backends()
    import enunclic.backends as package

    assert package.__name__ == "enunclic.backends"
    assert not callable(package)


@pytest.mark.parametrize("missing", [name for name, op in OPERATIONS.items() if op.required])
def test_a_backend_missing_a_required_operation_is_refused_at_registration(
    pm: pluggy.PluginManager, missing: str
) -> None:
    incomplete = type("Incomplete", (_Complete,), {"name": "incomplete", missing: getattr(Backend, missing)})

    class P:
        @hookimpl
        def register_backends(self, register: BackendRegistrar) -> None:
            register(incomplete)

    pm.register(P(), name="p")
    with pytest.raises(PluginError, match=f"does not write {missing} ") as caught:
        plugin_module.collect_backends(pm)
    assert "'p'" in str(caught.value)


def test_a_capability_without_its_flow_is_refused(pm: pluggy.PluginManager) -> None:
    class Promises(_Complete):
        name = "promises"
        capabilities = frozenset({enunclic.Capability.FILES, enunclic.Capability.PEERS})

    pm.register(_Lazy("promises", f"{__name__}:_Promises"), name="lazy")
    globals()["_Promises"] = Promises
    try:
        backends = plugin_module.collect_backends(pm)
        with pytest.raises(PluginError, match="files, peers"):
            backends["promises"]
    finally:
        del globals()["_Promises"]


def test_no_top_level_core_or_backends_package() -> None:
    import importlib.util

    for name in ("core", "backends"):
        spec = importlib.util.find_spec(name)
        assert spec is None or "enunclic" not in str(spec.origin), spec


def test_a_broken_entry_point_is_skipped_and_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    class BrokenEntryPoint:
        name = "broken-plugin"
        value = "enunclic_broken_plugin_that_does_not_exist"

        def load(self) -> object:
            raise ImportError("No module named 'enunclic_broken_plugin_that_does_not_exist'")

    monkeypatch.setattr(plugin_module, "entry_points", lambda group: [BrokenEntryPoint()])
    monkeypatch.setattr(plugin_module, "_BROKEN", {})
    plugin_module.get_plugin_manager.cache_clear()
    try:
        backends = enunclic.get_backends()
        assert "broken-plugin" in plugin_module.broken_plugins()
        assert set(backends) >= {m.rsplit(".", 1)[1] for m in plugin_module.built_in_plugins()}
    finally:
        plugin_module.get_plugin_manager.cache_clear()


class _Lazy:
    def __init__(self, name: str, target: str) -> None:
        self.name, self.target = name, target

    @hookimpl
    def register_backends(self, register: BackendRegistrar) -> None:
        register.lazy(self.name, self.target)


def test_a_lazy_backend_loads_on_first_lookup(pm: pluggy.PluginManager) -> None:
    pm.register(_Lazy("one", f"{__name__}:_One"), name="lazy")
    backends = plugin_module.collect_backends(pm)
    assert list(backends) == ["one"]
    assert backends["one"] is _One
    assert dict(backends.items()) == {"one": _One}


@pytest.mark.parametrize(
    ("name", "target", "problem"),
    [
        ("one", "no.such.module:Thing", "could not load"),
        ("one", f"{__name__}:_Missing", "could not load"),
        ("other", f"{__name__}:_One", "named 'one'"),
        ("one", f"{__name__}:_PluginA", "not an enunclic.Backend"),
    ],
)
def test_a_broken_lazy_backend_is_a_plugin_error_naming_its_plugin(
    pm: pluggy.PluginManager, name: str, target: str, problem: str
) -> None:
    pm.register(_Lazy(name, target), name="lazy")
    backends = plugin_module.collect_backends(pm)
    with pytest.raises(PluginError, match=problem) as caught:
        backends[name]
    assert "lazy" in str(caught.value)


def test_a_lazy_target_must_name_a_module_and_a_class(pm: pluggy.PluginManager) -> None:
    pm.register(_Lazy("one", "just_a_module"), name="lazy")
    with pytest.raises(PluginError, match="module:Class"):
        plugin_module.collect_backends(pm)


def test_a_lazy_name_clashing_with_a_class_blames_both(pm: pluggy.PluginManager) -> None:
    pm.register(_PluginA(), name="plugin-a")
    pm.register(_Lazy("one", "somewhere.else:Backend"), name="lazy")
    with pytest.raises(PluginError, match="registered twice") as caught:
        plugin_module.collect_backends(pm)
    assert "somewhere.else:Backend" in str(caught.value)


def test_a_client_imports_only_its_own_backend() -> None:
    """Listing the backends imports none of them; a client loads its own and no other (import time)."""
    code = (
        "import sys, enunclic, httpx\n"
        "names = list(enunclic.get_backends())\n"
        "assert {'synology', 'transmission', 'rtorrent'} <= set(names), names\n"
        "def loaded():\n"
        "    return sorted(m for m in sys.modules if m.startswith('enunclic.backends.') and m.endswith('.backend'))\n"
        "assert loaded() == [], loaded()\n"
        "enunclic.Client('transmission', url='http://127.0.0.1:9/transmission/rpc',"
        " transport=httpx.MockTransport(lambda r: httpx.Response(500))).close()\n"
        "assert loaded() == ['enunclic.backends.transmission.backend'], loaded()\n"
        "assert 'asyncio' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
