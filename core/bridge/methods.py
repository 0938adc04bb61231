"""The allow-list: every method the bridge answers, its params model, result type and handler.

Nothing outside :data:`METHODS` can be called; a name is looked up in this table and
nowhere else (no ``getattr`` on a client).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

import httpx
from pydantic import BaseModel, TypeAdapter

from .. import __version__, connect_async, get_backends
from ..capabilities import Capability
from ..certificates import CertificateInfo, fetch_certificate
from ..client import AsyncClient
from ..exceptions import InvalidInputError, PluginError
from ..models import AddedTorrent, Peer, ServerInfo, SessionStats, Torrent, TorrentFile, Tracker
from ..operations import OPERATIONS
from ..pool import Pool, ServerState
from ..urls import parse_server_url
from . import protocol as p

__all__ = ["METHODS", "NOTIFICATIONS", "Context", "Method"]

log = logging.getLogger("enunclic.bridge")

_TORRENT = TypeAdapter(Torrent)


class Subscriptions(Protocol):
    """What the server loop provides to ``subscribe`` / ``unsubscribe``."""

    def start(self, server: str, interval: float) -> None: ...
    def stop(self, server: str) -> bool: ...


ClientFactory = Callable[[p.ServerAddParams], AsyncClient]


async def _nothing_in_flight() -> None:
    return None


@dataclass
class Context:
    """What a handler may touch: the pool, the subscriptions and the bridge's limits."""

    pool: Pool
    subscriptions: Subscriptions
    client_factory: ClientFactory
    max_message_bytes: int
    chunk_bytes: int
    shutdown: Callable[[], None] = field(default=lambda: None)
    drain: Callable[[], Awaitable[None]] = field(default=_nothing_in_flight)


@dataclass(frozen=True)
class Method:
    """One allow-listed method."""

    params: type[BaseModel]
    result: Any  # a type TypeAdapter understands
    handler: Callable[[Context, Any], Awaitable[Any]]
    summary: str
    #: The client operation behind the method: its capability is what the method needs.
    operation: str | None = None
    #: Capabilities needed only with some params: (capability, when).
    conditional: tuple[tuple[Capability, str], ...] = ()

    def adapter(self) -> TypeAdapter[Any]:
        return TypeAdapter(self.result)

    def needs(self, name: str) -> list[p.MethodNeed]:
        """What a server must report in ``capabilities`` for this method (``name``) to work."""
        needed = OPERATIONS[self.operation].capability if self.operation else None
        always = [p.MethodNeed(method=name, capability=needed)] if needed else []
        return always + [p.MethodNeed(method=name, capability=c, when=when) for c, when in self.conditional]


def default_client_factory(params: p.ServerAddParams) -> AsyncClient:
    """An AsyncClient from ``servers.add`` params (URL credentials allowed, explicit ones win)."""
    extra: dict[str, Any] = {"verify": params.verify, "timeout": params.timeout, "name": params.name, **params.options}
    if params.username is not None:
        extra["username"] = params.username
    if params.tls_fingerprint is not None:
        extra["tls_fingerprint"] = params.tls_fingerprint
    for secret in ("password", "otp_code", "device_token"):
        value = getattr(params, secret)
        if value is not None:
            extra[secret] = value.get_secret_value()
    return connect_async(params.url, **extra)


# -- handlers ---------------------------------------------------------------------------------


async def _bridge_info(ctx: Context, _: p.NoParams) -> p.BridgeInfo:
    views = []
    backends = get_backends()
    for name in backends:
        try:
            cls = backends[name]
        except PluginError as exc:  # one broken plugin must not hide the others from a GUI
            log.warning("backend %r is left out of bridge.info: %s", name, exc)
            continue
        views.append(
            p.BackendView(name=name, display_name=cls.display_name or name, capabilities=sorted(cls.capabilities))
        )
    needs = [need for method_name, method in METHODS.items() for need in method.needs(method_name)]
    return p.BridgeInfo(
        version=__version__,
        max_message_bytes=ctx.max_message_bytes,
        chunk_bytes=ctx.chunk_bytes,
        methods=sorted(METHODS),
        notifications=sorted(NOTIFICATIONS),
        backends=views,
        method_capabilities=needs,
    )


async def _shutdown(ctx: Context, _: p.NoParams) -> p.Ok:
    # Input stops now; the reply waits for every other request in flight, so it is the last answer.
    ctx.shutdown()
    await ctx.drain()
    return p.Ok()


