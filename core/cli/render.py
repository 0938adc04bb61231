"""Rich tables for torrents, files, trackers, peers and stats, and the ``--json`` writer.

One column registry serves ``list``, ``watch`` and ``demo``, so a torrent row is drawn
in one place. Tables show human units; JSON keeps the models' raw numbers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .units import human_bytes, human_eta, human_limit

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..models import Peer, SessionStats, Torrent, TorrentFile, Tracker

__all__ = [
    "COLUMNS",
    "DEMO_COLUMNS",
    "LIST_COLUMNS",
    "emit_json",
    "files_table",
    "id_order",
    "make_console",
    "model_json",
    "details_table",
    "parse_columns",
    "peers_table",
    "printable",
    "shown",
    "stats_table",
    "torrent_table",
    "trackers_table",
]

STATE_STYLE = {
    "downloading": "green",
    "seeding": "cyan",
    "completed": "blue",
    "paused": "yellow",
    "error": "bold red",
    "queued": "magenta",
    "metadata": "magenta",
    "checking": "magenta",
}


#: Characters that would drive a terminal or reorder text (C0/C1 controls, ESC included, and bidi
#: controls), and lone surrogates, which no terminal encoding carries.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with every control character replaced by U+FFFD: server text shown as text, never as commands."""
    return _UNPRINTABLE.sub("\ufffd", text)


def shown(text: str, style: str = "") -> Text:
    """Server-supplied text as a rich ``Text``: no markup is read in it, no control character reaches the terminal."""
    return Text(printable(text), style=style)


@dataclass(frozen=True)
class Column:
    """One torrent column: header, cell text, sort key and layout."""

    header: str
    cell: Callable[[Torrent], str | Text]
    sort: Callable[[Torrent], Any]
    right: bool = False
    wide: bool = False


def id_order(torrent: Torrent) -> tuple[Any, ...]:
    """Natural order of ids: ``dbid_9`` before ``dbid_10``; digits compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", torrent.id))


def _date(value: datetime | None) -> str:
    """Local time; a date the local zone cannot hold (year 9999 east of UTC) is shown in UTC."""
    if value is None:
        return "-"
    try:
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    except (OverflowError, ValueError, OSError):
        return value.strftime("%Y-%m-%d %H:%M UTC")


def _pair(connected: int | None, total: int | None) -> str:
    if connected is None and total is None:
        return "-"
    return f"{connected if connected is not None else '?'} ({total if total is not None else '?'})"


def _state(torrent: Torrent) -> Text:
    state = str(torrent.state)
    return Text(state, style=STATE_STYLE.get(state, "white"))


def _cell(value: str | Text) -> Text:
    return value if isinstance(value, Text) else shown(value)


def _num(value: float | None) -> float:
    return -1.0 if value is None else float(value)


#: Every column ``--columns`` accepts, in the order ``--help`` lists them.
COLUMNS: Mapping[str, Column] = {
    "id": Column("ID", lambda t: t.id, id_order),
    "name": Column("Name", lambda t: t.name, lambda t: t.name.lower(), wide=True),
    "state": Column("State", _state, lambda t: str(t.state)),
    "progress": Column("Progress", lambda t: f"{t.progress * 100:5.1f}%", lambda t: t.progress, right=True),
    "size": Column("Size", lambda t: human_bytes(t.size) if t.size else "?", lambda t: t.size, right=True),
    "downloaded": Column("Done", lambda t: human_bytes(t.downloaded), lambda t: t.downloaded, right=True),
    "uploaded": Column("Uploaded", lambda t: human_bytes(t.uploaded), lambda t: t.uploaded, right=True),
    "ratio": Column("Ratio", lambda t: "-" if t.ratio is None else f"{t.ratio:.2f}", lambda t: _num(t.ratio), True),
    "down": Column("Down", lambda t: human_bytes(t.download_speed, "/s"), lambda t: t.download_speed, right=True),
    "up": Column("Up", lambda t: human_bytes(t.upload_speed, "/s"), lambda t: t.upload_speed, right=True),
    "eta": Column("ETA", lambda t: human_eta(t.eta), lambda t: (t.eta is None, t.eta or 0), right=True),
    "label": Column("Label", lambda t: t.label or "", lambda t: t.label or ""),
    "destination": Column("Destination", lambda t: t.destination or "", lambda t: t.destination or "", wide=True),
    "where": Column("Where / why", lambda t: t.error or t.destination or "", lambda t: t.error or t.destination or ""),
    "seeds": Column("Seeds", lambda t: _pair(t.seeds_connected, t.seeds_total), lambda t: _num(t.seeds_total), True),
    "peers": Column("Peers", lambda t: _pair(t.peers_connected, t.peers_total), lambda t: _num(t.peers_total), True),
    "added": Column("Added", lambda t: _date(t.added_at), lambda t: t.added_at.timestamp() if t.added_at else 0.0),
    "hash": Column("Info-hash", lambda t: t.info_hash or "-", lambda t: t.info_hash or ""),
    "error": Column("Error", lambda t: t.error or "", lambda t: t.error or ""),
}

LIST_COLUMNS: tuple[str, ...] = ("id", "name", "state", "progress", "size", "down", "up", "eta", "label")
DEMO_COLUMNS: tuple[str, ...] = ("name", "state", "progress", "size", "down", "up", "eta", "where")


def parse_columns(text: str) -> tuple[str, ...]:
    """``'id,name, state'`` -> a tuple of known column names; unknown names raise ValueError."""
    names = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [name for name in names if name not in COLUMNS]
    if unknown or not names:
        raise ValueError(f"unknown column {', '.join(unknown) or '(none given)'}; choose from: {', '.join(COLUMNS)}")
    return names


def torrent_table(
    torrents: Iterable[Torrent],
    columns: Sequence[str],
    title: str | None = None,
    *,
    sort: str | None = None,
    reverse: bool = False,
    caption: str | None = None,
) -> Table:
    """One row per torrent, with the chosen columns; sorted by a column (by id when none)."""
    table = Table(title=title, caption=caption, expand=False)
    for name in columns:
        column = COLUMNS[name]
        if column.wide:
            table.add_column(column.header, overflow="ellipsis", no_wrap=True, max_width=48)
        else:
            table.add_column(column.header, justify="right" if column.right else "left", no_wrap=True)
    key = COLUMNS[sort].sort if sort else id_order
    for torrent in sorted(torrents, key=key, reverse=reverse):
        table.add_row(*(_cell(COLUMNS[name].cell(torrent)) for name in columns))
    return table


def details_table(torrent: Torrent) -> Table:
    """Every field of one torrent, one per line, in human units."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    # Shown only when one is set: None alone may mean "not reported" as well as "no limit".
    limited = torrent.download_limit is not None or torrent.upload_limit is not None
    limits = f"down {human_limit(torrent.download_limit)}, up {human_limit(torrent.upload_limit)}"
    rows: list[tuple[str, str | Text]] = [
        ("ID", torrent.id),
        ("Name", torrent.name),
        ("State", Text.assemble(_state(torrent), f" ({printable(torrent.native_state)})")),
        ("Progress", str(COLUMNS["progress"].cell(torrent)).strip()),
        ("Size", COLUMNS["size"].cell(torrent)),
        ("Downloaded", human_bytes(torrent.downloaded)),
        ("Uploaded", human_bytes(torrent.uploaded)),
        ("Ratio", COLUMNS["ratio"].cell(torrent)),
        ("Speed", f"down {human_bytes(torrent.download_speed, '/s')}, up {human_bytes(torrent.upload_speed, '/s')}"),
        *([("Limits", limits)] if limited else []),
        ("ETA", human_eta(torrent.eta)),
        ("Seeds", COLUMNS["seeds"].cell(torrent)),
        ("Peers", COLUMNS["peers"].cell(torrent)),
        ("Label", torrent.label or "-"),
        ("Destination", torrent.destination or "-"),
        ("Info-hash", torrent.info_hash or "-"),
        ("Added", _date(torrent.added_at)),
        ("Completed", _date(torrent.completed_at)),
    ]
    if torrent.error:
        rows.append(("Error", shown(torrent.error, "red")))
    for name, value in rows:
        table.add_row(name, _cell(value))
    return table


