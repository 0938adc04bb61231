"""Session loss: one silent re-login and one retry; 105 only for a session older than the call; no login storm."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import respx

import enunclic
from enunclic import AuthenticationError, PermissionDeniedError, SessionExpiredError

from .conftest import PASSWORD
from .fakenas import BASE, FakeNAS

LIST = ("SYNO.DownloadStation.Task", "list")


@pytest.mark.parametrize("code", [106, 107, 119])
def test_a_lost_session_is_restored_once_silently(client: Any, nas: FakeNAS, code: int) -> None:
    client.torrents()
    nas.expire_sessions(code)
    assert client.torrents() == []
    assert len(nas.calls_to("SYNO.API.Auth", "login")) == 2
    failed, retried = nas.calls_to(*LIST)[1:]
    assert failed.sid != retried.sid


@pytest.mark.parametrize("code", [106, 107, 119])
def test_a_second_loss_surfaces_as_a_typed_error(client: Any, nas: FakeNAS, code: int) -> None:
    client.torrents()
    nas.always(*LIST, ("error", code))
    with pytest.raises(SessionExpiredError, match="ended the session again"):
        client.torrents()
    assert len(nas.calls_to("SYNO.API.Auth", "login")) == 2
    assert len(nas.calls_to(*LIST)) == 3  # the first, the failed one, its single retry


def test_105_on_an_older_session_means_a_restart(client: Any, nas: FakeNAS) -> None:
    client.torrents()
    nas.reply(*LIST, ("error", 105))
    assert client.torrents() == []
    assert len(nas.calls_to("SYNO.API.Auth", "login")) == 2


def test_105_again_after_the_fresh_login_is_a_permission_error(client: Any, nas: FakeNAS) -> None:
    client.torrents()
    nas.always(*LIST, ("error", 105))
    with pytest.raises(PermissionDeniedError) as caught:
        client.torrents()
    assert caught.value.native_code == 105
    assert len(nas.calls_to("SYNO.API.Auth", "login")) == 2


def test_105_on_a_brand_new_session_is_not_retried(client: Any, nas: FakeNAS) -> None:
    nas.reply(*LIST, ("error", 105))
    with pytest.raises(PermissionDeniedError):
        client.torrents()
    assert len(nas.calls_to("SYNO.API.Auth", "login")) == 1
    assert len(nas.calls_to(*LIST)) == 1


def test_a_failed_re_login_is_an_authentication_error(client: Any, nas: FakeNAS) -> None:
    client.torrents()
    nas.expire_sessions(106)
    nas.reply("SYNO.API.Auth", "login", ("error", 400))  # the password changed meanwhile
    with pytest.raises(AuthenticationError, match="incorrect password"):
        client.torrents()


def _slow_nas(router: respx.MockRouter) -> FakeNAS:
    fake = FakeNAS()

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)  # let the other calls run into the same moment
        return fake.handle(request)

    router.route(url__startswith=f"{BASE}/webapi/").mock(side_effect=slow)
    return fake


def test_concurrent_async_calls_share_one_login_and_one_re_login(respx_router: respx.MockRouter) -> None:
    nas = _slow_nas(respx_router)

    async def scenario() -> None:
        async with enunclic.AsyncClient("synology", url=BASE, username="admin", password=PASSWORD) as client:
            await asyncio.gather(*(client.torrents() for _ in range(6)))
            assert len(nas.calls_to("SYNO.API.Info")) == 1
            assert len(nas.calls_to("SYNO.API.Auth", "login")) == 1
            nas.expire_sessions(119)
            await asyncio.gather(*(client.torrents() for _ in range(6)))
            assert len(nas.calls_to("SYNO.API.Auth", "login")) == 2
            # Every call that failed was retried once with the new sid.
            assert len(nas.calls_to(*LIST)) == 6 + 6 + 6

    asyncio.run(scenario())
