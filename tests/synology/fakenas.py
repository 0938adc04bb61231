"""A scripted DSM for respx: records every request, answers from replies the test sets.

Not a simulator (that lives in enunclic.simulators.synology): it knows just enough
of DSM to serve discovery, logins and task lists, and lets each test script the rest
with :meth:`FakeNAS.reply` (one-shot, queued) or :meth:`FakeNAS.always`.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

from . import replies

BASE = "http://127.0.0.1:5000"

Reply = Any  # dict (data), ("error", code[, errors]), httpx.Response, or a callable(Call) -> one of those


@dataclass
class Part:
    """One multipart part, in the order it was sent."""

    name: str
    filename: str | None
    content_type: str | None
    content: bytes


@dataclass
class Call:
    """One request as DSM would see it."""

    request: httpx.Request
    path: str
    params: dict[str, str]
    form: dict[str, str]
    parts: list[Part] = field(default_factory=list)

    @property
    def api(self) -> str:
        return self.params.get("api", "")

    @property
    def method(self) -> str:
        return self.params.get("method", "").lower()

    @property
    def sid(self) -> str | None:
        cookie = self.request.headers.get("cookie", "")
        for item in cookie.split(";"):
            name, _, value = item.strip().partition("=")
            if name == "id":
                return value
        return self.params.get("_sid")


def _parse_multipart(request: httpx.Request) -> list[Part]:
    header = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + request.content)
    parts = []
    for item in message.iter_parts():
        parts.append(
            Part(
                name=str(item.get_param("name", header="content-disposition")),
                filename=item.get_filename(),
                content_type=item.get_content_type() if item.get("content-type") else None,
                content=item.get_payload(decode=True) or b"",
            )
        )
    return parts


def envelope(data: Any = None) -> httpx.Response:
    body: dict[str, Any] = {"success": True}
    if data is not None:
        body["data"] = data
    return httpx.Response(200, json=body)


def failure(code: int, errors: Any = None) -> httpx.Response:
    error: dict[str, Any] = {"code": code}
    if errors is not None:
        error["errors"] = errors
    return httpx.Response(200, json={"success": False, "error": error})


class FakeNAS:
    """Discovery, login and the task list built in; everything else scripted per test."""

    def __init__(self, api_info: dict[str, Any] | None = None, login: dict[str, Any] | None = None) -> None:
        self.api_info = dict(api_info if api_info is not None else replies.API_INFO_DSM7)
        self.login_data = dict(login if login is not None else replies.LOGIN_DSM7)
        self.calls: list[Call] = []
        self.tasks: list[dict[str, Any]] = []
        self.valid_sids: set[str] = set()
        self.logins = 0
        #: The code answered to a request with an unknown sid.
        self.lost_session_code = 119
        self._once: dict[tuple[str, str], list[Reply]] = {}
        self._always: dict[tuple[str, str], Reply] = {}

    # -- scripting ------------------------------------------------------------------

    def reply(self, api: str, method: str, *answers: Reply) -> None:
        """Queue one-shot answers for api.method (used before the built-in behaviour)."""
        self._once.setdefault((api, method.lower()), []).extend(answers)

    def always(self, api: str, method: str, answer: Reply) -> None:
        self._always[(api, method.lower())] = answer

    def expire_sessions(self, code: int = 119) -> None:
        """Forget every sid: the next request with an old one gets ``code``."""
        self.valid_sids.clear()
        self.lost_session_code = code

    def calls_to(self, api: str, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.api == api and (method is None or c.method == method.lower())]

    # -- serving ----------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        params = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        form: dict[str, str] = {}
        parts: list[Part] = []
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            form = dict(parse_qsl(request.content.decode("ascii"), keep_blank_values=True))
        elif content_type.startswith("multipart/form-data"):
            parts = _parse_multipart(request)
            form = {p.name: p.content.decode() for p in parts if p.filename is None}
        call = Call(request, request.url.path.removeprefix("/webapi/"), {**params, **form}, form, parts)
        self.calls.append(call)
        return self._answer(call)

    def _answer(self, call: Call) -> httpx.Response:
        key = (call.api, call.method)
        if call.api == "SYNO.API.Info":
            return self._scripted(call, key) or envelope(self.api_info)
        if call.api == "SYNO.API.Auth":
            scripted = self._scripted(call, key)
            if scripted is not None:
                return scripted
            if call.method == "logout":
                self.valid_sids.discard(call.sid or "")
                return envelope()
            self.logins += 1
            data = dict(self.login_data)
            data["sid"] = f"{data['sid']}-{self.logins}"
            self.valid_sids.add(data["sid"])
            return envelope(data)
        if call.sid not in self.valid_sids:
            return failure(self.lost_session_code)
        scripted = self._scripted(call, key)
        if scripted is not None:
            return scripted
        if key == ("SYNO.DownloadStation.Task", "list"):
            offset, limit = int(call.params.get("offset", 0)), int(call.params.get("limit", -1))
            page = self.tasks[offset:] if limit < 0 else self.tasks[offset : offset + limit]
            return envelope({"offset": offset, "total": len(self.tasks), "tasks": page})
        if key == ("SYNO.DownloadStation.Task", "getinfo"):
            wanted = call.params["id"].split(",")
            return envelope({"tasks": [t for t in self.tasks if t["id"] in wanted]})
        raise AssertionError(f"unexpected request {call.api} {call.method}")

    def _scripted(self, call: Call, key: tuple[str, str]) -> httpx.Response | None:
        queue = self._once.get(key)
        if queue:
            return self._render(queue.pop(0), call)
        if key in self._always:
            return self._render(self._always[key], call)
        return None

    def _render(self, answer: Reply, call: Call) -> httpx.Response:
        if callable(answer):
            answer = answer(call)
        if isinstance(answer, httpx.Response):
            return answer
        if isinstance(answer, tuple) and answer and answer[0] == "error":
            return failure(*answer[1:])
        return envelope(answer)


def json_field(call: Call, name: str) -> Any:
    return json.loads(call.form[name])


Handler = Callable[[httpx.Request], httpx.Response]