def files_table(files: Iterable[TorrentFile]) -> Table:
    """The files of a torrent."""
    table = Table(title="Files")
    for header, right in (("#", True), ("Path", False), ("Size", True), ("Progress", True), ("Priority", False)):
        table.add_column(header, justify="right" if right else "left")
    for item in files:
        priority = str(item.priority) if item.wanted else "skip"
        table.add_row(
            str(item.index), shown(item.path), human_bytes(item.size), f"{item.progress * 100:.1f}%", priority
        )
    return table


def trackers_table(trackers: Iterable[Tracker]) -> Table:
    """The trackers of a torrent."""
    table = Table(title="Trackers")
    for header in ("URL", "Status", "Seeds", "Peers", "Message"):
        table.add_column(header)
    for tracker in trackers:
        table.add_row(
            shown(tracker.url),
            str(tracker.status),
            "-" if tracker.seeds is None else str(tracker.seeds),
            "-" if tracker.peers is None else str(tracker.peers),
            shown(tracker.message or ""),
        )
    return table


def peers_table(peers: Iterable[Peer]) -> Table:
    """The connected peers of a torrent."""
    table = Table(title="Peers")
    for header, right in (("Address", False), ("Client", False), ("Progress", True), ("Down", True), ("Up", True)):
        table.add_column(header, justify="right" if right else "left")
    for peer in peers:
        table.add_row(
            shown(peer.address),
            shown(peer.client or ""),
            f"{peer.progress * 100:.1f}%",
            human_bytes(peer.download_speed, "/s"),
            human_bytes(peer.upload_speed, "/s"),
        )
    return table


def stats_table(stats: SessionStats, title: str) -> Table:
    """Whole-server speeds, limits and free space."""
    table = Table(title=title, show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("Download speed", human_bytes(stats.download_speed, "/s"))
    table.add_row("Upload speed", human_bytes(stats.upload_speed, "/s"))
    table.add_row("Download limit", human_limit(stats.download_limit))
    table.add_row("Upload limit", human_limit(stats.upload_limit))
    table.add_row("Free space", human_bytes(stats.free_space))
    return table


def model_json(model: BaseModel) -> Any:
    """A model as JSON data: the library's own field names and raw units; sets as sorted lists."""
    data = model.model_dump(mode="json")
    return {k: sorted(v) if isinstance(v, list) and k == "capabilities" else v for k, v in data.items()}


def emit_json(data: Any) -> None:
    """Write one JSON document to stdout (nothing else goes there with ``--json``).

    Text that UTF-8 cannot carry (a lone surrogate in a server's error text) is written as JSON escapes.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, indent=2, ensure_ascii=True)
    typer.echo(text)


def make_console(*, stderr: bool = False) -> Console:
    """A rich console; piped output gets a wide fixed width so names stay whole and rows stay on one line."""
    console = Console(stderr=stderr)
    if not console.is_terminal:
        console = Console(stderr=stderr, width=max(console.width, 200))
    return console
