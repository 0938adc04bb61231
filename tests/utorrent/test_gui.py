"""µTorrent's share of Electorrent's actions (issue 21 item 9): force start and a ratio limit of its own
(setprops seed_override/seed_ratio), request by request and read back from the fake's getprops."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

import enunclic
from enunclic import Capability, NotSupportedError, TorrentState
from enunclic.backends.utorrent.backend import UTorrentBackend
from enunclic.testing.torrents import make_test_torrent

from .fake import PAUSED, QUEUED, STARTED, FakeUTorrent


def _add(client: enunclic.Client, server: FakeUTorrent, name: str) -> str:
    return client.add(make_test_torrent(server.root, name).content, paused=True).id


def _sent(server: FakeUTorrent) -> list[tuple[str, str]]:
    """The last request's query in its order on the wire (httpx's params group repeated names)."""
    return [(k, v) for k, v in parse_qsl(server.requests[-1].url.query.decode()) if k != "token"]


def _props(server: FakeUTorrent, torrent_id: str) -> tuple[int, int]:
    job = server.jobs[torrent_id.upper()]
    return job.seed_override, job.seed_ratio


def test_declared_and_the_rest_refused_before_any_request(client: enunclic.Client, server: FakeUTorrent) -> None:
    assert {Capability.FORCE_START, Capability.RATIO_LIMIT} <= UTorrentBackend.capabilities
    tid = _add(client, server, "refused.bin")
    before = client.requests_sent
    for call in (
        lambda: client.set_sequential(tid, True),
        lambda: client.set_first_last_piece(tid, True),
        lambda: client.set_alt_speed(True),
        lambda: client.add(make_test_torrent(server.root, "x.bin").content, skip_check=True),
        lambda: client.add(make_test_torrent(server.root, "y.bin").content, download_limit=1024),
    ):
        with pytest.raises(NotSupportedError):
            call()
    assert client.requests_sent == before


def test_force_start_is_one_request_and_starts_past_the_queue(client: enunclic.Client, server: FakeUTorrent) -> None:
    ids = [_add(client, server, f"forced{i}.bin") for i in range(2)]
    assert {t.state for t in client.torrents()} == {TorrentState.COMPLETED}  # stopped with all their data
    before = client.requests_sent
    client.force_start(ids)
    assert client.requests_sent - before == 1
    assert _sent(server) == [("action", "forcestart"), *[("hash", i.upper()) for i in ids]]
    for tid in ids:
        status = server.jobs[tid.upper()].status
        assert status & STARTED and not status & (QUEUED | PAUSED)
    assert {t.state for t in client.torrents()} == {TorrentState.SEEDING}


@pytest.mark.parametrize(
    ("ratio", "props", "stored"),
    [
        (2.0, [("s", "seed_override"), ("v", "1"), ("s", "seed_ratio"), ("v", "2000")], (1, 2000)),
        (0.25, [("s", "seed_override"), ("v", "1"), ("s", "seed_ratio"), ("v", "250")], (1, 250)),
        (0, [("s", "seed_override"), ("v", "1"), ("s", "seed_ratio"), ("v", "0")], (1, 0)),
    ],
)
def test_a_ratio_limit_of_its_own_in_per_mille(
    client: enunclic.Client, server: FakeUTorrent, ratio: float, props: list[tuple[str, str]], stored: tuple[int, int]
) -> None:
    tid = _add(client, server, "ratio.bin")
    client.set_ratio_limit(tid, ratio)
    assert _sent(server) == [("action", "setprops"), ("hash", tid.upper()), *props]
    assert _props(server, tid) == stored


def test_no_ratio_limit_goes_back_to_the_global_goal(client: enunclic.Client, server: FakeUTorrent) -> None:
    ids = [_add(client, server, f"back{i}.bin") for i in range(2)]
    client.set_ratio_limit(ids, 1.5)
    client.set_ratio_limit(ids, None)
    assert _sent(server) == [
        ("action", "setprops"),
        *[pair for i in ids for pair in (("hash", i.upper()), ("s", "seed_override"), ("v", "0"))],
    ]
    assert [_props(server, i) for i in ids] == [(0, 1500), (0, 1500)]  # the ratio kept, no longer in force
