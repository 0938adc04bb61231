"""The Deluge backend on the core channel, against a fake deluge-web (httpx.MockTransport, no network).

Login and cookie, re-login on codes 1 and 2, reconnecting a deluge-web that lost its daemon,
discovery, the core's status table, partial failures and logout.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

import enunclic
from enunclic.plugin import (
    AuthenticationError,
    Capability,
    EndpointNotFoundError,
    NotSupportedError,
    PartialFailureError,
    PermissionDeniedError,
    ProtocolError,
    RequestTimeout,
    ServerError,
    SessionExpiredError,
    TorrentNotFoundError,
)

from .fake_web import KNOWN, LOGIN_PAGE, PASSWORD, UNKNOWN, FakeWeb, connect


def test_login_then_every_call_carries_the_session_cookie(web: FakeWeb) -> None:
    with connect(web) as client:
        assert [t.id for t in client.torrents()] == [KNOWN]
    methods = [method for method, _ in web.calls]
    assert methods == [
        "auth.login",
        "web.get_hosts",
        "web.connected",
        "web.get_host_status",
        "web.connect",
        "core.get_enabled_plugins",  # discovery, before the first operation
        "daemon.get_version",
        "web.update_ui",
        "auth.delete_session",  # close() ends the web session
    ]
    session = web.calls[1][1]
    assert web.calls[0][1] is None
    assert session is not None
    assert all(cookie == session for _, cookie in web.calls[1:])
    assert web.sessions == set()


def test_a_lost_session_is_renewed_once_and_the_call_resent(web: FakeWeb) -> None:
    with connect(web) as client:
        client.torrents()
        web.sessions.clear()  # as deluge-web's session timeout does
        assert [t.id for t in client.torrents()] == [KNOWN]
        assert web.logins() == 2
        refused, retried = web.calls[8], web.calls[-1]
        assert refused[0] == retried[0] == "web.update_ui"
        assert refused[1] != retried[1]  # the resent call carries the new session's cookie


def test_a_session_lost_again_after_the_login_is_session_expired(web: FakeWeb) -> None:
    web.refused.add("core.get_libtorrent_version")
    with connect(web) as client, pytest.raises(SessionExpiredError):
        client.info()
    assert web.logins() == 2


def test_deluge_web_without_its_daemon_is_reconnected(web: FakeWeb) -> None:
    with connect(web) as client:
        client.torrents()
        web.connected = False  # web.disconnect from another user
        assert client.info().version == "2.2.0 (libtorrent 2.0.8.0)"  # code 2: re-login, reconnect, resend
        web.connected = False
        assert [t.id for t in client.torrents()] == [KNOWN]  # web.update_ui says connected: false
        assert web.logins() == 3


def test_concurrent_calls_share_one_reconnect() -> None:
    web = FakeWeb()

    async def run() -> None:
        async with enunclic.connect_async(
            "deluge://127.0.0.1:8112", password=PASSWORD, transport=httpx.MockTransport(web)
        ) as client:
            await client.torrents()
            web.connected = False
            results = await asyncio.gather(*(client.torrents() for _ in range(4)))
            assert all([t.id for t in result] == [KNOWN] for result in results)

    asyncio.run(run())
    assert web.logins() == 2


def test_a_timeout_while_deluge_web_lost_its_daemon_reconnects_and_resends(web: FakeWeb) -> None:
    with connect(web, retries=0) as client:
        client.torrents()
        web.hanging["core.get_libtorrent_version"] = True
        assert client.info().version is not None
        assert [m for m, _ in web.calls].count("core.get_libtorrent_version") == 2
        assert web.logins() == 2


def test_a_timeout_while_connected_is_a_timeout(web: FakeWeb) -> None:
    with connect(web, retries=0) as client:
        client.torrents()
        web.hanging["core.get_libtorrent_version"] = False
        with pytest.raises(RequestTimeout):
            client.info()
        assert web.logins() == 1


def test_discovery_narrows_labels_before_the_first_operation(web: FakeWeb) -> None:
    web.plugins = []
    with connect(web) as client:
        assert Capability.LABELS in client.capabilities()
        with pytest.raises(NotSupportedError):
            client.set_label(KNOWN, "movies")
        assert Capability.LABELS not in client.capabilities()
    assert not any(method.startswith("label.") for method, _ in web.calls)


def test_a_plugin_turned_off_later_is_not_supported_without_a_relogin(web: FakeWeb) -> None:
    with connect(web) as client:
        client.set_label(KNOWN, "movies")
        web.plugins = []
        with pytest.raises(NotSupportedError):
            client.set_label(KNOWN, "movies")
    assert web.logins() == 1


def test_wrong_password_is_an_authentication_error_without_the_password(web: FakeWeb) -> None:
    with connect(web, password="not-it") as client, pytest.raises(AuthenticationError) as caught:
        client.torrents()
    assert "not-it" not in str(caught.value) + repr(caught.value)
    assert web.logins() == 1


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, b"", AuthenticationError),
        (403, b"", PermissionDeniedError),
        (404, b"Not Found", EndpointNotFoundError),
        (405, b"", ProtocolError),
        (500, b"", ServerError),
        (502, b"Bad Gateway", ServerError),  # a proxy that cannot reach deluge-web: was ConnectError
        (503, b"", ServerError),
        (504, b"", ServerError),
        (200, b"<html><body>It works!</body></html>", ProtocolError),
        (200, LOGIN_PAGE, AuthenticationError),  # a portal in front of deluge-web
        (200, b"Not JSON at all", ProtocolError),
    ],
)
def test_http_statuses_and_pages_mean_what_the_core_says(
    web: FakeWeb, status: int, body: bytes, expected: type[Exception]
) -> None:
    web.broken = (status, body)
    with connect(web, retries=0) as client, pytest.raises(expected) as caught:
        client.torrents()
    assert type(caught.value) is expected
    if status != 200:
        assert caught.value.native_code == status  # type: ignore[attr-defined]


def test_one_unknown_id_among_many_is_a_partial_failure(web: FakeWeb) -> None:
    with connect(web) as client:
        with pytest.raises(PartialFailureError) as caught:
            client.pause([KNOWN, UNKNOWN])
        assert set(caught.value.failures) == {UNKNOWN}
        assert isinstance(caught.value.failures[UNKNOWN], TorrentNotFoundError)
        assert web.torrents[KNOWN]["state"] == "Paused"  # done despite the unknown id
        with pytest.raises(TorrentNotFoundError):
            client.resume(UNKNOWN)
        with pytest.raises(PartialFailureError) as caught:
            client.remove([KNOWN, UNKNOWN])
        assert set(caught.value.failures) == {UNKNOWN}
        with pytest.raises(TorrentNotFoundError):
            client.remove(UNKNOWN)
        assert web.torrents == {}


def test_a_malformed_id_is_not_found_without_a_request(web: FakeWeb) -> None:
    with connect(web) as client:
        client.torrents()
        before = client.requests_sent
        with pytest.raises(TorrentNotFoundError):
            client.files("not-a-hash")
        assert client.requests_sent == before


@pytest.mark.parametrize("operation", ["pause", "remove"])
def test_an_id_that_is_no_info_hash_is_never_sent_in_a_bulk_call(web: FakeWeb, operation: str) -> None:
    with connect(web) as client:
        client.torrents()
        with pytest.raises(PartialFailureError) as caught:
            getattr(client, operation)([KNOWN.upper(), "../../x"])
        assert set(caught.value.failures) == {"../../x"}
        assert KNOWN not in web.torrents or web.torrents[KNOWN]["state"] == "Paused"
        before = client.requests_sent
        with pytest.raises(TorrentNotFoundError):
            getattr(client, operation)("../../x")
        assert client.requests_sent == before
