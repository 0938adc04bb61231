"""The shared contract suite against each real qbittorrent-nox version, sync and async."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from enunclic.testing.contract import ContractSuite, eventually
from enunclic.testing.target import ContractTarget
from enunclic.testing.torrents import make_multi_torrent
from tests.daemons.qbittorrent import QBittorrentServer

pytestmark = pytest.mark.daemon


class TestQBittorrentContract(ContractSuite):
    @pytest.fixture
    def contract_target(self, qbittorrent: QBittorrentServer) -> ContractTarget:
        # torrents/delete answers 200 for a hash it does not have (4.5 and 5.1 alike).
        return dataclasses.replace(
            qbittorrent.target(),
            unknown_remove="ignored",
            make_multi_torrent=lambda name: make_multi_torrent(qbittorrent.download_dir, name),
        )

    def test_queue_moves(self, client: Any, contract_target: ContractTarget, capabilities: Any) -> None:
        """Replaces the shared version, which reads positions at once: qBittorrent shows a move about
        0.5 s later, and only downloading torrents have a position (seeds have none). Magnets without
        metadata stay in the download queue, so the move can be checked for real."""
        first = client.add("magnet:?xt=urn:btih:" + "1" * 40).id
        second = client.add("magnet:?xt=urn:btih:" + "2" * 40).id

        def positions() -> tuple[int | None, int | None]:
            listed = {t.id: t.queue_position for t in client.torrents()}
            return listed[first], listed[second]

        assert eventually(lambda: positions() == (0, 1), contract_target.settle_timeout)
        client.queue_move(second, "top")
        assert eventually(lambda: positions() == (1, 0), contract_target.settle_timeout)
        client.queue_move([second], "bottom")
        assert eventually(lambda: positions() == (0, 1), contract_target.settle_timeout)
        client.queue_move(second, "up")
        assert eventually(lambda: positions() == (1, 0), contract_target.settle_timeout)
        client.queue_move(second, "down")
        assert eventually(lambda: positions() == (0, 1), contract_target.settle_timeout)
