"""The contract suite against the test-only memory backend (a third-party plugin)."""

from __future__ import annotations

import pytest
from enunclic_memory import MemoryServer

from enunclic.testing.contract import ContractSuite
from enunclic.testing.target import WRONG_PASSWORD, ContractTarget
from enunclic.testing.torrents import make_multi_torrent, make_test_torrent

from ..conftest import MEMORY_URL


class TestMemoryContract(ContractSuite):
    @pytest.fixture
    def contract_target(self, memory_server: MemoryServer) -> ContractTarget:
        moved = memory_server.root.parent / "moved"
        moved.mkdir()
        return ContractTarget(
            url=MEMORY_URL,
            make_torrent=lambda name: make_test_torrent(memory_server.root, name),
            make_multi_torrent=lambda name: make_multi_torrent(memory_server.root, name),
            wrong_credentials={"password": WRONG_PASSWORD},
            sync_transport=memory_server.transport,
            async_transport=memory_server.transport,
            magnet="magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=contract",
            move_destination=str(moved),
            settle_timeout=2.0,
            missing_id="t999",
        )
