"""The Transmission backend: every operation as a flow over the RPC channel.

``Torrent.id`` is the lower-case info-hash (``hashString``): Transmission accepts hash
strings wherever it takes ids, and unlike its integer ids they survive a daemon
restart. The integer ids are only used to translate ``removed`` in incremental polls.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field

from enunclic import (
    AddedTorrent,
    AddOptions,
    Backend,
    BackendConfig,
    Capability,
    Changes,
    FilePriority,
    Flow,
    InvalidInputError,
    NotSupportedError,
    Peer,
    ProtocolError,
    QueueMove,
    ServerError,
    ServerInfo,
    Session,
    SessionStats,
    Torrent,
    TorrentFile,
    TorrentNotFoundError,
    Tracker,
    Wait,
    parse_options,
)
from enunclic.sources import MagnetLink, TorrentFileData, TorrentSource, TorrentURL

from .api import (
    FILE_FIELDS,
    LABEL_FIELD,
    PEER_FIELDS,
    RECENTLY_ACTIVE,
    SESSION_FIELDS,
    TORRENT_FIELDS,
    TRACKER_FIELDS,
    VERSION_FIELDS,
    Dialect,
    Method,
)
from .mapping import PRIORITY_VALUES, TORRENT, Quiet, hash_of, quiet_of, to_file, to_peer, to_torrent, to_tracker
from .transport import RpcChannel, is_jsonrpc_reply, parse_jsonrpc

__all__ = ["TransmissionBackend", "TransmissionOptions"]

_HASH = re.compile(r"[0-9a-fA-F]{40}")

#: The oldest protocol whose status values (0..6) and queue methods we rely on (Transmission 2.40).
MIN_RPC_VERSION = 14
#: rpc-version that added each feature.
RPC_LABELS = 16  # labels in torrent_get / torrent_set (3.00)
RPC_ADD_LABELS = 17  # labels in torrent_add (4.0)
RPC_FREE_SPACE = 15  # the free_space method (2.80)
#: Below this rpc-version a torrent_stop sent while the torrent waits for or runs a hash check is undone
#: when the check ends (observed on 3.00; 4.1 keeps it stopped). The backend stops such torrents again.
RPC_STOP_SURVIVES_CHECK = 18
#: status values 1 (check-wait) and 2 (checking), as text (``Torrent.native_state``).
_CHECKING_STATUSES = ("1", "2")
#: An RPC torrent_stop only marks the torrent; the daemon stops it on its next once-a-second tick,
#: and a torrent_start that arrives before that finds it still running and is dropped (3.00 and 4.1,
#: observed: a resume right after a pause left the torrent paused every time). A resume within this
#: many seconds of this client's pause first waits until the daemon reports the torrent stopped.
STOP_LANDS_WITHIN = 2.0
#: How long a resume waits at most for stops to land (then it sends the start anyway), and how often it looks.
STOP_PATIENCE = 4.0
STOP_POLL_EVERY = 0.2
#: The status of a stopped torrent.
_STOPPED = 0
#: The clock for those waits (tests replace it).
_clock = time.monotonic
#: Servers at or above this rpc-version are probed for JSON-RPC 2.0 (Transmission 4.1 announced it).
RPC_JSONRPC_CANDIDATE = 18

_QUEUE_METHODS: Mapping[QueueMove, Method] = {
    QueueMove.TOP: Method.QUEUE_MOVE_TOP,
    QueueMove.UP: Method.QUEUE_MOVE_UP,
    QueueMove.DOWN: Method.QUEUE_MOVE_DOWN,
    QueueMove.BOTTOM: Method.QUEUE_MOVE_BOTTOM,
}


class TransmissionOptions(BaseModel):
    """Options of the transmission backend (``?dialect=legacy`` in the URL, or keywords)."""

    model_config = ConfigDict(extra="forbid")

    #: ``auto`` probes JSON-RPC 2.0 on servers that may speak it (rpc-version >= 18), else legacy.
    dialect: Literal["auto", "legacy", "jsonrpc"] = "auto"
    #: Every Nth ``poll()`` lists every torrent instead of the recently active ones (a safety net).
    full_poll_every: int = Field(default=60, ge=1)


@dataclass(frozen=True)
class ServerFacts:
    """What ``session_get`` told us at connect time."""

    version: str | None
    rpc_version: int
    rpc_version_semver: str | None
    dialect: Dialect
    #: Bytes in one "K" of the KBps speed limits (``units.speed_bytes``; 1000 on stock daemons).
    speed_bytes: int = 1000


class TransmissionBackend(Backend):
    """Transmission (transmission-daemon, -gtk, -qt) over its RPC, 2.40 through 4.1."""

    name: ClassVar[str] = "transmission"
    display_name: ClassVar[str] = "Transmission"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability)
    url_schemes: ClassVar[tuple[str, ...]] = ("http", "https")
    default_ports: ClassVar[Mapping[str, int]] = {"http": 9091}
    default_path: ClassVar[str] = "/transmission/rpc"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.options = parse_options(TransmissionOptions, config, self.name)
        self._rpc = RpcChannel(config)
        self._session = Session(self._discover)
        self._facts: ServerFacts | None = None
        # What the next incremental poll compares with: info-hash -> queue position and label as the
        # last poll reported them. Other reads leave it alone: the poll's caller did not see them.
        self._known: dict[str, Quiet] = {}
        self._polls = 0
        #: Torrents paused while a check may undo it (old servers): stopped again once the check is over.
        self._stop_after_check: set[str] = set()
        #: info-hash -> when this client sent its torrent_stop, while the stop may not have landed yet.
        self._stopping: dict[str, float] = {}

    def available_capabilities(self) -> frozenset[Capability]:
        """Everything, less labels on servers older than rpc-version 16."""
        facts = self._facts
        if facts is not None and facts.rpc_version < RPC_LABELS:
            return self.capabilities - {Capability.LABELS}
        return self.capabilities

    # -- connecting -----------------------------------------------------------------------

    def _discover(self) -> Flow[None]:
        """Read the versions and pick the dialect: ``rpc-version`` says whether JSON-RPC 2.0 may be spoken."""
        fields = {"fields": [*VERSION_FIELDS, "units"]}
        forced = self.options.dialect
        if forced == "jsonrpc":
            reply = yield from self._rpc.send(Method.SESSION_GET, fields, Dialect.JSONRPC)
            if not is_jsonrpc_reply(reply):
                raise ProtocolError("the server does not answer in JSON-RPC 2.0 (dialect=jsonrpc was asked for)")
            self._remember(parse_jsonrpc(reply.json()), Dialect.JSONRPC)
            return
        reply = yield from self._rpc.send(Method.SESSION_GET, fields, Dialect.LEGACY)
        if is_jsonrpc_reply(reply):  # a server that dropped the legacy protocol answers in its own framing
            reply = yield from self._rpc.send(Method.SESSION_GET, fields, Dialect.JSONRPC)
            self._remember(parse_jsonrpc(reply.json()), Dialect.JSONRPC)
            return
        legacy = self._rpc.parse(reply, Dialect.LEGACY)
        rpc_version = _rpc_version(legacy)
        if forced == "auto" and rpc_version >= RPC_JSONRPC_CANDIDATE:
            # rpc-version 18 servers exist with and without JSON-RPC 2.0 (4.1.0-beta.2 has none): ask.
            probe = yield from self._rpc.send(Method.SESSION_GET, fields, Dialect.JSONRPC)
            if is_jsonrpc_reply(probe):
                self._remember(parse_jsonrpc(probe.json()), Dialect.JSONRPC)
                return
            parse_legacy_probe(probe)
        self._remember(legacy, Dialect.LEGACY)

    def _remember(self, session: Mapping[str, Any], dialect: Dialect) -> None:
        rpc_version = _rpc_version(session)
        if rpc_version < MIN_RPC_VERSION:
            raise NotSupportedError(
                f"Transmission with rpc-version {rpc_version} is too old; rpc-version {MIN_RPC_VERSION} "
                "(Transmission 2.40) or newer is needed",
                native_code=rpc_version,
            )
        units = session.get("units")
        speed_bytes = units.get("speed_bytes") if isinstance(units, dict) else None
        version = session.get("version")
        semver = session.get("rpc_version_semver")
        self._facts = ServerFacts(
            version=version if isinstance(version, str) else None,
            rpc_version=rpc_version,
            rpc_version_semver=semver if isinstance(semver, str) else None,
            dialect=dialect,
            speed_bytes=speed_bytes if isinstance(speed_bytes, int) and speed_bytes > 0 else 1000,
        )
        self._rpc.dialect = dialect

    def _connected(self) -> Flow[ServerFacts]:
        yield from self._session.ensure()
        if self._facts is None:  # pragma: no cover - _discover either sets it or raises
            raise ProtocolError("connected without server facts")
        return self._facts

    def _call(self, method: Method, arguments: Mapping[str, Any] | None = None) -> Flow[dict[str, Any]]:
        yield from self._connected()
        return (yield from self._rpc.call(method, arguments))

    # -- reading ------------------------------------------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        facts = yield from self._connected()
        api = str(facts.rpc_version) + (f" ({facts.rpc_version_semver})" if facts.rpc_version_semver else "")
        return ServerInfo(
            backend=self.name,
            version=facts.version,
            api_version=api,
            capabilities=self.available_capabilities(),
        )

    def _torrent_fields(self) -> list[str]:
        facts = self._facts
        labels = [LABEL_FIELD] if facts is not None and facts.rpc_version >= RPC_LABELS else []
        return [*TORRENT_FIELDS, *labels]

    def _fetch(self, ids: Any, fields: Sequence[str] | None = None) -> Flow[httpx.Response]:
        """Send torrent_get; :meth:`_get` reads the reply, or :meth:`torrents` reads a whole list in one pass."""
        yield from self._connected()
        arguments: dict[str, Any] = {"fields": list(fields or self._torrent_fields())}
        if ids is not None:
            arguments["ids"] = ids
        return (yield from self._rpc.send(Method.TORRENT_GET, arguments))

    def _get(self, ids: Any, fields: Sequence[str] | None = None) -> Flow[list[dict[str, Any]]]:
        """torrent_get: the raw torrents (snake_case); a torrent due a re-stop gets it."""
        response = yield from self._fetch(ids, fields)
        reply = self._rpc.parse(response, self._rpc.dialect)
        torrents = reply.get("torrents")
        if not isinstance(torrents, list) or not all(isinstance(t, dict) for t in torrents):
            raise ProtocolError("torrent_get did not return a list of torrents")
        if self._stop_after_check:
            yield from self._stop_again_after_check({hash_of(t): str(t.get("status")) for t in torrents})
        return torrents

    def _stop_again_after_check(self, statuses: Mapping[str, str]) -> Flow[None]:
        """Re-send torrent_stop for paused torrents that an old server restarted after their check.

        ``statuses``: info-hash -> status as text, for the torrents just read.
        """
        restarted: list[str] = []
        for info_hash in list(self._stop_after_check):
            status = statuses.get(info_hash)
            if status is None or not status.isdigit() or status in _CHECKING_STATUSES:
                continue  # not read, status unknown, or still checking
            self._stop_after_check.discard(info_hash)
            if status != "0":
                restarted.append(info_hash)
        if restarted:
            yield from self._rpc.call(Method.TORRENT_STOP, {"ids": restarted})

    def _one(self, torrent_id: str, fields: Sequence[str] | None = None) -> Flow[dict[str, Any]]:
        torrents = yield from self._get([_hash(torrent_id)], fields)
        if not torrents:
            raise TorrentNotFoundError(f"no torrent with id {torrent_id!r}")
        return torrents[0]

    def torrents(self) -> Flow[list[Torrent]]:
        response = yield from self._fetch(None)
        listed: list[Torrent] | None = None
        if response.status_code == 200:  # the usual reply in one pass, in Rust
            path, checks = _LIST_AT[self._rpc.dialect]
            listed = TORRENT[self._rpc.dialect].many_json(response.content, path, checks=checks)
        if listed is None:
            raw = self._rpc.parse(response, self._rpc.dialect).get("torrents")
            if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
                raise ProtocolError("torrent_get did not return a list of torrents")
            listed = [to_torrent(t) for t in raw]
        if self._stop_after_check:
            yield from self._stop_again_after_check({t.id: t.native_state for t in listed})
        return listed

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        return to_torrent((yield from self._one(torrent_id)))

    def changes(self) -> Flow[Changes]:
        """The recently active torrents, those whose label or queue position moved, and the removed
        ones (against what the last poll reported); the first poll (and every Nth) lists all."""
        self._polls += 1
        if self._polls == 1 or self._polls % self.options.full_poll_every == 0:
            listed = yield from self.torrents()
            self._known = {t.id: (t.queue_position, t.label) for t in listed}
            return Changes(listed, complete=True)
        facts = yield from self._connected()
        known = self._known
        active = yield from self._get(RECENTLY_ACTIVE[facts.dialect])
        # Then every torrent's queue position and labels, cheaply: these change without making a
        # torrent "recently active" (observed on 3.00 and 4.1). This list also tells which torrents
        # are gone, by info-hash; the server's "removed" would need a map of its numeric ids, which
        # a restarted daemon hands out anew.
        light = yield from self._get(None, self._quiet_fields())
        now = {hash_of(t): quiet_of(t) for t in light}
        removed = [h for h in known if h not in now]
        changed = {h: t for t in active if (h := hash_of(t)) in now}  # not removed since
        # Torrents whose light fields moved, and any this client has not reported yet: in full.
        moved = [h for h, quiet in now.items() if h not in changed and known.get(h) != quiet]
        if moved:
            changed.update((hash_of(t), t) for t in (yield from self._get(moved)))
        # Only now, when nothing can fail any more: a flow run again (a retry) starts from the same point.
        self._known = now
        return Changes([to_torrent(t) for t in changed.values()], complete=False, removed=removed)

    def _quiet_fields(self) -> list[str]:
        fields = ["id", "hash_string", "queue_position"]
        return [*fields, LABEL_FIELD] if LABEL_FIELD in self._torrent_fields() else fields

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        raw = yield from self._one(torrent_id, FILE_FIELDS)
        files, stats = raw.get("files"), raw.get("file_stats")
        if not isinstance(files, list) or not isinstance(stats, list) or len(files) != len(stats):
            raise ProtocolError("torrent_get returned files and file stats that do not match")
        return [to_file(i, info, stat) for i, (info, stat) in enumerate(zip(files, stats, strict=True))]

    def trackers(self, torrent_id: str) -> Flow[list[Tracker]]:
        raw = yield from self._one(torrent_id, TRACKER_FIELDS)
        stats = raw.get("tracker_stats")
        if not isinstance(stats, list):
            raise ProtocolError("torrent_get returned no tracker stats list")
        return [to_tracker(s) for s in stats]

    def peers(self, torrent_id: str) -> Flow[list[Peer]]:
        raw = yield from self._one(torrent_id, PEER_FIELDS)
        peers = raw.get("peers")
        if not isinstance(peers, list):
            raise ProtocolError("torrent_get returned no peer list")
        return [to_peer(p) for p in peers]

    def stats(self) -> Flow[SessionStats]:
        facts = yield from self._connected()
        numbers = yield from self._rpc.call(Method.SESSION_STATS)
        session = yield from self._rpc.call(Method.SESSION_GET, {"fields": list(SESSION_FIELDS)})
        free_space: int | None = None
        folder = session.get("download_dir")
        if facts.rpc_version >= RPC_FREE_SPACE and isinstance(folder, str):
            try:
                space = yield from self._rpc.call(Method.FREE_SPACE, {"path": folder})
            except ServerError:  # the folder may not exist yet: then the server cannot say
                space = {}
            size = space.get("size_bytes")
            free_space = size if isinstance(size, int) and size >= 0 else None
        return SessionStats(
            download_speed=_count(numbers.get("download_speed")),
            upload_speed=_count(numbers.get("upload_speed")),
            download_limit=self._limit_of(session, "speed_limit_down"),
            upload_limit=self._limit_of(session, "speed_limit_up"),
            free_space=free_space,
        )

    def _limit_of(self, session: Mapping[str, Any], name: str) -> int | None:
        """A session limit in bytes/s, or None when it is off."""
        if not session.get(f"{name}_enabled"):
            return None
        value = session.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            return None
        return int(value) * self._speed_bytes()

    def _speed_bytes(self) -> int:
        return self._facts.speed_bytes if self._facts is not None else 1000

    def _k(self, bytes_per_second: int) -> int:
        """Bytes/s -> the server's KBps, rounded; a non-zero limit never rounds down to 0 (no transfer)."""
        if bytes_per_second == 0:
            return 0
        return max(1, round(bytes_per_second / self._speed_bytes()))

    # -- adding ---------------------------------------------------------------------------------

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        facts = yield from self._connected()
        if options.label is not None and facts.rpc_version < RPC_LABELS:
            raise NotSupportedError(f"Transmission {facts.version} has no labels (rpc-version {facts.rpc_version})")
        arguments: dict[str, Any] = {"paused": options.paused}
        if isinstance(source, TorrentFileData):
            arguments["metainfo"] = base64.b64encode(source.content).decode("ascii")
        elif isinstance(source, MagnetLink):
            arguments["filename"] = source.uri
        elif isinstance(source, TorrentURL):
            arguments["filename"] = source.url
        if options.destination is not None:
            arguments["download_dir"] = options.destination
        if options.label is not None and facts.rpc_version >= RPC_ADD_LABELS:
            arguments["labels"] = [options.label]
        known_hash = source.info_hash if isinstance(source, (TorrentFileData, MagnetLink)) else None
        try:
            reply = yield from self._rpc.call(Method.TORRENT_ADD, arguments)
        except ServerError as exc:
            # rpc-version < 15 reports a duplicate as an error text instead of torrent-duplicate.
            if exc.native_code == "duplicate torrent" and known_hash:
                return AddedTorrent(id=known_hash, info_hash=known_hash, duplicate=True)
            raise
        duplicate = "torrent_duplicate" in reply
        entry = reply.get("torrent_duplicate" if duplicate else "torrent_added")
        if not isinstance(entry, dict):
            raise ProtocolError("torrent_add answered success without torrent-added or torrent-duplicate")
        info_hash = hash_of(entry)
        if options.label is not None and facts.rpc_version < RPC_ADD_LABELS and not duplicate:
            yield from self._rpc.call(Method.TORRENT_SET, {"ids": [info_hash], "labels": [options.label]})
        return AddedTorrent(id=info_hash, info_hash=info_hash, duplicate=duplicate)

    # -- changing ---------------------------------------------------------------------------------

    def _on(self, method: Method, ids: Sequence[str], **arguments: Any) -> Flow[None]:
        """One request for all ``ids``."""
        yield from self._call(method, {"ids": [_hash(i) for i in ids], **arguments})

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        facts = yield from self._connected()
        hashes = [_hash(i) for i in ids]
        yield from self._on(Method.TORRENT_STOP, hashes)
        now = _clock()
        self._stopping = {h: sent for h, sent in self._stopping.items() if now - sent < STOP_LANDS_WITHIN}
        self._stopping.update(dict.fromkeys(hashes, now))
        if facts.rpc_version < RPC_STOP_SURVIVES_CHECK:
            self._stop_after_check.update(hashes)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        """torrent_start, once any stop this client sent in the last moments has landed."""
        hashes = [_hash(i) for i in ids]
        self._stop_after_check.difference_update(hashes)  # the reads below must not stop them again
        now = _clock()
        pending = [h for h in hashes if now - self._stopping.get(h, -STOP_LANDS_WITHIN) < STOP_LANDS_WITHIN]
        if pending:
            yield from self._until_stopped(pending, now + STOP_PATIENCE)
        for info_hash in hashes:
            self._stopping.pop(info_hash, None)
        yield from self._on(Method.TORRENT_START, hashes)

    def _until_stopped(self, hashes: list[str], deadline: float) -> Flow[None]:
        """Read the status of ``hashes`` until none is running (a removed one is not waited for),
        or until ``deadline``: a start sent before the stop lands would be lost."""
        while True:
            listed = yield from self._get(hashes, ["hash_string", "status"])
            hashes = [hash_of(t) for t in listed if t.get("status") != _STOPPED]
            if not hashes or _clock() >= deadline:
                return
            yield Wait(STOP_POLL_EVERY)

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        hashes = [_hash(i) for i in ids]
        for info_hash in hashes:
            self._stopping.pop(info_hash, None)
        self._stop_after_check.difference_update(hashes)
        yield from self._on(Method.TORRENT_REMOVE, hashes, delete_local_data=delete_data)

    def recheck(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._on(Method.TORRENT_VERIFY, ids)

    def reannounce(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._on(Method.TORRENT_REANNOUNCE, ids)

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        """Transmission has a list of labels; the first one is enunclic's label, and setting replaces the list."""
        facts = yield from self._connected()
        if facts.rpc_version < RPC_LABELS:
            raise NotSupportedError(f"Transmission {facts.version} has no labels (rpc-version {facts.rpc_version})")
        if label is not None and "," in label:
            raise InvalidInputError("a Transmission label cannot contain a comma")
        yield from self._on(Method.TORRENT_SET, ids, labels=[label] if label is not None else [])

    def move(self, ids: Sequence[str], destination: str) -> Flow[None]:
        yield from self._on(Method.TORRENT_SET_LOCATION, ids, location=destination, move=True)

    def queue_move(self, ids: Sequence[str], direction: QueueMove) -> Flow[None]:
        yield from self._on(_QUEUE_METHODS[direction], ids)

    def set_file_priority(self, torrent_id: str, indexes: Sequence[int], priority: FilePriority) -> Flow[None]:
        raw = yield from self._one(torrent_id, ["id", "hash_string", "priorities"])
        count = len(raw.get("priorities") or [])
        outside = [i for i in indexes if i >= count]
        if outside:
            raise InvalidInputError(f"the torrent has {count} file(s); no file index {outside[0]}")
        arguments: dict[str, Any] = {}
        if priority is FilePriority.SKIP:
            arguments["files_unwanted"] = list(indexes)
        else:
            arguments["files_wanted"] = list(indexes)
            arguments[PRIORITY_VALUES[priority]] = list(indexes)
        yield from self._on(Method.TORRENT_SET, [torrent_id], **arguments)

    def set_torrent_limits(self, ids: Sequence[str], download: int | None, upload: int | None) -> Flow[None]:
        yield from self._connected()  # the size of the server's "K" is known after connecting
        arguments: dict[str, Any] = {"download_limited": download is not None, "upload_limited": upload is not None}
        if download is not None:
            arguments["download_limit"] = self._k(download)
        if upload is not None:
            arguments["upload_limit"] = self._k(upload)
        yield from self._on(Method.TORRENT_SET, ids, **arguments)

    def set_limits(self, download: int | None, upload: int | None) -> Flow[None]:
        yield from self._connected()
        arguments: dict[str, Any] = {
            "speed_limit_down_enabled": download is not None,
            "speed_limit_up_enabled": upload is not None,
        }
        if download is not None:
            arguments["speed_limit_down"] = self._k(download)
        if upload is not None:
            arguments["speed_limit_up"] = self._k(upload)
        yield from self._rpc.call(Method.SESSION_SET, arguments)


def parse_legacy_probe(response: Any) -> None:
    """A legacy-framed answer to the JSON-RPC probe (e.g. "no method name") means legacy only; else it is odd."""
    try:
        body = response.json()
    except ValueError:
        raise ProtocolError("the server answered the JSON-RPC 2.0 probe with something that is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("result"), str):
        raise ProtocolError("the server answered the JSON-RPC 2.0 probe in neither framing")


def _rpc_version(session: Mapping[str, Any]) -> int:
    value = session.get("rpc_version")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError("session_get did not report an integer rpc-version: is this Transmission?")
    return value


def _hash(torrent_id: str) -> str:
    """enunclic ids are info-hashes; anything else names no torrent."""
    if not _HASH.fullmatch(torrent_id):
        raise TorrentNotFoundError(f"no torrent with id {torrent_id!r} (Transmission ids are 40-digit info-hashes)")
    return torrent_id.lower()


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return None
    return int(value)


#: Where torrent_get puts the torrents in each dialect, and what a successful reply holds besides.
_LIST_AT: dict[Dialect, tuple[tuple[str, ...], dict[tuple[str, ...], Any]]] = {
    Dialect.LEGACY: (("arguments", "torrents"), {("result",): "success"}),
    Dialect.JSONRPC: (("result", "torrents"), {("jsonrpc",): "2.0"}),
}
