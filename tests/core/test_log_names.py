"""Log lines name the server (a profile or pool name) next to its backend, so two NASes can be told apart."""

from __future__ import annotations

import logging

import httpx
import pytest
from enunclic_memory import MemoryServer

import enunclic
from tests.conftest import MEMORY_URL


def _flaky(server: MemoryServer, failures: int) -> httpx.MockTransport:
    real = server.transport()
    left = [failures]

    def handle(request: httpx.Request) -> httpx.Response:
        if left[0] > 0:
            left[0] -= 1
            raise httpx.ConnectError("connection refused", request=request)
        return real.handle_request(request)

    return httpx.MockTransport(handle)


def test_a_retry_line_names_the_server(memory_server: MemoryServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="enunclic")
    with enunclic.connect(MEMORY_URL, transport=_flaky(memory_server, 1), name="nas1") as client:
        assert client.torrents() == []
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 1 and retries[0].startswith("nas1 (memory): torrents failed")
    requests = [r.getMessage() for r in caplog.records if " -> 200 " in r.getMessage()]
    assert requests and all(line.startswith("nas1 (memory): ") for line in requests)
    assert "secret" not in caplog.text


def test_without_a_name_the_backend_names_it(memory_server: MemoryServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="enunclic")
    with enunclic.connect(MEMORY_URL, transport=_flaky(memory_server, 1)) as client:
        client.torrents()
    assert [r.getMessage()[:24] for r in caplog.records if "retry" in r.getMessage()] == ["memory: torrents failed "]


def test_a_name_must_be_text(memory_server: MemoryServer) -> None:
    with pytest.raises(enunclic.InvalidInputError, match="name must be a string"):
        enunclic.connect(MEMORY_URL, transport=memory_server.transport(), name=b"nas1")
