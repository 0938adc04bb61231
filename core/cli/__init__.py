"""The ``enunclic`` command line (a typer app; needs the ``cli`` extra: typer and rich).

Commands live one per module (:mod:`.demo`, :mod:`.simulate`) and are gathered in
:mod:`.commands`; ``main()`` is the console-script entry point.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["app", "main"]

_MISSING_EXTRA = "the enunclic command line needs typer and rich: pip install 'enunclic[cli]'\n"


def main() -> None:
    """Run the command line; a missing ``cli`` extra is a one-line message, not a traceback."""
    try:
        from .commands import app as typer_app  # noqa: PLC0415 - typer is an optional extra
    except ImportError as exc:
        if exc.name in ("typer", "rich", "click"):
            sys.stderr.write(_MISSING_EXTRA)
            raise SystemExit(2) from None
        raise
    typer_app()


def __getattr__(name: str) -> Any:
    # ``enunclic.cli.app`` is imported on first use, so ``import enunclic.cli`` works without the extra.
    if name == "app":
        from .commands import app as typer_app  # noqa: PLC0415 - typer is an optional extra

        return typer_app
    raise AttributeError(name)
