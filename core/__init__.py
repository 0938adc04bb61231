"""enunclic: one way to drive remote BitTorrent clients.

    import enunclic
    with enunclic.connect("qbittorrent://admin:secret@127.0.0.1:8080") as client:
        for torrent in client.torrents():
            print(torrent.name, torrent.state, f"{torrent.progress:.0%}")

Names are imported on first use (PEP 562), so ``import enunclic`` stays cheap for a
CLI or a GUI that starts before it connects anywhere. What a backend plugin needs
(flows, the channel, the toolkit) is in :mod:`enunclic.plugin`.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .backend import AddOptions, Backend
    from .capabilities import Capability
    from .client import AsyncClient, Client, Ids
    from .delta import Changes
    from .exceptions import (
        AuthenticationError,
        CertificateError,
        ClientClosedError,
        ConnectError,
        EndpointNotFoundError,
        EnunclicError,
        InvalidInputError,
        NotSupportedError,
        PartialFailureError,
        PermissionDeniedError,
        PluginError,
        ProtocolError,
        RequestTimeout,
        ServerError,
        SessionExpiredError,
        TorrentNotFoundError,
        TransportError,
        TwoFactorRequired,
    )
    from .hookspecs import hookimpl
    from .limits import KEEP, Keep, Limit
    from .models import (
        AddedTorrent,
        Delta,
        Peer,
        ServerInfo,
        SessionStats,
        Torrent,
        TorrentEvent,
        TorrentEventKind,
        TorrentFile,
        Tracker,
    )
    from .pool import Pool
    from .states import FilePriority, QueueMove, TorrentState, TrackerStatus
    from .watch import Backoff, ErrorInfo, WatchEvent

__version__ = "0.1.0"

#: Public name -> the submodule that defines it.
_LAZY: dict[str, str] = {
    **dict.fromkeys(["AddOptions", "Backend"], "backend"),
    "Capability": "capabilities",
    **dict.fromkeys(["AsyncClient", "Client", "Ids"], "client"),
    "Changes": "delta",
    **dict.fromkeys(
        [
            "AuthenticationError",
            "CertificateError",
            "ClientClosedError",
            "ConnectError",
            "EndpointNotFoundError",
            "EnunclicError",
            "InvalidInputError",
            "NotSupportedError",
            "PartialFailureError",
            "PermissionDeniedError",
            "PluginError",
            "ProtocolError",
            "RequestTimeout",
            "ServerError",
            "SessionExpiredError",
            "TorrentNotFoundError",
            "TransportError",
            "TwoFactorRequired",
        ],
        "exceptions",
    ),
    "hookimpl": "hookspecs",
    **dict.fromkeys(["KEEP", "Keep", "Limit"], "limits"),
    **dict.fromkeys(
        ["AddedTorrent", "Delta", "Peer", "ServerInfo", "SessionStats", "Torrent", "TorrentFile", "Tracker"], "models"
    ),
    **dict.fromkeys(["TorrentEvent", "TorrentEventKind"], "models"),
    "Pool": "pool",
    **dict.fromkeys(["Backoff", "ErrorInfo", "WatchEvent"], "watch"),
    **dict.fromkeys(["FilePriority", "QueueMove", "TorrentState", "TrackerStatus"], "states"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'enunclic' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def _client_arguments(url: str, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from .plugins import collect_backends  # noqa: PLC0415 - lazy: see the module docstring
    from .urls import parse_server_url  # noqa: PLC0415

    parsed = parse_server_url(url, collect_backends())
    arguments: dict[str, Any] = {**parsed.options, **options}
    arguments.setdefault("username", parsed.username)
    arguments.setdefault("password", parsed.password)
    return parsed.backend, {"url": parsed.url, **arguments}


def connect(url: str, **options: Any) -> Client:
    """A :class:`Client` for ``<backend>[+http|+https|+scgi]://[user[:password]@]host[:port][/path][?option=value]``.

    Keyword options override those in the URL (``password=`` keeps it out of the URL).
    """
    from .client import Client  # noqa: PLC0415

    backend, arguments = _client_arguments(url, options)
    return Client(backend, **arguments)


def connect_async(url: str, **options: Any) -> AsyncClient:
    """An :class:`AsyncClient` for the same URLs as :func:`connect`."""
    from .client import AsyncClient  # noqa: PLC0415

    backend, arguments = _client_arguments(url, options)
    return AsyncClient(backend, **arguments)


def get_backends() -> Mapping[str, type[Backend]]:
    """Registered backends by name (built-in and third-party), read-only; none is imported until looked up."""
    from .plugins import collect_backends  # noqa: PLC0415

    return collect_backends()


__all__ = [
    "AddOptions",
    "AddedTorrent",
    "AsyncClient",
    "AuthenticationError",
    "CertificateError",
    "ClientClosedError",
    "Backend",
    "Backoff",
    "Capability",
    "Changes",
    "Client",
    "ConnectError",
    "Delta",
    "EndpointNotFoundError",
    "EnunclicError",
    "ErrorInfo",
    "FilePriority",
    "Ids",
    "InvalidInputError",
    "KEEP",
    "Keep",
    "Limit",
    "NotSupportedError",
    "PartialFailureError",
    "Peer",
    "PermissionDeniedError",
    "PluginError",
    "Pool",
    "ProtocolError",
    "QueueMove",
    "RequestTimeout",
    "ServerError",
    "ServerInfo",
    "SessionExpiredError",
    "SessionStats",
    "Torrent",
    "TorrentEvent",
    "TorrentEventKind",
    "TorrentFile",
    "TorrentNotFoundError",
    "TorrentState",
    "TrackerStatus",
    "Tracker",
    "TransportError",
    "TwoFactorRequired",
    "WatchEvent",
    "connect",
    "connect_async",
    "get_backends",
    "hookimpl",
]
