"""Electorrent's actions and fields on Transmission against scripted replies: the rows each new
Torrent, Tracker and Peer field is read from, and the requests of each new operation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
import respx

from enunclic import Capability, NotSupportedError
from enunclic.backends.transmission.api import Dialect, torrent_rows
from enunclic.backends.transmission.mapping import quiet_of, speed_rate, to_peer, to_tracker, torrent_mapping
from enunclic.testing.torrents import make_multi_torrent, make_test_torrent
from tests.transmission.test_transmission_rpc import H1, FakeTransmission, _client, _serve


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


BASE = {"hashString": H1, "name": "t", "status": 6, "percentDone": 1}


def _torrent(**fields: Any) -> Any:
    return torrent_mapping(Dialect.LEGACY).one({**BASE, **fields}, "a test torrent")


@pytest.mark.parametrize(
    ("mode", "limit", "expected"),
    [
        (1, 1.5, 1.5),  # its own limit
        (1, 0, 0.0),  # its own limit of 0 (3.00 writes an int)
        (0, 2.0, None),  # the session's limit: none of its own
        (2, 2.0, None),  # seeds regardless: no limit
        (1, -1, None),  # impossible value
        ("1", 2.0, None),  # a mode of another type
        (None, 2.0, None),  # no mode
    ],
)
def test_ratio_limit_only_in_mode_1(mode: Any, limit: Any, expected: float | None) -> None:
    torrent = _torrent(seedRatioMode=mode, seedRatioLimit=limit)
    assert torrent.ratio_limit == expected
    raw = {"hash_string": H1, "seed_ratio_mode": mode, "seed_ratio_limit": limit}
    assert quiet_of(raw, speed_rate(1000))[4] == expected  # the light poll reads it alike


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"trackerList": "http://tracker.example:6969/announce\n\nudp://backup.example:1337\n"}, "tracker.example"),
        ({"trackerList": "\nhttps://Only.Example/a\n"}, "only.example"),
        ({"trackerList": ""}, None),  # no tracker
        ({"trackerList": 0}, None),  # 3.00 answers 0 for a field it does not know
        ({"trackers": [{"announce": "http://127.0.0.1:9/announce", "tier": 0}]}, "127.0.0.1"),
        ({"trackers": []}, None),
        ({"trackers": [{"tier": 0}]}, None),
        ({"trackerList": "not a url"}, None),
        ({}, None),
    ],
)
def test_tracker_host_from_tracker_list_or_trackers(fields: dict[str, Any], expected: str | None) -> None:
    assert _torrent(**fields).tracker == expected


@pytest.mark.parametrize(("value", "expected"), [(True, True), (False, False), (0, None), (None, None)])
def test_sequential_is_a_boolean_or_unknown(value: Any, expected: bool | None) -> None:
    assert _torrent(sequential_download=value).sequential is expected
    assert _torrent().first_last_piece is None  # Transmission has no such setting


def test_tracker_tier_and_announce_times() -> None:
    tracker = to_tracker(
        {"announce": "http://a/announce", "tier": 2, "last_announce_time": 1796475375, "next_announce_time": 0}
    )
    assert tracker.tier == 2
    assert tracker.last_announce == datetime.fromtimestamp(1796475375, tz=timezone.utc)
    assert tracker.next_announce is None  # 0: none planned
    assert to_tracker({"announce": "x", "tier": -1}).tier is None


def test_peer_flags_and_client() -> None:
    peer = to_peer({"address": "10.0.0.1", "port": 51413, "client_name": "qBittorrent 5.1", "flag_str": "TDEX"})
    assert (peer.client, peer.flags) == ("qBittorrent 5.1", "TDEX")
    assert to_peer({"address": "10.0.0.1", "port": 1, "flag_str": ""}).flags is None


def test_table_rows_become_objects() -> None:
    table = [["hashString", "queuePosition"], [H1, 3]]
    assert torrent_rows(table) == [{"hash_string": H1, "queue_position": 3}]
    assert torrent_rows([{"hash_string": H1}]) == [{"hash_string": H1}]
    assert torrent_rows([["a"], [1, 2]]) is None  # a row longer than the keys
    assert torrent_rows("nope") is None


# -- requests ---------------------------------------------------------------------------------------


def _args(fake: FakeTransmission, method: str) -> list[dict[str, Any]]:
    return [c["arguments"] for c in fake.calls if c["method"] == method]


def test_force_start_is_start_now(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=16))
    with _client() as client:
        client.force_start([H1])
    assert _args(fake, "torrent-start-now") == [{"ids": [H1]}]


def test_ratio_limit_requests(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=16))
    with _client() as client:
        client.set_ratio_limit([H1], 1.5)
        client.set_ratio_limit([H1], None)
    assert _args(fake, "torrent-set") == [
        {"ids": [H1], "seedRatioMode": 1, "seedRatioLimit": 1.5},
        {"ids": [H1], "seedRatioMode": 0},
    ]


def test_alt_speed_is_a_session_setting_read_by_stats(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=16))
    with _client() as client:
        client.set_alt_speed(True)
        assert _args(fake, "session-set") == [{"alt-speed-enabled": True}]
        fake.replies["session-get"] = lambda a: {"alt-speed-enabled": True, "rpc-version": 16}
        assert client.stats().alt_speed is True


def test_sequential_needs_4_1(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=16))
    with _client() as client:
        assert Capability.SEQUENTIAL not in client.info().capabilities
        with pytest.raises(NotSupportedError):
            client.set_sequential([H1], True)
    assert "torrent-set" not in fake.methods()


def test_sequential_is_set_not_toggled(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=18))
    with _client(dialect="legacy") as client:
        client.set_sequential([H1], False)
    assert _args(fake, "torrent-set") == [{"ids": [H1], "sequential_download": False}]  # snake_case only on 4.1


def test_pause_all_is_one_request_on_4_1(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=18))
    with _client(dialect="legacy") as client:
        client.pause_all()
    assert fake.methods()[-1:] == ["torrent-stop"]
    assert _args(fake, "torrent-stop") == [{}]  # no ids: every torrent


def test_pause_all_on_3_00_names_the_torrents(mock: respx.MockRouter) -> None:
    """Below rpc-version 18 a stop during a check is undone: the hashes are kept to stop them again."""
    fake = _serve(mock, FakeTransmission(rpc_version=16))
    fake.replies["torrent-get"] = lambda a: {"torrents": [["hashString"], [H1]]}
    with _client() as client:
        client.pause_all()
    assert _args(fake, "torrent-get")[-1] == {"fields": ["hashString"], "format": "table"}
    assert _args(fake, "torrent-stop") == [{"ids": [H1]}]


def test_resume_all_is_one_request(mock: respx.MockRouter) -> None:
    fake = _serve(mock, FakeTransmission(rpc_version=18))
    with _client(dialect="legacy") as client:
        client.resume_all()
    assert fake.methods()[-1:] == ["torrent-start"]
    assert _args(fake, "torrent-start") == [{}]


def test_add_with_wanted_files_and_limits(mock: respx.MockRouter, tmp_path: Any) -> None:
    made = make_test_torrent(tmp_path, "one.bin")
    fake = _serve(mock, FakeTransmission(rpc_version=17))
    fake.replies["torrent-add"] = lambda a: {"torrent-added": {"hashString": made.info_hash, "id": 1, "name": "x"}}
    with _client() as client:
        client.add(made.content, wanted_files=[0], download_limit=2000, upload_limit=None)
    add = _args(fake, "torrent-add")[0]
    assert "files-unwanted" not in add  # the one file is wanted
    assert _args(fake, "torrent-set") == [{"ids": [made.info_hash], "downloadLimited": True, "downloadLimit": 2}]


def test_add_options_the_rpc_lacks_are_refused_before_any_request(mock: respx.MockRouter, tmp_path: Any) -> None:
    made = make_test_torrent(tmp_path, "one.bin")
    fake = _serve(mock, FakeTransmission(rpc_version=18))
    with _client(dialect="legacy") as client:
        client.info()
        before = len(fake.calls)
        for options in ({"skip_check": True}, {"rename": "other"}):
            with pytest.raises(NotSupportedError):
                client.add(made.content, **options)
        with pytest.raises(NotSupportedError):
            client.set_first_last_piece([H1], True)
    assert len(fake.calls) == before


def test_add_with_some_files_sends_the_others_unwanted(mock: respx.MockRouter, tmp_path: Any) -> None:
    made = make_multi_torrent(tmp_path, "three")
    fake = _serve(mock, FakeTransmission(rpc_version=16))
    fake.replies["torrent-add"] = lambda a: {"torrent-added": {"hashString": made.info_hash, "id": 1, "name": "x"}}
    with _client() as client:
        client.add(made.content, wanted_files=[1])
    assert _args(fake, "torrent-add")[0]["files-unwanted"] == [0, 2]
    assert "torrent-set" not in fake.methods()  # no limits, no label: nothing to set afterwards
