"""Line framing edge cases, and the checked-in JSON Schemas match the models."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from enunclic.bridge import schema
from enunclic.bridge.framing import LineSplitter, Oversized, encode
from enunclic.bridge.methods import METHODS, NOTIFICATIONS

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "docs" / "schema"


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
    target = copy / "methods" / "torrents.list.result.json"
    document = json.loads(target.read_text())
    document["properties"].pop("next_offset")
    target.write_text(json.dumps(document))
    (copy / "methods" / "torrents.nuke.params.json").write_text("{}")
    (copy / "index.json").unlink()
    assert schema.check(copy) == [
        "missing: index.json", "changed: methods/torrents.list.result.json", "stale: methods/torrents.nuke.params.json",
    ]
    assert schema.main(["--check", str(copy)]) == 1
    assert schema.main([str(copy)]) == 0
    assert schema.check(copy) == []


def test_passwords_are_write_only_in_the_schema() -> None:
    params = json.loads((SCHEMA_DIR / "methods" / "servers.add.params.json").read_text())
    password = params["properties"]["password"]["anyOf"][0]
    assert password == {"format": "password", "type": "string", "writeOnly": True}
    listed = (SCHEMA_DIR / "methods" / "servers.list.result.json").read_text()
    assert "password" not in listed
