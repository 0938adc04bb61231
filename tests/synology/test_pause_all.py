"""Pause all and resume all on the DSM simulator: one DS2 ``*_condition`` call where the NAS has DS2, the list
then one v1 call where it has not; a task that cannot (a finished one cannot pause) is no failure."""

from __future__ import annotations

import dataclasses

import pytest

import enunclic
from enunclic import TorrentState
from enunclic.simulators.synology import SynologySimulator
from enunclic.simulators.synology.personality import DSM6, DSM7, Personality

URL = "http://127.0.0.1:5000"
MAGNET = "magnet:?xt=urn:btih:{:040x}&dn=task-{}"

#: DSM 6 before DownloadStation2 (no condition calls): only the v1 APIs.
NO_DS2 = dataclasses.replace(
    DSM6, name="dsm6-v1", apis={k: v for k, v in DSM6.apis.items() if not k.startswith("SYNO.DownloadStation2")}
)


def _nas(personality: Personality) -> SynologySimulator:
    sim = SynologySimulator(personality)
    sim.add_account("admin", "secret", manager=True)
    for i, status in enumerate(["downloading", "seeding", "waiting", "finished", "paused"]):
        sim.add_task(MAGNET.format(i + 1, i), owner="admin", status=status, progress=1.0 if i in (1, 3) else 0.5)
    return sim


@pytest.mark.parametrize(("personality", "requests"), [(DSM6, 1), (DSM7, 1), (NO_DS2, 2)], ids=["dsm6", "dsm7", "v1"])
def test_pause_all_then_resume_all(personality: Personality, requests: int) -> None:
    sim = _nas(personality)
    with enunclic.Client("synology", url=URL, username="admin", password="secret", transport=sim.transport()) as client:
        client.info()
        before = client.requests_sent
        client.pause_all()
        assert client.requests_sent - before == requests
        states = {t.name: t.state for t in client.torrents()}
        # The finished task cannot pause (DS answers 405 for it): left as it is, and no error.
        assert states == {
            "task-0": TorrentState.PAUSED,
            "task-1": TorrentState.COMPLETED,  # paused with all its data
            "task-2": TorrentState.PAUSED,
            "task-3": TorrentState.COMPLETED,
            "task-4": TorrentState.PAUSED,
        }
        assert {t.native_state for t in client.torrents() if t.name != "task-3"} == {"paused"}
        before = client.requests_sent
        client.resume_all()
        assert client.requests_sent - before == requests
        assert not {t.native_state for t in client.torrents()} & {"paused"}
