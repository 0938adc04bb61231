"""qBittorrent WebUI API v2: endpoints, version-dependent names, request builders, reply parsing."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, Final

import httpx

from enunclic.plugin import ProtocolError, QueueMove

__all__ = [
    "ALL",
    "QUEUE_ENDPOINTS",
    "STOP_START_API",
    "TORRENT_SCOPED",
    "Endpoint",
    "build",
    "joined",
    "json_body",
    "parse_api_version",
    "pause_endpoint",
    "resume_endpoint",
]


class Endpoint(str, Enum):
    """Paths under ``/api/v2/``."""

    LOGIN = "auth/login"
    LOGOUT = "auth/logout"
    APP_VERSION = "app/version"
    API_VERSION = "app/webapiVersion"
    PREFERENCES = "app/preferences"
    INFO = "torrents/info"
    ADD = "torrents/add"
    FILES = "torrents/files"
    TRACKERS = "torrents/trackers"
    PEERS = "sync/torrentPeers"
    MAINDATA = "sync/maindata"
    PAUSE = "torrents/pause"  # before 5.0
    RESUME = "torrents/resume"  # before 5.0
    STOP = "torrents/stop"  # 5.0+
    START = "torrents/start"  # 5.0+
    DELETE = "torrents/delete"
    RECHECK = "torrents/recheck"
    REANNOUNCE = "torrents/reannounce"
    SET_CATEGORY = "torrents/setCategory"
    CREATE_CATEGORY = "torrents/createCategory"
    SET_LOCATION = "torrents/setLocation"
    FILE_PRIORITY = "torrents/filePrio"
    TORRENT_DOWNLOAD_LIMIT = "torrents/setDownloadLimit"
    TORRENT_UPLOAD_LIMIT = "torrents/setUploadLimit"
    GLOBAL_DOWNLOAD_LIMIT = "transfer/setDownloadLimit"
    GLOBAL_UPLOAD_LIMIT = "transfer/setUploadLimit"
    TOP = "torrents/topPrio"
    UP = "torrents/increasePrio"
    DOWN = "torrents/decreasePrio"
    BOTTOM = "torrents/bottomPrio"
    CATEGORIES = "torrents/categories"
    FORCE_START = "torrents/setForceStart"
    TOGGLE_SEQUENTIAL = "torrents/toggleSequentialDownload"
    TOGGLE_FIRST_LAST = "torrents/toggleFirstLastPiecePrio"
    SHARE_LIMITS = "torrents/setShareLimits"
    SPEED_LIMITS_MODE = "transfer/speedLimitsMode"
    TOGGLE_SPEED_LIMITS_MODE = "transfer/toggleSpeedLimitsMode"


#: WebAPI 2.11.0 (qBittorrent 5.0) renamed pause/resume to stop/start and paused* states to stopped*.
STOP_START_API: Final = (2, 11, 0)

QUEUE_ENDPOINTS: Final[Mapping[QueueMove, Endpoint]] = {
    QueueMove.TOP: Endpoint.TOP,
    QueueMove.UP: Endpoint.UP,
    QueueMove.DOWN: Endpoint.DOWN,
    QueueMove.BOTTOM: Endpoint.BOTTOM,
}

#: Endpoints whose 404 means "no torrent with this hash" (not "no such endpoint").
TORRENT_SCOPED: Final[frozenset[Endpoint]] = frozenset(
    {Endpoint.FILES, Endpoint.TRACKERS, Endpoint.PEERS, Endpoint.FILE_PRIORITY}
)


def pause_endpoint(api: tuple[int, ...]) -> Endpoint:
    return Endpoint.STOP if api >= STOP_START_API else Endpoint.PAUSE


def resume_endpoint(api: tuple[int, ...]) -> Endpoint:
    return Endpoint.START if api >= STOP_START_API else Endpoint.RESUME


def build(
    base_url: str,
    endpoint: Endpoint,
    *,
    params: Mapping[str, str] | None = None,
    data: Mapping[str, str] | None = None,
    files: Mapping[str, tuple[str, bytes, str]] | None = None,
) -> httpx.Request:
    """GET with ``params``, or POST with form ``data`` (multipart when ``files`` are given)."""
    url = f"{base_url.rstrip('/')}/api/v2/{endpoint.value}"
    if data is None and files is None:
        return httpx.Request("GET", url, params=dict(params or {}))
    return httpx.Request("POST", url, params=dict(params or {}), data=dict(data or {}), files=files)


#: The ``hashes`` value that addresses every torrent (one request for pause/resume all).
ALL: Final = "all"


def joined(hashes: Sequence[str]) -> str:
    """Many hashes in one parameter: ``h1|h2``."""
    return "|".join(hashes)


def json_body(response: httpx.Response, what: str) -> Any:
    """The reply as JSON, or a ProtocolError (an HTML page never gets here: the core refuses it)."""
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError(f"qBittorrent's {what} reply is not JSON: is the URL a qBittorrent WebUI?") from None


def parse_api_version(text: str) -> tuple[int, ...]:
    """``2.8.19`` -> (2, 8, 19)."""
    try:
        parts = tuple(int(p) for p in text.strip().split("."))
    except ValueError:
        raise ProtocolError(f"qBittorrent reported a WebAPI version that is not a version: {text[:40]!r}") from None
    if not parts or len(parts) > 4:
        raise ProtocolError(f"qBittorrent reported a WebAPI version that is not a version: {text[:40]!r}")
    return parts
