"""stats() from Statistic + Info getconfig; set_limits() via setserverconfig, KB/s on the wire."""

from __future__ import annotations

from typing import Any

import pytest

from enunclic import InvalidInputError, PermissionDeniedError

from . import replies
from .fakenas import FakeNAS

INFO = "SYNO.DownloadStation.Info"


def test_stats_combines_speeds_and_limits(client: Any, nas: FakeNAS) -> None:
    nas.reply("SYNO.DownloadStation.Statistic", "getinfo", replies.STATISTIC)
    nas.reply(INFO, "getconfig", replies.INFO_GETCONFIG)
    stats = client.stats()
    assert (stats.download_speed, stats.upload_speed) == (89950232, 0)
    assert (stats.download_limit, stats.upload_limit) == (None, 800 * 1024)
    assert stats.free_space is None


def test_stats_accepts_strings_and_missing_keys(client: Any, nas: FakeNAS) -> None:
    nas.reply("SYNO.DownloadStation.Statistic", "getinfo", {"speed_download": "10", "speed_upload": "20"})
    nas.reply(INFO, "getconfig", {"default_destination": None})  # a non-manager's sanitized view
    stats = client.stats()
    assert (stats.download_speed, stats.upload_speed, stats.download_limit, stats.upload_limit) == (10, 20, None, None)


@pytest.mark.parametrize(
    ("download", "upload", "wire"),
    [(1_024_000, 512_000, ("1000", "500")), (None, None, ("0", "0")), (1500, 1, ("2", "1")), (None, 2048, ("0", "2"))],
)
def test_set_limits_converts_bytes_to_kib(
    client: Any, nas: FakeNAS, download: int | None, upload: int | None, wire: tuple[str, str]
) -> None:
    nas.reply(INFO, "getinfo", replies.INFO_GETINFO)
    nas.reply(INFO, "setserverconfig", None)
    client.set_limits(download=download, upload=upload)
    (call,) = nas.calls_to(INFO, "setserverconfig")
    assert (call.form["bt_max_download"], call.form["bt_max_upload"]) == wire
    assert call.request.method == "POST"


def test_limits_round_trip(client: Any, nas: FakeNAS) -> None:
    config = dict(replies.INFO_GETCONFIG)

    def store(call: Any) -> None:
        config["bt_max_download"] = int(call.form["bt_max_download"])
        config["bt_max_upload"] = int(call.form["bt_max_upload"])

    nas.reply(INFO, "getinfo", replies.INFO_GETINFO)
    nas.always(INFO, "setserverconfig", store)
    nas.always(INFO, "getconfig", lambda call: config)
    nas.always("SYNO.DownloadStation.Statistic", "getinfo", replies.STATISTIC)
    client.set_limits(download=1_024_000, upload=512_000)
    stats = client.stats()
    assert (stats.download_limit, stats.upload_limit) == (1_024_000, 512_000)


def test_a_zero_limit_is_refused_before_sending(client: Any, nas: FakeNAS) -> None:
    with pytest.raises(InvalidInputError, match="0 B/s"):
        client.set_limits(download=0)
    assert nas.calls == []  # refused before any request, discovery included


def test_a_non_manager_gets_a_permission_error_not_a_silent_no_op(client: Any, nas: FakeNAS) -> None:
    nas.reply(INFO, "getinfo", {**replies.INFO_GETINFO, "is_manager": False})
    with pytest.raises(PermissionDeniedError, match="manager"):
        client.set_limits(download=1024)
    assert nas.calls_to(INFO, "setserverconfig") == []


def test_the_manager_flag_from_info_is_reused(client: Any, nas: FakeNAS) -> None:
    nas.reply(INFO, "getinfo", replies.INFO_GETINFO)
    nas.always(INFO, "setserverconfig", None)
    client.info()
    client.set_limits(download=1024)
    client.set_limits(upload=1024)
    assert len(nas.calls_to(INFO, "getinfo")) == 1
