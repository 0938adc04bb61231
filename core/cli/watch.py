"""``enunclic watch``: a live table kept current with ``client.poll()`` deltas (``demo`` uses it too)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.live import Live

from .render import DEMO_COLUMNS, LIST_COLUMNS, make_console, model_json, parse_columns, printable, torrent_table
from .select import open_client, options_of

if TYPE_CHECKING:
    from rich.console import Console

    from .. import Client, Delta, Torrent

__all__ = ["DEMO_COLUMNS", "delta_json", "live_table", "watch"]


def delta_json(delta: Delta) -> dict[str, Any]:
    """A delta as JSON data with sorted field names, so equal deltas print equally."""
    data = model_json(delta)
    data["changed_fields"] = {tid: sorted(fields) for tid, fields in delta.changed_fields.items()}
    return dict(data)


def live_table(
    client: Client,
    title: str,
    columns: Sequence[str],
    *,
    interval: float,
    count: int | None,
    console: Console,
    json_lines: bool = False,
) -> int:
    """Poll and redraw until ``count`` polls are done (None: until Ctrl-C); returns how many were done.

    The first poll's errors propagate (wrong password, unreachable server); later ones are shown in the
    caption (or on stderr with ``json_lines``) and the next poll retries.
    """
    from ..exceptions import EnunclicError  # noqa: PLC0415
    from ..watch import apply_delta  # noqa: PLC0415

    delta = client.poll()
    board: dict[str, Torrent] = apply_delta({}, delta)
    done = 1
    if json_lines:
        typer.echo(json.dumps(delta_json(delta), ensure_ascii=False))
    first = torrent_table(board.values(), columns, title)
    live: Live | _NoLive = _NoLive() if json_lines else Live(first, console=console, auto_refresh=False)
    with live:
        while count is None or done < count:
            time.sleep(interval)
            caption = None
            try:
                delta = client.poll()
            except EnunclicError as exc:
                caption = f"last poll failed: {exc} (retrying)"
                if json_lines:
                    typer.echo(f"Error: {printable(str(exc))}", err=True)
            else:
                board = apply_delta(board, delta)
                if json_lines:
                    typer.echo(json.dumps(delta_json(delta), ensure_ascii=False))
            done += 1
            live.update(torrent_table(board.values(), columns, title, caption=caption), refresh=True)
    return done


class _NoLive:
    """Stands in for ``rich.live.Live`` when only JSON lines are printed."""

    def __enter__(self) -> _NoLive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def update(self, renderable: object, *, refresh: bool = False) -> None:
        """Nothing to draw."""


def _columns(text: str) -> tuple[str, ...]:
    try:
        return parse_columns(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def watch(
    ctx: typer.Context,
    interval: Annotated[float, typer.Option(help="Seconds between polls.", min=0.1, max=3600)] = 2.0,
    count: Annotated[
        int | None, typer.Option(help="Stop after this many polls (default: until Ctrl-C).", min=1)
    ] = None,
    columns: Annotated[str, typer.Option("--columns", "-c", help="Comma-separated columns, as for 'list'.")] = ",".join(
        LIST_COLUMNS
    ),
    json_output: Annotated[
        bool, typer.Option("--json", help="Print each poll's delta as one JSON line instead of a table.")
    ] = False,
) -> None:
    """A live table of the torrents, updated from each poll's changes (Ctrl-C to stop)."""
    chosen = _columns(columns)
    options = options_of(ctx)
    console = make_console()
    try:
        with open_client(options) as client:
            title = f"{client.backend.display_name or client.backend_name} at {client.backend.config.url}"
            live_table(client, title, chosen, interval=interval, count=count, console=console, json_lines=json_output)
    except KeyboardInterrupt:
        typer.echo("Stopped.", err=json_output)
