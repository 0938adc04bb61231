"""µTorrent's WebUI login: HTTP Basic on every request, plus the CSRF token of ``token.html``.

``token.html`` (fetched with Basic credentials) sets a ``GUID`` cookie, kept by the core's
jar, and holds the token every call carries as ``token=``. A token lasts 30 minutes, or
until µTorrent restarts (the TokenSystem wiki page); a stale one is answered 400, and the
core then fetches a new one once. A wrong password is a 401 to ``token.html`` itself, which
the core reports as AuthenticationError before any token is read.
"""

from __future__ import annotations

import base64
from typing import Final

import httpx

from enunclic.plugin import Flow, SessionAuth

from . import api
from .codes import STALE_TOKEN

__all__ = ["DEFAULT_USERNAME", "UTorrentAuth"]

#: The WebUI account µTorrent ships with (empty password), used when the URL names none.
DEFAULT_USERNAME: Final = "admin"


class UTorrentAuth(SessionAuth):
    """Basic credentials on every request, and the token of one ``token.html`` per session."""

    def __init__(self, base_url: str, username: str | None, password: str | None) -> None:
        super().__init__()
        self._base = base_url
        pair = f"{username or DEFAULT_USERNAME}:{password or ''}".encode()
        self._basic = "Basic " + base64.b64encode(pair).decode("ascii")
        self._token = ""

    def login(self) -> Flow[None]:
        # A login's requests bypass this auth: the Basic header is attached here.
        request = api.token_request(self._base)
        request.headers["Authorization"] = self._basic
        self._token = api.read_token((yield request))

    def apply(self, request: httpx.Request) -> httpx.Request:
        request.headers["Authorization"] = self._basic
        return api.with_token(request, self._token)

    def is_lost(self, response: httpx.Response) -> bool:
        return response.status_code == STALE_TOKEN
