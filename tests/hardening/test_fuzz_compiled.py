"""Property: the one-pass listing path (bytes -> models in Rust) agrees with the ordinary one.

Each JSON backend reads a whole listing reply with its compiled mapping
(:mod:`enunclic.compiled`), and falls back to ``json.loads`` plus the same mapping object
by object when the reply does not have exactly the expected shape. Whatever the fields
hold, when the fast path answers, its torrents equal the ordinary path's; and the fast
path does answer for the replies the daemons really send.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enunclic import ProtocolError, Torrent
from enunclic.backends.deluge import mapping as dl
from enunclic.backends.qbittorrent import mapping as qb
from enunclic.backends.synology import mapping as syno
from enunclic.backends.transmission import mapping as tr
from enunclic.backends.transmission.api import Dialect, snake_keys

from .natives import deluge_status, info_hash, qbittorrent_torrent, synology_task, transmission_torrent
from .strategies import any_value, mutated_mapping

FUZZ = settings(max_examples=200, deadline=None)
KNOWN = {"dbid_1": "ab" * 20}  # Download Station: hashes recorded at upload


def _body(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


def _slow(read: Callable[[], list[Torrent]]) -> list[Torrent] | None:
    try:
        return read()
    except ProtocolError:
        return None


def _qb(items: list[Any]) -> tuple[list[Torrent] | None, list[Torrent] | None]:
    body = _body(items)
    return qb.TORRENT.many_json(body), _slow(lambda: [qb.to_torrent(t) for t in json.loads(body)])


def _transmission(items: list[Any]) -> tuple[list[Torrent] | None, list[Torrent] | None]:
    body = _body({"arguments": {"torrents": items}, "result": "success"})
    fast = tr.TORRENT[Dialect.LEGACY].many_json(body, ("arguments", "torrents"), checks={("result",): "success"})
    reply = snake_keys(json.loads(body))["arguments"]["torrents"]
    return fast, _slow(lambda: [tr.to_torrent(t) for t in reply])


def _deluge(items: list[Any]) -> tuple[list[Torrent] | None, list[Torrent] | None]:
    statuses = {}
    for i, status in enumerate(items):
        if isinstance(status, dict):
            status["hash"] = info_hash(i)  # deluge-web sends the hash it lists the torrent under
        statuses[info_hash(i)] = status
    body = _body({"result": {"connected": True, "torrents": statuses}, "error": None, "id": 1})
    fast = dl.TORRENT.many_json(body, ("result", "torrents"), keyed=True, checks={("result", "connected"): True})
    reply = json.loads(body)["result"]["torrents"]
    return fast, _slow(lambda: [dl.to_torrent(h, s) for h, s in reply.items()])


def _synology(items: list[Any]) -> tuple[list[Torrent] | None, list[Torrent] | None]:
    body = _body({"success": True, "data": {"offset": 0, "total": len(items), "tasks": items}})
    fast = syno.TASK_MODEL.many_json(body, ("data", "tasks"), checks={("success",): True})
    tasks = json.loads(body)["data"]["tasks"]
    slow = _slow(lambda: [syno.map_task(t, _known(t)) for t in tasks])
    return None if fast is None else syno.with_known_hashes(fast, KNOWN), slow


def _known(task: Any) -> str | None:
    task_id = task.get("id") if isinstance(task, dict) else None
    return KNOWN.get(task_id) if isinstance(task_id, str) else None


READERS: dict[str, tuple[Callable[[list[Any]], tuple[Any, Any]], Callable[[int], dict[str, Any]]]] = {
    "qbittorrent": (_qb, qbittorrent_torrent),
    "transmission": (_transmission, transmission_torrent),
    "deluge": (_deluge, deluge_status),
    "synology": (_synology, synology_task),
}


@pytest.mark.parametrize("backend", READERS)
def test_the_fast_path_reads_what_the_daemons_send(backend: str) -> None:
    read, native = READERS[backend]
    fast, slow = read([native(i) for i in range(30)])
    assert fast is not None, "the one-pass path fell back on an ordinary reply"
    assert fast == slow
    assert all(type(t) is Torrent for t in fast)


@pytest.mark.parametrize("backend", READERS)
@FUZZ
@given(data=st.data())
def test_when_the_fast_path_answers_it_agrees(backend: str, data: st.DataObject) -> None:
    read, native = READERS[backend]
    items = [data.draw(mutated_mapping(native(i), any_value)) for i in range(data.draw(st.integers(1, 3)))]
    fast, slow = read(items)
    if fast is not None:
        assert slow is not None
        # The ordinary Transmission path renames keys everywhere in a reply, even inside a
        # garbage status object or list; the text of such a status is all that may differ.
        odd = {
            i for i, item in enumerate(items) if isinstance(item, dict) and isinstance(item.get("status"), (dict, list))
        }
        skip = {"native_state"} if backend == "transmission" else set()
        for i, (one, other) in enumerate(zip(fast, slow, strict=True)):
            assert one.model_dump(exclude=skip if i in odd else set()) == other.model_dump(
                exclude=skip if i in odd else set()
            )
