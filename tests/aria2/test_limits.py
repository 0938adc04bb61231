"""aria2's limits: options in bytes/s, 0 for none; each change sends only its own options, the others are kept.

aria2's listing (tellStatus) carries no options, so ``Torrent`` limits stay None (unknown) here:
they are checked on the daemon through ``aria2.getOption``.
"""

from __future__ import annotations

import pytest

import enunclic
from enunclic.backends.aria2.backend import _options
from tests.daemons.aria2 import Aria2Server
from tests.limit_checks import check_global_limits_kept


@pytest.mark.parametrize(
    ("changes", "options"),
    [
        ({"max-download-limit": 2048}, {"max-download-limit": "2048"}),
        ({"max-overall-upload-limit": None}, {"max-overall-upload-limit": "0"}),
        ({}, {}),
    ],
)
def test_limits_as_options(changes: dict[str, int | None], options: dict[str, str]) -> None:
    assert _options(changes) == options


@pytest.mark.daemon
def test_limits_are_kept_and_read_back(a2_client: enunclic.Client, aria2: Aria2Server) -> None:
    tid = a2_client.add(aria2.make_torrent("kept.bin").content).id

    def torrent_options() -> tuple[str, str]:
        options = aria2.rpc("aria2.getOption", tid)
        return options["max-download-limit"], options["max-upload-limit"]

    a2_client.set_torrent_limits(tid, download=2048)
    a2_client.set_torrent_limits([tid], upload=4096)
    assert torrent_options() == ("2048", "4096")
    a2_client.set_torrent_limits(tid, download=None)
    assert torrent_options() == ("0", "4096")
    assert [(t.download_limit, t.upload_limit) for t in a2_client.torrents()] == [(None, None)]  # not listed

    check_global_limits_kept(a2_client, 100_000, 50_000)
    options = aria2.rpc("aria2.getGlobalOption")
    assert (options["max-overall-download-limit"], options["max-overall-upload-limit"]) == ("0", "50000")
