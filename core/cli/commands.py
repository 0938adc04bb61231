"""The typer application: one command per module, registered here."""

from __future__ import annotations

import typer

from . import demo, simulate

__all__ = ["app"]

app = typer.Typer(
    name="enunclic",
    help="Drive remote BitTorrent clients (Synology Download Station, qBittorrent, Transmission, Deluge, rTorrent).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("demo")(demo.demo)
app.command("simulate")(simulate.simulate)
