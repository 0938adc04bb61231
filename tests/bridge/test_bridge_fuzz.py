"""Fuzzing the bridge's input: after any line (bytes, JSON of any shape, requests with hostile ids and
params), the next well-formed request is answered, and every line the bridge wrote is valid (the harness
checks each against the schemas)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import Harness, memory_factory

#: Text with everything, lone surrogates included.
TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=20)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
METHODS = st.sampled_from(["servers.list", "bridge.info", "torrents.list", "servers.add", "nope", "__init__"])
REQUESTS = st.fixed_dictionaries(
    {"jsonrpc": st.sampled_from(["2.0", "1.0", 2]), "method": METHODS | TEXT},
    optional={"id": JSON_VALUES, "params": JSON_VALUES},
)
LINES = st.one_of(
    st.binary(max_size=200),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    REQUESTS.map(lambda value: json.dumps(value).encode()),
    st.lists(REQUESTS, max_size=3).map(lambda batch: json.dumps(batch).encode()),
)


def _answers_after(junk: bytes) -> dict[str, Any]:
    async def main() -> dict[str, Any]:
        harness = Harness(memory_factory(lambda _url: None))
        try:
            await harness.feed(junk.replace(b"\n", b" ") + b"\n")
            return await harness.call("bridge.info")
        finally:
            await harness.bridge.close()

    return asyncio.run(main())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk=LINES)
def test_any_line_costs_only_its_own_reply(junk: bytes) -> None:
    reply = _answers_after(junk)
    assert "result" in reply and reply["result"]["methods"], reply
