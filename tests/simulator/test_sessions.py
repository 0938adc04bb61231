"""Sessions: sids, idle expiry (106/119), duplicate-login interruption (107), reboot (105), logout (§3.5-3.7)."""

from __future__ import annotations

import httpx

from .conftest import ENTRY_CGI, TASK_CGI, Nas, error_code, make_nas


def _list(nas: Nas, sid: str) -> dict:
    return dict(nas.task(sid, "list"))


def test_no_sid_is_119(nas: Nas) -> None:
    assert error_code(nas.get(TASK_CGI, api="SYNO.DownloadStation.Task", version=1, method="list")) == 119


def test_unknown_sid_is_119(nas: Nas) -> None:
    assert error_code(_list(nas, "not-a-session")) == 119


def test_sids_are_random_and_distinct(nas: Nas) -> None:
    first, second = nas.login(), nas.login()
    assert first != second
    assert len(first) >= 20


def test_idle_session_expires_with_106_and_activity_keeps_it_alive() -> None:
    nas = make_nas(7, session_idle_timeout=600)
    sid = nas.login()
    for _ in range(3):
        nas.sim.advance(500)
        assert _list(nas, sid)["success"] is True  # each call resets the idle time
    nas.sim.advance(601)
    assert error_code(_list(nas, sid)) == 106
    assert nas.sim.active_sessions() == 0


def test_expired_code_is_configurable_to_119() -> None:
    nas = make_nas(6, session_idle_timeout=10, expired_session_code=119)
    sid = nas.login()
    nas.sim.advance(11)
    assert error_code(_list(nas, sid)) == 119


def test_duplicate_login_interrupts_the_older_session_with_107() -> None:
    nas = make_nas(7, interrupt_duplicate_logins=True)
    first = nas.login()
    second = nas.login()
    assert error_code(_list(nas, first)) == 107
    assert _list(nas, second)["success"] is True


def test_duplicate_login_with_another_session_name_does_not_interrupt() -> None:
    nas = make_nas(7, interrupt_duplicate_logins=True)
    first = nas.login()
    nas.login(session="FileStation")
    assert _list(nas, first)["success"] is True


def test_duplicate_logins_coexist_by_default(nas: Nas) -> None:
    first, second = nas.login(), nas.login()
    assert _list(nas, first)["success"] is True
    assert _list(nas, second)["success"] is True


def test_logout_with_sid_really_ends_the_session(nas: Nas) -> None:
    sid = nas.login()
    reply = nas.post(
        nas.auth_path, api="SYNO.API.Auth", version=1, method="logout", session="DownloadStation", _sid=sid
    )
    assert reply == {"success": True}
    assert error_code(_list(nas, sid)) == 119


def test_logout_without_sid_succeeds_and_ends_nothing(nas: Nas) -> None:
    # zzarbi/synology PR #7: sessions pile up when logout carries no sid.
    sid = nas.login()
    reply = nas.post(nas.auth_path, api="SYNO.API.Auth", version=1, method="logout", session="DownloadStation")
    assert reply == {"success": True}
    assert _list(nas, sid)["success"] is True
    assert nas.sim.active_sessions("admin") == 1


def test_logout_by_cookie(nas: Nas) -> None:
    sid = nas.login()
    http = httpx.Client(transport=nas.sim.transport(), base_url="http://127.0.0.1:5000", cookies={"id": sid})
    http.get(nas.auth_path, params={"api": "SYNO.API.Auth", "version": 1, "method": "logout"})
    assert error_code(_list(nas, sid)) == 119


def test_reboot_makes_old_sids_answer_105(nas: Nas) -> None:
    # NDM#24: after a NAS reboot the old sid answered 105 on DSM 6.
    sid = nas.login()
    nas.sim.reboot()
    assert error_code(_list(nas, sid)) == 105
    assert _list(nas, nas.login())["success"] is True


def test_sid_in_a_multipart_body_is_ignored_on_entry_cgi(nas: Nas) -> None:
    # cmeans: "The Upload API does not read _sid from multipart form data".
    sid = nas.login()
    fields = {"api": "SYNO.DownloadStation2.Task", "version": "2", "method": "list", "_sid": sid}
    files = {"dummy": ("x.bin", b"x", "application/octet-stream")}
    in_body = nas.http.post(ENTRY_CGI, data=fields, files=files).json()
    assert error_code(in_body) == 119
    in_query = nas.http.post(
        ENTRY_CGI, params={"_sid": sid}, data={k: v for k, v in fields.items() if k != "_sid"}, files=files
    ).json()
    assert in_query["success"] is True


def test_session_survives_other_users_logins(nas: Nas) -> None:
    nas.sim.options.interrupt_duplicate_logins = True
    sid = nas.login()
    nas.login("alice", "wonder")
    assert _list(nas, sid)["success"] is True
