"""Request builders and reply parsing for the DSM Web API (``/webapi/<path>``).

Where the session id travels: in the POST body as ``_sid`` and in the cookie ``id``
(both documented), never in a URL query, so it cannot reach proxy or access logs.
A multipart upload carries it in the cookie only: DSM's upload handlers do not
read ``_sid`` from multipart fields, and the client that documented this (cmeans)
moved it to the query instead, which this backend refuses to do. Values are
percent-encoded with ``%20`` for spaces (never ``+``, which some DSM handlers keep
literally).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from enunclic import EnunclicError, ProtocolError

from .codes import error_for

__all__ = [
    "Credentials",
    "form_request",
    "json_value",
    "multipart_request",
    "per_id_errors",
    "sanitize_uri",
    "unwrap",
    "webapi_url",
]

_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Credentials:
    """The current session: the sid and, when DSM issued one, the CSRF token."""

    sid: str = field(repr=False)
    synotoken: str | None = field(default=None, repr=False)

    def headers(self) -> dict[str, str]:
        """The cookie (and token) headers that authenticate a request without any query parameter."""
        headers = {"Cookie": f"id={self.sid}"}
        if self.synotoken:
            headers["X-SYNO-TOKEN"] = self.synotoken
        return headers


def webapi_url(base_url: str, path: str) -> str:
    """``<base>/webapi/<path>``; the base may carry a reverse-proxy prefix."""
    return f"{base_url.rstrip('/')}/webapi/{path}"


def encode_form(fields: Sequence[tuple[str, str]]) -> bytes:
    """``application/x-www-form-urlencoded`` with every reserved character percent-encoded."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in fields).encode("ascii")


def form_request(url: str, fields: Sequence[tuple[str, str]], credentials: Credentials | None = None) -> httpx.Request:
    """A form POST; with a session, ``_sid`` goes in the body and the cookie."""
    pairs = list(fields)
    headers = {"Content-Type": _FORM, "Accept": "application/json"}
    if credentials is not None:
        pairs.append(("_sid", credentials.sid))
        headers.update(credentials.headers())
    return httpx.Request("POST", url, content=encode_form(pairs), headers=headers)


def multipart_request(
    url: str,
    *,
    fields: Sequence[tuple[str, str]],
    part_name: str,
    filename: str,
    content: bytes,
    credentials: Credentials,
) -> httpx.Request:
    """A multipart POST: text fields first, the one file part LAST (DSM reads the parts in order)."""
    headers = {"Accept": "application/json", **credentials.headers()}
    return httpx.Request(
        "POST",
        url,
        data=dict(fields),
        files={part_name: (filename, content, "application/x-bittorrent")},
        headers=headers,
    )


def json_value(value: Any) -> str:
    """A parameter value for a ``requestFormat: JSON`` API (DownloadStation2): JSON-encoded."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sanitize_uri(uri: str) -> str:
    """A link safe inside v1 ``create uri=``, which DSM splits on commas: each comma becomes ``%2C``."""
    return uri.replace(",", "%2C")


def _describe_http_failure(response: httpx.Response) -> str:
    status = response.status_code
    hint = {
        400: "; plain HTTP sent to the HTTPS port? use synology+https://",
        404: "; is Download Station installed?",
        414: "; the request was too long",
    }.get(status, "; is Download Station running?" if status >= 500 else "")
    return f"HTTP {status} from {response.request.url.path}{hint}"


def unwrap(response: httpx.Response, api: str) -> Any:
    """The ``data`` of a DSM envelope, or the typed error its code means for ``api``."""
    if response.status_code != 200:
        raise ProtocolError(_describe_http_failure(response))
    try:
        body = response.json()
    except ValueError:
        start = response.content[:200].lstrip().lower()
        what = "an HTML page" if start.startswith((b"<", b"<!doctype")) else "something that is not JSON"
        raise ProtocolError(
            f"{api} answered with {what} instead of JSON (is Download Station installed and running?)"
        ) from None
    if not isinstance(body, Mapping) or not isinstance(body.get("success"), bool):
        raise ProtocolError(f"{api} answered JSON without a 'success' flag; not a DSM reply")
    if body["success"]:
        return body.get("data")
    error = body.get("error")
    raw_code = error.get("code") if isinstance(error, Mapping) else error
    code = _code(raw_code)
    if code is None:
        raise ProtocolError(f"{api} reported a failure without a readable error code")
    details = error.get("errors") if isinstance(error, Mapping) else None
    raise error_for(api, code, details)


def _code(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def per_id_errors(data: Any, api: str) -> dict[str, EnunclicError]:
    """Per-task failures of a bulk call: v1 ``[{"error": N, "id": …}]`` or DS2 ``{"failed_task": [...]}``.

    Items with error 0 succeeded; ids the reply does not mention are taken as done.
    """
    items = data.get("failed_task") if isinstance(data, Mapping) else data
    if items is None:
        return {}
    if not isinstance(items, list):
        raise ProtocolError(f"{api} answered a bulk action with {type(items).__name__}, not a list of results")
    failures: dict[str, EnunclicError] = {}
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            raise ProtocolError(f"{api} answered a bulk action with a malformed per-task result")
        code = _code(item.get("error", 0))
        if code is None:
            raise ProtocolError(f"{api} answered a per-task result without a readable error code")
        if code != 0:
            failures[item["id"]] = error_for(api, code)
    return failures
