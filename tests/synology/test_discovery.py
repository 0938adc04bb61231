"""SYNO.API.Info parsing and version choice."""

from __future__ import annotations

from typing import Any

import pytest

from enunclic import ProtocolError
from enunclic.backends.synology.discovery import auth_version, parse_api_info

from . import replies


def test_dsm7_paths_and_versions() -> None:
    apis = parse_api_info(replies.API_INFO_DSM7)
    auth = apis.require("SYNO.API.Auth")
    assert (auth.path, auth.version) == ("entry.cgi", 6)
    task = apis.require("SYNO.DownloadStation.Task")
    assert (task.path, task.version) == ("DownloadStation/task.cgi", 3)
    assert apis.require("SYNO.DownloadStation2.Task").version == 2


def test_dsm5_odd_paths_and_string_versions() -> None:
    apis = parse_api_info(replies.API_INFO_DSM5)
    auth = apis.require("SYNO.API.Auth")
    assert (auth.path, auth.version) == ("auth.cgi", 3)  # leading slash dropped; max 4 -> 3
    upload = apis.require("SYNO.DownloadStation2.Task")
    assert upload.path == "entry.cgi"  # underscore padding dropped
    assert upload.max_version == 1


def test_missing_apis_are_omitted_not_errors() -> None:
    apis = parse_api_info({"SYNO.API.Auth": {"maxVersion": 7, "minVersion": 1, "path": "entry.cgi"}})
    assert apis.get("SYNO.DownloadStation2.Task") is None
    with pytest.raises(Exception, match="Download Station installed"):
        apis.require("SYNO.DownloadStation.Task")


@pytest.mark.parametrize(
    "entry",
    [
        {"path": "../../etc/passwd", "minVersion": 1, "maxVersion": 1},
        {"path": "http://evil.invalid/x.cgi", "minVersion": 1, "maxVersion": 1},
        {"path": "task.cgi", "minVersion": 3, "maxVersion": 1},
        {"path": "task.cgi", "minVersion": "x", "maxVersion": 1},
        {"minVersion": 1, "maxVersion": 1},
        "not an object",
    ],
)
def test_malformed_entries_are_left_out(entry: Any) -> None:
    apis = parse_api_info({**replies.API_INFO_DSM6, "SYNO.DownloadStation.Task": entry})
    assert apis.get("SYNO.DownloadStation.Task") is None
    assert apis.get("SYNO.API.Auth") is not None


@pytest.mark.parametrize(
    "data", [{}, [], None, {"SYNO.API.Auth": {"path": "auth.cgi", "minVersion": 1, "maxVersion": 1}}]
)
def test_no_usable_auth_is_a_protocol_error(data: Any) -> None:
    with pytest.raises(ProtocolError):
        parse_api_info(data)


@pytest.mark.parametrize(
    ("low", "high", "chosen"),
    [(1, 7, 6), (1, 6, 6), (1, 4, 3), (1, 3, 3), (1, 2, 2), (7, 7, 7), (7, 9, 7), (8, 9, 8), (3, 5, 3)],
)
def test_auth_version_choice(low: int, high: int, chosen: int) -> None:
    assert auth_version(low, high) == chosen


def test_auth_v1_only_is_refused() -> None:
    with pytest.raises(ProtocolError):
        auth_version(1, 1)


def test_task_version_is_capped_at_the_known_maximum() -> None:
    info = {
        **replies.API_INFO_DSM6,
        "SYNO.DownloadStation.Task": {"path": "DownloadStation/task.cgi", "minVersion": 1, "maxVersion": 9},
    }
    assert parse_api_info(info).require("SYNO.DownloadStation.Task").version == 3
    info["SYNO.DownloadStation.Task"] = {"path": "DownloadStation/task.cgi", "minVersion": 5, "maxVersion": 9}
    assert parse_api_info(info).require("SYNO.DownloadStation.Task").version == 5
