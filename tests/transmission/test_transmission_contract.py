"""The shared contract suite against each real transmission-daemon version, sync and async."""

from __future__ import annotations

import dataclasses

import pytest

from enunclic.testing.contract import ContractSuite
from enunclic.testing.target import ContractTarget
from enunclic.testing.torrents import make_multi_torrent
from tests.daemons.transmission import TransmissionServer

pytestmark = pytest.mark.daemon


class TestTransmissionContract(ContractSuite):
    @pytest.fixture
    def contract_target(self, transmission: TransmissionServer) -> ContractTarget:
        # torrent-remove answers success for a hash it does not have (3.00 and 4.1 alike).
        return dataclasses.replace(
            transmission.target(),
            unknown_remove="ignored",
            make_multi_torrent=lambda name: make_multi_torrent(transmission.download_dir, name),
        )
