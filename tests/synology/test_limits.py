"""set_limits() on Download Station sends only the keys of the directions given: setserverconfig keeps the others."""

from __future__ import annotations

from typing import Any

import pytest

from enunclic import KEEP
from enunclic.plugin import Limit

from . import replies
from .fakenas import FakeNAS

INFO = "SYNO.DownloadStation.Info"


@pytest.mark.parametrize(
    ("download", "upload", "form"),
    [
        (1_024_000, KEEP, {"bt_max_download": "1000"}),
        (KEEP, None, {"bt_max_upload": "0"}),
        (KEEP, 1, {"bt_max_upload": "1"}),  # rounded up: 0 would be "unlimited"
    ],
)
def test_only_the_keys_that_change_are_sent(
    client: Any, nas: FakeNAS, download: Limit, upload: Limit, form: dict[str, str]
) -> None:
    nas.reply(INFO, "getinfo", replies.INFO_GETINFO)
    nas.reply(INFO, "setserverconfig", None)
    client.set_limits(download=download, upload=upload)
    (call,) = nas.calls_to(INFO, "setserverconfig")
    assert {k: v for k, v in call.form.items() if k.startswith("bt_max")} == form
