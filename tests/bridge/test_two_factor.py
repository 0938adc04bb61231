"""Two-step verification once per device, and a pinned certificate, as typed servers.add params."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from enunclic.bridge.methods import default_client_factory

from .harness import Harness

SECRET = "Tw0-Step-Secret"
CODE = "314159"
simulators = pytest.importorskip("enunclic.simulators.synology")


@pytest.fixture
def nas_url() -> Iterator[str]:
    sim = simulators.SynologySimulator(7)
    sim.add_account("admin", SECRET, manager=True, otp_code=CODE)
    with sim.serve() as served:
        yield "synology://admin@" + served.url.split("://", 1)[1]


def test_the_code_is_asked_once_then_the_device_token_logs_in(nas_url: str) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], Harness]:
        h = Harness(default_client_factory)
        asked = await h.call("servers.add", {"name": "nas", "url": nas_url, "password": SECRET})
        first = await h.result("servers.add", {"name": "nas", "url": nas_url, "password": SECRET, "otp_code": CODE})
        later = await h.result(
            "servers.add",
            {"name": "nas-again", "url": nas_url, "password": SECRET, "device_token": first["device_token"]},
        )
        await h.bridge.close()
        return asked, first, later, h

    asked, first, later, h = asyncio.run(scenario())
    error = asked["error"]
    assert error["data"]["kind"] == "TwoFactorRequired" and "otp_code" in error["message"]
    assert "otp_code=" not in error["message"]  # the bridge's name, not a Python keyword argument
    assert first["server"]["status"] == "connected" and len(first["device_token"]) >= 16
    assert later["server"]["status"] == "connected" and later["device_token"] is None  # nothing new to store
    assert h.output().count(first["device_token"].encode()) == 1  # only in the reply that issued it
    assert CODE.encode() not in h.output() and SECRET.encode() not in h.output()


def test_a_wrong_code_is_a_typed_error(nas_url: str) -> None:
    async def scenario() -> dict[str, Any]:
        h = Harness(default_client_factory)
        reply = await h.call("servers.add", {"name": "nas", "url": nas_url, "password": SECRET, "otp_code": "000000"})
        await h.bridge.close()
        return reply

    error = asyncio.run(scenario())["error"]
    assert error["data"]["kind"] == "TwoFactorRequired" and "fresh otp_code" in error["message"]


@pytest.mark.parametrize("name", ["otp_code", "device_token", "tls_fingerprint", "name", "retries"])
def test_typed_params_cannot_hide_in_options(name: str) -> None:
    async def scenario() -> dict[str, Any]:
        h = Harness(default_client_factory)
        reply = await h.call("servers.add", {"name": "x", "url": "transmission://127.0.0.1:9", "options": {name: "1"}})
        await h.bridge.close()
        return reply

    error = asyncio.run(scenario())["error"]
    assert error["code"] == -32602 and name in error["message"]
