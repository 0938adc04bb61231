"""qBittorrent's HTTP replies -> enunclic exceptions, as data.

The WebUI API reports errors through HTTP status codes with a short text body
(``409 Incorrect category name``), and through ``200 Fails.`` on login and on
older ``torrents/add``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import httpx

from enunclic import (
    EnunclicError,
    InvalidInputError,
    NotSupportedError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    TorrentNotFoundError,
)

__all__ = ["CONFLICTS", "STATUS_ERRORS", "error_for"]

#: HTTP status -> exception class, for any endpoint.
STATUS_ERRORS: Final[Mapping[int, type[EnunclicError]]] = {
    400: InvalidInputError,  # a missing or malformed parameter
    401: PermissionDeniedError,  # CSRF / host header checks refused the request
    405: ProtocolError,  # GET where POST was needed (a bug here, or an unexpected server)
    409: ServerError,  # refined by CONFLICTS below
    415: InvalidInputError,  # "is not a valid torrent file"
}

#: 409 bodies (pattern) -> exception class; first match wins.
CONFLICTS: Final[tuple[tuple[re.Pattern[str], type[EnunclicError]], ...]] = (
    (re.compile(r"file id|priority is invalid|not a valid", re.I), InvalidInputError),
    (re.compile(r"queueing", re.I), NotSupportedError),
    (re.compile(r"cannot (make|write|create)|permission", re.I), PermissionDeniedError),
)


def error_for(response: httpx.Response, *, torrent_scoped: bool) -> EnunclicError:
    """The exception for a non-2xx reply; 404 means an unknown hash on a torrent's own endpoint."""
    status = response.status_code
    text = response.text.strip()[:200] or response.reason_phrase
    if status == 404:
        if torrent_scoped:
            return TorrentNotFoundError("qBittorrent has no torrent with this hash", native_code=404)
        return NotSupportedError(f"this qBittorrent has no such API endpoint ({response.url.path})", native_code=404)
    cls = STATUS_ERRORS.get(status)
    if status == 409:
        for pattern, conflict in CONFLICTS:
            if pattern.search(text):
                cls = conflict
                break
    if cls is None:
        cls = ServerError if status >= 500 else ProtocolError
    return cls(f"qBittorrent refused: {text} (HTTP {status})", native_code=status)
