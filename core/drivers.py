"""The only two loops that perform I/O: a sync and an async driver over httpx.

Both step a :class:`~enunclic.flows.Flow` the same way (through :class:`_Stepper`);
they differ only in how a request is sent and how the lock is taken. httpx
exceptions are translated to enunclic errors here and nowhere else, every error
gets its backend and operation here, and reply size is capped here.
"""

from __future__ import annotations

import logging
import random
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx
import pydantic

from .exceptions import (
    ConnectError,
    EnunclicError,
    InvalidInputError,
    PluginError,
    ProtocolError,
    RequestTimeout,
)
from .flows import Call, Flow, Serialized, Wait
from .redact import redact_url
from .tls import FingerprintMismatch

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncDriver", "SyncDriver"]

T = TypeVar("T")

log = logging.getLogger("enunclic")

#: Replies larger than this are refused unless the client says otherwise (64 MiB).
DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024

#: Transport failures of an idempotent read are retried this many times by default.
DEFAULT_RETRIES = 2

# Only failures where the request may not have reached the server, or its answer was lost.
_RETRYABLE = (ConnectError, RequestTimeout)

# Exceptions that a backend's parsing code raises on a reply of the wrong shape.
# RecursionError: a reply nested deeper than the parser can follow; OverflowError: an absurd number.
_SHAPE_ERRORS = (
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    AttributeError,
    RecursionError,
    OverflowError,
    pydantic.ValidationError,
)

# Headers that described the wire encoding of a body we have already decoded.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


@dataclass(frozen=True)
class _Outcome:
    value: Any = None
    error: BaseException | None = None


class _Body:
    """A reply's chunks, checked against the size cap as they come, joined once at the end: a
    listing page of a megabyte or more is copied once (not at all when it came in one chunk)."""

    def __init__(self, stepper: _Stepper) -> None:
        self._stepper = stepper
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        self._stepper.check_size(self._size)
        self._chunks.append(chunk)

    def join(self) -> bytes:
        return b"".join(self._chunks)


@dataclass(frozen=True)
class _Finished:
    value: Any


class _Stepper:
    """Advances a flow by one step: the logic both drivers share."""

    def __init__(self, backend: str, max_reply_bytes: int, retries: int) -> None:
        self.backend = backend
        self.max_reply_bytes = max_reply_bytes
        self.retries = retries
        self.requests_sent = 0

    def retry_delay(self, call: Call[Any], attempt: int, error: EnunclicError) -> float | None:
        """Seconds to wait before retrying ``call`` after its ``attempt``-th failure, or None to give up."""
        if call.again is None or attempt > self.retries or not isinstance(error, _RETRYABLE):
            return None
        if _caused_by_tls(error):
            return None  # a certificate does not get better by asking again
        delay: float = min(4.0, 0.25 * 2.0 ** (attempt - 1)) * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not crypto
        log.info("%s: %s failed (%s); retry %d in %.2fs", self.backend, call.operation, error, attempt, delay)
        return delay

    @staticmethod
    def advance(flow: Flow[Any], outcome: _Outcome) -> httpx.Request | Serialized | Wait | _Finished:
        try:
            # Typed as object: a third-party flow may yield anything, and that must be caught here.
            sent = flow.throw(outcome.error) if outcome.error is not None else flow.send(outcome.value)
            step = cast("object", sent)
        except StopIteration as stop:
            return _Finished(stop.value)
        if not isinstance(step, (httpx.Request, Serialized, Wait)):
            flow.close()
            raise PluginError(f"a flow yielded {type(step).__name__}, not an httpx.Request, Serialized or Wait")
        return step

    def log_request(self, request: httpx.Request) -> None:
        self.requests_sent += 1
        log.debug("%s: %s %s", self.backend, request.method, redact_url(str(request.url)))

    def log_response(self, request: httpx.Request, response: httpx.Response) -> None:
        log.debug(
            "%s: %s %s -> %d (%d bytes)",
            self.backend,
            request.method,
            redact_url(str(request.url)),
            response.status_code,
            len(response.content),
        )

    def check_size(self, size: int) -> None:
        if size > self.max_reply_bytes:
            raise ProtocolError(f"reply larger than {self.max_reply_bytes} bytes; refused")

    @staticmethod
    def complete(request: httpx.Request, streamed: httpx.Response, body: bytes) -> httpx.Response:
        """A plain, fully read response (the streamed one is closed)."""
        headers = [(k, v) for k, v in streamed.headers.multi_items() if k.lower() not in _WIRE_HEADERS]
        return httpx.Response(streamed.status_code, headers=headers, content=body, request=request)

    @contextmanager
    def context(self, operation: str) -> Iterator[None]:
        """Give every error raised inside its backend and operation; translate stray exceptions."""
        try:
            yield
        except EnunclicError as exc:
            if exc.backend is None:
                exc.backend = self.backend
            if exc.operation is None:
                exc.operation = operation
            raise
        except _SHAPE_ERRORS as exc:
            raise ProtocolError(
                f"could not understand the server's reply ({type(exc).__name__})",
                backend=self.backend,
                operation=operation,
            ) from exc

    @contextmanager
    def translating(self, request: httpx.Request) -> Iterator[None]:
        """Turn httpx and socket errors into enunclic errors, naming the host only."""
        host = request.url.host or str(request.url.scheme)
        try:
            yield
        except httpx.TimeoutException as exc:
            raise RequestTimeout(f"{host} did not answer in time ({type(exc).__name__})") from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise InvalidInputError(f"cannot send to this URL: {exc}") from exc
        except httpx.ConnectError as exc:
            raise _connect_error(host, exc) from exc
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise ConnectError(f"connection to {host} failed or was cut: {exc}") from exc
        except httpx.DecodingError as exc:
            raise ProtocolError(f"reply from {host} could not be decoded: {exc}") from exc
        except httpx.HTTPError as exc:
            raise ProtocolError(f"HTTP failure talking to {host}: {type(exc).__name__}") from exc
        except ssl.SSLError as exc:
            raise _connect_error(host, exc) from exc
        except OSError as exc:
            raise ConnectError(f"cannot reach {host}: {exc.strerror or exc}") from exc


