"""Server URL parsing: backend, transport, credentials, defaults, options, errors."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

import enunclic
from enunclic import Backend, InvalidInputError
from enunclic.urls import parse_server_url, split_credentials


class _Http(Backend):
    name = "alpha"
    default_ports: Mapping[str, int] = {"http": 9091, "https": 9092}
    default_path = "/alpha/rpc"


class _Scgi(Backend):
    name = "beta"
    url_schemes = ("scgi", "http", "https")
    default_ports: Mapping[str, int] = {"scgi": 5000}


BACKENDS = {"alpha": _Http, "beta": _Scgi}


@pytest.mark.parametrize(
    ("url", "base", "user", "password", "options"),
    [
        ("alpha://127.0.0.1", "http://127.0.0.1:9091/alpha/rpc", None, None, {}),
        ("alpha+https://nas.local", "https://nas.local:9092/alpha/rpc", None, None, {}),
        ("alpha://127.0.0.1:1234/custom", "http://127.0.0.1:1234/custom", None, None, {}),
        ("alpha://admin@host", "http://host:9091/alpha/rpc", "admin", None, {}),
        ("alpha://:s3cr%40t@host", "http://host:9091/alpha/rpc", None, "s3cr@t", {}),
        ("alpha://us%20er:p%3Ass@host:80", "http://host:80/alpha/rpc", "us er", "p:ss", {}),
        ("alpha://host?timeout=5&x=1", "http://host:9091/alpha/rpc", None, None, {"timeout": "5", "x": "1"}),
        ("alpha://[::1]:8080", "http://[::1]:8080/alpha/rpc", None, None, {}),
        ("ALPHA://host", "http://host:9091/alpha/rpc", None, None, {}),
        ("beta://127.0.0.1", "scgi://127.0.0.1:5000", None, None, {}),
        ("beta+scgi:///run/rtorrent.sock", "scgi:///run/rtorrent.sock", None, None, {}),
        ("beta+http://host/RPC2", "http://host/RPC2", None, None, {}),
    ],
)
def test_parses(url: str, base: str, user: str | None, password: str | None, options: dict[str, str]) -> None:
    parsed = parse_server_url(url, BACKENDS)
    assert (parsed.url, parsed.username, parsed.password, dict(parsed.options)) == (base, user, password, options)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("gamma://host", "registered backends: alpha, beta"),
        ("127.0.0.1:8080", "registered backends: alpha, beta"),
        ("alpha+scgi://host", r"use one of: alpha\+http, alpha\+https"),
        ("alpha://", "no host"),
        ("alpha://host:99999", "port"),
    ],
)
def test_bad_urls_are_typed_errors(url: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_server_url(url, BACKENDS)


def test_a_bad_port_does_not_echo_the_password() -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_server_url("alpha://user:hunter2@host:notaport", BACKENDS)
    assert "hunter2" not in str(caught.value)
    assert "hunter2" not in repr(caught.value)


def test_password_is_not_in_the_repr() -> None:
    parsed = parse_server_url("alpha://user:hunter2@host", BACKENDS)
    assert "hunter2" not in repr(parsed)


def test_split_credentials() -> None:
    assert split_credentials("http://a:b%20c@h:1/p?q=1") == ("http://h:1/p?q=1", "a", "b c")
    assert split_credentials("http://h") == ("http://h", None, None)


@pytest.mark.parametrize("key", ["url", "backend", "username", "password", "transport", "tls_fingerprint"])
def test_a_query_cannot_override_the_urls_own_parts(key: str) -> None:
    with pytest.raises(InvalidInputError, match=key):
        enunclic.connect(f"transmission://127.0.0.1:9091?{key}=http://elsewhere.example")
