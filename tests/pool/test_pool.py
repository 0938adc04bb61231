"""The pool: concurrent polls, per-server timeouts and status, backoff, fatal errors, any mix of backends."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from pathlib import Path

import pytest
from enunclic_memory import MemoryServer

import enunclic
from enunclic import AsyncClient
from enunclic.pool import RETRY_POLICY, Pool, ServerState, ServerStatus, is_retryable
from enunclic.watch import Backoff
from tests.conftest import MEMORY_URL

from .slow import SlowTransport

MAGNET = "magnet:?xt=urn:btih:{:040x}"


def _server(tmp_path: Path, name: str, **kw: str) -> MemoryServer:
    root = tmp_path / name
    root.mkdir()
    return MemoryServer(root, **kw)


def _client(transport: SlowTransport | object, password: str = "secret") -> AsyncClient:
    return enunclic.connect_async(MEMORY_URL, password=password, transport=transport)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_ten_slow_servers_take_about_as_long_as_one(tmp_path: Path) -> None:
    async def scenario() -> tuple[float, dict[str, object]]:
        pool = Pool(timeout=5.0)
        transports = []
        for i in range(10):
            transport = SlowTransport(_server(tmp_path, f"s{i}"), delay=0.3)
            transports.append(transport)
            pool.add(f"s{i}", _client(transport))
        await pool.poll()  # logs in everywhere (two requests each)
        started = time.perf_counter()
        events = await pool.poll()
        elapsed = time.perf_counter() - started
        assert all(t.requests == 3 for t in transports)
        await pool.close()
        return elapsed, dict(events)

    elapsed, events = asyncio.run(scenario())
    assert len(events) == 10
    # Sequential polling would take 10 x 0.3 s = 3 s; concurrent takes ~0.3 s. Generous bound.
    assert elapsed < 1.5, elapsed


def test_a_hung_server_does_not_stall_the_others(tmp_path: Path) -> None:
    async def scenario() -> None:
        pool = Pool(timeout=0.5, backoff=lambda: Backoff(initial=5.0, jitter=0.0))
        fast = [SlowTransport(_server(tmp_path, f"f{i}")) for i in range(3)]
        hung = SlowTransport(_server(tmp_path, "hung"))
        hung.hang = True
        for i, transport in enumerate(fast):
            pool.add(f"f{i}", _client(transport))
        pool.add("hung", _client(hung))
        started = time.perf_counter()
        events = await pool.poll()
        elapsed = time.perf_counter() - started
        assert 0.4 < elapsed < 2.0, elapsed
        assert all(events[f"f{i}"].ok for i in range(3))
        failure = events["hung"].error
        assert failure is not None and failure.kind == "RequestTimeout" and failure.operation == "poll"
        state = pool.state("hung")
        assert state.status is ServerStatus.RECONNECTING
        assert state.attempt == 1 and state.next_retry_in is not None and 4.0 < state.next_retry_in <= 5.0
        assert {s.name: s.status for s in pool.states()} == {
            "f0": ServerStatus.CONNECTED, "f1": ServerStatus.CONNECTED, "f2": ServerStatus.CONNECTED,
            "hung": ServerStatus.RECONNECTING,
        }
        # Backing off: the next round skips it and is fast again.
        started = time.perf_counter()
        events = await pool.poll()
        assert time.perf_counter() - started < 0.4
        assert "hung" not in events and len(events) == 3
        await pool.close()

    asyncio.run(scenario())


def test_backoff_then_recovery_resets_the_status(tmp_path: Path) -> None:
    async def scenario() -> None:
        clock = FakeClock()
        server = _server(tmp_path, "a")
        transport = SlowTransport(server)
        pool = Pool(clock=clock, backoff=lambda: Backoff(initial=2.0, maximum=8.0, jitter=0.0))
        pool.add("a", _client(transport))
        assert pool.state("a").status is ServerStatus.CONNECTING
        server.faults.extend(["500", "500"])
        first = await pool.poll_server("a")
        assert first is not None and first.error is not None and first.next_retry_in == 2.0
        assert await pool.poll_server("a") is None  # not due yet: no request sent
        sent = transport.requests
        clock.now += 2.0
        second = await pool.poll_server("a")
        assert second is not None and second.attempt == 2 and second.next_retry_in == 4.0
        assert transport.requests == sent + 1
        clock.now += 4.0
        third = await pool.poll_server("a")
        assert third is not None and third.ok
        state = pool.state("a")
        assert (state.status, state.attempt, state.error, state.next_retry_in) == (
            ServerStatus.CONNECTED, 0, None, None
        )
        assert state.latency is not None and state.latency >= 0
        await pool.close()

    asyncio.run(scenario())


def test_wrong_password_fails_for_good_until_reconnect(tmp_path: Path) -> None:
    async def scenario() -> None:
        clock = FakeClock()
        server = _server(tmp_path, "a")
        transport = SlowTransport(server)
        pool = Pool(clock=clock)
        pool.add("a", _client(transport, password="wrong-password-123"))
        event = await pool.poll_server("a")
        assert event is not None and event.error is not None
        assert event.error.kind == "AuthenticationError" and event.next_retry_in is None
        assert pool.state("a").status is ServerStatus.FAILED
        clock.now += 10_000
        sent = transport.requests
        assert await pool.poll() == {}
        assert transport.requests == sent  # a failed server is left alone
        assert "wrong-password-123" not in json.dumps([s.model_dump(mode="json") for s in pool.states()])
        server.password = "wrong-password-123"  # the admin fixes the server side
        await pool.reconnect("a")
        assert pool.state("a").status is ServerStatus.CONNECTING
        info = await pool.connect("a")
        assert info.backend == "memory"
        assert pool.state("a").status is ServerStatus.CONNECTED
        assert pool.state("a").version == "memory 1.0"
        await pool.close()

    asyncio.run(scenario())


def test_a_mix_of_backends_with_one_unreachable(tmp_path: Path) -> None:
    async def scenario() -> None:
        pool = Pool(timeout=5.0)
        pool.add("mem", _client(SlowTransport(_server(tmp_path, "m"))))
        pool.add("trans", enunclic.connect_async(f"transmission://127.0.0.1:{_closed_port()}"))
        events = await pool.poll()
        assert events["mem"].ok
        failure = events["trans"].error
        assert failure is not None and failure.kind == "ConnectError" and failure.backend == "transmission"
        assert pool.state("trans").status is ServerStatus.RECONNECTING
        assert pool.state("trans").backend == "transmission"
        await pool.close()

    asyncio.run(scenario())


def test_snapshot_follows_the_deltas_and_listeners_see_status_changes(tmp_path: Path) -> None:
    async def scenario() -> None:
        server = _server(tmp_path, "a")
        pool = Pool()
        seen: list[ServerState] = []
        pool.add_listener(seen.append)
        client = _client(SlowTransport(server))
        pool.add("a", client)
        ids = [(await client.add(MAGNET.format(n))).id for n in range(1, 4)]
        await pool.poll()
        await client.remove(ids[0])
        await client.set_label(ids[1], "tv")
        await pool.poll()
        assert pool.snapshot("a") == {t.id: t for t in await client.torrents()}
        assert {t.id for t in pool.full_delta("a").added} == set(ids[1:])
        assert pool.state("a").torrents == 2
        server.faults.append("500")
        await pool.poll(force=True)
        await pool.poll(force=True)
        assert [s.status for s in seen] == [
            ServerStatus.CONNECTED, ServerStatus.RECONNECTING, ServerStatus.CONNECTED
        ]
        await pool.close()

    asyncio.run(scenario())


def test_membership_errors_and_close(tmp_path: Path) -> None:
    async def scenario() -> None:
        server = _server(tmp_path, "a")
        pool = Pool()
        client = _client(SlowTransport(server))
        pool.add("a", client)
        with pytest.raises(enunclic.InvalidInputError, match="already"):
            pool.add("a", client)
        with pytest.raises(enunclic.InvalidInputError):
            pool.add(" ", client)
        with pytest.raises(enunclic.InvalidInputError, match="no server named"):
            await pool.poll_server("nope")
        with pytest.raises(enunclic.InvalidInputError, match="no server named"):
            await pool.poll(["a", "nope"])
        await pool.connect("a")
        assert len(server.tokens) == 1
        await pool.remove("a")
        assert server.tokens == set()  # logged out
        assert "a" not in pool and len(pool) == 0
        with pytest.raises(enunclic.ClientClosedError):
            await client.torrents()

    asyncio.run(scenario())


def test_connect_failure_raises_the_typed_error(tmp_path: Path) -> None:
    async def scenario() -> None:
        pool = Pool()
        pool.add("a", _client(SlowTransport(_server(tmp_path, "a")), password="nope"))
        with pytest.raises(enunclic.AuthenticationError):
            await pool.connect("a")
        assert pool.state("a").status is ServerStatus.FAILED
        await pool.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("timeout", [0, -1, True, "5"])
def test_bad_timeout(timeout: object) -> None:
    with pytest.raises(enunclic.InvalidInputError):
        Pool(timeout=timeout)  # type: ignore[arg-type]


@pytest.mark.parametrize(("error", "retry"), [
    (enunclic.ConnectError("x"), True),
    (enunclic.RequestTimeout("x"), True),
    (enunclic.ServerError("x"), True),
    (enunclic.ProtocolError("x"), True),
    (enunclic.SessionExpiredError("x"), True),
    (enunclic.AuthenticationError("x"), False),
    (enunclic.TwoFactorRequired("x"), False),
    (enunclic.PermissionDeniedError("x"), False),
    (enunclic.InvalidInputError("x"), False),
    (enunclic.NotSupportedError("x"), False),
    (enunclic.PluginError("x"), False),
])
def test_retry_policy_rows(error: enunclic.EnunclicError, retry: bool) -> None:
    assert is_retryable(error) is retry


def test_retry_policy_lists_subclasses_before_their_bases() -> None:
    classes = [cls for cls, _ in RETRY_POLICY]
    for i, cls in enumerate(classes):
        assert not any(issubclass(cls, earlier) for earlier in classes[:i]), cls
