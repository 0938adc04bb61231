"""The shared contract suite against the real aria2c 1.36.0, sync and async."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from enunclic import FilePriority, InvalidInputError, NotSupportedError
from enunclic.testing.contract import ContractSuite, eventually
from enunclic.testing.target import ContractTarget
from enunclic.testing.torrents import make_multi_torrent
from tests.daemons.aria2 import Aria2Server

pytestmark = pytest.mark.daemon


class TestAria2Contract(ContractSuite):
    @pytest.fixture
    def contract_target(self, aria2: Aria2Server) -> ContractTarget:
        return dataclasses.replace(
            aria2.target(),
            make_multi_torrent=lambda name: make_multi_torrent(aria2.download_dir, name),
            # aria2 keeps per-download limits (max-download-limit) but tellStatus does not list them.
            unlisted=frozenset({"download_limit", "upload_limit"}),
        )

    def test_files_and_priorities(self, client: Any, contract_target: ContractTarget, capabilities: Any) -> None:
        """The contract's version sets ``high``, which aria2 lacks (select-file is skip or normal), and
        skips the only file of a one-file torrent, which aria2 cannot: both are refused before any request."""
        made, torrent = self._add(client, contract_target, "contract-files.bin")
        files = eventually(lambda: client.files(torrent.id), contract_target.settle_timeout)
        assert [f.index for f in files] == [0]
        assert files[0].path.endswith(made.name)
        assert files[0].size == torrent.size
        assert (files[0].priority, files[0].wanted) == (FilePriority.NORMAL, True)
        before = client.requests_sent
        with pytest.raises(NotSupportedError):
            client.set_file_priority(torrent.id, [0], "high")
        assert client.requests_sent == before
        with pytest.raises(InvalidInputError):
            client.set_file_priority(torrent.id, [0], FilePriority.SKIP)
        assert client.files(torrent.id)[0].wanted is True
