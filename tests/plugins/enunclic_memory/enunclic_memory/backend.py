"""The memory backend: every operation as a sans-I/O flow, like a real backend."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Final
from urllib.parse import urlsplit

import httpx

from enunclic.plugin import (
    AddedTorrent,
    AddOptions,
    AuthenticationError,
    Backend,
    BackendConfig,
    Capability,
    FilePriority,
    Flow,
    InvalidInputError,
    Limit,
    MagnetLink,
    Peer,
    ProtocolError,
    QueueMove,
    ServerError,
    ServerInfo,
    SessionAuth,
    SessionExpiredError,
    SessionStats,
    Torrent,
    TorrentFile,
    TorrentFileData,
    TorrentNotFoundError,
    TorrentSource,
    TorrentState,
    Tracker,
    changed_limits,
)

#: Native state -> normalized state (data, tested row by row).
STATES: Final[Mapping[str, TorrentState]] = {
    "seeding": TorrentState.SEEDING,
    "stopped": TorrentState.PAUSED,
    "fetching": TorrentState.METADATA,
    "downloading": TorrentState.DOWNLOADING,
    "error": TorrentState.ERROR,
}

#: How much of its data a torrent has, by native state (the memory server has no pieces).
PROGRESS: Final[Mapping[str, float]] = {"fetching": 0.0, "downloading": 0.5, "error": 0.5}

#: Native error code -> exception class.
ERRORS: Final[Mapping[str, type[Exception]]] = {
    "auth": AuthenticationError,
    "expired": SessionExpiredError,
    "not_found": TorrentNotFoundError,
    "bad_request": InvalidInputError,
}


class MemoryAuth(SessionAuth):
    """A token from ``/login``, sent as ``x-token``; an "expired" error reply means the session is gone."""

    def __init__(self, config: BackendConfig) -> None:
        super().__init__()
        self._config = config
        self._token = ""

    def login(self) -> Flow[None]:
        request = httpx.Request(
            "POST",
            f"{self._config.url}/login",
            data={"user": self._config.username or "", "password": self._config.password or ""},
        )
        self._token = _result((yield request))["token"]

    def apply(self, request: httpx.Request) -> httpx.Request:
        request.headers["x-token"] = self._token
        return request

    def is_lost(self, response: httpx.Response) -> bool:
        return len(response.content) < 200 and b'"expired"' in response.content

    def logout(self) -> Flow[None]:
        yield httpx.Request("POST", f"{self._config.url}/logout", headers={"x-token": self._token})


class MemoryBackend(Backend):
    """Speaks to :class:`~enunclic_memory.server.MemoryServer`."""

    name: ClassVar[str] = "memory"
    display_name: ClassVar[str] = "In-memory test server"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability)
    default_ports: ClassVar[Mapping[str, int]] = {"http": 80}

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.auth = MemoryAuth(config)

    def _rpc(self, method: str, **params: Any) -> Flow[Any]:
        request = httpx.Request("POST", f"{self.config.url}/rpc", json={"method": method, "params": params})
        return _result((yield request))

    def info(self) -> Flow[ServerInfo]:
        version = yield from self._rpc("version")
        return ServerInfo(backend=self.name, version=version, api_version="1", capabilities=self.capabilities)

    def torrents(self) -> Flow[list[Torrent]]:
        return [_torrent(row) for row in (yield from self._rpc("list"))]

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        return _torrent((yield from self._rpc("get", id=torrent_id)))

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        if isinstance(source, TorrentFileData):
            kind, data, info_hash = "file", base64.b64encode(source.content).decode(), source.info_hash
        elif isinstance(source, MagnetLink):
            kind, data, info_hash = "magnet", source.uri, source.info_hash
        else:
            kind, data, info_hash = "url", source.url, None
        result = yield from self._rpc(
            "add",
            kind=kind,
            data=data,
            destination=options.destination,
            paused=options.paused,
            label=options.label,
            rename=options.rename,
            wanted=list(options.wanted_files) if options.wanted_files is not None else None,
            down_limit=options.download_limit,
            up_limit=options.upload_limit,
            skip_check=options.skip_check,
        )
        return AddedTorrent(id=result["id"], info_hash=info_hash, duplicate=result["duplicate"])

    def _bulk(self, method: str, ids: Sequence[str], **params: Any) -> Flow[None]:
        yield from self._rpc(method, ids=list(ids), **params)

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        return self._bulk("pause", ids)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        return self._bulk("resume", ids)

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        return self._bulk("remove", ids, delete_data=delete_data)

    def recheck(self, ids: Sequence[str]) -> Flow[None]:
        return self._bulk("recheck", ids)

    def reannounce(self, ids: Sequence[str]) -> Flow[None]:
        return self._bulk("reannounce", ids)

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        return self._bulk("label", ids, label=label)

    def move(self, ids: Sequence[str], destination: str) -> Flow[None]:
        return self._bulk("move", ids, destination=destination)

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        rows = yield from self._rpc("files", id=torrent_id)
        return [
            TorrentFile(
                index=i,
                path=r["path"],
                size=r["size"],
                priority=FilePriority(r["priority"]),
                wanted=r["priority"] != "skip",
            )
            for i, r in enumerate(rows)
        ]

    def set_file_priority(self, torrent_id: str, indexes: Sequence[int], priority: FilePriority) -> Flow[None]:
        yield from self._rpc("priority", id=torrent_id, indexes=list(indexes), priority=priority.value)

    def trackers(self, torrent_id: str) -> Flow[list[Tracker]]:
        return [Tracker(url=url) for url in (yield from self._rpc("trackers", id=torrent_id))]

    def peers(self, torrent_id: str) -> Flow[list[Peer]]:
        return [Peer(**row) for row in (yield from self._rpc("peers", id=torrent_id))]

    def set_torrent_limits(self, ids: Sequence[str], download: Limit, upload: Limit) -> Flow[None]:
        return self._bulk("torrent_limits", ids, **changed_limits(down=download, up=upload))

    def set_limits(self, download: Limit, upload: Limit) -> Flow[None]:
        yield from self._rpc("global_limits", **changed_limits(down=download, up=upload))

    def queue_move(self, ids: Sequence[str], direction: QueueMove) -> Flow[None]:
        return self._bulk("queue", ids, where=direction.value)

    def stats(self) -> Flow[SessionStats]:
        s = yield from self._rpc("stats")
        return SessionStats(
            download_speed=s["down"],
            upload_speed=s["up"],
            download_limit=s["down_limit"],
            upload_limit=s["up_limit"],
            alt_speed=s.get("alt"),
        )

    def labels(self) -> Flow[list[str]]:
        return [str(label) for label in (yield from self._rpc("labels"))]

    def pause_all(self) -> Flow[None]:
        yield from self._rpc("all", state="stopped")

    def resume_all(self) -> Flow[None]:
        yield from self._rpc("all", state="seeding")

    def force_start(self, ids: Sequence[str]) -> Flow[None]:
        return self._bulk("force", ids)

    def set_sequential(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        return self._bulk("switch", ids, name="sequential", enabled=enabled)

    def set_first_last_piece(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        return self._bulk("switch", ids, name="first_last", enabled=enabled)

    def set_ratio_limit(self, ids: Sequence[str], ratio: float | None) -> Flow[None]:
        return self._bulk("ratio", ids, ratio=ratio)

    def set_alt_speed(self, enabled: bool) -> Flow[None]:
        yield from self._rpc("alt_speed", enabled=enabled)


def _result(response: httpx.Response) -> Any:
    try:
        body = json.loads(response.content)
    except ValueError:
        raise ProtocolError(f"not JSON (HTTP {response.status_code}, {response.headers.get('content-type')})") from None
    if not isinstance(body, dict):
        raise ProtocolError("reply is not a JSON object")
    error = body.get("error")
    if error:
        cls: Callable[..., Exception] = ERRORS.get(error.get("code"), ServerError)
        raise cls(error.get("message", "server error"), native_code=error.get("code"))
    return body.get("result")


def _torrent(row: Mapping[str, Any]) -> Torrent:
    state = STATES.get(row["state"], TorrentState.UNKNOWN)
    progress = PROGRESS.get(row["state"], 1.0)
    return Torrent(
        id=row["id"],
        info_hash=row["hash"],
        name=row["name"],
        state=state,
        native_state=row["state"],
        progress=progress,
        size=row["size"],
        downloaded=int(row["size"] * progress),
        error="disk full" if state is TorrentState.ERROR else None,
        ratio_limit=row.get("ratio_limit"),
        sequential=row.get("seq"),
        first_last_piece=row.get("flp"),
        tracker=urlsplit(row["tracker"]).hostname if row.get("tracker") else None,
        destination=row["dir"],
        label=row["label"],
        queue_position=row["pos"],
        download_limit=row.get("down_limit"),  # hand-made test servers may leave the limits out
        upload_limit=row.get("up_limit"),
    )
