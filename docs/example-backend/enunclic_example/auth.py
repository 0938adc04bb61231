"""Logging in to the Example server: a JSON login that sets a session cookie.

The core keeps the cookie and sends it with every later request of the client; this
class says only how to log in and how the server says the session is gone. That server
answers HTTP 401 both to a wrong password at login and to a request whose session
ended, so 401 is one of the backend's ``protocol_statuses``: it reaches this class
instead of becoming the core's AuthenticationError, and a lost session is renewed.
"""

from __future__ import annotations

import httpx

from enunclic.plugin import AuthenticationError, Flow, SessionAuth

from . import api

__all__ = ["ExampleAuth"]

#: The server's "log in first": at login, wrong credentials; after it, a session that ended.
UNAUTHORIZED = 401


class ExampleAuth(SessionAuth):
    """One login per client, renewed once when the server has forgotten the session."""

    def __init__(self, base: str, username: str | None, password: str | None) -> None:
        super().__init__()
        self._base = base
        self._username = username or ""
        self._password = password or ""

    def login(self) -> Flow[None]:
        response = yield api.login(self._base, self._username, self._password)
        if response.status_code == UNAUTHORIZED:
            raise AuthenticationError("the server refused the username or password", native_code=UNAUTHORIZED)
        api.result(response)

    def is_lost(self, response: httpx.Response) -> bool:
        return response.status_code == UNAUTHORIZED

    def logout(self) -> Flow[None]:
        yield api.logout(self._base)
