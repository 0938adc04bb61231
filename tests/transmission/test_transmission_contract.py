"""The shared contract suite against each real transmission-daemon version, sync and async."""

from __future__ import annotations

import pytest

from enunclic.testing.contract import ContractSuite
from enunclic.testing.target import ContractTarget
from tests.daemons.transmission import TransmissionServer

pytestmark = pytest.mark.daemon


class TestTransmissionContract(ContractSuite):
    @pytest.fixture
    def contract_target(self, transmission: TransmissionServer) -> ContractTarget:
        return transmission.target()
