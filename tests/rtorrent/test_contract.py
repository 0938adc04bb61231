"""The contract suite against real rtorrent 0.9.8 over SCGI/TCP, SCGI/unix socket and HTTP (lighttpd)."""

from __future__ import annotations

import pytest

from enunclic.testing.contract import ContractSuite
from enunclic.testing.target import ContractTarget
from enunclic.testing.torrents import make_multi_torrent

from ..daemons.rtorrent import RTorrentServer

pytestmark = pytest.mark.daemon


class TestRTorrentContract(ContractSuite):
    @pytest.fixture
    def contract_target(self, rtorrent: RTorrentServer) -> ContractTarget:
        target = rtorrent.target()
        # remove(delete_data=True) is opt-in for rTorrent: the suite proves it deletes the payload.
        target.options["delete_data"] = True
        target.make_multi_torrent = lambda name: make_multi_torrent(rtorrent.downloads, name)
        return target
