"""``enunclic demo``: a simulated NAS on loopback, watched through the real synology backend.

Nothing to install or configure: the simulator runs in-process on 127.0.0.1 (a
free port), the ``synology`` backend connects to it over HTTP like to any NAS,
and a live table follows ``poll()`` until Ctrl-C (``--once`` prints one snapshot).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from typing import Annotated

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from .. import Client, Delta, EnunclicError, Torrent
from ..simulators.synology import SAMPLES
from .simulate import UserSpec, build_synology

__all__ = ["TorrentBoard", "demo", "render_table"]

_STATE_STYLE = {
    "downloading": "green",
    "seeding": "cyan",
    "completed": "blue",
    "paused": "yellow",
    "error": "bold red",
    "queued": "magenta",
    "metadata": "magenta",
}


def human_bytes(value: int | None, suffix: str = "") -> str:
    """1536 -> '1.5 KiB'."""
    if value is None:
        return "-"
    amount = float(value)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if amount < 1024 or unit == "TiB":
            text = f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
            return text + suffix
        amount /= 1024
    return f"{amount:.1f} TiB{suffix}"  # pragma: no cover - the loop always returns


def human_eta(seconds: int | None) -> str:
    """3725 -> '1h02m'; None -> '-'."""
    if seconds is None:
        return "-"
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


class TorrentBoard:
    """The torrents as last seen, patched with each :class:`~enunclic.Delta` from ``poll()``."""

    def __init__(self) -> None:
        self.torrents: dict[str, Torrent] = {}

    def apply(self, delta: Delta) -> None:
        """Add, replace and drop rows as the delta says."""
        for torrent in [*delta.added, *delta.changed]:
            self.torrents[torrent.id] = torrent
        for torrent_id in delta.removed:
            self.torrents.pop(torrent_id, None)


def _task_order(torrent: Torrent) -> tuple[int, str]:
    """Oldest task first: ``dbid_N`` by N, other ids after, by name."""
    number = torrent.id.rpartition("_")[2]
    return (int(number), "") if number.isdigit() else (1 << 62, torrent.id)


def render_table(torrents: Iterable[Torrent], title: str) -> Table:
    """One row per torrent: name, state, progress, size, speeds, ETA and destination or error."""
    table = Table(title=title, expand=False)
    table.add_column("Name", overflow="ellipsis", no_wrap=True, max_width=48)
    table.add_column("State", no_wrap=True)
    table.add_column("Progress", justify="right", no_wrap=True)
    table.add_column("Size", justify="right", no_wrap=True)
    table.add_column("Down", justify="right", no_wrap=True)
    table.add_column("Up", justify="right", no_wrap=True)
    table.add_column("ETA", justify="right", no_wrap=True)
    table.add_column("Where / why", overflow="ellipsis", no_wrap=True)
    for torrent in sorted(torrents, key=_task_order):
        state = str(torrent.state)
        table.add_row(
            torrent.name,
            f"[{_STATE_STYLE.get(state, 'white')}]{state}[/]",
            f"{torrent.progress * 100:5.1f}%",
            human_bytes(torrent.size) if torrent.size else "?",
            human_bytes(torrent.download_speed, "/s"),
            human_bytes(torrent.upload_speed, "/s"),
            human_eta(torrent.eta),
            torrent.error or torrent.destination or "",
        )
    return table


def demo(
    once: Annotated[bool, typer.Option("--once", help="Print one snapshot and exit.")] = False,
    dsm: Annotated[int, typer.Option(help="DSM personality of the simulated NAS: 6 or 7.", min=6, max=7)] = 7,
    interval: Annotated[float, typer.Option(help="Seconds between polls.", min=0.2, max=60.0)] = 1.0,
    tasks: Annotated[int, typer.Option(help="Sample tasks on the simulated NAS.", min=0, max=500)] = len(SAMPLES),
) -> None:
    """Watch a simulated Synology NAS through the real synology backend (Ctrl-C to stop)."""
    console = Console()
    if not console.is_terminal:
        console = Console(width=max(console.width, 160))  # piped output: keep whole names on one line
    login = UserSpec("demo", secrets.token_urlsafe(12), manager=True)
    built = build_synology(dsm, [login], tasks=tasks)
    server = built.simulator.serve(port=0)  # 127.0.0.1, a free port
    title = f"Simulated Download Station (DSM {dsm}) at {server.url}"
    client: Client | None = None
    try:
        client = Client("synology", url=server.url, username=login.name, password=login.password, timeout=10.0)
        board = TorrentBoard()
        board.apply(client.poll())
        if once:
            console.print(render_table(board.torrents.values(), title))
            return
        console.print(f"Watching {server.url} through the synology backend; Ctrl-C to stop.")
        with Live(render_table(board.torrents.values(), title), console=console, refresh_per_second=4) as live:
            while True:
                time.sleep(interval)
                board.apply(client.poll())
                live.update(render_table(board.torrents.values(), title))
    except KeyboardInterrupt:
        console.print("Stopped.")
    except EnunclicError as exc:
        console.print(f"[bold red]demo failed:[/] {exc}")
        raise typer.Exit(1) from None
    finally:
        if client is not None:
            client.close()
        server.stop()
