"""Replies shaped like real DSM 6 and DSM 7 answers (HA-lib fixtures, Prowlarr#1812, the PDF)."""

from __future__ import annotations

import copy
from typing import Any

# SYNO.API.Info query, DSM 7 (Auth 1-7 on entry.cgi; DS2 Task 1-2; DS2 Settings.Location; DS2 Task.Source 2).
API_INFO_DSM7: dict[str, Any] = {
    "SYNO.API.Auth": {"maxVersion": 7, "minVersion": 1, "path": "entry.cgi"},
    "SYNO.DownloadStation.Task": {"maxVersion": 3, "minVersion": 1, "path": "DownloadStation/task.cgi"},
    "SYNO.DownloadStation.Info": {"maxVersion": 2, "minVersion": 1, "path": "DownloadStation/info.cgi"},
    "SYNO.DownloadStation.Statistic": {"maxVersion": 1, "minVersion": 1, "path": "DownloadStation/statistic.cgi"},
    "SYNO.DownloadStation2.Task": {"maxVersion": 2, "minVersion": 1, "path": "entry.cgi", "requestFormat": "JSON"},
    "SYNO.DownloadStation2.Settings.Location": {
        "maxVersion": 1,
        "minVersion": 1,
        "path": "entry.cgi",
        "requestFormat": "JSON",
    },
    "SYNO.DownloadStation2.Task.Source": {
        "maxVersion": 2,
        "minVersion": 2,
        "path": "entry.cgi",
        "requestFormat": "JSON",
    },
}

# DSM 6 with an older Download Station: Auth 1-6 on auth.cgi, no DownloadStation2 at all.
API_INFO_DSM6: dict[str, Any] = {
    "SYNO.API.Auth": {"maxVersion": 6, "minVersion": 1, "path": "auth.cgi"},
    "SYNO.DownloadStation.Task": {"maxVersion": 3, "minVersion": 1, "path": "DownloadStation/task.cgi"},
    "SYNO.DownloadStation.Info": {"maxVersion": 2, "minVersion": 1, "path": "DownloadStation/info.cgi"},
    "SYNO.DownloadStation.Statistic": {"maxVersion": 1, "minVersion": 1, "path": "DownloadStation/statistic.cgi"},
}

# DSM 5: Auth 1-4, versions as strings, DS2 with the underscore-padded path and only v1 (broken).
API_INFO_DSM5: dict[str, Any] = {
    "SYNO.API.Auth": {"maxVersion": "4", "minVersion": "1", "path": "/auth.cgi"},
    "SYNO.DownloadStation.Task": {"maxVersion": 1, "minVersion": 1, "path": "DownloadStation/task.cgi"},
    "SYNO.DownloadStation2.Task": {
        "maxVersion": 1,
        "minVersion": 1,
        "path": "_______________________________entry.cgi",
    },
}

LOGIN_DSM6: dict[str, Any] = {"is_portal_port": False, "sid": "SID-DSM6-abc", "synotoken": "tok6"}
LOGIN_DSM7: dict[str, Any] = {
    "account": "admin",
    "device_id": "",
    "ik_message": "",
    "is_portal_port": False,
    "sid": "SID-DSM7-xyz",
    "synotoken": "--------",
}

MAGNET = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=Some,Name"

# One DSM 6 list page (HA-lib dsm_6 capture, abridged, plus transfer).
TASK_DSM6_DOWNLOADING: dict[str, Any] = {
    "id": "dbid_86",
    "type": "bt",
    "username": "Test_useR",
    "title": "My super movie Complete 2021-2031",
    "size": 5196586484,
    "status": "downloading",
    "additional": {
        "detail": {
            "completed_time": 0,
            "connected_leechers": 2,
            "connected_peers": 5,
            "connected_seeders": 3,
            "create_time": 1550089068,
            "destination": "Folder/containing/downloads",
            "seedelapsed": 0,
            "started_time": 1592549339,
            "total_peers": 40,
            "total_pieces": 1239,
            "unzip_password": "",
            "uri": "magnet:?xt=urn:btih:ABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCD&dn=1234",
            "waiting_seconds": 0,
        },
        "transfer": {
            "downloaded_pieces": 600,
            "size_downloaded": 2598293242,
            "size_uploaded": 1299146621,
            "speed_download": 1000000,
            "speed_upload": 20000,
        },
    },
}

# A magnet before its metadata arrived: size 0, no pieces.
TASK_DSM6_MAGNET_NO_METADATA: dict[str, Any] = {
    "id": "dbid_486",
    "type": "bt",
    "username": "Test_useR",
    "title": "dbid_486",
    "size": 0,
    "status": "downloading",
    "additional": {
        "detail": {"create_time": 1592549000, "total_pieces": 0, "uri": MAGNET, "destination": "downloads"},
        "transfer": {"size_downloaded": 0, "size_uploaded": 0, "speed_download": 0, "speed_upload": 0},
    },
}


