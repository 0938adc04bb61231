"""Line framing edge cases; the checked-in JSON Schemas match the models and what the bridge writes."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from enunclic_memory import MemoryServer
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

import enunclic
from enunclic.bridge import errors, schema, server
from enunclic.bridge.framing import LineSplitter, Oversized, encode
from enunclic.bridge.methods import METHODS, NOTIFICATIONS
from enunclic.testing.torrents import make_test_torrent

from .harness import Harness, memory_factory

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "docs" / "schema"
SECRET = "Schema-Secret-7"


def test_lines_split_across_reads() -> None:
    splitter = LineSplitter(100)
    assert splitter.feed(b'{"a"') == []
    assert splitter.feed(b':1}\n{"b":2}\n{"c"') == [b'{"a":1}', b'{"b":2}']
    assert splitter.end() == [b'{"c"']
    assert splitter.end() == []


def test_oversized_line_is_dropped_without_buffering_it() -> None:
    splitter = LineSplitter(10)
    assert splitter.feed(b"0123456789ABC") == []
    assert splitter.feed(b"DEF") == []
    assert len(splitter._buffer) == 0  # nothing of the big line is held
    assert splitter.feed(b"GH\nok\n") == [Oversized(18), b"ok"]
    assert splitter.feed(b"x" * 30 + b"\n") == [Oversized(30)]
    assert splitter.feed(b"y" * 11) == []
    assert splitter.end() == [Oversized(11)]


def test_exactly_the_limit_is_accepted() -> None:
    assert LineSplitter(5).feed(b"12345\n123456\n") == [b"12345", Oversized(6)]


def test_encode_is_one_line_even_with_newlines_in_strings() -> None:
    line = encode({"name": "a\nb\r\u2028c", "n": 1})
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.loads(line) == {"name": "a\nb\r\u2028c", "n": 1}
    with pytest.raises(ValueError, match="JSON"):
        encode({"x": float("nan")})


def test_checked_in_schemas_match_the_models() -> None:
    problems = schema.check(SCHEMA_DIR)
    assert problems == [], "regenerate with: python -m enunclic.bridge.schema docs/schema\n" + "\n".join(problems)


def test_every_method_and_notification_has_schemas() -> None:
    index = json.loads((SCHEMA_DIR / "index.json").read_text())
    assert set(index["methods"]) == set(METHODS)
    assert set(index["notifications"]) == set(NOTIFICATIONS)
    for entry in index["methods"].values():
        for key in ("params", "result"):
            document = json.loads((SCHEMA_DIR / entry[key]).read_text())
            assert document["$schema"].startswith("https://json-schema.org/")


def test_drift_is_detected(tmp_path: Path) -> None:
    copy = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, copy)
    assert schema.check(copy) == []
    target = copy / "definitions.json"
    document = json.loads(target.read_text())
    document["$defs"]["TorrentPage"]["properties"].pop("next_offset")
    target.write_text(json.dumps(document))
    (copy / "methods" / "torrents.nuke.params.json").write_text("{}")
    (copy / "index.json").unlink()
    declarations = copy / "enunclic-bridge.d.ts"
    declarations.write_text(declarations.read_text().replace("next_offset: number | null;", ""))
    assert schema.check(copy) == [
        "changed: definitions.json", "changed: enunclic-bridge.d.ts", "missing: index.json",
        "stale: methods/torrents.nuke.params.json",
    ]
    assert schema.main(["--check", str(copy)]) == 1
    assert schema.main([str(copy)]) == 0
    assert schema.check(copy) == []


def test_passwords_are_write_only_in_the_schema() -> None:
    params = json.loads((SCHEMA_DIR / "methods" / "servers.add.params.json").read_text())
    assert params["$ref"] == "../definitions.json#/$defs/ServerAddParams"
    definitions = json.loads((SCHEMA_DIR / "definitions.json").read_text())["$defs"]
    password = definitions["ServerAddParams"]["properties"]["password"]["anyOf"][0]
    assert password == {"format": "password", "type": "string", "writeOnly": True}
    listed = (SCHEMA_DIR / "methods" / "servers.list.result.json").read_text()
    assert "password" not in listed


# -- what the bridge writes, against the published schemas --------------------------------------


def _validator(relative: str) -> Draft202012Validator:
    """A validator of ``docs/schema/<relative>`` that follows its references to the other files."""
    registry: Registry[Any] = Registry().with_resources(
        (path.as_uri(), DRAFT202012.create_resource(json.loads(path.read_text())))
        for path in SCHEMA_DIR.glob("**/*.json")
    )
    return Draft202012Validator({"$ref": (SCHEMA_DIR / relative).as_uri()}, registry=registry)


def _problems(relative: str, instance: Any) -> list[str]:
    return [f"{relative}: {error.json_path}: {error.message}" for error in _validator(relative).iter_errors(instance)]


def _wire_problems(message: dict[str, Any], method_of: dict[Any, str]) -> list[str]:
    """Each way ``message`` differs from its envelope's schema and its method's or notification's schema."""
    if "method" in message:
        return [*_problems("envelope/notification.json", message),
                *_problems(f"notifications/{message['method']}.json", message["params"])]
    if "error" in message:
        return _problems("envelope/error-response.json", message)
    return [*_problems("envelope/response.json", message),
            *_problems(f"methods/{method_of[message['id']]}.result.json", message["result"])]


