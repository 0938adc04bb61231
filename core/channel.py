"""The channel every request of a flow goes through: credentials, cookies and what an HTTP status means.

A backend supplies one *auth* object in the shape of :class:`httpx.Auth`: its
``auth_flow(request)`` generator yields the requests to send (the flow's own request
with credentials attached, a login before it when needed) and receives each response;
the last response goes back to the flow. ``httpx.BasicAuth`` works as it is. A login
that must happen once per client subclasses :class:`SessionAuth` and says only how to
log in, how to attach the session and how a lost session looks.

Cookies a server sets are kept per client and sent with later requests to it. Every
response, the login's included, is then read by :func:`check_reply`: one meaning per
HTTP status for every backend, except the statuses a backend declares part of its
protocol (``Backend.protocol_statuses``), which reach its auth or its flow untouched.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection, Generator
from typing import Any, Protocol

import httpx

from .exceptions import (
    AuthenticationError,
    EndpointNotFoundError,
    EnunclicError,
    PermissionDeniedError,
    PluginError,
    ProtocolError,
    RequestTimeout,
    ServerError,
    SessionExpiredError,
)
from .flows import Flow, Serialized, Step
from .redact import redact_url

__all__ = [
    "HTML_REPLY",
    "Auth",
    "SessionAuth",
    "authenticated",
    "check_reply",
    "html_reply",
    "is_html",
    "is_login_page",
]


class Auth(Protocol):
    """What a backend's ``auth`` is: httpx's ``Auth.auth_flow`` (which may also yield Serialized and Wait)."""

    def auth_flow(self, request: httpx.Request) -> Generator[Step, httpx.Response, None]:
        """Yield the requests to send for ``request``; each response is sent back in."""
        ...  # pragma: no cover - a protocol


# -- one meaning per HTTP status ------------------------------------------------------------------

_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)?<(?:!doctype\s+html|html|head|body|title)\b", re.IGNORECASE | re.DOTALL
)
_PASSWORD_FIELD = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password", re.IGNORECASE)
_LOGIN_WORDS = re.compile(r"log[ -]?in|sign[ -]?in|auth|sso", re.IGNORECASE)

#: How much of a body is looked at to tell an HTML page.
_SNIFF_BYTES = 64 * 1024


def is_html(content: bytes) -> bool:
    """True when a body is an HTML page (what a proxy, a portal or a wrong URL answers), not an API reply."""
    return _HTML_START.match(content[:1024]) is not None


def is_login_page(content: bytes) -> bool:
    """True for an HTML page with a password field: a proxy or portal in front of the server asks for a login."""
    return _PASSWORD_FIELD.search(content[:_SNIFF_BYTES]) is not None


#: A request extension: this request's reply is an HTML page by design (a token page), not a wrong URL.
HTML_REPLY = "enunclic.html_reply"


def html_reply(request: httpx.Request) -> httpx.Request:
    """Mark ``request`` as one whose reply is an HTML page by design, so the status check lets a 2xx page through."""
    request.extensions[HTML_REPLY] = True
    return request


def check_reply(response: httpx.Response, protocol_statuses: Collection[int] = (), *, html: bool = False) -> None:
    """Raise the one error every backend gives for a failed HTTP exchange; return for a usable reply.

    ============================  ==================================================
    2xx with an HTML page         ``AuthenticationError`` for a login page, else ``ProtocolError``
    3xx (redirects not followed)  ``AuthenticationError`` towards a login, else ``ProtocolError``
    401, 407                      ``AuthenticationError``
    403                           ``PermissionDeniedError``
    404                           ``EndpointNotFoundError`` (a ``ProtocolError``)
    408                           ``RequestTimeout``
    429                           ``ServerError``
    other 4xx, 1xx                ``ProtocolError``
    5xx                           ``ServerError``
    ============================  ==================================================

    ``native_code`` is the status. A status in ``protocol_statuses`` is returned untouched:
    it means something in that API (Transmission's 409, qBittorrent's 403). With ``html``, a 2xx
    HTML page is the expected reply (see :func:`html_reply`).
    """
    status = response.status_code
    if status in protocol_statuses:
        return
    if 200 <= status < 300:
        content = response.content
        if html or content[:1] in (b"{", b"[") or not is_html(content):
            return
        if is_login_page(content):
            raise AuthenticationError(
                "an HTML login page came back instead of an API reply: a proxy or portal in front of the "
                "server asks for a login",
                native_code=status,
            )
        raise ProtocolError(
            "an HTML page came back instead of an API reply: is this the right URL?", native_code=status
        )
    raise _status_error(response)


def _status_error(response: httpx.Response) -> EnunclicError:
    status = response.status_code
    if 300 <= status < 400:
        location = redact_url(response.headers.get("location", ""))[:300]
        if _LOGIN_WORDS.search(location):
            return AuthenticationError(
                f"the server sends this client to a login page (HTTP {status} to {location})", native_code=status
            )
        where = f" to {location}" if location else ""
        return ProtocolError(f"the server redirects (HTTP {status}{where}): use that URL instead", native_code=status)
    if status in (401, 407):
        return AuthenticationError(f"the server refused the credentials (HTTP {status})", native_code=status)
    if status == 403:
        return PermissionDeniedError(f"the server forbids this request (HTTP {status})", native_code=status)
    if status == 404:
        return EndpointNotFoundError(
            "nothing answers this API at this URL (HTTP 404): check the host, port and path", native_code=status
        )
    if status == 408:
        return RequestTimeout("the server gave up waiting for the request (HTTP 408)", native_code=status)
    if status == 429:
        return ServerError("the server asks to slow down (HTTP 429)", native_code=status)
    if status >= 500:
        return ServerError(f"the server failed (HTTP {status})", native_code=status)
    return ProtocolError(f"the server did not accept the request (HTTP {status})", native_code=status)


# -- running a request through an auth ----------------------------------------------------------------


def authenticated(auth: Auth, request: httpx.Request) -> Flow[httpx.Response]:
    """One request through ``auth.auth_flow``: its steps pass on, and the last response is the result.

    Requests this yields are sent as they are (the drivers do not pass them through the
    auth again); errors the driver meets are thrown into the auth flow, which may handle them.
    """
    flow = auth.auth_flow(request)
    response: httpx.Response | None = None
    try:
        step = next(flow)
    except StopIteration:
        raise PluginError(f"{type(auth).__name__}.auth_flow yielded no request") from None
    while True:
        try:
            sent = yield step
        except EnunclicError as exc:
            try:
                step = flow.throw(exc)
            except StopIteration:
                if response is None:
                    raise exc from None
                return response
            continue
        if isinstance(step, httpx.Request):
            response = sent
        try:
            step = flow.send(sent)
        except StopIteration:
            if response is None:
                raise PluginError(f"{type(auth).__name__}.auth_flow ended before any response") from None
            return response


class SessionAuth:
    """A login per client, shared by every flow: one login under concurrency, one re-login on a lost session.

    Subclasses write :meth:`login` (a flow: it yields its requests, which carry cookies
    but no credentials of this auth, and stores what it obtained), :meth:`apply` (attach
    the session to a request; cookies set by the server are attached by the core) and
    :meth:`is_lost` (this response says the session is gone). :meth:`logout` runs on close;
    :meth:`needs_session` lets a request through without a login.
    """

    def __init__(self) -> None:
        #: Counts successful logins: a flow that saw generation N re-logs in only if nobody did since.
        self.generation = 0
        self.active = False
        self._logged_in_at = 0.0
        self._ending = False

    def __repr__(self) -> str:  # never shows a token
        return f"<{type(self).__name__} {'active' if self.active else 'logged out'}>"

    # -- what a backend writes ----------------------------------------------------------------------

    def login(self) -> Flow[None]:
        """Log in and keep the session; raise ``AuthenticationError`` (or a subclass) when refused."""
        raise NotImplementedError

    def apply(self, request: httpx.Request) -> httpx.Request:
        """``request`` with the session attached (a header, a token); the default attaches nothing."""
        return request

    def is_lost(self, response: httpx.Response) -> bool:
        """True when ``response`` says the session is gone (it is then renewed once and the request resent)."""
        return False

    def needs_session(self, request: httpx.Request) -> bool:
        """False for a request the server answers without a session (one that says where to log in)."""
        return True

    def logout(self) -> Flow[None]:
        """End the session on the server; called by ``close()`` while a session is active."""
        yield from ()

    # -- what the core runs -------------------------------------------------------------------------

    def auth_flow(self, request: httpx.Request) -> Generator[Step, httpx.Response, None]:
        if not self.needs_session(request):
            yield request
            return
        if not self.active:
            yield Serialized(self._login_unless_newer(self.generation), authenticated=False)
        seen = self.generation
        response = yield self.apply(request)
        if not self.is_lost(response) or self._ending:
            return  # a logout that finds the session gone is done: no login just to log out
        yield Serialized(self._login_unless_newer(seen), authenticated=False)
        response = yield self.apply(request)
        if self.is_lost(response):
            self.active = False
            since = time.monotonic() - self._logged_in_at
            raise SessionExpiredError(
                f"the server ended the session again {since:.1f} s after this client logged in "
                f"(login {self.generation} of this client): it keeps no session for it"
            )

    def invalidate(self) -> None:
        """Forget the session: the next request logs in first."""
        self.active = False

    def end(self) -> Flow[None]:
        """Log out if a session is active, then forget it (``close()``)."""
        if self.active:
            self._ending = True
            try:
                yield from self.logout()
            finally:
                self.active = self._ending = False

    def _login_unless_newer(self, seen_generation: int) -> Callable[[], Flow[Any]]:
        def run() -> Flow[None]:
            if self.active and self.generation != seen_generation:
                return  # another flow logged in while this one waited for the lock
            self.active = False
            yield from self.login()
            self.generation += 1
            self._logged_in_at = time.monotonic()
            self.active = True

        return run
