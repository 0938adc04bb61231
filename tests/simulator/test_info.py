"""Discovery and request dispatch: SYNO.API.Info per personality, paths, versions, unknown APIs (§1, §2)."""

from __future__ import annotations

import pytest

from .conftest import ENTRY_CGI, QUERY_CGI, TASK_CGI, Nas, error_code

DSM6_APIS = {
    "SYNO.API.Info": {"path": "query.cgi", "minVersion": 1, "maxVersion": 1},
    "SYNO.API.Auth": {"path": "auth.cgi", "minVersion": 1, "maxVersion": 6},
    "SYNO.DownloadStation.Task": {"path": "DownloadStation/task.cgi", "minVersion": 1, "maxVersion": 3},
    "SYNO.DownloadStation2.Task": {"path": "entry.cgi", "minVersion": 1, "maxVersion": 2, "requestFormat": "JSON"},
    "SYNO.DownloadStation.Info": {"path": "DownloadStation/info.cgi", "minVersion": 1, "maxVersion": 2},
    "SYNO.DownloadStation.Statistic": {"path": "DownloadStation/statistic.cgi", "minVersion": 1, "maxVersion": 1},
    "SYNO.DownloadStation.Schedule": {"path": "DownloadStation/schedule.cgi", "minVersion": 1, "maxVersion": 1},
    "SYNO.DSM.Info": {"path": "entry.cgi", "minVersion": 2, "maxVersion": 2, "requestFormat": "JSON"},
}
DSM7_APIS = {
    "SYNO.API.Info": {"path": "entry.cgi", "minVersion": 1, "maxVersion": 1, "requestFormat": "JSON"},
    "SYNO.API.Auth": {"path": "entry.cgi", "minVersion": 1, "maxVersion": 7},
    "SYNO.DownloadStation.Task": {"path": "DownloadStation/task.cgi", "minVersion": 1, "maxVersion": 3},
    "SYNO.DownloadStation2.Task": {"path": "entry.cgi", "minVersion": 1, "maxVersion": 2, "requestFormat": "JSON"},
    "SYNO.DownloadStation.Info": {"path": "DownloadStation/info.cgi", "minVersion": 1, "maxVersion": 2},
    "SYNO.DownloadStation2.Task.Complete": {
        "path": "entry.cgi",
        "minVersion": 1,
        "maxVersion": 1,
        "requestFormat": "JSON",
    },
    "SYNO.DSM.Info": {"path": "entry.cgi", "minVersion": 2, "maxVersion": 2, "requestFormat": "JSON"},
}


def _query(nas: Nas, names: str, path: str = QUERY_CGI) -> dict[str, object]:
    reply = nas.get(path, api="SYNO.API.Info", version=1, method="query", query=names)
    assert reply["success"] is True, reply
    return dict(reply["data"])


@pytest.mark.parametrize(("fixture", "expected"), [("nas6", DSM6_APIS), ("nas7", DSM7_APIS)])
def test_info_reports_the_personality_rows(request: pytest.FixtureRequest, fixture: str, expected: dict) -> None:
    nas: Nas = request.getfixturevalue(fixture)
    data = _query(nas, ",".join(expected))
    assert data == expected


def test_only_dsm7_has_task_complete(nas6: Nas, nas7: Nas) -> None:
    assert "SYNO.DownloadStation2.Task.Complete" not in _query(nas6, "ALL")
    assert "SYNO.DownloadStation2.Task.Complete" in _query(nas7, "ALL")


@pytest.mark.parametrize("spelling", ["ALL", "all"])
def test_query_all_in_either_case_lists_everything(nas: Nas, spelling: str) -> None:
    data = _query(nas, spelling)
    assert set(data) == set(nas.sim.personality.apis)
    assert "SYNO.DownloadStation.Info" in data


def test_unknown_apis_are_silently_left_out(nas: Nas) -> None:
    # Prowlarr#1812: asking for a missing API gives no error, just no row.
    data = _query(nas, "SYNO.API.Auth,SYNO.Does.Not.Exist")
    assert list(data) == ["SYNO.API.Auth"]


def test_dsm7_answers_info_on_query_cgi_and_entry_cgi(nas7: Nas) -> None:
    assert _query(nas7, "SYNO.API.Auth", QUERY_CGI) == _query(nas7, "SYNO.API.Auth", ENTRY_CGI)


def test_dsm6_has_no_info_on_entry_cgi(nas6: Nas) -> None:
    reply = nas6.get(ENTRY_CGI, api="SYNO.API.Info", version=1, method="query", query="ALL")
    assert error_code(reply) == 102


def test_unknown_api_is_102_with_http_200(nas: Nas) -> None:
    response = nas.http.get(ENTRY_CGI, params={"api": "SYNO.Nope", "version": 1, "method": "list"})
    assert response.status_code == 200
    assert response.json() == {"error": {"code": 102}, "success": False}


def test_api_on_the_wrong_cgi_is_102(nas: Nas) -> None:
    reply = nas.get(TASK_CGI, api="SYNO.API.Info", version=1, method="query")
    assert error_code(reply) == 102


@pytest.mark.parametrize("missing", ["api", "version", "method"])
def test_missing_api_method_or_version_is_101(nas: Nas, missing: str) -> None:
    params = {"api": "SYNO.API.Info", "version": "1", "method": "query"}
    del params[missing]
    assert error_code(nas.get(QUERY_CGI, **params)) == 101


def test_version_out_of_range_is_104(nas: Nas) -> None:
    assert error_code(nas.get(QUERY_CGI, api="SYNO.API.Info", version=2, method="query")) == 104


def test_unknown_method_is_103(nas: Nas) -> None:
    assert error_code(nas.get(QUERY_CGI, api="SYNO.API.Info", version=1, method="explode")) == 103


def test_method_names_are_case_insensitive(nas: Nas) -> None:
    # HA-lib sends "Query"/"List", Sonarr "getConfig".
    assert nas.get(QUERY_CGI, api="SYNO.API.Info", version=1, method="Query", query="ALL")["success"] is True


def test_unknown_cgi_is_an_html_404(nas: Nas) -> None:
    response = nas.http.get("/webapi/DownloadStation/nope.cgi", params={"api": "SYNO.API.Info"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_post_form_and_get_give_the_same_answer(nas: Nas) -> None:
    params = {"api": "SYNO.API.Info", "version": "1", "method": "query", "query": "SYNO.API.Auth"}
    assert nas.http.get(QUERY_CGI, params=params).json() == nas.http.post(QUERY_CGI, data=params).json()
