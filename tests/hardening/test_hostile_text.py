"""Text a server sends is carried as text: a lone surrogate (a JSON escape UTF-8 cannot carry) in any text
field becomes U+FFFD in the models, so listings serialize, through JSON, the bridge and the CLI."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import enunclic
from enunclic.bridge.framing import encode
from enunclic.cli.render import COLUMNS, details_table, files_table, peers_table, torrent_table, trackers_table
from enunclic.models import Peer, ServerInfo, Torrent, TorrentFile, Tracker

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
