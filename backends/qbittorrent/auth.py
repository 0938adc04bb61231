"""qBittorrent authentication: the SID cookie login, the brute-force ban, and 5.2's API keys.

A login answers ``200 Ok.`` with ``Set-Cookie: SID=...`` or ``200 Fails.`` for wrong
credentials. Calls without a valid session answer 403; so does a client whose address
was banned after too many failed logins, which is told apart by its body text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from enunclic import AuthenticationError, PermissionDeniedError, ProtocolError

from .api import Endpoint, build

__all__ = ["Credentials", "is_ban", "login_request", "parse_login"]

#: The cookie that carries the WebUI session.
SESSION_COOKIE = "SID"


@dataclass
class Credentials:
    """What authorizes each request: a session cookie from a login, or an API key (qBittorrent 5.2+)."""

    api_key: str | None = field(default=None, repr=False)
    sid: str | None = field(default=None, repr=False)

    def apply(self, request: httpx.Request) -> httpx.Request:
        """Add the Authorization header or the SID cookie to a request we built."""
        if self.api_key:
            request.headers["Authorization"] = f"Bearer {self.api_key}"
        elif self.sid:
            request.headers["Cookie"] = f"{SESSION_COOKIE}={self.sid}"
        return request

    def __repr__(self) -> str:  # never shows the cookie or the key
        kind = "api-key" if self.api_key else "cookie" if self.sid else "none"
        return f"<Credentials {kind}>"


def login_request(base_url: str, username: str, password: str) -> httpx.Request:
    return build(base_url, Endpoint.LOGIN, data={"username": username, "password": password})


def is_ban(response: httpx.Response) -> bool:
    """403 with "banned" in the body: too many failed logins from this address."""
    return response.status_code == 403 and "banned" in response.text.lower()


def parse_login(response: httpx.Response) -> str | None:
    """The SID of a successful login (None when the server sets no cookie, e.g. a whitelisted subnet)."""
    status = response.status_code
    text = response.text.strip()
    if is_ban(response):
        raise AuthenticationError(
            "qBittorrent has banned this address after too many failed logins; wait for the ban to end "
            "(1 hour by default) or raise WebUI\\MaxAuthenticationFailCount",
            native_code=403,
        )
    if status == 401:
        raise PermissionDeniedError(
            "qBittorrent refused the login request (HTTP 401): a CSRF or Host header check failed", native_code=401
        )
    if status == 404:
        raise AuthenticationError(
            "no qBittorrent WebUI API v2 login at this URL (HTTP 404): qBittorrent 4.1 or newer is needed, "
            "and the path must be the WebUI root",
            native_code=404,
        )
    if not 200 <= status < 300:
        raise AuthenticationError(f"qBittorrent refused the login (HTTP {status})", native_code=status)
    if text == "Fails.":
        raise AuthenticationError("qBittorrent refused the username or password", native_code="Fails.")
    sid = response.cookies.get(SESSION_COOKIE)
    if text not in ("Ok.", "") and not sid:
        # An HTML login page of a proxy or portal, or another web app: not a verdict on the password.
        raise ProtocolError("qBittorrent's login reply is neither 'Ok.' nor 'Fails.': is this qBittorrent?")
    return sid
