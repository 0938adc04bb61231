"""The only two loops that perform I/O: a sync and an async driver over httpx.

Both step a :class:`~enunclic.flows.Flow` the same way (through :class:`_Stepper`);
they differ only in how a request is sent, how the lock is taken and how time passes.
Every request a flow yields goes through the backend's auth (:mod:`enunclic.channel`),
carries the cookies its server set, and its reply is checked by
:func:`~enunclic.channel.check_reply` before the flow sees it. httpx exceptions are
translated to enunclic errors here and nowhere else, every error gets its backend and
operation here, reply size is capped here, and a call's timeout is one deadline for
all its requests, retries and waits.
"""

from __future__ import annotations

import logging
import random
import ssl
import threading
import time
import zlib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import httpx
import pydantic

from . import __version__
from .certificates import fetch_certificate
from .channel import HTML_REPLY, Auth, authenticated, check_reply
from .exceptions import (
    CertificateError,
    ClientClosedError,
    ConnectError,
    EnunclicError,
    InvalidInputError,
    PluginError,
    ProtocolError,
    RequestTimeout,
)
from .flows import Call, Flow, Serialized, Wait
from .redact import install_log_redaction, redact_url
from .tls import FingerprintMismatch

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncDriver", "SyncDriver"]

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)
L = TypeVar("L")

log = logging.getLogger("enunclic")

#: Replies larger than this are refused unless the client says otherwise (64 MiB).
DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024

#: Transport failures of an idempotent read are retried this many times by default.
DEFAULT_RETRIES = 2

#: Seconds a call may take, everything included, unless the client or the call says otherwise.
DEFAULT_TIMEOUT = 30.0

#: Who is asking, on every request.
_USER_AGENT = f"enunclic/{__version__}"

#: Marks a request whose Cookie header came from the client's jar.
_JAR_COOKIES = "enunclic.jar_cookies"

#: The auth of a backend that has none: each request is sent as it is.
_NO_AUTH: Auth = httpx.Auth()

# Only failures where the request may not have reached the server, or its answer was lost.
_RETRYABLE = (ConnectError, RequestTimeout)
#: At most this long to fetch an untrusted certificate for the error that refused it.
_CERTIFICATE_SECONDS = 5.0

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
    """A reply's bytes, decompressed here and checked against the size cap as they come.

    Decompression is bounded step by step, so a small compressed reply that would inflate
    past the cap (a gzip bomb) is refused before it takes the memory. The chunks are joined
    once at the end: a reply that came in one chunk is not copied at all.
    """

    def __init__(self, stepper: _Stepper, encoding: str) -> None:
        self._stepper = stepper
        self._chunks: list[bytes] = []
        self._size = 0
        #: False for a reply the transport handed over already read and decoded.
        self.on_the_wire = True
        coding = encoding.strip().lower()
        if coding in ("", "identity"):
            self._inflate = None
        elif coding in ("gzip", "x-gzip", "deflate"):
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib framing, told by its header
        else:
            raise ProtocolError(f"the reply is compressed as {coding[:40]!r}, which this client did not ask for")

    @classmethod
    def of(cls, stepper: _Stepper, streamed: httpx.Response) -> _Body:
        """The body of ``streamed``: read off the wire, or already in memory (a transport that made it there)."""
        if streamed.is_stream_consumed:
            body = cls(stepper, "")
            body.on_the_wire = False
            return body
        return cls(stepper, streamed.headers.get("content-encoding", ""))

    def add(self, raw: bytes) -> None:
        if self._inflate is None:
            self._keep(raw)
            return
        try:
            while raw:
                room = self._stepper.max_reply_bytes - self._size + 1
                self._keep(self._inflate.decompress(raw, room))
                raw = self._inflate.unconsumed_tail
        except zlib.error as exc:
            raise ProtocolError(f"the compressed reply could not be decoded ({exc})") from None

    def join(self) -> bytes:
        if self._inflate is not None:
            if not self._inflate.eof and self._size:
                raise ProtocolError("the compressed reply was cut short")
            self._keep(self._inflate.flush())
        return b"".join(self._chunks)

    def _keep(self, chunk: bytes) -> None:
        if chunk:
            self._size += len(chunk)
            self._stepper.check_size(self._size)
            self._chunks.append(chunk)


@dataclass(frozen=True)
class _Finished:
    value: Any


