"""Whole-server commands: ``stats`` (speeds, limits, free space) and ``limits`` (show or set global limits)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..limits import KEEP, Limit
from .exits import CliError, ExitCode
from .render import emit_json, make_console, model_json, stats_table
from .select import open_client, options_of
from .units import human_limit, parse_rate

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["RATE_HELP", "limit_change", "limits", "rate_option", "shown_limit", "stats"]

#: How --download and --upload are written, for every command that sets limits.
RATE_HELP = "e.g. 2MiB/s, 500k; 'unlimited' removes the limit; left out, the limit is kept."

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (raw bytes and bytes/s) instead.")]


def rate_option(value: str | None) -> str | None:
    """Validate a speed at parse time, so a typo is a usage error before anything connects."""
    if value is not None:
        try:
            parse_rate(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


def limit_change(client: Client, download: str | None, upload: str | None) -> tuple[Limit, Limit]:
    """--download and --upload as ``set_limits`` takes them: an option left out keeps its limit.

    0 is refused, naming the word that removes a limit, where the server would read it as no limit.
    """
    changes: list[Limit] = []
    for name, text in (("download", download), ("upload", upload)):
        value: Limit = KEEP if text is None else parse_rate(text)
        if value == 0 and not client.backend.zero_limit:
            raise CliError(
                f"--{name} 0: {client.backend.display_name or client.backend_name} reads a limit of 0 as no limit; "
                f"'--{name} unlimited' removes the limit (pause torrents to stop them)",
                ExitCode.USAGE,
            )
        changes.append(value)
    return changes[0], changes[1]


def shown_limit(limit: Limit) -> str:
    """One direction of a change as the command reports it."""
    return "kept" if limit is KEEP else human_limit(limit)


def stats(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Whole-server speeds, limits and free space."""
    with open_client(options_of(ctx)) as client:
        figures = client.stats()
        title = f"{client.backend.display_name or client.backend_name} at {client.backend.config.url}"
    if json_output:
        emit_json(model_json(figures))
        return
    make_console().print(stats_table(figures, title))


def limits(
    ctx: typer.Context,
    download: Annotated[
        str | None, typer.Option(help=f"Global download limit, {RATE_HELP}", callback=rate_option)
    ] = None,
    upload: Annotated[str | None, typer.Option(help=f"Global upload limit, {RATE_HELP}", callback=rate_option)] = None,
    json_output: JsonOption = False,
) -> None:
    """Show the global speed limits, or set them with --download/--upload (one left out is kept).

    After a change the limits are read back from the server, where it reports them.
    """
    from ..capabilities import Capability  # noqa: PLC0415

    with open_client(options_of(ctx)) as client:
        if download is not None or upload is not None:
            down, up = limit_change(client, download, upload)
            client.set_limits(download=down, upload=up)
            if Capability.STATS not in client.backend.available_capabilities():  # narrowed by the call's discovery
                _report((down, up), json_output)
                return
        figures = client.stats()  # NotSupportedError (exit 4) where the server cannot tell
    _report((figures.download_limit, figures.upload_limit), json_output)


def _report(shown: tuple[Limit, Limit], json_output: bool) -> None:
    """The limits as read back (or, where the server cannot tell, as set: ``kept`` for one left out,
    which JSON leaves out)."""
    if json_output:
        named = zip(("download_limit", "upload_limit"), shown, strict=True)
        emit_json({name: value for name, value in named if value is not KEEP})
        return
    typer.echo(f"download: {shown_limit(shown[0])}")
    typer.echo(f"upload:   {shown_limit(shown[1])}")
