"""aria2's RPC secret: ``"token:<secret>"`` as the first parameter of every call.

aria2 has no login and no header for it (aria2c(1), "RPC authorization secret token"):
the token goes into the JSON body, and into each call of a ``system.multicall``, whose
own parameters take none. The API module writes calls without it; this object adds it
on the way out, so the secret lives in one place and never in a URL or a log line.
"""

from __future__ import annotations

import json
from collections.abc import Generator

import httpx

__all__ = ["Aria2Auth"]


class Aria2Auth(httpx.Auth):
    """Adds the token to every JSON-RPC call; without a secret, requests pass as they are."""

    def __init__(self, secret: str | None) -> None:
        self._token = f"token:{secret}" if secret else None

    def __repr__(self) -> str:  # never shows the secret
        return f"<Aria2Auth secret={'set' if self._token else 'none'}>"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._token is None:
            yield request
            return
        body = json.loads(request.content)
        if body["method"] == "system.multicall":
            for call in body["params"][0]:
                call["params"].insert(0, self._token)
        else:
            body["params"].insert(0, self._token)
        yield httpx.Request(
            request.method,
            request.url,
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            extensions=request.extensions,
        )
