"""SYNO.API.Auth: versions per personality, reply shapes, 2FA and device tokens, auto-block (§3, §4.2)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from enunclic.simulators.synology import SimulatorOptions, SynologySimulator

from .conftest import AUTH_CGI, ENTRY_CGI, TASK_CGI, Nas, error_code, make_nas


def _login(nas: Nas, version: int, path: str | None = None, **params: Any) -> dict[str, Any]:
    base = {
        "api": "SYNO.API.Auth",
        "version": version,
        "method": "login",
        "account": "admin",
        "passwd": "secret",
        "session": "DownloadStation",
        "format": "sid",
    }
    return dict(nas.post(path or nas.auth_path, **{**base, **params}))


@pytest.mark.parametrize("version", [1, 2])
def test_dsm7_refuses_v1_and_v2_logins_with_103(nas7: Nas, version: int) -> None:
    # Discovery says minVersion 1, yet the login fails (Radarr#6525, NDM).
    assert error_code(_login(nas7, version)) == 103


@pytest.mark.parametrize("version", [3, 4, 5, 6, 7])
def test_dsm7_accepts_v3_and_up(nas7: Nas, version: int) -> None:
    assert _login(nas7, version)["success"] is True


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5, 6])
def test_dsm6_accepts_every_listed_version(nas6: Nas, version: int) -> None:
    assert _login(nas6, version)["success"] is True


def test_dsm6_refuses_v7(nas6: Nas) -> None:
    assert error_code(_login(nas6, 7)) == 104


def test_dsm6_auth_on_entry_cgi_is_102(nas6: Nas) -> None:
    # acme.sh#4721: DSM 6.2.3 answered 102 for Auth on entry.cgi.
    assert error_code(_login(nas6, 6, ENTRY_CGI)) == 102


def test_dsm7_still_answers_auth_on_auth_cgi(nas7: Nas) -> None:
    # NDM and N4S4 post to auth.cgi on DSM 7.
    assert _login(nas7, 6, AUTH_CGI)["success"] is True


def test_dsm7_v7_reply_shape(nas7: Nas) -> None:
    data = _login(nas7, 7)["data"]
    assert set(data) == {"account", "device_id", "ik_message", "is_portal_port", "sid", "synotoken"}
    assert data["account"] == "admin"
    assert data["synotoken"] == "--------"  # unless enable_syno_token=yes (home-assistant/core#64867)
    assert data["device_id"] == ""


def test_dsm7_real_synotoken_on_request(nas7: Nas) -> None:
    assert _login(nas7, 7, enable_syno_token="yes")["data"]["synotoken"] != "--------"


def test_dsm6_v6_reply_shape(nas6: Nas) -> None:
    data = _login(nas6, 6)["data"]
    assert set(data) == {"is_portal_port", "sid", "synotoken"}
    assert data["is_portal_port"] is False


def test_v2_has_a_sid_but_no_synotoken(nas6: Nas) -> None:
    assert set(_login(nas6, 2)["data"]) == {"is_portal_port", "sid"}


def test_v1_hands_out_only_a_cookie(nas6: Nas) -> None:
    response = nas6.http.post(
        AUTH_CGI, data={"api": "SYNO.API.Auth", "version": 1, "method": "login", "account": "admin", "passwd": "secret"}
    )
    assert "sid" not in response.json()["data"]
    assert response.headers["set-cookie"].startswith("id=")


def test_format_sid_sets_no_cookie(nas: Nas) -> None:
    response = nas.http.post(
        nas.auth_path,
        data={
            "api": "SYNO.API.Auth",
            "version": 6,
            "method": "login",
            "account": "admin",
            "passwd": "secret",
            "format": "sid",
        },
    )
    assert "set-cookie" not in response.headers


def test_format_cookie_sets_id_and_the_cookie_authenticates(nas: Nas) -> None:
    response = nas.http.post(
        nas.auth_path,
        data={
            "api": "SYNO.API.Auth",
            "version": 6,
            "method": "login",
            "account": "admin",
            "passwd": "secret",
            "format": "cookie",
        },
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("id=")
    assert "max-age=604800" in cookie
    assert "HttpOnly" in cookie
    sid = cookie.split(";")[0].split("=", 1)[1]
    listed = httpx.Client(transport=nas.sim.transport(), base_url="http://127.0.0.1:5000", cookies={"id": sid}).get(
        TASK_CGI, params={"api": "SYNO.DownloadStation.Task", "version": 1, "method": "list"}
    )
    assert listed.json()["success"] is True


def test_get_login_works_too(nas: Nas) -> None:
    reply = nas.get(
        nas.auth_path, api="SYNO.API.Auth", version=6, method="login", account="admin", passwd="secret", format="sid"
    )
    assert reply["success"] is True


def test_wrong_password_and_unknown_account_are_400(nas: Nas) -> None:
    assert error_code(_login(nas, 6, passwd="nope")) == 400
    assert error_code(_login(nas, 6, account="mallory")) == 400


def test_missing_password_is_101(nas: Nas) -> None:
    reply = nas.post(nas.auth_path, api="SYNO.API.Auth", version=6, method="login", account="admin")
    assert error_code(reply) == 101


def test_disabled_account_is_401(nas: Nas) -> None:
    nas.sim.add_account("bob", "pw", disabled=True)
    assert error_code(_login(nas, 6, account="bob", passwd="pw")) == 401


def test_plus_in_a_query_string_is_not_a_space(nas: Nas) -> None:
    # Synology does not read '+' as a space in URLs (reference §9.4): only %20 is.
    nas.sim.add_account("spacey", "two words")
    base = f"{nas.auth_path}?api=SYNO.API.Auth&version=6&method=login&account=spacey&format=sid"
    assert nas.http.get(base + "&passwd=two%20words").json()["success"] is True
    assert error_code(nas.http.get(base + "&passwd=two+words").json()) == 400


def test_special_characters_survive_percent_encoding(nas: Nas) -> None:
    nas.sim.add_account("odd", "p#&+@ss w0rd")
    assert _login(nas, 6, account="odd", passwd="p#&+@ss w0rd")["success"] is True


# -- two-factor authentication -----------------------------------------------------------


@pytest.fixture
def otp_nas(nas: Nas) -> Nas:
    nas.sim.add_account("twofa", "pw", manager=True, otp_code="123456")
    return nas


def test_otp_required_is_403_and_wrong_otp_is_404(otp_nas: Nas) -> None:
    assert error_code(_login(otp_nas, 6, account="twofa", passwd="pw")) == 403
    assert error_code(_login(otp_nas, 6, account="twofa", passwd="pw", otp_code="000000")) == 404
    assert _login(otp_nas, 6, account="twofa", passwd="pw", otp_code="123456")["success"] is True


def test_wrong_password_beats_the_otp_question(otp_nas: Nas) -> None:
    assert error_code(_login(otp_nas, 6, account="twofa", passwd="bad")) == 400


def test_v6_device_token_comes_back_as_did_and_replaces_the_otp(otp_nas: Nas) -> None:
    reply = _login(
        otp_nas, 6, account="twofa", passwd="pw", otp_code="123456", enable_device_token="yes", device_name="enunclic"
    )
    token = reply["data"]["did"]
    assert token
    again = _login(otp_nas, 6, account="twofa", passwd="pw", device_id=token, device_name="enunclic")
    assert again["success"] is True
    assert error_code(_login(otp_nas, 6, account="twofa", passwd="pw", device_id="forged")) == 403


def test_v7_device_token_comes_back_as_device_id(nas7: Nas) -> None:
    nas7.sim.add_account("twofa", "pw", otp_code="654321")
    data = _login(nas7, 7, account="twofa", passwd="pw", otp_code="654321", enable_device_token="yes")["data"]
    assert "did" not in data
    assert data["device_id"]
    assert _login(nas7, 7, account="twofa", passwd="pw", device_id=data["device_id"])["success"] is True


def test_device_token_also_set_as_did_cookie(otp_nas: Nas) -> None:
    response = otp_nas.http.post(
        otp_nas.auth_path,
        data={
            "api": "SYNO.API.Auth",
            "version": 6,
            "method": "login",
            "account": "twofa",
            "passwd": "pw",
            "otp_code": "123456",
            "enable_device_token": "yes",
            "format": "sid",
        },
    )
    assert any(c.startswith("did=") for c in response.headers.get_list("set-cookie"))


def test_no_device_token_without_asking(otp_nas: Nas) -> None:
    assert "did" not in _login(otp_nas, 6, account="twofa", passwd="pw", otp_code="123456")["data"]


def test_2fa_enforced_but_not_set_up_is_406(nas: Nas) -> None:
    nas.sim.add_account("lazy", "pw", otp_enforced=True)
    assert error_code(_login(nas, 6, account="lazy", passwd="pw")) == 406


# -- auto-block ----------------------------------------------------------------------------


def test_repeated_failures_block_the_address_with_407() -> None:
    nas = make_nas(7, block_threshold=3)
    for _ in range(3):
        assert error_code(_login(nas, 7, passwd="wrong")) == 400
    assert error_code(_login(nas, 7)) == 407  # even the right password is refused now
    other = httpx.Client(transport=nas.sim.transport(client="127.0.0.2"), base_url="http://127.0.0.1:5000")
    reply = other.post(
        ENTRY_CGI,
        data={
            "api": "SYNO.API.Auth",
            "version": 7,
            "method": "login",
            "account": "admin",
            "passwd": "secret",
            "format": "sid",
        },
    ).json()
    assert reply["success"] is True  # the block is per source address
    nas.sim.unblock()
    assert _login(nas, 7)["success"] is True


def test_failures_outside_the_window_do_not_add_up() -> None:
    nas = make_nas(7, block_threshold=3, block_window=60)
    for _ in range(2):
        error_code(_login(nas, 7, passwd="wrong"))
    nas.sim.advance(61)
    error_code(_login(nas, 7, passwd="wrong"))
    assert _login(nas, 7)["success"] is True


def test_bad_otp_codes_count_towards_the_block() -> None:
    sim = SynologySimulator(6, options=SimulatorOptions(block_threshold=2))
    sim.add_account("twofa", "pw", otp_code="123456")
    http = httpx.Client(transport=sim.transport(), base_url="http://127.0.0.1:5000")
    form = {
        "api": "SYNO.API.Auth",
        "version": 6,
        "method": "login",
        "account": "twofa",
        "passwd": "pw",
        "otp_code": "999999",
    }
    assert error_code(http.post(AUTH_CGI, data=form).json()) == 404
    assert error_code(http.post(AUTH_CGI, data=form).json()) == 404
    assert error_code(http.post(AUTH_CGI, data={**form, "otp_code": "123456"}).json()) == 407
