"""Transmission's RPC: method and field names in both dialects, how a call is framed, how a reply is read.

The backend speaks snake_case everywhere (the 4.1 spelling and the JSON-RPC 2.0
one). For the legacy protocol (every version up to 4.x), outgoing method names
become kebab-case and outgoing argument and field names go through the tables
below; incoming keys of either dialect are turned into snake_case mechanically.
Credentials and the CSRF session id are the auth's (:mod:`.auth`), HTTP statuses the core's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from enum import Enum
from functools import lru_cache
from typing import Any, Final

import httpx

from enunclic.plugin import ProtocolError

from .codes import jsonrpc_error, result_error

__all__ = [
    "FILE_FIELDS",
    "LEGACY_ARGUMENTS",
    "LEGACY_TORRENT_FIELDS",
    "PEER_FIELDS",
    "SESSION_FIELDS",
    "TORRENT_FIELDS",
    "TRACKER_FIELDS",
    "Dialect",
    "Method",
    "check_legacy_probe",
    "is_jsonrpc_reply",
    "legacy_arguments",
    "parse_jsonrpc",
    "parse_legacy",
    "parse_reply",
    "rpc_request",
    "snake_keys",
    "torrent_rows",
]

#: The oldest protocol whose status values (0..6) and queue methods we rely on (Transmission 2.40).
MIN_RPC_VERSION: Final = 14
#: rpc-version that added each feature.
RPC_FREE_SPACE: Final = 15  # the free_space method (2.80)
RPC_LABELS: Final = 16  # labels in torrent_get / torrent_set (3.00)
RPC_ADD_LABELS: Final = 17  # labels in torrent_add (4.0)
RPC_TRACKER_LIST: Final = 17  # trackerList, the announce URLs as one text (4.0)
RPC_SEQUENTIAL: Final = 18  # sequential_download, snake_case only (4.1)
#: rpc-version that added ``format: "table"`` in torrent_get (3.00): rows of values under one row of keys.
RPC_TABLE: Final = 16
#: Below this rpc-version a torrent_stop sent while the torrent waits for or runs a hash check is undone
#: when the check ends (observed on 3.00; 4.1 keeps it stopped).
RPC_STOP_SURVIVES_CHECK: Final = 18
#: Servers at or above this rpc-version are probed for JSON-RPC 2.0 (Transmission 4.1 announced it).
RPC_JSONRPC_CANDIDATE: Final = 18

#: torrent_get ``status`` of a stopped torrent.
STOPPED: Final = 0


class Dialect(str, Enum):
    """How requests are framed: ``{"method","arguments"}`` or JSON-RPC 2.0 ``{"jsonrpc","method","params","id"}``."""

    LEGACY = "legacy"
    JSONRPC = "jsonrpc"


class Method(str, Enum):
    """RPC methods in snake_case; the legacy name swaps ``_`` for ``-``."""

    SESSION_GET = "session_get"
    SESSION_SET = "session_set"
    SESSION_STATS = "session_stats"
    FREE_SPACE = "free_space"
    TORRENT_GET = "torrent_get"
    TORRENT_ADD = "torrent_add"
    TORRENT_SET = "torrent_set"
    TORRENT_REMOVE = "torrent_remove"
    TORRENT_START = "torrent_start"
    TORRENT_START_NOW = "torrent_start_now"
    TORRENT_STOP = "torrent_stop"
    TORRENT_VERIFY = "torrent_verify"
    TORRENT_REANNOUNCE = "torrent_reannounce"
    TORRENT_SET_LOCATION = "torrent_set_location"
    QUEUE_MOVE_TOP = "queue_move_top"
    QUEUE_MOVE_UP = "queue_move_up"
    QUEUE_MOVE_DOWN = "queue_move_down"
    QUEUE_MOVE_BOTTOM = "queue_move_bottom"

    def wire_name(self, dialect: Dialect) -> str:
        """The name as sent in ``dialect``."""
        return self.value.replace("_", "-") if dialect is Dialect.LEGACY else self.value


#: Only what the Torrent model needs (never files, peers or tracker stats in a list).
TORRENT_FIELDS: Final[tuple[str, ...]] = (
    "id",
    "hash_string",
    "name",
    "status",
    "error",
    "error_string",
    "percent_done",
    "metadata_percent_complete",
    "size_when_done",
    "downloaded_ever",
    "uploaded_ever",
    "upload_ratio",
    "rate_download",
    "rate_upload",
    "download_limit",
    "download_limited",
    "upload_limit",
    "upload_limited",
    "eta",
    "download_dir",
    "added_date",
    "done_date",
    "peers_connected",
    "peers_sending_to_us",
    "queue_position",
    "seed_ratio_limit",
    "seed_ratio_mode",
)
#: ``labels`` exists from rpc-version 16 (Transmission 3.00).
LABEL_FIELD: Final = "labels"
#: The main tracker: ``trackerList`` (4.0+, one short text) or, before it, the ``trackers`` objects.
#: 3.00 answers 0 for a field it does not know, so each is asked only of the servers that have it.
TRACKER_LIST_FIELD: Final = "tracker_list"
TRACKERS_FIELD: Final = "trackers"
#: 4.1 knows this field in snake_case only (``sequentialDownload`` is ignored, observed on 4.1.0-beta.2).
SEQUENTIAL_FIELD: Final = "sequential_download"
FILE_FIELDS: Final[tuple[str, ...]] = ("id", "hash_string", "files", "file_stats")
TRACKER_FIELDS: Final[tuple[str, ...]] = ("id", "hash_string", "tracker_stats")
PEER_FIELDS: Final[tuple[str, ...]] = ("id", "hash_string", "peers")
#: What ``session_get`` reports at connect time and for stats.
VERSION_FIELDS: Final[tuple[str, ...]] = ("version", "rpc_version", "rpc_version_semver", "rpc_version_minimum")
SESSION_FIELDS: Final[tuple[str, ...]] = (
    "download_dir",
    "speed_limit_down",
    "speed_limit_down_enabled",
    "speed_limit_up",
    "speed_limit_up_enabled",
    "alt_speed_enabled",
    "units",
)

#: torrent-get field names of the legacy protocol (camelCase) that differ from snake_case.
LEGACY_TORRENT_FIELDS: Final[Mapping[str, str]] = {
    "hash_string": "hashString",
    "error_string": "errorString",
    "percent_done": "percentDone",
    "metadata_percent_complete": "metadataPercentComplete",
    "size_when_done": "sizeWhenDone",
    "downloaded_ever": "downloadedEver",
    "uploaded_ever": "uploadedEver",
    "upload_ratio": "uploadRatio",
    "rate_download": "rateDownload",
    "rate_upload": "rateUpload",
    "download_limit": "downloadLimit",
    "download_limited": "downloadLimited",
    "upload_limit": "uploadLimit",
    "upload_limited": "uploadLimited",
    "download_dir": "downloadDir",
    "added_date": "addedDate",
    "done_date": "doneDate",
    "peers_connected": "peersConnected",
    "peers_sending_to_us": "peersSendingToUs",
    "queue_position": "queuePosition",
    "seed_ratio_limit": "seedRatioLimit",
    "seed_ratio_mode": "seedRatioMode",
    "tracker_list": "trackerList",
    "file_stats": "fileStats",
    "tracker_stats": "trackerStats",
}

#: Argument names (and session field names) of the legacy protocol that differ from snake_case.
#: A mix: torrent_set takes camelCase limits but kebab-case file lists; session and add use kebab-case.
LEGACY_ARGUMENTS: Final[Mapping[str, str]] = {
    "download_dir": "download-dir",
    "delete_local_data": "delete-local-data",
    "files_wanted": "files-wanted",
    "files_unwanted": "files-unwanted",
    "priority_high": "priority-high",
    "priority_low": "priority-low",
    "priority_normal": "priority-normal",
    "download_limit": "downloadLimit",
    "download_limited": "downloadLimited",
    "upload_limit": "uploadLimit",
    "upload_limited": "uploadLimited",
    "seed_ratio_limit": "seedRatioLimit",
    "seed_ratio_mode": "seedRatioMode",
    "alt_speed_enabled": "alt-speed-enabled",
    "speed_limit_down": "speed-limit-down",
    "speed_limit_down_enabled": "speed-limit-down-enabled",
    "speed_limit_up": "speed-limit-up",
    "speed_limit_up_enabled": "speed-limit-up-enabled",
    "rpc_version": "rpc-version",
    "rpc_version_semver": "rpc-version-semver",
    "rpc_version_minimum": "rpc-version-minimum",
}

#: The ``ids`` value that asks for recently active torrents (plus the removed ids).
RECENTLY_ACTIVE: Final[Mapping[Dialect, str]] = {
    Dialect.LEGACY: "recently-active",
    Dialect.JSONRPC: "recently_active",
}

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=4096)  # the same few dozen keys come back in every reply: convert each once
def snake(name: str) -> str:
    """``hashString`` / ``rpc-version`` / ``isUTP`` -> ``hash_string`` / ``rpc_version`` / ``is_utp``."""
    return _CAMEL_BOUNDARY.sub("_", name).replace("-", "_").lower()


def snake_keys(value: Any) -> Any:
    """The same JSON value with every object key in snake_case (values untouched)."""
    if isinstance(value, dict):
        return {snake(k) if isinstance(k, str) else k: snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake_keys(v) for v in value]
    return value


def legacy_arguments(method: Method, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Snake_case arguments in the legacy spelling; ``fields`` values are translated too."""
    out: dict[str, Any] = {}
    for key, value in arguments.items():
        if key == "fields" and isinstance(value, Sequence) and not isinstance(value, str):
            table = LEGACY_TORRENT_FIELDS if method is Method.TORRENT_GET else LEGACY_ARGUMENTS
            out[key] = [table.get(name, name) for name in value]
        else:
            out[LEGACY_ARGUMENTS.get(key, key)] = value
    return out


