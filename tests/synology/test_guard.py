"""The suite-wide URL guard can fail: it catches a password, a sid or a sid parameter in a URL."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
import respx

from .conftest import PASSWORD, assert_no_secret_in_urls


@pytest.mark.parametrize(
    "url",
    [
        f"http://127.0.0.1:5000/webapi/auth.cgi?api=SYNO.API.Auth&passwd={quote(PASSWORD)}",
        "http://127.0.0.1:5000/webapi/entry.cgi?_sid=whatever",
        "http://127.0.0.1:5000/webapi/entry.cgi?otp_code=1",
    ],
)
def test_the_guard_catches_secrets_in_urls(url: str) -> None:
    with respx.mock(assert_all_called=False) as router:
        router.route().respond(200, json={"success": True})
        httpx.get(url)
        with pytest.raises(AssertionError):
            assert_no_secret_in_urls(router.calls)


def test_the_guard_catches_a_cookie_sid_copied_into_the_url() -> None:
    with respx.mock(assert_all_called=False) as router:
        router.route().respond(200, json={"success": True})
        httpx.get("http://127.0.0.1:5000/webapi/x.cgi?q=SECRETSID", headers={"Cookie": "id=SECRETSID"})
        with pytest.raises(AssertionError):
            assert_no_secret_in_urls(router.calls)
