"""What µTorrent's statuses and error texts mean to a caller, as data.

µTorrent answers an expired or unknown token with ``400 invalid request`` (Sonarr's
UTorrentProxy and Electorrent's test fixture both expect that status; the exact body is
uncertain). Errors of an action come as ``{"error": "..."}`` in a 200 reply (Electorrent's
runtime throws on that key); their texts are not documented, so they are matched loosely.
"""

from __future__ import annotations

import re
from typing import Final

from enunclic.plugin import EnunclicError, InvalidInputError, ServerError, TorrentNotFoundError

__all__ = ["ERRORS", "PROTOCOL_STATUSES", "STALE_TOKEN", "error_for"]

#: The status of a request whose token (or GUID cookie) µTorrent no longer accepts: fetch a new token once.
STALE_TOKEN: Final = 400
#: Statuses that reach this backend instead of the core's table: the stale-token 400.
PROTOCOL_STATUSES: Final = frozenset({STALE_TOKEN})

#: ``{"error": text}`` -> the exception raised (first match wins); any other text is a ServerError.
ERRORS: Final[tuple[tuple[re.Pattern[str], type[EnunclicError]], ...]] = (
    (re.compile(r"not a valid|invalid|corrupt|bad torrent", re.I), InvalidInputError),
    (re.compile(r"not found|no such|unknown (torrent|hash)", re.I), TorrentNotFoundError),
)


def error_for(text: str) -> EnunclicError:
    """The exception for one ``error`` text of a reply; never fails on an unknown text."""
    message = text.strip()[:200] or "no reason given"
    kind = next((cls for pattern, cls in ERRORS if pattern.search(message)), ServerError)
    return kind(f"µTorrent refused the request: {message}")
