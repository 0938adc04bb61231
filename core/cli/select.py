"""Which server a command talks to, and with which password.

``--server/-s`` (or ``ENUNCLIC_SERVER``) names a profile or gives a URL; without either the
default profile is used (the first one saved, or the only one). The password comes from
``--password-stdin``, the URL, the profile (keyring, or the file when the user chose so),
and otherwise is asked for on the terminal, never echoed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

from ..redact import redact_url
from .exits import CliError, ExitCode
from .profiles import Profile, Profiles, load_password, load_profiles, load_secret_options, with_options

if TYPE_CHECKING:
    from .. import Client

__all__ = [
    "options_of",
    "GlobalOptions",
    "Target",
    "ask_password",
    "open_client",
    "read_password_stdin",
    "resolve_target",
    "strip_password",
]


@dataclass
class GlobalOptions:
    """The options given before the command name."""

    server: str | None = None
    password_stdin: bool = False
    timeout: float = 30.0
    debug: bool = False
    #: A one-time code for servers with two-step verification (the synology backend's ``otp_code``).
    otp: str | None = field(default=None, repr=False)
    _stdin_password: str | None = field(default=None, repr=False)

    def stdin_password(self) -> str | None:
        """The password read from stdin (once) with ``--password-stdin``, else None."""
        if self.password_stdin and self._stdin_password is None:
            self._stdin_password = read_password_stdin()
        return self._stdin_password


def options_of(ctx: typer.Context) -> GlobalOptions:
    """The global options a command's context carries (the defaults when it has none)."""
    return ctx.obj if isinstance(ctx.obj, GlobalOptions) else GlobalOptions()


@dataclass(frozen=True)
class Target:
    """A resolved server: what to connect to and how; ``label`` is safe to print."""

    label: str
    url: str
    username: str | None
    password: str | None = field(repr=False)
    verify: bool | str = True
    tls_fingerprint: str | None = None
    profile: str | None = None


def read_password_stdin() -> str:
    """One line of stdin, without its line ending."""
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise CliError("--password-stdin: no password on standard input", ExitCode.USAGE)
    return password


def _choose(spec: str | None, profiles: Profiles) -> str:
    if spec:
        return spec
    if profiles.default:
        return profiles.default
    if len(profiles.servers) == 1:
        return next(iter(profiles.servers))
    names = ", ".join(sorted(profiles.servers))
    hint = f" (profiles: {names})" if names else "; save one with 'enunclic servers add NAME URL'"
    raise CliError(f"no server selected: use --server NAME|URL or ENUNCLIC_SERVER{hint}", ExitCode.USAGE)


def resolve_target(spec: str | None, options: GlobalOptions, profiles: Profiles | None = None) -> Target:
    """Profile name or URL -> a Target with a password when one is known (not asked for yet)."""
    from .. import get_backends  # noqa: PLC0415 - loads the plugins: only when a command connects
    from ..urls import parse_server_url  # noqa: PLC0415

    profiles = load_profiles() if profiles is None else profiles
    chosen = _choose(spec, profiles)
    if "://" in chosen:
        parsed = parse_server_url(chosen, get_backends())
        plain_url = chosen.split("://", 1)[0] + "://" + strip_password(chosen.split("://", 1)[1])
        # A URL equal to a saved profile's uses that profile's password and TLS settings.
        profile = next((p for p in profiles.servers.values() if p.url == plain_url), None)
        url_password = parsed.password
    else:
        profile = profiles.servers.get(chosen)
        if profile is None:
            names = ", ".join(sorted(profiles.servers)) or "none saved"
            raise CliError(f"no server profile named {chosen!r} (profiles: {names})", ExitCode.USAGE)
        plain_url = with_options(profile.url, load_secret_options(profile.name))
        parsed = parse_server_url(plain_url, get_backends())
        url_password = None
    password = options.stdin_password() or url_password or _profile_password(profile)
    return Target(
        label=profile.name if profile else redact_url(plain_url, keep_user=True),
        url=plain_url,
        username=parsed.username,
        password=password,
        verify=profile.verify if profile else True,
        tls_fingerprint=profile.tls_fingerprint if profile else None,
        profile=profile.name if profile else None,
    )


def strip_password(rest: str) -> str:
    """``user:pw@host/...`` -> ``user@host/...`` (the part after ``scheme://``); the rest is kept verbatim."""
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    credentials, at, host = authority.rpartition("@")
    if not at:
        return rest
    user = credentials.split(":", 1)[0]
    return f"{user}@{host}{tail}" if user else f"{host}{tail}"


def _profile_password(profile: Profile | None) -> str | None:
    if profile is None:
        return None
    return profile.password or load_password(profile.name)


def ask_password(target: Target, *, required: bool = True) -> str | None:
    """Ask on the terminal (hidden input, prompt on stderr); no answer is a clear error (None if not required)."""
    try:
        answer: str = typer.prompt(
            f"Password for {target.username} on {target.label}",
            hide_input=True,
            err=True,
            default="",
            show_default=False,
        )
    except typer.Abort:
        answer = ""
    if not answer and not required:
        return None
    if not answer:
        raise CliError(
            f"no password for {target.username} on {target.label}: give it with --password-stdin, "
            "or save it with 'enunclic servers add'",
            ExitCode.CONNECTION,
        )
    return answer


@contextmanager
def open_client(options: GlobalOptions, spec: str | None = None) -> Iterator[Client]:
    """A connected :class:`~enunclic.Client` for the selected server, closed (logged out) afterwards."""
    from .. import connect  # noqa: PLC0415 - httpx and pydantic load only when a command connects

    target = resolve_target(spec if spec is not None else options.server, options)
    password = target.password
    if password is None and target.username:
        password = ask_password(target)
    extra = {"otp_code": options.otp} if options.otp else {}
    client = connect(
        target.url,
        password=password,
        verify=target.verify,
        tls_fingerprint=target.tls_fingerprint,
        timeout=options.timeout,
        name=target.profile,
        **extra,
    )
    with client:
        yield client
