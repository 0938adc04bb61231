"""SCGI as httpx transports: rTorrent's own RPC socket, over TCP or a unix socket.

The framing (a netstring of NUL-separated headers, then the body) and the parsing of
the CGI-style reply live here once; the sync transport moves bytes with the socket
module, the async one with asyncio streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass

import httpx

from enunclic.plugin import ProtocolError

__all__ = ["AsyncSCGITransport", "SCGIAddress", "SCGITransport", "encode_request", "parse_reply"]

#: A reply larger than this is refused while reading (the driver caps it again).
MAX_REPLY_BYTES = 64 * 1024 * 1024
#: The CGI header block of a reply must end within this many bytes.
MAX_HEAD_BYTES = 64 * 1024
_CHUNK = 65536


@dataclass(frozen=True)
class SCGIAddress:
    """Where rTorrent listens: a unix socket ``path``, or ``host`` and ``port``."""

    host: str = ""
    port: int = 0
    path: str = ""

    def describe(self) -> str:
        """A short name for error messages."""
        return f"unix socket {self.path}" if self.path else f"{self.host}:{self.port}"


def encode_request(body: bytes, uri: str) -> bytes:
    """One SCGI request: ``<len>:CONTENT_LENGTH\\0<n>\\0SCGI\\01\\0...,`` then the body."""
    headers = (
        ("CONTENT_LENGTH", str(len(body))),
        ("SCGI", "1"),
        ("REQUEST_METHOD", "POST"),
        ("REQUEST_URI", uri or "/RPC2"),
    )
    block = b"".join(name.encode() + b"\0" + value.encode() + b"\0" for name, value in headers)
    return str(len(block)).encode() + b":" + block + b"," + body


def parse_reply(raw: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """Split a CGI-style reply (``Status: 200 OK``, headers, blank line, body).

    A reply without a header block, with a bad status line or shorter than its
    Content-Length is a :class:`ProtocolError`.
    """
    for separator in (b"\r\n\r\n", b"\n\n"):
        head, found, body = raw.partition(separator)
        if found and len(head) <= MAX_HEAD_BYTES:
            break
    else:
        raise ProtocolError("the SCGI reply has no header block (empty or truncated reply)")
    status = 200
    headers: list[tuple[str, str]] = []
    for line in head.decode("latin-1").splitlines():
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise ProtocolError("the SCGI reply has a malformed header line")
        name, value = name.strip(), value.strip()
        if name.lower() == "status":
            code = value.split(" ", 1)[0]
            if not code.isdigit() or not 100 <= int(code) <= 599:
                raise ProtocolError("the SCGI reply has a malformed Status header")
            status = int(code)
        else:
            headers.append((name, value))
    length = next((v for k, v in headers if k.lower() == "content-length"), None)
    if length is not None:
        if not length.isdigit():
            raise ProtocolError("the SCGI reply has a malformed Content-Length")
        if len(body) < int(length):
            raise ProtocolError(f"the SCGI reply was cut: {len(body)} of {length} bytes")
        body = body[: int(length)]
    return status, headers, body


def _timeouts(request: httpx.Request) -> tuple[float | None, float | None]:
    timeout = request.extensions.get("timeout", {})
    return timeout.get("connect"), timeout.get("read")


def _response(request: httpx.Request, raw: bytes) -> httpx.Response:
    status, headers, body = parse_reply(raw)
    return httpx.Response(status, headers=headers, content=body, request=request)


class SCGITransport(httpx.BaseTransport):
    """Sends each request as one SCGI exchange on a fresh connection (rTorrent closes it after replying)."""

    def __init__(self, address: SCGIAddress) -> None:
        self.address = address

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        message = encode_request(request.read(), request.url.path)
        connect_timeout, read_timeout = _timeouts(request)
        family = socket.AF_UNIX if self.address.path else socket.AF_INET
        target: str | tuple[str, int] = self.address.path or (self.address.host, self.address.port)
        if not self.address.path and ":" in self.address.host:
            family = socket.AF_INET6
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(connect_timeout)
            try:
                sock.connect(target)
            except TimeoutError as exc:
                raise httpx.ConnectTimeout(f"no answer from {self.address.describe()}", request=request) from exc
            except OSError as exc:
                raise httpx.ConnectError(f"{self.address.describe()}: {exc.strerror or exc}", request=request) from exc
            sock.settimeout(read_timeout)
            try:
                sock.sendall(message)
                raw = bytearray()
                while chunk := sock.recv(_CHUNK):
                    raw += chunk
                    if len(raw) > MAX_REPLY_BYTES:
                        raise ProtocolError(f"SCGI reply larger than {MAX_REPLY_BYTES} bytes; refused")
            except TimeoutError as exc:
                raise httpx.ReadTimeout(f"{self.address.describe()} did not reply in time", request=request) from exc
            except OSError as exc:
                raise httpx.ReadError(f"{self.address.describe()}: {exc.strerror or exc}", request=request) from exc
        return _response(request, bytes(raw))


class AsyncSCGITransport(httpx.AsyncBaseTransport):
    """The asyncio twin of :class:`SCGITransport`, on asyncio streams."""

    def __init__(self, address: SCGIAddress) -> None:
        self.address = address

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        message = encode_request(await request.aread(), request.url.path)
        connect_timeout, read_timeout = _timeouts(request)
        try:
            if self.address.path:
                opening = asyncio.open_unix_connection(self.address.path)
            else:
                opening = asyncio.open_connection(self.address.host, self.address.port)
            reader, writer = await asyncio.wait_for(opening, connect_timeout)
        except (TimeoutError, asyncio.TimeoutError) as exc:
            raise httpx.ConnectTimeout(f"no answer from {self.address.describe()}", request=request) from exc
        except OSError as exc:
            raise httpx.ConnectError(f"{self.address.describe()}: {exc.strerror or exc}", request=request) from exc
        try:
            writer.write(message)
            await asyncio.wait_for(writer.drain(), read_timeout)
            raw = bytearray()
            while chunk := await asyncio.wait_for(reader.read(_CHUNK), read_timeout):
                raw += chunk
                if len(raw) > MAX_REPLY_BYTES:
                    raise ProtocolError(f"SCGI reply larger than {MAX_REPLY_BYTES} bytes; refused")
        except (TimeoutError, asyncio.TimeoutError) as exc:
            raise httpx.ReadTimeout(f"{self.address.describe()} did not reply in time", request=request) from exc
        except OSError as exc:
            raise httpx.ReadError(f"{self.address.describe()}: {exc.strerror or exc}", request=request) from exc
        finally:
            writer.close()
            with contextlib.suppress(OSError):  # the peer already closed: nothing left to release
                await writer.wait_closed()
        return _response(request, bytes(raw))
