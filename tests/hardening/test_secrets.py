"""Canary secrets through every backend at DEBUG: never in a log record, repr, error text or URL.

The canaries: the password (and its HTTP Basic encoding), every session cookie / sid /
session id the fake servers hand out, and a qBittorrent API key.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

import enunclic
from enunclic import EnunclicError

from .fakes import BACKENDS, FakeQBittorrent, FakeTransmission, SimulatedNas, Target, magnet, make_target
from .wire import Fault

PASSWORD = "Canary-Pass-7f3a!@#é"
WRONG = "Canary-Wrong-91bd"
API_KEY = "qbt_Canary-ApiKey-5e1c0a"


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _issued_secrets(target: Target) -> set[str]:
    """Session secrets the server handed out during the test."""
    server = target.server
    found: set[str] = set()
    if isinstance(server, FakeQBittorrent):
        found.add(server.sid)
    elif isinstance(server, FakeTransmission):
        found.add(server.session_id)
    elif isinstance(server, SimulatedNas):
        found.update(server.sim.state.sessions)
    return found


def _texts(client: Any, errors: Iterable[BaseException], *, config: bool = True) -> list[str]:
    backend = client.backend
    texts = [repr(client), str(client), repr(backend)]
    if config:
        texts += [repr(backend.config), str(backend.config)]
    texts += [repr(value) for name, value in vars(backend).items() if config or name != "config"]
    for error in errors:
        for link in _chain(error):
            texts += [str(link), repr(link), repr(link.args)]
    return texts


def _exercise(target: Target, torrent_file: bytes, **options: Any) -> tuple[list[Any], list[BaseException]]:
    """Everything a GUI does in a session, including failures and a lost session."""
    errors: list[BaseException] = []
    clients: list[Any] = []
    with target.connect(**options) as client:
        clients.append(client)
        client.info()
        client.torrents()
        client.poll()
        client.pause(target.id_of(1))
        client.add(magnet(100))
        client.add(torrent_file)
        for fault in (Fault.HTML, Fault.TRUNCATED, Fault.HTTP_500, Fault.RESET):
            target.wire.arm(fault, target.is_list, times=3)
            try:
                client.torrents()
            except EnunclicError as exc:
                errors.append(exc)
            target.wire.disarm()
        if hasattr(target.server, "expire"):
            target.server.expire()
        client.poll()
        client.resume(target.id_of(1))
        client.remove(target.id_of(2))
    return clients, errors


@pytest.mark.parametrize("backend", BACKENDS)
def test_canaries_never_leak(backend: str, caplog: pytest.LogCaptureFixture, tmp_path: Any) -> None:
    from enunclic.testing.torrents import make_test_torrent

    caplog.set_level(logging.DEBUG)  # every logger: enunclic, httpx, httpcore
    target = make_target(backend, 6, password=PASSWORD)
    clients, errors = _exercise(target, make_test_torrent(tmp_path, "canary.bin").content)
    issued = _issued_secrets(target)
    # A wrong password: the refusal must not echo it either.
    bad = make_target(backend, 1, password=PASSWORD)
    with bad.connect(password=WRONG) as client:
        clients.append(client)
        with pytest.raises(EnunclicError) as refused:
            client.torrents()
        errors.append(refused.value)
    assert errors and caplog.records

    canaries = {PASSWORD, WRONG, *issued}
    canaries |= {base64.b64encode(f"admin:{p}".encode()).decode() for p in (PASSWORD, WRONG)}
    canaries |= {c.encode("utf-8").decode("latin-1") for c in list(canaries)}  # mis-decoded variants
    assert all(len(c) >= 8 for c in canaries)
    texts = [r.getMessage() for r in caplog.records] + [caplog.text]
    for client in clients:
        texts += _texts(client, errors)
    urls = [str(r.url) for r in (*target.wire.requests, *bad.wire.requests)]
    for canary in canaries:
        for text in texts:
            assert canary not in text, f"a secret leaked into: {text[:200]!r}"
        for url in urls:
            assert canary not in url, f"a secret leaked into the URL {url!r}"
    if backend == "synology":  # a session id in a query string ends up in proxy logs
        for request in target.wire.requests:
            assert "_sid" not in request.url.params


def test_the_qbittorrent_api_key_never_leaks(caplog: pytest.LogCaptureFixture, tmp_path: Any) -> None:
    from enunclic.testing.torrents import make_test_torrent

    caplog.set_level(logging.DEBUG)
    target = make_target("qbittorrent", 6, api_key=API_KEY)
    clients, errors = _exercise(target, make_test_torrent(tmp_path, "canary.bin").content)
    wrong = make_target("qbittorrent", 1, api_key=API_KEY)
    with enunclic.connect(wrong.url, transport=wrong.wire, api_key=API_KEY + "-revoked") as client:
        clients.append(client)
        with pytest.raises(EnunclicError) as refused:
            client.torrents()
        errors.append(refused.value)
    texts = [r.getMessage() for r in caplog.records] + [caplog.text]
    for client in clients:
        # The config's repr included (its options hold API keys and device tokens).
        texts += _texts(client, errors)
        texts.append(repr(client.backend.options))
    texts += [str(r.url) for r in target.wire.requests]
    assert any("Bearer" in r.headers.get("authorization", "") for r in target.wire.requests)
    for text in texts:
        assert API_KEY not in text, f"the API key leaked into: {text[:200]!r}"
