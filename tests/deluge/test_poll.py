"""Deluge's lighter steady polls: ``web.update_ui`` without the keys that stay, which are remembered
and read again when they may have moved; each poll's delta names exactly what changed (against the fake)."""

from __future__ import annotations

import json

from enunclic.backends.deluge.mapping import TORRENT_KEYS
from enunclic.backends.deluge.poll import LIGHT_KEYS, STATIC_KEYS, PollState
from tests.hardening.fakes import FakeDeluge, make_target

HASH = "ab" * 20


def test_the_steady_keys_are_the_listing_keys_less_those_that_stay() -> None:
    assert set(LIGHT_KEYS) == set(TORRENT_KEYS) - set(STATIC_KEYS)
    assert {"label", "download_location", "max_download_speed", "queue", "state"} <= set(LIGHT_KEYS)


def test_remembered_keys_are_read_again_when_a_signal_moves() -> None:
    state = PollState()
    light = {"state": "Downloading", "is_finished": False, "total_wanted": 10, "total_done": 1}
    assert state.stale(HASH, light)  # never seen
    state.statuses[HASH] = {**light, "name": "x"}
    assert not state.stale(HASH, {**light, "total_done": 5, "label": "tv"})
    assert state.stale(HASH, {**light, "state": "Seeding"})
    assert state.stale(HASH, {**light, "is_finished": True})
    state.statuses[HASH]["total_wanted"] = 0
    assert state.stale(HASH, light)  # a magnet's name comes with its metadata


def test_steady_polls_ask_the_light_keys_and_report_exactly_what_changed() -> None:
    target = make_target("deluge", 12)
    server = target.server
    assert isinstance(server, FakeDeluge)
    ids = [target.id_of(i) for i in range(3)]
    with target.connect() as client:
        client.poll()
        target.wire.reset_counters()
        assert client.poll().empty
        lists = [json.loads(r.content) for r in target.wire.requests if server.is_list(r)]
        assert [body["params"][0] for body in lists] == [list(LIGHT_KEYS)]
        server.touch([ids[0]])
        server.torrents[ids[1]]["label"] = "tv"
        server.torrents[ids[2]].update({"name": "renamed", "state": "Queued"})
        delta = client.poll()
        fields = delta.changed_fields
        assert fields[ids[0]] == {"download_speed"}
        assert fields[ids[1]] == {"label"}
        assert {"name", "state", "native_state"} <= fields[ids[2]]  # the state moved: its name is read again
        assert set(fields) == set(ids)
        fresh = {t.id: t for t in client.torrents()}
        assert all(fresh[t.id] == t for t in delta.changed)
        server.torrents.pop(ids[0])
        assert client.poll().removed == [ids[0]]