def _caused_by_tls(error: BaseException) -> bool:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _connect_error(host: str, exc: BaseException) -> ConnectError:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, FingerprintMismatch):
            return ConnectError(f"the TLS certificate of {host} is not the pinned one: {cause.verify_message}")
        if isinstance(cause, ssl.SSLCertVerificationError):
            return ConnectError(
                f"the TLS certificate of {host} could not be verified ({cause.verify_message}). "
                "A NAS or seedbox with a self-signed certificate needs verify='/path/to/ca.pem', "
                "tls_fingerprint='sha256 of its certificate', or verify=False"
            )
        cause = cause.__cause__ or cause.__context__
    return ConnectError(f"cannot connect to {host}: {exc}")


class SyncDriver:
    """Runs flows with an :class:`httpx.Client`; one lock per client for Serialized steps."""

    def __init__(
        self,
        http: httpx.Client,
        backend: str,
        *,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
        retries: int = DEFAULT_RETRIES,
    ) -> None:
        self.http = http
        self._stepper = _Stepper(backend, max_reply_bytes, retries)
        self._lock = threading.Lock()

    @property
    def requests_sent(self) -> int:
        """How many requests this driver has sent (a diagnostic for GUIs and benchmarks)."""
        return self._stepper.requests_sent

    def run(self, call: Call[T]) -> T:
        with self._stepper.context(call.operation):
            flow, attempt = call.flow, 0
            while True:
                try:
                    result: T = self._drive(flow, locked=False)
                    return result
                except EnunclicError as exc:
                    attempt += 1
                    delay = self._stepper.retry_delay(call, attempt, exc)
                    if delay is None or call.again is None:
                        raise
                    time.sleep(delay)
                    flow = call.again()

    def _drive(self, flow: Flow[Any], *, locked: bool) -> Any:
        outcome = _Outcome()
        while True:
            step = self._stepper.advance(flow, outcome)
            if isinstance(step, _Finished):
                return step.value
            try:
                if isinstance(step, Serialized):
                    outcome = _Outcome(self._serialized(step, locked=locked))
                elif isinstance(step, Wait):
                    time.sleep(step.seconds)
                    outcome = _Outcome()
                else:
                    outcome = _Outcome(self._send(step))
            except EnunclicError as exc:
                outcome = _Outcome(error=exc)

    def _serialized(self, step: Serialized, *, locked: bool) -> Any:
        if locked:
            return self._drive(step.make(), locked=True)
        with self._lock:
            return self._drive(step.make(), locked=True)

    def _send(self, request: httpx.Request) -> httpx.Response:
        stepper = self._stepper
        stepper.log_request(request)
        with stepper.translating(request):
            streamed = self.http.send(request, stream=True)
            try:
                body = _Body(stepper)
                for chunk in streamed.iter_bytes():
                    body.add(chunk)
            finally:
                streamed.close()
        response = stepper.complete(request, streamed, body.join())
        stepper.log_response(request, response)
        return response


class AsyncDriver:
    """Runs flows with an :class:`httpx.AsyncClient`; one asyncio lock per client."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        backend: str,
        *,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
        retries: int = DEFAULT_RETRIES,
    ) -> None:
        self.http = http
        self._stepper = _Stepper(backend, max_reply_bytes, retries)
        self._lock: asyncio.Lock | None = None  # made on first use, inside the event loop

    @property
    def requests_sent(self) -> int:
        """How many requests this driver has sent."""
        return self._stepper.requests_sent

    async def run(self, call: Call[T]) -> T:
        with self._stepper.context(call.operation):
            flow, attempt = call.flow, 0
            while True:
                try:
                    result: T = await self._drive(flow, locked=False)
                    return result
                except EnunclicError as exc:
                    attempt += 1
                    delay = self._stepper.retry_delay(call, attempt, exc)
                    if delay is None or call.again is None:
                        raise
                    await _asyncio().sleep(delay)
                    flow = call.again()

    async def _drive(self, flow: Flow[Any], *, locked: bool) -> Any:
        outcome = _Outcome()
        while True:
            step = self._stepper.advance(flow, outcome)
            if isinstance(step, _Finished):
                return step.value
            try:
                if isinstance(step, Serialized):
                    outcome = _Outcome(await self._serialized(step, locked=locked))
                elif isinstance(step, Wait):
                    await _asyncio().sleep(step.seconds)
                    outcome = _Outcome()
                else:
                    outcome = _Outcome(await self._send(step))
            except EnunclicError as exc:
                outcome = _Outcome(error=exc)

    async def _serialized(self, step: Serialized, *, locked: bool) -> Any:
        if locked:
            return await self._drive(step.make(), locked=True)
        if self._lock is None:
            self._lock = _asyncio().Lock()
        async with self._lock:
            return await self._drive(step.make(), locked=True)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        stepper = self._stepper
        stepper.log_request(request)
        with stepper.translating(request):
            streamed = await self.http.send(request, stream=True)
            try:
                body = _Body(stepper)
                async for chunk in streamed.aiter_bytes():
                    body.add(chunk)
            finally:
                await streamed.aclose()
        response = stepper.complete(request, streamed, body.join())
        stepper.log_response(request, response)
        return response


def _asyncio() -> Any:
    """asyncio, imported by the first async client: sync users do not pay for it."""
    import asyncio  # noqa: PLC0415

    return asyncio
