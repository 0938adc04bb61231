"""Torrent commands: list, add, pause, resume, remove, recheck, reannounce, move, label, info."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..states import TorrentState
from .exits import CliError, ExitCode
from .render import (
    COLUMNS,
    LIST_COLUMNS,
    details_table,
    emit_json,
    files_table,
    make_console,
    model_json,
    parse_columns,
    peers_table,
    printable,
    torrent_table,
    trackers_table,
)
from .select import open_client, options_of
from .units import counted

if TYPE_CHECKING:
    from .. import Client, EnunclicError, Torrent

__all__ = ["add", "info", "label", "list_torrents", "move", "pause", "reannounce", "recheck", "remove", "resume"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (the models' fields, raw units) instead.")]
IdsArgument = Annotated[list[str] | None, typer.Argument(help="Torrent ids (see 'enunclic list').", show_default=False)]
AllOption = Annotated[bool, typer.Option("--all", help="Every torrent on the server.")]


def _columns(text: str) -> tuple[str, ...]:
    try:
        return parse_columns(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _sort_key(text: str | None) -> str | None:
    if text is not None and text.lower() not in COLUMNS:
        raise typer.BadParameter(f"unknown column {text!r}; choose from: {', '.join(COLUMNS)}")
    return text.lower() if text else None


def matches(torrent: Torrent, states: list[TorrentState], label: str | None, search: str | None) -> bool:
    """The list filters: any of the states, exactly this label, the text in the name (any case)."""
    if states and torrent.state not in states:
        return False
    if label is not None and (torrent.label or "") != label:
        return False
    return not search or search.casefold() in torrent.name.casefold()


def list_torrents(  # noqa: PLR0917 - typer maps each parameter to an argument or option
    ctx: typer.Context,
    state: Annotated[
        list[TorrentState] | None, typer.Option("--state", help="Only torrents in this state (repeatable).")
    ] = None,
    label: Annotated[str | None, typer.Option(help="Only torrents with exactly this label ('' for none).")] = None,
    search: Annotated[str | None, typer.Option(help="Only torrents whose name contains this text (any case).")] = None,
    sort: Annotated[
        str | None, typer.Option(help=f"Sort by a column: {', '.join(COLUMNS)}.", callback=_sort_key)
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    columns: Annotated[
        str, typer.Option("--columns", "-c", help=f"Comma-separated, from: {', '.join(COLUMNS)}.")
    ] = ",".join(LIST_COLUMNS),
    json_output: JsonOption = False,
) -> None:
    """List the torrents in a table (or as JSON)."""
    chosen = _columns(columns)
    with open_client(options_of(ctx)) as client:
        found = [t for t in client.torrents() if matches(t, state or [], label, search)]
    if json_output:
        found.sort(key=COLUMNS[sort].sort if sort else COLUMNS["id"].sort, reverse=reverse)
        emit_json([model_json(t) for t in found])
        return
    make_console().print(torrent_table(found, chosen, sort=sort, reverse=reverse))


# -- add ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One thing to add: what the user typed, and what goes to ``client.add``."""

    shown: str
    value: str | Path


def expand_sources(items: list[str]) -> tuple[list[Source], list[tuple[str, str]]]:
    """Magnets and URLs as given; a folder becomes its ``*.torrent`` files (sorted); bad paths are problems."""
    sources: list[Source] = []
    problems: list[tuple[str, str]] = []
    for item in items:
        if item.lower().startswith(("magnet:", "http://", "https://")):
            sources.append(Source(item, item))
            continue
        path = Path(item).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.glob("*.torrent") if p.is_file())
            if not found:
                problems.append((item, "no .torrent files in this folder"))
            sources.extend(Source(str(p), p) for p in found)
        elif path.is_file():
            sources.append(Source(item, path))
        else:
            problems.append((item, "no such file or folder (and not a magnet link or http(s) URL)"))
    return sources, problems


def _is_fatal(error: EnunclicError) -> bool:
    """Errors that would hit every remaining source too: stop instead of failing each one."""
    from ..exceptions import AuthenticationError, ConnectError, RequestTimeout  # noqa: PLC0415

    return isinstance(error, (AuthenticationError, ConnectError, RequestTimeout))


