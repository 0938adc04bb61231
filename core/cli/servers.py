"""``enunclic servers add|list|remove|test``: saved server profiles."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from ..redact import redact_url
from .exits import CliError, ExitCode
from .profiles import (
    Profile,
    check_name,
    config_path,
    delete_password,
    delete_secret_options,
    keyring_available,
    load_profiles,
    save_profiles,
    split_secret_options,
    store_password,
    store_secret_options,
    with_options,
)
from .render import emit_json, make_console, model_json, printable, shown
from .select import open_client, options_of

__all__ = ["app"]

app = typer.Typer(help="Saved server profiles (a TOML file; passwords in the system keyring).", no_args_is_help=True)


def _password_kind(profile: Profile, in_keyring: bool) -> str:
    if profile.password:
        return "file (plaintext)"
    return "keyring" if in_keyring else "asked"


def _split_url(url: str) -> tuple[str, str | None, str | None]:
    """Check the URL against the registered backends; return it without its password, the user and password."""
    from .. import get_backends  # noqa: PLC0415
    from ..urls import parse_server_url  # noqa: PLC0415
    from .select import strip_password  # noqa: PLC0415

    parsed = parse_server_url(url, get_backends())
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{strip_password(rest)}", parsed.username, parsed.password


@app.command("add")
def add(  # noqa: PLR0917 - typer maps each parameter to an argument or option
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Profile name (letters, digits, - and _).")],
    url: Annotated[str, typer.Argument(help="Server URL, e.g. synology+https://admin@nas.local:5001.")],
    default: Annotated[bool, typer.Option("--default", help="Use this server when none is selected.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite a profile of the same name.")] = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="Save no password: it is asked for each time.")
    ] = False,
    store_password_plaintext: Annotated[
        bool,
        typer.Option(
            "--store-password-plaintext", help="Keep the password in the profiles file, unencrypted (not recommended)."
        ),
    ] = False,
    insecure: Annotated[bool, typer.Option("--insecure", help="Do not verify the TLS certificate.")] = False,
    ca_bundle: Annotated[str | None, typer.Option(help="Verify TLS with this CA bundle file.")] = None,
    fingerprint: Annotated[
        str | None, typer.Option(help="Accept exactly the certificate with this SHA-256 fingerprint.")
    ] = None,
) -> None:
    """Save a server profile; its password goes to the system keyring when there is one."""
    from .select import ask_password, read_password_stdin  # noqa: PLC0415

    check_name(name)
    if insecure and ca_bundle:
        raise CliError("--insecure and --ca-bundle contradict each other", ExitCode.USAGE)
    plain_url, username, password = _split_url(url)
    plain_url, secrets = split_secret_options(plain_url)
    profiles = load_profiles()
    if name in profiles.servers and not replace:
        raise CliError(f"a profile named {name!r} exists; use --replace to overwrite it", ExitCode.USAGE)
    options = options_of(ctx)
    if password is None and not no_password:
        if options.password_stdin:  # also for servers that take a password and no user name (Deluge, aria2)
            password = read_password_stdin()
        elif username and (keyring_available() or store_password_plaintext):
            from .select import Target  # noqa: PLC0415

            password = ask_password(Target(name, plain_url, username, None), required=False)
    where = "none"
    if password is not None and not no_password:
        if store_password_plaintext:
            where = "file"
            typer.echo(
                f"Warning: the password is stored UNENCRYPTED in {config_path()} (readable by you only).", err=True
            )
        elif store_password(name, password):
            where = "keyring"
        else:
            typer.echo(
                "Warning: no usable system keyring, so the password is not saved: it will be asked for "
                "when needed (or use --password-stdin, or --store-password-plaintext).",
                err=True,
            )
    if where != "keyring":
        delete_password(name)  # a replaced profile must not keep an old keyring entry
    delete_secret_options(name)
    if secrets:
        if store_password_plaintext:
            plain_url = with_options(plain_url, secrets)
            typer.echo(f"Warning: {', '.join(secrets)} stored UNENCRYPTED in {config_path()}.", err=True)
        elif not store_secret_options(name, secrets):
            raise CliError(
                f"the URL holds {', '.join(secrets)}, a secret like a password, and there is no usable system "
                "keyring to keep it: add --store-password-plaintext to keep it in the profiles file",
                ExitCode.USAGE,
            )
    profile = Profile(
        name,
        plain_url,
        verify=False if insecure else (ca_bundle or True),
        tls_fingerprint=fingerprint,
        password=password if where == "file" else None,
    )
    profiles.servers[name] = profile
    if default or profiles.default is None:
        profiles.default = name
    path = save_profiles(profiles)
    typer.echo(printable(f"Saved {name} ({redact_url(plain_url, keep_user=True)}) in {path}; password: {where}."))


@app.command("list")
def list_servers(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead (never passwords).")] = False,
) -> None:
    """The saved profiles (never their passwords)."""
    from .profiles import load_password  # noqa: PLC0415

    profiles = load_profiles()
    rows: list[dict[str, Any]] = []
    for name, profile in sorted(profiles.servers.items()):
        in_keyring = not profile.password and load_password(name) is not None
        rows.append(
            {
                "name": name,
                "url": redact_url(profile.url, keep_user=True),
                "default": name == profiles.default,
                "password": {"file (plaintext)": "file", "keyring": "keyring", "asked": "ask"}[
                    _password_kind(profile, in_keyring)
                ],
                "verify": profile.verify,
                "tls_fingerprint": profile.tls_fingerprint,
            }
        )
    if json_output:
        emit_json(rows)
        return
    if not rows:
        typer.echo(f"No saved servers ({config_path()}). Add one with: enunclic servers add NAME URL")
        return
    table = Table(title=f"Servers ({config_path()})")
    for header in ("", "Name", "URL", "Password", "TLS"):
        table.add_column(header)
    for row in rows:
        tls = "no verification" if row["verify"] is False else ("pinned" if row["tls_fingerprint"] else "verified")
        table.add_row("*" if row["default"] else "", shown(row["name"]), shown(row["url"]), row["password"], tls)
    make_console().print(table)


@app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="Profile name.")]) -> None:
    """Forget a saved profile and its keyring password."""
    profiles = load_profiles()
    if name not in profiles.servers:
        raise CliError(f"no server profile named {name!r}", ExitCode.USAGE)
    del profiles.servers[name]
    if profiles.default == name:
        profiles.default = next(iter(sorted(profiles.servers)), None)
    delete_password(name)
    delete_secret_options(name)
    save_profiles(profiles)
    typer.echo(f"Removed {name}.")


@app.command("test")
def check_server(
    ctx: typer.Context,
    server: Annotated[
        str | None, typer.Argument(help="Profile name or URL (default: the selected server).", show_default=False)
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the server info as JSON.")] = False,
) -> None:
    """Connect and log in; show the server's version and capabilities (exit 3 when it fails)."""
    with open_client(options_of(ctx), server) as client:
        details = client.info()
        where = client.backend.config.url
    if json_output:
        emit_json(model_json(details))
        return
    version = details.version or "(version unknown)"
    typer.echo(printable(f"OK: {redact_url(where, keep_user=True)} is {details.backend} {version}"))
    if details.api_version:
        typer.echo(f"API version: {details.api_version}")
    typer.echo(f"Capabilities: {', '.join(sorted(str(c) for c in details.capabilities)) or 'none'}")
