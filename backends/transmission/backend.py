"""The Transmission backend: every operation as a flow of RPC calls.

``Torrent.id`` is the lower-case info-hash (``hashString``): Transmission accepts hash
strings wherever it takes ids, and unlike its integer ids they survive a daemon
restart. The integer ids are only used to translate ``removed`` in incremental polls.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field

from enunclic.plugin import (
    KEEP,
    AddedTorrent,
    AddOptions,
    Backend,
    BackendConfig,
    Capability,
    Changes,
    FilePriority,
    Flow,
    InvalidInputError,
    Limit,
    MagnetLink,
    NotSupportedError,
    Peer,
    PluginError,
    ProtocolError,
    QueueMove,
    ServerError,
    ServerInfo,
    SessionStats,
    Torrent,
    TorrentFile,
    TorrentFileData,
    TorrentNotFoundError,
    TorrentSource,
    TorrentURL,
    Tracker,
    changed_limits,
    info_hash_id,
    parse_options,
    read_count,
    until,
)

from .api import (
    FILE_FIELDS,
    LABEL_FIELD,
    MIN_RPC_VERSION,
    PEER_FIELDS,
    RECENTLY_ACTIVE,
    RPC_ADD_LABELS,
    RPC_FREE_SPACE,
    RPC_JSONRPC_CANDIDATE,
    RPC_SEQUENTIAL,
    RPC_STOP_SURVIVES_CHECK,
    RPC_TABLE,
    RPC_TRACKER_LIST,
    SEQUENTIAL_FIELD,
    SESSION_FIELDS,
    STOPPED,
    TORRENT_FIELDS,
    TRACKER_FIELDS,
    TRACKER_LIST_FIELD,
    TRACKERS_FIELD,
    VERSION_FIELDS,
    Dialect,
    Method,
    check_legacy_probe,
    is_jsonrpc_reply,
    parse_reply,
    rpc_request,
    torrent_rows,
)
from .auth import TransmissionAuth
from .mapping import (
    PRIORITY_VALUES,
    QUIET_FIELDS,
    RATIO_OWN,
    RATIO_SESSION,
    hash_of,
    quiet_of,
    quiet_of_torrent,
    to_file,
    to_peer,
    to_torrent,
    to_tracker,
    torrent_mapping,
)
from .state import ServerFacts, State

__all__ = ["TransmissionBackend", "TransmissionOptions"]

_QUEUE_METHODS: Mapping[QueueMove, Method] = {
    QueueMove.TOP: Method.QUEUE_MOVE_TOP,
    QueueMove.UP: Method.QUEUE_MOVE_UP,
    QueueMove.DOWN: Method.QUEUE_MOVE_DOWN,
    QueueMove.BOTTOM: Method.QUEUE_MOVE_BOTTOM,
}

#: Each direction's limit as torrent_set and session_set write it: (value key, on/off flag key).
_TORRENT_LIMIT_KEYS: Mapping[str, tuple[str, str]] = {
    "download": ("download_limit", "download_limited"),
    "upload": ("upload_limit", "upload_limited"),
}
_SESSION_LIMIT_KEYS: Mapping[str, tuple[str, str]] = {
    "download": ("speed_limit_down", "speed_limit_down_enabled"),
    "upload": ("speed_limit_up", "speed_limit_up_enabled"),
}

#: Where torrent_get puts the torrents in each dialect, and what a successful reply holds besides.
_LIST_AT: Mapping[Dialect, tuple[tuple[str, ...], dict[tuple[str, ...], Any]]] = {
    Dialect.LEGACY: (("arguments", "torrents"), {("result",): "success"}),
    Dialect.JSONRPC: (("result", "torrents"), {("jsonrpc",): "2.0"}),
}


class TransmissionOptions(BaseModel):
    """Options of the transmission backend (``?dialect=legacy`` in the URL, or keywords)."""

    model_config = ConfigDict(extra="forbid")

    #: ``auto`` probes JSON-RPC 2.0 on servers that may speak it (rpc-version >= 18), else legacy.
    dialect: Literal["auto", "legacy", "jsonrpc"] = "auto"
    #: Every Nth ``poll()`` lists every torrent instead of the recently active ones (a safety net).
    full_poll_every: int = Field(default=60, ge=1)


class TransmissionBackend(Backend):
    """Transmission (transmission-daemon, -gtk, -qt) over its RPC, 2.40 through 4.1."""

    name: ClassVar[str] = "transmission"
    display_name: ClassVar[str] = "Transmission"
    #: Not in the RPC: first/last piece priority, adding without a hash check, a name at add time
    #: (docs/backends/transmission.md says why). Sequential download needs 4.1 (:meth:`available_capabilities`).
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability) - {
        Capability.FIRST_LAST_PIECE,
        Capability.ADD_SKIP_CHECK,
        Capability.ADD_RENAME,
    }
    url_schemes: ClassVar[tuple[str, ...]] = ("http", "https")
    default_ports: ClassVar[Mapping[str, int]] = {"http": 9091}
    protocol_statuses = frozenset({409})
    default_path: ClassVar[str] = "/transmission/rpc"
    #: An enabled limit of 0 stops the transfer in that direction (the flag, not the value, turns a limit off).
    zero_limit: ClassVar[bool] = True

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.options = parse_options(TransmissionOptions, config, self.name)
        self.auth = TransmissionAuth(config.username, config.password)
        self.state = State(config.clock)

    def available_capabilities(self) -> frozenset[Capability]:
        """What the class declares, less labels below rpc-version 16 and sequential download below 18."""
        facts = self.state.facts
        if facts is None:
            return self.capabilities
        missing = {Capability.LABELS} if not facts.labels else set()
        if facts.rpc_version < RPC_SEQUENTIAL:
            missing.add(Capability.SEQUENTIAL)
        return self.capabilities - missing

    # -- the RPC --------------------------------------------------------------------------------

    @property
    def facts(self) -> ServerFacts:
        """What discovery found (the core runs it before any operation)."""
        if self.state.facts is None:
            raise PluginError("the transmission backend was used before discover()")
        return self.state.facts

    def _request(self, method: Method, arguments: Mapping[str, Any], dialect: Dialect | None = None) -> httpx.Request:
        dialect = dialect or self.facts.dialect
        return rpc_request(self.config.url, method, arguments, dialect, next(self.state.call_ids))

    def _call(self, method: Method, arguments: Mapping[str, Any] | None = None) -> Flow[dict[str, Any]]:
        """One call; its reply's arguments (or result) with snake_case keys."""
        response = yield self._request(method, arguments or {})
        return parse_reply(response, self.facts.dialect)

    def discover(self) -> Flow[None]:
        """Read the versions and pick the dialect: ``rpc-version`` says whether JSON-RPC 2.0 may be spoken."""
        facts = yield from self._session_facts(self.options.dialect)
        if facts.rpc_version < MIN_RPC_VERSION:
            raise NotSupportedError(
                f"Transmission with rpc-version {facts.rpc_version} is too old; rpc-version {MIN_RPC_VERSION} "
                "(Transmission 2.40) or newer is needed",
                native_code=facts.rpc_version,
            )
        self.state.facts = facts

    def _session_facts(self, forced: str) -> Flow[ServerFacts]:
        fields = {"fields": [*VERSION_FIELDS, "units"]}
        jsonrpc = Dialect.JSONRPC
        if forced == "jsonrpc":
            reply = yield self._request(Method.SESSION_GET, fields, jsonrpc)
            if not is_jsonrpc_reply(reply):
                raise ProtocolError("the server does not answer in JSON-RPC 2.0 (dialect=jsonrpc was asked for)")
            return ServerFacts.read(parse_reply(reply, jsonrpc), jsonrpc)
        reply = yield self._request(Method.SESSION_GET, fields, Dialect.LEGACY)
        if is_jsonrpc_reply(reply):  # a server that dropped the legacy protocol answers in its own framing
            reply = yield self._request(Method.SESSION_GET, fields, jsonrpc)
            return ServerFacts.read(parse_reply(reply, jsonrpc), jsonrpc)
        legacy = ServerFacts.read(parse_reply(reply, Dialect.LEGACY), Dialect.LEGACY)
        if forced == "auto" and legacy.rpc_version >= RPC_JSONRPC_CANDIDATE:
            # rpc-version 18 servers exist with and without JSON-RPC 2.0 (4.1.0-beta.2 has none): ask.
            probe = yield self._request(Method.SESSION_GET, fields, jsonrpc)
            if is_jsonrpc_reply(probe):
                return ServerFacts.read(parse_reply(probe, jsonrpc), jsonrpc)
            check_legacy_probe(probe)
        return legacy

    # -- reading ------------------------------------------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        facts = self.facts
        api = str(facts.rpc_version) + (f" ({facts.rpc_version_semver})" if facts.rpc_version_semver else "")
        yield from ()
        return ServerInfo(
            backend=self.name,
            version=facts.version,
            api_version=api,
            capabilities=self.available_capabilities(),
        )

    def _torrent_fields(self) -> list[str]:
        """TORRENT_FIELDS and those of this server's version (3.00 answers 0 for a field it does not know)."""
        rpc_version = self.facts.rpc_version
        fields = [*TORRENT_FIELDS, TRACKER_LIST_FIELD if rpc_version >= RPC_TRACKER_LIST else TRACKERS_FIELD]
        return fields + self._versioned_fields()

    def _versioned_fields(self) -> list[str]:
        """Labels (rpc-version 16) and sequential download (18), where the server has them."""
        fields = [LABEL_FIELD] if self.facts.labels else []
        return [*fields, SEQUENTIAL_FIELD] if self.facts.rpc_version >= RPC_SEQUENTIAL else fields

    def _fetch(self, ids: Any, fields: Sequence[str] | None = None, *, table: bool = False) -> httpx.Request:
        """A torrent_get; :meth:`_get` reads its reply, or :meth:`torrents` reads a whole list in one pass.
        ``table`` asks for rows of values under one row of keys (rpc-version 16+): no key repeated per torrent."""
        arguments: dict[str, Any] = {"fields": list(fields or self._torrent_fields())}
        if ids is not None:
            arguments["ids"] = ids
        if table and self.facts.rpc_version >= RPC_TABLE:
            arguments["format"] = "table"
        return self._request(Method.TORRENT_GET, arguments)

    def _get(self, ids: Any, fields: Sequence[str] | None = None, *, table: bool = False) -> Flow[list[dict[str, Any]]]:
        """torrent_get: the raw torrents (snake_case); a torrent due a re-stop gets it."""
        reply = parse_reply((yield self._fetch(ids, fields, table=table)), self.facts.dialect)
        torrents = torrent_rows(reply.get("torrents"))
        if torrents is None:
            raise ProtocolError("torrent_get did not return a list of torrents")
        if self.state.stops.awaiting_check:
            yield from self._stop_again({hash_of(t): str(t.get("status")) for t in torrents})
        return torrents

    def _stop_again(self, statuses: Mapping[str, str]) -> Flow[None]:
        """Re-send torrent_stop for paused torrents that an old server restarted after their check."""
        restarted = self.state.stops.restarted(statuses)
        if restarted:
            yield from self._call(Method.TORRENT_STOP, {"ids": restarted})

    def _one(self, torrent_id: str, fields: Sequence[str] | None = None) -> Flow[dict[str, Any]]:
        torrents = yield from self._get([info_hash_id(torrent_id)], fields)
        if not torrents:
            raise TorrentNotFoundError(f"no torrent with id {torrent_id!r}")
        return torrents[0]

    def torrents(self) -> Flow[list[Torrent]]:
        dialect = self.facts.dialect
        response = yield self._fetch(None)
        path, checks = _LIST_AT[dialect]
        mapping = torrent_mapping(dialect, self.facts.speed_bytes)
        listed = mapping.many_json(response.content, path, checks=checks)  # the usual reply, in one pass
        if listed is None:
            raw = parse_reply(response, dialect).get("torrents")
            if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
                raise ProtocolError("torrent_get did not return a list of torrents")
            listed = [self._torrent(t) for t in raw]
        if self.state.stops.awaiting_check:
            yield from self._stop_again({t.id: t.native_state for t in listed})
        return listed

    def _torrent(self, raw: Mapping[str, Any]) -> Torrent:
        """One snake_case torrent_get object, limits in this server's unit."""
        return to_torrent(raw, self.facts.speed_bytes)

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        return self._torrent((yield from self._one(torrent_id)))

    def changes(self) -> Flow[Changes]:
        """The recently active torrents, those whose label, queue position or limits moved, and the
        removed ones (against what the last poll reported); the first poll (and every Nth) lists all."""
        state = self.state
        state.polls += 1
        if state.polls == 1 or state.polls % self.options.full_poll_every == 0:
            listed = yield from self.torrents()
            state.known = {t.id: quiet_of_torrent(t) for t in listed}
            return Changes(listed, complete=True)
        known = state.known
        active = yield from self._get(RECENTLY_ACTIVE[self.facts.dialect])
        # Then every torrent's queue position, labels, limits and sequential flag, cheaply (a table: no
        # key repeated per torrent): these change without making a torrent "recently active" (observed
        # on 3.00 and 4.1). This list also tells which torrents are gone, by info-hash; the server's
        # "removed" would need a map of its numeric ids, which a restarted daemon hands out anew.
        light = yield from self._get(None, self._quiet_fields(), table=True)
        speed = self.facts.speed
        now = {hash_of(t): quiet_of(t, speed) for t in light}
        removed = [h for h in known if h not in now]
        changed = {h: t for t in active if (h := hash_of(t)) in now}  # not removed since
        # Torrents whose light fields moved, and any this client has not reported yet: in full.
        moved = [h for h, quiet in now.items() if h not in changed and known.get(h) != quiet]
        if moved:
            changed.update((hash_of(t), t) for t in (yield from self._get(moved)))
        # Only now, when nothing can fail any more: a flow run again (a retry) starts from the same point.
        state.known = now
        return Changes([self._torrent(t) for t in changed.values()], complete=False, removed=removed)

    def _quiet_fields(self) -> list[str]:
        return ["hash_string", *QUIET_FIELDS, *self._versioned_fields()]

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
        numbers = yield from self._call(Method.SESSION_STATS)
        session = yield from self._call(Method.SESSION_GET, {"fields": list(SESSION_FIELDS)})
        free_space: int | None = None
        folder = session.get("download_dir")
        if self.facts.rpc_version >= RPC_FREE_SPACE and isinstance(folder, str):
            try:
                space = yield from self._call(Method.FREE_SPACE, {"path": folder})
            except ServerError:  # the folder may not exist yet: then the server cannot say
                space = {}
            free_space = read_count(space.get("size_bytes"))
        return SessionStats(
            download_speed=read_count(numbers.get("download_speed")),
            upload_speed=read_count(numbers.get("upload_speed")),
            download_limit=self._limit_of(session, "speed_limit_down"),
            upload_limit=self._limit_of(session, "speed_limit_up"),
            free_space=free_space,
            alt_speed=alt if isinstance(alt := session.get("alt_speed_enabled"), bool) else None,
        )

    def _limit_of(self, session: Mapping[str, Any], name: str) -> int | None:
        """A session limit in bytes/s, or None when it is off."""
        return self.facts.speed.from_native(session.get(name)) if session.get(f"{name}_enabled") else None

    def _limit_arguments(self, keys: Mapping[str, tuple[str, str]], download: Limit, upload: Limit) -> dict[str, Any]:
        """The changing limits as arguments: each one's flag, and its value in the server's K/s,
        whole (a non-zero limit never rounds down to 0, which would stop the transfer)."""
        arguments: dict[str, Any] = {}
        for direction, limit in changed_limits(download=download, upload=upload).items():
            value_key, flag_key = keys[direction]
            arguments[flag_key] = limit is not None
            if limit is not None:
                arguments[value_key] = round(self.facts.speed.to_native(limit))
        return arguments

    # -- adding ---------------------------------------------------------------------------------

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        rpc_version = self.facts.rpc_version
        arguments: dict[str, Any] = {"paused": options.paused}
        if isinstance(source, TorrentFileData):
            arguments["metainfo"] = base64.b64encode(source.content).decode("ascii")
        elif isinstance(source, MagnetLink):
            arguments["filename"] = source.uri
        elif isinstance(source, TorrentURL):
            arguments["filename"] = source.url
        if options.destination is not None:
            arguments["download_dir"] = options.destination
        if options.label is not None and rpc_version >= RPC_ADD_LABELS:
            arguments["labels"] = [options.label]
        if options.wanted_files is not None and isinstance(source, TorrentFileData):
            skipped = sorted(set(range(source.file_count)) - set(options.wanted_files))
            if skipped:
                arguments["files_unwanted"] = skipped
        known_hash = source.info_hash if isinstance(source, (TorrentFileData, MagnetLink)) else None
        try:
            reply = yield from self._call(Method.TORRENT_ADD, arguments)
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
        if not duplicate:  # a torrent already there keeps its own settings
            # torrent_add takes neither labels before 4.0 nor limits: one torrent_set right after sets them.
            later: dict[str, Any] = self._limit_arguments(
                _TORRENT_LIMIT_KEYS, options.download_limit or KEEP, options.upload_limit or KEEP
            )
            if options.label is not None and rpc_version < RPC_ADD_LABELS:
                later["labels"] = [options.label]
            if later:
                yield from self._call(Method.TORRENT_SET, {"ids": [info_hash], **later})
        return AddedTorrent(id=info_hash, info_hash=info_hash, duplicate=duplicate)

    # -- changing ---------------------------------------------------------------------------------

    def _bulk(self, method: Method, ids: Sequence[str], **arguments: Any) -> Flow[None]:
        """One request for all ``ids``."""
        yield from self._call(method, {"ids": [info_hash_id(i) for i in ids], **arguments})

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        hashes = [info_hash_id(i) for i in ids]
        yield from self._bulk(Method.TORRENT_STOP, hashes)
        self.state.stops.stopped(hashes, survives_check=self.facts.rpc_version >= RPC_STOP_SURVIVES_CHECK)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        """torrent_start, once any stop this client sent in the last moments has landed."""
        yield from self._start(Method.TORRENT_START, [info_hash_id(i) for i in ids])

    def force_start(self, ids: Sequence[str]) -> Flow[None]:
        """torrent_start_now: started at once, past the queue (waiting for stops like :meth:`resume`)."""
        yield from self._start(Method.TORRENT_START_NOW, [info_hash_id(i) for i in ids])

    def _start(self, method: Method, hashes: list[str]) -> Flow[None]:
        stops = self.state.stops
        pending = stops.resuming(hashes)
        if pending:
            yield from until(lambda: self._all_stopped(pending), every=stops.every, within=stops.patience)
        stops.forget(hashes)
        yield from self._bulk(method, hashes)

    def _all_stopped(self, hashes: list[str] | None) -> Flow[bool]:
        """Are all of ``hashes`` (None: every torrent) stopped now (a removed one counts as stopped)?"""
        listed = yield from self._get(hashes, ["hash_string", "status"], table=True)
        return all(t.get("status") == STOPPED for t in listed)

    def pause_all(self) -> Flow[None]:
        """One torrent_stop without ids (every torrent). Below rpc-version 18 a stop sent during a check is
        undone when the check ends, so there the hashes are listed first and :meth:`pause` remembers them."""
        if self.facts.rpc_version < RPC_STOP_SURVIVES_CHECK:
            listed = yield from self._get(None, ["hash_string"], table=True)
            if listed:
                yield from self.pause([hash_of(t) for t in listed])
            return
        yield from self._call(Method.TORRENT_STOP)
        self.state.stops.stopped_all()

    def resume_all(self) -> Flow[None]:
        """One torrent_start without ids, once the stops this client sent in the last moments have landed."""
        stops = self.state.stops
        if stops.pending():
            yield from until(lambda: self._all_stopped(None), every=stops.every, within=stops.patience)
        stops.forget_all()
        yield from self._call(Method.TORRENT_START)

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        hashes = [info_hash_id(i) for i in ids]
        self.state.stops.forget(hashes)
        yield from self._bulk(Method.TORRENT_REMOVE, hashes, delete_local_data=delete_data)

    def recheck(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._bulk(Method.TORRENT_VERIFY, ids)

    def reannounce(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._bulk(Method.TORRENT_REANNOUNCE, ids)

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        """Transmission has a list of labels; the first one is enunclic's label, and setting replaces the list."""
        if label is not None and "," in label:
            raise InvalidInputError("a Transmission label cannot contain a comma")
        yield from self._bulk(Method.TORRENT_SET, ids, labels=[label] if label is not None else [])

    def move(self, ids: Sequence[str], destination: str) -> Flow[None]:
        yield from self._bulk(Method.TORRENT_SET_LOCATION, ids, location=destination, move=True)

    def queue_move(self, ids: Sequence[str], direction: QueueMove) -> Flow[None]:
        yield from self._bulk(_QUEUE_METHODS[direction], ids)

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
        yield from self._bulk(Method.TORRENT_SET, [torrent_id], **arguments)

    def set_torrent_limits(self, ids: Sequence[str], download: Limit, upload: Limit) -> Flow[None]:
        """torrent_set with only the directions that change (the others keep their limit)."""
        yield from self._bulk(Method.TORRENT_SET, ids, **self._limit_arguments(_TORRENT_LIMIT_KEYS, download, upload))

    def set_sequential(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        """torrent_set sequential_download (4.1): a value, not a toggle."""
        yield from self._bulk(Method.TORRENT_SET, ids, **{SEQUENTIAL_FIELD: enabled})

    def set_ratio_limit(self, ids: Sequence[str], ratio: float | None) -> Flow[None]:
        """seedRatioMode 1 with the limit, or mode 0 (the session's limit) for None."""
        arguments: dict[str, Any] = {"seed_ratio_mode": RATIO_OWN if ratio is not None else RATIO_SESSION}
        if ratio is not None:
            arguments["seed_ratio_limit"] = ratio
        yield from self._bulk(Method.TORRENT_SET, ids, **arguments)

    def set_alt_speed(self, enabled: bool) -> Flow[None]:
        yield from self._call(Method.SESSION_SET, {"alt_speed_enabled": enabled})

    def set_limits(self, download: Limit, upload: Limit) -> Flow[None]:
        """session_set with only the directions that change."""
        yield from self._call(Method.SESSION_SET, self._limit_arguments(_SESSION_LIMIT_KEYS, download, upload))