async def _servers_add(ctx: Context, params: p.ServerAddParams) -> p.ServerAdded:
    if params.name in ctx.pool:
        raise InvalidInputError(f"a server named {params.name!r} already exists")
    client = ctx.client_factory(params)
    if not params.connect:
        ctx.pool.add(params.name, client)
        return p.ServerAdded(server=ctx.pool.state(params.name), info=None)
    try:
        # Connected first and held only then: a failed add leaves no server and no status event behind.
        info = await ctx.pool.adopt(params.name, client)
    except BaseException:
        await client.close()
        raise
    issued = client.backend.device_token
    given = params.device_token.get_secret_value() if params.device_token else None
    return p.ServerAdded(
        server=ctx.pool.state(params.name), info=info, device_token=issued if issued != given else None
    )


async def _servers_certificate(ctx: Context, params: p.CertificateParams) -> CertificateInfo:
    where = httpx.URL(parse_server_url(params.url, get_backends()).url)
    if where.scheme != "https":
        raise InvalidInputError("this URL does not use TLS: there is no certificate to trust (use +https)")
    return await asyncio.to_thread(fetch_certificate, where.host, where.port or 443, params.timeout)


async def _servers_remove(ctx: Context, params: p.ServerRef) -> p.Ok:
    ctx.pool.client(params.server)  # unknown name -> InvalidInputError before anything stops
    ctx.subscriptions.stop(params.server)
    await ctx.pool.remove(params.server)
    return p.Ok()


async def _servers_list(ctx: Context, _: p.NoParams) -> list[ServerState]:
    return ctx.pool.states()


async def _servers_reconnect(ctx: Context, params: p.ServerRef) -> ServerState:
    await ctx.pool.reconnect(params.server)
    await ctx.pool.connect(params.server)
    return ctx.pool.state(params.server)


async def _servers_info(ctx: Context, params: p.ServerRef) -> ServerInfo:
    return await ctx.pool.call(params.server, "info", lambda c: c.info())


async def _servers_stats(ctx: Context, params: p.ServerRef) -> SessionStats:
    return await ctx.pool.call(params.server, "stats", lambda c: c.stats())


async def _servers_set_limits(ctx: Context, params: p.GlobalLimitsParams) -> p.Ok:
    await ctx.pool.call(params.server, "set_limits", lambda c: c.set_limits(**params.limits()))
    return p.Ok()


async def _torrents_list(ctx: Context, params: p.TorrentsListParams) -> p.TorrentPage:
    everything = await ctx.pool.call(params.server, "torrents", lambda c: c.torrents())
    wanted = everything[params.offset :]
    if params.limit is not None:
        wanted = wanted[: params.limit]
    # Size guard: stop before the reply outgrows one chunk (always at least one torrent).
    budget = ctx.chunk_bytes - 256
    page: list[Torrent] = []
    for torrent in wanted:
        cost = len(_TORRENT.dump_json(torrent)) + 1
        if page and cost > budget:
            break
        page.append(torrent)
        budget -= cost
    end = params.offset + len(page)
    return p.TorrentPage(
        torrents=page,
        total=len(everything),
        offset=params.offset,
        next_offset=end if end < len(everything) else None,
    )


async def _torrents_get(ctx: Context, params: p.TorrentRef) -> Torrent:
    return await ctx.pool.call(params.server, "torrent", lambda c: c.torrent(params.id))


async def _torrents_add(ctx: Context, params: p.TorrentsAddParams) -> AddedTorrent:
    source = params.content()
    return await ctx.pool.call(
        params.server,
        "add",
        lambda c: c.add(
            source,
            destination=params.destination,
            paused=params.paused,
            label=params.label,
            skip_check=params.skip_check,
            rename=params.rename,
            wanted_files=params.wanted_files,
            download_limit=params.download_limit,
            upload_limit=params.upload_limit,
        ),
    )


async def _servers_labels(ctx: Context, params: p.ServerRef) -> list[str]:
    return await ctx.pool.call(params.server, "labels", lambda c: c.labels())


async def _servers_set_alt_speed(ctx: Context, params: p.AltSpeedParams) -> p.Ok:
    await ctx.pool.call(params.server, "set_alt_speed", lambda c: c.set_alt_speed(params.enabled))
    return p.Ok()


def _all(operation: str) -> Callable[[Context, p.ServerRef], Awaitable[p.Ok]]:
    async def handler(ctx: Context, params: p.ServerRef) -> p.Ok:
        await ctx.pool.call(params.server, operation, lambda c: getattr(c, operation)())
        return p.Ok()

    return handler


def _switch(operation: str) -> Callable[[Context, p.SwitchParams], Awaitable[p.Ok]]:
    async def handler(ctx: Context, params: p.SwitchParams) -> p.Ok:
        await ctx.pool.call(params.server, operation, lambda c: getattr(c, operation)(params.ids, params.enabled))
        return p.Ok()

    return handler


async def _torrents_set_ratio_limit(ctx: Context, params: p.RatioLimitParams) -> p.Ok:
    await ctx.pool.call(params.server, "set_ratio_limit", lambda c: c.set_ratio_limit(params.ids, params.ratio))
    return p.Ok()


