"""The drivers: error translation, size cap, session renewal, single-flight login, one request per bulk op."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx
import pytest
from enunclic_memory import MemoryServer

import enunclic
from enunclic import (
    AuthenticationError,
    ClientClosedError,
    ConnectError,
    EnunclicError,
    InvalidInputError,
    ProtocolError,
    RequestTimeout,
    ServerError,
    SessionExpiredError,
    TorrentNotFoundError,
)
from enunclic.testing.torrents import make_test_torrent

from ..conftest import MEMORY_URL


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_is_connect_error() -> None:
    with enunclic.connect(f"memory://admin:secret@127.0.0.1:{_closed_port()}", timeout=2) as client:
        with pytest.raises(ConnectError) as caught:
            client.torrents()
    assert (caught.value.backend, caught.value.operation) == ("memory", "torrents")
    assert "secret" not in str(caught.value)


def test_timeouts_are_request_timeout() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with enunclic.connect(MEMORY_URL, transport=httpx.MockTransport(slow)) as client:
        with pytest.raises(RequestTimeout) as caught:
            client.info()
    assert isinstance(caught.value, TimeoutError)


def test_connection_reset_is_connect_error() -> None:
    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("Connection reset by peer", request=request)

    with enunclic.connect(MEMORY_URL, transport=httpx.MockTransport(reset)) as client, pytest.raises(ConnectError):
        client.info()


@pytest.mark.parametrize(
    ("fault", "error"), [("html", ProtocolError), ("truncated", ProtocolError), ("500", ServerError)]
)
def test_unreadable_replies_are_typed_errors_and_the_client_stays_usable(
    memory_client: object, memory_server: MemoryServer, fault: str, error: type[EnunclicError]
) -> None:
    client = memory_client
    client.torrents()  # type: ignore[attr-defined]
    memory_server.faults.append(fault)
    with pytest.raises(error):
        client.torrents()  # type: ignore[attr-defined]
    assert client.torrents() == []  # type: ignore[attr-defined]


def test_reply_size_cap() -> None:
    big = json.dumps({"result": "x" * 5000}).encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=big))
    with enunclic.connect(MEMORY_URL, transport=transport, max_reply_bytes=1000) as client:
        with pytest.raises(ProtocolError, match="larger than 1000 bytes"):
            client.info()


def test_expired_session_is_renewed_once_transparently(memory_client: object, memory_server: MemoryServer) -> None:
    client = memory_client
    client.torrents()  # type: ignore[attr-defined]
    memory_server.faults.append("expire")
    assert client.torrents() == []  # type: ignore[attr-defined]
    assert memory_server.logins == 2


def test_a_second_expiry_surfaces_as_session_expired(memory_client: object, memory_server: MemoryServer) -> None:
    client = memory_client
    client.torrents()  # type: ignore[attr-defined]
    # expire on the call, and again on the retry after the re-login
    memory_server.faults.extend(["expire", None, "expire"])  # type: ignore[list-item]
    with pytest.raises(SessionExpiredError, match="again"):
        client.torrents()  # type: ignore[attr-defined]
    assert client.torrents() == []  # type: ignore[attr-defined]


def test_wrong_password_is_authentication_error(memory_server: MemoryServer) -> None:
    with enunclic.connect("memory://admin:Canary-Pw-77@127.0.0.1", transport=memory_server.transport()) as client:
        with pytest.raises(AuthenticationError) as caught:
            client.torrents()
    assert caught.value.native_code == "auth"
    assert "Canary-Pw-77" not in str(caught.value)


def test_concurrent_async_calls_after_expiry_log_in_once(memory_server: MemoryServer) -> None:
    async def scenario() -> None:
        async with enunclic.connect_async(MEMORY_URL, transport=memory_server.transport()) as client:
            results = await asyncio.gather(*(client.torrents() for _ in range(10)))
            assert results == [[]] * 10
            assert memory_server.logins == 1
            memory_server.tokens.clear()
            await asyncio.gather(*(client.torrents() for _ in range(10)))
            assert memory_server.logins == 2

    asyncio.run(scenario())


def test_bulk_operations_are_one_request(memory_client: object, memory_server: MemoryServer) -> None:
    client = memory_client
    ids = [
        client.add(make_test_torrent(memory_server.root, f"b{i}.bin").content).id  # type: ignore[attr-defined]
        for i in range(5)
    ]
    before = len(memory_server.requests)
    client.pause(ids + ids)  # type: ignore[attr-defined]
    assert len(memory_server.requests) == before + 1
    assert json.loads(memory_server.requests[-1].content)["params"]["ids"] == ids


def test_not_found_maps_to_lookup_error(memory_client: object) -> None:
    with pytest.raises(LookupError):
        memory_client.torrent("t42")  # type: ignore[attr-defined]
    with pytest.raises(TorrentNotFoundError):
        memory_client.pause(["t42"])  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.pause([""]),
        lambda c: c.pause([1]),
        lambda c: c.torrent(""),
        lambda c: c.set_limits(download=-1),
        lambda c: c.set_limits(download=True),
        lambda c: c.set_torrent_limits("t1", upload=1.5),
        lambda c: c.set_file_priority("t1", [-1], "skip"),
        lambda c: c.set_file_priority("t1", [0], "urgent"),
        lambda c: c.queue_move("t1", "sideways"),
        lambda c: c.move("t1", " "),
        lambda c: c.add("magnet:?xt=urn:btih:" + "a" * 40, destination=""),
    ],
)
def test_bad_arguments_are_refused_before_any_request(
    memory_client: object, memory_server: MemoryServer, call: object
) -> None:
    with pytest.raises(InvalidInputError):
        call(memory_client)  # type: ignore[operator]
    assert memory_server.requests == []


def test_closed_client_refuses_calls(memory_server: MemoryServer) -> None:
    client = enunclic.connect(MEMORY_URL, transport=memory_server.transport())
    client.torrents()
    client.close()
    client.close()
    assert memory_server.tokens == set()  # logged out
    with pytest.raises(ClientClosedError, match="closed") as caught:
        client.torrents()
    assert isinstance(caught.value, RuntimeError) and not isinstance(caught.value, InvalidInputError)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": 0}, "timeout"),
        ({"verify": "/nonexistent/ca.pem"}, "CA bundle"),
        ({"max_reply_bytes": 0}, "max_reply_bytes"),
    ],
)
def test_bad_client_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        enunclic.connect(MEMORY_URL, **options)


class _Flaky:
    """Fails the first ``failures`` requests with a connection error, then serves the memory server."""

    def __init__(self, server: MemoryServer, failures: int) -> None:
        self.server, self.failures, self.attempts = server, failures, 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise httpx.ConnectError("Connection refused", request=request)
        return self.server.handle(request)


def test_idempotent_reads_are_retried_with_backoff(memory_server: MemoryServer) -> None:
    flaky = _Flaky(memory_server, failures=2)
    with enunclic.connect(MEMORY_URL, transport=httpx.MockTransport(flaky)) as client:
        assert client.torrents() == []
        assert flaky.attempts == 4  # two failures, then login and list


def test_writes_are_never_retried(memory_server: MemoryServer) -> None:
    with enunclic.connect(MEMORY_URL, transport=memory_server.transport()) as client:
        client.torrents()
        flaky = _Flaky(memory_server, failures=1)
        client._driver.http._transport = httpx.MockTransport(flaky)  # the network fails from here on
        with pytest.raises(ConnectError):
            client.pause("t1")
        assert flaky.attempts == 1


def test_retries_zero_gives_up_at_once(memory_server: MemoryServer) -> None:
    flaky = _Flaky(memory_server, failures=1)
    with enunclic.connect(MEMORY_URL, transport=httpx.MockTransport(flaky), retries=0) as client:
        with pytest.raises(ConnectError):
            client.torrents()
        assert flaky.attempts == 1
