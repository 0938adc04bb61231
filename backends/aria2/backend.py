"""The aria2 backend: aria2c's JSON-RPC (aria2c(1), "RPC interface"), BitTorrent downloads only.

Ids are GIDs. A magnet (or a .torrent URL) is first a download of its metadata (or of
the .torrent); when that ends, aria2 starts the real download under a new GID and names
it in ``followedBy``. The listing then shows the new GID (``poll()`` reports the old id
removed and the new one added), and ``torrent(old id)`` answers the new torrent.
aria2 has no recheck, reannounce, labels or move; removing with data is not offered
(aria2 never deletes files, and guessing paths to delete is not safe). Pause all and resume
all are one call each (``forcePauseAll``/``unpauseAll``); ``add()`` chooses files
(``select-file``) and limits (``max-download-limit``/``max-upload-limit``) as add options.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final

from enunclic.plugin import (
    AddedTorrent,
    AddOptions,
    Backend,
    BackendConfig,
    Capability,
    EnunclicError,
    FilePriority,
    Flow,
    InvalidInputError,
    Limit,
    MagnetLink,
    NotSupportedError,
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
    Tracker,
    Wait,
    changed_limits,
    raise_failures,
)

from . import api
from .auth import Aria2Auth
from .mapping import RATE, TORRENT_KEYS, is_torrent, to_file, to_peer, to_stats, to_torrent, to_tracker

__all__ = ["Aria2Backend"]

#: How many waiting and stopped downloads one listing asks for (aria2 keeps 1000 results by default).
_MANY: Final = 1 << 20
_QUEUE_MOVES: Final[Mapping[QueueMove, tuple[str, int]]] = {
    QueueMove.TOP: ("POS_SET", 0),
    QueueMove.UP: ("POS_CUR", -1),
    QueueMove.DOWN: ("POS_CUR", 1),
    QueueMove.BOTTOM: ("POS_END", 0),
}


class Aria2Backend(Backend):
    """aria2c with ``--enable-rpc`` (``aria2://[:secret@]host[:port][/path]``)."""

    name = "aria2"
    display_name = "aria2"
    capabilities = frozenset(
        {
            Capability.ADD_MAGNET,
            Capability.ADD_URL,
            Capability.ADD_FILE,
            Capability.FILES,
            Capability.FILE_PRIORITY,
            Capability.TRACKERS,
            Capability.PEERS,
            Capability.TORRENT_LIMITS,
            Capability.GLOBAL_LIMITS,
            Capability.QUEUE,
            Capability.STATS,
            Capability.ADD_FILE_SELECTION,
            Capability.ADD_LIMITS,
        }
    )
    url_schemes = ("http", "https")
    default_ports: ClassVar[Mapping[str, int]] = {"http": 6800, "https": 6800}
    default_path = "/jsonrpc"
    #: aria2 answers every refused call with 400 and a JSON-RPC error (a wrong secret too): read by api.result.
    protocol_statuses: ClassVar[frozenset[int]] = frozenset({400})

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.auth = Aria2Auth(config.password)

    # -- calls ---------------------------------------------------------------------------------

    def _call(self, method: str, *params: Any) -> Flow[Any]:
        return api.result((yield api.request(self.config.url, method, *params)))

    def _calls(self, calls: Sequence[api.Call]) -> Flow[list[Any]]:
        return api.results((yield api.multicall(self.config.url, calls)), len(calls))

    def _each(self, operation: str, ids: Sequence[str], method: str, *extra: Any) -> Flow[None]:
        """``method(gid, *extra)`` for every id in one request; an idle refusal (already paused...) is no failure."""
        failures: dict[str, EnunclicError] = {}
        gids = self._gids(ids, failures)
        if gids:
            values = yield from self._calls([(method, [g, *extra]) for g in gids.values()])
            for torrent_id, value in zip(gids, values, strict=True):
                if isinstance(value, api.Fault) and not value.idle:
                    failures[torrent_id] = value.error()
        raise_failures(ids, failures, operation)

    @staticmethod
    def _gids(ids: Sequence[str], failures: dict[str, EnunclicError]) -> dict[str, str]:
        """The caller's id -> its GID; malformed ids go to ``failures``."""
        gids = {}
        for torrent_id in ids:
            try:
                gids[torrent_id] = api.gid(torrent_id)
            except TorrentNotFoundError as exc:
                failures[torrent_id] = exc
        return gids

    def _rows(self) -> Flow[list[tuple[dict[str, Any], int | None]]]:
        """Every download (active, waiting, stopped) with its waiting-queue position, in one request."""
        keys = list(TORRENT_KEYS)
        active, waiting, stopped = api.check(
            (
                yield from self._calls(
                    [
                        ("aria2.tellActive", [keys]),
                        ("aria2.tellWaiting", [0, _MANY, keys]),
                        ("aria2.tellStopped", [0, _MANY, keys]),
                    ]
                )
            )
        )
        if not all(isinstance(part, list) for part in (active, waiting, stopped)):
            raise ProtocolError("aria2 listed downloads of the wrong shape")
        rows: list[tuple[dict[str, Any], int | None]] = [(row, None) for row in active]
        rows += [(row, position) for position, row in enumerate(waiting)]
        return rows + [(row, None) for row in stopped]

    # -- required ------------------------------------------------------------------------------

    def info(self) -> Flow[ServerInfo]:
        version = yield from self._call("aria2.getVersion")
        number = version.get("version") if isinstance(version, dict) else None
        return ServerInfo(
            backend=self.name, version=str(number) if number else None, capabilities=self.available_capabilities()
        )

    def torrents(self) -> Flow[list[Torrent]]:
        return [to_torrent(row, position) for row, position in (yield from self._rows()) if is_torrent(row)]

    def torrent(self, torrent_id: str) -> Flow[Torrent]:
        gid = api.gid(torrent_id)
        listed = {t.id: t for t in (yield from self.torrents())}
        if gid in listed:
            return listed[gid]
        status = yield from self._call("aria2.tellStatus", gid, ["followedBy"])
        followers = status.get("followedBy") if isinstance(status, dict) else None
        for follower in followers if isinstance(followers, list) else ():
            if follower in listed:  # a magnet's metadata step: the real download took over
                return listed[follower]
        raise TorrentNotFoundError(f"no torrent with id {torrent_id!r} (not a BitTorrent download)")

    def add(self, source: TorrentSource, options: AddOptions) -> Flow[AddedTorrent]:
        info_hash = source.info_hash if isinstance(source, (MagnetLink, TorrentFileData)) else None
        if info_hash is not None:  # aria2 would add a duplicate as a new download in error
            for row, _ in (yield from self._rows()):
                if row.get("infoHash") == info_hash and row.get("status") not in ("removed", "error"):
                    return AddedTorrent(id=str(row["gid"]), info_hash=info_hash, duplicate=True)
        add_options: dict[str, str] = {"pause": "true" if options.paused else "false", "follow-torrent": "mem"}
        if options.destination is not None:
            add_options["dir"] = options.destination
        add_options.update(_add_extras(options))
        if isinstance(source, TorrentFileData):
            gid = yield from self._call("aria2.addTorrent", base64.b64encode(source.content).decode(), [], add_options)
        else:
            gid = yield from self._call(
                "aria2.addUri", [source.uri if isinstance(source, MagnetLink) else source.url], add_options
            )
        if not isinstance(gid, str):
            raise ProtocolError("aria2 answered an add without a GID")
        return AddedTorrent(id=gid, info_hash=info_hash)

    def pause(self, ids: Sequence[str]) -> Flow[None]:
        # forcePause: a plain pause first tells the trackers, and waits on unreachable ones.
        yield from self._each("pause", ids, "aria2.forcePause")

    def resume(self, ids: Sequence[str]) -> Flow[None]:
        yield from self._each("resume", ids, "aria2.unpause")

    def pause_all(self) -> Flow[None]:
        """``forcePauseAll``: one call, for every download aria2 has (HTTP ones too)."""
        yield from self._call("aria2.forcePauseAll")

    def resume_all(self) -> Flow[None]:
        """``unpauseAll``: one call, like :meth:`pause_all`."""
        yield from self._call("aria2.unpauseAll")

    def remove(self, ids: Sequence[str], delete_data: bool) -> Flow[None]:
        """forceRemove, then removeDownloadResult (aria2 keeps a result for a removed active download).

        A waiting or paused download leaves no result, and a stopped one cannot be forceRemoved
        ("not found for GID#"): a download is unknown only when both calls miss it. aria2 may
        take a moment to stop an active one, so its result is asked for again briefly.
        """
        failures: dict[str, EnunclicError] = {}
        pending = self._gids(ids, failures)
        removed: set[str] = set()
        if pending:
            values = yield from self._calls([("aria2.forceRemove", [g]) for g in pending.values()])
            removed = {i for i, v in zip(pending, values, strict=True) if not isinstance(v, api.Fault)}
        for _ in range(40 if pending else 0):
            values = yield from self._calls([("aria2.removeDownloadResult", [g]) for g in pending.values()])
            missing = {i: g for (i, g), v in zip(pending.items(), values, strict=True) if isinstance(v, api.Fault)}
            pending = {}
            if not missing:
                break
            statuses = yield from self._calls([("aria2.tellStatus", [g, ["status"]]) for g in missing.values()])
            for (torrent_id, g), status in zip(missing.items(), statuses, strict=True):
                if not isinstance(status, api.Fault):
                    pending[torrent_id] = g  # still stopping
                elif torrent_id not in removed:
                    failures[torrent_id] = status.error()
            if not pending:
                break
            yield Wait(0.05)
        for torrent_id in pending:
            failures[torrent_id] = ServerError(f"aria2 did not finish removing {torrent_id!r}")
        raise_failures(ids, failures, "remove")

    # -- behind a capability ---------------------------------------------------------------------

    def files(self, torrent_id: str) -> Flow[list[TorrentFile]]:
        rows = yield from self._call("aria2.getFiles", api.gid(torrent_id))
        if not isinstance(rows, list):
            raise ProtocolError("aria2 answered files of the wrong shape")
        return [to_file(row) for row in rows]

    def set_file_priority(self, torrent_id: str, indexes: Sequence[int], priority: FilePriority) -> Flow[None]:
        """``select-file``: aria2 downloads a file or skips it, with no levels in between."""
        if priority not in (FilePriority.SKIP, FilePriority.NORMAL):
            raise NotSupportedError(f"aria2 has no file priorities, only skip and normal (not {priority.value})")
        files = yield from self.files(torrent_id)
        bad = sorted(set(indexes) - {f.index for f in files})
        if bad:
            raise InvalidInputError(f"the torrent has no file with index {', '.join(map(str, bad))}")
        wanted = {f.index for f in files if f.wanted}
        wanted = wanted - set(indexes) if priority is FilePriority.SKIP else wanted | set(indexes)
        if not wanted:
            raise InvalidInputError("aria2 cannot skip every file of a torrent: pause it instead")
        selection = ",".join(str(i + 1) for i in sorted(wanted))
        yield from self._call("aria2.changeOption", api.gid(torrent_id), {"select-file": selection})

    def trackers(self, torrent_id: str) -> Flow[list[Tracker]]:
        status = yield from self._call("aria2.tellStatus", api.gid(torrent_id), ["bittorrent"])
        tiers = status.get("bittorrent", {}).get("announceList") if isinstance(status, dict) else None
        if not isinstance(tiers, list):
            raise ProtocolError("aria2 answered trackers of the wrong shape")
        return [to_tracker(url, tier) for tier, urls in enumerate(tiers) if isinstance(urls, list) for url in urls]

    def peers(self, torrent_id: str) -> Flow[list[Peer]]:
        rows = yield from self._call("aria2.getPeers", api.gid(torrent_id))
        if not isinstance(rows, list):
            raise ProtocolError("aria2 answered peers of the wrong shape")
        return [to_peer(row) for row in rows]

    def set_torrent_limits(self, ids: Sequence[str], download: Limit, upload: Limit) -> Flow[None]:
        """changeOption with only the options that change (aria2 keeps the others)."""
        changes = changed_limits(**{"max-download-limit": download, "max-upload-limit": upload})
        yield from self._each("set_torrent_limits", ids, "aria2.changeOption", _options(changes))

    def set_limits(self, download: Limit, upload: Limit) -> Flow[None]:
        """changeGlobalOption with only the options that change."""
        changes = changed_limits(**{"max-overall-download-limit": download, "max-overall-upload-limit": upload})
        yield from self._call("aria2.changeGlobalOption", _options(changes))

    def queue_move(self, ids: Sequence[str], direction: QueueMove) -> Flow[None]:
        """``changePosition`` in aria2's waiting queue; a running download is in no queue, so it stays put."""
        how, offset = _QUEUE_MOVES[direction]
        order = list(reversed(ids)) if direction in (QueueMove.TOP, QueueMove.DOWN) else list(ids)
        failures: dict[str, EnunclicError] = {}
        gids = self._gids(order, failures)
        values: list[Any] = []
        if gids:
            values = yield from self._calls([("aria2.changePosition", [g, offset, how]) for g in gids.values()])
        outside = [i for i, v in zip(gids, values, strict=True) if isinstance(v, api.Fault)]
        if outside:  # not in the waiting queue: running (nothing to do) or unknown
            statuses = yield from self._calls([("aria2.tellStatus", [gids[i], ["status"]]) for i in outside])
            failures.update({i: s.error() for i, s in zip(outside, statuses, strict=True) if isinstance(s, api.Fault)})
        raise_failures(ids, failures, "queue_move")

    def stats(self) -> Flow[SessionStats]:
        stat, options = api.check(
            (yield from self._calls([("aria2.getGlobalStat", []), ("aria2.getGlobalOption", [])]))
        )
        if not isinstance(stat, dict) or not isinstance(options, dict):
            raise ProtocolError("aria2 answered global figures of the wrong shape")
        return to_stats(stat, options)


def _add_extras(options: AddOptions) -> dict[str, str]:
    """The add options beyond dir and pause: the files wanted (``select-file``, 1-based) and the limits."""
    extras = _options({"max-download-limit": options.download_limit, "max-upload-limit": options.upload_limit})
    extras = {key: value for key, value in extras.items() if value != "0"}  # None: no option, aria2's default
    if options.wanted_files is not None:
        extras["select-file"] = ",".join(str(index + 1) for index in options.wanted_files)
    return extras


def _options(limits: Mapping[str, int | None]) -> dict[str, str]:
    """Limits as aria2 options: decimal bytes/s, 0 for none (so the core refuses a 0 B/s limit)."""
    return {key: str(RATE.to_native(limit)) for key, limit in limits.items()}
