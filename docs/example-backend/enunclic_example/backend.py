"""The Example backend: each operation of the contract as a flow over the Example API.

Torrent ids are info-hashes. Labels came with server 2.0: :meth:`ExampleBackend.discover`
reads the version once per client and :meth:`~ExampleBackend.available_capabilities`
drops ``labels`` for an older server, so the core refuses them before any request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from enunclic.plugin import (
    AddedTorrent,
    AddOptions,
    Backend,
    BackendConfig,
    Capability,
    EnunclicError,
    Flow,
    ServerInfo,
    Torrent,
    TorrentFile,
    TorrentNotFoundError,
    TorrentSource,
    info_hash_id,
    parse_options,
    raise_failures,
)

from . import api
from .auth import ExampleAuth
from .codes import error_for
from .mapping import to_file, to_torrent

__all__ = ["ExampleBackend", "ExampleOptions", "ServerState"]

#: The first server version with labels.
LABELS_SINCE = 2


class ExampleOptions(BaseModel):
    """The backend's own ``connect()`` options: none yet, so that any option is refused by name."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class ServerState:
    """What this client has learned about its server (one per client, filled by ``discover()``)."""

    version: str | None = None
    #: Whether the server has labels; assumed until the version says otherwise.
    labels: bool = True


class ExampleBackend(Backend):
    """Speaks to an Example server (``example://host:8080``)."""

    name: ClassVar[str] = "example"
    display_name: ClassVar[str] = "Example server"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.ADD_MAGNET,
            Capability.ADD_URL,
            Capability.ADD_FILE,
            Capability.REMOVE_WITH_DATA,
            Capability.FILES,
            Capability.LABELS,
        }
    )
    default_ports: ClassVar[Mapping[str, int]] = {"http": 8080, "https": 8443}
    #: 401 is the server's "log in" (see auth.py), read by ExampleAuth instead of the core.
    protocol_statuses: ClassVar[frozenset[int]] = frozenset({401})

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        parse_options(ExampleOptions, config, self.name)
        self.auth = ExampleAuth(config.url, config.username, config.password)
        self.state = ServerState()

    # -- what the server is --------------------------------------------------------------------

    def discover(self) -> Flow[None]:
        self._learn((yield from self._get("version")))

    def available_capabilities(self) -> frozenset[Capability]:
        if self.state.labels:
            return self.capabilities
        return self.capabilities - {Capability.LABELS}

    def info(self) -> Flow[ServerInfo]:
        self._learn((yield from self._get("version")))
        return ServerInfo(backend=self.name, version=self.state.version, capabilities=self.available_capabilities())

    def _learn(self, reply: Any) -> None:
        version = reply.get("version") if isinstance(reply, dict) else None
        self.state.version = version if isinstance(version, str) else None
        major = (self.state.version or "").split(".", 1)[0]
        # An unreadable version is taken as a recent server: the API's own error remains if it is not.
        self.state.labels = not major.isdigit() or int(major) >= LABELS_SINCE

    # -- torrents ----------------------------------------------------------------------------------

    def torrents(self) -> Flow[list[Torrent]]:
        return [to_torrent(row) for row in (yield from self._get("torrents"))]

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        return to_torrent((yield from self._get(f"torrents/{info_hash_id(torrent_id)}")))

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        rows = yield from self._get(f"torrents/{info_hash_id(torrent_id)}/files")
        return [to_file(index, row) for index, row in enumerate(rows)]

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        reply = yield from self._post("add", api.add_body(source, options))
        info_hash = info_hash_id(reply["hash"])
        return AddedTorrent(id=info_hash, info_hash=info_hash, duplicate=reply.get("duplicate") is True)

    # -- bulk operations ------------------------------------------------------------------------

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        return self._bulk("pause", ids)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        return self._bulk("resume", ids)

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        return self._bulk("remove", ids, delete_data=delete_data)

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        return self._bulk("label", ids, label=label)

    def _bulk(self, action: str, ids: Sequence[str], **params: Any) -> Flow[None]:
        """One request for every id; ids that cannot exist and ids the server names fail, the others are done."""
        failures: dict[str, EnunclicError] = {}
        native: dict[str, str] = {}  # the server's id -> the caller's
        for torrent_id in ids:
            try:
                native[info_hash_id(torrent_id)] = torrent_id
            except TorrentNotFoundError as exc:
                failures[torrent_id] = exc
        if native:
            reply = yield from self._post(action, {"ids": list(native), **params})
            for native_id, code in api.failed(reply).items():
                torrent_id = native.get(native_id, native_id)
                failures[torrent_id] = error_for(code, f"{action} failed for torrent {torrent_id!r}")
        raise_failures(ids, failures, action)

    # -- calls ------------------------------------------------------------------------------------

    def _get(self, path: str) -> Flow[Any]:
        return api.result((yield api.get(self.config.url, path)))

    def _post(self, action: str, body: dict[str, Any]) -> Flow[Any]:
        return api.result((yield api.post(self.config.url, f"torrents/{action}", body)))
