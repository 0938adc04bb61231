"""The typer application: global options, error handling, and every command registered in one place.

Command modules import only typer, rich and light parts of enunclic at the top; the HTTP stack
and the backends load when a command connects, so ``enunclic --help`` stays fast.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import adjust, bridge, demo, servers, simulate, speeds, torrents, watch
from .exits import CliError, ExitCode, exit_code_for
from .render import printable
from .select import GlobalOptions, options_of

__all__ = ["app"]


def _report(error: BaseException, debug: bool) -> ExitCode:
    """Print one readable line (the traceback first with ``--debug``) and pick the exit code."""
    if debug:
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    from ..exceptions import TwoFactorRequired  # noqa: PLC0415

    message = error.message if isinstance(error, CliError) else str(error)
    if isinstance(error, TwoFactorRequired):
        message += " (give the code with --otp CODE)"
    typer.echo(f"Error: {printable(message)}", err=True)
    return exit_code_for(error)


class _Group(TyperGroup):
    """Turns the library's typed errors into one line and a documented exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click Context
        from ..exceptions import EnunclicError  # noqa: PLC0415 - small module, imported when a command runs

        try:
            return super().invoke(ctx)
        except (EnunclicError, CliError) as exc:
            options = options_of(ctx)
            raise typer.Exit(_report(exc, options.debug)) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(ExitCode.INTERRUPTED) from None


app = typer.Typer(
    name="enunclic",
    cls=_Group,
    help=(
        "Drive remote BitTorrent clients (Synology Download Station, qBittorrent, Transmission, Deluge, rTorrent, "
        "aria2, µTorrent)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def global_options(  # noqa: PLR0917 - typer maps each parameter to an option
    ctx: typer.Context,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            "-s",
            envvar="ENUNCLIC_SERVER",
            help="Profile name or server URL (default: the default profile).",
        ),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the server password from the first line of stdin.")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(help="Seconds each call to the server may take, retries included.", min=0.1, max=3600),
    ] = 30.0,
    otp: Annotated[
        str | None, typer.Option("--otp", help="One-time code for a server with two-step verification.")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs on stderr.")] = False,
) -> None:
    """Options that apply to every command."""
    ctx.obj = GlobalOptions(server=server, password_stdin=password_stdin, timeout=timeout, debug=debug, otp=otp)
    if debug:
        logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")


# -- torrents -----------------------------------------------------------------------------------
app.command("list")(torrents.list_torrents)
app.command("add")(torrents.add)
app.command("pause")(torrents.pause)
app.command("resume")(torrents.resume)
app.command("remove")(torrents.remove)
app.command("recheck")(torrents.recheck)
app.command("reannounce")(torrents.reannounce)
app.command("move")(torrents.move)
app.command("label")(torrents.label)
app.command("info")(torrents.info)
app.command("priority")(adjust.priority)
app.command("queue")(adjust.queue)
app.command("torrent-limits")(adjust.torrent_limits)
# -- the whole server ---------------------------------------------------------------------------
app.command("stats")(speeds.stats)
app.command("limits")(speeds.limits)
app.command("watch")(watch.watch)
app.add_typer(servers.app, name="servers")
# -- tools --------------------------------------------------------------------------------------
app.command("demo")(demo.demo)
app.command("simulate")(simulate.simulate)
app.command(
    "bridge",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)(bridge.bridge)