class _Stepper:
    """Advances a flow by one step: the logic both drivers share."""

    def __init__(
        self,
        backend: str,
        *,
        max_reply_bytes: int,
        retries: int,
        auth: Auth | None,
        protocol_statuses: Collection[int],
        timeout: float,
        origin: str | None,
        label: str | None,
    ) -> None:
        self.backend = backend
        #: How log lines name this server: its own name (a profile, a pool entry) with the backend's.
        self.label = f"{label} ({backend})" if label else backend
        self.max_reply_bytes = max_reply_bytes
        self.retries = retries
        self.auth: Auth = auth if auth is not None else _NO_AUTH
        self.protocol_statuses = frozenset(protocol_statuses)
        self.timeout = timeout
        self.origin = _origin(httpx.URL(origin)) if origin else None
        self.requests_sent = 0

    def own(self, request: httpx.Request) -> bool:
        """True for a request to the backend's own server; others (a .torrent fetched from a tracker's
        site) carry no credentials and reach the flow with whatever status they got."""
        return self.origin is None or _origin(request.url) == self.origin

    def deadline(self, timeout: float | None) -> float:
        """When a call that starts now must be over."""
        return time.monotonic() + (self.timeout if timeout is None else timeout)

    @staticmethod
    def remaining(deadline: float) -> float:
        """Seconds left before ``deadline``; RequestTimeout once it has passed."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise RequestTimeout("the call took longer than its timeout")
        return left

    def retry_delay(self, call: Call[Any], attempt: int, error: EnunclicError, deadline: float) -> float | None:
        """Seconds to wait before retrying ``call`` after its ``attempt``-th failure, or None to give up."""
        if call.again is None or attempt > self.retries or not isinstance(error, _RETRYABLE):
            return None
        if _caused_by_tls(error):
            return None  # a certificate does not get better by asking again
        delay: float = min(4.0, 0.25 * 2.0 ** (attempt - 1)) * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not crypto
        if time.monotonic() + delay >= deadline:
            return None  # a retry never runs past the call's deadline
        log.info("%s: %s failed (%s); retry %d in %.2fs", self.label, call.operation, error, attempt, delay)
        return delay

    def describe_certificate(self, error: CertificateError, request: httpx.Request, deadline: float) -> None:
        """Fetch, without trusting it, the certificate a trust failure is about: the user judges it."""
        try:
            error.certificate = fetch_certificate(
                request.url.host, request.url.port or 443, min(_CERTIFICATE_SECONDS, deadline - time.monotonic())
            )
        except EnunclicError as exc:
            log.debug("%s: the certificate of %s could not be fetched: %s", self.label, request.url.host, exc)

    def wait_for(self, step: Wait, deadline: float) -> float:
        """How long a Wait may sleep: its time, or RequestTimeout when that would pass the deadline."""
        if step.seconds >= self.remaining(deadline):
            raise RequestTimeout("the call took longer than its timeout (while waiting for the server)")
        return step.seconds

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

    def prepare(self, request: httpx.Request, cookies: httpx.Cookies, deadline: float) -> None:
        """Cookies of this client's server, and the time left of the call as httpx's timeouts."""
        if request.extensions.get(_JAR_COOKIES):
            request.headers.pop("cookie", None)  # sent before (a request sent again after a login): the jar's anew
        headers = request.headers
        headers.setdefault("accept-encoding", "gzip")  # servers that compress only when asked (most do)
        headers.setdefault("user-agent", _USER_AGENT)
        if cookies and "cookie" not in request.headers:
            cookies.set_cookie_header(request)
            request.extensions[_JAR_COOKIES] = "cookie" in request.headers
        left = self.remaining(deadline)
        # A flow may bound one request more tightly (a server known to leave some calls unanswered).
        own = request.extensions.get("timeout") or {}
        request.extensions["timeout"] = {
            phase: min(left, own[phase]) if isinstance(own.get(phase), (int, float)) else left
            for phase in ("connect", "read", "write", "pool")
        }
        self.requests_sent += 1
        log.debug("%s: %s %s", self.label, request.method, redact_url(str(request.url)))

    def finish(self, request: httpx.Request, streamed: httpx.Response, body: bytes) -> httpx.Response:
        """A plain, fully read response (the streamed one is closed), logged and checked."""
        headers = [(k, v) for k, v in streamed.headers.multi_items() if k.lower() not in _WIRE_HEADERS]
        response = httpx.Response(streamed.status_code, headers=headers, content=body, request=request)
        log.debug(
            "%s: %s %s -> %d (%d bytes)",
            self.label,
            request.method,
            redact_url(str(request.url)),
            response.status_code,
            len(body),
        )
        if self.own(request):
            check_reply(response, self.protocol_statuses, html=request.extensions.get(HTML_REPLY) is True)
        return response

    def check_size(self, size: int) -> None:
        if size > self.max_reply_bytes:
            raise ProtocolError(f"reply larger than {self.max_reply_bytes} bytes; refused")

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
    def translating(self, request: httpx.Request, http: httpx.Client | httpx.AsyncClient) -> Iterator[None]:
        """Turn httpx and socket errors into enunclic errors, naming the host only."""
        host = request.url.host or str(request.url.scheme)
        try:
            yield
        except EnunclicError:
            raise  # already ours (a size cap, a deadline); TimeoutError would read as an OSError below
        except RuntimeError as exc:
            if http.is_closed:  # close() ran while this call was under way
                raise ClientClosedError("the client was closed while this call was under way") from exc
            raise
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


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme))


_DEFAULT_PORTS = {"http": 80, "https": 443}


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
            return CertificateError(f"the TLS certificate of {host} is not the pinned one: {cause.verify_message}")
        if isinstance(cause, ssl.SSLCertVerificationError):
            return CertificateError(
                f"the TLS certificate of {host} could not be verified ({cause.verify_message}). "
                "A NAS or seedbox with a self-signed certificate needs verify='/path/to/ca.pem', "
                "tls_fingerprint='sha256 of its certificate', or verify=False"
            )
        cause = cause.__cause__ or cause.__context__
    return ConnectError(f"cannot connect to {host}: {exc}")


class _Driver(Generic[H, L]):
    """What both drivers hold: the httpx client, the stepper that gives each step its meaning, and the lock
    that runs one Serialized step (a login) at a time."""

    def __init__(
        self,
        http: H,
        backend: str,
        *,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
        retries: int = DEFAULT_RETRIES,
        auth: Auth | None = None,
        protocol_statuses: Collection[int] = (),
        timeout: float = DEFAULT_TIMEOUT,
        origin: str | None = None,
        label: str | None = None,
    ) -> None:
        self.http: H = http
        install_log_redaction()
        self._stepper = _Stepper(
            backend,
            max_reply_bytes=max_reply_bytes,
            retries=retries,
            auth=auth,
            protocol_statuses=protocol_statuses,
            timeout=timeout,
            origin=origin,
            label=label,
        )
        self._lock: L = self._new_lock()

    def _new_lock(self) -> L:
        raise NotImplementedError

    @property
    def requests_sent(self) -> int:
        """How many requests this driver has sent (a diagnostic for GUIs and benchmarks)."""
        return self._stepper.requests_sent


class SyncDriver(_Driver[httpx.Client, threading.Lock]):
    """Runs flows with an :class:`httpx.Client`; one lock per client for Serialized steps."""

    def _new_lock(self) -> threading.Lock:
        return threading.Lock()

    def run(self, call: Call[T], timeout: float | None = None) -> T:
        """Run ``call`` to its end or its deadline (``timeout`` seconds from now, the driver's by default)."""
        stepper = self._stepper
        deadline = stepper.deadline(timeout)
        with stepper.context(call.operation):
            flow, attempt = call.flow, 0
            while True:
                try:
                    result: T = self._drive(flow, deadline, locked=False, auth=True)
                    return result
                except EnunclicError as exc:
                    attempt += 1
                    delay = stepper.retry_delay(call, attempt, exc, deadline)
                    if delay is None or call.again is None:
                        raise
                    time.sleep(delay)
                    flow = call.again()

    def _drive(self, flow: Flow[Any], deadline: float, *, locked: bool, auth: bool) -> Any:
        stepper = self._stepper
        outcome = _Outcome()
        while True:
            step = stepper.advance(flow, outcome)
            if isinstance(step, _Finished):
                return step.value
            try:
                if isinstance(step, Serialized):
                    outcome = _Outcome(self._serialized(step, deadline, locked=locked, auth=auth))
                elif isinstance(step, Wait):
                    time.sleep(stepper.wait_for(step, deadline))
                    outcome = _Outcome()
                elif auth and stepper.own(step):
                    exchange = authenticated(stepper.auth, step)
                    outcome = _Outcome(self._drive(exchange, deadline, locked=locked, auth=False))
                else:
                    outcome = _Outcome(self._send(step, deadline))
            except EnunclicError as exc:
                outcome = _Outcome(error=exc)

    def _serialized(self, step: Serialized, deadline: float, *, locked: bool, auth: bool) -> Any:
        auth = auth and step.authenticated  # a login's own requests go out as they are
        if locked:
            return self._drive(step.make(), deadline, locked=True, auth=auth)
        if not self._lock.acquire(timeout=self._stepper.remaining(deadline)):
            raise RequestTimeout("the call took longer than its timeout (waiting for another call's login)")
        try:
            return self._drive(step.make(), deadline, locked=True, auth=auth)
        finally:
            self._lock.release()

    def _send(self, request: httpx.Request, deadline: float) -> httpx.Response:
        stepper = self._stepper
        stepper.prepare(request, self.http.cookies, deadline)
        try:
            return self._exchange(request, deadline)
        except CertificateError as exc:
            stepper.describe_certificate(exc, request, deadline)
            raise

    def _exchange(self, request: httpx.Request, deadline: float) -> httpx.Response:
        stepper = self._stepper
        with stepper.translating(request, self.http):
            streamed = self.http.send(request, stream=True)
            try:
                body = _Body.of(stepper, streamed)
                for chunk in streamed.iter_raw() if body.on_the_wire else (streamed.content,):
                    body.add(chunk)
                    if time.monotonic() > deadline:  # a reply dripped a little at a time
                        raise RequestTimeout(f"{request.url.host} did not send its whole reply in time")
            finally:
                streamed.close()
        return stepper.finish(request, streamed, body.join())


class AsyncDriver(_Driver[httpx.AsyncClient, "asyncio.Lock | None"]):
    """Runs flows with an :class:`httpx.AsyncClient`; one asyncio lock per client."""

    def _new_lock(self) -> asyncio.Lock | None:
        return None  # made on first use, inside the event loop

    async def run(self, call: Call[T], timeout: float | None = None) -> T:
        """Run ``call`` to its end or its deadline (``timeout`` seconds from now, the driver's by default)."""
        stepper = self._stepper
        deadline = stepper.deadline(timeout)
        with stepper.context(call.operation):
            flow, attempt = call.flow, 0
            while True:
                try:
                    result: T = await self._drive(flow, deadline, locked=False, auth=True)
                    return result
                except EnunclicError as exc:
                    attempt += 1
                    delay = stepper.retry_delay(call, attempt, exc, deadline)
                    if delay is None or call.again is None:
                        raise
                    await _asyncio().sleep(delay)
                    flow = call.again()

    async def _drive(self, flow: Flow[Any], deadline: float, *, locked: bool, auth: bool) -> Any:
        stepper = self._stepper
        outcome = _Outcome()
        while True:
            step = stepper.advance(flow, outcome)
            if isinstance(step, _Finished):
                return step.value
            try:
                if isinstance(step, Serialized):
                    outcome = _Outcome(await self._serialized(step, deadline, locked=locked, auth=auth))
                elif isinstance(step, Wait):
                    await _asyncio().sleep(stepper.wait_for(step, deadline))
                    outcome = _Outcome()
                elif auth and stepper.own(step):
                    exchange = authenticated(stepper.auth, step)
                    outcome = _Outcome(await self._drive(exchange, deadline, locked=locked, auth=False))
                else:
                    outcome = _Outcome(await self._send(step, deadline))
            except EnunclicError as exc:
                outcome = _Outcome(error=exc)

    async def _serialized(self, step: Serialized, deadline: float, *, locked: bool, auth: bool) -> Any:
        auth = auth and step.authenticated  # a login's own requests go out as they are
        if locked:
            return await self._drive(step.make(), deadline, locked=True, auth=auth)
        asyncio = _asyncio()
        if self._lock is None:
            self._lock = asyncio.Lock()
        try:
            await asyncio.wait_for(self._lock.acquire(), self._stepper.remaining(deadline))
        except asyncio.TimeoutError:
            raise RequestTimeout("the call took longer than its timeout (waiting for another call's login)") from None
        try:
            return await self._drive(step.make(), deadline, locked=True, auth=auth)
        finally:
            self._lock.release()

    async def _send(self, request: httpx.Request, deadline: float) -> httpx.Response:
        stepper = self._stepper
        stepper.prepare(request, self.http.cookies, deadline)
        asyncio = _asyncio()
        try:
            # The whole exchange, headers to last byte, ends by the deadline: a server that drips
            # its reply a byte at a time cannot hold the call past it.
            streamed, body = await asyncio.wait_for(self._receive(request), stepper.remaining(deadline))
        except CertificateError as exc:
            await asyncio.to_thread(stepper.describe_certificate, exc, request, deadline)
            raise
        except asyncio.TimeoutError as exc:
            if isinstance(exc, EnunclicError):
                raise
            raise RequestTimeout(f"{request.url.host} did not send its whole reply in time") from exc
        return stepper.finish(request, streamed, body)

    async def _receive(self, request: httpx.Request) -> tuple[httpx.Response, bytes]:
        stepper = self._stepper
        with stepper.translating(request, self.http):
            streamed = await self.http.send(request, stream=True)
            try:
                body = _Body.of(stepper, streamed)
                if body.on_the_wire:
                    async for chunk in streamed.aiter_raw():
                        body.add(chunk)
                else:
                    body.add(streamed.content)
            finally:
                await streamed.aclose()
        return streamed, body.join()


def _asyncio() -> Any:
    """asyncio, imported by the first async client: sync users do not pay for it."""
    import asyncio  # noqa: PLC0415

    return asyncio