def bt_task(task_id: str, uri: str, **extra: Any) -> dict[str, Any]:
    """A copy of TASK_DSM6_MAGNET_NO_METADATA with this id and ``detail.uri``; ``extra`` replaces top-level fields."""
    task = copy.deepcopy(TASK_DSM6_MAGNET_NO_METADATA)
    task["id"] = task_id
    task["additional"]["detail"]["uri"] = uri
    task.update(extra)
    return task


# An https task in error (no info-hash: not BitTorrent).
TASK_DSM6_HTTPS_ERROR: dict[str, Any] = {
    "id": "dbid_549",
    "type": "https",
    "username": "Test_useR",
    "title": "file.iso",
    "size": 0,
    "status": "error",
    "status_extra": {"error_detail": "broken_link"},
    "additional": {"detail": {"uri": "https://example.invalid/file.iso", "create_time": 0}},
}

# DS2-shaped task (Prowlarr#1812, DSM 7): numeric status 8 = seeding.
TASK_DS2_SEEDING: dict[str, Any] = {
    "id": "dbid_3",
    "type": "bt",
    "username": "admin",
    "title": "La.Cite.De.La.Peur.1994",
    "size": 3442075843,
    "status": 8,
    "additional": {
        "detail": {
            "completed_time": 1691154531,
            "connected_leechers": 0,
            "connected_peers": 0,
            "connected_seeders": 0,
            "create_time": 1691154387,
            "destination": "torrents",
            "seedelapsed": 7698,
            "started_time": 1691158969,
            "total_peers": 0,
            "total_pieces": 1642,
            "unzip_password": "",
            "uri": "La.Cite.De.La.Peur.1994",
            "waiting_seconds": 0,
        },
        "transfer": {
            "downloaded_pieces": 1642,
            "size_downloaded": 3442075843,
            "size_uploaded": 0,
            "speed_download": 0,
            "speed_upload": 0,
        },
    },
}

# The PDF's shape: numbers as strings and status_extra null.
TASK_PDF_STRINGS: dict[str, Any] = {
    "id": "dbid_001",
    "type": "bt",
    "username": "admin",
    "title": "TOP 100 MIX",
    "size": "9427312332",
    "status": "seeding",
    "status_extra": None,
    "additional": {
        "detail": {
            "connected_leechers": "0",
            "connected_seeders": "0",
            "create_time": "1341210005",
            "destination": "Download",
            "priority": "auto",
            "total_peers": "0",
            "uri": "http://example.invalid/mix.torrent",
        },
        "transfer": {
            "size_downloaded": "9427312332",
            "size_uploaded": "18854624664",
            "speed_download": "0",
            "speed_upload": "1024",
        },
    },
}

FILES_DSM6: list[dict[str, Any]] = [
    {"filename": "INFO.nfo", "index": 0, "priority": "low", "size": 1335, "size_downloaded": 0, "wanted": True},
    {"filename": "Movie.mkv", "index": 1, "priority": "normal", "size": 2000, "size_downloaded": 500, "wanted": True},
    {"filename": "Sample.mkv", "index": 2, "priority": "skip", "size": 100, "size_downloaded": 0, "wanted": False},
]

TRACKERS_PDF: list[dict[str, Any]] = [
    {"url": "udp://tracker.example.invalid:80", "status": "Success", "update_timer": 1549, "seeds": 12, "peers": 3},
    {"url": "http://tracker2.example.invalid/announce", "status": "Connection failed", "seeds": -1, "peers": -1},
]

PEERS_PDF: list[dict[str, Any]] = [
    {
        "address": "10.0.0.2:51413",
        "agent": "Transmission 2.94",
        "progress": 0.5,
        "speed_download": 100,
        "speed_upload": 0,
    },
    {"address": "[::2]:6881", "agent": "", "progress": "1", "speed_download": "0", "speed_upload": "5"},
]

INFO_GETINFO: dict[str, Any] = {"is_manager": True, "version": 3543, "version_string": "3.8-3543"}
INFO_GETCONFIG: dict[str, Any] = {
    "bt_max_download": 0,
    "bt_max_upload": 800,
    "default_destination": "downloads",
    "emule_default_destination": None,
    "emule_enabled": False,
    "emule_max_download": 0,
    "emule_max_upload": 20,
    "ftp_max_download": 0,
    "http_max_download": 0,
    "nzb_max_download": 0,
    "unzip_service_enabled": False,
}
STATISTIC: dict[str, Any] = {"speed_download": 89950232, "speed_upload": 0}
