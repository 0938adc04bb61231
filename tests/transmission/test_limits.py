"""Transmission's limits: K/s of ``units.speed-bytes`` bytes with on/off flags, kept when left out, read back.

Row by row against the mapping and the requests (respx), then on the real daemons (3.00 and 4.1),
where a limit change does not make a torrent "recently active" and must still reach ``poll()``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import respx

import enunclic
from enunclic.backends.transmission.api import LEGACY_TORRENT_FIELDS, Dialect
from enunclic.backends.transmission.mapping import quiet_of, speed_rate, torrent_mapping
from tests.daemons.transmission import TransmissionServer
from tests.limit_checks import check_global_limits_kept

from .test_transmission_rpc import URL, FakeTransmission

H1 = "1" * 40

#: (downloadLimited, downloadLimit, units.speed-bytes) -> download_limit in bytes/s.
ROWS = [
    (True, 100, 1000, 100_000),
    (True, 100, 1024, 102_400),
    (True, 100.0, 1000, 100_000),  # 4.1 writes session limits as floats: read either
    (True, 0, 1000, 0),  # an enabled 0 is a real limit: no transfer
    (False, 100, 1000, None),  # the flag, not the value, turns a limit off
    (None, 100, 1000, None),  # no flag: unknown, not a limit
    ("true", 100, 1000, None),
    (True, -1, 1000, None),
    (True, "100", 1000, None),
    (True, None, 1000, None),
]


def _raw(limited: Any, limit: Any, dialect: Dialect) -> dict[str, Any]:
    snake = {"hash_string": H1, "name": "x", "status": 6, "percent_done": 1.0, "upload_limited": False}
    if limited is not None:
        snake["download_limited"] = limited
    if limit is not None:
        snake["download_limit"] = limit
    if dialect is Dialect.JSONRPC:
        return snake
    return {LEGACY_TORRENT_FIELDS.get(k, k): v for k, v in snake.items()}


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize(("limited", "limit", "speed_bytes", "expected"), ROWS)
def test_torrent_limits_row_by_row(
    limited: Any, limit: Any, speed_bytes: int, expected: int | None, dialect: Dialect
) -> None:
    raw = _raw(limited, limit, dialect)
    mapping = torrent_mapping(dialect, speed_bytes)
    listed = mapping.many_json(json.dumps([raw]).encode())  # the listing's path, parsed in Rust
    assert listed is not None
    one = mapping.one(raw)
    assert listed[0].download_limit == one.download_limit == expected
    assert one.upload_limit is None


@pytest.mark.parametrize(("limited", "limit", "speed_bytes", "expected"), ROWS)
def test_the_light_poll_list_reads_limits_as_the_mapping_does(
    limited: Any, limit: Any, speed_bytes: int, expected: int | None
) -> None:
    raw = _raw(limited, limit, Dialect.JSONRPC)
    assert quiet_of(raw, speed_rate(speed_bytes))[2:4] == (expected, None)


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def _sent(fake: FakeTransmission, method: str) -> list[dict[str, Any]]:
    return [c["arguments"] for c in fake.calls if c["method"] == method]


@pytest.mark.parametrize("speed_bytes", [1000, 1024])
def test_only_the_limits_that_change_are_sent(mock: respx.MockRouter, speed_bytes: int) -> None:
    fake = FakeTransmission(speed_bytes=speed_bytes)
    mock.post(URL).mock(side_effect=fake)
    k = speed_bytes
    with enunclic.connect("transmission://127.0.0.1:9091", username="u", password="p") as client:
        client.set_limits(download=2 * k)
        client.set_limits(upload=None)
        client.set_limits(download=1, upload=0)  # 1 B/s is 1 K/s, never 0; an enabled 0 is no transfer
        client.set_torrent_limits(H1, upload=5 * k)
        client.set_torrent_limits([H1], download=None)
    assert _sent(fake, "session-set") == [
        {"speed-limit-down-enabled": True, "speed-limit-down": 2},
        {"speed-limit-up-enabled": False},
        {"speed-limit-down-enabled": True, "speed-limit-down": 1, "speed-limit-up-enabled": True, "speed-limit-up": 0},
    ]
    assert _sent(fake, "torrent-set") == [
        {"ids": [H1], "uploadLimited": True, "uploadLimit": 5},
        {"ids": [H1], "downloadLimited": False},
    ]


def test_a_limit_change_reaches_an_incremental_poll_though_the_torrent_is_not_active(mock: respx.MockRouter) -> None:
    torrent = {"id": 1, "hashString": H1, "name": "t", "status": 6, "percentDone": 1.0, "queuePosition": 0}
    torrent.update(downloadLimit=100, downloadLimited=False, uploadLimit=100, uploadLimited=False)
    fake = FakeTransmission(rpc_version=15)

    def torrent_get(arguments: dict[str, Any]) -> dict[str, Any]:
        if arguments.get("ids") == "recently-active":  # a limit change does not make a torrent active
            return {"torrents": [], "removed": []}
        return {"torrents": [{k: v for k, v in torrent.items() if k in arguments["fields"]}]}

    fake.replies["torrent-get"] = torrent_get
    mock.post(URL).mock(side_effect=fake)
    with enunclic.connect("transmission://127.0.0.1:9091", username="u", password="p") as client:
        assert [t.download_limit for t in client.poll().added] == [None]
        torrent.update(downloadLimited=True)
        delta = client.poll()
        assert delta.changed_fields == {H1: frozenset({"download_limit"})}
        assert delta.changed[0].download_limit == 100_000
        assert client.poll().empty


# -- the real daemons ------------------------------------------------------------------------


def _seeding(server: TransmissionServer, client: enunclic.Client, name: str) -> str:
    return client.add(server.make_torrent(name).content).id


@pytest.mark.daemon
def test_global_limits_are_kept_and_read_back(transmission: TransmissionServer, tr_client: enunclic.Client) -> None:
    check_global_limits_kept(tr_client, 100_000, 50_000)
    # On the wire: K/s of 1000 bytes on both versions (units.speed-bytes), each with its flag.
    session = transmission.rpc("session-get")
    assert session["units"]["speed-bytes"] == 1000
    assert (session["speed-limit-down"], session["speed-limit-down-enabled"]) == (100, False)
    assert (session["speed-limit-up"], session["speed-limit-up-enabled"]) == (50, True)
    tr_client.set_limits(upload=0)  # Transmission holds a zero limit: nothing is uploaded
    assert tr_client.stats().upload_limit == 0


@pytest.mark.daemon
def test_torrent_limits_are_kept_read_back_and_polled(
    transmission: TransmissionServer, tr_client: enunclic.Client
) -> None:
    tid = _seeding(transmission, tr_client, "limited.bin")
    other = _seeding(transmission, tr_client, "free.bin")
    tr_client.poll()
    tr_client.set_torrent_limits(tid, download=200_000)
    delta = tr_client.poll()  # incremental: the limit comes from the light list, not "recently active"
    assert delta.changed_fields.get(tid, frozenset()) >= {"download_limit"}
    tr_client.set_torrent_limits(tid, upload=0)
    delta = tr_client.poll()
    assert delta.changed_fields.get(tid, frozenset()) >= {"upload_limit"}
    assert {t.id: (t.download_limit, t.upload_limit) for t in tr_client.torrents()} == {
        tid: (200_000, 0),
        other: (None, None),
    }
    [raw] = transmission.rpc("torrent-get", ids=[tid], fields=["downloadLimit", "downloadLimited", "uploadLimited"])[
        "torrents"
    ]
    assert raw == {"downloadLimit": 200, "downloadLimited": True, "uploadLimited": True}
    tr_client.set_torrent_limits([tid], download=None)
    one = tr_client.torrent(tid)
    assert (one.download_limit, one.upload_limit) == (None, 0)
