"""Transmission's credentials: HTTP Basic on every request, and the CSRF session id it hands out with a 409.

A request with a missing or stale ``X-Transmission-Session-Id`` gets HTTP 409 carrying
the current id; the auth keeps it and sends the same request again with it. The id can
change at any time, so every request handles the 409, not only the first.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from enunclic.plugin import ProtocolError

__all__ = ["SESSION_HEADER", "TransmissionAuth"]

SESSION_HEADER = "X-Transmission-Session-Id"

#: Requests sent for one call at most: a 409 right after we sent the id it gave us means something is wrong.
_ATTEMPTS = 3


class TransmissionAuth(httpx.Auth):
    """Basic credentials (when given) and the session id, on every request; a 409 renews the id and resends."""

    def __init__(self, username: str | None, password: str | None) -> None:
        no_credentials = username is None and password is None
        self._basic = None if no_credentials else httpx.BasicAuth(username or "", password or "")
        self._session_id = ""

    def __repr__(self) -> str:  # never shows the credentials or the session id
        return f"<TransmissionAuth basic={self._basic is not None} session_id={'set' if self._session_id else 'none'}>"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._basic is not None:
            request = next(self._basic.auth_flow(request))  # sets the Authorization header
        for _ in range(_ATTEMPTS):
            if self._session_id:
                request.headers[SESSION_HEADER] = self._session_id
            response = yield request
            if response.status_code != 409:
                return
            session_id = response.headers.get(SESSION_HEADER, "")
            if not session_id:
                raise ProtocolError("HTTP 409 without an X-Transmission-Session-Id header: is this Transmission?")
            self._session_id = session_id
        raise ProtocolError("the server kept rejecting the session id it handed out (HTTP 409)", native_code=409)