# -- framing ------------------------------------------------------------------------------------


def rpc_request(
    url: str, method: Method, arguments: Mapping[str, Any], dialect: Dialect, call_id: int
) -> httpx.Request:
    """The HTTP request for one call in ``dialect`` (``call_id`` is the JSON-RPC 2.0 ``id``)."""
    if dialect is Dialect.JSONRPC:
        body: dict[str, Any] = {
            "jsonrpc": "2.0",
            "method": method.wire_name(dialect),
            "params": dict(arguments),
            "id": call_id,
        }
    else:
        body = {"method": method.wire_name(dialect), "arguments": legacy_arguments(method, arguments)}
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    return httpx.Request("POST", url, content=json.dumps(body).encode(), headers=headers)


# -- replies ------------------------------------------------------------------------------------


def parse_reply(response: httpx.Response, dialect: Dialect) -> dict[str, Any]:
    """The reply's arguments (legacy) or result (JSON-RPC 2.0), keys in snake_case; an error reply raises."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("the RPC reply is not JSON: is the URL a Transmission RPC endpoint?") from None
    if not isinstance(body, dict):
        raise ProtocolError("the RPC reply is JSON but not an object")
    return parse_jsonrpc(body) if dialect is Dialect.JSONRPC else parse_legacy(body)


def parse_legacy(body: Mapping[str, Any]) -> dict[str, Any]:
    """``{"result": "success", "arguments": {...}}`` -> the arguments; any other result raises."""
    result = body.get("result")
    if not isinstance(result, str):
        raise ProtocolError("the reply has no 'result' text: not a Transmission RPC reply")
    if result != "success":
        raise result_error(result)
    arguments = body.get("arguments", {})
    if not isinstance(arguments, dict):
        raise ProtocolError("the reply's 'arguments' is not an object")
    converted: dict[str, Any] = snake_keys(arguments)
    return converted


def parse_jsonrpc(body: Mapping[str, Any]) -> dict[str, Any]:
    """``{"jsonrpc": "2.0", "result": {...}}`` -> the result; an ``error`` object raises."""
    if body.get("jsonrpc") != "2.0":
        raise ProtocolError("the reply is not JSON-RPC 2.0 although the server spoke it before")
    error = body.get("error")
    if error is not None:
        if not isinstance(error, dict) or not isinstance(error.get("code"), int):
            raise ProtocolError("a JSON-RPC error without an integer code")
        data = error.get("data")
        detail = data.get("error_string") if isinstance(data, dict) else None
        text = " - ".join(str(part) for part in (error.get("message"), detail) if part)
        raise jsonrpc_error(error["code"], text)
    result = body.get("result", {})
    if result is None:
        return {}
    if not isinstance(result, dict):
        raise ProtocolError("the JSON-RPC 'result' is not an object")
    converted: dict[str, Any] = snake_keys(result)
    return converted


def is_jsonrpc_reply(response: httpx.Response) -> bool:
    """True when the server answered in JSON-RPC 2.0 framing (what picks the dialect)."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("jsonrpc") == "2.0"


def check_legacy_probe(response: httpx.Response) -> None:
    """A legacy-framed answer to the JSON-RPC probe (e.g. "no method name") means legacy only; else it is odd."""
    try:
        body = response.json()
    except ValueError:
        raise ProtocolError("the server answered the JSON-RPC 2.0 probe with something that is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("result"), str):
        raise ProtocolError("the server answered the JSON-RPC 2.0 probe in neither framing")


def torrent_rows(torrents: Any) -> list[dict[str, Any]] | None:
    """torrent_get's ``torrents`` as objects with snake_case keys, whether the server sent objects or a
    table (a row of keys, then one row of values per torrent); None when it is neither."""
    if not isinstance(torrents, list):
        return None
    if all(isinstance(t, dict) for t in torrents):
        return torrents
    if not torrents or not all(isinstance(row, list) for row in torrents):
        return None
    keys = torrents[0]
    if not all(isinstance(k, str) for k in keys) or any(len(row) != len(keys) for row in torrents[1:]):
        return None
    names = [snake(k) for k in keys]
    return [dict(zip(names, row, strict=True)) for row in torrents[1:]]
