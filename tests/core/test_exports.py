"""The public surface: everything in __all__ exists, and the contract's names are there."""

from __future__ import annotations

import enunclic


def test_all_names_exist() -> None:
    for name in enunclic.__all__:
        assert hasattr(enunclic, name), name


def test_contract_names() -> None:
    for name in (
        "connect",
        "connect_async",
        "Client",
        "AsyncClient",
        "get_backends",
        "Torrent",
        "TorrentState",
        "TorrentFile",
        "FilePriority",
        "Tracker",
        "Peer",
        "SessionStats",
        "ServerInfo",
        "AddedTorrent",
        "Delta",
        "Capability",
        "EnunclicError",
    ):
        assert name in enunclic.__all__, name


def test_models_are_frozen_and_json_ready() -> None:
    torrent = enunclic.Torrent(id="1", name="n", state="seeding", native_state="6", progress=1.0)
    assert torrent.model_dump(mode="json")["state"] == "seeding"
    try:
        torrent.name = "other"  # type: ignore[misc]
    except Exception as exc:
        assert "frozen" in str(exc)
    else:
        raise AssertionError("Torrent is not frozen")
    info = enunclic.ServerInfo(backend="x", capabilities=frozenset({enunclic.Capability.FILES}))
    assert info.model_dump(mode="json")["capabilities"] == ["files"]


def test_lazy_names_match_all() -> None:
    assert set(enunclic._LAZY) | {"get_backends", "connect", "connect_async"} == set(enunclic.__all__)


def test_flow_machinery_is_for_plugins_not_users() -> None:
    import enunclic.plugin

    for name in ("Flow", "Serialized", "Wait", "Session", "BackendConfig", "parse_options"):
        assert name not in enunclic.__all__ and not hasattr(enunclic, name), name
    for name in ("Flow", "Serialized", "Wait", "BackendConfig", "parse_options", "SessionAuth", "hookimpl"):
        assert name in enunclic.plugin.__all__ and hasattr(enunclic.plugin, name), name
    assert not callable(enunclic.backends) if hasattr(enunclic, "backends") else True


def test_import_enunclic_loads_no_backend_and_no_http_stack() -> None:
    import subprocess
    import sys

    code = (
        "import sys, enunclic; "
        "print(sorted(m for m in sys.modules if m.startswith(('enunclic.backends.', 'httpx', 'pydantic'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
