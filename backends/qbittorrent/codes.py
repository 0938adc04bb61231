"""qBittorrent's own HTTP statuses -> enunclic exceptions, as data.

The WebUI API reports errors through HTTP status codes with a short text body
(``409 Incorrect category name``). The core gives every other status its one meaning;
these reach the backend because their body or their endpoint says more (403, the
session, is the auth's: see :mod:`.auth`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import httpx

from enunclic.plugin import (
    EndpointNotFoundError,
    EnunclicError,
    InvalidInputError,
    NotSupportedError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    TorrentNotFoundError,
)

__all__ = ["CONFLICTS", "PROTOCOL_STATUSES", "STATUS_ERRORS", "error_for"]

#: HTTP status -> exception class, for any endpoint (404 depends on the endpoint: see error_for).
STATUS_ERRORS: Final[Mapping[int, type[EnunclicError]]] = {
    400: InvalidInputError,  # a missing or malformed parameter
    409: ServerError,  # the server's state refuses the request; refined by CONFLICTS below
    415: InvalidInputError,  # "is not a valid torrent file"
}

#: The statuses the core leaves to this backend: those above, 403 (session or ban) and 404 (maybe an unknown hash).
PROTOCOL_STATUSES: Final[frozenset[int]] = frozenset({*STATUS_ERRORS, 403, 404})

#: 409 bodies (pattern) -> exception class; first match wins.
CONFLICTS: Final[tuple[tuple[re.Pattern[str], type[EnunclicError]], ...]] = (
    (re.compile(r"file id|priority is invalid|not a valid", re.I), InvalidInputError),
    (re.compile(r"queueing", re.I), NotSupportedError),
    (re.compile(r"cannot (make|write|create)|permission", re.I), PermissionDeniedError),
)


def error_for(response: httpx.Response, *, torrent_scoped: bool) -> EnunclicError:
    """The exception for a 400, 404, 409 or 415; a 404 is an unknown hash on a torrent's own endpoint."""
    status = response.status_code
    text = response.text.strip()[:200] or response.reason_phrase
    if status == 404:
        if torrent_scoped:
            return TorrentNotFoundError("qBittorrent has no torrent with this hash", native_code=404)
        return EndpointNotFoundError(
            f"this qBittorrent has no {response.url.path} (HTTP 404): check the URL's path", native_code=404
        )
    cls = STATUS_ERRORS.get(status, ProtocolError)
    if status == 409:
        cls = next((conflict for pattern, conflict in CONFLICTS if pattern.search(text)), cls)
    return cls(f"qBittorrent refused: {text} (HTTP {status})", native_code=status)
