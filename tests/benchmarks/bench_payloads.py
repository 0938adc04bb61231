"""Listing replies of N generated torrents per backend, and clients that receive them with no network.

The bodies are what each server sends for enunclic's own listing request (same fields,
same framing), so the floor (``json.loads`` of the very same bytes) and the peers'
parsing can be measured on identical input.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import httpx

import enunclic
from enunclic.backends.synology.options import SynologyOptions
from tests.hardening.fakes import Target, make_target
from tests.hardening.natives import (
    deluge_status,
    info_hash,
    qbittorrent_torrent,
    rtorrent_row,
    rtorrent_rows_reply,
    synology_task,
    transmission_torrent,
)

__all__ = ["BACKENDS", "Listing", "listing"]

BACKENDS = ("transmission", "qbittorrent", "rtorrent", "deluge", "synology")

#: Download Station's default page size in the backend.
SYNOLOGY_PAGE: int = SynologyOptions.model_fields["page_size"].default
_DS_TASK = "SYNO.DownloadStation.Task"
_FORM = "application/x-www-form-urlencoded"


@dataclass
class Listing:
    """A logged-in client whose listing requests are answered with canned bodies."""

    backend: str
    count: int
    #: The reply bodies one ``torrents()`` receives, in order (Download Station pages).
    bodies: list[bytes]
    target: Target
    client: enunclic.Client = field(init=False)

    def __post_init__(self) -> None:
        server = self.target.server
        pages = {i * SYNOLOGY_PAGE: body for i, body in enumerate(self.bodies)}

        def handle(request: httpx.Request) -> httpx.Response:
            # The server's own CPU time is counted with the client's here: it reads a request once.
            if self.backend == "synology":
                form = parse_qs(request.content.decode()) if request.headers.get("content-type") == _FORM else {}
                if form.get("api") != [_DS_TASK] or form.get("method") != ["list"]:
                    return server(request)
                offset = int(form.get("offset", ["0"])[0])
                return httpx.Response(200, content=pages.get(offset, _dsm_page([], offset, self.count)))
            if not self.target.is_list(request):
                return server(request)
            return httpx.Response(200, content=self.bodies[0])

        # httpx's own mock transport, not the fault-injecting test wire: its bookkeeping (request
        # logs, a second response per request) is not something a user pays.
        target = self.target
        self.client = enunclic.connect(target.url, transport=httpx.MockTransport(handle), **target.options)
        self.client.info()  # log in and discover: the benchmark measures listing only

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.bodies)

    def close(self) -> None:
        self.client.close()


def _dsm_page(tasks: list[dict[str, object]], offset: int, total: int) -> bytes:
    envelope = {"success": True, "data": {"offset": offset, "total": total, "tasks": tasks}}
    return json.dumps(envelope, separators=(",", ":")).encode()


def bodies(backend: str, count: int) -> list[bytes]:
    """The reply bodies (compact JSON as the daemons write it, or XML-RPC) for ``count`` torrents."""
    if backend == "transmission":
        torrents = [transmission_torrent(i) for i in range(count)]
        reply = {"arguments": {"torrents": torrents}, "result": "success"}
        return [json.dumps(reply, separators=(",", ":")).encode()]
    if backend == "qbittorrent":
        return [json.dumps([qbittorrent_torrent(i) for i in range(count)], separators=(",", ":")).encode()]
    if backend == "rtorrent":
        return [rtorrent_rows_reply([rtorrent_row(i) for i in range(count)])]
    if backend == "deluge":
        statuses = {info_hash(i): deluge_status(i) for i in range(count)}
        ui = {"connected": True, "torrents": statuses, "filters": {}, "stats": {}}  # web.update_ui
        return [json.dumps({"result": ui, "error": None, "id": 1}, separators=(",", ":")).encode()]
    if backend == "synology":
        tasks = [synology_task(i) for i in range(count)]
        return [_dsm_page(tasks[o : o + SYNOLOGY_PAGE], o, count) for o in range(0, count, SYNOLOGY_PAGE)]
    raise ValueError(backend)


def listing(backend: str, count: int) -> Listing:
    """A client of ``backend`` that receives ``count`` generated torrents when it lists."""
    return Listing(backend, count, bodies(backend, count), make_target(backend, 0))