def _bulk(operation: str) -> Callable[[Context, p.TorrentIds], Awaitable[p.Ok]]:
    async def handler(ctx: Context, params: p.TorrentIds) -> p.Ok:
        await ctx.pool.call(params.server, operation, lambda c: getattr(c, operation)(params.ids))
        return p.Ok()

    return handler


async def _torrents_remove(ctx: Context, params: p.TorrentsRemoveParams) -> p.Ok:
    await ctx.pool.call(params.server, "remove", lambda c: c.remove(params.ids, delete_data=params.delete_data))
    return p.Ok()


async def _torrents_set_label(ctx: Context, params: p.SetLabelParams) -> p.Ok:
    await ctx.pool.call(params.server, "set_label", lambda c: c.set_label(params.ids, params.label))
    return p.Ok()


async def _torrents_move(ctx: Context, params: p.MoveParams) -> p.Ok:
    await ctx.pool.call(params.server, "move", lambda c: c.move(params.ids, params.destination))
    return p.Ok()


async def _torrents_set_file_priority(ctx: Context, params: p.FilePriorityParams) -> p.Ok:
    await ctx.pool.call(
        params.server, "set_file_priority", lambda c: c.set_file_priority(params.id, params.indexes, params.priority)
    )
    return p.Ok()


async def _torrents_set_limits(ctx: Context, params: p.TorrentLimitsParams) -> p.Ok:
    await ctx.pool.call(
        params.server,
        "set_torrent_limits",
        lambda c: c.set_torrent_limits(params.ids, **params.limits()),
    )
    return p.Ok()


async def _torrents_queue_move(ctx: Context, params: p.QueueMoveParams) -> p.Ok:
    await ctx.pool.call(params.server, "queue_move", lambda c: c.queue_move(params.ids, params.direction))
    return p.Ok()


async def _torrents_files(ctx: Context, params: p.TorrentRef) -> list[TorrentFile]:
    return await ctx.pool.call(params.server, "files", lambda c: c.files(params.id))


async def _torrents_trackers(ctx: Context, params: p.TorrentRef) -> list[Tracker]:
    return await ctx.pool.call(params.server, "trackers", lambda c: c.trackers(params.id))


async def _torrents_peers(ctx: Context, params: p.TorrentRef) -> list[Peer]:
    return await ctx.pool.call(params.server, "peers", lambda c: c.peers(params.id))


async def _subscribe(ctx: Context, params: p.SubscribeParams) -> p.Subscribed:
    ctx.pool.client(params.server)
    ctx.subscriptions.start(params.server, params.interval)
    return p.Subscribed(server=params.server, interval=params.interval)


async def _unsubscribe(ctx: Context, params: p.ServerRef) -> p.Ok:
    ctx.pool.client(params.server)
    ctx.subscriptions.stop(params.server)
    return p.Ok()


