"""Limit changes in the core: a limit left out is kept, None removes one, bad input is refused before any request.

Run on the memory test backend (sync and async), whose server sets only the directions it is sent,
as every real server's API allows.
"""

from __future__ import annotations

from typing import Any

import pytest
from enunclic_memory import MemoryServer

import enunclic
from enunclic import KEEP, InvalidInputError, Keep
from enunclic.plugin import changed_limits
from enunclic.testing.torrents import make_test_torrent

MIB = 1024 * 1024


def test_keep_is_one_public_value_with_a_readable_repr() -> None:
    assert list(Keep) == [KEEP]
    assert repr(KEEP) == "enunclic.KEEP"
    assert enunclic.KEEP is KEEP and enunclic.Keep is Keep


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        ({"down": 5, "up": KEEP}, {"down": 5}),
        ({"down": KEEP, "up": None}, {"up": None}),
        ({"down": None, "up": 0}, {"down": None, "up": 0}),
        ({"down": KEEP, "up": KEEP}, {}),
    ],
)
def test_changed_limits_leaves_out_what_is_kept(limits: dict[str, Any], expected: dict[str, Any]) -> None:
    assert changed_limits(**limits) == expected


def test_a_limit_left_out_is_kept(memory_client: Any, memory_server: MemoryServer) -> None:
    memory_client.set_limits(download=MIB, upload=2 * MIB)
    memory_client.set_limits(download=3 * MIB)
    stats = memory_client.stats()
    assert (stats.download_limit, stats.upload_limit) == (3 * MIB, 2 * MIB)
    memory_client.set_limits(upload=None)
    stats = memory_client.stats()
    assert (stats.download_limit, stats.upload_limit) == (3 * MIB, None)
    assert memory_server.global_limits == {"down": 3 * MIB, "up": None}


def test_torrent_limits_are_kept_and_read_back_from_the_listing(
    memory_client: Any, memory_server: MemoryServer
) -> None:
    ids = [memory_client.add(make_test_torrent(memory_server.root, f"t{n}.bin").content).id for n in range(2)]
    memory_client.set_torrent_limits(ids, download=MIB)
    memory_client.set_torrent_limits(ids[0], upload=1024)
    listed = {t.id: (t.download_limit, t.upload_limit) for t in memory_client.torrents()}
    assert listed == {ids[0]: (MIB, 1024), ids[1]: (MIB, None)}
    memory_client.set_torrent_limits(ids, download=None)
    one = memory_client.torrent(ids[0])
    assert (one.download_limit, one.upload_limit) == (None, 1024)


def test_a_limit_change_is_a_changed_field_of_the_next_poll(memory_client: Any, memory_server: MemoryServer) -> None:
    tid = memory_client.add(make_test_torrent(memory_server.root, "polled.bin").content).id
    memory_client.poll()
    memory_client.set_torrent_limits(tid, upload=4096)
    delta = memory_client.poll()
    assert delta.changed_fields == {tid: frozenset({"upload_limit"})}
    assert delta.changed[0].upload_limit == 4096


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({}, "give a download or an upload limit"),
        ({"download": KEEP, "upload": KEEP}, "give a download or an upload limit"),
        ({"download": -1}, "an int >= 0"),
        ({"upload": 1.5}, "an int >= 0"),
        ({"download": True}, "an int >= 0"),
        ({"upload": "1m"}, "an int >= 0"),
        ({"download": 0}, "cannot hold a 0 B/s download limit"),
        ({"download": 5, "upload": 0}, "cannot hold a 0 B/s upload limit"),
    ],
)
def test_bad_limits_are_refused_before_any_request(
    memory_client: Any, memory_server: MemoryServer, limits: dict[str, Any], message: str
) -> None:
    for call in (memory_client.set_limits, lambda **kw: memory_client.set_torrent_limits(["t1"], **kw)):
        with pytest.raises(InvalidInputError, match=message) as caught:
            call(**limits)
        assert caught.value.backend == "memory"
    assert memory_server.requests == []
    assert memory_client.requests_sent == 0


def test_zero_is_sent_only_to_servers_that_hold_it(memory_client: Any, memory_server: MemoryServer) -> None:
    memory_client.backend.zero_limit = True  # as Transmission declares: an enabled 0 stops the transfer
    memory_client.set_limits(upload=0)
    assert memory_server.global_limits == {"down": None, "up": 0}
    assert memory_client.stats().upload_limit == 0


def test_no_torrents_send_nothing_but_bad_limits_are_still_refused(
    memory_client: Any, memory_server: MemoryServer
) -> None:
    memory_client.set_torrent_limits([], download=MIB)
    assert memory_server.requests == []
    with pytest.raises(InvalidInputError):
        memory_client.set_torrent_limits([])
