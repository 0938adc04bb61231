"""aria2's share of Electorrent's actions and fields (issue 21 item 9): pause/resume all in one call,
files and limits chosen at add time, the main tracker's host and tracker tiers; then on the real aria2c."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

import enunclic
from enunclic import Capability, NotSupportedError, TorrentState
from enunclic.backends.aria2.backend import Aria2Backend, _add_extras
from enunclic.backends.aria2.mapping import main_tracker, to_torrent, to_tracker
from enunclic.plugin import AddOptions
from enunclic.testing.contract import eventually
from tests.daemons.aria2 import Aria2Server

from .torrents import two_file_torrent

SECRET = "s3cret-token"
GID = "0123456789abcdef"


def _row(announce: Any) -> dict[str, Any]:
    return {"gid": GID, "status": "active", "bittorrent": {"announceList": announce, "info": {"name": "x"}}}


@pytest.mark.parametrize(
    ("announce", "host"),
    [
        ([["http://tracker.example:6969/announce"], ["udp://b.example:1/a"]], "tracker.example"),
        ([[], ["udp://second.example:80"]], "second.example"),  # an empty first tier: the next one's
        ([["not a url"], ["http://ok.example/a"]], "ok.example"),  # a URL without a host is passed over
        ([["http://[::1/bad"]], None),  # malformed: unknown, not a crash
        ([], None),
        ("nonsense", None),
    ],
)
def test_the_main_tracker_is_the_first_announce_host(announce: Any, host: str | None) -> None:
    assert main_tracker(_row(announce)) == host
    assert to_torrent(_row(announce)).tracker == host


def test_tracker_tiers_are_the_announce_list_positions() -> None:
    assert to_tracker("http://a/announce", 2).tier == 2
    assert to_tracker("http://a/announce").tier is None


@pytest.mark.parametrize(
    ("options", "sent"),
    [
        (AddOptions(), {}),
        (AddOptions(wanted_files=(0, 2)), {"select-file": "1,3"}),  # aria2 counts files from 1
        (AddOptions(download_limit=2048), {"max-download-limit": "2048"}),
        (AddOptions(upload_limit=4096, wanted_files=(1,)), {"max-upload-limit": "4096", "select-file": "2"}),
    ],
)
def test_add_extras_as_aria2_options(options: AddOptions, sent: dict[str, str]) -> None:
    assert _add_extras(options) == sent


def test_declared_and_refused_before_any_request() -> None:
    declared = Aria2Backend.capabilities
    assert {Capability.ADD_FILE_SELECTION, Capability.ADD_LIMITS} <= declared
    absent = {Capability.RATIO_LIMIT, Capability.FORCE_START, Capability.SEQUENTIAL, Capability.ALT_SPEED}
    assert not absent & declared
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500))
    with enunclic.connect(f"aria2://:{SECRET}@127.0.0.1", transport=transport) as client:
        for call in (
            lambda: client.set_ratio_limit(GID, 1.0),
            lambda: client.force_start(GID),
            lambda: client.set_alt_speed(True),
            lambda: client.add("magnet:?xt=urn:btih:" + "a" * 40, skip_check=True),
            lambda: client.add("magnet:?xt=urn:btih:" + "a" * 40, rename="other"),
        ):
            with pytest.raises(NotSupportedError):
                call()
    assert sent == []


@pytest.mark.parametrize(
    ("operation", "method"), [("pause_all", "aria2.forcePauseAll"), ("resume_all", "aria2.unpauseAll")]
)
def test_pause_and_resume_all_are_one_call(operation: str, method: str) -> None:
    bodies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"id": bodies[-1]["id"], "jsonrpc": "2.0", "result": "OK"})

    with enunclic.connect(f"aria2://:{SECRET}@127.0.0.1", transport=httpx.MockTransport(handler)) as client:
        getattr(client, operation)()
    assert [(b["method"], b["params"]) for b in bodies] == [(method, [f"token:{SECRET}"])]


# -- on the real aria2c ------------------------------------------------------------------------


@pytest.mark.daemon
def test_add_with_files_and_limits_then_read_back(a2_client: enunclic.Client, aria2: Aria2Server) -> None:
    added = a2_client.add(
        two_file_torrent(aria2.download_dir / "chosen"), wanted_files=[1], download_limit=2048, upload_limit=4096
    )
    options = aria2.rpc("aria2.getOption", added.id)
    assert (options["max-download-limit"], options["max-upload-limit"]) == ("2048", "4096")
    assert [(f.index, f.wanted) for f in a2_client.files(added.id)] == [(0, False), (1, True)]
    torrent = eventually(lambda: a2_client.torrent(added.id), 10)
    assert torrent.tracker == "127.0.0.1"
    assert [(t.url, t.tier) for t in a2_client.trackers(added.id)] == [
        ("http://127.0.0.1:9/announce", 0),
        ("http://localhost:9/b", 1),
    ]
    plain = a2_client.add(aria2.make_torrent("plain.bin").content)
    options = aria2.rpc("aria2.getOption", plain.id)
    assert (options["max-download-limit"], options["max-upload-limit"]) == ("0", "0")  # none given: none set


@pytest.mark.daemon
def test_pause_all_and_resume_all(a2_client: enunclic.Client, aria2: Aria2Server) -> None:
    ids = [a2_client.add(aria2.make_torrent(f"all{i}.bin").content).id for i in range(3)]
    eventually(lambda: all(t.state is TorrentState.SEEDING for t in a2_client.torrents()), 15)
    before = a2_client.requests_sent
    a2_client.pause_all()
    assert a2_client.requests_sent - before == 1
    paused = dict.fromkeys(ids, TorrentState.COMPLETED)  # paused with all their data
    eventually(lambda: {t.id: t.state for t in a2_client.torrents()} == paused, 10)
    assert {t.native_state for t in a2_client.torrents()} == {"paused"}
    a2_client.resume_all()
    eventually(lambda: all(t.state is TorrentState.SEEDING for t in a2_client.torrents()), 15)
    assert sorted(t.id for t in a2_client.torrents()) == sorted(ids)
