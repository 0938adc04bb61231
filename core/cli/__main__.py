"""``python -m enunclic.cli``: the same as the ``enunclic`` command."""

from __future__ import annotations

from . import main

main()
