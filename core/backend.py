"""The base class every backend plugin subclasses, and what the core hands it.

A backend is a class with a unique ``name`` and its ``capabilities``; each
operation is a flow (see :mod:`enunclic.flows`). The core validates input,
checks capabilities and skips empty bulk operations before calling a flow, so
a backend method only ever sees clean, non-empty input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import httpx
import pydantic

from .capabilities import Capability
from .delta import Changes
from .exceptions import InvalidInputError, NotSupportedError, TorrentNotFoundError
from .flows import Flow
from .models import AddedTorrent, Peer, ServerInfo, SessionStats, Torrent, TorrentFile, Tracker
from .sources import TorrentSource
from .states import FilePriority, QueueMove

__all__ = ["AddOptions", "Backend", "BackendConfig", "parse_options"]

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


@dataclass(frozen=True)
class BackendConfig:
    """Connection settings, already parsed: ``url`` never carries credentials."""

    url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    verify: bool | str = True
    timeout: float = 30.0
    #: Backend options; kept out of repr() because some are secrets (API keys, device tokens).
    options: Mapping[str, Any] = field(default_factory=dict, repr=False)
    #: SHA-256 fingerprint of the one server certificate to accept (self-signed NAS).
    tls_fingerprint: str | None = None


@dataclass(frozen=True)
class AddOptions:
    """Options of ``add()``, validated by the core."""

    destination: str | None = None
    paused: bool = False
    label: str | None = None


def parse_options(model: type[ModelT], config: BackendConfig, backend: str) -> ModelT:
    """Validate a backend's own options; unknown or bad ones become one InvalidInputError."""
    try:
        return model.model_validate(dict(config.options))
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'options'}: {err['msg']}" for err in exc.errors()
        )
        raise InvalidInputError(f"bad option for the {backend} backend: {problems}", backend=backend) from None


class Backend:
    """One server type. Subclass it, set the class attributes, implement the flows you can.

    Operations whose capability the class does not declare are never called.
    """

    #: Unique name: the URL scheme (``name://``) and the key in ``enunclic.backends()``.
    name: ClassVar[str]
    #: Human name for tables and docs.
    display_name: ClassVar[str] = ""
    #: Everything this backend can do with a capable server.
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    #: URL transports accepted after ``name+``; the first is the default.
    url_schemes: ClassVar[tuple[str, ...]] = ("http", "https")
    #: Default port per transport, used when the URL has none.
    default_ports: ClassVar[Mapping[str, int]] = {}
    #: Default path when the URL has none (e.g. ``/transmission/rpc``).
    default_path: ClassVar[str] = ""

    def __init__(self, config: BackendConfig) -> None:
        self.config = config

    # -- what the core asks before sending anything ---------------------------------

    def available_capabilities(self) -> frozenset[Capability]:
        """What this server can do, as far as known now (narrowed after discovery)."""
        return self.capabilities

    def transport(self) -> httpx.BaseTransport | None:
        """A sync transport for non-HTTP URLs (SCGI, unix sockets); None uses HTTP."""
        return None

    def async_transport(self) -> httpx.AsyncBaseTransport | None:
        """The async twin of :meth:`transport`."""
        return None

    # -- flows every backend implements --------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        """Server version, API version and capabilities."""
        raise NotImplementedError

    def torrents(self) -> Flow[list[Torrent]]:
        """Every torrent on the server."""
        raise NotImplementedError

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        """One torrent; the default lists all and picks one."""
        for torrent in (yield from self.torrents()):
            if torrent.id == torrent_id:
                return torrent
        raise TorrentNotFoundError(f"no torrent with id {torrent_id!r}")

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        """Add a magnet, URL or .torrent file."""
        raise NotImplementedError

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        """Stop transferring."""
        raise NotImplementedError

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        """Start transferring again."""
        raise NotImplementedError

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        """Remove torrents, and their data when asked (only with ``remove_with_data``)."""
        raise NotImplementedError

    def changes(self) -> Flow[Changes]:
        """What ``poll()`` diffs; the default is a complete list. Override for native deltas."""
        return Changes((yield from self.torrents()), complete=True)

    def close(self) -> Flow[None]:
        """Log out; called once by ``Client.close()``. Errors here are logged, not raised."""
        yield from ()

    # -- flows behind a capability ------------------------------------------------------

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        raise self._unsupported("files")

    def trackers(self, torrent_id: str) -> Flow[list[Tracker]]:
        raise self._unsupported("trackers")

    def peers(self, torrent_id: str) -> Flow[list[Peer]]:
        raise self._unsupported("peers")

    def recheck(self, ids: Sequence[str]) -> Flow[None]:
        raise self._unsupported("recheck")

    def reannounce(self, ids: Sequence[str]) -> Flow[None]:
        raise self._unsupported("reannounce")

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        raise self._unsupported("set_label")

    def move(self, ids: Sequence[str], destination: str) -> Flow[None]:
        raise self._unsupported("move")

    def set_file_priority(self, torrent_id: str, indexes: Sequence[int], priority: FilePriority) -> Flow[None]:
        raise self._unsupported("set_file_priority")

    def set_torrent_limits(self, ids: Sequence[str], download: int | None, upload: int | None) -> Flow[None]:
        raise self._unsupported("set_torrent_limits")

    def set_limits(self, download: int | None, upload: int | None) -> Flow[None]:
        raise self._unsupported("set_limits")

    def queue_move(self, ids: Sequence[str], direction: QueueMove) -> Flow[None]:
        raise self._unsupported("queue_move")

    def stats(self) -> Flow[SessionStats]:
        raise self._unsupported("stats")

    def _unsupported(self, operation: str) -> NotSupportedError:
        return NotSupportedError(f"{self.name} cannot {operation}", backend=self.name, operation=operation)
