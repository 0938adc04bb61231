"""A canary password and token never reach a log record, a repr, an error or a URL."""

from __future__ import annotations

import logging

import pytest
from enunclic_memory import MemoryServer

import enunclic
from enunclic.redact import redact_url

CANARY = "Canary-Secret-4242"


def test_canary_never_leaks(memory_server: MemoryServer, caplog: pytest.LogCaptureFixture) -> None:
    memory_server.password = CANARY
    caplog.set_level(logging.DEBUG, logger="enunclic")
    errors: list[BaseException] = []
    with enunclic.connect(f"memory://admin:{CANARY}@127.0.0.1", transport=memory_server.transport()) as client:
        client.torrents()
        memory_server.faults.append("html")
        try:
            client.torrents()
        except enunclic.ProtocolError as exc:
            errors.append(exc)
        texts = [repr(client), repr(client.backend.config), str(client.backend.config)]
    with enunclic.connect("memory://admin:wrong-" + CANARY + "@127.0.0.1", transport=memory_server.transport()) as bad:
        try:
            bad.torrents()
        except enunclic.AuthenticationError as exc:
            errors.append(exc)
    token = next(iter(memory_server.requests)).headers.get("x-token", "")
    texts += [r.getMessage() for r in caplog.records] + [str(e) for e in errors] + [repr(e) for e in errors]
    texts += [str(r.url) for r in memory_server.requests]
    assert len(errors) == 2 and caplog.records
    for text in texts:
        assert CANARY not in text
        assert not token or token not in text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://u:p@nas:5001/webapi/entry.cgi?api=X&passwd=hunter2&_sid=abc",
            "https://nas:5001/webapi/entry.cgi?api=X&passwd=***&_sid=***",
        ),
        ("http://h/a?SynoToken=t&otp_code=1&ok=1", "http://h/a?SynoToken=***&otp_code=***&ok=1"),
        ("http://h/a", "http://h/a"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected
