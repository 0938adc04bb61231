"""The DSM session: login and logout on ``SYNO.API.Auth`` (2FA, device tokens), the sid on every request.

The password travels only in a form POST body. A 2FA account logs in once with
``otp_code=``; the login asks for a device token (``enable_device_token=yes``) and
DSM returns it as ``did`` (Auth v6) or ``device_id`` (v7). Every later login,
including the silent re-login after a session loss, sends that token instead of
the (spent) one-time code.

The sid travels in the cookie ``id`` and, in form POSTs, as ``_sid`` in the body
(both documented), never in a URL query, so it cannot reach proxy or access logs. A
multipart upload carries it in the cookie only: DSM's upload handlers do not read
``_sid`` from multipart fields, and the client that documented this (cmeans) moved
it to the query instead, which this backend refuses to do. ``SYNO.API.Info`` (the
discovery) needs no session and goes out without one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import quote

import httpx

from enunclic.plugin import AuthenticationError, Flow, ProtocolError, SessionAuth

from .api import FORM, error_code, form_request, unwrap, webapi_url
from .codes import RESTART_CODE, SESSION_LOST_CODES
from .discovery import AUTH, ApiEntry

__all__ = ["SESSION_NAME", "SynologyAuth"]

#: The session name the PDF requires for Download Station APIs.
SESSION_NAME: Final = "DownloadStation"

# DSM 7 answers this placeholder as synotoken unless enable_syno_token=yes was honoured.
_NO_TOKEN: Final = frozenset({"", "--------"})

#: Device tokens exist from Auth version 6 on.
_DEVICE_TOKEN_VERSION: Final = 6

#: The one API that answers without a session: it says where the login lives.
_PUBLIC_PATH: Final = "/webapi/query.cgi"


class SynologyAuth(SessionAuth):
    """One DSM session per client; ``api`` (where Auth lives, which version) is set by discovery."""

    def __init__(
        self,
        base_url: str,
        username: str | None,
        password: str | None,
        *,
        otp_code: str | None,
        device_token: str | None,
        device_name: str,
    ) -> None:
        super().__init__()
        self.base_url = base_url
        self.api: ApiEntry | None = None
        self.device_token = device_token
        self.device_name = device_name
        self._username = username
        self._password = password
        self._otp_code = otp_code
        self._sid: str | None = None
        self._synotoken: str | None = None
        #: The sid that has had a reply other than a session loss: a 105 to it means a NAS restart.
        self._proven: str | None = None

    def __repr__(self) -> str:  # never shows the password, sid, token or code
        return f"<SynologyAuth user={self._username!r} {'active' if self.active else 'logged out'}>"

    def needs_session(self, request: httpx.Request) -> bool:
        """The discovery query, which says where the login lives, goes out without one."""
        return not request.url.path.endswith(_PUBLIC_PATH)

    def login(self) -> Flow[None]:
        """POST the login form; keep the new session and any device token DSM issued."""
        api = self._require_api()
        if not self._username or self._password is None:
            raise AuthenticationError("Download Station needs a username and a password")
        self._sid = self._synotoken = None
        response = yield form_request(webapi_url(self.base_url, api.path), self._login_fields(api.version))
        data = unwrap(response, AUTH)
        if not isinstance(data, Mapping) or not isinstance(data.get("sid"), str) or not data["sid"]:
            raise ProtocolError("the login reply has no session id")
        # The code is one-time: a later re-login must use the device token (or fail with 403).
        self._otp_code = None
        token = _text(data, "did") or _text(data, "device_id")
        if token:
            self.device_token = token
        synotoken = _text(data, "synotoken")
        self._sid = data["sid"]
        self._synotoken = None if synotoken in _NO_TOKEN else synotoken

    def apply(self, request: httpx.Request) -> httpx.Request:
        """The cookie ``id`` and the CSRF token as headers; ``_sid`` appended to a form body."""
        sid = self._sid
        if sid is None:
            return request
        form = request.headers.get("content-type", "").startswith(FORM)
        replaced = {"cookie", "x-syno-token", "content-length"} if form else {"cookie", "x-syno-token"}
        headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() not in replaced]
        headers.append(("Cookie", f"id={sid}"))
        if self._synotoken:
            headers.append(("X-SYNO-TOKEN", self._synotoken))
        if not form:
            return httpx.Request(request.method, request.url, headers=headers, stream=request.stream)
        content = request.content
        content += f"{'&' if content else ''}_sid={quote(sid, safe='')}".encode("ascii")
        return httpx.Request(request.method, request.url, headers=headers, content=content)

    def is_lost(self, response: httpx.Response) -> bool:
        """106, 107, 119; and 105 to a session that has had replies before (the NAS restarted)."""
        code = error_code(response)
        sent = _sid_of(response.request)
        if code in SESSION_LOST_CODES:
            return True
        if code == RESTART_CODE:
            return sent is not None and sent == self._proven
        self._proven = sent
        return False

    def logout(self) -> Flow[None]:
        """End the session (the request goes out in it: without the sid DSM would keep it alive)."""
        api = self._require_api()
        fields = [("api", AUTH), ("version", str(api.version)), ("method", "logout"), ("session", SESSION_NAME)]
        response = yield form_request(webapi_url(self.base_url, api.path), fields)
        self._sid = self._synotoken = None
        unwrap(response, AUTH)

    def _require_api(self) -> ApiEntry:
        if self.api is None:
            raise ProtocolError("the login was attempted before SYNO.API.Info said where it lives")
        return self.api

    def _login_fields(self, version: int) -> list[tuple[str, str]]:
        fields = [
            ("api", AUTH),
            ("version", str(version)),
            ("method", "login"),
            ("account", self._username or ""),
            ("passwd", self._password or ""),
            ("session", SESSION_NAME),
            ("format", "sid"),
        ]
        if version >= 3:
            fields.append(("enable_syno_token", "yes"))
        if self._otp_code:
            fields.append(("otp_code", self._otp_code))
            if version >= _DEVICE_TOKEN_VERSION:
                fields += [("enable_device_token", "yes"), ("device_name", self.device_name)]
        elif self.device_token and version >= _DEVICE_TOKEN_VERSION:
            fields += [("device_id", self.device_token), ("device_name", self.device_name)]
        return fields


def _sid_of(request: httpx.Request) -> str | None:
    cookie: str = request.headers.get("cookie", "")
    for item in cookie.split(";"):
        name, _, value = item.strip().partition("=")
        if name == "id":
            return value
    return None


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None
