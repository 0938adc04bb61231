"""Text a server sends is carried as text: a lone surrogate (a JSON escape UTF-8 cannot carry) in any text
field becomes U+FFFD in the models, so listings serialize, through JSON, the bridge and the CLI."""

from __future__ import annotations

import asyncio
import io
import json
import re
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

import enunclic
from enunclic.bridge.framing import encode
from enunclic.cli.render import COLUMNS, details_table, files_table, peers_table, torrent_table, trackers_table
from enunclic.models import Peer, ServerInfo, Torrent, TorrentFile, Tracker

from ..bridge.harness import Harness, memory_factory
from .fakes import make_target

#: Written by the fakes as text, sent on the wire as JSON escapes that name lone surrogates.
PLACEHOLDER = "evil@1@name@2@"
ESCAPES = ((b"@1@", b"\\ud800"), (b"@2@", b"\\udfff"))
CARRIED = "evil\ufffdname\ufffd"


@pytest.mark.parametrize("backend", ["transmission", "qbittorrent", "deluge"])
def test_a_lone_surrogate_in_a_listing_is_carried_as_text(backend: str) -> None:
    target = make_target(backend, 2)
    for native in target.server.torrents.values():  # type: ignore[attr-defined]
        native["name"] = PLACEHOLDER
        for key in ("errorString", "downloadDir", "save_path", "category", "download_location", "label"):
            if key in native:
                native[key] = PLACEHOLDER

    def hostile(request: httpx.Request) -> httpx.Response:
        reply = target.server(request)
        body = reply.content
        for mark, escape in ESCAPES:
            body = body.replace(mark, escape)
        return httpx.Response(reply.status_code, headers=reply.headers, content=body)

    url = target.url
    with enunclic.connect(url, transport=httpx.MockTransport(hostile), **target.options) as client:
        listed = client.torrents()
    assert len(listed) == 2
    for torrent in listed:
        # Carried with U+FFFD, or, where the mapping reads text strictly, its fallback (the id for a name).
        assert torrent.name in (CARRIED, torrent.id)
        assert "\ud800" not in torrent.model_dump_json()
        encode({"jsonrpc": "2.0", "id": 1, "result": json.loads(torrent.model_dump_json())}).decode("utf-8")


text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40)


@settings(max_examples=200, deadline=None)
@given(name=text, path=text, url=text, message=text, address=text)
def test_every_text_field_of_every_model_serializes(name: str, path: str, url: str, message: str, address: str) -> None:
    models = [
        Torrent(
            id="1",
            name=name,
            state="error",
            native_state=name,
            progress=0.5,
            label=name,
            destination=path,
            error=message,
        ),
        TorrentFile(index=0, path=path, size=1),
        Tracker(url=url, message=message),
        Peer(address=address, client=name),
        ServerInfo(backend="x", version=name, api_version=message),
    ]
    for model in models:
        dumped = model.model_dump_json()
        dumped.encode("utf-8")
        encode(json.loads(dumped))
    console = Console(record=True, width=200, file=io.StringIO())
    console.print(torrent_table([models[0]], list(COLUMNS)))
    console.print(details_table(models[0]))  # type: ignore[arg-type]
    console.print(trackers_table([models[2]]), peers_table([models[3]]), files_table([models[1]]))  # type: ignore[list-item]
    shown = console.export_text()
    shown.encode("utf-8")
    assert "\x1b" not in shown


# -- arbitrary text in every JSON backend's replies, through the library, the CLI and the bridge ------------

#: The backends with a fake in .fakes; rTorrent's XML carries only what XML allows (no surrogates, few controls).
BACKENDS = ("transmission", "qbittorrent", "deluge", "synology", "rtorrent")
#: Native text fields the fakes hold, per backend.
NATIVE_TEXT = {
    "transmission": ("name", "errorString", "downloadDir"),
    "qbittorrent": ("name", "save_path", "category"),
    "deluge": ("name", "download_location", "label", "message"),
    "rtorrent": ("d.name", "d.message", "d.custom1", "d.directory"),
}
#: Characters XML 1.0 can carry.
_XML_CHAR = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def _plant(target: Any, backend: str) -> None:
    """Put the placeholder in every text field of every native torrent the fake holds."""
    if backend == "synology":
        for task in target.server.sim.state.tasks.values():
            task.title = task.destination = PLACEHOLDER
        return
    for native in target.server.torrents.values():
        for key in NATIVE_TEXT[backend]:
            native[key] = PLACEHOLDER


def _replacing(handler: Any, text: str) -> httpx.MockTransport:
    """The fake's replies, each placeholder replaced by ``text`` (written as JSON escapes where needed)."""

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(PLACEHOLDER, text)
        if isinstance(value, list):
            return [swap(item) for item in value]
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        return value

    def hostile(request: httpx.Request) -> httpx.Response:
        reply = handler(request)
        headers = {k: v for k, v in reply.headers.items() if k.lower() not in ("content-length", "content-encoding")}
        if reply.content.lstrip().startswith(b"<"):  # XML-RPC: the text written as XML escapes it
            content = reply.content.replace(PLACEHOLDER.encode(), xml_escape(text).encode())
            return httpx.Response(reply.status_code, headers=headers, content=content)
        try:
            body = json.loads(reply.content)
        except ValueError:
            return reply
        return httpx.Response(reply.status_code, headers=headers, content=json.dumps(swap(body)).encode())

    return httpx.MockTransport(hostile)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=text.filter(lambda value: value.strip()))
def test_any_text_in_a_backends_replies_reaches_every_frontend(backend: str, text: str) -> None:
    if backend == "rtorrent":
        text = "".join(_XML_CHAR.findall(text)) or "x"
    target = make_target(backend, 2)
    _plant(target, backend)
    transport = _replacing(target.server, text)
    with enunclic.connect(target.url, transport=transport, **target.options) as client:
        listed = client.torrents()
        one = client.torrent(listed[0].id)
    assert len(listed) == 2
    console = Console(record=True, width=200, file=io.StringIO())
    console.print(torrent_table(listed, list(COLUMNS)), details_table(one))
    console.export_text().encode("utf-8")

    async def through_the_bridge() -> None:
        harness = Harness(memory_factory(lambda _url: transport))
        try:
            params = {"name": "s", "url": target.url, **target.options}
            assert (await harness.result("servers.add", params))["server"]["torrents"] == 2
            listing = await harness.result("torrents.list", {"server": "s"})
            assert listing["torrents"] if isinstance(listing, dict) else listing
            await harness.result("torrents.get", {"server": "s", "id": one.id})
            await harness.result("subscribe", {"server": "s", "interval": 0.05})
            await harness.wait_for(lambda: harness.notifications("torrents.delta"))
        finally:
            await harness.bridge.close()
        for line in harness.lines:  # every line the bridge wrote is UTF-8 JSON (the harness also checked schemas)
            json.loads(line.decode("utf-8"))

    asyncio.run(through_the_bridge())
