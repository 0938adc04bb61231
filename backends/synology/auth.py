"""Login and logout on ``SYNO.API.Auth``, with 2-step verification and device tokens.

The password travels only in a form POST body. A 2FA account logs in once with
``otp_code=``; the login asks for a device token (``enable_device_token=yes``) and
DSM returns it as ``did`` (Auth v6) or ``device_id`` (v7). Every later login —
including the silent re-login after a session loss — sends that token instead of
the (spent) one-time code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from enunclic import AuthenticationError, Flow, ProtocolError

from .api import Credentials, form_request, unwrap, webapi_url
from .discovery import AUTH, ApiEntry

__all__ = ["SESSION_NAME", "Authenticator"]

#: The session name the PDF requires for Download Station APIs.
SESSION_NAME: Final = "DownloadStation"

# DSM 7 answers this placeholder as synotoken unless enable_syno_token=yes was honoured.
_NO_TOKEN: Final = frozenset({"", "--------"})

#: Device tokens exist from Auth version 6 on.
_DEVICE_TOKEN_VERSION: Final = 6


class Authenticator:
    """Holds the login secrets of one client and builds its login/logout flows."""

    def __init__(
        self,
        username: str | None,
        password: str | None,
        *,
        otp_code: str | None,
        device_token: str | None,
        device_name: str,
    ) -> None:
        self._username = username
        self._password = password
        self._otp_code = otp_code
        self.device_token = device_token
        self.device_name = device_name

    def __repr__(self) -> str:
        return f"<Authenticator user={self._username!r}>"

    def _fields(self, version: int) -> list[tuple[str, str]]:
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

    def login(self, base_url: str, auth: ApiEntry) -> Flow[Credentials]:
        """POST the login form; return the new session, keep any device token DSM issued."""
        if not self._username or self._password is None:
            raise AuthenticationError("Download Station needs a username and a password")
        response = yield form_request(webapi_url(base_url, auth.path), self._fields(auth.version))
        data = unwrap(response, AUTH)
        if not isinstance(data, Mapping) or not isinstance(data.get("sid"), str) or not data["sid"]:
            raise ProtocolError("the login reply has no session id")
        # The code is one-time: a later re-login must use the device token (or fail with 403).
        self._otp_code = None
        token = _text(data, "did") or _text(data, "device_id")
        if token:
            self.device_token = token
        synotoken = _text(data, "synotoken")
        return Credentials(sid=data["sid"], synotoken=None if synotoken in _NO_TOKEN else synotoken)

    def logout(self, base_url: str, auth: ApiEntry, credentials: Credentials) -> Flow[None]:
        """End the session; without the sid DSM would answer success and keep it alive."""
        fields = [("api", AUTH), ("version", str(auth.version)), ("method", "logout"), ("session", SESSION_NAME)]
        response = yield form_request(webapi_url(base_url, auth.path), fields, credentials)
        unwrap(response, AUTH)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None
