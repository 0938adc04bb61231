"""Whole-server commands: ``stats`` (speeds, limits, free space) and ``limits`` (show or set global limits)."""

from __future__ import annotations

from typing import Annotated

import typer

from .exits import CliError, ExitCode
from .render import emit_json, make_console, model_json, stats_table
from .select import open_client, options_of
from .units import human_limit, parse_rate

__all__ = ["limits", "rate_option", "stats"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (raw bytes and bytes/s) instead.")]


def rate_option(value: str | None) -> str | None:
    """Validate a speed at parse time, so a typo is a usage error before anything connects."""
    if value is not None:
        try:
            parse_rate(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


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
        str | None,
        typer.Option(help="Global download limit, e.g. 2MiB/s, 500k, 0 or none (unlimited).", callback=rate_option),
    ] = None,
    upload: Annotated[str | None, typer.Option(help="Global upload limit, same units.", callback=rate_option)] = None,
    json_output: JsonOption = False,
) -> None:
    """Show the global speed limits, or set them with --download/--upload (the other one is kept)."""
    from ..capabilities import Capability  # noqa: PLC0415

    with open_client(options_of(ctx)) as client:
        if download is None and upload is None:
            figures = client.stats()  # NotSupportedError (exit 4) where the server cannot tell
            shown = (figures.download_limit, figures.upload_limit)
        else:
            client.info()  # discovery narrows the capabilities before we decide
            readable = Capability.STATS in client.backend.available_capabilities()
            before = client.stats() if readable else None
            if before is not None:
                new_down = parse_rate(download) if download is not None else before.download_limit
                new_up = parse_rate(upload) if upload is not None else before.upload_limit
            elif download is not None and upload is not None:
                new_down, new_up = parse_rate(download), parse_rate(upload)
            else:
                raise CliError(
                    "this server does not report its limits, so give both --download and --upload", ExitCode.USAGE
                )
            client.set_limits(download=new_down, upload=new_up)
            after = client.stats() if readable else None
            shown = (after.download_limit, after.upload_limit) if after is not None else (new_down, new_up)
    if json_output:
        emit_json({"download_limit": shown[0], "upload_limit": shown[1]})
        return
    typer.echo(f"download: {human_limit(shown[0])}")
    typer.echo(f"upload:   {human_limit(shown[1])}")
