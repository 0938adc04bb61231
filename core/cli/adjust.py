"""Per-torrent adjustments: ``priority`` (of files), ``queue`` (order) and ``torrent-limits`` (speeds)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..states import FilePriority, QueueMove
from .select import open_client, options_of
from .speeds import RATE_HELP, limit_change, rate_option, shown_limit
from .torrents import IdsArgument
from .units import counted

__all__ = ["priority", "queue", "torrent_limits"]

_PRIORITIES = ", ".join(p.value for p in FilePriority)
_MOVES = ", ".join(m.value for m in QueueMove)


def priority(
    ctx: typer.Context,
    level: Annotated[str, typer.Argument(metavar="LEVEL", help=f"One of {_PRIORITIES} (skip: do not download).")],
    torrent_id: Annotated[str, typer.Argument(metavar="ID", help="A torrent id.")],
    indexes: Annotated[
        list[int] | None, typer.Argument(metavar="INDEX...", help="File indexes (see 'enunclic info ID').")
    ] = None,
) -> None:
    """Set the priority of files of one torrent (every file when no index is given)."""
    try:
        chosen = FilePriority(level.lower())
    except ValueError:
        raise typer.BadParameter(f"{level!r} is not one of {_PRIORITIES}", param_hint="LEVEL") from None
    if indexes and min(indexes) < 0:
        raise typer.BadParameter("file indexes start at 0", param_hint="INDEX")
    with open_client(options_of(ctx)) as client:
        files = indexes or [f.index for f in client.files(torrent_id)]
        client.set_file_priority(torrent_id, files, chosen)
    typer.echo(f"Set {counted(len(files), 'file')} of {torrent_id} to {chosen.value}.")


def queue(
    ctx: typer.Context,
    direction: Annotated[str, typer.Argument(metavar="WHERE", help=f"One of {_MOVES}.")],
    ids: IdsArgument = None,
) -> None:
    """Move torrents in the download queue."""
    try:
        move = QueueMove(direction.lower())
    except ValueError:
        raise typer.BadParameter(f"{direction!r} is not one of {_MOVES}", param_hint="WHERE") from None
    if not ids:
        raise typer.BadParameter("give at least one torrent id", param_hint="ID")
    with open_client(options_of(ctx)) as client:
        client.queue_move(ids, move)
    where = move.value if move in {QueueMove.UP, QueueMove.DOWN} else f"to the {move.value}"
    typer.echo(f"Moved {counted(len(ids), 'torrent')} {where}.")


def torrent_limits(
    ctx: typer.Context,
    ids: IdsArgument = None,
    download: Annotated[str | None, typer.Option(help=f"Download limit, {RATE_HELP}", callback=rate_option)] = None,
    upload: Annotated[str | None, typer.Option(help=f"Upload limit, {RATE_HELP}", callback=rate_option)] = None,
) -> None:
    """Set the speed limits of torrents; a limit left out is kept ('enunclic info ID' shows them)."""
    if download is None and upload is None:
        raise typer.BadParameter("give --download, --upload or both")
    if not ids:
        raise typer.BadParameter("give at least one torrent id", param_hint="ID")
    with open_client(options_of(ctx)) as client:
        down, up = limit_change(client, download, upload)
        client.set_torrent_limits(ids, download=down, upload=up)
    typer.echo(f"Limited {counted(len(ids), 'torrent')}: download {shown_limit(down)}, upload {shown_limit(up)}.")
