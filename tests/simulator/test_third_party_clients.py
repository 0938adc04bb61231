"""Conformance: other people's DSM clients, unpatched, run whole sessions against the served simulator.

* synology-api (``synology_api.downloadstation.DownloadStation``): logs in with an encrypted
  password (``SYNO.API.Encryption``) and, on DSM 7, the Noise handshake of ``SYNO.API.Auth.UIConfig``;
  creates through ``SYNO.DownloadStation2.Task create_list=true`` and ``Task.List.Polling download``.
* py-synologydsm-api (``synology_dsm.SynologyDSM``, Home Assistant's library): v1 task API, aiohttp.

Both are test-only dependencies (the ``test`` extra). Locally a missing one skips; under
``CI=true`` it fails, so CI can never pass without running them.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from enunclic.simulators.synology import SimulatorServer, SynologySimulator, add_samples
from enunclic.testing.torrents import make_test_torrent

MAGNET = "magnet:?xt=urn:btih:" + "cd" * 20 + "&dn=Third_Party_Pack"
ALL_ADDITIONAL = ["detail", "transfer", "file", "tracker", "peer"]


def _client_module(name: str) -> ModuleType:
    """The third-party client, or a skip (a failure under CI=true)."""
    if os.environ.get("CI") == "true":
        return importlib.import_module(name)
    return pytest.importorskip(name)


@pytest.fixture(params=[6, 7], ids=["dsm6", "dsm7"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[SynologySimulator, SimulatorServer]]:
    """A simulator with a few sample tasks (BT and http), served on 127.0.0.1."""
    sim = SynologySimulator(request.param)
    sim.add_account("admin", "secret", manager=True)
    add_samples(sim, "admin")
    with sim.serve() as server:
        yield sim, server


def _tasks_by_uri(listing: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["additional"]["detail"]["uri"]: t for t in listing["data"]["tasks"]}


# synology-api leaves the uploaded .torrent open (its bug); the warning comes when the file is collected.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_synology_api_whole_session(served: tuple[SynologySimulator, SimulatorServer], tmp_path: Path) -> None:
    downloadstation = _client_module("synology_api.downloadstation")
    base_api = importlib.import_module("synology_api.base_api")
    errors = importlib.import_module("synology_api.exceptions")
    sim, server = served
    dsm = sim.personality.dsm_major
    base_api.BaseApi.shared_session = None  # the library keeps one login per process
    logins_before = sim.seen.by_api.get("SYNO.API.Encryption", 0)
    try:
        common = {"dsm_version": dsm, "debug": False}
        v1 = downloadstation.DownloadStation("127.0.0.1", str(server.port), "admin", "secret", **common)
        ds2 = downloadstation.DownloadStation(
            "127.0.0.1", str(server.port), "admin", "secret", download_st_version=2, **common
        )
        # The password travelled encrypted: getinfo was asked, and the login worked.
        assert sim.seen.by_api.get("SYNO.API.Encryption", 0) == logins_before + 1
        assert ("SYNO.API.Auth.UIConfig" in sim.seen.by_api) is (dsm == 7)

        info = v1.get_info()["data"]
        assert info == {
            "is_manager": True,
            "version": sim.personality.ds_build,
            "version_string": sim.personality.ds_version_string,
        }
        assert v1.get_config()["data"]["default_destination"] == "downloads"

        listing = v1.tasks_list(additional_param=ALL_ADDITIONAL)
        by_uri = _tasks_by_uri(listing)
        bt = next(t for t in by_uri.values() if t["type"] == "bt" and t["status"] == "downloading")
        http = next(t for t in by_uri.values() if t["type"] == "https")
        assert set(bt["additional"]) == set(ALL_ADDITIONAL)
        assert set(http["additional"]) == {"detail", "transfer"}  # no file/tracker/peer on a link task
        assert all(t["additional"]["detail"]["total_peers"] == 0 for t in by_uri.values())

        # Create by magnet: a pending list, its files, then the selection starts the task.
        created = ds2.create_task(url=MAGNET, destination="downloads")["data"]
        assert created["task_id"] == []
        (list_id,) = created["list_id"]
        pending = ds2.get_task_list(list_id)["data"]
        assert pending["title"] == "Third_Party_Pack"
        assert pending["type"] == "bt"
        assert [f["index"] for f in pending["files"]] == [0, 1, 2]
        assert MAGNET not in _tasks_by_uri(v1.tasks_list(additional_param="detail"))  # nothing starts yet
        job = ds2.download_task_list(list_id, [0, 2], "video/Movies")["data"]["task_id"]
        assert job.startswith("admin/SYNODLTaskListDownload")
        magnet_task = _tasks_by_uri(v1.tasks_list(additional_param=["detail", "file"]))[MAGNET]
        assert magnet_task["additional"]["detail"]["destination"] == "video/Movies"

        # Create by .torrent upload (multipart on the path-style entry.cgi URL).
        torrent = make_test_torrent(tmp_path, "upload.bin")
        path = tmp_path / "upload.bin.torrent"
        path.write_bytes(torrent.content)
        (upload_list,) = ds2.create_task(file_path=str(path), destination="downloads")["data"]["list_id"]
        upload_pending = ds2.get_task_list(upload_list)["data"]
        assert upload_pending["files"] == [{"index": 0, "name": "upload.bin", "size": 96 * 1024}]
        ds2.download_task_list(upload_list, [0], "downloads", create_subfolder=False)
        uploaded = _tasks_by_uri(v1.tasks_list(additional_param="detail"))["upload.bin"]
        assert uploaded["size"] == 96 * 1024

        # A list nobody wants is deleted through the compound call, as the DSM UI does. POSTed: in a
        # GET query requests writes spaces as '+', which DSM does not read as spaces there.
        (spare,) = ds2.create_task(url=MAGNET + ".2", destination="downloads")["data"]["list_id"]
        compound = [{"api": "SYNO.DownloadStation2.Task.List", "method": "delete", "version": 2, "list_id": [spare]}]
        assert v1.batch_request(compound=compound, method="post")["data"]["has_fail"] is False
        with pytest.raises(errors.DownloadStationError):
            ds2.get_task_list(spare)

        task_id = magnet_task["id"]
        assert v1.tasks_info(task_id)["data"]["tasks"][0]["id"] == task_id
        assert v1.pause_task(task_id)["data"] == [{"error": 0, "id": task_id}]
        assert _tasks_by_uri(v1.tasks_list(additional_param="detail"))[MAGNET]["status"] == "paused"
        assert v1.resume_task(task_id)["data"] == [{"error": 0, "id": task_id}]
        assert v1.delete_task(task_id)["data"] == [{"error": 0, "id": task_id}]
        assert MAGNET not in _tasks_by_uri(v1.tasks_list(additional_param="detail"))

        stats = v1.get_statistic_info()["data"]
        assert set(stats) == {"speed_download", "speed_upload"}
        assert ds2.tasks_list(additional_param="detail")["data"]["task"][0]["additional"]["detail"]
        v1.logout()
    finally:
        base_api.BaseApi.shared_session = None
        gc.collect()  # close the leaked upload file under this test's warning filter


def test_py_synologydsm_api_whole_session(served: tuple[SynologySimulator, SimulatorServer]) -> None:
    synology_dsm = _client_module("synology_dsm")
    aiohttp = _client_module("aiohttp")
    sim, server = served

    async def session() -> None:
        async with aiohttp.ClientSession() as http:
            api = synology_dsm.SynologyDSM(http, "127.0.0.1", server.port, "admin", "secret", timeout=10)
            assert await api.login() is True
            # The DSM build, not Download Station's: this library tells DSM 5 from 6+ by it.
            assert int(api.information.version) > 7321
            assert api.information.version_string == sim.personality.dsm_version_string
            station = api.download_station
            await station.update()
            before = {t.id for t in station.get_all_tasks()}
            assert before
            assert (await station.get_info())["data"]["version_string"] == sim.personality.ds_version_string
            assert (await station.get_config())["data"]["default_destination"] == "downloads"

            await station.create(MAGNET, destination="video/Series")
            (new,) = [t for t in station.get_all_tasks() if t.id not in before]
            assert new.additional["detail"]["destination"] == "video/Series"
            assert new.title == "Third_Party_Pack"

            await station.pause(new.id)
            assert station.get_task(new.id).status == "paused"
            await station.resume(new.id)
            assert station.get_task(new.id).status == "waiting"
            await station.delete(new.id)
            assert station.get_task(new.id) is None

            stats = await station.get_stat()
            assert set(stats["data"]) == {"speed_download", "speed_upload"}
            assert await api.logout() is True

    asyncio.run(session())
