"""Request builders and reply parsing for the DSM Web API (``/webapi/<path>``).

Requests are built without the session: the auth object (:mod:`.auth`) attaches it.
Values are percent-encoded with ``%20`` for spaces (never ``+``, which some DSM
handlers keep literally). HTTP statuses and HTML pages are the core's; what is left
here is DSM's own envelope, ``{"success": bool, "data" | "error": {"code": N}}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from enunclic.plugin import EnunclicError, ProtocolError

from .codes import error_for

__all__ = [
    "FORM",
    "as_number",
    "encode_form",
    "error_code",
    "form_request",
    "json_value",
    "multipart_request",
    "per_id_errors",
    "sanitize_uri",
    "unwrap",
    "webapi_url",
    "whole",
]

FORM = "application/x-www-form-urlencoded"

#: Larger replies are never a bare error envelope: :func:`error_code` does not parse them.
_ERROR_REPLY_MAX = 2048


def webapi_url(base_url: str, path: str) -> str:
    """``<base>/webapi/<path>``; the base may carry a reverse-proxy prefix."""
    return f"{base_url.rstrip('/')}/webapi/{path}"


def encode_form(fields: Sequence[tuple[str, str]]) -> bytes:
    """``application/x-www-form-urlencoded`` with every reserved character percent-encoded."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in fields).encode("ascii")


def form_request(url: str, fields: Sequence[tuple[str, str]]) -> httpx.Request:
    """A form POST: every parameter in the body, none in the URL."""
    headers = {"Content-Type": FORM, "Accept": "application/json"}
    return httpx.Request("POST", url, content=encode_form(fields), headers=headers)


def multipart_request(
    url: str, *, fields: Sequence[tuple[str, str]], part_name: str, filename: str, content: bytes
) -> httpx.Request:
    """A multipart POST: text fields first, the one file part LAST (DSM reads the parts in order)."""
    return httpx.Request(
        "POST",
        url,
        data=dict(fields),
        files={part_name: (filename, content, "application/x-bittorrent")},
        headers={"Accept": "application/json"},
    )


def json_value(value: Any) -> str:
    """A parameter value for a ``requestFormat: JSON`` API (DownloadStation2): JSON-encoded."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sanitize_uri(uri: str) -> str:
    """A link safe inside v1 ``create uri=``, which DSM splits on commas: each comma becomes ``%2C``."""
    return uri.replace(",", "%2C")


def as_number(value: Any) -> Any:
    """DSM writes numbers as ints or as text (``"5"``, ``"5.0"``): such text becomes the number.

    Anything else comes back as it is, for the toolkit readers (``as_int``, ``read_size``) to judge.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return value


def whole(value: Any) -> int | None:
    """An int written as an int or as digits (codes, versions), else None."""
    number = as_number(value)
    return number if type(number) is int else None


def unwrap(response: httpx.Response, api: str) -> Any:
    """The ``data`` of a DSM envelope, or the typed error its code means for ``api``."""
    try:
        body = response.json()
    except ValueError:
        raise ProtocolError(f"{api} answered with something that is not JSON") from None
    if not isinstance(body, Mapping) or not isinstance(body.get("success"), bool):
        raise ProtocolError(f"{api} answered JSON without a 'success' flag; not a DSM reply")
    if body["success"]:
        return body.get("data")
    error = body.get("error")
    code = whole(error.get("code") if isinstance(error, Mapping) else error)
    if code is None:
        raise ProtocolError(f"{api} reported a failure without a readable error code")
    details = error.get("errors") if isinstance(error, Mapping) else None
    raise error_for(api, code, details)


def error_code(response: httpx.Response) -> int | None:
    """The code of a failure envelope (small by nature), else None: a success or not DSM's JSON."""
    content = response.content
    if len(content) > _ERROR_REPLY_MAX or b'"error"' not in content:
        return None
    try:
        body = json.loads(content)
    except ValueError:
        return None
    if not isinstance(body, Mapping) or body.get("success") is not False:
        return None
    error = body.get("error")
    return whole(error.get("code") if isinstance(error, Mapping) else error)


def per_id_errors(data: Any, api: str) -> dict[str, EnunclicError]:
    """Per-task failures of a bulk call: v1 ``[{"error": N, "id": …}]`` or DS2 ``{"failed_task": [...]}``.

    Items with error 0 succeeded; ids the reply does not mention are taken as done.
    Each error's message starts with its task id.
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
        code = whole(item.get("error", 0))
        if code is None:
            raise ProtocolError(f"{api} answered a per-task result without a readable error code")
        if code != 0:
            error = error_for(api, code)
            failures[item["id"]] = type(error)(f"{item['id']}: {error.message}", native_code=code)
    return failures
