"""``enunclic demo``: a simulated NAS on loopback, watched through the real synology backend.

Nothing to install or configure: the simulator runs in-process on 127.0.0.1 (a
free port), the ``synology`` backend connects to it over HTTP like to any NAS,
and the live table of ``enunclic watch`` follows ``poll()`` until Ctrl-C
(``--once`` prints one snapshot).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from .render import DEMO_COLUMNS, make_console, printable, torrent_table
from .watch import live_table

if TYPE_CHECKING:
    from .. import Client

__all__ = ["demo"]


def demo(
    once: Annotated[bool, typer.Option("--once", help="Print one snapshot and exit.")] = False,
    dsm: Annotated[int, typer.Option(help="DSM personality of the simulated NAS: 6 or 7.", min=6, max=7)] = 7,
    interval: Annotated[float, typer.Option(help="Seconds between polls.", min=0.2, max=60.0)] = 1.0,
    tasks: Annotated[
        int | None,
        typer.Option(help="Sample tasks on the simulated NAS (default: one of each sample).", min=0, max=500),
    ] = None,
) -> None:
    """Watch a simulated Synology NAS through the real synology backend (Ctrl-C to stop)."""
    from .. import Client, EnunclicError  # noqa: PLC0415 - keeps 'enunclic --help' fast
    from ..simulators.synology import SAMPLES  # noqa: PLC0415
    from ..watch import apply_delta  # noqa: PLC0415
    from .simulate import UserSpec, build_synology  # noqa: PLC0415

    console = make_console()
    login = UserSpec("demo", secrets.token_urlsafe(12), manager=True)
    built = build_synology(dsm, [login], tasks=len(SAMPLES) if tasks is None else tasks)
    server = built.simulator.serve(port=0)  # 127.0.0.1, a free port
    title = f"Simulated Download Station (DSM {dsm}) at {server.url}"
    client: Client | None = None
    try:
        client = Client("synology", url=server.url, username=login.name, password=login.password, timeout=10.0)
        if once:
            console.print(torrent_table(apply_delta({}, client.poll()).values(), DEMO_COLUMNS, title))
            return
        console.print(f"Watching {server.url} through the synology backend; Ctrl-C to stop.")
        live_table(client, title, DEMO_COLUMNS, interval=interval, count=None, console=console)
    except KeyboardInterrupt:
        console.print("Stopped.")
    except EnunclicError as exc:
        console.print(Text.assemble(("demo failed: ", "bold red"), printable(str(exc))))
        raise typer.Exit(1) from None
    finally:
        if client is not None:
            client.close()
        server.stop()
