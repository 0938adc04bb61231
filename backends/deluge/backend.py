"""The Deluge backend: deluge-web's JSON-RPC (``/json``), which proxies one deluged.

The session and the daemon connection are :class:`~.auth.DelugeAuth`'s; discovery reads
the daemon's version and whether its Label plugin is on; the flows here are Deluge's verbs.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from enunclic.plugin import (
    AddedTorrent,
    AddOptions,
    Backend,
    BackendConfig,
    Capability,
    Changes,
    EnunclicError,
    FilePriority,
    Flow,
    InvalidInputError,
    Limit,
    MagnetLink,
    Peer,
    ProtocolError,
    QueueMove,
    RequestTimeout,
    ServerError,
    ServerInfo,
    SessionExpiredError,
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
    info_hash_ids,
    is_info_hash,
    parse_options,
    raise_failures,
    read_count,
    read_size,
)

from .api import JsonRpc, endpoint_url, parse_reply
from .auth import DelugeAuth, DelugeOptions
from .codes import duplicate_of, removal_error
from .mapping import (
    FILE_PRIORITY_TO_NATIVE,
    RATE,
    TORRENT,
    TORRENT_KEYS,
    TRACKER_KEYS,
    to_files,
    to_peer,
    to_torrent,
    to_trackers,
)
from .poll import LIGHT_KEYS, PollState

__all__ = ["DelugeBackend", "DelugeOptions"]

#: What the Label plugin accepts (it lower-cases first).
_LABEL = re.compile(r"[a-z0-9_.\-]+")
_QUEUE_METHODS: Final[Mapping[QueueMove, str]] = {
    QueueMove.TOP: "core.queue_top",
    QueueMove.UP: "core.queue_up",
    QueueMove.DOWN: "core.queue_down",
    QueueMove.BOTTOM: "core.queue_bottom",
}
#: Where ``web.update_ui`` puts the torrents, and what a healthy reply holds besides.
_UI_TORRENTS = ("result", "torrents")
_UI_OK: Final[dict[tuple[str, ...], Any]] = {("result", "connected"): True, ("error",): None}


@dataclass(frozen=True)
class DaemonFacts:
    """What discovery learnt about the daemon behind deluge-web."""

    version: str | None
    #: Whether the Label plugin is enabled (labels need it).
    labels: bool


class DelugeBackend(Backend):
    """Deluge 2.x through deluge-web."""

    name = "deluge"
    display_name = "Deluge"
    #: Everything but a native delta listing (deluge-web has none: ``poll()`` diffs full lists), force start
    #: and alternative speeds (Deluge 2 has neither; see docs/backends/deluge.md).
    capabilities = frozenset(Capability) - {Capability.NATIVE_DELTA, Capability.FORCE_START, Capability.ALT_SPEED}
    url_schemes = ("http", "https")
    default_ports: ClassVar[Mapping[str, int]] = {"http": 8112, "https": 8112}
    default_path = "/json"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.options = parse_options(DelugeOptions, config, self.name)
        self._rpc = JsonRpc(endpoint_url(config.url))
        self._session = DelugeAuth(self._rpc, config.password, self.options)
        self.auth = self._session
        #: None until :meth:`discover` ran.
        self.daemon: DaemonFacts | None = None
        self.state = PollState()

    def available_capabilities(self) -> frozenset[Capability]:
        if self.daemon is not None and not self.daemon.labels:
            return self.capabilities - {Capability.LABELS}
        return self.capabilities

    def discover(self) -> Flow[None]:
        plugins = yield from self._call("core.get_enabled_plugins")
        version = yield from self._call("daemon.get_version")
        self.daemon = DaemonFacts(
            version=str(version) if version else None,
            labels=isinstance(plugins, list) and "Label" in plugins,
        )

    def _call(self, method: str, *params: Any) -> Flow[Any]:
        """One call. A deluge-web that lost its daemon can leave ``core.*`` calls unanswered
        (observed on 2.0.3 and 2.2.0: no error, the reply never comes), so the first try gets half
        of the call's time; a timeout is followed by a look at ``web.connected``, and when it says
        false, the call is repeated once after a new login, which reconnects the daemon."""
        try:
            return (yield from self._rpc.call(method, *params, wait=self.config.timeout / 2))
        except RequestTimeout:
            if (yield from self._rpc.call("web.connected")) is not False:
                raise
        self._session.invalidate()
        return (yield from self._rpc.call(method, *params))

    def _bulk(self, operation: str, method: str, ids: Sequence[str], *extra: Any) -> Flow[None]:
        """``method([ids], *extra)`` in one request; an unknown id is named, the others still done.

        Deluge stops at the first unknown id, so on that error the known ids are found and
        the call is repeated for them alone (every bulk call here is safe to repeat). An id
        that is no info-hash is never sent.
        """
        hashes, failures = info_hash_ids(ids)
        if hashes:
            try:
                yield from self._call(method, list(hashes), *extra)
            except TorrentNotFoundError:
                found = yield from self._call("core.get_torrents_status", {"id": list(hashes)}, ["name"])
                if not isinstance(found, dict):
                    raise ProtocolError("core.get_torrents_status did not answer an object") from None
                present = [h for h in hashes if h in found]
                if present:
                    yield from self._call(method, present, *extra)
                for missing in (h for h in hashes if h not in found):
                    failures[hashes[missing]] = TorrentNotFoundError(f"no torrent with id {hashes[missing]!r}")
        raise_failures(ids, failures, operation)

    def _status(self, torrent_id: str, keys: Sequence[str]) -> Flow[dict[str, Any]]:
        status = yield from self._call("core.get_torrent_status", info_hash_id(torrent_id), list(keys))
        if not isinstance(status, dict):
            raise ProtocolError("core.get_torrent_status did not answer an object")
        if not status:
            raise TorrentNotFoundError(f"no torrent with id {torrent_id!r}")
        return status

    def _update_ui(self) -> Flow[list[Torrent] | None]:
        """Every torrent, or None when deluge-web is not connected to its daemon."""
        response = yield self._rpc.request("web.update_ui", list(TORRENT_KEYS), {})
        listed = TORRENT.many_json(response.content, _UI_TORRENTS, keyed=True, checks=_UI_OK)
        if listed is not None:  # the usual reply, read in one pass
            return listed
        reply = parse_reply(response, "web.update_ui")
        if not isinstance(reply, dict) or "connected" not in reply:
            raise ProtocolError("web.update_ui answered the wrong shape")
        if reply["connected"] is not True:
            return None
        torrents = reply.get("torrents")
        if not isinstance(torrents, dict):
            raise ProtocolError("web.update_ui answered torrents of the wrong shape")
        return [to_torrent(info_hash, status) for info_hash, status in torrents.items()]

    # -- flows -----------------------------------------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        library = yield from self._call("core.get_libtorrent_version")
        version = self.daemon.version if self.daemon is not None else None
        return ServerInfo(
            backend=self.name,
            version=f"{version} (libtorrent {library})" if version and library else version,
            capabilities=self.available_capabilities(),
        )

    def torrents(self) -> Flow[list[Torrent]]:
        # web.update_ui says when deluge-web lost its daemon (core.* calls may hang instead).
        listed = yield from self._update_ui()
        if listed is None:
            self._session.invalidate()  # the next request logs in again first, which reconnects the daemon
            listed = yield from self._update_ui()
        if listed is None:
            raise SessionExpiredError("deluge-web lost its daemon again right after reconnecting")
        return listed

    def changes(self) -> Flow[Changes]:
        """A steady poll asks only the keys that change (see :mod:`.poll`); the first poll and every Nth
        list everything."""
        state = self.state
        state.polls += 1
        full = state.polls == 1 or state.polls % self.options.full_poll_every == 0
        listed = yield from self._statuses(TORRENT_KEYS if full else LIGHT_KEYS)
        stale = [] if full else [h for h, status in listed.items() if state.stale(h, status)]
        if stale:
            found = yield from self._call("core.get_torrents_status", {"id": stale}, list(TORRENT_KEYS))
            if not isinstance(found, dict):
                raise ProtocolError("core.get_torrents_status did not answer an object")
        statuses = {}
        for info_hash, status in listed.items():
            if full:
                statuses[info_hash] = status
            elif info_hash not in stale:
                statuses[info_hash] = {**state.statuses[info_hash], **status}
            elif isinstance(known := found.get(info_hash), dict) and known:  # else removed in between
                statuses[info_hash] = known
        torrents = [to_torrent(info_hash, status) for info_hash, status in statuses.items()]
        state.statuses = statuses  # only now, when nothing can fail: a retried flow starts from the same point
        return Changes(torrents, complete=True)

    def _statuses(self, keys: Sequence[str]) -> Flow[dict[str, Any]]:
        """``web.update_ui`` of ``keys``, as raw statuses by info-hash; reconnects once like :meth:`torrents`."""
        for attempt in range(2):
            reply = yield from self._call("web.update_ui", list(keys), {})
            if not isinstance(reply, dict) or "connected" not in reply:
                raise ProtocolError("web.update_ui answered the wrong shape")
            if reply["connected"] is True:
                torrents = reply.get("torrents")
                if not isinstance(torrents, dict) or not all(isinstance(v, dict) for v in torrents.values()):
                    raise ProtocolError("web.update_ui answered torrents of the wrong shape")
                return {str(h).lower(): v for h, v in torrents.items()}
            if attempt == 0:
                self._session.invalidate()  # the next request logs in again first, which reconnects the daemon
        raise SessionExpiredError("deluge-web lost its daemon again right after reconnecting")

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        status = yield from self._status(torrent_id, TORRENT_KEYS)
        return to_torrent(torrent_id.lower(), status)

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        label = _label(options.label) if options.label is not None else None
        add_options = _torrent_options(source, options)
        if isinstance(source, TorrentFileData):
            content = base64.b64encode(source.content).decode()
            call: tuple[Any, ...] = ("core.add_torrent_file", source.filename, content, add_options)
        elif isinstance(source, MagnetLink):
            call = ("core.add_torrent_magnet", source.uri, add_options)
        elif isinstance(source, TorrentURL):
            call = ("core.add_torrent_url", source.url, add_options)
        else:
            raise InvalidInputError(f"Deluge cannot add a {type(source).__name__}")
        duplicate = False
        try:
            info_hash = yield from self._call(*call)
        except ServerError as exc:
            info_hash = duplicate_of(exc.message)
            if info_hash is None:
                raise
            duplicate = True
        if not is_info_hash(info_hash):
            raise ServerError("Deluge did not add the torrent (it returned no info-hash)")
        info_hash = info_hash.lower()
        if label is not None:
            yield from self._set_labels([info_hash], label)
        return AddedTorrent(id=info_hash, info_hash=info_hash, duplicate=duplicate)

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._bulk("pause", "core.pause_torrents", ids)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._bulk("resume", "core.resume_torrents", ids)

    def pause_all(self) -> Flow[None]:
        """One request: ``core.pause_torrents`` without ids pauses every torrent (2.0.3 and 2.2.0). Not
        ``core.pause_session``, which stops libtorrent's session and leaves every torrent's state as it was."""
        yield from self._call("core.pause_torrents")

    def resume_all(self) -> Flow[None]:
        """One request: ``core.resume_torrents`` without ids resumes every torrent."""
        yield from self._call("core.resume_torrents")

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        hashes, failures = info_hash_ids(ids)
        if hashes:
            errors = yield from self._call("core.remove_torrents", list(hashes), delete_data)
            if not isinstance(errors, list) or not all(isinstance(e, list) and len(e) == 2 for e in errors):
                raise ProtocolError("core.remove_torrents did not answer a list of [id, error]")
            for native, message in errors:
                failures[hashes.get(str(native), str(native))] = removal_error(str(message))
        raise_failures(ids, failures, "remove")

    def recheck(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._bulk("recheck", "core.force_recheck", ids)

    def reannounce(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._bulk("reannounce", "core.force_reannounce", ids)

    def move(self, ids: Sequence[str], destination: str) -> Flow[None]:
        yield from self._bulk("move", "core.move_storage", ids, destination)

    def queue_move(self, ids: Sequence[str], direction: QueueMove) -> Flow[None]:
        yield from self._bulk("queue_move", _QUEUE_METHODS[direction], ids)

    def set_torrent_limits(self, ids: Sequence[str], download: Limit, upload: Limit) -> Flow[None]:
        """Torrent options with only the limits that change (Deluge keeps the options it is not sent)."""
        yield from self._bulk("set_torrent_limits", "core.set_torrent_options", ids, _limits(download, upload))

    def set_limits(self, download: Limit, upload: Limit) -> Flow[None]:
        """The core config keys of the limits that change."""
        yield from self._call("core.set_config", _limits(download, upload))

    def set_ratio_limit(self, ids: Sequence[str], ratio: float | None) -> Flow[None]:
        """``stop_at_ratio`` with ``stop_ratio``; None switches it off (the ratio is kept for next time)."""
        options: dict[str, Any] = (
            {"stop_at_ratio": False} if ratio is None else {"stop_at_ratio": True, "stop_ratio": ratio}
        )
        yield from self._bulk("set_ratio_limit", "core.set_torrent_options", ids, options)

    def set_sequential(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        yield from self._bulk("set_sequential", "core.set_torrent_options", ids, {"sequential_download": enabled})

    def set_first_last_piece(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        options = {"prioritize_first_last_pieces": enabled}
        yield from self._bulk("set_first_last_piece", "core.set_torrent_options", ids, options)

    def labels(self) -> Flow[list[str]]:
        """The Label plugin's list: labels exist there without torrents."""
        labels = yield from self._call("label.get_labels")
        if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
            raise ProtocolError("label.get_labels did not answer a list of labels")
        return sorted(labels)

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        yield from self._set_labels(ids, _label(label) if label else "")

    def _set_labels(self, ids: Sequence[str], label: str) -> Flow[None]:
        if label:
            try:
                yield from self._call("label.add", label)
            except ServerError as exc:
                if "already exists" not in exc.message:
                    raise
        failures: dict[str, EnunclicError] = {}
        for torrent_id in ids:  # the Label plugin labels one torrent per call
            try:
                yield from self._call("label.set_torrent", torrent_id, label)
            except (TorrentNotFoundError, InvalidInputError) as exc:
                failures[torrent_id] = exc
        raise_failures(ids, failures, "set_label")

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        status = yield from self._status(torrent_id, ("files", "file_progress", "file_priorities"))
        return to_files(status)

    def set_file_priority(self, torrent_id: str, indexes: Sequence[int], priority: FilePriority) -> Flow[None]:
        status = yield from self._status(torrent_id, ("file_priorities",))
        priorities = status.get("file_priorities")
        if not isinstance(priorities, list):
            raise ProtocolError("Deluge answered file priorities of the wrong shape")
        bad = [i for i in indexes if i >= len(priorities)]
        if bad:
            raise InvalidInputError(f"the torrent has no file with index {', '.join(map(str, bad))}")
        updated = [int(p) for p in priorities]
        for index in indexes:
            updated[index] = FILE_PRIORITY_TO_NATIVE[priority]
        torrent_id = torrent_id.lower()
        yield from self._call("core.set_torrent_options", [torrent_id], {"file_priorities": updated})
        if any(priorities[i] == 0 and updated[i] > 0 for i in indexes):
            # Deluge (2.0.3 and 2.2.0) marks a torrent unfinished when a skipped file is wanted
            # again, without queueing it; if its data is complete nothing marks it finished
            # again, and removing it then fails half-way ("not in queued torrents set") and
            # leaves a broken entry that hangs every listing until deluged restarts. A recheck
            # settles the flag (verified on both versions).
            yield from self._call("core.force_recheck", [torrent_id])

    def trackers(self, torrent_id: str) -> Flow[list[Tracker]]:
        status = yield from self._status(torrent_id, TRACKER_KEYS)
        return to_trackers(status, time.time())  # next_announce counts seconds from now

    def peers(self, torrent_id: str) -> Flow[list[Peer]]:
        status = yield from self._status(torrent_id, ("peers",))
        entries = status.get("peers")
        if not isinstance(entries, list):
            raise ProtocolError("Deluge answered peers of the wrong shape")
        return [to_peer(entry) for entry in entries]

    def stats(self) -> Flow[SessionStats]:
        rates = yield from self._call("core.get_session_status", ["payload_download_rate", "payload_upload_rate"])
        limits = yield from self._call("core.get_config_values", ["max_download_speed", "max_upload_speed"])
        free = yield from self._call("core.get_free_space")
        if not isinstance(rates, dict) or not isinstance(limits, dict):
            raise ProtocolError("Deluge answered session figures of the wrong shape")
        return SessionStats(
            download_speed=read_size(rates.get("payload_download_rate")),
            upload_speed=read_size(rates.get("payload_upload_rate")),
            download_limit=RATE.from_native(limits.get("max_download_speed")),
            upload_limit=RATE.from_native(limits.get("max_upload_speed")),
            free_space=read_count(free),
        )


