"""``SYNO.API.Info query``: discovery, answering exactly what the personality has (reference §2)."""

from __future__ import annotations

from .context import Context, Result
from .errors import ApiError

__all__ = ["handle"]


def handle(ctx: Context, method: str) -> Result:
    """``query=ALL`` lists everything; a list of names gets the known ones, unknown names silently left out."""
    if method != "query":
        raise ApiError(103)
    wanted = ctx.param("query") or "ALL"
    apis = ctx.personality.apis
    names = list(apis) if wanted.strip().upper() == "ALL" else [n.strip() for n in wanted.split(",") if n.strip()]
    return Result({name: apis[name].info() for name in names if name in apis})
