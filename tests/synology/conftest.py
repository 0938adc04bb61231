"""respx fixtures for the synology backend, and the suite-wide guard: no secret ever in a URL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
import respx

import enunclic
from enunclic.testing.contract import AsyncAdapter

from .fakenas import BASE, FakeNAS

USERNAME = "admin"
#: Reserved characters that broke other clients when not encoded.
PASSWORD = "p@ss w#rd&+,=é"
URL = "synology://admin@127.0.0.1:5000"


@pytest.fixture(autouse=True)
def respx_router() -> Iterator[respx.MockRouter]:
    """Mock every request of every test; afterwards, check that no URL carried a secret.

    Secrets: the password (raw or encoded), any ``passwd``/``_sid``/``otp_code``/``device_id``
    query parameter, and every sid the fake NAS issued.
    """
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router
    assert_no_secret_in_urls(router.calls)


def assert_no_secret_in_urls(calls: Any) -> None:
    """Fail when any request's URL holds a secret (see ``respx_router``)."""
    secrets = {PASSWORD, quote(PASSWORD, safe=""), quote_plus(PASSWORD), "123456", "DEVICE-TOKEN"}
    for call in calls:
        url = str(call.request.url)
        for secret in secrets:
            assert secret not in url, f"a secret leaked into {url!r}"
        names = {name.lower() for name, _ in call.request.url.params.multi_items()}
        assert not names & {"passwd", "_sid", "otp_code", "device_id", "account"}, url
        cookie = call.request.headers.get("cookie", "")
        if cookie.startswith("id="):
            assert cookie[3:] not in url


@pytest.fixture
def nas(respx_router: respx.MockRouter) -> FakeNAS:
    """A DSM 7 NAS on 127.0.0.1:5000."""
    fake = FakeNAS()
    respx_router.route(url__startswith=f"{BASE}/webapi/").mock(side_effect=fake.handle)
    return fake


def make_client(mode: str, url: str = URL, **options: Any) -> tuple[Any, Any]:
    """(client, closer): a sync Client, or an AsyncClient behind AsyncAdapter on a private loop."""
    options.setdefault("password", PASSWORD)
    if mode == "sync":
        client = enunclic.connect(url, **options)
        return client, client.close
    loop = asyncio.new_event_loop()
    async_client = loop.run_until_complete(_connect_async(url, options))

    def close() -> None:
        try:
            loop.run_until_complete(async_client.close())
        finally:
            loop.close()

    return AsyncAdapter(async_client, loop), close


async def _connect_async(url: str, options: dict[str, Any]) -> enunclic.AsyncClient:
    return enunclic.connect_async(url, **options)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(nas: FakeNAS, mode: str) -> Iterator[Any]:
    """A client of the fake NAS: sync, or async driven on a private loop."""
    made, close = make_client(mode)
    try:
        yield made
    finally:
        close()
