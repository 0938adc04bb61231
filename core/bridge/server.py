"""The bridge loop: read frames, dispatch allow-listed methods concurrently, write replies and notifications.

One asyncio loop. Each request runs in its own task so a slow server never delays
the answers about the others; replies carry their request's ``id``. A bad message
gets its JSON-RPC error and the loop goes on; only end of input (or
``bridge.shutdown``) stops it, after in-flight requests are answered.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import os
import threading
from collections.abc import Callable
from typing import Any, Final, Protocol

import pydantic
from pydantic import BaseModel, TypeAdapter

from ..exceptions import EnunclicError, InvalidInputError
from ..models import Delta, Torrent
from ..pool import Pool, ServerState
from . import errors
from .framing import DEFAULT_MAX_MESSAGE_BYTES, Frame, LineSplitter, Oversized, encode
from .methods import METHODS, ClientFactory, Context, Method, default_client_factory
from .protocol import DeltaNotice, EventsNotice, Request, RpcError, WireDelta

__all__ = ["DEFAULT_CHUNK_BYTES", "Bridge", "FrameSource", "StdinSource"]

log = logging.getLogger("enunclic.bridge")

#: Target size of one outgoing message: larger lists and deltas are split (1 MiB).
DEFAULT_CHUNK_BYTES: Final = 1024 * 1024

_TORRENT = TypeAdapter(Torrent)
_ADAPTERS: dict[str, TypeAdapter[Any]] = {name: method.adapter() for name, method in METHODS.items()}
_MISSING: Final = object()
#: The task handling the current frame: a batch's requests run in child tasks that inherit it.
_FRAME_TASK: contextvars.ContextVar[asyncio.Task[Any] | None] = contextvars.ContextVar("frame_task", default=None)

#: Members of ``error.data`` sent only when they apply to the error; every other member is always sent.
ERROR_DATA_WHEN_SET: Final = frozenset({"errors", "failures", "limit", "certificate"})


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _plain(model: BaseModel) -> Any:
    # Through pydantic's JSON mode: datetimes as ISO strings, inf/nan as null.
    return json.loads(model.model_dump_json())


class FrameSource(Protocol):
    """Where frames come from; ``None`` means the input ended."""

    async def receive(self) -> Frame | None: ...


class StdinSource:
    """Reads a file descriptor (stdin) in a thread: works for pipes, files and terminals alike.

    ``os.read`` holds no Python-level lock, so the daemon thread can never block
    interpreter shutdown.
    """

    def __init__(self, fd: int, max_bytes: int) -> None:
        self._fd = fd
        self._max_bytes = max_bytes
        self._queue: asyncio.Queue[Frame | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._read, name="enunclic-bridge-stdin", daemon=True).start()

    def _push(self, item: Frame | None) -> bool:
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
        except RuntimeError:  # the loop is closed: nobody is listening any more
            return False
        return True

    def _read(self) -> None:
        splitter = LineSplitter(self._max_bytes)
        while True:
            try:
                data = os.read(self._fd, 1 << 16)
            except OSError as exc:
                log.warning("reading stdin failed: %s", exc)
                data = b""
            frames: list[Frame | None] = list(splitter.feed(data) if data else [*splitter.end(), None])
            for frame in frames:
                if not self._push(frame):
                    return
            if not data:
                return

    async def receive(self) -> Frame | None:
        return await self._queue.get()


class Bridge:
    """The JSON-RPC server over any frame source and any ``write(bytes)`` sink."""

    def __init__(
        self,
        write: Callable[[bytes], None],
        *,
        pool: Pool | None = None,
        client_factory: ClientFactory = default_client_factory,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
        chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    ) -> None:
        self._write = write
        self.pool = pool if pool is not None else Pool(timeout=30.0)  # an empty Pool is falsy
        self.context = Context(
            pool=self.pool,
            subscriptions=self,
            client_factory=client_factory,
            max_message_bytes=max_message_bytes,
            chunk_bytes=chunk_bytes,
            shutdown=self.request_stop,
            drain=self.drain,
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self._subscriptions: dict[str, asyncio.Task[None]] = {}
        self._stop: asyncio.Event | None = None
        self._broken = False
        self.pool.add_listener(self._on_status)

    # -- running -------------------------------------------------------------------------

    async def run(self, source: FrameSource) -> int:
        """Serve until the input ends or ``bridge.shutdown``; then answer what is in flight and close."""
        stop = self._stop_event()
        stopping = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                receiving = asyncio.ensure_future(source.receive())
                await asyncio.wait({receiving, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not receiving.done():
                    receiving.cancel()
                    break
                frame = receiving.result()
                if frame is None:
                    log.info("input closed; shutting down")
                    break
                self.submit(frame)
        finally:
            stopping.cancel()
            await self.close()
        return 0

    def submit(self, frame: Frame) -> None:
        """Handle one frame in its own task."""
        task = asyncio.ensure_future(self.handle(frame))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait until every request in flight has been answered, except those of the caller's own frame
        (a batch is answered as one message, after all its requests)."""
        own = _FRAME_TASK.get()
        while others := [t for t in self._tasks if t is not own and not t.done()]:
            await asyncio.gather(*others, return_exceptions=True)

    def request_stop(self) -> None:
        """Stop reading input (``bridge.shutdown``); in-flight requests are still answered."""
        self._stop_event().set()

    async def close(self) -> None:
        """Answer in-flight requests, end subscriptions, log out of every server."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        following = list(self._subscriptions.values())
        for server in list(self._subscriptions):
            self.stop(server)
        await asyncio.gather(*following, return_exceptions=True)
        await self.pool.close()

    def _stop_event(self) -> asyncio.Event:
        if self._stop is None:
            self._stop = asyncio.Event()
        return self._stop

    # -- one frame ---------------------------------------------------------------------------

    async def handle(self, frame: Frame) -> None:
        """Parse one frame, dispatch it, write its reply (if any)."""
        _FRAME_TASK.set(asyncio.current_task())
        if isinstance(frame, Oversized):
            limit = self.context.max_message_bytes
            self._send_error(
                None,
                errors.simple(
                    errors.INVALID_REQUEST,
                    "MessageTooLarge",
                    f"message of {frame.size} bytes exceeds the limit of {limit} bytes",
                    limit=limit,
                ),
            )
            return
        if not frame.strip():
            return
        try:
            message = json.loads(frame, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else "malformed JSON"
            self._send_error(None, errors.simple(errors.PARSE_ERROR, "ParseError", f"parse error: {reason}"))
            return
        if isinstance(message, list):
            if not message:
                self._send_error(None, errors.simple(errors.INVALID_REQUEST, "InvalidRequest", "empty batch"))
                return
            replies = [r for r in await asyncio.gather(*(self._dispatch(m) for m in message)) if r is not None]
            if replies:
                self._send(replies)
            return
        reply = await self._dispatch(message)
        if reply is not None:
            self._send(reply)

    async def _dispatch(self, message: Any) -> dict[str, Any] | None:
        if not isinstance(message, dict):
            return _error_reply(
                None, errors.simple(errors.INVALID_REQUEST, "InvalidRequest", "a request must be a JSON object")
            )
        raw_id = message.get("id", _MISSING)
        if raw_id is not _MISSING and not _valid_id(raw_id):
            return _error_reply(
                None, errors.simple(errors.INVALID_REQUEST, "InvalidRequest", "id must be a string, an integer or null")
            )
        reply_id = None if raw_id is _MISSING else raw_id
        params = message.get("params")
        if isinstance(params, list):
            return self._maybe(
                raw_id,
                _error_reply(
                    reply_id,
                    errors.simple(errors.INVALID_PARAMS, "InvalidParams", "params must be an object (by name)"),
                ),
            )
        try:
            request = Request.model_validate(message)
        except pydantic.ValidationError:
            return _error_reply(
                reply_id,
                errors.simple(
                    errors.INVALID_REQUEST,
                    "InvalidRequest",
                    'not a JSON-RPC 2.0 request (needs "jsonrpc": "2.0", a string "method", object "params")',
                ),
            )
        method = METHODS.get(request.method)
        if method is None:
            shown = request.method if len(request.method) <= 80 else request.method[:80] + "..."
            return self._maybe(
                raw_id,
                _error_reply(
                    reply_id, errors.simple(errors.METHOD_NOT_FOUND, "MethodNotFound", f"method not found: {shown!r}")
                ),
            )
        return self._maybe(raw_id, await self._call(request.method, method, reply_id, request.params))

    @staticmethod
    def _maybe(raw_id: object, reply: dict[str, Any]) -> dict[str, Any] | None:
        # A notification (no "id") never gets a reply, not even an error.
        if raw_id is _MISSING:
            if "error" in reply:
                log.warning("notification failed: %s", reply["error"].get("message"))
            return None
        return reply

    async def _call(self, name: str, method: Method, reply_id: Any, raw: dict[str, Any] | None) -> dict[str, Any]:
        try:
            params = method.params.model_validate(raw or {})
        except pydantic.ValidationError as exc:
            return _error_reply(reply_id, errors.from_validation(exc))
        try:
            result = await method.handler(self.context, params)
            payload = json.loads(_ADAPTERS[name].dump_json(result))
        except EnunclicError as exc:
            log.info("%s failed: %s", name, exc)
            return _error_reply(reply_id, errors.from_enunclic(exc))
        except Exception:  # a bug must cost one reply, never the bridge
            log.exception("internal error in %s", name)
            return _error_reply(
                reply_id,
                errors.simple(
                    errors.INTERNAL_ERROR, "InternalError", f"internal error in {name} (see the bridge's stderr)"
                ),
            )
        return {"jsonrpc": "2.0", "id": reply_id, "result": payload}

    # -- output ---------------------------------------------------------------------------

    def _send(self, message: Any) -> None:
        if self._broken:
            return
        line: bytes | None
        try:
            line = encode(message)
        except (ValueError, TypeError, RecursionError) as exc:  # a bug or a hostile value: this message only
            log.error("cannot encode a %s (%s); sending an error instead", _kind(message), exc)
            line = _unencodable(message)
        if line is None:
            return
        try:
            self._write(line)
        except (OSError, ValueError) as exc:  # the reader went away (broken pipe, closed file)
            self._broken = True
            log.warning("cannot write output (%s); shutting down", exc)
            self.request_stop()

    def _send_error(self, reply_id: Any, error: RpcError) -> None:
        self._send(_error_reply(reply_id, error))

    def notify(self, method: str, params: BaseModel) -> None:
        """Send a notification."""
        self._send({"jsonrpc": "2.0", "method": method, "params": _plain(params)})

    def _on_status(self, state: ServerState) -> None:
        self.notify("servers.status", state)

    # -- subscriptions ------------------------------------------------------------------------

    def start(self, server: str, interval: float) -> None:
        """(Re)start the subscription of ``server``: a baseline first, then deltas."""
        self.stop(server)
        self._subscriptions[server] = asyncio.ensure_future(self._follow(server, interval))

    def stop(self, server: str) -> bool:
        """End the subscription of ``server``; False when there was none."""
        task = self._subscriptions.pop(server, None)
        if task is None:
            return False
        task.cancel()
        return True

    async def _follow(self, server: str, interval: float) -> None:
        seq = 0
        baseline = False
        woken = False
        while True:
            pause = interval
            try:
                mutations = self.pool.client(server).mutations
                seen = mutations.count
                # After a change made through this bridge, poll at once, even while backing off.
                event = await self.pool.poll_server(server, force=woken)
            except InvalidInputError:  # the server was removed
                return
            except Exception:  # never let a subscription die silently
                log.exception("subscription to %s failed; retrying", server)
                event = None
            if event is not None and event.delta is not None:
                if not baseline or not event.delta.empty:
                    seq += 1
                    self._send_delta(
                        server, seq, self.pool.full_delta(server) if not baseline else event.delta, full=not baseline
                    )
                    baseline = True
                if event.delta.events:
                    self.notify("torrents.events", EventsNotice(server=server, events=event.delta.events))
            elif event is not None:
                seq += 1
                self.notify(
                    "torrents.delta",
                    DeltaNotice(
                        server=server,
                        seq=seq,
                        error=event.error,
                        attempt=event.attempt,
                        next_retry_in=event.next_retry_in,
                    ),
                )
                pause = event.next_retry_in if event.next_retry_in is not None else interval
            woken = await mutations.wait_async(seen, pause)

    def _send_delta(self, server: str, seq: int, delta: Delta, *, full: bool) -> None:
        for index, part in enumerate(chunks := split_delta(delta, self.context.chunk_bytes)):
            self.notify(
                "torrents.delta",
                DeltaNotice(server=server, seq=seq, full=full, chunk=index, chunks=len(chunks), delta=part),
            )


def split_delta(delta: Delta, chunk_bytes: int) -> list[WireDelta]:
    """Cut a delta into parts whose JSON stays under ``chunk_bytes`` (one item may exceed it alone)."""
    budget = max(chunk_bytes - 512, 1)  # room for the envelope and the notice's own fields
    items: list[tuple[str, Any, int]] = []
    for torrent in delta.added:
        items.append(("added", torrent, len(_TORRENT.dump_json(torrent)) + 1))
    for torrent in delta.changed:
        names = delta.changed_fields.get(torrent.id, frozenset())
        extra = len(torrent.id) + sum(len(n) + 3 for n in names) + 8
        items.append(("changed", torrent, len(_TORRENT.dump_json(torrent)) + 1 + extra))
    for tid in delta.removed:
        items.append(("removed", tid, len(json.dumps(tid)) + 1))
    groups: list[list[tuple[str, Any, int]]] = [[]]
    used = 0
    for item in items:
        if groups[-1] and used + item[2] > budget:
            groups.append([])
            used = 0
        groups[-1].append(item)
        used += item[2]
    parts = []
    for group in groups:
        changed = [t for kind, t, _ in group if kind == "changed"]
        parts.append(
            WireDelta(
                added=[t for kind, t, _ in group if kind == "added"],
                changed=changed,
                removed=[t for kind, t, _ in group if kind == "removed"],
                changed_fields={t.id: sorted(delta.changed_fields.get(t.id, ())) for t in changed},
            )
        )
    return parts


def _valid_id(value: object) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _error_reply(reply_id: Any, error: RpcError) -> dict[str, Any]:
    body = json.loads(error.model_dump_json())
    # kind, backend, operation and native_code always (a GUI reads them without checks), and each of
    # the failures complete; errors, failures and limit only when the error has them.
    data = body["data"] or {}
    body["data"] = {key: value for key, value in data.items() if value is not None or key not in ERROR_DATA_WHEN_SET}
    return {"jsonrpc": "2.0", "id": reply_id, "error": body}


def _kind(message: Any) -> str:
    if isinstance(message, dict) and "method" in message:
        return f"{str(message['method'])[:60]} notification"
    return "reply"


def _unencodable(message: Any) -> bytes | None:
    """What goes out instead of a message that cannot be written: for a reply, an internal error with its id."""
    if not isinstance(message, dict) or "id" not in message or "method" in message:
        return None  # a notification is dropped (logged); the next one may carry the state again
    error = errors.simple(errors.INTERNAL_ERROR, "InternalError", "the reply could not be encoded as JSON")
    try:
        return encode(_error_reply(message["id"], error))
    except (ValueError, TypeError, RecursionError):
        return encode(_error_reply(None, error))
