"""Server URLs: ``<backend>[+http|+https|+scgi]://[user[:password]@]host[:port][/path][?option=value]``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from .backend import Backend
from .exceptions import InvalidInputError
from .registry import lookup

__all__ = ["ServerURL", "parse_server_url", "split_credentials"]


#: What a URL's query may not set: the client's own arguments and the URL's parts.
RESERVED_OPTIONS: frozenset[str] = frozenset(
    {"backend", "url", "username", "password", "transport", "tls_fingerprint"}
)


@dataclass(frozen=True)
class ServerURL:
    """A parsed server URL: which backend, the plain base URL, credentials and options."""

    backend: str
    url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    #: Backend options from the query; out of repr, since some are secrets (API keys, device tokens).
    options: Mapping[str, str] = field(default_factory=dict, repr=False)


def parse_server_url(url: str, backends: Mapping[str, type[Backend]]) -> ServerURL:
    """Split an enunclic URL; a bad or unknown scheme lists the registered backends."""
    if not isinstance(url, str) or "://" not in url:
        raise InvalidInputError(
            f"not a server URL (expected '<backend>://host'); registered backends: {', '.join(backends) or 'none'}"
        )
    scheme, rest = url.split("://", 1)
    name, _, transport = scheme.lower().partition("+")
    cls = lookup(backends, name)
    transport = transport or cls.url_schemes[0]
    if transport not in cls.url_schemes:
        accepted = ", ".join(f"{name}+{s}" for s in cls.url_schemes)
        raise InvalidInputError(f"the {name} backend does not speak {transport!r}; use one of: {accepted}")
    try:
        parts = urlsplit(f"{transport}://{rest}")
        port = parts.port
    except ValueError as exc:
        raise InvalidInputError(f"malformed server URL: {_describe(exc)}") from None
    host = parts.hostname or ""
    if not host and not (transport == "scgi" and parts.path):
        raise InvalidInputError("the server URL has no host")
    if port is None and host:
        port = cls.default_ports.get(transport)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    path = parts.path if parts.path not in ("", "/") or not cls.default_path else cls.default_path
    # urlunsplit drops an empty netloc; a unix socket path keeps its "scgi:///path" form.
    base = urlunsplit((transport, netloc, path, "", "")) if netloc else f"{transport}://{path}"
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    reserved = sorted(RESERVED_OPTIONS.intersection(options))
    if reserved:
        raise InvalidInputError(
            f"the URL's query may not set {', '.join(reserved)}: those are the URL's own parts or the client's "
            "arguments (give the password as password=, never in a query)"
        )
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    return ServerURL(backend=name, url=base, username=username, password=password, options=options)


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """Take ``user:password@`` out of a plain URL, percent-decoded."""
    try:
        parts = urlsplit(url)
        username, password = parts.username, parts.password
    except ValueError as exc:
        raise InvalidInputError(f"malformed URL: {_describe(exc)}") from None
    if username is None and password is None:
        return url, None, None
    netloc = parts.netloc.rpartition("@")[2]
    plain = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return plain, unquote(username) if username else None, unquote(password) if password is not None else None


def _describe(exc: ValueError) -> str:
    # urllib's messages quote the offending netloc, which may hold a password.
    text = str(exc)
    return "port out of range or not a number" if "port" in text.lower() else "cannot parse it"
