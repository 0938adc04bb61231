"""The contract suite against real deluged + deluge-web 2.0.3 (Debian 12) and 2.2.0 (PyPI)."""

from __future__ import annotations

import dataclasses

import pytest

from enunclic.testing.contract import ContractSuite
from enunclic.testing.target import ContractTarget
from enunclic.testing.torrents import make_multi_torrent

from ..daemons.deluge import DelugeServer

pytestmark = pytest.mark.daemon


class TestDelugeContract(ContractSuite):
    @pytest.fixture
    def contract_target(self, deluge: DelugeServer) -> ContractTarget:
        return dataclasses.replace(
            deluge.target(), make_multi_torrent=lambda name: make_multi_torrent(deluge.downloads, name)
        )
