"""What the contract suite needs to know about one server under test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx

from ..states import TorrentState

__all__ = ["METADATA_STATES", "WRONG_PASSWORD", "ContractTarget", "TestTorrent"]

#: A wrong password for ``wrong_credentials``: no error text would hold it unless it leaked there.
WRONG_PASSWORD = "not-the-password-5e1f"  # noqa: S105 - meant to be refused

#: What a magnet shows before its metadata arrives. A server that first queues every new task
#: widens it with ``queued`` (``ContractTarget.metadata_states``).
METADATA_STATES: frozenset[TorrentState] = frozenset({TorrentState.METADATA})


@dataclass(frozen=True)
class TestTorrent:
    """A real .torrent whose payload the server can find, so it checks and seeds with no network."""

    __test__ = False  # not a pytest test class

    name: str
    content: bytes = field(repr=False)
    info_hash: str
    #: Where the payload lies on the server's disk (to prove ``delete_data``); None if unknowable.
    data_path: Path | None = None


@dataclass
class ContractTarget:
    """How the contract suite reaches one fresh server (empty torrent list) and makes torrents for it."""

    #: An enunclic URL for ``connect()`` / ``connect_async()``.
    url: str
    #: A factory of test torrents: ``make_torrent(name)``; each name gives a distinct torrent.
    make_torrent: Callable[[str], TestTorrent]
    #: Options that, merged over ``options``, make a client with a wrong password. Required: None only
    #: for a server without authentication (an SCGI socket), and the wrong-password case is then skipped.
    wrong_credentials: dict[str, Any] | None = field(kw_only=True)
    #: Extra options for ``connect()`` (password, backend options).
    options: dict[str, Any] = field(default_factory=dict)
    #: In-process servers: transports instead of the network.
    sync_transport: Callable[[], httpx.BaseTransport] | None = None
    async_transport: Callable[[], httpx.AsyncBaseTransport] | None = None
    #: A magnet link the server accepts without network access (None skips magnet tests).
    magnet: str | None = None
    #: An existing folder the server may move data into (None skips ``move``).
    move_destination: str | None = None
    #: How long a state change may take to show, in seconds (real daemons lag).
    settle_timeout: float = 15.0
    #: Requests a bulk pause of several torrents costs on this server (1 where the API allows).
    bulk_requests: int = 1
    #: An id no torrent on this server has.
    missing_id: str = "0" * 40
    #: What ``remove(missing_id)`` does: raise ``TorrentNotFoundError``, or nothing on a server that
    #: ignores unknown ids (checking first would cost a request per call). Never anything else.
    unknown_remove: Literal["not_found", "ignored"] = "not_found"
    #: States a magnet may show while it has no metadata (no network in tests: it never gets any).
    metadata_states: frozenset[TorrentState] = METADATA_STATES
    #: A factory of torrents of several files whose payload the server can find, like ``make_torrent``
    #: (:func:`~enunclic.testing.torrents.make_multi_torrent` in the server's folder). None skips the case
    #: that chooses files at add time.
    make_multi_torrent: Callable[[str], TestTorrent] | None = None
    #: ``Torrent`` fields this server's listing never fills (always None), although an operation sets them:
    #: e.g. a per-torrent limit the server keeps but does not list. A case that sets one then checks only
    #: that the call succeeds, instead of reading the value back.
    unlisted: frozenset[str] = frozenset()
