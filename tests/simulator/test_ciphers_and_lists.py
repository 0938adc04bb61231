"""Encrypted login, DSM 7's login handshake, path-style URLs, DS2 file lists and the fixes of issue 22."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any
from urllib.parse import urlencode

import pytest

from enunclic.simulators.synology import ciphers

from .conftest import AUTH_CGI, ENTRY_CGI, MAGNET, QUERY_CGI, Nas, error_code

pytestmark = pytest.mark.skipif(
    not ciphers.available() and os.environ.get("CI") != "true", reason="the simulator extra is not installed"
)


def _discovery(nas: Nas) -> dict[str, Any]:
    return dict(nas.get(QUERY_CGI, api="SYNO.API.Info", version=1, method="query", query="ALL")["data"])


def test_discovery_lists_the_ciphers_and_list_apis_per_personality(nas: Nas) -> None:
    apis = _discovery(nas)
    dsm7 = nas.sim.personality.dsm_major == 7
    assert apis["SYNO.API.Encryption"]["path"] == ("entry.cgi" if dsm7 else "encryption.cgi")
    assert ("SYNO.API.Auth.UIConfig" in apis) is dsm7
    assert apis["SYNO.DownloadStation2.Task.List"] == {
        "path": "entry.cgi",
        "minVersion": 1,
        "maxVersion": 2,
        "requestFormat": "JSON",
    }
    assert apis["SYNO.DownloadStation2.Task.List.Polling"]["minVersion"] == 2
    assert apis["SYNO.Entry.Request"]["maxVersion"] == 2


def _envelope(nas: Nas, params: dict[str, str], token_shift: int = 0) -> str:
    """Encrypt as synology-api and the DSM web UI do: RSA(passphrase) + OpenSSL AES-256-CBC(params)."""
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    info = nas.get("/webapi/encryption.cgi", api="SYNO.API.Encryption", version=1, method="getinfo")["data"]
    assert (info["cipherkey"], info["ciphertoken"]) == ("__cIpHeRtExT", "__cIpHeRtOkEn")
    public = rsa.RSAPublicNumbers(0x10001, int(info["public_key"], 16)).public_key()
    passphrase = os.urandom(48).hex().encode()
    salt = os.urandom(8)
    derived = block = b""
    while len(derived) < 48:
        block = hashlib.md5(block + passphrase + salt).digest()  # noqa: S324 - OpenSSL's EVP_BytesToKey
        derived += block
    padder = padding.PKCS7(128).padder()
    plain = urlencode({**params, info["ciphertoken"]: info["server_time"] + token_shift}).encode()
    body = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(derived[:32]), modes.CBC(derived[32:48])).encryptor()
    aes = b"Salted__" + salt + encryptor.update(body) + encryptor.finalize()
    sealed = public.encrypt(passphrase, PKCS1v15())
    return json.dumps({"rsa": base64.b64encode(sealed).decode(), "aes": base64.b64encode(aes).decode()})


def _login_encrypted(nas: Nas, envelope: str) -> dict[str, Any]:
    version = nas.auth_version
    return dict(
        nas.post(AUTH_CGI, api="SYNO.API.Auth", version=version, method="login", format="sid", __cIpHeRtExT=envelope)
    )


def test_encrypted_login_works_and_checks_the_password(nas: Nas) -> None:
    good = _login_encrypted(nas, _envelope(nas, {"account": "admin", "passwd": "secret"}))
    assert good["success"] is True
    assert good["data"]["sid"]
    assert error_code(_login_encrypted(nas, _envelope(nas, {"account": "admin", "passwd": "nope"}))) == 400


def test_stale_token_and_garbage_envelope_are_refused(nas: Nas) -> None:
    stale = _envelope(nas, {"account": "admin", "passwd": "secret"}, token_shift=-ciphers.TOKEN_LIFETIME - 1)
    assert error_code(_login_encrypted(nas, stale)) == 101
    assert error_code(_login_encrypted(nas, '{"rsa":"AAAA","aes":"AAAA"}')) == 101
    assert error_code(_login_encrypted(nas, "not json")) == 101


def test_uiconfig_sets_the_noise_key_on_dsm7_only(nas: Nas) -> None:
    reply = nas.http.post(
        ENTRY_CGI + "/SYNO.API.Auth.UIConfig", data={"api": "SYNO.API.Auth.UIConfig", "version": 1, "method": "get"}
    )
    if nas.sim.personality.dsm_major == 6:
        assert error_code(reply.json()) == 102
        return
    assert reply.json()["success"] is True
    ssid = reply.cookies["_SSID"]
    assert len(base64.urlsafe_b64decode(ssid + "=" * (-len(ssid) % 4))) == 32


def test_garbage_ik_message_is_refused(nas7: Nas) -> None:
    reply = nas7.post(
        ENTRY_CGI, api="SYNO.API.Auth", version=7, method="login", account="admin", passwd="secret", ik_message="AAAA"
    )
    assert error_code(reply) == 101


def test_path_style_urls_answer_on_entry_cgi_only(nas: Nas) -> None:
    sid = nas.login()
    reply = nas.http.post(ENTRY_CGI + "/SYNO.DownloadStation2.Task", data={"version": 2, "method": "list", "_sid": sid})
    assert reply.json()["success"] is True
    elsewhere = nas.http.post("/webapi/DownloadStation/task.cgi/SYNO.DownloadStation.Task", data={"_sid": sid})
    assert elsewhere.status_code == 404


def test_dsm_info_reports_the_dsm_build(nas: Nas) -> None:
    data = nas.ds2(nas.login(), "getinfo", api="SYNO.DSM.Info", version=2)["data"]
    assert data["version"] == nas.sim.personality.dsm_version_string.rpartition("-")[2]
    assert data["version"] != str(nas.sim.personality.ds_build)
    assert data["codepage"] == "enu"


def test_link_tasks_have_no_bt_blocks_and_total_peers_is_zero(nas: Nas) -> None:
    nas.sim.add_task("https://example.org/a.iso", owner="admin", status="downloading", progress=0.2)
    nas.sim.add_task(MAGNET, owner="admin", status="downloading", progress=0.2)
    link, bt = nas.list_tasks(nas.login(), "detail,transfer,file,tracker,peer")
    assert set(link["additional"]) == {"detail", "transfer"}
    assert set(bt["additional"]) == {"detail", "transfer", "file", "tracker", "peer"}
    assert bt["additional"]["detail"]["connected_peers"] > 0
    assert bt["additional"]["detail"]["total_peers"] == 0


def test_delete_condition_clears_finished_tasks(nas: Nas) -> None:
    nas.sim.add_task(MAGNET, owner="admin", status="finished")
    nas.sim.add_task("https://example.org/b.iso", owner="admin", status="downloading", progress=0.1)
    sid = nas.login()
    reply = nas.ds2(sid, "delete_condition", type='["emule"]', type_inverse="true", status="[5]")
    assert reply == {"data": {"failed_task": []}, "success": True}
    assert [t["type"] for t in nas.list_tasks(sid)] == ["https"]


def test_list_flow_errors_and_links_without_files(nas: Nas) -> None:
    sid = nas.login()
    reply = nas.ds2(
        sid, "create", type='"url"', url='["https://example.org/c.iso"]', destination='"downloads"', create_list="true"
    )
    assert reply["data"] == {"list_id": [], "task_id": ["dbid_1"]}  # nothing to choose: queued at once
    assert error_code(nas.ds2(sid, "get", api="SYNO.DownloadStation2.Task.List", list_id='"nope"')) == 404
    (list_id,) = nas.ds2(
        sid,
        "create",
        type="url",
        url="magnet:?xt=urn:btih:" + "ef" * 20 + "&dn=Pack_Of_Three",
        destination="",
        create_list="true",
    )["data"]["list_id"]
    bad = nas.ds2(
        sid, "download", api="SYNO.DownloadStation2.Task.List.Polling", list_id=json.dumps(list_id), selected="[9]"
    )
    assert bad["error"] == {"code": 120, "errors": {"name": "selected", "reason": "condition"}}
    good = nas.ds2(
        sid, "download", api="SYNO.DownloadStation2.Task.List.Polling", list_id=json.dumps(list_id), selected="[0]"
    )
    assert good["success"] is True
    task = nas.list_tasks(sid, "detail,file")[-1]
    assert task["additional"]["detail"]["destination"] == "downloads"
    nas.sim.advance(60)
    files = nas.list_tasks(sid, "file")[-1]["additional"]["file"]
    assert [f["wanted"] for f in files] == [True, False, False]
    assert error_code(nas.ds2(sid, "get", api="SYNO.DownloadStation2.Task.List", list_id=json.dumps(list_id))) == 404
