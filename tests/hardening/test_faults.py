"""The fault suite: every backend, every way a reply or a connection goes wrong.

Each fault ends in a transparent recovery (a retried read, a restored session) or in
the typed error for it; a write is never sent twice; nothing that failed is reported
as done; and the same client works afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

import enunclic
from enunclic import (
    AuthenticationError,
    ConnectError,
    EnunclicError,
    ProtocolError,
    RequestTimeout,
    ServerError,
    TorrentState,
)

from .conftest import run
from .fakes import BACKENDS, SESSION_BACKENDS, Target, make_target
from .wire import Fault

#: A reply fault on a read -> the error classes that are right for it.
REPLY_FAULTS: Mapping[Fault, tuple[type[EnunclicError], ...]] = {
    # A 5xx is the server's failure (ServerError), or a reply we cannot use (ProtocolError),
    # or, behind a web server, "rTorrent unreachable" (ConnectError for 502/503).
    Fault.HTTP_500: (ServerError, ProtocolError),
    Fault.HTTP_503: (ServerError, ProtocolError, ConnectError),
    Fault.HTML: (AuthenticationError,),  # a login page of a proxy or portal (docs/errors.md)
    Fault.TRUNCATED: (ProtocolError,),
    Fault.EMPTY: (ProtocolError,),
    Fault.WRONG_SHAPE: (ProtocolError,),
    Fault.HUGE: (ProtocolError,),
    Fault.DEEP: (ProtocolError,),
}

#: Replies that mean "unavailable right now": a backend may retry a read after them (rTorrent's 503).
MAY_RECOVER = frozenset({Fault.HTTP_503})

#: Transport faults where the server never saw the request: a read is retried.
BEFORE_SERVER = (Fault.RESET, Fault.TIMEOUT, Fault.REFUSED)
#: The error each transport fault surfaces as when it is not (or no longer) retried.
TRANSPORT_ERRORS: Mapping[Fault, type[EnunclicError]] = {
    Fault.RESET: ConnectError,
    Fault.RESET_AFTER: ConnectError,
    Fault.REFUSED: ConnectError,
    Fault.TIMEOUT: RequestTimeout,
    Fault.TIMEOUT_AFTER: RequestTimeout,
}

CAP = 1024 * 1024


def _cases() -> list[tuple[str, Fault]]:
    return [(b, f) for b in BACKENDS for f in REPLY_FAULTS]


def _ids(target: Target) -> set[str]:
    return {target.id_of(i) for i in range(6)}


# -- reads ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("backend", "fault"), _cases())
def test_a_bad_reply_to_a_list_is_a_typed_error_and_the_client_recovers(backend: str, fault: Fault) -> None:
    target = make_target(backend, 6)
    with target.client(max_reply_bytes=CAP) as client:
        assert {t.id for t in client.torrents()} == _ids(target)
        target.wire.reset_counters()
        target.wire.arm(fault, target.is_list)
        try:
            recovered = client.torrents()
        except REPLY_FAULTS[fault] as exc:
            assert exc.backend == backend and exc.operation == "torrents"
        else:  # only a "try again later" reply may be retried, and then the result is whole
            assert fault in MAY_RECOVER, f"{fault.value} was taken for a good reply"
            assert {t.id for t in recovered} == _ids(target)
            assert sum(1 for r in target.wire.requests if target.is_list(r)) == 2
        assert {t.id for t in client.torrents()} == _ids(target)


@pytest.mark.parametrize(("backend", "fault"), _cases())
def test_a_bad_reply_to_a_poll_leaves_the_next_poll_exact(backend: str, fault: Fault) -> None:
    """A failed poll must not lose or invent changes: the next one reports the state as it is."""
    target = make_target(backend, 6)

    async def scenario() -> None:
        async with target.connect_async(max_reply_bytes=CAP) as client:
            first = await client.poll()
            assert {t.id for t in first.added} == _ids(target)
            target.wire.arm(fault, target.is_list)
            try:
                await client.poll()
            except REPLY_FAULTS[fault]:
                pass
            else:
                assert fault in MAY_RECOVER
            again = await client.poll()
            assert not again.added and not again.removed
            assert {t.id for t in await client.torrents()} == _ids(target)

    run(scenario())


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fault", BEFORE_SERVER)
def test_a_read_is_retried_after_a_transport_failure(backend: str, fault: Fault) -> None:
    target = make_target(backend, 6)
    with target.client() as client:
        client.torrents()
        target.wire.reset_counters()
        target.wire.arm(fault, target.is_list)
        assert {t.id for t in client.torrents()} == _ids(target)
        lists = [at for r, at in zip(target.wire.requests, target.wire.arrivals, strict=True) if target.is_list(r)]
        assert len(lists) >= 2  # the failed one and the retry
        assert lists[1] - lists[0] >= 0.15, "the retry did not back off"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fault", BEFORE_SERVER)
def test_without_retries_a_transport_failure_is_a_typed_error(backend: str, fault: Fault) -> None:
    target = make_target(backend, 6)
    with target.client(retries=0) as client:
        client.torrents()
        target.wire.arm(fault, target.is_list)
        with pytest.raises(TRANSPORT_ERRORS[fault]):
            client.torrents()
        assert len(client.torrents()) == 6


@pytest.mark.parametrize("backend", BACKENDS)
def test_retries_stop_after_the_configured_number(backend: str) -> None:
    target = make_target(backend, 6)
    with target.client(retries=1) as client:
        client.torrents()
        target.wire.reset_counters()
        target.wire.arm(Fault.RESET, target.is_list, times=5)
        with pytest.raises(ConnectError):
            client.torrents()
        assert sum(1 for r in target.wire.requests if target.is_list(r)) == 2
        target.wire.disarm()
        assert len(client.torrents()) == 6


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_timeout_reaches_every_request(backend: str) -> None:
    """Every request a backend sends is bounded by what is left of its call's deadline (the client's timeout)."""
    target = make_target(backend, 6)
    with target.client(timeout=3.5) as client:
        client.torrents()
        client.pause(target.id_of(1))
    timeouts = [r.extensions.get("timeout") for r in target.wire.requests]
    assert timeouts and all(set(t) == {"connect", "read", "write", "pool"} for t in timeouts)
    values = [value for t in timeouts for value in t.values()]
    assert all(0 < value <= 3.5 for value in values) and max(values) > 3.0  # a backend may bound one request more


# -- writes ------------------------------------------------------------------------------------------

WRITE_FAULTS = (Fault.RESET, Fault.RESET_AFTER, Fault.TIMEOUT, Fault.TIMEOUT_AFTER, Fault.REFUSED, Fault.HTTP_500)


def _state(client: enunclic.Client, torrent_id: str) -> TorrentState:
    return next(t.state for t in client.torrents() if t.id == torrent_id)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fault", WRITE_FAULTS)
def test_a_failed_pause_is_an_error_and_is_sent_once(backend: str, fault: Fault) -> None:
    """No retry of a write; a pause the server never applied is not reported as done."""
    target = make_target(backend, 6)
    victim = target.id_of(1)  # downloading
    with target.client() as client:
        assert _state(client, victim) is not TorrentState.PAUSED
        target.wire.reset_counters()
        target.wire.arm(fault, target.is_write)
        with pytest.raises((ConnectError, RequestTimeout, ServerError, ProtocolError)):
            client.pause(victim)
        assert target.writes_sent() == 1, "a write was retried"
        applied = fault in (Fault.RESET_AFTER, Fault.TIMEOUT_AFTER)
        assert (_state(client, victim) is TorrentState.PAUSED) is applied
        client.pause(victim)  # usable afterwards, and the pause is idempotent on the server
        assert _state(client, victim) is TorrentState.PAUSED


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fault", [Fault.RESET_AFTER, Fault.TIMEOUT_AFTER, Fault.HTTP_500])
def test_a_failed_remove_is_sent_once(backend: str, fault: Fault) -> None:
    target = make_target(backend, 6)
    victim = target.id_of(2)
    with target.client() as client:
        client.torrents()
        target.wire.reset_counters()
        target.wire.arm(fault, target.is_write)
        with pytest.raises((ConnectError, RequestTimeout, ServerError, ProtocolError)):
            client.remove(victim)
        assert target.writes_sent() == 1, "a remove was retried"
        left = {t.id for t in client.torrents()}
        assert (victim in left) is (fault is Fault.HTTP_500)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_add_whose_answer_was_lost_is_not_sent_twice(backend: str) -> None:
    """The add reached the server, the answer did not: one torrent, and adding again says duplicate."""
    target = make_target(backend, 6)
    source = "magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=lost-answer"
    with target.client() as client:
        client.torrents()
        target.wire.reset_counters()
        target.wire.arm(Fault.RESET_AFTER, target.is_write)
        with pytest.raises(ConnectError):
            client.add(source)
        assert target.writes_sent() == 1
        again = client.add(source)
        assert again.duplicate and again.info_hash == "ab" * 20
        # Download Station lists a refused duplicate as an error twin of the task: count real ones.
        hashes = [t.info_hash for t in client.torrents() if t.state is not TorrentState.ERROR]
        assert hashes.count("ab" * 20) == 1


# -- sessions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", SESSION_BACKENDS)
def test_a_session_lost_between_polls_is_restored_once(backend: str) -> None:
    target = make_target(backend, 6)
    with target.client() as client:
        assert len(client.poll().added) == 6
        renewals = target.renewals()
        target.server.expire()
        target.server.touch([target.id_of(1), target.id_of(4)] if backend != "synology" else [])
        delta = client.poll()
        assert not delta.added and not delta.removed
        if backend != "synology":
            assert {t.id for t in delta.changed} == {target.id_of(1), target.id_of(4)}
        assert target.renewals() - renewals == 1
        assert len(client.torrents()) == 6
        assert target.renewals() - renewals == 1


@pytest.mark.parametrize("backend", SESSION_BACKENDS)
def test_a_session_lost_before_a_write_is_restored_and_the_write_applied_once(backend: str) -> None:
    target = make_target(backend, 6)
    victim = target.id_of(1)
    with target.client() as client:
        client.torrents()
        target.server.expire()
        client.pause(victim)
        assert _state(client, victim) is TorrentState.PAUSED


@pytest.mark.parametrize("backend", SESSION_BACKENDS)
def test_concurrent_calls_after_a_session_loss_log_in_once(backend: str) -> None:
    import asyncio

    target = make_target(backend, 6)

    async def scenario() -> None:
        async with target.connect_async() as client:
            await client.torrents()
            renewals = target.renewals()
            target.server.expire()
            results = await asyncio.gather(*(client.torrents() for _ in range(8)))
            assert all(len(r) == 6 for r in results)
            if backend == "transmission":  # no lock around the 409 dance: each call may meet it once
                assert 1 <= target.renewals() - renewals <= 8
            else:
                assert target.renewals() - renewals == 1

    run(scenario())
