"""DSM personalities: which APIs exist, at which path and versions, and what each version refuses.

The tables follow the real ``SYNO.API.Info`` answers recorded from DSM 6 and DSM 7
(reference §2; py-synologydsm-api ``tests/api_data/dsm_{6,7}/const_*_api_info.py``) and the
version pitfalls of §3.1 and §5.1. Of the APIs the simulator answers, both captures list
``SYNO.DownloadStation2.Task`` 1-2, ``.Task.List`` 1-2, ``.Task.List.Polling`` 2-2,
``.Task.Source`` 2-2, ``.Settings.Location`` 1, ``SYNO.Entry.Request`` 1-2 and
``SYNO.API.Encryption`` 1 (``encryption.cgi`` on DSM 6, ``entry.cgi`` on DSM 7); only DSM 7
has ``.Task.Complete`` and ``SYNO.API.Auth.UIConfig``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["DSM6", "DSM7", "PERSONALITIES", "ApiEntry", "Personality", "personality"]


@dataclass(frozen=True)
class ApiEntry:
    """One row of ``SYNO.API.Info``: where an API lives and which versions it answers."""

    path: str
    min_version: int
    max_version: int
    json_format: bool = False

    def info(self) -> dict[str, object]:
        """The row as ``SYNO.API.Info`` reports it."""
        row: dict[str, object] = {"path": self.path, "minVersion": self.min_version, "maxVersion": self.max_version}
        if self.json_format:
            row["requestFormat"] = "JSON"
        return row


@dataclass(frozen=True)
class Personality:
    """What one DSM + Download Station release looks like from the network."""

    name: str
    dsm_major: int
    dsm_version_string: str
    ds_build: int
    ds_version_string: str
    apis: Mapping[str, ApiEntry]
    #: Extra paths that answer an API besides the one discovery reports (DSM 7 still serves Auth on auth.cgi).
    aliases: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: Lowest ``SYNO.API.Auth`` version whose login works; lower ones answer 103 although discovery lists them.
    min_login_version: int = 1
    #: Whether a v1 ``task.cgi`` multipart upload works (dead since DS 3.8.16: it answers 101).
    v1_upload: bool = True

    def paths_for(self, api: str) -> frozenset[str]:
        """Every CGI path that answers ``api``."""
        entry = self.apis.get(api)
        if entry is None:
            return frozenset()
        return frozenset({entry.path}) | self.aliases.get(api, frozenset())


def _ds_common() -> dict[str, ApiEntry]:
    return {
        "SYNO.DownloadStation.Info": ApiEntry("DownloadStation/info.cgi", 1, 2),
        "SYNO.DownloadStation.Task": ApiEntry("DownloadStation/task.cgi", 1, 3),
        "SYNO.DownloadStation.Statistic": ApiEntry("DownloadStation/statistic.cgi", 1, 1),
        "SYNO.DownloadStation.Schedule": ApiEntry("DownloadStation/schedule.cgi", 1, 1),
        "SYNO.DownloadStation2.Task": ApiEntry("entry.cgi", 1, 2, json_format=True),
        "SYNO.DownloadStation2.Task.List": ApiEntry("entry.cgi", 1, 2, json_format=True),
        "SYNO.DownloadStation2.Task.List.Polling": ApiEntry("entry.cgi", 2, 2, json_format=True),
        "SYNO.DownloadStation2.Task.Source": ApiEntry("entry.cgi", 2, 2, json_format=True),
        "SYNO.DownloadStation2.Settings.Location": ApiEntry("entry.cgi", 1, 1, json_format=True),
        "SYNO.DSM.Info": ApiEntry("entry.cgi", 2, 2, json_format=True),
        "SYNO.Entry.Request": ApiEntry("entry.cgi", 1, 2, json_format=True),
    }


#: DSM 6.2 with Download Station 3.8: Auth 1-6 on auth.cgi, v1 uploads still work, DS2 present.
DSM6 = Personality(
    name="dsm6",
    dsm_major=6,
    dsm_version_string="DSM 6.2.4-25556",
    ds_build=3543,
    ds_version_string="3.8-3543",
    apis={
        "SYNO.API.Info": ApiEntry("query.cgi", 1, 1),
        "SYNO.API.Auth": ApiEntry("auth.cgi", 1, 6),
        "SYNO.API.Encryption": ApiEntry("encryption.cgi", 1, 1),
        **_ds_common(),
    },
    min_login_version=1,
    v1_upload=True,
)

#: DSM 7.2 with Download Station 4.1: Auth 1-7 on entry.cgi (v1/v2 login -> 103), v1 upload -> 101.
DSM7 = Personality(
    name="dsm7",
    dsm_major=7,
    dsm_version_string="DSM 7.2.2-72806",
    ds_build=5012,
    ds_version_string="4.1-5012",
    apis={
        "SYNO.API.Info": ApiEntry("entry.cgi", 1, 1, json_format=True),
        "SYNO.API.Auth": ApiEntry("entry.cgi", 1, 7),
        "SYNO.API.Auth.UIConfig": ApiEntry("entry.cgi", 1, 1, json_format=True),
        "SYNO.API.Encryption": ApiEntry("entry.cgi", 1, 1, json_format=True),
        **_ds_common(),
        "SYNO.DownloadStation2.Task.Complete": ApiEntry("entry.cgi", 1, 1, json_format=True),
    },
    aliases={
        "SYNO.API.Info": frozenset({"query.cgi"}),
        "SYNO.API.Auth": frozenset({"auth.cgi"}),
        "SYNO.API.Encryption": frozenset({"encryption.cgi"}),
    },
    min_login_version=3,
    v1_upload=False,
)

PERSONALITIES: Mapping[int, Personality] = {6: DSM6, 7: DSM7}


def personality(dsm: int | Personality) -> Personality:
    """The personality for a DSM major version (6 or 7), or the one given."""
    if isinstance(dsm, Personality):
        return dsm
    try:
        return PERSONALITIES[dsm]
    except KeyError:
        raise ValueError(f"no simulator personality for DSM {dsm}; use 6 or 7") from None
