"""Replies that are not DSM JSON become clear ProtocolErrors; HTTP statuses get the core's one meaning."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from enunclic.plugin import AuthenticationError, EndpointNotFoundError, EnunclicError, ProtocolError, ServerError

from .fakenas import FakeNAS

LIST = ("SYNO.DownloadStation.Task", "list")


@pytest.mark.parametrize(
    ("response", "text"),
    [
        (
            httpx.Response(200, text="<!DOCTYPE html><html>Sorry, the page you are looking for is not found.</html>"),
            "HTML",
        ),
        (httpx.Response(400, text="The plain HTTP request was sent to HTTPS port"), "HTTP 400"),
        (httpx.Response(200, text='{"success": tr'), "not JSON"),
        (httpx.Response(200, json={"data": {}}), "success"),
        (httpx.Response(200, json=[1, 2]), "success"),
        (httpx.Response(200, json={"success": False}), "error code"),
        (httpx.Response(200, json={"success": False, "error": {"code": "abc"}}), "error code"),
    ],
)
def test_bad_replies_are_protocol_errors(client: Any, nas: FakeNAS, response: httpx.Response, text: str) -> None:
    nas.reply(*LIST, response)
    with pytest.raises(ProtocolError, match=text):
        client.torrents()


@pytest.mark.parametrize(
    ("response", "error", "code"),
    [
        (httpx.Response(404, text="<html>not found</html>"), EndpointNotFoundError, 404),
        (httpx.Response(500, text="<html>oops</html>"), ServerError, 500),
        (httpx.Response(502, text="<html>Bad Gateway</html>"), ServerError, 502),
        (httpx.Response(401), AuthenticationError, 401),
        (httpx.Response(200, text='<html><form><input type="password"></form></html>'), AuthenticationError, 200),
    ],
)
def test_http_statuses_have_the_core_meaning(
    client: Any, nas: FakeNAS, response: httpx.Response, error: type[EnunclicError], code: int
) -> None:
    nas.reply(*LIST, response)
    with pytest.raises(error) as caught:
        client.torrents()
    assert caught.value.native_code == code
    assert client.torrents() == []  # the session survived: the next call works


def test_an_html_page_from_the_login_is_a_protocol_error(client: Any, nas: FakeNAS) -> None:
    nas.reply("SYNO.API.Auth", "login", httpx.Response(200, text="<html><form>login</form></html>"))
    with pytest.raises(ProtocolError, match="HTML"):
        client.torrents()


def test_a_login_reply_without_sid_is_a_protocol_error(client: Any, nas: FakeNAS) -> None:
    nas.reply("SYNO.API.Auth", "login", {"is_portal_port": False})
    with pytest.raises(ProtocolError, match="session id"):
        client.torrents()


def test_an_unknown_code_is_a_server_error_with_the_code(client: Any, nas: FakeNAS) -> None:
    nas.reply(*LIST, ("error", 599))
    with pytest.raises(ServerError, match="unknown error code 599") as caught:
        client.torrents()
    assert caught.value.native_code == 599
    assert caught.value.backend == "synology"
    assert caught.value.operation == "torrents"


def test_error_codes_as_strings_are_read(client: Any, nas: FakeNAS) -> None:
    nas.reply(*LIST, httpx.Response(200, json={"success": False, "error": {"code": "103"}}))
    with pytest.raises(ServerError, match="method does not exist"):
        client.torrents()
