"""deluge-web's session: the web password, then deluge-web pointed at the wanted daemon.

``auth.login`` sets a ``_session_id`` cookie (kept by the core); deluge-web is then
connected to the daemon the options name: found in ``web.get_hosts`` (or added with
``web.add_host``) and connected with ``web.connect`` unless it already is. A reply with
code 1 (not authenticated) or 2 (unknown method: deluge-web has no daemon) does both again.
"""

from __future__ import annotations

import httpx
from pydantic import BaseModel, ConfigDict, Field

from enunclic.plugin import AuthenticationError, ConnectError, Flow, ProtocolError, SessionAuth

from .api import SESSION_COOKIE, JsonRpc, lost_session, parse_reply

__all__ = ["DelugeAuth", "DelugeOptions"]


class DelugeOptions(BaseModel):
    """Which daemon deluge-web should talk to.

    With no ``daemon_port``, the daemon deluge-web is already connected to is used (or
    its only host). With one, that host is found in deluge-web's list, or added with the
    daemon credentials, and connected.
    """

    model_config = ConfigDict(extra="forbid")

    daemon_host: str = "127.0.0.1"
    daemon_port: int | None = Field(default=None, ge=1, le=65535)
    daemon_username: str | None = None
    daemon_password: str | None = Field(default=None, repr=False)
    #: Every Nth ``poll()`` lists every key of every torrent instead of the ones that change (a safety
    #: net for the remembered ones: name, dates, tracker host).
    full_poll_every: int = Field(default=60, ge=1)


class DelugeAuth(SessionAuth):
    """A deluge-web session connected to the daemon of ``options``."""

    def __init__(self, rpc: JsonRpc, password: str | None, options: DelugeOptions) -> None:
        super().__init__()
        self._rpc = rpc
        self._password = password or ""
        self._options = options

    def login(self) -> Flow[None]:
        response = yield self._rpc.request("auth.login", self._password)
        if parse_reply(response, "auth.login") is not True:
            raise AuthenticationError("deluge-web refused the web password")
        if SESSION_COOKIE not in response.cookies:
            raise ProtocolError("deluge-web accepted the password but set no session cookie")
        yield from self._connect_daemon()

    def is_lost(self, response: httpx.Response) -> bool:
        return lost_session(response)

    def logout(self) -> Flow[None]:
        # Only this web session ends: deluge-web's daemon connection is shared with other users.
        yield from self._rpc.call("auth.delete_session")

    def _connect_daemon(self) -> Flow[None]:
        """Point deluge-web at the configured daemon (adding it to its host list if needed)."""
        rpc, options = self._rpc, self._options
        hosts = yield from rpc.call("web.get_hosts")
        if not isinstance(hosts, list) or not all(isinstance(h, list) and len(h) >= 4 for h in hosts):
            raise ProtocolError("web.get_hosts answered the wrong shape")
        if options.daemon_port is None:
            if (yield from rpc.call("web.connected")) is True:
                return
            if len(hosts) != 1:
                raise ConnectError(
                    f"deluge-web is not connected and lists {len(hosts)} daemons: "
                    "say which one with the daemon_host and daemon_port options"
                )
            host_id, where = str(hosts[0][0]), f"{hosts[0][1]}:{hosts[0][2]}"
        else:
            where = f"{options.daemon_host}:{options.daemon_port}"
            matches = [
                h
                for h in hosts
                if h[1] == options.daemon_host
                and h[2] == options.daemon_port
                and (options.daemon_username is None or h[3] == options.daemon_username)
            ]
            host_id = str(matches[0][0]) if matches else (yield from self._add_host(where))
        status = yield from rpc.call("web.get_host_status", host_id)
        if isinstance(status, list) and len(status) >= 2 and status[1] == "Connected":
            return
        methods = yield from rpc.call("web.connect", host_id)
        if isinstance(methods, list) and methods:
            return
        status = yield from rpc.call("web.get_host_status", host_id)
        state = status[1] if isinstance(status, list) and len(status) >= 2 else "unknown"
        if state == "Offline":
            raise ConnectError(f"the Deluge daemon at {where} is offline or refuses connections")
        raise ConnectError(
            f"deluge-web could not log in to the Deluge daemon at {where} (status {state!r}): "
            "check daemon_username and daemon_password"
        )

    def _add_host(self, where: str) -> Flow[str]:
        options = self._options
        if options.daemon_username is None or options.daemon_password is None:
            raise ConnectError(
                f"deluge-web does not list a daemon at {where}: give daemon_username and "
                "daemon_password so that it can be added"
            )
        added = yield from self._rpc.call(
            "web.add_host", options.daemon_host, options.daemon_port, options.daemon_username, options.daemon_password
        )
        if not (isinstance(added, list) and len(added) == 2 and added[0] is True and isinstance(added[1], str)):
            detail = added[1] if isinstance(added, list) and len(added) == 2 else added
            raise ConnectError(f"deluge-web would not add the daemon at {where}: {detail}")
        return added[1]
