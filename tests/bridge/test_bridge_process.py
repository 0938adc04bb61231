"""The bridge as a real subprocess over pipes, talking to a loopback memory server."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from enunclic_memory import MemoryServer

from enunclic.testing.torrents import make_test_torrent

from .memory_http import MemoryHTTP
from .process import BridgeProcess

SECRET = "Bridge-Pr0cess-Secret"


@pytest.fixture
def http(tmp_path: Path) -> Iterator[MemoryHTTP]:
    root = tmp_path / "dl"
    root.mkdir()
    with MemoryHTTP(MemoryServer(root, password=SECRET)) as served:
        yield served


@pytest.fixture
def bridge() -> Iterator[BridgeProcess]:
    process = BridgeProcess("--max-message-bytes", "200000", "--log-level", "info")
    yield process
    process.kill()


def test_a_session_over_pipes(bridge: BridgeProcess, http: MemoryHTTP, tmp_path: Path) -> None:
    torrent = make_test_torrent(tmp_path / "payload", "data.bin")
    assert bridge.call("bridge.info")["result"]["max_message_bytes"] == 200000
    added = bridge.call("servers.add", {"name": "nas", "url": http.url(), "username": "admin", "password": SECRET})
    assert added["result"]["server"]["status"] == "connected", added
    result = bridge.call("torrents.add", {"server": "nas", "torrent": base64.b64encode(torrent.content).decode()})
    assert result["result"]["info_hash"] == torrent.info_hash
    assert bridge.call("subscribe", {"server": "nas", "interval": 0.1})["result"]["interval"] == 0.1
    baseline = bridge.notification("torrents.delta")
    assert baseline["full"] and [t["name"] for t in baseline["delta"]["added"]] == ["data.bin"]
    bridge.call("torrents.pause", {"server": "nas", "ids": [result["result"]["id"]]})
    change = bridge.notification("torrents.delta")
    assert change["delta"]["changed"][0]["state"] == "paused"
    assert "state" in change["delta"]["changed_fields"][result["result"]["id"]]

    # Bad input, each answered, none fatal.
    bridge.send_raw(b"{not json\n")
    assert bridge.reply(None)["error"]["code"] == -32700
    bridge.send_raw(b'{"jsonrpc":"2.0","id":"big","method":"bridge.info","pad":"' + b"x" * 300_000 + b'"}\n')
    too_big = bridge.reply(None)
    assert too_big["error"]["data"]["kind"] == "MessageTooLarge"
    assert bridge.call("no.such")["error"]["code"] == -32601
    assert bridge.call("torrents.get", {"server": "nas"})["error"]["code"] == -32602
    assert bridge.call("torrents.list", {"server": "nas"})["result"]["total"] == 1

    assert bridge.close_stdin() == 0
    assert http.server.tokens == set()  # logged out on the way out
    for line in bridge.raw_lines:  # stdout carried only protocol messages
        assert json.loads(line)["jsonrpc"] == "2.0"
    everything = b"".join(bridge.raw_lines) + bridge.stderr
    assert SECRET.encode() not in everything
    assert b"INFO" in bridge.stderr  # logs went to stderr
    assert b"HTTP Request" not in bridge.stderr  # each request of each poll is a debug line, not info


def test_debug_logs_show_each_request_with_the_server_name(http: MemoryHTTP) -> None:
    process = BridgeProcess("--log-level", "debug")
    try:
        added = process.call("servers.add", {"name": "nas1", "url": http.url(SECRET)})
        assert added["result"]["server"]["status"] == "connected", added
        assert process.close_stdin() == 0
    finally:
        process.kill()
    assert b"HTTP Request" in process.stderr
    assert b"nas1 (memory): " in process.stderr
    assert SECRET.encode() not in process.stderr


def test_shutdown_exits_while_stdin_stays_open(bridge: BridgeProcess, http: MemoryHTTP) -> None:
    bridge.call("servers.add", {"name": "a", "url": http.url(SECRET)})
    assert bridge.call("bridge.shutdown") == {"jsonrpc": "2.0", "id": 2, "result": {"ok": True}}
    assert bridge.wait() == 0
    assert http.server.tokens == set()


def test_closed_stdin_right_away_is_a_clean_exit(bridge: BridgeProcess) -> None:
    assert bridge.close_stdin() == 0
    assert bridge.raw_lines == []


def test_a_last_line_without_newline_is_still_answered(bridge: BridgeProcess) -> None:
    bridge.send_raw(b'{"jsonrpc":"2.0","id":9,"method":"servers.list"}')
    assert bridge.close_stdin() == 0
    assert [json.loads(line) for line in bridge.raw_lines] == [{"jsonrpc": "2.0", "id": 9, "result": []}]


def test_bad_arguments_exit_2() -> None:
    process = BridgeProcess("--chunk-bytes", "10")
    try:
        assert process.wait() == 2
        assert b"chunk-bytes" in process.stderr
    finally:
        process.kill()


def test_a_request_id_that_utf8_cannot_carry_costs_only_its_own_reply(bridge: BridgeProcess) -> None:
    """A lone surrogate in a JSON string id: the reply echoes it as an escape, and the bridge goes on."""
    bridge.send_raw(b'{"jsonrpc":"2.0","id":"\\ud800","method":"servers.list"}\n')
    line = bridge.next_message()
    assert line["id"] == "\ud800" and line["result"] == []
    assert b"\\ud800" in bridge.raw_lines[-1]  # written as an escape: valid UTF-8 on the wire
    bridge.raw_lines[-1].decode("utf-8")
    assert bridge.call("bridge.info")["result"]["max_message_bytes"] == 200000
