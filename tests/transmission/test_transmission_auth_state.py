"""The auth object and the protocol state on their own: the 409 handshake, Basic credentials, stops, facts."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from enunclic import ProtocolError
from enunclic.backends.transmission.api import Dialect
from enunclic.backends.transmission.auth import SESSION_HEADER, TransmissionAuth
from enunclic.backends.transmission.state import STOP_LANDS_WITHIN, ServerFacts, Stops

URL = "http://127.0.0.1:9091/transmission/rpc"
A, B = "a" * 40, "b" * 40


def _conflict(session_id: str | None) -> httpx.Response:
    return httpx.Response(409, headers={SESSION_HEADER: session_id} if session_id else {})


def test_the_auth_answers_a_409_with_the_id_it_carries_and_keeps_it() -> None:
    auth = TransmissionAuth("admin", "pw")
    flow = auth.auth_flow(httpx.Request("POST", URL))
    first = next(flow)
    assert SESSION_HEADER not in first.headers
    assert first.headers["Authorization"] == "Basic YWRtaW46cHc="  # admin:pw
    again = flow.send(_conflict("id-1"))
    assert again.headers[SESSION_HEADER] == "id-1"
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200))
    # The next request carries the id at once.
    assert next(auth.auth_flow(httpx.Request("POST", URL))).headers[SESSION_HEADER] == "id-1"


def test_the_auth_sends_no_credentials_when_none_are_given() -> None:
    request = next(TransmissionAuth(None, None).auth_flow(httpx.Request("POST", URL)))
    assert "Authorization" not in request.headers


@pytest.mark.parametrize(
    ("replies", "match"),
    [
        ([_conflict(None)], "without an X-Transmission-Session-Id"),
        ([_conflict("1"), _conflict("2"), _conflict("3")], "kept rejecting"),
    ],
)
def test_the_auth_gives_up_on_a_409_it_cannot_answer(replies: list[httpx.Response], match: str) -> None:
    flow = TransmissionAuth("admin", "pw").auth_flow(httpx.Request("POST", URL))
    next(flow)
    for reply in replies[:-1]:
        flow.send(reply)
    with pytest.raises(ProtocolError, match=match):
        flow.send(replies[-1])


def test_the_auth_repr_shows_no_secret() -> None:
    auth = TransmissionAuth("admin", "s3cret")
    flow = auth.auth_flow(httpx.Request("POST", URL))
    next(flow)
    flow.send(_conflict("the-session-id"))
    assert "s3cret" not in repr(auth) and "the-session-id" not in repr(auth)


class _Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_a_resume_waits_only_for_stops_sent_moments_ago() -> None:
    clock = _Clock()
    stops = Stops(clock)
    stops.stopped([A], survives_check=True)
    clock.now += STOP_LANDS_WITHIN / 2
    stops.stopped([B], survives_check=True)
    clock.now += STOP_LANDS_WITHIN / 2
    assert stops.resuming([A, B, "c" * 40]) == [B]  # A's stop is old enough to have landed
    stops.forget([B])
    assert stops.resuming([B]) == []


@pytest.mark.parametrize(
    ("status", "stop_again", "still_awaited"),
    [
        ("1", False, True),  # waiting for its check
        ("2", False, True),  # checking
        ("0", False, False),  # the pause held
        ("6", True, False),  # the check's end restarted it
        ("None", False, True),  # an odd status: keep waiting
    ],
)
def test_a_pause_an_old_server_may_undo_is_checked_on_each_read(
    status: str, stop_again: bool, still_awaited: bool
) -> None:
    stops = Stops(_Clock())
    stops.stopped([A], survives_check=False)
    assert stops.restarted({A: status}) == ([A] if stop_again else [])
    assert stops.awaiting_check is still_awaited


def test_new_servers_need_no_second_stop_and_a_resume_cancels_it() -> None:
    stops = Stops(_Clock())
    stops.stopped([A], survives_check=True)
    assert not stops.awaiting_check
    stops.stopped([A], survives_check=False)
    stops.resuming([A])
    assert not stops.awaiting_check


@pytest.mark.parametrize(
    ("session", "speed_bytes", "semver"),
    [
        ({"rpc_version": 16, "version": "3.00", "units": {"speed_bytes": 1024}}, 1024, None),
        ({"rpc_version": 17, "rpc_version_semver": "5.3.0", "units": {"speed_bytes": 0}}, 1000, "5.3.0"),
        ({"rpc_version": 18, "units": "odd"}, 1000, None),
    ],
)
def test_server_facts_read_from_session_get(session: dict[str, Any], speed_bytes: int, semver: str | None) -> None:
    facts = ServerFacts.read(session, Dialect.LEGACY)
    assert (facts.speed_bytes, facts.rpc_version_semver, facts.labels) == (speed_bytes, semver, True)


@pytest.mark.parametrize("rpc_version", [None, "16", True])
def test_a_session_without_an_integer_rpc_version_is_not_transmission(rpc_version: Any) -> None:
    with pytest.raises(ProtocolError, match="rpc-version"):
        ServerFacts.read({"rpc_version": rpc_version}, Dialect.LEGACY)


@pytest.mark.parametrize(
    ("native", "limit"),
    [(0, 0), (5, 5_000), (-1, None), ("x", None)],  # an enabled 0 is a real zero limit
)
def test_limits_read_in_the_servers_k(native: Any, limit: int | None) -> None:
    speed = ServerFacts(version=None, rpc_version=16, rpc_version_semver=None, dialect=Dialect.LEGACY).speed
    assert speed.from_native(native) == limit
