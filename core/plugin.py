"""Everything a backend author needs, in one module: ``from enunclic.plugin import ...``.

A backend is one class and a hook::

    from enunclic.plugin import Backend, Capability, Flow, SessionAuth, hookimpl

    class MyAuth(SessionAuth):            # a login per client; cookies the server sets are kept
        def login(self) -> Flow[None]: ...            # yield the login request, read its reply
        def is_lost(self, response) -> bool: ...      # this reply says the session is gone

    class MyBackend(Backend):
        name = "mybackend"                 # the URL scheme: mybackend://host:port
        capabilities = frozenset({Capability.ADD_MAGNET, ...})
        def __init__(self, config):
            super().__init__(config)
            self.auth = MyAuth(...)        # every request of every flow goes through it
        def torrents(self) -> Flow[list[Torrent]]:
            response = yield httpx.Request("GET", ...)   # already status-checked by the core
            return [to_torrent(row) for row in response.json()]
        ...  # info, add, pause, resume, remove: required; one flow per declared capability

    @hookimpl
    def register_backends(register):
        register(MyBackend)               # or register.lazy("mybackend", "pkg.backend:MyBackend")

and an entry point in the ``enunclic`` group. What each part does:

* **Flows** (:class:`Flow`): generators that yield ``httpx.Request`` (and :class:`Wait`
  to let time pass, :class:`Serialized` to run a flow under the client's lock) and
  return the result; the same flow serves ``Client`` and ``AsyncClient``.
* **The channel** (:class:`SessionAuth`, any ``httpx.Auth``): credentials, cookies and
  one meaning per HTTP status (:func:`check_reply`); statuses that mean something in
  your API go in ``Backend.protocol_statuses``.
* **The contract** (:data:`OPERATIONS`): the operations, which are required, which
  capability each needs; a class missing one is refused when registered.
  :meth:`Backend.discover` learns the server's version once, before capability checks.
* **Input** the core has validated: :class:`AddOptions` and the ``add()`` sources
  :class:`MagnetLink`, :class:`TorrentURL`, :class:`TorrentFileData`; limit changes
  (:data:`Limit`: bytes/s, None, or :data:`KEEP` for "leave it", sent with :func:`changed_limits`).
* **The toolkit**: :func:`info_hash_id` (:func:`info_hash_ids`), :func:`raise_failures`, :class:`Rate`
  (:data:`KIB`, :data:`BYTES`), :func:`read_size`, :func:`read_count`,
  :func:`as_int`, :func:`as_float`, :func:`as_datetime`, :func:`until`, :func:`fetch_torrent`.
* **Errors**: raise the :mod:`enunclic.exceptions` class that says what happened, with
  the server's ``native_code``; the core adds the backend and the operation.

``docs/example-backend/`` is a complete backend to copy; ``docs/writing-a-backend.md``
walks through it. ``enunclic.testing.contract.ContractSuite`` tests a backend.
"""

from __future__ import annotations

from .backend import AddOptions, Backend, BackendConfig, parse_options
from .capabilities import Capability
from .channel import Auth, SessionAuth, check_reply, html_reply, is_html, is_login_page
from .delta import Changes
from .exceptions import (
    AuthenticationError,
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
from .flows import Flow, Serialized, Step, Wait, done
from .hookspecs import hookimpl
from .limits import KEEP, Keep, Limit, changed_limits
from .models import AddedTorrent, Peer, ServerInfo, SessionStats, Torrent, TorrentFile, Tracker
from .operations import OPERATIONS, REQUIRED, Operation
from .registry import BackendRegistrar
from .sources import MagnetLink, TorrentFileData, TorrentSource, TorrentURL
from .states import FilePriority, QueueMove, TorrentState, TrackerStatus
from .toolkit import (
    BYTES,
    KIB,
    Rate,
    as_datetime,
    as_float,
    as_int,
    fetch_torrent,
    info_hash_id,
    info_hash_ids,
    is_info_hash,
    raise_failures,
    read_count,
    read_size,
    until,
)

__all__ = [
    # the backend and its input
    "AddOptions",
    "Backend",
    "BackendConfig",
    "BackendRegistrar",
    "hookimpl",
    "parse_options",
    "MagnetLink",
    "TorrentFileData",
    "TorrentSource",
    "TorrentURL",
    # the contract
    "OPERATIONS",
    "REQUIRED",
    "Operation",
    "Capability",
    # flows and the channel
    "Flow",
    "Serialized",
    "Step",
    "Wait",
    "done",
    "Auth",
    "SessionAuth",
    "check_reply",
    "html_reply",
    "is_html",
    "is_login_page",
    # what flows return
    "AddedTorrent",
    "Changes",
    "FilePriority",
    "Peer",
    "QueueMove",
    "ServerInfo",
    "SessionStats",
    "Torrent",
    "TorrentFile",
    "TorrentState",
    "Tracker",
    "TrackerStatus",
    # limit changes (what set_limits and set_torrent_limits receive)
    "KEEP",
    "Keep",
    "Limit",
    "changed_limits",
    # the toolkit
    "BYTES",
    "KIB",
    "Rate",
    "as_datetime",
    "as_float",
    "as_int",
    "fetch_torrent",
    "info_hash_id",
    "info_hash_ids",
    "is_info_hash",
    "raise_failures",
    "read_count",
    "read_size",
    "until",
    # errors
    "AuthenticationError",
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
]
