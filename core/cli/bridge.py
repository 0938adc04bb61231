"""``enunclic bridge``: the JSON-RPC bridge for GUI frontends (:mod:`enunclic.bridge`), under the one command."""

from __future__ import annotations

import typer

from .exits import CliError, ExitCode

__all__ = ["bridge"]


def bridge(ctx: typer.Context) -> None:
    """JSON-RPC 2.0 over stdin/stdout for GUI frontends; arguments go to the bridge ('bridge --help')."""
    try:
        from ..bridge import main as bridge_main  # noqa: PLC0415 - asyncio and the pool load only here
    except ImportError as exc:
        raise CliError(f"the bridge is not available in this installation ({exc})", ExitCode.ERROR) from None
    raise typer.Exit(bridge_main(list(ctx.args)))
