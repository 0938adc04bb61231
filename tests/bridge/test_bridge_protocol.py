"""Bad input gets the JSON-RPC error it deserves; subscriptions deliver exact, chunked deltas."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from enunclic_memory import MemoryServer

import enunclic
from enunclic.bridge import errors
from enunclic.bridge.server import split_delta
from enunclic.models import Delta, Torrent
from enunclic.states import TorrentState

from .harness import Harness, memory_factory

URL = "memory://admin:secret@127.0.0.1"


def _harness(server: MemoryServer, **options: Any) -> Harness:
    return Harness(memory_factory(lambda _url: server.transport()), **options)


@pytest.mark.parametrize(
    ("raw", "code", "kind", "reply_id"),
    [
        (b'{"jsonrpc": "2.0", "id": 1, "method": ', -32700, "ParseError", None),
        (b"\xff\xfe not utf-8", -32700, "ParseError", None),
        (b'{"jsonrpc":"2.0","id":1,"method":"bridge.info","params":{"x":NaN}}', -32700, "ParseError", None),
        (b"[" * 100_000 + b"]" * 100_000, -32700, "ParseError", None),
        (b"42", -32600, "InvalidRequest", None),
        (b'"bridge.info"', -32600, "InvalidRequest", None),
        (b"[]", -32600, "InvalidRequest", None),
        (b'{"id": 3, "method": "bridge.info"}', -32600, "InvalidRequest", 3),
        (b'{"jsonrpc": "1.0", "id": 3, "method": "bridge.info"}', -32600, "InvalidRequest", 3),
        (b'{"jsonrpc": "2.0", "id": 3, "method": 7}', -32600, "InvalidRequest", 3),
        (b'{"jsonrpc": "2.0", "id": true, "method": "bridge.info"}', -32600, "InvalidRequest", None),
        (b'{"jsonrpc": "2.0", "id": 1.5, "method": "bridge.info"}', -32600, "InvalidRequest", None),
        (b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "bridge.info"}', -32600, "InvalidRequest", None),
        (b'{"jsonrpc": "2.0", "id": "a", "method": "bridge.info", "params": "x"}', -32600, "InvalidRequest", "a"),
        (b'{"jsonrpc": "2.0", "id": "a", "method": "bridge.info", "params": [1]}', -32602, "InvalidParams", "a"),
        (b'{"jsonrpc": "2.0", "id": 4, "method": "torrents.nuke"}', -32601, "MethodNotFound", 4),
        (b'{"jsonrpc": "2.0", "id": 4, "method": "__init__"}', -32601, "MethodNotFound", 4),
        (b'{"jsonrpc": "2.0", "id": 4, "method": "torrents._call"}', -32601, "MethodNotFound", 4),
        (b'{"jsonrpc": "2.0", "id": 4, "method": "close"}', -32601, "MethodNotFound", 4),
        (b'{"jsonrpc": "2.0", "id": 5, "method": "torrents.get", "params": {"server": "a"}}', -32602,
         "InvalidParams", 5),
        (b'{"jsonrpc": "2.0", "id": 5, "method": "bridge.info", "params": {"verbose": true}}', -32602,
         "InvalidParams", 5),
        (b'{"jsonrpc": "2.0", "id": 5, "method": "torrents.pause", "params": {"server": "a", "ids": "t1"}}',
         -32602, "InvalidParams", 5),
        (b'{"jsonrpc": "2.0", "id": 5, "method": "torrents.add", "params": {"server": "a"}}', -32602,
         "InvalidParams", 5),
        (b'{"jsonrpc": "2.0", "id": 5, "method": "torrents.add", "params": {"server": "a", "torrent": "%%%"}}',
         -32602, "InvalidParams", 5),
        (b'{"jsonrpc": "2.0", "id": 5, "method": "subscribe", "params": {"server": "a", "interval": 0}}', -32602,
         "InvalidParams", 5),
        (b'{"jsonrpc": "2.0", "id": 5, "method": "servers.add", "params": {"name": "a", "url": "x", '
         b'"options": {"transport": "evil"}}}', -32602, "InvalidParams", 5),
    ],
)
def test_bad_messages_get_the_right_error(
    server: MemoryServer, raw: bytes, code: int, kind: str, reply_id: object
) -> None:
    async def scenario() -> Harness:
        h = _harness(server)
        await h.feed(raw + b"\n")
        assert (await h.result("bridge.info"))["framing"] == "ndjson"  # still alive
        await h.bridge.close()
        return h

    h = asyncio.run(scenario())
    reply = h.messages[0]
    assert reply["error"]["code"] == code and reply["error"]["data"]["kind"] == kind, reply
    assert reply["id"] == reply_id
    if kind == "InvalidParams" and reply["error"]["data"].get("errors"):
        assert all({"loc", "msg", "type"} == set(e) for e in reply["error"]["data"]["errors"])


def test_oversized_message_is_refused_and_the_next_one_served(server: MemoryServer) -> None:
    async def scenario() -> Harness:
        h = _harness(server, max_message_bytes=1000)
        big = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "bridge.info", "params": {"x": "y" * 5000}})
        await h.feed(big.encode() + b"\n" + b'{"jsonrpc":"2.0","id":2,"method":"servers.list"}\n', max_bytes=1000)
        await h.bridge.close()
        return h

    h = asyncio.run(scenario())
    too_big, listed = h.messages
    assert too_big["id"] is None and too_big["error"]["code"] == -32600
    assert too_big["error"]["data"]["kind"] == "MessageTooLarge" and too_big["error"]["data"]["limit"] == 1000
    assert listed == {"jsonrpc": "2.0", "id": 2, "result": []}


def test_notifications_get_no_reply_and_batches_work(server: MemoryServer) -> None:
    async def scenario() -> Harness:
        h = _harness(server)
        await h.feed(b'{"jsonrpc":"2.0","method":"no.such.method"}\n'
                     b'{"jsonrpc":"2.0","method":"servers.list"}\n'
                     b'[{"jsonrpc":"2.0","id":1,"method":"servers.list"},'
                     b'{"jsonrpc":"2.0","method":"servers.list"},'
                     b'{"jsonrpc":"2.0","id":2,"method":"nope"}, 7]\n'
                     b"   \n")
        await h.bridge.close()
        return h

    h = asyncio.run(scenario())
    assert len(h.lines) == 1  # only the batch answered, as one array
    batch = json.loads(h.lines[0])
    assert [r.get("id") for r in batch] == [1, 2, None]
    assert batch[0]["result"] == []
    assert batch[1]["error"]["code"] == -32601 and batch[2]["error"]["code"] == -32600


def test_shutdown_stops_the_loop_after_answering(server: MemoryServer) -> None:
    class Forever:
        def __init__(self) -> None:
            self.sent = False

        async def receive(self) -> bytes | None:
            if not self.sent:
                self.sent = True
                return b'{"jsonrpc":"2.0","id":1,"method":"bridge.shutdown"}'
            await asyncio.Event().wait()  # stdin stays open
            return None

    async def scenario() -> tuple[int, Harness]:
        h = _harness(server)
        h.expect(1, "bridge.shutdown")
        return await asyncio.wait_for(h.bridge.run(Forever()), 5), h

    status, h = asyncio.run(scenario())
    assert status == 0
    assert h.messages == [{"jsonrpc": "2.0", "id": 1, "result": {"ok": True}}]


def test_end_of_input_answers_in_flight_requests_and_logs_out(server: MemoryServer) -> None:
    class Lines:
        def __init__(self, lines: list[bytes]) -> None:
            self.lines = lines

        async def receive(self) -> bytes | None:
            return self.lines.pop(0) if self.lines else None

    async def scenario() -> Harness:
        h = _harness(server)
        h.expect(1, "servers.add")
        await h.bridge.run(Lines([
            json.dumps({"jsonrpc": "2.0", "id": 1, "method": "servers.add",
                        "params": {"name": "a", "url": URL}}).encode(),
        ]))
        return h

    h = asyncio.run(scenario())
    assert h.messages[-1]["id"] == 1 and h.messages[-1]["result"]["server"]["status"] == "connected"
    assert server.tokens == set()


def test_subscription_baseline_then_exact_deltas_then_errors(server: MemoryServer) -> None:
    async def scenario() -> Harness:
        h = _harness(server)
        await h.result("servers.add", {"name": "a", "url": URL})
        added = await h.result("torrents.add", {"server": "a", "uri": "magnet:?xt=urn:btih:" + "1" * 40})
        assert await h.result("subscribe", {"server": "a", "interval": 0.05}) == {"server": "a", "interval": 0.05}
        deltas = lambda: h.notifications("torrents.delta")  # noqa: E731
        await h.wait_for(lambda: len(deltas()) >= 1)
        await h.result("torrents.pause", {"server": "a", "ids": [added["id"]]})
        await h.wait_for(lambda: len(deltas()) >= 2)
        await h.result("torrents.remove", {"server": "a", "ids": [added["id"]]})
        await h.wait_for(lambda: len(deltas()) >= 3)
        server.faults.extend(["500"] * 50)
        await h.wait_for(lambda: any(d["error"] for d in deltas()))
        statuses = [s["status"] for s in h.notifications("servers.status")]
        assert statuses[-1] == "reconnecting"
        assert await h.result("unsubscribe", {"server": "a"}) == {"ok": True}
        count = len(deltas())
        await asyncio.sleep(0.2)
        assert len(deltas()) == count  # nothing after unsubscribe
        await h.bridge.close()
        return h

    h = asyncio.run(scenario())
    baseline, paused, removed = h.notifications("torrents.delta")[:3]
    assert baseline["full"] and baseline["seq"] == 1 and [t["id"] for t in baseline["delta"]["added"]] == ["t1"]
    assert not paused["full"] and paused["seq"] == 2
    assert paused["delta"]["changed_fields"] == {"t1": ["native_state", "progress", "state"]}
    assert paused["delta"]["changed"][0]["state"] == "paused"
    assert removed["delta"]["removed"] == ["t1"] and removed["seq"] == 3
    failure = next(d for d in h.notifications("torrents.delta") if d["error"])
    assert failure["delta"] is None and failure["error"]["kind"] == "ServerError"
    assert failure["attempt"] == 1 and failure["next_retry_in"] > 0


def test_a_resubscription_starts_from_a_full_baseline(server: MemoryServer) -> None:
    for n in range(1, 4):
        server.rpc_add("magnet", f"magnet:?xt=urn:btih:{n:040x}", None, False, None)

    async def scenario() -> Harness:
        h = _harness(server)
        await h.result("servers.add", {"name": "a", "url": URL})
        await h.result("subscribe", {"server": "a", "interval": 0.05})
        await h.wait_for(lambda: h.notifications("torrents.delta"))
        await h.result("subscribe", {"server": "a", "interval": 0.05})
        await h.wait_for(lambda: len(h.notifications("torrents.delta")) >= 2)
        await h.bridge.close()
        return h

    h = asyncio.run(scenario())
    first, again = h.notifications("torrents.delta")[:2]
    assert first["full"] and again["full"] and again["seq"] == 1
    assert len(first["delta"]["added"]) == len(again["delta"]["added"]) == 3


def test_a_large_baseline_arrives_in_chunks(server: MemoryServer) -> None:
    for n in range(1, 61):
        server.rpc_add("magnet", f"magnet:?xt=urn:btih:{n:040x}", None, False, None)

    async def scenario() -> Harness:
        h = _harness(server, chunk_bytes=4096)
        await h.result("servers.add", {"name": "a", "url": URL})
        await h.result("subscribe", {"server": "a", "interval": 0.05})
        await h.wait_for(lambda: (n := h.notifications("torrents.delta")) and len(n) >= n[0]["chunks"])
        await h.bridge.close()
        return h

    h = asyncio.run(scenario())
    notices = h.notifications("torrents.delta")
    chunks = notices[0]["chunks"]
    assert chunks > 3
    parts = notices[:chunks]
    assert [p["chunk"] for p in parts] == list(range(chunks))
    assert {p["seq"] for p in parts} == {1} and all(p["full"] for p in parts)
    ids = [t["id"] for p in parts for t in p["delta"]["added"]]
    assert sorted(ids) == sorted(f"t{n}" for n in range(1, 61))
    assert max(len(line) for line in h.lines) <= 4096


def test_split_delta_keeps_changed_fields_with_their_torrent() -> None:
    def t(n: int) -> Torrent:
        return Torrent(id=f"t{n}", name="x" * 300, state=TorrentState.SEEDING, native_state="s", progress=1.0)

    delta = Delta(
        added=[t(n) for n in range(10)], changed=[t(n) for n in range(10, 20)], removed=[f"r{n}" for n in range(50)],
        changed_fields={f"t{n}": frozenset({"label", "size"}) for n in range(10, 20)},
    )
    parts = split_delta(delta, 2048)
    assert len(parts) > 3
    assert [x.id for p in parts for x in p.added] == [x.id for x in delta.added]
    assert [x.id for p in parts for x in p.changed] == [x.id for x in delta.changed]
    assert [r for p in parts for r in p.removed] == delta.removed
    for part in parts:
        assert set(part.changed_fields) == {x.id for x in part.changed}
        assert all(v == ["label", "size"] for v in part.changed_fields.values())
    assert split_delta(Delta(), 2048) == [split_delta(Delta(), 2048)[0]] and len(split_delta(Delta(), 2048)) == 1


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (enunclic.EnunclicError("x"), -32000),
        (enunclic.ConnectError("x"), -32001),
        (enunclic.RequestTimeout("x"), -32002),
        (enunclic.AuthenticationError("x"), -32003),
        (enunclic.TwoFactorRequired("x"), -32004),
        (enunclic.SessionExpiredError("x"), -32005),
        (enunclic.PermissionDeniedError("x"), -32006),
        (enunclic.NotSupportedError("x"), -32007),
        (enunclic.TorrentNotFoundError("x"), -32008),
        (enunclic.PluginError("x"), -32009),
        (enunclic.ServerError("x"), -32010),
        (enunclic.PartialFailureError("x", {}), -32011),
        (enunclic.ProtocolError("x"), -32012),
        (enunclic.InvalidInputError("x"), -32602),
    ],
)
def test_error_code_rows(error: enunclic.EnunclicError, code: int) -> None:
    assert errors.code_for(error) == code
    rpc = errors.from_enunclic(error)
    assert rpc.code == code and rpc.data is not None and rpc.data.kind == type(error).__name__


def test_an_unlisted_subclass_gets_its_base_code() -> None:
    class QuotaExceeded(enunclic.ServerError):
        pass

    assert errors.code_for(QuotaExceeded("x")) == -32010


def test_partial_failure_lists_each_failed_id() -> None:
    error = enunclic.PartialFailureError(
        "2 of 3 failed", {"a": enunclic.TorrentNotFoundError("gone", native_code=404)}, backend="synology",
        operation="pause",
    )
    data = errors.from_enunclic(error).data
    assert data is not None and data.failures is not None
    assert data.failures["a"].kind == "TorrentNotFoundError" and data.failures["a"].native_code == 404
