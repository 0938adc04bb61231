"""A fake deluge-web for the channel and request-shape tests (httpx.MockTransport, no network): sessions by
cookie, one daemon connection, and the few methods the tests call, each call recorded with its params."""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx

import enunclic

PASSWORD = "web-s3cret"
KNOWN = "955a07e8911c4ef415623b139674d985b8be0969"
UNKNOWN = "f" * 40
#: The info-hash every add answers.
ADDED = "a" * 40
LOGIN_PAGE = b'<!DOCTYPE html><html><form><input type="password" name="pw"></form></html>'


class FakeWeb:
    """deluge-web as far as the channel needs: sessions by cookie, one daemon connection, a few methods."""

    def __init__(self) -> None:
        self.sessions: set[str] = set()
        self.connected = False
        self.plugins = ["Label"]
        self.torrents: dict[str, dict[str, Any]] = {KNOWN: {"name": "x.bin", "state": "Seeding"}}
        #: (method, session cookie) of every call, in order.
        self.calls: list[tuple[str, str | None]] = []
        #: (method, params) of every call to the daemon, in order.
        self.sent: list[tuple[str, list[Any]]] = []
        #: What core.get_torrent_status answers, whatever the id and keys.
        self.status: dict[str, Any] = {}
        #: Every call gets this reply instead (an HTTP status and a body), when set.
        self.broken: tuple[int, bytes] | None = None
        #: Methods answered with "not authenticated" even in a valid session.
        self.refused: set[str] = set()
        #: Methods that never answer (the transport times out); with True, deluge-web loses its daemon first.
        self.hanging: dict[str, bool] = {}

    def logins(self) -> int:
        return sum(method == "auth.login" for method, _ in self.calls)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        call = json.loads(request.content)
        method, params = call["method"], call["params"]
        session = request.headers.get("cookie", "").removeprefix("_session_id=") or None
        self.calls.append((method, session))
        if self.broken is not None:
            return httpx.Response(self.broken[0], content=self.broken[1])
        if method in self.hanging:
            if self.hanging.pop(method):
                self.connected = False
            raise httpx.ReadTimeout("no reply", request=request)
        if method == "auth.login":
            if params != [PASSWORD]:
                return _reply(False)
            token = secrets.token_hex(8)
            self.sessions.add(token)
            return _reply(True, headers={"set-cookie": f"_session_id={token}; Path=/"})
        if session not in self.sessions or method in self.refused:
            return _error(1, "Not authenticated")
        if method.startswith(("web.", "auth.")):
            return _reply(self._web(method, session))
        if not self.connected or (method.startswith("label.") and "Label" not in self.plugins):
            return _error(2, "Unknown method")
        return self._daemon(method, params)

    def _web(self, method: str, session: str) -> Any:
        if method == "web.connect":
            self.connected = True
            return ["core.get_torrents_status"]
        if method == "auth.delete_session":
            self.sessions.discard(session)
        return {
            "web.get_hosts": [["h1", "127.0.0.1", 58846, "localclient"]],
            "web.connected": self.connected,
            "web.get_host_status": ["h1", "Connected" if self.connected else "Online", "2.2.0"],
            "web.update_ui": {"connected": self.connected, "torrents": self.torrents if self.connected else None},
            "auth.delete_session": True,
        }[method]

    def _daemon(self, method: str, params: list[Any]) -> httpx.Response:
        self.sent.append((method, params))
        if method in ("core.pause_torrents", "core.resume_torrents"):
            ids = params[0] if params and params[0] else list(self.torrents)  # none: every torrent, as Deluge 2
            unknown = [i for i in ids if i not in self.torrents]
            if unknown:
                return _error(
                    4, f"Failure: [<class 'deluge.error.InvalidTorrentError'>: torrent_id {unknown[0]} not in session.]"
                )
            for i in ids:
                self.torrents[i]["state"] = "Paused" if method == "core.pause_torrents" else "Seeding"
            return _reply(None)
        if method == "core.remove_torrents":
            return _reply(
                [[i, f"torrent_id {i} not in session."] for i in params[0] if self.torrents.pop(i, None) is None]
            )
        if method == "core.get_torrents_status":
            return _reply({i: {"name": t["name"]} for i, t in self.torrents.items() if i in params[0]["id"]})
        return _reply(
            {
                "core.get_enabled_plugins": self.plugins,
                "daemon.get_version": "2.2.0",
                "core.get_libtorrent_version": "2.0.8.0",
                "label.add": None,
                "label.set_torrent": None,
                "core.add_torrent_file": ADDED,
                "core.add_torrent_magnet": ADDED,
                "core.add_torrent_url": ADDED,
                "core.get_torrent_status": self.status,
            }[method]
        )


def _reply(result: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(200, json={"result": result, "error": None, "id": 1}, headers=headers)


def _error(code: int, message: str) -> httpx.Response:
    return httpx.Response(200, json={"result": None, "error": {"message": message, "code": code}, "id": 1})


def connect(web: FakeWeb, **options: Any) -> enunclic.Client:
    """A client of ``web``; ``options`` are connect()'s."""
    return enunclic.connect(
        "deluge://127.0.0.1:8112", **{"password": PASSWORD, **options}, transport=httpx.MockTransport(web)
    )
