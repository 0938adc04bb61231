"""Speed limits as ``set_limits`` and ``set_torrent_limits`` take them: a change per direction, or none.

Each direction is bytes/s (an int), ``None`` to remove the limit, or :data:`KEEP` to leave
the server's current limit as it is (the default of both arguments), so that setting the
download limit never clears the upload limit. The core checks the values once; a backend
flow receives them checked and sends only the directions that change.
"""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeVar

__all__ = ["KEEP", "Keep", "Limit", "changed_limits"]

T = TypeVar("T")


class Keep(enum.Enum):
    """The type of :data:`KEEP`: one value, so that a type checker accepts ``int | None | Keep``."""

    KEEP = "keep"

    def __repr__(self) -> str:
        return "enunclic.KEEP"


#: "Leave this limit as the server has it": the default of every limit argument.
KEEP: Final = Keep.KEEP

#: One direction of a limit change: bytes/s, None for no limit, or KEEP for no change.
Limit = int | None | Literal[Keep.KEEP]


def changed_limits(**limits: T | Literal[Keep.KEEP]) -> dict[str, T]:
    """The limits that change, by the caller's names (native keys): those given as KEEP are left out.

    ``changed_limits(max_download_speed=down, max_upload_speed=up)`` is ``{"max_download_speed": down}``
    when ``up`` is KEEP; the core never sends a flow two KEEPs.
    """
    return {name: value for name, value in limits.items() if value is not KEEP}