def test_what_the_bridge_writes_matches_the_published_schemas(tmp_path: Path) -> None:
    """Every line of a session that goes through results, deltas, statuses and errors of each kind is
    valid against docs/schema/: every member the schemas require is on the wire, and nothing else."""
    root = tmp_path / "dl"
    root.mkdir()
    memory = MemoryServer(root, password=SECRET)
    torrent = make_test_torrent(tmp_path / "payload", "schema.bin")
    method_of: dict[Any, str] = {}

    async def main() -> Harness:
        h = Harness(memory_factory(lambda _url: memory.transport()))

        def deltas() -> list[dict[str, Any]]:
            return h.notifications("torrents.delta")

        async def call(method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
            reply = await h.call(method, params)
            method_of[reply["id"]] = method
            return reply

        try:
            await call("bridge.info")
            wrong = {"name": "nas", "url": "memory://127.0.0.1", "username": "admin", "password": "wrong"}
            assert (await call("servers.add", wrong))["error"]["data"]["kind"] == "AuthenticationError"
            await call("servers.add", {**wrong, "password": SECRET})
            s = {"server": "nas"}
            await call("subscribe", {**s, "interval": 0.05})
            await h.wait_for(lambda: h.notifications("torrents.delta"))
            content = base64.b64encode(torrent.content).decode()
            added = (await call("torrents.add", {**s, "torrent": content, "label": "x"}))["result"]
            await call("torrents.add", {**s, "uri": "magnet:?xt=urn:btih:" + "a" * 40, "paused": True})
            await call("servers.list")
            for method in ("servers.info", "servers.stats", "torrents.list"):
                await call(method, s)
            for method in ("torrents.get", "torrents.files", "torrents.trackers", "torrents.peers"):
                await call(method, {**s, "id": added["id"]})
            await call("torrents.pause", {**s, "ids": [added["id"]]})
            await h.wait_for(lambda: any(n["delta"] and n["delta"]["changed"] for n in deltas()))
            await call("torrents.get", {**s, "id": "nope"})  # TorrentNotFoundError
            await call("torrents.pause", {**s, "ids": "not-a-list"})  # InvalidParams with its errors
            await call("torrents.nuke", s)  # MethodNotFound
            await h.feed(b"{not json\n")  # ParseError, id null
            await h.feed(b'{"jsonrpc": "2.0", "id": 9, "method": "' + b"x" * 200 + b'"}\n', max_bytes=100)
            memory.faults.extend(["500"] * 3)  # failed polls: an error notice and a reconnecting status
            await h.wait_for(lambda: any(n["error"] for n in deltas()))
            await h.wait_for(lambda: any(n["status"] == "reconnecting" for n in h.notifications("servers.status")))
            await call("unsubscribe", s)
            await call("servers.remove", s)
        finally:
            await h.bridge.close()
        return h

    h = asyncio.run(main())
    problems = [problem for message in h.messages for problem in _wire_problems(message, method_of)]
    assert problems == []
    kinds = {m["error"]["data"]["kind"] for m in h.messages if "error" in m}
    assert kinds >= {"AuthenticationError", "TorrentNotFoundError", "InvalidParams", "MethodNotFound", "ParseError",
                     "MessageTooLarge"}
    assert {m["method"] for m in h.messages if "method" in m} >= {"torrents.delta", "servers.status"}


def test_a_partial_failure_carries_complete_errors_per_id() -> None:
    failure = enunclic.PartialFailureError(
        "1 of 2 failed", {"a": enunclic.TorrentNotFoundError("gone")}, backend="memory", operation="pause"
    )
    reply = server._error_reply(3, errors.from_enunclic(failure))
    assert reply["error"]["data"]["failures"] == {
        "a": {"kind": "TorrentNotFoundError", "message": "gone", "backend": None, "operation": None,
              "native_code": None, "certificate": None},
    }
    assert "errors" not in reply["error"]["data"] and "limit" not in reply["error"]["data"]
    assert _problems("envelope/error-response.json", reply) == []


def test_what_the_bridge_sends_is_required_and_what_a_gui_sends_may_be_left_out() -> None:
    """Serialization schemas require every member (an error's data leaves out only what does not
    apply); params keep their defaults optional, as the bridge accepts them."""
    definitions = json.loads((SCHEMA_DIR / "definitions.json").read_text())["$defs"]
    torrent = definitions["Torrent"]
    assert set(torrent["required"]) == set(torrent["properties"])  # size, speeds, dates: always sent
    for name in ("WireDelta", "DeltaNotice", "ServerState", "ErrorInfo", "TorrentPage", "RpcError"):
        assert set(definitions[name]["required"]) == set(definitions[name]["properties"]), name
    error_data = definitions["ErrorData"]
    assert set(error_data["properties"]) - set(error_data["required"]) == server.ERROR_DATA_WHEN_SET
    assert definitions["TorrentsListParams"]["required"] == ["server"]
    assert "required" not in definitions["NoParams"]


def test_the_schema_rejects_a_reply_missing_an_always_sent_member() -> None:
    torrent = {"id": "t1", "info_hash": None, "name": "n", "state": "seeding", "native_state": "x", "progress": 1.0}
    problems = _problems("methods/torrents.get.result.json", torrent)
    assert any("'size' is a required property" in problem for problem in problems)
