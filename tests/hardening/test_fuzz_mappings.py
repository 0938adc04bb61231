"""Property: every native -> model mapping, fed any value in any field, gives a model or a typed error.

The mappings run inside the drivers' boundary (the code that turns a stray KeyError or
ValidationError from parsing into ProtocolError), exactly as a flow runs them: only an
:class:`~enunclic.EnunclicError` may come out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from enunclic import EnunclicError
from enunclic.backends.deluge import mapping as dl
from enunclic.backends.qbittorrent import mapping as qb
from enunclic.backends.rtorrent import mapping as rt
from enunclic.backends.synology import mapping as syno
from enunclic.backends.transmission import mapping as tr
from enunclic.backends.transmission.api import snake_keys
from enunclic.drivers import SyncDriver
from enunclic.flows import Call, Flow

from .natives import deluge_status, qbittorrent_torrent, rtorrent_row, synology_task, transmission_torrent
from .strategies import any_value, mutated_mapping, mutated_row, xmlrpc_value

FUZZ = settings(max_examples=60, deadline=None)
#: Field values: anything JSON can carry, Infinity and out-of-range dates included .
NUMBERS = any_value


def through_boundary(mapping: Callable[..., Any], *args: Any) -> None:
    """Run ``mapping`` inside a flow, through a driver; the result or an EnunclicError, nothing else."""

    def flow() -> Flow[Any]:
        yield from ()
        return mapping(*args)

    try:
        _DRIVER.run(Call("fuzz", flow()))
    except EnunclicError:
        pass


#: Sends nothing: the flows above never yield a request.
_DRIVER = SyncDriver(httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(500))), "fuzz")


# -- Transmission --------------------------------------------------------------------------------

TR_TORRENT = transmission_torrent(7)


@FUZZ
@given(mutated_mapping(TR_TORRENT, NUMBERS))
def test_transmission_torrent(raw: Any) -> None:
    through_boundary(lambda: tr.to_torrent(snake_keys(raw)))


TR_FILE = {"name": "a/b.iso", "length": 1000, "bytesCompleted": 10}
TR_STATS = {"bytesCompleted": 10, "wanted": True, "priority": 0}
TR_TRACKER = {
    "announce": "http://t/a",
    "announceState": 1,
    "hasAnnounced": True,
    "lastAnnounceSucceeded": True,
    "seederCount": 3,
    "leecherCount": 1,
    "lastAnnounceResult": "Success",
}
TR_PEER = {
    "address": "10.0.0.1",
    "port": 51413,
    "clientName": "qB",
    "progress": 0.5,
    "rateToClient": 1,
    "rateToPeer": 9,
}


@FUZZ
@given(
    st.integers(0, 10),
    mutated_mapping(TR_FILE, NUMBERS),
    mutated_mapping(TR_STATS, NUMBERS),
    mutated_mapping(TR_TRACKER, NUMBERS),
    mutated_mapping(TR_PEER, NUMBERS),
)
def test_transmission_files_trackers_peers(index: int, info: Any, stats: Any, tracker: Any, peer: Any) -> None:
    through_boundary(lambda: tr.to_file(index, snake_keys(info), snake_keys(stats)))
    through_boundary(lambda: tr.to_tracker(snake_keys(tracker)))
    through_boundary(lambda: tr.to_peer(snake_keys(peer)))


# -- qBittorrent --------------------------------------------------------------------------------------

QB_TORRENT = qbittorrent_torrent(7)


@FUZZ
@given(mutated_mapping(QB_TORRENT, NUMBERS))
def test_qbittorrent_torrent(raw: Any) -> None:
    through_boundary(qb.to_torrent, raw)


QB_FILE = {"index": 0, "name": "a/b.iso", "size": 1000, "progress": 0.5, "priority": 1}
QB_TRACKER = {"url": "http://t/a", "status": 2, "num_seeds": 3, "num_leeches": 1, "msg": ""}
QB_PEER = {"client": "qB", "progress": 0.5, "dl_speed": 1, "up_speed": 2}


@FUZZ
@given(
    st.integers(0, 10),
    mutated_mapping(QB_FILE, NUMBERS),
    mutated_mapping(QB_TRACKER, NUMBERS),
    mutated_mapping(QB_PEER, NUMBERS),
    st.text(max_size=30),
)
def test_qbittorrent_files_trackers_peers(index: int, file: Any, tracker: Any, peer: Any, key: str) -> None:
    through_boundary(qb.to_file, index, file)
    through_boundary(lambda: [qb.to_tracker(tracker) for _ in range(1) if not qb.is_pseudo_tracker(tracker)])
    through_boundary(qb.to_peer, key, peer)


# -- rTorrent -------------------------------------------------------------------------------------------

RT_ROW = rtorrent_row(7)
RT_FILE = ["a/b.iso", 1000, 1, 3, 4]
RT_TRACKER = ["http://t/a", 1, 0, 3, 0, 10, 2]
RT_PEER = ["10.0.0.1", 51413, "qB 4.5", 50, 1, 2]


@FUZZ
@given(mutated_row(RT_ROW, xmlrpc_value))
def test_rtorrent_torrent(row: Any) -> None:
    through_boundary(rt.to_torrent, row)


@FUZZ
@given(
    st.integers(0, 10),
    mutated_row(RT_FILE, xmlrpc_value),
    xmlrpc_value,
    mutated_row(RT_TRACKER, xmlrpc_value),
    mutated_row(RT_PEER, xmlrpc_value),
)
def test_rtorrent_files_trackers_peers(index: int, file: Any, chunk: Any, tracker: Any, peer: Any) -> None:
    through_boundary(rt.to_file, index, file, chunk if isinstance(chunk, int) else 16384)
    through_boundary(rt.to_tracker, tracker)
    through_boundary(rt.to_peer, peer)


# -- Synology ---------------------------------------------------------------------------------------------

SYNO_TASK = synology_task(7)


@st.composite
def synology_tasks(draw: st.DrawFn) -> Any:
    task = draw(mutated_mapping(SYNO_TASK))
    if isinstance(task, dict) and isinstance(task.get("additional"), dict):
        additional = dict(task["additional"])
        for section in ("detail", "transfer"):
            if isinstance(additional.get(section), dict):
                additional[section] = draw(mutated_mapping(additional[section]))
        task["additional"] = additional
    return task


SYNO_FILE = {"filename": "a.iso", "size": 1000, "size_downloaded": 10, "priority": "normal", "wanted": True}
SYNO_TRACKER = {"url": "http://t/a", "status": "Success", "seeds": 3, "peers": 1}
SYNO_PEER = {"address": "10.0.0.1:1", "agent": "qB", "progress": 0.5, "speed_download": 1, "speed_upload": 2}


@FUZZ
@given(synology_tasks(), st.none() | st.text(max_size=40))
def test_synology_task(task: Any, known_hash: str | None) -> None:
    through_boundary(syno.map_task, task, known_hash)


@FUZZ
@given(st.integers(0, 10), mutated_mapping(SYNO_FILE), mutated_mapping(SYNO_TRACKER), mutated_mapping(SYNO_PEER))
def test_synology_files_trackers_peers(index: int, file: Any, tracker: Any, peer: Any) -> None:
    through_boundary(syno.map_file, file, index)
    through_boundary(syno.map_tracker, tracker)
    through_boundary(syno.map_peer, peer)


# -- Deluge -----------------------------------------------------------------------------------------------

DL_FILES: dict[str, Any] = {
    "files": [{"index": 0, "path": "a/b.iso", "size": 1000, "offset": 0}],
    "file_progress": [0.5],
    "file_priorities": [4],
}
DL_TRACKER = {
    "url": "http://t/a",
    "fails": 0,
    "verified": True,
    "updating": False,
    "message": "",
    "scrape_complete": 3,
    "scrape_incomplete": 1,
    "last_error": {"value": 0},
}
DL_PEER = {"ip": "10.0.0.1:51413", "client": "qB", "progress": 0.5, "down_speed": 1, "up_speed": 2}


@FUZZ
@given(st.text(max_size=42), mutated_mapping(deluge_status(7), NUMBERS))
def test_deluge_torrent(info_hash: str, status: Any) -> None:
    through_boundary(dl.to_torrent, info_hash, status)


@st.composite
def deluge_files(draw: st.DrawFn) -> Any:
    status = draw(mutated_mapping(DL_FILES, NUMBERS))
    if isinstance(status, dict) and isinstance(status.get("files"), list):
        status["files"] = [draw(mutated_mapping(DL_FILES["files"][0], NUMBERS)) for _ in range(draw(st.integers(0, 2)))]
    return status


@FUZZ
@given(deluge_files(), mutated_mapping(DL_TRACKER, NUMBERS), mutated_mapping(DL_PEER, NUMBERS))
def test_deluge_files_trackers_peers(files: Any, tracker: Any, peer: Any) -> None:
    through_boundary(dl.to_files, files)
    through_boundary(dl.to_tracker, tracker)
    through_boundary(dl.to_peer, peer)