def _add_all(sources: list[Source], add_one: Callable[[Source], Any], progress: bool) -> Iterator[tuple[Source, Any]]:
    """Yield (source, AddedTorrent or error) for each source, with a progress bar on stderr when asked."""
    from ..exceptions import EnunclicError  # noqa: PLC0415

    def attempt(source: Source) -> Any:
        try:
            return add_one(source)
        except EnunclicError as exc:
            if _is_fatal(exc):
                raise
            return exc

    if not progress:
        for source in sources:
            yield source, attempt(source)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: PLC0415

    columns = (TextColumn("Adding"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=make_console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=len(sources))
        for source in sources:
            bar.update(task, description=Path(source.shown).name if isinstance(source.value, Path) else "link")
            yield source, attempt(source)
            bar.advance(task)


def add(  # noqa: PLR0917 - typer maps each parameter to an argument or option
    ctx: typer.Context,
    sources: Annotated[
        list[str], typer.Argument(help="Magnet links, http(s) URLs, .torrent files, or folders of .torrent files.")
    ],
    paused: Annotated[bool, typer.Option("--paused", help="Add without starting.")] = False,
    destination: Annotated[str | None, typer.Option(help="Download folder on the server.")] = None,
    label: Annotated[str | None, typer.Option(help="Label (category) for the new torrents.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Add torrents; a summary tells what was added, already there (duplicate) or failed (exit 1)."""
    from ..capabilities import Capability  # noqa: PLC0415
    from ..exceptions import EnunclicError, NotSupportedError  # noqa: PLC0415

    expanded, problems = expand_sources(sources)
    added: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = [
        {"source": shown, "error": {"kind": "InvalidInputError", "message": why}} for shown, why in problems
    ]
    if expanded:
        with open_client(options_of(ctx)) as client:

            def add_one(source: Source) -> Any:
                return client.add(source.value, destination=destination, paused=paused, label=label)

            if label is not None and Capability.LABELS not in client.backend.available_capabilities():
                # The same refusal for every source: say it once, before adding anything.
                raise NotSupportedError(
                    f"the {client.backend_name} backend cannot set labels", backend=client.backend_name, operation="add"
                )
            for source, result in _add_all(expanded, add_one, progress=len(expanded) > 1):
                if isinstance(result, EnunclicError):
                    failed.append({"source": source.shown, "error": {"kind": result.kind, "message": str(result)}})
                else:
                    added.append({"source": source.shown, **model_json(result)})
    duplicates = sum(1 for item in added if item["duplicate"])
    if json_output:
        emit_json({"added": added, "failed": failed})
    else:
        for item in added:
            what = "already there" if item["duplicate"] else "added"
            typer.echo(printable(f"{what}: {item['source']} -> {item['id']}"))
    for item in failed:
        typer.echo(printable(f"failed: {item['source']}: {item['error']['message']}"), err=True)
    typer.echo(f"{len(added) - duplicates} added, {duplicates} duplicate, {len(failed)} failed", err=json_output)
    if failed:
        raise typer.Exit(ExitCode.ERROR)


# -- operations on ids -----------------------------------------------------------------------------


def _ids(client: Client, ids: list[str] | None, every: bool) -> list[str]:
    if every and ids:
        raise CliError("give torrent ids or --all, not both", ExitCode.USAGE)
    if every:
        return [t.id for t in client.torrents()]
    if not ids:
        raise CliError("give at least one torrent id (or --all)", ExitCode.USAGE)
    return ids


def _bulk(
    ctx: typer.Context, ids: list[str] | None, every: bool, verb: str, run: Callable[[Client, list[str]], None]
) -> None:
    with open_client(options_of(ctx)) as client:
        chosen = _ids(client, ids, every)
        run(client, chosen)
    typer.echo(f"{verb} {counted(len(chosen), 'torrent')}.")


def pause(ctx: typer.Context, ids: IdsArgument = None, every: AllOption = False) -> None:
    """Pause torrents."""
    _bulk(ctx, ids, every, "Paused", lambda client, chosen: client.pause(chosen))


def resume(ctx: typer.Context, ids: IdsArgument = None, every: AllOption = False) -> None:
    """Resume (start) torrents."""
    _bulk(ctx, ids, every, "Resumed", lambda client, chosen: client.resume(chosen))


def recheck(ctx: typer.Context, ids: IdsArgument = None, every: AllOption = False) -> None:
    """Verify downloaded data against the piece hashes."""
    _bulk(ctx, ids, every, "Rechecking", lambda client, chosen: client.recheck(chosen))


def reannounce(ctx: typer.Context, ids: IdsArgument = None, every: AllOption = False) -> None:
    """Contact the trackers now."""
    _bulk(ctx, ids, every, "Reannounced", lambda client, chosen: client.reannounce(chosen))


def remove(
    ctx: typer.Context,
    ids: IdsArgument = None,
    delete_data: Annotated[bool, typer.Option("--delete-data", help="Delete the downloaded files too.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before deleting data.")] = False,
) -> None:
    """Remove torrents (with --delete-data, their files too, after a confirmation)."""
    from ..capabilities import Capability  # noqa: PLC0415
    from ..exceptions import NotSupportedError  # noqa: PLC0415

    with open_client(options_of(ctx)) as client:
        chosen = _ids(client, ids, False)
        if delete_data:
            client.info()  # discovery: what this server can do, before asking anything
            if Capability.REMOVE_WITH_DATA not in client.backend.available_capabilities():
                raise NotSupportedError(
                    f"the {client.backend_name} backend cannot delete data when removing",
                    backend=client.backend_name,
                    operation="remove",
                )
            if not yes:
                question = f"Remove {len(chosen)} torrent(s) AND DELETE THEIR DATA ({', '.join(chosen)})?"
                if not typer.confirm(question, default=False, err=True):
                    raise CliError("nothing removed", ExitCode.ERROR)
        client.remove(chosen, delete_data=delete_data)
    suffix = " and their data" if delete_data else ""
    typer.echo(f"Removed {counted(len(chosen), 'torrent')}{suffix}.")


def move(
    ctx: typer.Context,
    ids: IdsArgument = None,
    to: Annotated[str, typer.Option("--to", help="Destination folder on the server.", show_default=False)] = "",
) -> None:
    """Move the data of torrents to another folder on the server."""
    if not to:
        raise typer.BadParameter("give the destination with --to FOLDER", param_hint="--to")
    with open_client(options_of(ctx)) as client:
        chosen = _ids(client, ids, False)
        client.move(chosen, to)
    typer.echo(f"Moving {counted(len(chosen), 'torrent')} to {to}.")


def label(
    ctx: typer.Context,
    ids: IdsArgument = None,
    set_: Annotated[str | None, typer.Option("--set", help="The label to give.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the label.")] = False,
) -> None:
    """Set (--set NAME) or clear (--clear) the label of torrents."""
    if (set_ is None) == (not clear) or set_ == "":
        raise typer.BadParameter("give exactly one of --set NAME or --clear")
    with open_client(options_of(ctx)) as client:
        chosen = _ids(client, ids, False)
        client.set_label(chosen, None if clear else set_)
    what = "Cleared the label of" if clear else f"Labelled {set_!r}:"
    typer.echo(f"{what} {counted(len(chosen), 'torrent')}.")


def info(
    ctx: typer.Context,
    torrent_id: Annotated[str, typer.Argument(metavar="ID", help="A torrent id.")],
    json_output: JsonOption = False,
) -> None:
    """One torrent in detail, with its files, trackers and peers (where the server tells)."""
    from ..capabilities import Capability  # noqa: PLC0415

    with open_client(options_of(ctx)) as client:
        torrent = client.torrent(torrent_id)
        can = client.backend.available_capabilities()
        files = client.files(torrent_id) if Capability.FILES in can else None
        trackers = client.trackers(torrent_id) if Capability.TRACKERS in can else None
        peers = client.peers(torrent_id) if Capability.PEERS in can else None
    if json_output:
        emit_json(
            {
                "torrent": model_json(torrent),
                "files": None if files is None else [model_json(f) for f in files],
                "trackers": None if trackers is None else [model_json(t) for t in trackers],
                "peers": None if peers is None else [model_json(p) for p in peers],
            }
        )
        return
    console = make_console()
    console.print(details_table(torrent))
    if files is not None:
        console.print(files_table(files))
    if trackers is not None:
        console.print(trackers_table(trackers))
    if peers is not None:
        console.print(peers_table(peers))
