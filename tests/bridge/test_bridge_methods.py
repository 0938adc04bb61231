"""The bridge in-process: allow-listed methods over a memory server, errors as typed JSON-RPC errors."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from enunclic_memory import MemoryServer

from enunclic.bridge.methods import METHODS
from enunclic.testing.torrents import make_test_torrent

from .harness import Harness, memory_factory

SECRET = "pa55-Very-Secret-9f3"
URL = "memory://127.0.0.1"
MAGNET = "magnet:?xt=urn:btih:{:040x}&dn=thing{}"

#: The documented allow-list; a new method needs a deliberate change here, in docs and in schemas.
EXPECTED_METHODS = {
    "bridge.info", "bridge.shutdown",
    "servers.add", "servers.certificate", "servers.remove", "servers.list", "servers.reconnect", "servers.info",
    "servers.stats",
    "servers.set_limits",
    "torrents.list", "torrents.get", "torrents.add", "torrents.pause", "torrents.resume", "torrents.remove",
    "torrents.recheck", "torrents.reannounce", "torrents.set_label", "torrents.move", "torrents.set_file_priority",
    "torrents.set_limits", "torrents.queue_move", "torrents.files", "torrents.trackers", "torrents.peers",
    "torrents.pause_all", "torrents.resume_all", "torrents.force_start", "torrents.set_sequential",
    "torrents.set_first_last_piece", "torrents.set_ratio_limit", "servers.labels", "servers.set_alt_speed",
    "subscribe", "unsubscribe",
}


@pytest.fixture
def server(tmp_path: Path) -> MemoryServer:
    root = tmp_path / "dl"
    root.mkdir()
    return MemoryServer(root, password=SECRET)


def run(server: MemoryServer, scenario: Callable[[Harness], Awaitable[None]], **options: Any) -> Harness:
    async def main() -> Harness:
        harness = Harness(memory_factory(lambda _url: server.transport()), **options)
        try:
            await scenario(harness)
        finally:
            await harness.bridge.close()
        return harness

    return asyncio.run(main())


async def add_server(h: Harness, name: str = "nas", **extra: Any) -> dict[str, Any]:
    return await h.result("servers.add", {"name": name, "url": URL, "username": "admin", "password": SECRET,
                                          **extra})


def test_allow_list_is_exactly_the_documented_methods() -> None:
    assert set(METHODS) == EXPECTED_METHODS


def test_bridge_info(server: MemoryServer) -> None:
    async def scenario(h: Harness) -> None:
        info = await h.result("bridge.info")
        assert info["framing"] == "ndjson" and info["protocol"] == 1
        assert info["methods"] == sorted(EXPECTED_METHODS)
        assert info["notifications"] == ["servers.status", "torrents.delta", "torrents.events"]
        memory = next(b for b in info["backends"] if b["name"] == "memory")
        assert "add_file" in memory["capabilities"]

    run(server, scenario)


def test_server_lifecycle_never_echoes_the_password(server: MemoryServer) -> None:
    async def scenario(h: Harness) -> None:
        added = await add_server(h)
        assert added["server"]["status"] == "connected"
        assert added["server"]["url"] == "http://127.0.0.1:80"
        assert added["info"]["backend"] == "memory" and added["info"]["version"] == "memory 1.0"
        listed = await h.result("servers.list")
        assert [s["name"] for s in listed] == ["nas"]
        assert (await h.result("servers.info", {"server": "nas"}))["api_version"] == "1"
        assert await h.result("servers.set_limits", {"server": "nas", "download": 1000}) == {"ok": True}
        assert (await h.result("servers.stats", {"server": "nas"}))["download_limit"] == 1000
        assert (await h.result("servers.reconnect", {"server": "nas"}))["status"] == "connected"
        # Bad calls that carry the secret: it must not come back in any error.
        await h.call("servers.add", {"name": "nas", "url": URL, "password": SECRET})
        await h.call("servers.add", {"name": "x", "url": URL, "password": SECRET, "options": {"password": SECRET}})
        await h.call("servers.add", {"name": "y", "url": URL, "password": SECRET, "timeout": "soon"})
        await h.call("servers.add", {"name": "z", "url": f"memory://admin:{SECRET}@127.0.0.1", "password": 5})
        assert await h.result("servers.remove", {"server": "nas"}) == {"ok": True}
        assert await h.result("servers.list") == []
        assert server.tokens == set()  # logged out

    h = run(server, scenario)
    assert SECRET.encode() not in h.output()
    assert b"pa55" not in h.output()


def test_credentials_in_the_url_work_and_stay_hidden(server: MemoryServer) -> None:
    async def scenario(h: Harness) -> None:
        added = await h.result("servers.add", {"name": "n", "url": f"memory://admin:{SECRET}@127.0.0.1"})
        assert added["server"]["status"] == "connected"

    h = run(server, scenario)
    assert SECRET.encode() not in h.output()


def test_wrong_password_is_a_typed_error_and_nothing_is_added(server: MemoryServer) -> None:
    async def scenario(h: Harness) -> None:
        reply = await h.call("servers.add", {"name": "n", "url": URL, "username": "admin", "password": "wrong"})
        assert reply["error"]["code"] == -32003
        assert reply["error"]["data"] == {
            "kind": "AuthenticationError", "backend": "memory", "operation": "info", "native_code": "auth",
        }
        assert await h.result("servers.list") == []
        without = await h.result("servers.add", {"name": "n", "url": URL, "password": "wrong", "connect": False})
        assert without["server"]["status"] == "connecting" and without["info"] is None

    run(server, scenario)


def test_torrent_methods_end_to_end(server: MemoryServer, tmp_path: Path) -> None:
    torrent = make_test_torrent(tmp_path / "payload", "file.bin")

    async def scenario(h: Harness) -> None:
        await add_server(h)
        s = {"server": "nas"}
        added = await h.result("torrents.add", {**s, "torrent": base64.b64encode(torrent.content).decode(),
                                                "label": "iso"})
        assert added == {"id": "t1", "info_hash": torrent.info_hash, "duplicate": False}
        magnet = await h.result("torrents.add", {**s, "uri": MAGNET.format(7, 7), "paused": True})
        assert magnet["info_hash"] == f"{7:040x}"
        page = await h.result("torrents.list", s)
        assert page["total"] == 2 and page["next_offset"] is None
        assert {t["id"] for t in page["torrents"]} == {"t1", "t2"}
        assert page["torrents"][0]["label"] == "iso"
        assert await h.result("torrents.pause", {**s, "ids": ["t1"]}) == {"ok": True}
        assert (await h.result("torrents.get", {**s, "id": "t1"}))["state"] == "paused"
        await h.result("torrents.resume", {**s, "ids": ["t1"]})
        assert (await h.result("torrents.get", {**s, "id": "t1"}))["state"] == "seeding"
        files = await h.result("torrents.files", {**s, "id": "t1"})
        assert files[0]["path"] == "file.bin" and files[0]["size"] == torrent_size(torrent.content)
        await h.result("torrents.set_file_priority", {**s, "id": "t1", "indexes": [0], "priority": "skip"})
        assert (await h.result("torrents.files", {**s, "id": "t1"}))[0]["wanted"] is False
        assert (await h.result("torrents.trackers", {**s, "id": "t1"}))[0]["url"].startswith("http://127.0.0.1")
        assert await h.result("torrents.peers", {**s, "id": "t1"}) == []
        await h.result("torrents.set_label", {**s, "ids": ["t1", "t2"], "label": None})
        await h.result("torrents.move", {**s, "ids": ["t2"], "destination": str(tmp_path)})
        await h.result("torrents.set_limits", {**s, "ids": ["t2"], "download": 5, "upload": None})
        await h.result("torrents.queue_move", {**s, "ids": ["t2"], "direction": "top"})
        await h.result("torrents.recheck", {**s, "ids": ["t1"]})
        await h.result("torrents.reannounce", {**s, "ids": []})
        t2 = await h.result("torrents.get", {**s, "id": "t2"})
        assert (t2["destination"], t2["queue_position"], t2["label"]) == (str(tmp_path), 0, None)
        await h.result("torrents.remove", {**s, "ids": ["t1", "t2"], "delete_data": False})
        assert (await h.result("torrents.list", s))["total"] == 0

    run(server, scenario)
    assert server.torrents == {}


def torrent_size(content: bytes) -> int:
    from enunclic.sources import parse_torrent_file

    return parse_torrent_file(content).size


@pytest.mark.parametrize(
    ("method", "params", "code", "kind"),
    [
        ("torrents.get", {"server": "nas", "id": "nope"}, -32008, "TorrentNotFoundError"),
        ("torrents.pause", {"server": "nas", "ids": ["nope"]}, -32008, "TorrentNotFoundError"),
        ("torrents.add", {"server": "nas", "uri": "magnet:?xt=urn:btih:zz"}, -32602, "InvalidInputError"),
        ("torrents.add", {"server": "nas", "torrent": base64.b64encode(b"not bencode").decode()}, -32602,
         "InvalidInputError"),
        ("torrents.add", {"server": "nas", "uri": "ftp://x/y"}, -32602, "InvalidInputError"),
        ("torrents.list", {"server": "ghost"}, -32602, "InvalidInputError"),
        ("subscribe", {"server": "ghost"}, -32602, "InvalidInputError"),
        ("servers.remove", {"server": "ghost"}, -32602, "InvalidInputError"),
    ],
)
def test_typed_errors_map_to_json_rpc_errors(
    server: MemoryServer, method: str, params: dict[str, Any], code: int, kind: str
) -> None:
    async def scenario(h: Harness) -> None:
        await add_server(h)
        reply = await h.call(method, params)
        assert reply["error"]["code"] == code, reply
        assert reply["error"]["data"]["kind"] == kind
        assert set(reply["error"]["data"]) >= {"kind", "backend", "operation", "native_code"}
        assert reply["error"]["message"]
        # The bridge keeps answering.
        assert (await h.result("servers.list"))[0]["name"] == "nas"

    run(server, scenario)


def test_not_found_carries_backend_operation_and_native_code(server: MemoryServer) -> None:
    async def scenario(h: Harness) -> None:
        await add_server(h)
        data = (await h.call("torrents.get", {"server": "nas", "id": "nope"}))["error"]["data"]
        assert data == {"kind": "TorrentNotFoundError", "backend": "memory", "operation": "torrent",
                        "native_code": "not_found"}

    run(server, scenario)


def test_a_server_error_and_a_protocol_error(server: MemoryServer) -> None:
    async def scenario(h: Harness) -> None:
        await add_server(h)
        server.faults.append("html")
        reply = await h.call("torrents.list", {"server": "nas"})
        assert (reply["error"]["code"], reply["error"]["data"]["kind"]) == (-32012, "ProtocolError")
        reply = await h.call("torrents.move", {"server": "nas", "ids": [], "destination": "/nope"})
        assert reply == {"jsonrpc": "2.0", "id": reply["id"], "result": {"ok": True}}  # empty: nothing sent

    run(server, scenario)


def test_a_bug_in_a_handler_is_an_internal_error_not_a_crash(server: MemoryServer) -> None:
    def broken_factory(_: Any) -> Any:
        raise RuntimeError("boom with " + SECRET)

    async def main() -> Harness:
        h = Harness(broken_factory)
        reply = await h.call("servers.add", {"name": "n", "url": URL})
        assert reply["error"]["code"] == -32603 and reply["error"]["data"]["kind"] == "InternalError"
        assert "boom" not in reply["error"]["message"]
        assert (await h.result("bridge.info"))["framing"] == "ndjson"
        await h.bridge.close()
        return h

    h = asyncio.run(main())
    assert SECRET.encode() not in h.output()


def test_list_is_paged_under_the_size_guard(server: MemoryServer) -> None:
    for n in range(1, 41):
        server.rpc_add("magnet", MAGNET.format(n, n), None, False, None)

    async def scenario(h: Harness) -> None:
        await add_server(h)
        seen: list[str] = []
        offset: int | None = 0
        pages = 0
        while offset is not None:
            page = await h.result("torrents.list", {"server": "nas", "offset": offset})
            assert page["total"] == 40 and page["offset"] == offset and page["torrents"]
            seen += [t["id"] for t in page["torrents"]]
            offset = page["next_offset"]
            pages += 1
        assert seen == [f"t{n}" for n in range(1, 41)]
        assert pages >= 4
        limited = await h.result("torrents.list", {"server": "nas", "offset": 38, "limit": 5})
        assert [t["id"] for t in limited["torrents"]] == ["t39", "t40"] and limited["next_offset"] is None
        first = await h.result("torrents.list", {"server": "nas", "limit": 2})
        assert len(first["torrents"]) == 2 and first["next_offset"] == 2

    h = run(server, scenario, chunk_bytes=4096)
    assert max(len(line) for line in h.lines) <= 4096


def test_schema_results_are_valid_json_everywhere(server: MemoryServer) -> None:
    """The harness validates every line; here, also no NaN/Infinity ever reaches the wire."""

    async def scenario(h: Harness) -> None:
        await add_server(h)
        await h.result("torrents.add", {"server": "nas", "uri": MAGNET.format(1, 1)})
        await h.result("torrents.list", {"server": "nas"})

    h = run(server, scenario)
    for line in h.lines:
        json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} on the wire"))


def test_a_failed_add_leaves_no_ghost_and_sends_no_status(server: MemoryServer) -> None:
    async def scenario(h: Harness) -> None:
        reply = await h.call("servers.add", {"name": "ghost", "url": URL, "username": "admin", "password": "wrong"})
        assert reply["error"]["data"]["kind"] == "AuthenticationError"
        assert [s for s in h.notifications("servers.status") if s["name"] == "ghost"] == []
        assert await h.result("servers.list") == []

    run(server, scenario)


def test_an_add_reports_what_the_connection_learned(server: MemoryServer, tmp_path: Path) -> None:
    torrent = make_test_torrent(tmp_path / "payload", "counted.bin")

    async def scenario(h: Harness) -> None:
        first = await add_server(h, "a")
        await h.result("torrents.add", {"server": "a", "torrent": base64.b64encode(torrent.content).decode()})
        added = await add_server(h, "b")  # the same memory server, through a second client
        assert first["server"]["torrents"] == 0 and added["server"]["torrents"] == 1
        assert added["server"]["status"] == "connected" and added["server"]["latency"] is not None
        assert [s["status"] for s in h.notifications("servers.status") if s["name"] == "b"] == ["connected"]

    run(server, scenario)


def test_a_slow_failing_add_cannot_remove_a_later_server_of_the_same_name(server: MemoryServer) -> None:
    """add A (fails late), then add A again (works): the late failure leaves the new A alone."""
    gate = asyncio.Event()

    async def scenario(h: Harness) -> None:
        original = h.bridge.context.client_factory

        def slow_wrong(params: Any) -> Any:
            client = original(params)
            if params.password.get_secret_value() == "wrong":
                real_info = client.info

                async def late_info(**kwargs: Any) -> Any:
                    await gate.wait()
                    return await real_info(**kwargs)

                client.info = late_info  # type: ignore[method-assign]
            return client

        h.bridge.context.client_factory = slow_wrong
        late = asyncio.ensure_future(
            h.call("servers.add", {"name": "A", "url": URL, "username": "admin", "password": "wrong"})
        )
        await asyncio.sleep(0.05)
        assert (await add_server(h, "A"))["server"]["status"] == "connected"
        gate.set()
        reply = await late
        assert "error" in reply
        assert [s["name"] for s in await h.result("servers.list")] == ["A"]
        assert (await h.result("torrents.list", {"server": "A"})) is not None

    run(server, scenario)