#: The allow-list. The bulk handlers' ``getattr`` only ever sees the literal names below.
METHODS: Final[Mapping[str, Method]] = {
    "bridge.info": Method(p.NoParams, p.BridgeInfo, _bridge_info, "Versions, framing, limits, methods, backends."),
    "bridge.shutdown": Method(
        p.NoParams, p.Ok, _shutdown, "Answer what is in flight, then log out of every server and exit."
    ),
    "servers.add": Method(p.ServerAddParams, p.ServerAdded, _servers_add, "Add (and log in to) a server."),
    "servers.certificate": Method(
        p.CertificateParams, CertificateInfo, _servers_certificate, "A server's TLS certificate, not trusted."
    ),
    "servers.remove": Method(p.ServerRef, p.Ok, _servers_remove, "Log out and forget a server."),
    "servers.list": Method(p.NoParams, list[ServerState], _servers_list, "Every server and its status."),
    "servers.reconnect": Method(p.ServerRef, ServerState, _servers_reconnect, "Log in again after a failure."),
    "servers.info": Method(p.ServerRef, ServerInfo, _servers_info, "Server version and capabilities."),
    "servers.stats": Method(
        p.ServerRef, SessionStats, _servers_stats, "Whole-server speeds and free space.",
        operation="stats",
    ),
    "servers.set_limits": Method(
        p.GlobalLimitsParams, p.Ok, _servers_set_limits, "Set global speed limits (a key left out is kept).",
        operation="set_limits",
    ),
    "torrents.list": Method(p.TorrentsListParams, p.TorrentPage, _torrents_list, "A page of the torrent list."),
    "torrents.get": Method(
        p.TorrentRef, Torrent, _torrents_get, "One torrent.",
        operation="torrent",
    ),
    "torrents.add": Method(
        p.TorrentsAddParams, AddedTorrent, _torrents_add, "Add a magnet, URL or .torrent.",
        conditional=(
            (Capability.ADD_MAGNET, "uri is a magnet link"),
            (Capability.ADD_URL, "uri is an http(s) URL"),
            (Capability.ADD_FILE, "torrent (.torrent content) is given"),
            (Capability.ADD_SKIP_CHECK, "skip_check is true"),
            (Capability.ADD_RENAME, "rename is given"),
            (Capability.ADD_FILE_SELECTION, "wanted_files is given"),
            (Capability.ADD_LIMITS, "download_limit or upload_limit is given"),
            (Capability.LABELS, "label is given"),
        ),
    ),
    "torrents.pause": Method(
        p.TorrentIds, p.Ok, _bulk("pause"), "Pause torrents.",
        operation="pause",
    ),
    "torrents.resume": Method(
        p.TorrentIds, p.Ok, _bulk("resume"), "Resume torrents.",
        operation="resume",
    ),
    "torrents.remove": Method(
        p.TorrentsRemoveParams, p.Ok, _torrents_remove, "Remove torrents.",
        conditional=((Capability.REMOVE_WITH_DATA, "delete_data is true"),),
    ),
    "torrents.recheck": Method(
        p.TorrentIds, p.Ok, _bulk("recheck"), "Verify torrents' data.",
        operation="recheck",
    ),
    "torrents.reannounce": Method(
        p.TorrentIds, p.Ok, _bulk("reannounce"), "Contact the trackers now.",
        operation="reannounce",
    ),
    "torrents.set_label": Method(
        p.SetLabelParams, p.Ok, _torrents_set_label, "Set or clear the label.",
        operation="set_label",
    ),
    "torrents.move": Method(
        p.MoveParams, p.Ok, _torrents_move, "Move torrents' data.",
        operation="move",
    ),
    "torrents.set_file_priority": Method(
        p.FilePriorityParams, p.Ok, _torrents_set_file_priority, "Set file priorities.",
        operation="set_file_priority",
    ),
    "torrents.set_limits": Method(
        p.TorrentLimitsParams, p.Ok, _torrents_set_limits, "Set per-torrent speed limits (a key left out is kept).",
        operation="set_torrent_limits",
    ),
    "torrents.queue_move": Method(
        p.QueueMoveParams, p.Ok, _torrents_queue_move, "Move torrents in the queue.",
        operation="queue_move",
    ),
    "torrents.files": Method(
        p.TorrentRef, list[TorrentFile], _torrents_files, "The files of a torrent.",
        operation="files",
    ),
    "torrents.trackers": Method(
        p.TorrentRef, list[Tracker], _torrents_trackers, "The trackers of a torrent.",
        operation="trackers",
    ),
    "torrents.peers": Method(
        p.TorrentRef, list[Peer], _torrents_peers, "The peers of a torrent.",
        operation="peers",
    ),
    "torrents.pause_all": Method(
        p.ServerRef, p.Ok, _all("pause_all"), "Pause every torrent (one request where the server has one).",
        operation="pause_all",
    ),
    "torrents.resume_all": Method(
        p.ServerRef, p.Ok, _all("resume_all"), "Resume every torrent (one request where the server has one).",
        operation="resume_all",
    ),
    "torrents.force_start": Method(
        p.TorrentIds, p.Ok, _bulk("force_start"), "Start now, past the queue.", operation="force_start"
    ),
    "torrents.set_sequential": Method(
        p.SwitchParams, p.Ok, _switch("set_sequential"), "Download pieces in order, or not.",
        operation="set_sequential",
    ),
    "torrents.set_first_last_piece": Method(
        p.SwitchParams, p.Ok, _switch("set_first_last_piece"), "First and last pieces first, or not.",
        operation="set_first_last_piece",
    ),
    "torrents.set_ratio_limit": Method(
        p.RatioLimitParams, p.Ok, _torrents_set_ratio_limit, "Stop seeding at a ratio (null: none of their own).",
        operation="set_ratio_limit",
    ),
    "servers.labels": Method(
        p.ServerRef, list[str], _servers_labels, "Every label the server knows.", operation="labels"
    ),
    "servers.set_alt_speed": Method(
        p.AltSpeedParams, p.Ok, _servers_set_alt_speed, "Alternative speed limits on or off.",
        operation="set_alt_speed",
    ),
    "subscribe": Method(p.SubscribeParams, p.Subscribed, _subscribe, "Start torrents.delta notifications."),
    "unsubscribe": Method(p.ServerRef, p.Ok, _unsubscribe, "Stop torrents.delta notifications."),
}

#: Notifications the bridge sends, with the model of their ``params``.
NOTIFICATIONS: Final[Mapping[str, type[BaseModel]]] = {
    "torrents.delta": p.DeltaNotice,
    "torrents.events": p.EventsNotice,
    "servers.status": ServerState,
}
