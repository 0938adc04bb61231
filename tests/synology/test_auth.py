"""Discovery once per client, the login form, 2FA with device tokens, logout."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from enunclic import AuthenticationError, PermissionDeniedError, TwoFactorRequired

from . import replies
from .conftest import PASSWORD, USERNAME, make_client
from .fakenas import BASE, FakeNAS


def _nas(router: respx.MockRouter, api_info: dict[str, Any], login: dict[str, Any]) -> FakeNAS:
    fake = FakeNAS(api_info, login)
    router.route(url__startswith=f"{BASE}/webapi/").mock(side_effect=fake.handle)
    return fake


@pytest.mark.parametrize(
    ("api_info", "path", "version"),
    [
        (replies.API_INFO_DSM7, "entry.cgi", "6"),
        (replies.API_INFO_DSM6, "auth.cgi", "6"),
        (replies.API_INFO_DSM5, "auth.cgi", "3"),
    ],
    ids=["dsm7", "dsm6", "dsm5"],
)
def test_login_is_a_form_post_with_a_supported_version(
    respx_router: respx.MockRouter, mode: str, api_info: dict[str, Any], path: str, version: str
) -> None:
    nas = _nas(respx_router, api_info, replies.LOGIN_DSM6)
    client, close = make_client(mode)
    try:
        client.torrents()
    finally:
        close()
    (query,) = nas.calls_to("SYNO.API.Info")
    assert query.request.method == "GET"
    assert query.path == "query.cgi"
    assert set(query.params["query"].split(",")) >= {"SYNO.API.Auth", "SYNO.DownloadStation.Task"}
    login = nas.calls_to("SYNO.API.Auth", "login")[0]
    assert login.request.method == "POST"
    assert login.path == path
    assert login.request.url.query == b""
    assert login.form["version"] == version
    assert (login.form["account"], login.form["passwd"]) == (USERNAME, PASSWORD)
    assert (login.form["session"], login.form["format"]) == ("DownloadStation", "sid")
    assert b"+" not in login.request.content  # spaces are %20, a literal + is %2B
    assert b"p%40ss%20w%23rd%26%2B%2C%3D" in login.request.content


def test_discovery_runs_once_per_client(client: Any, nas: FakeNAS) -> None:
    client.torrents()
    client.torrents()
    nas.expire_sessions()
    client.torrents()  # a re-login does not rediscover
    assert len(nas.calls_to("SYNO.API.Info")) == 1
    assert len(nas.calls_to("SYNO.API.Auth", "login")) == 2


def test_the_sid_travels_in_the_body_and_cookie_and_the_token_in_a_header(
    respx_router: respx.MockRouter, mode: str
) -> None:
    nas = _nas(respx_router, replies.API_INFO_DSM6, replies.LOGIN_DSM6)
    client, close = make_client(mode)
    try:
        client.torrents()
    finally:
        close()
    listing = nas.calls_to("SYNO.DownloadStation.Task", "list")[0]
    assert listing.form["_sid"] == "SID-DSM6-abc-1"
    assert listing.request.headers["cookie"] == "id=SID-DSM6-abc-1"
    assert listing.request.headers["x-syno-token"] == "tok6"
    assert nas.calls_to("SYNO.API.Auth", "login")[0].form["enable_syno_token"] == "yes"


def test_the_dsm7_placeholder_token_is_not_sent(client: Any, nas: FakeNAS) -> None:
    client.torrents()
    assert "x-syno-token" not in nas.calls_to("SYNO.DownloadStation.Task", "list")[0].request.headers


@pytest.mark.parametrize(
    ("code", "error", "text"),
    [
        (400, AuthenticationError, "incorrect password"),
        (401, AuthenticationError, "disabled"),
        (402, PermissionDeniedError, "permission denied"),
        (403, TwoFactorRequired, "otp_code"),
        (404, TwoFactorRequired, "wrong or expired"),
        (406, AuthenticationError, "not set up"),
        (407, AuthenticationError, "this IP is blocked by the NAS"),
        (409, AuthenticationError, "expired"),
    ],
)
def test_login_errors_are_typed_and_never_retried(
    client: Any, nas: FakeNAS, code: int, error: type[Exception], text: str
) -> None:
    nas.always("SYNO.API.Auth", "login", ("error", code))
    with pytest.raises(error, match=text) as caught:
        client.torrents()
    assert type(caught.value) is error
    assert caught.value.native_code == code  # type: ignore[attr-defined]
    assert len(nas.calls_to("SYNO.API.Auth", "login")) == 1
    assert PASSWORD not in str(caught.value)
    assert PASSWORD not in repr(caught.value)


def test_task_403_is_not_a_2fa_error(client: Any, nas: FakeNAS) -> None:
    nas.reply("SYNO.DownloadStation.Task", "create", ("error", 403))
    with pytest.raises(Exception, match="destination does not exist") as caught:
        client.add(replies.MAGNET)
    assert not isinstance(caught.value, AuthenticationError)


@pytest.mark.parametrize(
    ("login", "token_key"),
    [(replies.LOGIN_DSM6, "did"), (replies.LOGIN_DSM7, "device_id")],
    ids=["v6-did", "v7-device_id"],
)
def test_2fa_logs_in_once_then_keeps_working_with_the_device_token(
    respx_router: respx.MockRouter, mode: str, login: dict[str, Any], token_key: str
) -> None:
    nas = _nas(respx_router, replies.API_INFO_DSM7, {**login, token_key: "DEVICE-TOKEN"})
    client, close = make_client(mode, otp_code="123456", device_name="my-gui")
    try:
        client.torrents()
        assert client.backend.device_token == "DEVICE-TOKEN"
        nas.expire_sessions(106)
        client.torrents()  # silent re-login: the spent code is not sent again
    finally:
        close()
    first, second = nas.calls_to("SYNO.API.Auth", "login")
    assert first.form["otp_code"] == "123456"
    assert (first.form["enable_device_token"], first.form["device_name"]) == ("yes", "my-gui")
    assert "device_id" not in first.form
    assert "otp_code" not in second.form
    assert (second.form["device_id"], second.form["device_name"]) == ("DEVICE-TOKEN", "my-gui")


def test_a_stored_device_token_is_used_from_the_first_login(
    client: Any, respx_router: respx.MockRouter, mode: str
) -> None:
    nas = _nas(respx_router, replies.API_INFO_DSM7, replies.LOGIN_DSM7)
    made, close = make_client(mode, device_token="DEVICE-TOKEN")
    try:
        made.torrents()
    finally:
        close()
    login = nas.calls_to("SYNO.API.Auth", "login")[-1]
    assert login.form["device_id"] == "DEVICE-TOKEN"
    assert "otp_code" not in login.form


def test_2fa_account_without_code_says_so(client: Any, nas: FakeNAS) -> None:
    nas.reply("SYNO.API.Auth", "login", ("error", 403))
    with pytest.raises(TwoFactorRequired):
        client.torrents()


def test_close_logs_out_with_the_sid(nas: FakeNAS, mode: str) -> None:
    client, close = make_client(mode)
    client.torrents()
    close()
    (logout,) = nas.calls_to("SYNO.API.Auth", "logout")
    assert logout.request.method == "POST"
    assert logout.form["session"] == "DownloadStation"
    assert logout.form["_sid"] == "SID-DSM7-xyz-1"
    assert nas.valid_sids == set()


def test_close_without_login_sends_nothing(nas: FakeNAS, mode: str) -> None:
    _, close = make_client(mode)
    close()
    assert nas.calls == []


def test_a_missing_username_is_an_authentication_error(nas: FakeNAS, mode: str) -> None:
    client, close = make_client(mode, url="synology://127.0.0.1:5000")
    try:
        with pytest.raises(AuthenticationError, match="username"):
            client.torrents()
    finally:
        close()
    assert nas.calls_to("SYNO.API.Auth", "login") == []


def test_secrets_stay_out_of_reprs(client: Any, nas: FakeNAS) -> None:
    client.torrents()
    backend = client.backend
    for text in (
        repr(client),
        repr(backend.config),
        repr(backend.options),
        repr(backend.auth),
    ):
        assert PASSWORD not in text
        assert "SID-DSM7" not in text
