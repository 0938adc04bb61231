"""The backend toolkit: one meaning per helper, tested row by row."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from enunclic.drivers import SyncDriver
from enunclic.flows import Call
from enunclic.plugin import (
    BYTES,
    KIB,
    Flow,
    InvalidInputError,
    MagnetLink,
    PartialFailureError,
    Rate,
    ServerError,
    TorrentFileData,
    TorrentNotFoundError,
    Wait,
    fetch_torrent,
    info_hash_id,
    info_hash_ids,
    is_info_hash,
    raise_failures,
    read_count,
    read_size,
    until,
)
from enunclic.testing.torrents import make_test_torrent

HASH = "AbCdEf0123456789abcdef0123456789ABCDEF01"


def test_info_hash_ids_are_lower_cased_and_anything_else_names_no_torrent() -> None:
    assert info_hash_id(HASH) == HASH.lower()
    for bad in ["", "xyz", HASH[:-1], HASH + "0", "g" * 40, " " + HASH[1:]]:
        assert not is_info_hash(bad)
        with pytest.raises(TorrentNotFoundError):
            info_hash_id(bad)
    assert not is_info_hash(None)


def test_raise_failures_reports_nothing_one_error_or_a_partial_failure() -> None:
    raise_failures(["a", "b"], {}, "pause")
    gone = TorrentNotFoundError("no a")
    with pytest.raises(TorrentNotFoundError) as single:
        raise_failures(["a"], {"a": gone}, "pause")
    assert single.value is gone
    with pytest.raises(PartialFailureError) as partial:
        raise_failures(["a", "b", "c"], {"a": gone, "c": ServerError("busy")}, "pause")
    assert set(partial.value.failures) == {"a", "c"} and partial.value.operation == "pause"
    assert "2 of 3" in str(partial.value)


@pytest.mark.parametrize(
    ("value", "size", "count"),
    [
        (5, 5, 5),
        (5.9, 5, 5),
        (-1, 0, None),
        (None, 0, None),
        ("7", 0, None),
        (True, 0, None),
        (math.inf, 0, None),
        (math.nan, 0, None),
        (10**30, 10**30, 10**30),
    ],
)
def test_number_readers(value: Any, size: int, count: int | None) -> None:
    assert read_size(value) == size
    assert read_count(value) == count


@pytest.mark.parametrize(
    ("rate", "limit", "native"),
    [
        (KIB, None, 0),
        (KIB, 1024, 1),
        (KIB, 1536, 1.5),
        (KIB, 10, 1),  # under one unit: the smallest limit, never "no limit"
        (BYTES, 500, 500),
        (BYTES, None, 0),
        (Rate(unit=1024, unlimited=-1, unlimited_at_or_below=-1), None, -1),
        (Rate(unit=1000), 2000, 2),
        (Rate(unit=1024, smallest=0), 512, 0.5),
    ],
)
def test_rates_to_native(rate: Rate, limit: int | None, native: float) -> None:
    assert rate.to_native(limit) == native
    assert type(rate.to_native(limit)) is type(native)


@pytest.mark.parametrize(
    ("rate", "native", "limit"),
    [
        (KIB, 0, None),
        (KIB, -1, None),
        (KIB, 2, 2048),
        (KIB, 1.5, 1536),
        (KIB, "fast", None),
        (KIB, None, None),
        (BYTES, 300, 300),
        (Rate(unit=1024, unlimited=-1, unlimited_at_or_below=-1), 0, 0),
        (Rate(unit=1024, unlimited=-1, unlimited_at_or_below=-1), -1, None),
    ],
)
def test_rates_from_native(rate: Rate, native: Any, limit: int | None) -> None:
    assert rate.from_native(native) == limit


def _run(flow: Flow[Any]) -> Any:
    driver = SyncDriver(httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))), "toolkit")
    return driver.run(Call("test", flow))


def test_until_pauses_between_tries_and_gives_up_after_its_time() -> None:
    tries: list[int] = []

    def check(ready_at: int) -> Flow[bool]:
        tries.append(1)
        yield from ()
        return len(tries) >= ready_at

    assert _run(until(lambda: check(3), every=0.01, within=1.0)) is True
    assert len(tries) == 3
    tries.clear()
    assert _run(until(lambda: check(1000), every=0.01, within=0.05)) is False
    assert len(tries) == 6  # the first try, then one after each of five pauses


def test_until_yields_waits_not_back_to_back_requests() -> None:
    steps = []
    flow = until(_never, every=0.5, within=1.0)
    step = next(flow)
    while True:
        steps.append(step)
        try:
            step = flow.send(None)
        except StopIteration as stop:
            assert stop.value is False
            break
    assert steps == [Wait(0.5), Wait(0.5)]


def _never() -> Flow[bool]:
    yield from ()
    return False


@pytest.mark.parametrize("every", [0, -1, 11.0])
def test_until_refuses_a_pause_out_of_range(every: float) -> None:
    with pytest.raises(ValueError, match="every"):
        next(until(_never, every=every))


def test_info_hash_ids_split_usable_ids_from_ids_that_name_nothing() -> None:
    usable, failures = info_hash_ids([HASH, "../../x", HASH.lower(), "abc"])
    assert usable == {HASH.lower(): HASH}
    assert set(failures) == {"../../x", "abc"}
    assert all(isinstance(error, TorrentNotFoundError) for error in failures.values())


def _fetching(routes: dict[str, httpx.Response]) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(lambda r: routes[str(r.url)]))
    # The backend's server is elsewhere: the .torrent's site gets no credentials and no status check by the core.
    driver = SyncDriver(http, "toolkit", origin="http://127.0.0.2:9091")
    return lambda url: driver.run(Call("add", fetch_torrent(url)))


def test_fetch_torrent_follows_redirects_to_a_file_or_a_magnet(tmp_path: Any) -> None:
    made = make_test_torrent(tmp_path, "fetched.bin")
    magnet = f"magnet:?xt=urn:btih:{'a' * 40}"
    fetch = _fetching(
        {
            "http://127.0.0.1/a": httpx.Response(302, headers={"location": "/files/x.torrent"}),
            "http://127.0.0.1/files/x.torrent": httpx.Response(200, content=made.content),
            "http://127.0.0.1/m": httpx.Response(301, headers={"location": magnet}),
            "http://127.0.0.1/gone": httpx.Response(404),
            "http://127.0.0.1/loop": httpx.Response(302, headers={"location": "/loop"}),
            "http://127.0.0.1/page": httpx.Response(200, text="<html>not a torrent</html>"),
        }
    )
    fetched = fetch("http://127.0.0.1/a")
    assert isinstance(fetched, TorrentFileData) and fetched.info_hash == made.info_hash
    assert fetched.filename == "x.torrent"
    assert isinstance(fetch("http://127.0.0.1/m"), MagnetLink)
    for url, message in (("gone", "HTTP 404"), ("loop", "too many redirects"), ("page", "not a valid .torrent")):
        with pytest.raises(InvalidInputError, match=message):
            fetch(f"http://127.0.0.1/{url}")
