"""The base class every backend plugin subclasses, and what the core hands it.

A backend is a class with a unique ``name`` and its ``capabilities``; each
operation is a flow (see :mod:`enunclic.flows`), listed in
:data:`enunclic.operations.OPERATIONS`. The core validates input, runs
:meth:`Backend.discover` once, checks capabilities and skips empty bulk operations
before calling a flow, so a backend method only ever sees clean, non-empty input.
Credentials, cookies and HTTP statuses are the channel's (:mod:`enunclic.channel`):
a backend sets ``self.auth`` and reads only replies that passed the status check.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import httpx
import pydantic

from .capabilities import Capability
from .channel import Auth, SessionAuth
from .delta import Changes
from .exceptions import InvalidInputError, NotSupportedError, TorrentNotFoundError
from .flows import Flow
from .limits import Limit
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
    #: Seconds a call may take, everything included (the client's default deadline).
    timeout: float = 30.0
    #: Backend options; kept out of repr() because some are secrets (API keys, device tokens).
    options: Mapping[str, Any] = field(default_factory=dict, repr=False)
    #: SHA-256 fingerprint of the one server certificate to accept (self-signed NAS).
    tls_fingerprint: str | None = None
    #: Seconds on a monotonic clock: what a backend's protocol state reads time from (tests inject one).
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)


@dataclass(frozen=True)
class AddOptions:
    """Options of ``add()``, validated by the core."""

    destination: str | None = None
    paused: bool = False
    label: str | None = None
    #: Add without hashing the data already on disk (``add_skip_check``).
    skip_check: bool = False
    #: The torrent's name on the server instead of the one in its metadata (``add_rename``).
    rename: str | None = None
    #: Indexes of the files to download, the others skipped; None: all (``add_file_selection``).
    wanted_files: tuple[int, ...] | None = None
    #: Per-torrent limits in bytes/s from the start; None: none (``add_limits``).
    download_limit: int | None = None
    upload_limit: int | None = None


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

    #: Unique name: the URL scheme (``name://``) and the key in ``enunclic.get_backends()``.
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
    #: HTTP statuses that mean something in this API: they reach ``auth`` and the flows
    #: untouched instead of becoming the core's error (Transmission's 409, qBittorrent's 403).
    protocol_statuses: ClassVar[frozenset[int]] = frozenset()
    #: The server can hold a speed limit of 0 B/s (no transfer at all). Most servers read 0 as
    #: "no limit", so the core refuses a 0 limit before any request unless this is True.
    zero_limit: ClassVar[bool] = False

    def __init__(self, config: BackendConfig) -> None:
        self.config = config
        #: Every request of every flow goes through it (see :mod:`enunclic.channel`); none by default.
        self.auth: Auth = httpx.Auth()

    # -- what the core asks before sending anything ---------------------------------

    def available_capabilities(self) -> frozenset[Capability]:
        """What this server can do, as far as known now (narrowed after discovery)."""
        return self.capabilities

    @property
    def device_token(self) -> str | None:
        """A token the server issued at a two-step login, so that the next login needs no code; None here."""
        return None

    def transport(self) -> httpx.BaseTransport | None:
        """A sync transport for non-HTTP URLs (SCGI, unix sockets); None uses HTTP."""
        return None

    def async_transport(self) -> httpx.AsyncBaseTransport | None:
        """The async twin of :meth:`transport`."""
        return None

    # -- flows the core runs ----------------------------------------------------------

    def discover(self) -> Flow[None]:
        """Learn what the server is (version, dialect) once, before the first operation's capability check.

        Narrow :meth:`available_capabilities` here; the core runs it under the client's lock.
        """
        yield from ()

    # -- flows every backend implements (required: see enunclic.operations) ------------

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
        """Log out; called once by ``Client.close()``. Errors here are logged, not raised.

        The default ends a :class:`~enunclic.channel.SessionAuth` session.
        """
        if isinstance(self.auth, SessionAuth):
            yield from self.auth.end()

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

    def set_torrent_limits(self, ids: Sequence[str], download: Limit, upload: Limit) -> Flow[None]:
        """Change per-torrent limits: bytes/s, None for no limit; a direction given as KEEP is left
        as it is (the core never passes two KEEPs, nor 0 unless :attr:`zero_limit`)."""
        raise self._unsupported("set_torrent_limits")

    def set_limits(self, download: Limit, upload: Limit) -> Flow[None]:
        """Change the global limits, with the same values as :meth:`set_torrent_limits`."""
        raise self._unsupported("set_limits")

    def queue_move(self, ids: Sequence[str], direction: QueueMove) -> Flow[None]:
        raise self._unsupported("queue_move")

    def stats(self) -> Flow[SessionStats]:
        raise self._unsupported("stats")

    def labels(self) -> Flow[list[str]]:
        """Every label the server knows, sorted; generic: those its torrents carry. A server that keeps
        labels without torrents (qBittorrent categories, Deluge's label plugin) overrides it."""
        torrents = yield from self.torrents()
        return sorted({t.label for t in torrents if t.label})

    def pause_all(self) -> Flow[None]:
        """Pause every torrent; generic: list, then one bulk pause. Override where one request does it."""
        torrents = yield from self.torrents()
        if torrents:
            yield from self.pause([t.id for t in torrents])

    def resume_all(self) -> Flow[None]:
        """Resume every torrent; generic like :meth:`pause_all`."""
        torrents = yield from self.torrents()
        if torrents:
            yield from self.resume([t.id for t in torrents])

    def force_start(self, ids: Sequence[str]) -> Flow[None]:
        """Start now, past the queue and its limits."""
        raise self._unsupported("force_start")

    def set_sequential(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        """Download pieces in order (for watching while downloading), or not."""
        raise self._unsupported("set_sequential")

    def set_first_last_piece(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        """Get the first and last pieces of each file first (previews), or not."""
        raise self._unsupported("set_first_last_piece")

    def set_ratio_limit(self, ids: Sequence[str], ratio: float | None) -> Flow[None]:
        """Stop seeding at this upload/download ratio; None: no limit of its own (the server's default)."""
        raise self._unsupported("set_ratio_limit")

    def set_alt_speed(self, enabled: bool) -> Flow[None]:
        """Switch the alternative (turtle) speed limits on or off."""
        raise self._unsupported("set_alt_speed")

    def _unsupported(self, operation: str) -> NotSupportedError:
        return NotSupportedError(f"{self.name} cannot {operation}", backend=self.name, operation=operation)
