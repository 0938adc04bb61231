"""The shipped contract suite against the fake µTorrent WebUI, with the sync and the async client."""

from __future__ import annotations

from pathlib import Path

import pytest

from enunclic.testing.contract import ContractSuite
from enunclic.testing.target import WRONG_PASSWORD, ContractTarget
from enunclic.testing.torrents import make_test_torrent

from .fake import FakeUTorrent


class TestUTorrentContract(ContractSuite):
    @pytest.fixture
    def contract_target(self, tmp_path: Path) -> ContractTarget:
        server = FakeUTorrent(tmp_path / "data")
        return ContractTarget(
            url="utorrent://admin:secret@127.0.0.1:8080",
            make_torrent=lambda name: make_test_torrent(server.root, name),
            wrong_credentials={"password": WRONG_PASSWORD},
            sync_transport=server.transport,
            async_transport=server.transport,
            magnet="magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=contract",
            settle_timeout=2.0,
            unknown_remove="ignored",  # µTorrent's actions skip hashes it does not know (docs/backends/utorrent.md)
            unlisted=frozenset({"ratio_limit"}),  # kept per torrent (getprops), not in the list's rows
        )
