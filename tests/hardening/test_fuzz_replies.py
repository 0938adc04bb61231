"""Property: whatever a server answers to a listing, a client returns torrents or raises a typed error.

Replies go through the real flows of each backend (sync client, in-process wire); the
same client keeps working after every bad reply.
"""

from __future__ import annotations

import json
from base64 import b64encode
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import enunclic
from enunclic import EnunclicError, Torrent

from .fakes import Target, make_target
from .natives import deluge_status, info_hash, qbittorrent_torrent, rtorrent_row, synology_task, transmission_torrent
from .strategies import any_value, json_values, mutated_mapping, mutated_row, xmlrpc_value

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Field values: anything JSON can carry, Infinity and out-of-range dates included .
NUMBERS = any_value


class Scripted:
    """A target whose listing replies are replaced by the test's body (None: the real reply)."""

    def __init__(self, backend: str) -> None:
        self.target: Target = make_target(backend, 3)
        self.body: bytes | None = None
        server = self.target.server
        self.target.wire.handler = self._handle
        self._server = server
        self.client = self.target.connect()
        self.client.torrents()  # log in once; the session survives every example

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if self.body is not None and self.target.is_list(request):
            return httpx.Response(200, content=self.body)
        return self._server(request)

    def check(self, body: bytes, *, poll: bool = False) -> None:
        self.body = body
        try:
            result = self.client.poll() if poll else self.client.torrents()
        except EnunclicError:
            pass
        else:
            items = [*result.added, *result.changed] if poll else result
            assert all(isinstance(t, Torrent) for t in items)
        finally:
            self.body = None
        assert len(self.client.torrents()) == 3  # still usable, and not fooled by the bad reply


_scripted: dict[str, Scripted] = {}


def scripted(backend: str) -> Scripted:
    if backend not in _scripted:
        _scripted[backend] = Scripted(backend)
    return _scripted[backend]


def teardown_module() -> None:
    for item in _scripted.values():
        item.client.close()
    _scripted.clear()


def _json(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


# -- JSON backends -------------------------------------------------------------------------------------


@FUZZ
@given(st.lists(mutated_mapping(transmission_torrent(1), NUMBERS), max_size=3), st.integers(0, 9), json_values)
def test_transmission_lists(torrents: list[Any], shape: int, other: Any) -> None:
    if shape == 0:
        body: Any = other
    elif shape == 1:
        body = {"result": other, "arguments": {"torrents": torrents}}
    elif shape == 2:
        body = {"result": "success", "arguments": other}
    else:
        body = {"result": "success", "arguments": {"torrents": torrents, "removed": other}}
    scripted("transmission").check(_json(body))


@FUZZ
@given(st.lists(mutated_mapping(qbittorrent_torrent(1), NUMBERS), max_size=3), st.booleans(), json_values)
def test_qbittorrent_lists(torrents: list[Any], whole: bool, other: Any) -> None:
    scripted("qbittorrent").check(_json(other if whole else torrents))


@st.composite
def maindata(draw: st.DrawFn) -> Any:
    keys = st.sampled_from([info_hash(0), info_hash(9), "x", ""])
    torrents = {
        draw(keys): draw(mutated_mapping(qbittorrent_torrent(0), NUMBERS)) for _ in range(draw(st.integers(0, 3)))
    }
    reply = {
        "rid": draw(st.integers(0, 100) | st.sampled_from(["1", None, 1.5])),
        "full_update": draw(st.booleans() | any_value),
        "torrents": torrents,
        "torrents_removed": draw(st.lists(st.sampled_from([info_hash(1), "x"]), max_size=2) | json_values),
        "server_state": draw(st.dictionaries(st.text(max_size=5), NUMBERS, max_size=3)),
    }
    for key in draw(st.lists(st.sampled_from(sorted(reply)), unique=True, max_size=2)):
        del reply[key]
    return reply


@FUZZ
@given(maindata())
def test_qbittorrent_maindata(reply: Any) -> None:
    scripted("qbittorrent").check(_json(reply), poll=True)


@FUZZ
@given(st.lists(mutated_mapping(synology_task(1)), max_size=3), st.integers(0, 9), any_value)
def test_synology_lists(tasks: list[Any], shape: int, other: Any) -> None:
    if shape == 0:
        body: Any = other
    elif shape == 1:
        body = {"success": other, "data": {"tasks": tasks}}
    elif shape == 2:
        body = {"success": False, "error": other}
    else:
        body = {"success": True, "data": {"offset": 0, "total": other if shape == 3 else len(tasks), "tasks": tasks}}
    scripted("synology").check(_json(body))


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from([info_hash(0), info_hash(5), "", "x"]),
        mutated_mapping(deluge_status(1), NUMBERS),
        max_size=3,
    ),
    st.integers(0, 9),
    json_values,
)
def test_deluge_lists(statuses: dict[str, Any], shape: int, other: Any) -> None:
    ui = {"connected": True, "torrents": statuses, "filters": {}, "stats": {}}
    if shape == 0:
        body: Any = other
    elif shape == 1:
        body = {"result": ui, "error": other, "id": 1}
    elif shape == 2:
        body = {"result": other, "error": None, "id": 1}
    elif shape == 3:
        body = {"result": {**ui, "connected": other}, "error": None, "id": 1}
    elif shape == 4:
        body = {"result": {**ui, "torrents": other}, "error": None, "id": 1}
    else:
        body = {"result": ui, "error": None, "id": 1}
    scripted("deluge").check(_json(body))


# -- rTorrent (XML-RPC) -----------------------------------------------------------------------------------


def _xml(value: Any) -> str:
    if isinstance(value, bool):
        return f"<value><boolean>{int(value)}</boolean></value>"
    if isinstance(value, int):
        return f"<value><i8>{value}</i8></value>"
    if isinstance(value, float):
        return f"<value><double>{value!r}</double></value>"
    if isinstance(value, str):
        escaped = value.replace("&", "&amp;").replace("<", "&lt;")
        cleaned = "".join(c for c in escaped if c in "\t\n\r" or 0x20 <= ord(c) < 0xD800 or 0xE000 <= ord(c) < 0xFFFE)
        return f"<value><string>{cleaned}</string></value>"
    if isinstance(value, bytes):
        return f"<value><base64>{b64encode(value).decode()}</base64></value>"
    if isinstance(value, list):
        return "<value><array><data>" + "".join(_xml(v) for v in value) + "</data></array></value>"
    if isinstance(value, dict):
        members = "".join(f"<member><name>{k}</name>{_xml(v)}</member>" for k, v in value.items() if k.isalnum())
        return f"<value><struct>{members}</struct></value>"
    return "<value><nil/></value>"


@FUZZ
@given(st.lists(mutated_row(rtorrent_row(1), xmlrpc_value), max_size=3), st.booleans(), xmlrpc_value)
def test_rtorrent_lists(rows: list[Any], whole: bool, other: Any) -> None:
    value = _xml(other if whole else rows)
    body = f"<?xml version='1.0'?><methodResponse><params><param>{value}</param></params></methodResponse>"
    scripted("rtorrent").check(body.encode())


def test_the_fuzzed_clients_are_real_backends() -> None:
    """Guard: the fuzz targets above run the registered backends, not stand-ins."""
    for backend in ("transmission", "qbittorrent", "rtorrent", "deluge", "synology"):
        assert backend in enunclic.get_backends()
        assert scripted(backend).client.backend.name == backend