def _torrent_options(source: TorrentSource, options: AddOptions) -> dict[str, Any]:
    """The torrent options of an add (``TorrentOptions`` of 2.0.3 and 2.2.0; what is not sent is the
    daemon's default). ``file_priorities`` are one per file of the .torrent; ``seed_mode`` is libtorrent's,
    which needs the metadata at add, so a magnet's check cannot be skipped."""
    added: dict[str, Any] = {"add_paused": options.paused}
    if options.destination is not None:
        added["download_location"] = options.destination
    if options.skip_check:
        if isinstance(source, MagnetLink):
            raise InvalidInputError("Deluge skips the hash check only of a torrent added with metadata, not a magnet")
        added["seed_mode"] = True
    if options.rename is not None:
        added["name"] = options.rename
    if options.wanted_files is not None and isinstance(source, TorrentFileData):  # the core checked both
        wanted, skip = FILE_PRIORITY_TO_NATIVE[FilePriority.NORMAL], FILE_PRIORITY_TO_NATIVE[FilePriority.SKIP]
        chosen = set(options.wanted_files)
        added["file_priorities"] = [wanted if index in chosen else skip for index in range(source.file_count)]
    for key, limit in (("max_download_speed", options.download_limit), ("max_upload_speed", options.upload_limit)):
        if limit is not None:
            added[key] = RATE.to_native(limit)
    return added


def _limits(download: Limit, upload: Limit) -> dict[str, int | float]:
    """The changing limits under Deluge's keys (the same in torrent options and core config), in KiB/s."""
    changes = changed_limits(max_download_speed=download, max_upload_speed=upload)
    return {key: RATE.to_native(limit) for key, limit in changes.items()}


def _label(label: str) -> str:
    """The Label plugin's form of a label: lower-case letters, digits, ``_``, ``.`` and ``-``."""
    lowered = label.lower()
    if not _LABEL.fullmatch(lowered):
        raise InvalidInputError(f"Deluge labels may only hold a-z, 0-9, '_', '.' and '-', not {label!r}")
    return lowered
