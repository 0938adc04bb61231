"""What a handler gets (state, options, personality, the caller) and what it gives back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError
from .personality import Personality
from .request import SimRequest
from .state import Account, SessionRecord, SimulatorOptions, State

__all__ = ["Context", "Result"]


@dataclass
class Result:
    """A successful reply: ``data`` (left out of the envelope when ``omit_data``), cookies, or raw bytes."""

    data: Any = None
    omit_data: bool = False
    cookies: Sequence[str] = ()
    #: A non-JSON body (``Task.Source download`` returns the .torrent itself).
    raw: bytes | None = None
    raw_content_type: str = "application/x-bittorrent"


@dataclass
class Context:
    """One API call being answered."""

    state: State
    options: SimulatorOptions
    personality: Personality
    now: float
    request: SimRequest
    api: str
    version: int
    account: Account | None = None
    session: SessionRecord | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def user(self) -> Account:
        """The logged-in account (handlers behind a session only)."""
        if self.account is None:  # pragma: no cover - the dispatcher guarantees it
            raise ApiError(119)
        return self.account

    def param(self, name: str) -> str | None:
        """A raw parameter value from the body or the query."""
        return self.request.param(name)

    def require(self, name: str) -> str:
        """A parameter that must be there (101 otherwise)."""
        value = self.param(name)
        if value is None:
            raise ApiError(101)
        return value

    def json_param(self, name: str) -> Any:
        """A parameter of a ``requestFormat: JSON`` API: JSON-decoded, or the bare string when it is not JSON.

        DSM is lenient here: ``type=url`` and ``type="url"`` both work (reference §6.1).
        """
        value = self.param(name)
        if value is None:
            return None
        try:
            return json.loads(value)
        except ValueError:
            return value

    def flag(self, name: str, default: bool = False) -> bool:
        """A ``true``/``false`` (or ``yes``/``no``) parameter."""
        value = self.param(name)
        if value is None:
            return default
        return value.strip().strip('"').lower() in ("true", "yes", "1")
