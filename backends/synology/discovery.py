"""``SYNO.API.Info``: where each API lives and which version to speak, chosen from what the NAS reports.

The reply lists ``{"<API>": {"path", "minVersion", "maxVersion"}}``; an API the NAS
does not have is simply absent (not an error). Paths are tolerated as seen in the
wild: a leading ``/`` or ``\\`` (Sonarr strips it) and the underscore padding DSM 5
put in front of ``entry.cgi`` (``"_____…_____entry.cgi"``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from enunclic.plugin import ProtocolError, ServerError

from .api import whole

__all__ = [
    "AUTH",
    "DS2_LOCATION",
    "DS2_SOURCE",
    "DS2_TASK",
    "INFO",
    "QUERIED_APIS",
    "STATISTIC",
    "TASK",
    "ApiEntry",
    "Apis",
    "parse_api_info",
]

log = logging.getLogger("enunclic")

AUTH: Final = "SYNO.API.Auth"
TASK: Final = "SYNO.DownloadStation.Task"
INFO: Final = "SYNO.DownloadStation.Info"
STATISTIC: Final = "SYNO.DownloadStation.Statistic"
DS2_TASK: Final = "SYNO.DownloadStation2.Task"
DS2_LOCATION: Final = "SYNO.DownloadStation2.Settings.Location"
#: The .torrent DS keeps for a task (read back to tell which task a duplicate repeats).
DS2_SOURCE: Final = "SYNO.DownloadStation2.Task.Source"

#: What this backend asks the NAS about (one query per client).
QUERIED_APIS: Final[tuple[str, ...]] = (AUTH, TASK, INFO, STATISTIC, DS2_TASK, DS2_LOCATION, DS2_SOURCE)

#: The highest version of each API whose behaviour is known; newer ones are not used unless the
#: NAS offers nothing older. Auth is special (see ``auth_version``).
_KNOWN_MAX: Final[Mapping[str, int]] = {TASK: 3, INFO: 2, STATISTIC: 1, DS2_TASK: 2, DS2_LOCATION: 1, DS2_SOURCE: 2}

# A relative CGI path: letters, digits, '_', '.', '-', '/'; never '..'.
_SAFE_PATH = re.compile(r"[A-Za-z0-9_.\-/]+")


@dataclass(frozen=True)
class ApiEntry:
    """One API as the NAS reports it, with the version this backend will use."""

    name: str
    path: str
    min_version: int
    max_version: int
    version: int


@dataclass(frozen=True)
class Apis:
    """Every queried API the NAS has; absent ones are not in ``entries``."""

    entries: Mapping[str, ApiEntry]

    def get(self, name: str) -> ApiEntry | None:
        """The API, or None when the NAS does not have it."""
        return self.entries.get(name)

    def require(self, name: str) -> ApiEntry:
        """The API, or a clear error saying the NAS lacks it."""
        entry = self.entries.get(name)
        if entry is None:
            hint = " (is Download Station installed and running?)" if "DownloadStation" in name else ""
            raise ServerError(f"the NAS does not offer {name}{hint}")
        return entry


def auth_version(min_version: int, max_version: int) -> int:
    """The login version: 6 (device tokens, works on DSM 6 and 7), else 7, 3 or 2 — never 1.

    DSM 7 advertises Auth from version 1 but answers 103 to v1/v2 logins, so "any
    version in range" is wrong; v2 is the lowest that returns a sid at all.
    """
    for candidate in (6, 7, 3, 2):
        if min_version <= candidate <= max_version:
            return candidate
    if max_version > 7:
        return min_version if min_version > 7 else 7
    raise ProtocolError(f"the NAS offers {AUTH} versions {min_version}-{max_version}; none can return a session id")


def _choose(name: str, min_version: int, max_version: int) -> int:
    if name == AUTH:
        return auth_version(min_version, max_version)
    known = _KNOWN_MAX.get(name, max_version)
    return max(min_version, min(max_version, known))


def _normalize_path(raw: str) -> str | None:
    path = raw.strip().lstrip("/\\").lstrip("_")
    if not path or not _SAFE_PATH.fullmatch(path) or ".." in path.split("/"):
        return None
    return path


def parse_api_info(data: Any) -> Apis:
    """Parse the ``data`` of ``SYNO.API.Info query``; malformed entries are left out (and logged)."""
    if not isinstance(data, Mapping):
        raise ProtocolError(f"SYNO.API.Info answered {type(data).__name__} instead of an object of APIs")
    entries: dict[str, ApiEntry] = {}
    for name, raw in data.items():
        if not isinstance(name, str) or not isinstance(raw, Mapping):
            continue
        path = _normalize_path(raw["path"]) if isinstance(raw.get("path"), str) else None
        low, high = whole(raw.get("minVersion")), whole(raw.get("maxVersion"))
        if path is None or low is None or high is None or low > high or low < 1:
            log.debug("synology: ignoring a malformed SYNO.API.Info entry for %s", name)
            continue
        try:
            version = _choose(name, low, high)
        except ProtocolError:
            log.debug("synology: no usable version of %s in %d-%d", name, low, high)
            continue
        entries[name] = ApiEntry(name=name, path=path, min_version=low, max_version=high, version=version)
    if AUTH not in entries:
        raise ProtocolError(f"SYNO.API.Info did not report a usable {AUTH}; this does not look like a Synology NAS")
    return Apis(entries)
