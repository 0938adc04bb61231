"""Fixtures for the simulator's own tests: raw HTTP against it, no enunclic backend in between."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from enunclic.simulators.synology import SimulatorOptions, SynologySimulator

TASK_CGI = "/webapi/DownloadStation/task.cgi"
ENTRY_CGI = "/webapi/entry.cgi"
AUTH_CGI = "/webapi/auth.cgi"
QUERY_CGI = "/webapi/query.cgi"
MAGNET = "magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=Some.Linux.iso"


class Nas:
    """One simulator and a raw httpx client talking to it in-process."""

    def __init__(self, sim: SynologySimulator) -> None:
        self.sim = sim
        self.http = httpx.Client(transport=sim.transport(), base_url="http://127.0.0.1:5000")
        self.auth_path = AUTH_CGI if sim.personality.dsm_major == 6 else ENTRY_CGI
        self.auth_version = sim.personality.apis["SYNO.API.Auth"].max_version

    def get(self, path: str, **params: Any) -> Any:
        """GET and decode the JSON envelope."""
        return self.http.get(path, params=params).json()

    def post(self, path: str, **params: Any) -> Any:
        """POST form-urlencoded and decode the envelope."""
        return self.http.post(path, data=params).json()

    def login(self, account: str = "admin", password: str = "secret", **extra: Any) -> str:
        """Log in with format=sid and return the sid (asserting success)."""
        params = {
            "api": "SYNO.API.Auth",
            "version": self.auth_version,
            "method": "login",
            "account": account,
            "passwd": password,
            "session": "DownloadStation",
            "format": "sid",
        }
        reply = self.post(self.auth_path, **{**params, **extra})
        assert reply["success"] is True, reply
        return str(reply["data"]["sid"])

    def task(self, sid: str, method: str, version: int = 3, **params: Any) -> Any:
        """One v1 task call."""
        return self.post(TASK_CGI, api="SYNO.DownloadStation.Task", version=version, method=method, _sid=sid, **params)

    def ds2(
        self, sid: str, method: str, api: str = "SYNO.DownloadStation2.Task", version: int = 2, **params: Any
    ) -> Any:
        """One DS2 call on entry.cgi (values already JSON-encoded by the caller where needed)."""
        return self.post(ENTRY_CGI, api=api, version=version, method=method, _sid=sid, **params)

    def upload_ds2(
        self,
        sid: str,
        content: bytes,
        *,
        listed: str = "torrent",
        part: str = "torrent",
        destination: str = '"downloads"',
    ) -> dict[str, Any]:
        """A DS2 file create in cmeans' layout: text fields first, the file part last, _sid in the query string."""
        fields = {
            "api": "SYNO.DownloadStation2.Task",
            "version": "2",
            "method": "create",
            "type": '"file"',
            "file": json.dumps([listed]),
            "create_list": "false",
            "destination": destination,
            "size": str(len(content)),
        }
        parts: list[tuple[str, Any]] = [(k, (None, v)) for k, v in fields.items()]
        parts.append((part, ("x.torrent", content, "application/x-bittorrent")))
        return dict(self.http.post(ENTRY_CGI, params={"_sid": sid}, files=parts).json())

    def list_tasks(self, sid: str, additional: str = "detail,transfer") -> list[dict[str, Any]]:
        """Every visible task (v1 list)."""
        reply = self.task(sid, "list", additional=additional)
        assert reply["success"] is True, reply
        return list(reply["data"]["tasks"])


def make_nas(dsm: int, **options: Any) -> Nas:
    """A simulator with a manager ``admin``/``secret`` and a non-manager ``alice``/``wonder``."""
    sim = SynologySimulator(dsm, options=SimulatorOptions(**options))
    sim.add_account("admin", "secret", manager=True)
    sim.add_account("alice", "wonder", default_destination="downloads")
    return Nas(sim)


@pytest.fixture(params=[6, 7], ids=["dsm6", "dsm7"])
def nas(request: pytest.FixtureRequest) -> Iterator[Nas]:
    """Both personalities."""
    box = make_nas(request.param)
    yield box
    box.http.close()


@pytest.fixture
def nas6() -> Iterator[Nas]:
    box = make_nas(6)
    yield box
    box.http.close()


@pytest.fixture
def nas7() -> Iterator[Nas]:
    box = make_nas(7)
    yield box
    box.http.close()


def error_code(reply: dict[str, Any]) -> int:
    """The DSM error code of a failed reply (asserting the envelope's shape)."""
    assert reply["success"] is False, reply
    assert set(reply) == {"success", "error"}, reply
    return int(reply["error"]["code"])
