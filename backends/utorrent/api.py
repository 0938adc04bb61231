"""µTorrent WebUI requests and replies: query parameters on ``/gui/``, JSON back, the token page.

Every call is a GET of ``/gui/?token=...&action=...`` (``list=1`` for the torrent list);
only ``add-file`` is a multipart POST. The token goes first in the query: the TokenSystem
page of bittorrent/webui's wiki says it may come "no later than the position after the
action or list parameter". Many hashes are many ``hash=`` parameters (the WebAPI notes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode

import httpx

from enunclic.plugin import AuthenticationError, ProtocolError, html_reply, info_hash_id, is_login_page

from .codes import error_for
from .mapping import setting_value

__all__ = ["Params", "call", "hashes", "read_token", "reply", "rows", "settings", "token_request", "with_token"]

#: Query parameters in order (names repeat: ``hash``, ``s``/``v``, ``f``).
Params = Sequence[tuple[str, str]]

#: ``<div id='token' style='display:none;'>TOKEN</div>`` (the TokenSystem wiki page; @ctrl/utorrent's sample).
_TOKEN: Final = re.compile(r"<div[^>]*\bid=['\"]?token['\"]?[^>]*>\s*([^<\s]+)\s*</div>", re.IGNORECASE)


def gui_url(base: str) -> str:
    """``/gui`` and ``/gui/`` alike: µTorrent answers the API on the path with its slash."""
    return base.rstrip("/") + "/"


def call(base: str, params: Params, files: Mapping[str, tuple[str, bytes, str]] | None = None) -> httpx.Request:
    """One API request (the token is added by the auth); the query keeps the order of ``params``.

    httpx's ``params=`` would group repeated names (``hash=A&hash=B&s=...``), which setprops cannot take.
    """
    url = f"{gui_url(base)}?{urlencode(params)}"
    return httpx.Request("POST", url, files=files) if files is not None else httpx.Request("GET", url)


def token_request(base: str) -> httpx.Request:
    """``token.html``: an HTML page by design, so the core lets it through."""
    return html_reply(httpx.Request("GET", gui_url(base) + "token.html"))


def read_token(response: httpx.Response) -> str:
    """The token in a ``token.html`` reply (401, a wrong password, was already refused by the core)."""
    if is_login_page(response.content):
        raise AuthenticationError("a login page came back instead of µTorrent's token: a proxy asks for a login")
    found = _TOKEN.search(response.text)
    if found is None:
        raise ProtocolError(
            "token.html holds no token: is this µTorrent's WebUI (path /gui/)?", native_code=response.status_code
        )
    return found.group(1)


def with_token(request: httpx.Request, token: str) -> httpx.Request:
    """``request`` with ``token`` as its first query parameter (replacing a stale one)."""
    pairs = [(k, v) for k, v in parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True) if k != "token"]
    request.url = request.url.copy_with(query=urlencode([("token", token), *pairs]).encode("ascii"))
    return request


def reply(response: httpx.Response) -> dict[str, Any]:
    """A reply's JSON object; an ``error`` in it raises."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("µTorrent's reply is not JSON: is the URL µTorrent's WebUI (path /gui/)?") from None
    if not isinstance(body, dict):
        raise ProtocolError("µTorrent's reply is not a JSON object")
    error = body.get("error")
    if isinstance(error, str):
        raise error_for(error)
    return body


def rows(body: Mapping[str, Any], key: str) -> list[Any]:
    """A list in a reply (``torrents``, ``torrentp``, ``torrentm``, ``files``...); absent or null is empty."""
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ProtocolError(f"µTorrent's {key!r} is not a list")
    return value


def settings(body: Mapping[str, Any]) -> dict[str, float | None]:
    """getsettings: ``[[name, type, value, {access}], ...]`` -> name -> number (None when not a number)."""
    return {
        str(row[0]): setting_value(row[2]) for row in rows(body, "settings") if isinstance(row, list) and len(row) >= 3
    }


def hashes(ids: Iterable[str]) -> list[tuple[str, str]]:
    """``hash=`` parameters, upper-case as µTorrent writes them; an id that is no info-hash raises not-found."""
    return [("hash", info_hash_id(torrent_id).upper()) for torrent_id in ids]
