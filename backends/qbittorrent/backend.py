"""The qBittorrent backend (WebUI API v2, qBittorrent 4.1 to 5.x): every operation as a flow.

``Torrent.id`` is the lower-case info-hash qBittorrent itself uses as the torrent's key.
The session (SID cookie or API key) is :class:`~.auth.QBittorrentAuth`'s; discovery reads
the WebAPI version, which names the pause/stop endpoints, and whether queueing is on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from enunclic.plugin import (
    BYTES,
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
    Peer,
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
    fetch_torrent,
    info_hash_id,
    parse_options,
    read_count,
    until,
)

from .api import (
    ALL,
    QUEUE_ENDPOINTS,
    TORRENT_SCOPED,
    Endpoint,
    build,
    joined,
    json_body,
    parse_api_version,
    pause_endpoint,
    resume_endpoint,
)
from .auth import QBittorrentAuth
from .codes import PROTOCOL_STATUSES, error_for
from .mapping import PRIORITY_VALUES, TORRENT, is_pseudo_tracker, to_file, to_peer, to_torrent, to_tracker
from .state import ProtocolState

__all__ = ["QBittorrentBackend", "QBittorrentOptions"]

_BTMH: Final = re.compile(r"urn:btmh:1220([0-9a-fA-F]{64})")
#: States of a torrent whose data is being checked already (on load, right after add, or a recheck).
CHECKING_STATES: Final = frozenset({"checkingResumeData", "checkingDL", "checkingUP", "queuedForChecking"})
#: setShareLimits' value for "the server's global limit" (-1 is "no limit").
USE_GLOBAL: Final = "-2"
#: Seconds between two looks at the list for a torrent just added (it shows up a moment after the reply).
ADD_CONFIRM_PAUSE: Final = 0.25


class QBittorrentOptions(BaseModel):
    """Options of the qbittorrent backend."""

    model_config = ConfigDict(extra="forbid")

    #: An API key (qBittorrent 5.2+): sent as ``Authorization: Bearer``; no login, no cookie.
    api_key: SecretStr | None = None
    #: How many times add() looks for the torrent in the list, a quarter second apart, before giving up.
    add_confirm_attempts: int = Field(default=20, ge=1)


class QBittorrentBackend(Backend):
    """qBittorrent (qbittorrent-nox or the desktop app with its WebUI on)."""

    name: ClassVar[str] = "qbittorrent"
    display_name: ClassVar[str] = "qBittorrent"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability)
    default_ports: ClassVar[Mapping[str, int]] = {"http": 8080}
    protocol_statuses: ClassVar[frozenset[int]] = PROTOCOL_STATUSES

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.options = parse_options(QBittorrentOptions, config, self.name)
        key = self.options.api_key.get_secret_value() if self.options.api_key else None
        self.auth: QBittorrentAuth = QBittorrentAuth(config.url, config.username, config.password, key)
        self.state = ProtocolState(clock=config.clock)

    def discover(self) -> Flow[None]:
        """The WebAPI version (pause or stop), the app version, and whether queueing is on."""
        state = self.state
        state.api = parse_api_version((yield from self._send(Endpoint.API_VERSION)).text)
        state.version = (yield from self._send(Endpoint.APP_VERSION)).text.strip().lstrip("v") or None
        preferences = yield from self._json(Endpoint.PREFERENCES)
        state.queueing = isinstance(preferences, dict) and bool(preferences.get("queueing_enabled"))

    def available_capabilities(self) -> frozenset[Capability]:
        """Everything, less queue moves when the server has queueing off."""
        if not self.state.queueing:
            return self.capabilities - {Capability.QUEUE}
        return self.capabilities

    # -- one call of the WebUI API --------------------------------------------------------------

    def _send(
        self,
        endpoint: Endpoint,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> Flow[httpx.Response]:
        """One request; the statuses the core leaves to qBittorrent become their errors here."""
        response: httpx.Response = yield build(self.config.url, endpoint, params=params, data=data, files=files)
        if response.is_success:
            return response
        if response.status_code == 403:
            raise self.auth.refusal(response)
        raise error_for(response, torrent_scoped=endpoint in TORRENT_SCOPED)

    def _json(self, endpoint: Endpoint, params: Mapping[str, str] | None = None) -> Flow[Any]:
        response = yield from self._send(endpoint, params=params)
        return json_body(response, endpoint.value)

    def _command(self, endpoint: Endpoint, ids: Sequence[str], **fields: str) -> Flow[None]:
        """One request for all ``ids`` (qBittorrent ignores hashes it does not have)."""
        yield from self._send(endpoint, data={"hashes": joined([info_hash_id(i) for i in ids]), **fields})

    # -- reading ---------------------------------------------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        yield from ()
        return ServerInfo(
            backend=self.name,
            version=self.state.version,
            api_version=".".join(str(p) for p in self.state.api),
            capabilities=self.available_capabilities(),
        )

    def _list(self, params: Mapping[str, str] | None = None) -> Flow[list[dict[str, Any]]]:
        return _torrent_list((yield from self._json(Endpoint.INFO, params)))

    def torrents(self) -> Flow[list[Torrent]]:
        response = yield from self._send(Endpoint.INFO)
        fast = TORRENT.many_json(response.content)  # the whole reply in one pass
        if fast is not None:
            return fast
        return [to_torrent(t) for t in _torrent_list(json_body(response, Endpoint.INFO.value))]

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        found = yield from self._list({"hashes": info_hash_id(torrent_id)})
        if not found:
            raise TorrentNotFoundError(f"no torrent with id {torrent_id!r}")
        return to_torrent(found[0])

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        files = yield from self._json(Endpoint.FILES, {"hash": info_hash_id(torrent_id)})
        if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
            raise ProtocolError("torrents/files did not return a list")
        return [to_file(i, f) for i, f in enumerate(files)]

    def trackers(self, torrent_id: str) -> Flow[list[Tracker]]:
        trackers = yield from self._json(Endpoint.TRACKERS, {"hash": info_hash_id(torrent_id)})
        if not isinstance(trackers, list) or not all(isinstance(t, dict) for t in trackers):
            raise ProtocolError("torrents/trackers did not return a list")
        return [to_tracker(t) for t in trackers if not is_pseudo_tracker(t)]

    def peers(self, torrent_id: str) -> Flow[list[Peer]]:
        reply = yield from self._json(Endpoint.PEERS, {"hash": info_hash_id(torrent_id), "rid": "0"})
        peers = reply.get("peers", {}) if isinstance(reply, dict) else None
        if not isinstance(peers, dict):
            raise ProtocolError("sync/torrentPeers did not return a peer map")
        return [to_peer(str(k), v) for k, v in peers.items() if isinstance(v, dict)]

    # -- sync/maindata: the native delta ------------------------------------------------------

    def _sync(self) -> Flow[None]:
        """Fetch what changed since the last ``rid`` and merge it into the cache of full torrent objects."""
        self.state.merge((yield from self._json(Endpoint.MAINDATA, {"rid": str(self.state.rid)})))

    def changes(self) -> Flow[Changes]:
        """sync/maindata with the last rid: partial objects merged into full Torrents."""
        yield from self._sync()
        return self.state.take_changes()

    def stats(self) -> Flow[SessionStats]:
        """From maindata's server_state (merged, so polls lose nothing): speeds, limits, free space."""
        yield from self._sync()
        state = self.state.server_state
        return SessionStats(
            download_speed=read_count(state.get("dl_info_speed")),
            upload_speed=read_count(state.get("up_info_speed")),
            download_limit=BYTES.from_native(state.get("dl_rate_limit")),
            upload_limit=BYTES.from_native(state.get("up_rate_limit")),
            free_space=read_count(state.get("free_space_on_disk")),
            alt_speed=alt if isinstance(alt := state.get("use_alt_speed_limits"), bool) else None,
        )

    def labels(self) -> Flow[list[str]]:
        """torrents/categories: every category, those no torrent carries too."""
        categories = yield from self._json(Endpoint.CATEGORIES)
        if not isinstance(categories, dict):
            raise ProtocolError("torrents/categories did not return an object")
        return sorted(str(name) for name in categories if name)

    # -- adding -----------------------------------------------------------------------------------

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        """POST torrents/add; the id is the info-hash computed locally, confirmed in the list."""
        if isinstance(source, TorrentURL):
            # The id must be known: download the .torrent here and upload it (or follow a magnet redirect).
            source = yield from fetch_torrent(source.url)
        data = _add_fields(options)
        files = None
        if isinstance(source, TorrentFileData):
            files = {"torrents": (source.filename, source.content, "application/x-bittorrent")}
            info_hash = source.info_hash
        else:
            data["urls"] = source.uri
            info_hash = _magnet_id(source)
        try:
            response = yield from self._send(Endpoint.ADD, data=data, files=files)
        except ServerError as exc:
            if exc.native_code != 409:  # newer versions answer 409 for a duplicate
                raise
            return (yield from self._duplicate_or_refused(info_hash, str(exc)))
        if not _accepted(response):
            return (yield from self._duplicate_or_refused(info_hash, response.text[:100]))
        within = (self.options.add_confirm_attempts - 1) * ADD_CONFIRM_PAUSE
        if not (yield from until(lambda: self._listed(info_hash), every=ADD_CONFIRM_PAUSE, within=within)):
            raise ServerError("qBittorrent accepted the torrent but it did not appear in the torrent list")
        if options.wanted_files is not None and isinstance(source, TorrentFileData):
            yield from self._select_files(info_hash, source.file_count, options)
        return AddedTorrent(id=info_hash, info_hash=info_hash)

    def _select_files(self, info_hash: str, file_count: int, options: AddOptions) -> Flow[None]:
        """File selection at add time: torrents/add has no field for it (4.5 and 5.1), so the torrent is
        added stopped, the other files are set to "do not download", and it starts unless asked paused."""
        wanted = set(options.wanted_files or ())
        skipped = [str(i) for i in range(file_count) if i not in wanted]
        if skipped:
            data = {"hash": info_hash, "id": "|".join(skipped), "priority": str(PRIORITY_VALUES[FilePriority.SKIP])}
            yield from self._send(Endpoint.FILE_PRIORITY, data=data)
        if not options.paused:
            yield from self.resume([info_hash])

    def _listed(self, info_hash: str) -> Flow[bool]:
        return bool((yield from self._list({"hashes": info_hash})))

    def _duplicate_or_refused(self, info_hash: str, reply: str) -> Flow[AddedTorrent]:
        if (yield from self._listed(info_hash)):
            return AddedTorrent(id=info_hash, info_hash=info_hash, duplicate=True)
        raise ServerError(f"qBittorrent refused to add the torrent ({reply.strip() or 'no reason given'})")

    # -- changing ----------------------------------------------------------------------------------

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._command(pause_endpoint(self.state.api), ids)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._command(resume_endpoint(self.state.api), ids)

    def pause_all(self) -> Flow[None]:
        """One request: ``hashes=all`` addresses every torrent."""
        yield from self._send(pause_endpoint(self.state.api), data={"hashes": ALL})

    def resume_all(self) -> Flow[None]:
        yield from self._send(resume_endpoint(self.state.api), data={"hashes": ALL})

    def force_start(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._command(Endpoint.FORCE_START, ids, value="true")

    def set_sequential(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        yield from self._set_toggled(ids, enabled, "seq_dl", Endpoint.TOGGLE_SEQUENTIAL)

    def set_first_last_piece(self, ids: Sequence[str], enabled: bool) -> Flow[None]:
        yield from self._set_toggled(ids, enabled, "f_l_piece_prio", Endpoint.TOGGLE_FIRST_LAST)

    def _set_toggled(self, ids: Sequence[str], enabled: bool, field: str, toggle: Endpoint) -> Flow[None]:
        """qBittorrent only flips these flags: read each torrent's flag, then flip those that differ (one
        list request, at most one toggle). The list shows a flip at once (4.5 and 5.1, observed)."""
        listed = yield from self._list({"hashes": joined([info_hash_id(i) for i in ids])})
        differ = [
            str(t.get("hash", "")).lower() for t in listed if isinstance(t.get(field), bool) and t[field] != enabled
        ]
        if differ:
            yield from self._command(toggle, differ)

    def set_ratio_limit(self, ids: Sequence[str], ratio: float | None) -> Flow[None]:
        """torrents/setShareLimits sets the ratio and both seeding-time limits at once: each torrent's time
        limits are read first and sent back unchanged (one request per distinct pair, usually one)."""
        listed = yield from self._list({"hashes": joined([info_hash_id(i) for i in ids])})
        groups: dict[tuple[str, str], list[str]] = {}
        for torrent in listed:
            kept = (
                _time_limit(torrent.get("seeding_time_limit")),
                _time_limit(torrent.get("inactive_seeding_time_limit")),
            )
            groups.setdefault(kept, []).append(str(torrent.get("hash", "")).lower())
        native = USE_GLOBAL if ratio is None else repr(float(ratio))
        for (seeding, inactive), hashes in groups.items():
            yield from self._command(
                Endpoint.SHARE_LIMITS,
                hashes,
                ratioLimit=native,
                seedingTimeLimit=seeding,
                inactiveSeedingTimeLimit=inactive,  # required from WebAPI 2.9.2, ignored before
            )

    def set_alt_speed(self, enabled: bool) -> Flow[None]:
        """qBittorrent only toggles the mode: read it (``0``/``1``), toggle if it differs."""
        mode = (yield from self._send(Endpoint.SPEED_LIMITS_MODE)).text.strip()
        if mode not in ("0", "1"):
            raise ProtocolError(f"transfer/speedLimitsMode answered {mode[:20]!r}, not 0 or 1")
        if (mode == "1") != enabled:
            yield from self._send(Endpoint.TOGGLE_SPEED_LIMITS_MODE, data={})

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        yield from self._command(Endpoint.DELETE, ids, deleteFiles="true" if delete_data else "false")

    def recheck(self, ids: Sequence[str]) -> Flow[None]:
        """Recheck, except torrents being checked already (one list request, then one recheck request).

        qBittorrent 4.5 and 5.1 both leave a torrent stuck in ``checkingDL``/``checkingUP`` for good
        when a recheck arrives while its data is still being checked (seen on the real daemons). The
        list lags about 0.5 s behind a recheck, so a torrent rechecked within the last few seconds
        counts as checking too.
        """
        hashes = [info_hash_id(i) for i in ids]
        listed = yield from self._list({"hashes": joined(hashes)})
        checking = {str(t.get("hash", "")).lower() for t in listed if t.get("state") in CHECKING_STATES}
        wanted = self.state.to_recheck(hashes, checking)
        if wanted:
            yield from self._command(Endpoint.RECHECK, wanted)
            self.state.mark_rechecked(wanted)

    def reannounce(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._command(Endpoint.REANNOUNCE, ids)

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        """Labels are categories; a missing category is created, then set."""
        try:
            yield from self._command(Endpoint.SET_CATEGORY, ids, category=label or "")
        except ServerError as exc:
            if exc.native_code != 409 or label is None:
                raise
            yield from self._send(Endpoint.CREATE_CATEGORY, data={"category": label, "savePath": ""})
            yield from self._command(Endpoint.SET_CATEGORY, ids, category=label)

    def move(self, ids: Sequence[str], destination: str) -> Flow[None]:
        yield from self._command(Endpoint.SET_LOCATION, ids, location=destination)

    def queue_move(self, ids: Sequence[str], direction: QueueMove) -> Flow[None]:
        yield from self._command(QUEUE_ENDPOINTS[direction], ids)

    def set_file_priority(self, torrent_id: str, indexes: Sequence[int], priority: FilePriority) -> Flow[None]:
        data = {
            "hash": info_hash_id(torrent_id),
            "id": "|".join(str(i) for i in indexes),
            "priority": str(PRIORITY_VALUES[priority]),
        }
        yield from self._send(Endpoint.FILE_PRIORITY, data=data)

    def set_torrent_limits(self, ids: Sequence[str], download: Limit, upload: Limit) -> Flow[None]:
        """One request per direction that changes (qBittorrent sets each on its own endpoint)."""
        for endpoint, limit in _endpoints(
            {"download": Endpoint.TORRENT_DOWNLOAD_LIMIT, "upload": Endpoint.TORRENT_UPLOAD_LIMIT}, download, upload
        ):
            yield from self._command(endpoint, ids, limit=limit)

    def set_limits(self, download: Limit, upload: Limit) -> Flow[None]:
        """One request per direction that changes; the server keeps global limits in whole KiB/s
        (rounded down, at least 1 KiB/s: 4.5 and 5.1, observed)."""
        for endpoint, limit in _endpoints(
            {"download": Endpoint.GLOBAL_DOWNLOAD_LIMIT, "upload": Endpoint.GLOBAL_UPLOAD_LIMIT}, download, upload
        ):
            yield from self._send(endpoint, data={"limit": limit})


def _add_fields(options: AddOptions) -> dict[str, str]:
    """The torrents/add form fields of ``options`` (file selection is done after the add: no field for it)."""
    flag = "true" if options.paused or options.wanted_files is not None else "false"
    data = {"paused": flag, "stopped": flag}  # 4.x reads paused, 5.x stopped
    if options.destination is not None:
        data["savepath"] = options.destination
        data["autoTMM"] = "false"
    if options.label is not None:
        data["category"] = options.label  # created on demand by the server
    if options.skip_check:
        data["skip_checking"] = data["seedMode"] = "true"  # seedMode from 5.3, skip_checking before
    if options.rename is not None:
        data["rename"] = options.rename
    if options.download_limit is not None:
        data["dlLimit"] = str(options.download_limit)  # bytes/s, like the per-torrent setters
    if options.upload_limit is not None:
        data["upLimit"] = str(options.upload_limit)
    return data


def _time_limit(value: Any) -> str:
    """A torrent's own seeding-time limit as setShareLimits takes it; missing (4.5 has no inactive one): the global."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else USE_GLOBAL


def _accepted(response: httpx.Response) -> bool:
    """``Ok.`` (older versions), or a JSON reply that counts at least one success (newer ones)."""
    text = response.text.strip()
    if text in ("Ok.", ""):
        return True
    if text == "Fails.":
        return False
    body = json_body(response, Endpoint.ADD.value)
    if not isinstance(body, dict):
        raise ProtocolError("torrents/add answered with neither 'Ok.', 'Fails.' nor a JSON object")
    succeeded = body.get("success_count")
    return bool(body.get("added_torrent_ids")) or (isinstance(succeeded, int) and succeeded > 0)


def _magnet_id(magnet: MagnetLink) -> str:
    """The id qBittorrent gives a magnet's torrent: the v1 hash, else the v2 hash cut to 40 digits."""
    if magnet.info_hash:
        return magnet.info_hash
    found = _BTMH.search(magnet.uri)
    if found is None:  # parse_magnet guarantees one of the two
        raise InvalidInputError("the magnet link has no info-hash qBittorrent can use")
    return found.group(1)[:40].lower()


def _endpoints(endpoints: Mapping[str, Endpoint], download: Limit, upload: Limit) -> list[tuple[Endpoint, str]]:
    """The endpoint of each direction that changes, with its limit as qBittorrent takes it: bytes/s,
    0 for none (the core refuses a 0 B/s limit, which qBittorrent would read as none)."""
    changes = changed_limits(download=download, upload=upload)
    return [(endpoints[direction], str(BYTES.to_native(limit))) for direction, limit in changes.items()]


def _torrent_list(reply: Any) -> list[dict[str, Any]]:
    if not isinstance(reply, list) or not all(isinstance(t, dict) for t in reply):
        raise ProtocolError("torrents/info did not return a list of torrents")
    return reply
