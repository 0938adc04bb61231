"""The µTorrent backend (the WebUI API of µTorrent 2.x/3.x and µTorrent Server): every operation as a flow.

Sources, since there is no µTorrent for Linux to test against: the WebAPI pages of
help.utorrent.com (settings, files list, actions), the bittorrent/webui wiki (Web UI API,
TokenSystem) and the official WebUI's ``main.js``; clients that run against real µTorrent:
@ctrl/utorrent (``src/utorrent.ts`` and its tests), Electorrent (``clients/utorrent.ts``,
``torrentu.ts``, ``test/clients/utorrent``), Sonarr (``UTorrentProxy.cs``, ``UTorrent.cs``).
Uncertain and marked so where used: that ``start`` also resumes a job µTorrent itself
paused, that ``setprops`` applies each ``s``/``v`` pair to the ``hash`` before it, that
``setprio`` takes several ``f``, that an unknown hash is ignored by actions, and how a
getfiles/getprops reply for an unknown hash looks.

``Torrent.id`` is the lower-case info-hash; hashes are sent upper-case, as µTorrent lists them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final

from pydantic import BaseModel, ConfigDict

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
    ProtocolError,
    QueueMove,
    Rate,
    ServerError,
    ServerInfo,
    SessionExpiredError,
    SessionStats,
    Torrent,
    TorrentFile,
    TorrentNotFoundError,
    TorrentSource,
    TorrentURL,
    Tracker,
    changed_limits,
    fetch_torrent,
    parse_options,
    raise_failures,
    until,
)

from . import api
from .auth import UTorrentAuth
from .codes import PROTOCOL_STATUSES, STALE_TOKEN
from .mapping import GLOBAL_RATE, PRIORITY_VALUES, TORRENT_RATE, to_file, to_torrents, to_trackers

__all__ = ["UTorrentBackend"]

_QUEUE_ACTIONS: Final[Mapping[QueueMove, str]] = {
    QueueMove.TOP: "queuetop",
    QueueMove.UP: "queueup",
    QueueMove.DOWN: "queuedown",
    QueueMove.BOTTOM: "queuebottom",
}
#: How a cleared label is written: Electorrent sends a space, µTorrent seems to ignore an empty value (uncertain).
_NO_LABEL: Final = " "


class _NoOptions(BaseModel):
    """The utorrent backend takes no options (an unknown one is refused)."""

    model_config = ConfigDict(extra="forbid")


class UTorrentBackend(Backend):
    """µTorrent (Windows, macOS) and µTorrent Server, with the WebUI on."""

    name: ClassVar[str] = "utorrent"
    display_name: ClassVar[str] = "µTorrent"
    #: No move, reannounce or peer list in the WebAPI.
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability) - {
        Capability.SEQUENTIAL,
        Capability.FIRST_LAST_PIECE,
        Capability.ALT_SPEED,
        Capability.ADD_SKIP_CHECK,
        Capability.ADD_RENAME,
        Capability.ADD_FILE_SELECTION,
        Capability.ADD_LIMITS,
        Capability.MOVE,
        Capability.REANNOUNCE,
        Capability.PEERS,
    }
    #: 8080 is the port Sonarr and torrt default to and Electorrent's µTorrent container serves.
    default_ports: ClassVar[Mapping[str, int]] = {"http": 8080, "https": 8080}
    default_path: ClassVar[str] = "/gui/"
    protocol_statuses: ClassVar[frozenset[int]] = PROTOCOL_STATUSES

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        parse_options(_NoOptions, config, self.name)
        self.auth = UTorrentAuth(config.url, config.username, config.password)
        #: The ``torrentc`` cache id of the last ``changes()`` list: the next asks for what changed since.
        self.cache_id: str | None = None

    # -- one call ------------------------------------------------------------------------------

    def _get(self, *params: tuple[str, str], files: Mapping[str, tuple[str, bytes, str]] | None = None) -> Flow[Any]:
        try:
            response = yield api.call(self.config.url, params, files)
        except SessionExpiredError:
            # A fresh token got 400 again: the request itself is what µTorrent refuses.
            raise ProtocolError(
                "µTorrent answered 'invalid request' (HTTP 400) even with a fresh token", native_code=STALE_TOKEN
            ) from None
        return api.reply(response)

    def _action(self, action: str, ids: Sequence[str], *extra: tuple[str, str]) -> Flow[None]:
        """One request for every id; an id that is no info-hash fails without a request, the others are sent."""
        failures: dict[str, EnunclicError] = {}
        wire: list[tuple[str, str]] = []
        for torrent_id in ids:
            try:
                wire += api.hashes([torrent_id])
            except TorrentNotFoundError as exc:
                failures[torrent_id] = exc
        if wire:
            yield from self._get(("action", action), *wire, *extra)
        raise_failures(ids, failures, action)

    def _setprops(self, ids: Sequence[str], **props: str) -> Flow[None]:
        """setprops: each ``hash`` followed by its ``s``/``v`` pairs, all in one request (uncertain form)."""
        pairs = [pair for name, value in props.items() for pair in (("s", name), ("v", value))]
        wire = [pair for hash_pair in api.hashes(ids) for pair in (hash_pair, *pairs)]
        yield from self._get(("action", "setprops"), *wire)

    # -- reading -------------------------------------------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        build = (yield from self._get(("action", "getsettings"))).get("build")
        return ServerInfo(
            backend=self.name,
            version=str(build) if isinstance(build, (int, str)) and str(build) else None,
            capabilities=self.available_capabilities(),
        )

    def torrents(self) -> Flow[list[Torrent]]:
        return to_torrents(api.rows((yield from self._get(("list", "1"))), "torrents"))

    def changes(self) -> Flow[Changes]:
        """``list=1&cid=``: µTorrent answers the rows changed (``torrentp``) and the hashes gone (``torrentm``)."""
        since = self.cache_id
        params = [("list", "1")] if since is None else [("list", "1"), ("cid", since)]
        body = yield from self._get(*params)
        cache_id = body.get("torrentc")
        self.cache_id = str(cache_id) if isinstance(cache_id, (int, str)) else None
        if since is None or "torrents" in body:  # a first list, or a cache id µTorrent no longer knows
            return Changes(to_torrents(api.rows(body, "torrents")), complete=True)
        removed = [str(h).lower() for h in api.rows(body, "torrentm") if isinstance(h, str)]
        return Changes(to_torrents(api.rows(body, "torrentp")), complete=False, removed=removed)

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        """getfiles: ``"files": [HASH, [[name, size, downloaded, priority], ...]]``."""
        body = yield from self._get(("action", "getfiles"), *api.hashes([torrent_id]))
        entry = api.rows(body, "files")
        listed = entry[1] if len(entry) == 2 and isinstance(entry[1], list) else []
        if not listed:
            yield from self.torrent(torrent_id)  # not-found for an unknown hash; a magnet has no files yet
        return [to_file(index, row) for index, row in enumerate(listed)]

    def trackers(self, torrent_id: str) -> Flow[list[Tracker]]:
        """getprops: ``"props": [{"hash": ..., "trackers": "url\\r\\n\\r\\nurl\\r\\n", ...}]``."""
        props = api.rows((yield from self._get(("action", "getprops"), *api.hashes([torrent_id]))), "props")
        if not props or not isinstance(props[0], dict):
            raise TorrentNotFoundError(f"no torrent with id {torrent_id!r}")
        return to_trackers(props[0].get("trackers"))

    def stats(self) -> Flow[SessionStats]:
        """Speeds summed over the list; limits from the settings (µTorrent reports no free space)."""
        limits = api.settings((yield from self._get(("action", "getsettings"))))
        torrents = yield from self.torrents()
        return SessionStats(
            download_speed=sum(t.download_speed for t in torrents),
            upload_speed=sum(t.upload_speed for t in torrents),
            download_limit=GLOBAL_RATE.from_native(limits.get("max_dl_rate")),
            upload_limit=GLOBAL_RATE.from_native(limits.get("max_ul_rate")),
        )

    # -- adding --------------------------------------------------------------------------------

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        """add-url (magnets) or add-file; the id is the info-hash, known before the server sees it.

        A URL is downloaded here and uploaded, so that its info-hash is known (or its magnet
        redirect followed). µTorrent has no "add paused" or label parameter: both follow the add.
        """
        if isinstance(source, TorrentURL):
            source = yield from fetch_torrent(source.url)
        info_hash = source.info_hash
        if info_hash is None:
            raise InvalidInputError("µTorrent needs a magnet link with a v1 (btih) info-hash")
        if info_hash in (yield from self._hashes()):
            return AddedTorrent(id=info_hash, info_hash=info_hash, duplicate=True)
        where = yield from self._location(options.destination)
        if isinstance(source, MagnetLink):
            yield from self._get(("action", "add-url"), ("s", source.uri), *where)
        else:
            upload = {"torrent_file": (source.filename, source.content, "application/x-bittorrent")}
            yield from self._get(("action", "add-file"), *where, files=upload)
        if not (yield from until(lambda: self._listed(info_hash), every=0.25, within=10.0)):
            raise ServerError("µTorrent accepted the torrent but it did not appear in the torrent list")
        if options.paused:
            yield from self._action("stop", [info_hash])
        if options.label is not None:
            yield from self._setprops([info_hash], label=options.label)
        return AddedTorrent(id=info_hash, info_hash=info_hash)

    def _hashes(self) -> Flow[set[str]]:
        return {t.id for t in (yield from self.torrents())}

    def _listed(self, info_hash: str) -> Flow[bool]:
        return info_hash in (yield from self._hashes())

    def _location(self, destination: str | None) -> Flow[list[tuple[str, str]]]:
        """``download_dir`` (an index of list-dirs) and ``path`` under it: µTorrent saves only under its
        configured download folders (Electorrent's runtime does the same)."""
        if destination is None:
            return []
        folders = [d.get("path") for d in api.rows((yield from self._get(("action", "list-dirs"))), "download-dirs")]
        wanted = destination.replace("\\", "/").rstrip("/")
        candidates = sorted(
            ((i, p.replace("\\", "/").rstrip("/")) for i, p in enumerate(folders) if isinstance(p, str) and p),
            key=lambda pair: -len(pair[1]),
        )
        for index, root in candidates:
            if wanted == root or wanted.startswith(root + "/"):
                return [("download_dir", str(index)), ("path", wanted[len(root) + 1 :])]
        known = ", ".join(root for _, root in candidates) or "none"
        raise InvalidInputError(f"µTorrent saves only under its download folders ({known}), not {destination!r}")

    # -- changing ------------------------------------------------------------------------------

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        """``stop``: a µTorrent "pause" keeps its peers and its queue slot; stop ends the transfer."""
        yield from self._action("stop", ids)

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        """``start`` starts a stopped job (and, per Electorrent's use, a paused one: uncertain)."""
        yield from self._action("start", ids)

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        yield from self._action("removedata" if delete_data else "remove", ids)

    def force_start(self, ids: Sequence[str]) -> Flow[None]:
        """``forcestart``: started past the queue (STARTED without QUEUED), one request."""
        yield from self._action("forcestart", ids)

    def set_ratio_limit(self, ids: Sequence[str], ratio: float | None) -> Flow[None]:
        """setprops ``seed_override``/``seed_ratio`` (per mille); None: back to the global seeding goal."""
        if ratio is None:
            yield from self._setprops(ids, seed_override="0")
        else:
            yield from self._setprops(ids, seed_override="1", seed_ratio=str(round(ratio * 1000)))

    def recheck(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._action("recheck", ids)

    def queue_move(self, ids: Sequence[str], direction: QueueMove) -> Flow[None]:
        yield from self._action(_QUEUE_ACTIONS[direction], ids)

    def set_label(self, ids: Sequence[str], label: str | None) -> Flow[None]:
        yield from self._setprops(ids, label=label or _NO_LABEL)

    def set_file_priority(self, torrent_id: str, indexes: Sequence[int], priority: FilePriority) -> Flow[None]:
        """setprio with one ``f`` per file (several ``f`` in one request: uncertain)."""
        files = [("f", str(i)) for i in indexes]
        wire = api.hashes([torrent_id])
        yield from self._get(("action", "setprio"), *wire, ("p", str(PRIORITY_VALUES[priority])), *files)

    def set_torrent_limits(self, ids: Sequence[str], download: Limit, upload: Limit) -> Flow[None]:
        """setprops with only the properties that change."""
        yield from self._setprops(ids, **_native_limits(TORRENT_RATE, dlrate=download, ulrate=upload))

    def set_limits(self, download: Limit, upload: Limit) -> Flow[None]:
        """setsetting with only the settings that change."""
        settings = _native_limits(GLOBAL_RATE, max_dl_rate=download, max_ul_rate=upload)
        yield from self._get(("action", "setsetting"), *(p for s, v in settings.items() for p in (("s", s), ("v", v))))


def _native_limits(rate: Rate, **limits: Limit) -> dict[str, str]:
    """The limits that change, by native name, as µTorrent's whole numbers in ``rate``'s unit (at least 1);
    0 for none, so the core refuses a 0 B/s limit."""
    changes = changed_limits(**limits)
    return {
        name: str(max(round(rate.to_native(limit)), 1) if limit is not None else 0) for name, limit in changes.items()
    }
