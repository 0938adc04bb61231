"""The qBittorrent backend (WebUI API v2, qBittorrent 4.1 to 5.x): every operation as a flow.

``Torrent.id`` is the lower-case info-hash qBittorrent itself uses as the torrent's key.
Every call runs in a :class:`~enunclic.Session`: a 403 means the SID cookie is no longer
valid, which triggers one re-login and one retry (a ban, also 403, does not).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from enunclic import (
    AddedTorrent,
    AddOptions,
    AuthenticationError,
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
    SessionExpiredError,
    SessionStats,
    Torrent,
    TorrentFile,
    TorrentNotFoundError,
    Tracker,
    parse_options,
)
from enunclic.sources import MagnetLink, TorrentFileData, TorrentSource, TorrentURL, parse_magnet, parse_torrent_file

from .api import QUEUE_ENDPOINTS, TORRENT_SCOPED, Endpoint, build, joined, json_body, parse_api_version
from .api import pause_endpoint as _pause_endpoint
from .api import resume_endpoint as _resume_endpoint
from .auth import Credentials, is_ban, login_request, parse_login
from .codes import error_for
from .mapping import PRIORITY_VALUES, TORRENT, is_pseudo_tracker, to_file, to_peer, to_torrent, to_tracker

__all__ = ["QBittorrentBackend", "QBittorrentOptions"]

_HASH = re.compile(r"[0-9a-fA-F]{40}")
_BTMH = re.compile(r"urn:btmh:1220([0-9a-fA-F]{64})")
_REDIRECTS = (301, 302, 303, 307, 308)
#: States of a torrent whose data is being checked already (on load, right after add, or a recheck).
CHECKING_STATES = frozenset({"checkingResumeData", "checkingDL", "checkingUP", "queuedForChecking"})
#: A torrent rechecked this recently is treated as checking: the list shows the check ~0.5 s late.
RECHECK_SETTLE_SECONDS = 3.0


class QBittorrentOptions(BaseModel):
    """Options of the qbittorrent backend."""

    model_config = ConfigDict(extra="forbid")

    #: An API key (qBittorrent 5.2+): sent as ``Authorization: Bearer``; no login, no cookie.
    api_key: SecretStr | None = None
    #: How many times add() lists the torrent to confirm it appeared before giving up.
    add_confirm_attempts: int = Field(default=20, ge=1)


@dataclass(frozen=True)
class ServerFacts:
    """What the server told us after login."""

    version: str | None
    api: tuple[int, ...]
    queueing: bool


class QBittorrentBackend(Backend):
    """qBittorrent (qbittorrent-nox or the desktop app with its WebUI on)."""

    name: ClassVar[str] = "qbittorrent"
    display_name: ClassVar[str] = "qBittorrent"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability)
    url_schemes: ClassVar[tuple[str, ...]] = ("http", "https")
    default_ports: ClassVar[Mapping[str, int]] = {"http": 8080}
    default_path: ClassVar[str] = ""

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.options = parse_options(QBittorrentOptions, config, self.name)
        key = self.options.api_key.get_secret_value() if self.options.api_key else None
        self._credentials = Credentials(api_key=key)
        self._session = Session(self._login)
        self._facts: ServerFacts | None = None
        # sync/maindata state: the merged torrents, what changed since the last poll, the server state.
        self._rid = 0
        self._cache: dict[str, dict[str, Any]] = {}
        self._server_state: dict[str, Any] = {}
        self._dirty: set[str] = set()
        self._gone: set[str] = set()
        self._rechecked: dict[str, float] = {}  # hash -> time.monotonic() of its last recheck
        self._full_update = False
        self._delivered = False

    def available_capabilities(self) -> frozenset[Capability]:
        """Everything, less queue moves when the server has queueing off."""
        if self._facts is not None and not self._facts.queueing:
            return self.capabilities - {Capability.QUEUE}
        return self.capabilities

    # -- session ----------------------------------------------------------------------------

    def _login(self) -> Flow[None]:
        """Log in (unless an API key is used), then read the versions and whether queueing is on."""
        if self._credentials.api_key is None and (self.config.username or self.config.password):
            response = yield login_request(self.config.url, self.config.username or "", self.config.password or "")
            self._credentials.sid = parse_login(response)
        version = yield from self._discovery_text(Endpoint.API_VERSION)
        api = parse_api_version(version)
        app = yield from self._discovery_text(Endpoint.APP_VERSION)
        preferences = json_body((yield from self._discovery(Endpoint.PREFERENCES)), "preferences")
        queueing = isinstance(preferences, dict) and bool(preferences.get("queueing_enabled"))
        self._facts = ServerFacts(version=app.strip().lstrip("v") or None, api=api, queueing=queueing)

    def _discovery(self, endpoint: Endpoint) -> Flow[httpx.Response]:
        response: httpx.Response = yield self._credentials.apply(build(self.config.url, endpoint))
        if response.status_code == 403:
            if is_ban(response):
                parse_login(response)  # raises the ban error
            raise AuthenticationError(
                "qBittorrent refused access: "
                + ("the API key is not valid" if self._credentials.api_key else "give a username and password"),
                native_code=403,
            )
        if response.status_code == 404 and endpoint is Endpoint.API_VERSION:
            raise NotSupportedError("qBittorrent older than 4.1 (WebUI API v1) is not supported", native_code=404)
        if not 200 <= response.status_code < 300:
            raise error_for(response, torrent_scoped=False)
        return response

    def _discovery_text(self, endpoint: Endpoint) -> Flow[str]:
        response = yield from self._discovery(endpoint)
        if response.content.lstrip()[:1] == b"<":
            raise ProtocolError("qBittorrent answered with an HTML page: is the URL the WebUI root?")
        return response.text

    def _connected(self) -> Flow[ServerFacts]:
        yield from self._session.ensure()
        if self._facts is None:  # pragma: no cover - _login either sets it or raises
            raise ProtocolError("logged in without server facts")
        return self._facts

    def _send(
        self,
        endpoint: Endpoint,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> Flow[httpx.Response]:
        """One API call in the session: 403 -> one re-login and one retry; other errors mapped."""

        def attempt() -> Flow[httpx.Response]:
            request = build(self.config.url, endpoint, params=params, data=data, files=files)
            response: httpx.Response = yield self._credentials.apply(request)
            if response.status_code == 403:
                if is_ban(response):
                    parse_login(response)  # raises the ban error, never a retry
                if self._credentials.api_key:
                    raise AuthenticationError("qBittorrent refused the API key", native_code=403)
                raise SessionExpiredError("the qBittorrent session expired", native_code=403)
            if not 200 <= response.status_code < 300:
                raise error_for(response, torrent_scoped=endpoint in TORRENT_SCOPED)
            return response

        return (yield from self._session.call(attempt))

    def _json(self, endpoint: Endpoint, params: Mapping[str, str] | None = None) -> Flow[Any]:
        response = yield from self._send(endpoint, params=params)
        return json_body(response, endpoint.value)

    def close(self) -> Flow[None]:
        """Log out, so the server forgets the SID (API keys have no session)."""
        if self._session.active and self._credentials.sid and not self._credentials.api_key:
            yield self._credentials.apply(build(self.config.url, Endpoint.LOGOUT, data={}))
        self._session.invalidate()
        self._credentials.sid = None

    # -- reading ---------------------------------------------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        facts = yield from self._connected()
        return ServerInfo(
            backend=self.name,
            version=facts.version,
            api_version=".".join(str(p) for p in facts.api),
            capabilities=self.available_capabilities(),
        )

    def _list(self, params: Mapping[str, str] | None = None) -> Flow[list[dict[str, Any]]]:
        return _torrent_list((yield from self._json(Endpoint.INFO, params)))

    def torrents(self) -> Flow[list[Torrent]]:
        response = yield from self._send(Endpoint.INFO)
        fast = TORRENT.many_json(response.content)  # the whole reply in one pass, in Rust
        if fast is not None:
            return fast
        return [to_torrent(t) for t in _torrent_list(json_body(response, Endpoint.INFO.value))]

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        found = yield from self._list({"hashes": _hash(torrent_id)})
        if not found:
            raise TorrentNotFoundError(f"no torrent with id {torrent_id!r}")
        return to_torrent(found[0])

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        files = yield from self._json(Endpoint.FILES, {"hash": _hash(torrent_id)})
        if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
            raise ProtocolError("torrents/files did not return a list")
        return [to_file(i, f) for i, f in enumerate(files)]

    def trackers(self, torrent_id: str) -> Flow[list[Tracker]]:
        trackers = yield from self._json(Endpoint.TRACKERS, {"hash": _hash(torrent_id)})
        if not isinstance(trackers, list) or not all(isinstance(t, dict) for t in trackers):
            raise ProtocolError("torrents/trackers did not return a list")
        return [to_tracker(t) for t in trackers if not is_pseudo_tracker(t)]

    def peers(self, torrent_id: str) -> Flow[list[Peer]]:
        reply = yield from self._json(Endpoint.PEERS, {"hash": _hash(torrent_id), "rid": "0"})
        peers = reply.get("peers", {}) if isinstance(reply, dict) else None
        if not isinstance(peers, dict):
            raise ProtocolError("sync/torrentPeers did not return a peer map")
        return [to_peer(str(k), v) for k, v in peers.items() if isinstance(v, dict)]

    # -- sync/maindata: the native delta ------------------------------------------------------

    def _sync(self) -> Flow[None]:
        """Fetch what changed since ``rid`` and merge it into the cache of full torrent objects."""
        reply = yield from self._json(Endpoint.MAINDATA, {"rid": str(self._rid)})
        if not isinstance(reply, dict) or not isinstance(reply.get("rid"), int):
            raise ProtocolError("sync/maindata did not return an object with a rid")
        torrents = reply.get("torrents") or {}
        removed = reply.get("torrents_removed") or []
        state = reply.get("server_state") or {}
        if not isinstance(torrents, dict) or not isinstance(removed, list) or not isinstance(state, dict):
            raise ProtocolError("sync/maindata returned torrents, removals or server state of the wrong shape")
        if reply.get("full_update"):
            self._cache, self._server_state = {}, {}
            self._dirty, self._gone = set(), set()
            self._full_update = True
        for key, partial in torrents.items():
            if not isinstance(partial, dict):
                raise ProtocolError("sync/maindata returned a torrent that is not an object")
            info_hash = str(key).lower()
            self._cache.setdefault(info_hash, {"hash": info_hash}).update(partial)
            self._dirty.add(info_hash)
            self._gone.discard(info_hash)
        for key in removed:
            info_hash = str(key).lower()
            self._cache.pop(info_hash, None)
            self._dirty.discard(info_hash)
            self._gone.add(info_hash)
        self._server_state.update(state)
        self._rid = reply["rid"]

    def changes(self) -> Flow[Changes]:
        """sync/maindata with the last rid: partial objects merged into full Torrents."""
        yield from self._sync()
        if self._full_update or not self._delivered:
            result = Changes([to_torrent(t) for t in self._cache.values()], complete=True)
        else:
            changed = [to_torrent(self._cache[h]) for h in self._dirty if h in self._cache]
            result = Changes(changed, complete=False, removed=sorted(self._gone))
        self._dirty, self._gone = set(), set()
        self._full_update, self._delivered = False, True
        return result

    def stats(self) -> Flow[SessionStats]:
        """From maindata's server_state (merged, so polls lose nothing): speeds, limits, free space."""
        yield from self._sync()
        state = self._server_state
        return SessionStats(
            download_speed=_count(state.get("dl_info_speed")),
            upload_speed=_count(state.get("up_info_speed")),
            download_limit=_limit(state.get("dl_rate_limit")),
            upload_limit=_limit(state.get("up_rate_limit")),
            free_space=_count(state.get("free_space_on_disk")),
        )

    # -- adding -----------------------------------------------------------------------------------

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        """POST torrents/add; the id is the info-hash computed locally, confirmed in the list."""
        yield from self._connected()
        if isinstance(source, TorrentURL):
            # The id must be known: download the .torrent here and upload it (or follow a magnet redirect).
            source = yield from self._fetch(source.url)
        flag = "true" if options.paused else "false"
        data = {"paused": flag, "stopped": flag}  # 4.x reads paused, 5.x stopped
        if options.destination is not None:
            data["savepath"] = options.destination
            data["autoTMM"] = "false"
        if options.label is not None:
            data["category"] = options.label  # created on demand by the server
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
        for _ in range(self.options.add_confirm_attempts):
            if (yield from self._list({"hashes": info_hash})):
                return AddedTorrent(id=info_hash, info_hash=info_hash)
        raise ServerError("qBittorrent accepted the torrent but it did not appear in the torrent list")

    def _duplicate_or_refused(self, info_hash: str, reply: str) -> Flow[AddedTorrent]:
        if (yield from self._list({"hashes": info_hash})):
            return AddedTorrent(id=info_hash, info_hash=info_hash, duplicate=True)
        raise ServerError(f"qBittorrent refused to add the torrent ({reply.strip() or 'no reason given'})")

    def _fetch(self, url: str) -> Flow[TorrentFileData | MagnetLink]:
        """Download a .torrent for add(); a redirect to a magnet link gives that magnet."""
        for _ in range(5):
            response: httpx.Response = yield httpx.Request("GET", url)
            if response.status_code in _REDIRECTS and response.headers.get("location"):
                url = str(response.url.join(response.headers["location"]))
                if url.lower().startswith("magnet:"):
                    return parse_magnet(url)
                continue
            if not 200 <= response.status_code < 300:
                raise InvalidInputError(f"could not download the .torrent (HTTP {response.status_code})")
            name = url.rsplit("/", 1)[-1].split("?", 1)[0] or "download.torrent"
            return parse_torrent_file(response.content, filename=name)
        raise InvalidInputError("too many redirects while downloading the .torrent")

    # -- changing ----------------------------------------------------------------------------------

    def _on(self, endpoint: Endpoint, ids: Sequence[str], **data: str) -> Flow[None]:
        """One request for all ``ids``."""
        yield from self._send(endpoint, data={"hashes": joined([_hash(i) for i in ids]), **data})

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        facts = yield from self._connected()
        yield from self._on(_pause_endpoint(facts.api), ids)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        facts = yield from self._connected()
        yield from self._on(_resume_endpoint(facts.api), ids)

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        yield from self._on(Endpoint.DELETE, ids, deleteFiles="true" if delete_data else "false")

    def recheck(self, ids: Sequence[str]) -> Flow[None]:
        """Recheck, except torrents being checked already (one list request, then one recheck request).

        qBittorrent 4.5 and 5.1 both leave a torrent stuck in ``checkingDL``/``checkingUP`` for good
        when a recheck arrives while its data is still being checked (seen on the real daemons). The
        list lags about 0.5 s behind a recheck, so a torrent rechecked within the last few seconds
        counts as checking too.
        """
        hashes = [_hash(i) for i in ids]
        listed = yield from self._list({"hashes": joined(hashes)})
        loading = {str(t.get("hash", "")).lower() for t in listed if t.get("state") in CHECKING_STATES}
        now = time.monotonic()
        recent = {h for h, when in self._rechecked.items() if now - when < RECHECK_SETTLE_SECONDS}
        wanted = [h for h in hashes if h not in loading and h not in recent]
        if wanted:
            yield from self._on(Endpoint.RECHECK, wanted)
            self._rechecked = {
                **{h: w for h, w in self._rechecked.items() if h in recent},
                **dict.fromkeys(wanted, now),
            }

    def reannounce(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._on(Endpoint.REANNOUNCE, ids)

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        """Labels are categories; a missing category is created, then set."""
        try:
            yield from self._on(Endpoint.SET_CATEGORY, ids, category=label or "")
        except ServerError as exc:
            if exc.native_code != 409 or label is None:
                raise
            yield from self._send(Endpoint.CREATE_CATEGORY, data={"category": label, "savePath": ""})
            yield from self._on(Endpoint.SET_CATEGORY, ids, category=label)

    def move(self, ids: Sequence[str], destination: str) -> Flow[None]:
        yield from self._on(Endpoint.SET_LOCATION, ids, location=destination)

    def queue_move(self, ids: Sequence[str], direction: QueueMove) -> Flow[None]:
        facts = yield from self._connected()
        if not facts.queueing:
            raise NotSupportedError("torrent queueing is off on this qBittorrent server")
        yield from self._on(QUEUE_ENDPOINTS[direction], ids)

    def set_file_priority(self, torrent_id: str, indexes: Sequence[int], priority: FilePriority) -> Flow[None]:
        data = {
            "hash": _hash(torrent_id),
            "id": "|".join(str(i) for i in indexes),
            "priority": str(PRIORITY_VALUES[priority]),
        }
        yield from self._send(Endpoint.FILE_PRIORITY, data=data)

    def set_torrent_limits(self, ids: Sequence[str], download: int | None, upload: int | None) -> Flow[None]:
        hashes = joined([_hash(i) for i in ids])
        yield from self._send(Endpoint.TORRENT_DOWNLOAD_LIMIT, data={"hashes": hashes, "limit": _wire_limit(download)})
        yield from self._send(Endpoint.TORRENT_UPLOAD_LIMIT, data={"hashes": hashes, "limit": _wire_limit(upload)})

    def set_limits(self, download: int | None, upload: int | None) -> Flow[None]:
        yield from self._send(Endpoint.GLOBAL_DOWNLOAD_LIMIT, data={"limit": _wire_limit(download)})
        yield from self._send(Endpoint.GLOBAL_UPLOAD_LIMIT, data={"limit": _wire_limit(upload)})


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


def _hash(torrent_id: str) -> str:
    """enunclic ids are info-hashes; anything else names no torrent."""
    if not _HASH.fullmatch(torrent_id):
        raise TorrentNotFoundError(f"no torrent with id {torrent_id!r} (qBittorrent ids are 40-digit info-hashes)")
    return torrent_id.lower()


def _wire_limit(value: int | None) -> str:
    """Bytes/s as qBittorrent takes them; there, 0 means "no limit", so a 0 B/s limit cannot be set."""
    if value is None:
        return "0"
    if value == 0:
        raise InvalidInputError(
            "qBittorrent cannot limit to 0 B/s (0 means no limit there); pause the torrents instead"
        )
    return str(value)


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return None
    return int(value)


def _limit(value: Any) -> int | None:
    """A global limit in B/s; 0 (or less) means none."""
    number = _count(value)
    return number if number else None


def _torrent_list(reply: Any) -> list[dict[str, Any]]:
    if not isinstance(reply, list) or not all(isinstance(t, dict) for t in reply):
        raise ProtocolError("torrents/info did not return a list of torrents")
    return reply
