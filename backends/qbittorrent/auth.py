"""qBittorrent authentication: the SID cookie login, the brute-force ban, and 5.2's API keys.

A login answers ``200 Ok.`` with ``Set-Cookie: SID=...`` (kept by the client's cookie jar)
or ``200 Fails.`` for wrong credentials. Calls without a valid session answer 403; so
does a client whose address was banned after too many failed logins, which is told
apart by its body text. An API key is sent with every request and needs no login.
"""

from __future__ import annotations

import httpx

from enunclic.plugin import (
    AuthenticationError,
    EndpointNotFoundError,
    EnunclicError,
    Flow,
    ProtocolError,
    SessionAuth,
    SessionExpiredError,
)

from .api import Endpoint, build

__all__ = ["SESSION_COOKIE", "QBittorrentAuth", "ban_error", "check_login", "is_ban"]

#: The cookie that carries the WebUI session.
SESSION_COOKIE = "SID"


class QBittorrentAuth(SessionAuth):
    """A SID login per client (re-done once when a call answers 403), or an API key and no login at all.

    Without credentials nothing is sent: a server that lets this address in without a
    login (a whitelisted subnet, ``LocalHostAuth=false``) needs none.
    """

    def __init__(self, base_url: str, username: str | None, password: str | None, api_key: str | None) -> None:
        super().__init__()
        self._base_url = base_url
        self._username = username or ""
        self._password = password or ""
        self._api_key = api_key
        #: True when this client logs in for a SID (no API key, and a username or password given).
        self.logs_in = api_key is None and bool(username or password)

    def login(self) -> Flow[None]:
        if self.logs_in:
            data = {"username": self._username, "password": self._password}
            check_login((yield build(self._base_url, Endpoint.LOGIN, data=data)))

    def apply(self, request: httpx.Request) -> httpx.Request:
        if self._api_key is not None:
            request.headers["Authorization"] = f"Bearer {self._api_key}"
        return request

    def is_lost(self, response: httpx.Response) -> bool:
        """A 403 means the SID is gone, unless it is a ban (or there is no login that could renew it)."""
        return response.status_code == 403 and self.logs_in and not is_ban(response)

    def logout(self) -> Flow[None]:
        if self.logs_in:
            yield build(self._base_url, Endpoint.LOGOUT, data={})

    def refusal(self, response: httpx.Response) -> EnunclicError:
        """The error for a 403 that a new login does not cure: a ban, a refused API key, missing credentials."""
        if is_ban(response):
            return ban_error()
        if self._api_key is not None:
            return AuthenticationError("qBittorrent refused the API key", native_code=403)
        if not self.logs_in:
            return AuthenticationError("qBittorrent refused access: give a username and password", native_code=403)
        return SessionExpiredError("the qBittorrent session expired", native_code=403)


def is_ban(response: httpx.Response) -> bool:
    """403 with "banned" in the body: too many failed logins from this address."""
    return response.status_code == 403 and "banned" in response.text.lower()


def ban_error() -> AuthenticationError:
    return AuthenticationError(
        "qBittorrent has banned this address after too many failed logins; wait for the ban to end "
        "(1 hour by default) or raise WebUI\\MaxAuthenticationFailCount",
        native_code=403,
    )


def check_login(response: httpx.Response) -> None:
    """Raise unless the login reply says ``Ok.`` (or sets a SID, or says nothing: a whitelisted subnet).

    The core has already turned 401 (a CSRF or Host header check), 5xx and HTML pages into errors.
    """
    status = response.status_code
    if is_ban(response):
        raise ban_error()
    if status == 404:
        raise EndpointNotFoundError(
            "no qBittorrent WebUI API v2 login at this URL (HTTP 404): qBittorrent 4.1 or newer is needed, "
            "and the path must be the WebUI root",
            native_code=404,
        )
    if not response.is_success:
        raise AuthenticationError(f"qBittorrent refused the login (HTTP {status})", native_code=status)
    text = response.text.strip()
    if text == "Fails.":
        raise AuthenticationError("qBittorrent refused the username or password", native_code="Fails.")
    if text not in ("Ok.", "") and SESSION_COOKIE not in response.cookies:
        # Another web app, or a proxy's reply: not a verdict on the password.
        raise ProtocolError("qBittorrent's login reply is neither 'Ok.' nor 'Fails.': is this qBittorrent?")
