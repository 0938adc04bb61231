"""watch() / awatch(): deltas forever, failures as events with capped jittered backoff, clean end on close."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import pydantic
import pytest
from enunclic_memory import MemoryServer

import enunclic
from enunclic import Delta, Torrent, TorrentState
from enunclic.watch import Backoff, ErrorInfo, WatchEvent, apply_delta, awatch, watch
from tests.conftest import MEMORY_URL

MAGNET = "magnet:?xt=urn:btih:" + "ab" * 20


def _no_jitter(**kw: Any) -> Backoff:
    return Backoff(jitter=0.0, **kw)


def test_sync_watch_reports_baseline_then_changes(memory_server: MemoryServer) -> None:
    with enunclic.connect(MEMORY_URL, transport=memory_server.transport()) as client:
        added = client.add(MAGNET)
        sleeps: list[float] = []
        steps = iter([lambda: client.pause(added.id), lambda: None, lambda: client.remove(added.id)])

        def sleep(seconds: float) -> None:
            sleeps.append(seconds)
            next(steps, lambda: None)()

        events = []
        for event in watch(client, 0.5, sleep=sleep):
            events.append(event)
            if len(events) == 4:
                break
    assert [e.ok for e in events] == [True] * 4
    first, paused, idle, removed = (e.delta for e in events)
    assert first is not None and [t.id for t in first.added] == [added.id]
    assert paused is not None and paused.changed_fields == {added.id: frozenset({"state", "native_state", "progress"})}
    assert idle is not None and idle.empty
    assert removed is not None and removed.removed == [added.id]
    assert sleeps == [0.5, 0.5, 0.5]


def test_skip_empty_leaves_out_idle_polls(memory_server: MemoryServer) -> None:
    with enunclic.connect(MEMORY_URL, transport=memory_server.transport()) as client:
        tid = client.add(MAGNET).id
        polls = {"n": 0}

        def sleep(_: float) -> None:
            polls["n"] += 1
            if polls["n"] == 3:  # two idle polls, then a change
                client.set_label(tid, "linux")

        events = watch(client, 1.0, skip_empty=True, sleep=sleep)
        baseline, labelled = next(events), next(events)
        events.close()
    assert baseline.delta is not None and len(baseline.delta.added) == 1
    assert labelled.delta is not None and labelled.delta.changed_fields[tid] == frozenset({"label"})
    assert polls["n"] == 3


def test_failures_are_events_with_backoff_and_success_resets(memory_server: MemoryServer) -> None:
    with enunclic.connect(MEMORY_URL, transport=memory_server.transport()) as client:
        client.poll()  # logged in, baseline taken
        memory_server.faults.extend(["500", "html", "500"])
        sleeps: list[float] = []
        events = watch(client, 2.0, backoff=_no_jitter(initial=1.0, maximum=3.0), sleep=sleeps.append)
        got = [next(events) for _ in range(5)]
        events.close()
    errors = got[:3]
    assert [e.attempt for e in errors] == [1, 2, 3]
    assert [e.next_retry_in for e in errors] == [1.0, 2.0, 3.0]  # doubled, then capped
    kinds = [e.error.kind if e.error is not None else None for e in errors]
    assert kinds == ["ServerError", "ProtocolError", "ServerError"] and all(e.delta is None for e in errors)
    assert errors[0].error is not None and errors[0].error.backend == "memory"
    assert errors[0].error.operation == "poll"
    assert got[3].ok and got[3].attempt == 0 and got[3].next_retry_in is None
    assert got[4].ok
    assert sleeps == [1.0, 2.0, 3.0, 2.0]  # the sleep after the 5th event never ran


def test_watch_ends_when_the_client_is_closed(memory_server: MemoryServer) -> None:
    client = enunclic.connect(MEMORY_URL, transport=memory_server.transport())
    seen = list(watch(client, 0.0, sleep=lambda _: client.close()))
    assert len(seen) == 1 and seen[0].ok


def test_watch_on_an_already_closed_client_yields_nothing(memory_server: MemoryServer) -> None:
    client = enunclic.connect(MEMORY_URL, transport=memory_server.transport())
    client.close()
    assert list(watch(client, 0.0, sleep=lambda _: None)) == []


def test_a_bug_is_never_swallowed() -> None:
    class Broken:
        def poll(self, *, retry: bool = True) -> Delta:
            raise RuntimeError("bug in a backend")

    with pytest.raises(RuntimeError, match="bug in a backend"):
        next(watch(Broken(), 1.0, sleep=lambda _: None))


def test_bad_interval_is_refused(memory_server: MemoryServer) -> None:
    with enunclic.connect(MEMORY_URL, transport=memory_server.transport()) as client, \
            pytest.raises(enunclic.InvalidInputError):
        next(watch(client, -1))


def test_async_watch_reports_errors_and_recovers(memory_server: MemoryServer) -> None:
    async def scenario() -> list[WatchEvent]:
        sleeps: list[float] = []

        async def sleep(seconds: float) -> None:
            sleeps.append(seconds)

        async with enunclic.connect_async(MEMORY_URL, transport=memory_server.transport()) as client:
            await client.add(MAGNET)
            memory_server.faults.append("truncated")
            got = []
            async for event in awatch(client, 0.25, backoff=_no_jitter(initial=0.5), sleep=sleep):
                got.append(event)
                if len(got) == 2:
                    break
            assert sleeps == [0.5]
            return got

    error, recovered = asyncio.run(scenario())
    assert error.error is not None and error.error.kind == "ProtocolError" and error.next_retry_in == 0.5
    assert recovered.delta is not None and len(recovered.delta.added) == 1


def test_async_watch_ends_on_close(memory_server: MemoryServer) -> None:
    async def scenario() -> int:
        client = enunclic.connect_async(MEMORY_URL, transport=memory_server.transport())

        async def sleep(_: float) -> None:
            await client.close()

        return len([e async for e in awatch(client, 0.0, sleep=sleep)])

    assert asyncio.run(scenario()) == 1


def test_async_watch_stops_when_cancelled(memory_server: MemoryServer) -> None:
    async def scenario() -> int:
        count = 0
        async with enunclic.connect_async(MEMORY_URL, transport=memory_server.transport()) as client:

            async def consume() -> None:
                nonlocal count
                async for _ in awatch(client, 0.01):
                    count += 1

            task = asyncio.ensure_future(consume())
            await asyncio.sleep(0.1)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        return count

    assert asyncio.run(scenario()) >= 2


# -- backoff -----------------------------------------------------------------------------------


def test_backoff_is_capped_and_jittered_downwards() -> None:
    backoff = Backoff(initial=1.0, maximum=10.0, factor=2.0, jitter=0.5, rng=random.Random(7))  # noqa: S311
    for attempt, base in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (50, 10.0), (10_000, 10.0)]:
        delays = {backoff.delay(attempt) for _ in range(50)}
        assert all(base * 0.5 <= d <= base for d in delays), (attempt, delays)
        assert len(delays) > 1  # really jittered


@pytest.mark.parametrize(
    "kwargs",
    [{"initial": 0}, {"initial": 5, "maximum": 1}, {"factor": 0.5}, {"jitter": 1.5}, {"jitter": -0.1}],
)
def test_bad_backoff_is_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(enunclic.InvalidInputError):
        Backoff(**kwargs)  # type: ignore[arg-type]


# -- the event type ---------------------------------------------------------------------------------


def test_watch_event_is_frozen_and_json_ready() -> None:
    torrent = Torrent(id="a", name="a", state=TorrentState.SEEDING, native_state="seeding", progress=1.0)
    event = WatchEvent(
        delta=Delta(changed=[torrent], changed_fields={"a": frozenset({"label"})}),
        error=None,
    )
    failure = WatchEvent(
        error=ErrorInfo(kind="ConnectError", message="refused", backend="x", native_code=7), attempt=2,
        next_retry_in=1.5,
    )
    for item in (event, failure):
        text = json.dumps(item.model_dump(mode="json"))
        assert WatchEvent.model_validate_json(text) == item
    with pytest.raises(pydantic.ValidationError):
        event.attempt = 3  # type: ignore[misc]
    assert not failure.ok and event.ok


def test_error_info_from_an_exception() -> None:
    exc = enunclic.ServerError("refused", backend="synology", operation="pause", native_code=544)
    assert ErrorInfo.from_error(exc) == ErrorInfo(
        kind="ServerError", message="refused", backend="synology", operation="pause", native_code=544
    )


def test_apply_delta() -> None:
    def t(tid: str, label: str | None = None) -> Torrent:
        return Torrent(id=tid, name=tid, state=TorrentState.SEEDING, native_state="s", progress=1.0, label=label)

    before = {"a": t("a"), "b": t("b")}
    after = apply_delta(before, Delta(added=[t("c")], changed=[t("a", "x")], removed=["b"],
                                      changed_fields={"a": frozenset({"label"})}))
    assert after == {"a": t("a", "x"), "c": t("c")}
    assert before == {"a": t("a"), "b": t("b")}  # not modified in place
