"""Turning raw HTTP into the parameters DSM reads: query string, form body or multipart body.

DSM takes parameters from the query and the body alike (reference §10); multipart
uploads keep their parts in order, because where the file part sits matters (§5.7).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qsl, unquote

__all__ = ["SimRequest", "UploadedPart", "parse_request"]


@dataclass(frozen=True)
class UploadedPart:
    """One multipart part that carried a file."""

    name: str
    filename: str | None
    content: bytes = field(repr=False)


@dataclass
class SimRequest:
    """A request as the DSM handlers see it."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    files: list[UploadedPart]
    cookies: dict[str, str]
    client: str
    multipart: bool = False
    #: Names of the multipart parts in the order they came (text and file parts).
    part_order: list[str] = field(default_factory=list)

    def param(self, name: str) -> str | None:
        """A parameter from the body, else the query (DSM reads both)."""
        if name in self.form:
            return self.form[name]
        return self.query.get(name)

    @property
    def api(self) -> str | None:
        """The ``api`` parameter."""
        return self.param("api")


def _parse_query(raw: str) -> dict[str, str]:
    # DSM does not read '+' as a space in URLs (reference §9.4): only %20 is a space there.
    pairs: dict[str, str] = {}
    for item in raw.split("&"):
        if not item:
            continue
        key, _, value = item.partition("=")
        pairs[unquote(key)] = unquote(value)
    return pairs


def _parse_cookies(header: str | None) -> dict[str, str]:
    if not header:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], list[UploadedPart], list[str]]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(_class=EmailMessage, policy=HTTP).parsebytes(head + body)
    form: dict[str, str] = {}
    files: list[UploadedPart] = []
    order: list[str] = []
    if not message.is_multipart():
        return form, files, order
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        order.append(name)
        filename = part.get_filename()
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if filename is not None:
            files.append(UploadedPart(name=name, filename=filename, content=data))
        else:
            charset = part.get_content_charset() or "utf-8"
            form[name] = data.decode(charset, errors="replace")
    return form, files, order


def parse_request(
    method: str,
    path: str,
    query: str,
    *,
    headers: Mapping[str, str],
    body: bytes,
    client: str = "127.0.0.1",
) -> SimRequest:
    """Build a :class:`SimRequest` from the parts of an HTTP request (header names lower-case)."""
    content_type = headers.get("content-type", "")
    form: dict[str, str] = {}
    files: list[UploadedPart] = []
    order: list[str] = []
    multipart = content_type.lower().startswith("multipart/form-data")
    if multipart:
        form, files, order = _parse_multipart(content_type, body)
    elif body and content_type.lower().startswith("application/x-www-form-urlencoded"):
        form = dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    return SimRequest(
        method=method.upper(),
        path=path,
        query=_parse_query(query),
        form=form,
        files=files,
        cookies=_parse_cookies(headers.get("cookie")),
        client=client,
        multipart=multipart,
        part_order=order,
    )
