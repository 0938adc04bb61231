"""An in-process wire between a client and a fake server: counts traffic and acts out faults.

Every backend's fake server is a plain ``handler(request) -> response``; :class:`Wire`
carries requests to it for the sync and the async client alike, and can replace the
answer to chosen requests with what goes wrong on real networks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import httpx

__all__ = ["Fault", "Handler", "Wire"]

Handler = Callable[[httpx.Request], httpx.Response]
Match = Callable[[httpx.Request], bool]

LOGIN_PAGE = (
    b'<!DOCTYPE html><html><head><title>Login</title></head><body><form action="/login" method="post">'
    b'<input name="username"><input name="password" type="password"></form></body></html>'
)
SERVER_ERROR = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


class Fault(str, Enum):
    """What can go wrong with one request."""

    HTTP_500 = "http_500"  # the server (or a proxy before it) fails with an HTML error page
    HTTP_503 = "http_503"
    HTML = "html"  # 200 with a login page instead of the API's reply (a captive portal, an SSO proxy)
    TRUNCATED = "truncated"  # the real reply cut in the middle
    EMPTY = "empty"  # 200 with no body at all
    WRONG_SHAPE = "wrong_shape"  # well-formed, but not what the API returns (the fake says what)
    HUGE = "huge"  # a reply far larger than the client's cap
    DEEP = "deep"  # a small reply nested 100,000 levels deep
    RESET = "reset"  # the connection is reset before the server saw the request
    RESET_AFTER = "reset_after"  # the server handled the request, then the connection was cut
    TIMEOUT = "timeout"  # no answer in time; the server never saw the request
    TIMEOUT_AFTER = "timeout_after"  # the server handled it, the answer never came
    REFUSED = "refused"  # nothing listens


#: The faults that raise at the transport (the others are replies).
TRANSPORT_FAULTS = frozenset({Fault.RESET, Fault.RESET_AFTER, Fault.TIMEOUT, Fault.TIMEOUT_AFTER, Fault.REFUSED})


@dataclass
class _Armed:
    fault: Fault
    match: Match
    times: int


class Wire(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Sync and async transport onto ``handler``; records requests and reply sizes; injects faults."""

    def __init__(self, handler: Handler, *, wrong_shape: bytes = b'{"unexpected": [1, 2, 3]}') -> None:
        self.handler = handler
        self.wrong_shape = wrong_shape
        self.requests: list[httpx.Request] = []
        #: When each request arrived (time.monotonic), to check backoff between retries.
        self.arrivals: list[float] = []
        #: Requests the server really handled (a fault before the server drops them).
        self.handled: list[httpx.Request] = []
        self.bytes_sent = 0
        self.bytes_received = 0
        self.huge_size = 8 * 1024 * 1024
        self._armed: list[_Armed] = []

    def arm(self, fault: Fault, match: Match | None = None, times: int = 1) -> None:
        """The next ``times`` requests that ``match`` meet ``fault``."""
        self._armed.append(_Armed(fault, match or (lambda _request: True), times))

    def disarm(self) -> None:
        self._armed.clear()

    def reset_counters(self) -> None:
        self.requests.clear()
        self.arrivals.clear()
        self.handled.clear()
        self.bytes_sent = self.bytes_received = 0

    def _take(self, request: httpx.Request) -> Fault | None:
        for armed in self._armed:
            if armed.match(request):
                armed.times -= 1
                if armed.times <= 0:
                    self._armed.remove(armed)
                return armed.fault
        return None

    def _serve(self, request: httpx.Request) -> httpx.Response:
        self.handled.append(request)
        return self.handler(request)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        self.arrivals.append(time.monotonic())
        self.bytes_sent += len(request.content)
        fault = self._take(request)
        if fault is Fault.REFUSED:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if fault is Fault.RESET:
            raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
        if fault is Fault.TIMEOUT:
            raise httpx.ReadTimeout("timed out", request=request)
        real = self._serve(request) if fault not in (Fault.HTTP_500, Fault.HTTP_503) else None
        if fault is Fault.RESET_AFTER:
            raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
        if fault is Fault.TIMEOUT_AFTER:
            raise httpx.ReadTimeout("timed out", request=request)
        response = self._damage(fault, real) if fault is not None else real
        assert response is not None
        body = response.read()
        self.bytes_received += len(body)
        return httpx.Response(response.status_code, headers=response.headers, content=body, request=request)

    def _damage(self, fault: Fault, real: httpx.Response | None) -> httpx.Response:
        html = {"content-type": "text/html; charset=utf-8"}
        if fault is Fault.HTTP_500:
            return httpx.Response(500, headers=html, content=SERVER_ERROR)
        if fault is Fault.HTTP_503:
            return httpx.Response(503, headers=html, content=SERVER_ERROR)
        if fault is Fault.HTML:
            return httpx.Response(200, headers=html, content=LOGIN_PAGE)
        if fault is Fault.EMPTY:
            return httpx.Response(200, content=b"")
        if fault is Fault.HUGE:
            return httpx.Response(200, content=b"[" + b"0," * (self.huge_size // 2) + b"0]")
        if fault is Fault.DEEP:
            return httpx.Response(200, content=b"[" * 100_000 + b"]" * 100_000)
        if fault is Fault.WRONG_SHAPE:
            return httpx.Response(200, headers={"content-type": "application/json"}, content=self.wrong_shape)
        assert real is not None
        body = real.read()
        headers = {k: v for k, v in real.headers.items() if k.lower() != "content-length"}
        return httpx.Response(real.status_code, headers=headers, content=body[: max(len(body) // 2, 1)])

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._answer(request)

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""
