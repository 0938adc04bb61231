"""Fault injection through the in-process transport, sync and async: each fault as a client meets it."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from enunclic.simulators.synology import FaultKind

from .conftest import QUERY_CGI, TASK_CGI, Nas

INFO = {"api": "SYNO.API.Info", "version": "1", "method": "query", "query": "ALL"}


def test_http_500_with_html(nas: Nas) -> None:
    nas.sim.inject(FaultKind.HTTP_500)
    response = nas.http.get(QUERY_CGI, params=INFO)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert nas.http.get(QUERY_CGI, params=INFO).status_code == 200  # one-shot by default


def test_html_page_instead_of_json(nas: Nas) -> None:
    nas.sim.inject("html")
    response = nas.http.get(QUERY_CGI, params=INFO)
    assert response.status_code == 200
    assert response.text.startswith("<!DOCTYPE html>")
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_truncated_json(nas: Nas) -> None:
    nas.sim.inject(FaultKind.TRUNCATED)
    response = nas.http.get(QUERY_CGI, params=INFO)
    assert response.text.startswith('{"data":')
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_connection_reset(nas: Nas) -> None:
    nas.sim.inject(FaultKind.RESET)
    with pytest.raises(httpx.ReadError):
        nas.http.get(QUERY_CGI, params=INFO)


def test_slow_reply_arrives_late(nas: Nas) -> None:
    nas.sim.inject(FaultKind.SLOW, delay=0.3)
    started = time.monotonic()
    assert nas.http.get(QUERY_CGI, params=INFO).json()["success"] is True
    assert time.monotonic() - started >= 0.3


def test_slow_reply_beyond_the_read_timeout_is_a_read_timeout(nas: Nas) -> None:
    nas.sim.inject(FaultKind.SLOW, delay=30)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        nas.http.get(QUERY_CGI, params=INFO, timeout=0.2)
    assert time.monotonic() - started < 5


def test_expire_session_on_the_next_call(nas: Nas) -> None:
    sid = nas.login()
    nas.sim.inject(FaultKind.EXPIRE_SESSION)
    reply = nas.task(sid, "list")
    assert reply == {"error": {"code": 106}, "success": False}
    assert nas.task(nas.login(), "list")["success"] is True


def test_fault_filtered_by_api_and_counted(nas: Nas) -> None:
    nas.sim.inject(FaultKind.HTTP_500, api="SYNO.DownloadStation.Task", times=2)
    sid = nas.login()  # Auth is not hit
    assert nas.http.get(QUERY_CGI, params=INFO).status_code == 200
    params = {"api": "SYNO.DownloadStation.Task", "version": 1, "method": "list", "_sid": sid}
    assert [nas.http.get(TASK_CGI, params=params).status_code for _ in range(3)] == [500, 500, 200]


def test_persistent_fault_until_cleared(nas: Nas) -> None:
    nas.sim.inject(FaultKind.HTML, times=None)
    assert all(
        nas.http.get(QUERY_CGI, params=INFO).status_code == 200
        and nas.http.get(QUERY_CGI, params=INFO).text.startswith("<")
        for _ in range(3)
    )
    nas.sim.faults.clear()
    assert nas.http.get(QUERY_CGI, params=INFO).json()["success"] is True


def test_times_must_be_positive(nas: Nas) -> None:
    with pytest.raises(ValueError, match="times"):
        nas.sim.inject(FaultKind.RESET, times=0)


def test_async_transport_faults(nas: Nas) -> None:
    async def scenario() -> None:
        async with httpx.AsyncClient(transport=nas.sim.transport(), base_url="http://127.0.0.1:5000") as http:
            assert (await http.get(QUERY_CGI, params=INFO)).json()["success"] is True
            nas.sim.inject(FaultKind.RESET)
            with pytest.raises(httpx.ReadError):
                await http.get(QUERY_CGI, params=INFO)
            nas.sim.inject(FaultKind.SLOW, delay=30)
            with pytest.raises(httpx.ReadTimeout):
                await http.get(QUERY_CGI, params=INFO, timeout=0.1)
            nas.sim.inject(FaultKind.HTTP_500)
            assert (await http.get(QUERY_CGI, params=INFO)).status_code == 500

    asyncio.run(scenario())
