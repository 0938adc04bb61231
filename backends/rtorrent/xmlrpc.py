"""XML-RPC bodies for rTorrent: built here, and parsed by expat under defusedxml's guard.

A reply carrying a DTD (the vehicle of entity-expansion bombs and external entities)
is refused before anything is expanded; faults become typed errors via ``codes``.
"""

from __future__ import annotations

import base64
import functools
import re
import sys
import xmlrpc.client
from collections.abc import Mapping, Sequence
from typing import Any
from xml.parsers.expat import ExpatError
from xml.sax.saxutils import escape

import defusedxml
from defusedxml.xmlrpc import DefusedExpatParser

from enunclic.plugin import EnunclicError, InvalidInputError, ProtocolError

from .codes import fault_error

__all__ = ["Fault", "decode_response", "decode_rows", "encode_call", "multicall_items"]

# Characters XML 1.0 cannot carry at all, even escaped.
_FORBIDDEN = r"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_NOT_XML = re.compile(rf"[{_FORBIDDEN}]")
_INT32 = range(-(2**31), 2**31)
_MAX_DEPTH = 32


class Fault:
    """One fault inside a ``system.multicall`` reply (a fault of the whole call raises instead)."""

    __slots__ = ("code", "message")

    def __init__(self, code: int, message: str) -> None:
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"Fault({self.code}, {self.message!r})"

    def error(self) -> EnunclicError:
        """The typed error this fault stands for."""
        return fault_error(self.code, self.message)


def encode_call(method: str, params: Sequence[Any]) -> bytes:
    """``<methodCall>`` for ``method(*params)``; str, int, bool, bytes, lists and str-keyed dicts."""
    values = "".join(f"<param>{_encode(p, 0)}</param>" for p in params)
    return (
        f"<?xml version='1.0'?>\n<methodCall><methodName>{escape(method)}</methodName>"
        f"<params>{values}</params></methodCall>"
    ).encode()


def _encode(value: Any, depth: int) -> str:
    if depth > _MAX_DEPTH:
        raise InvalidInputError("value nested too deeply for XML-RPC")
    if isinstance(value, bool):
        return f"<value><boolean>{int(value)}</boolean></value>"
    if isinstance(value, int):
        return f"<value><{'i4' if value in _INT32 else 'i8'}>{value}</{'i4' if value in _INT32 else 'i8'}></value>"
    if isinstance(value, str):
        if _NOT_XML.search(value):
            raise InvalidInputError("text with control characters cannot be sent to rTorrent")
        return f"<value><string>{escape(value)}</string></value>"
    if isinstance(value, (bytes, bytearray)):
        return f"<value><base64>{base64.b64encode(bytes(value)).decode()}</base64></value>"
    if isinstance(value, (list, tuple)):
        return "<value><array><data>" + "".join(_encode(v, depth + 1) for v in value) + "</data></array></value>"
    if isinstance(value, Mapping):
        members = "".join(
            f"<member><name>{escape(str(k))}</name>{_encode(v, depth + 1)}</member>" for k, v in value.items()
        )
        return f"<value><struct>{members}</struct></value>"
    raise TypeError(f"cannot send {type(value).__name__} over XML-RPC")


def decode_response(body: bytes) -> Any:
    """The value of a ``<methodResponse>``; a fault raises its typed error.

    Parsed by expat (C) feeding the stdlib's XML-RPC unmarshaller, which builds the values
    without an element tree; defusedxml's parser refuses DTDs, entities and external
    references before anything is expanded (a reply with any of them is a ProtocolError).
    """
    if not body.strip():
        raise ProtocolError("empty XML-RPC reply")
    unmarshaller = xmlrpc.client.Unmarshaller(use_builtin_types=True)
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(body)
        parser.close()
        params = unmarshaller.close()
    except xmlrpc.client.Fault as fault:
        if isinstance(fault.faultCode, bool) or not isinstance(fault.faultCode, int):
            raise ProtocolError("malformed XML-RPC fault") from None
        raise fault_error(fault.faultCode, str(fault.faultString)) from None
    except defusedxml.DefusedXmlException as exc:
        raise ProtocolError(f"unsafe XML in the reply refused ({type(exc).__name__})") from None
    except ExpatError:
        raise ProtocolError("the reply is not well-formed XML (an HTML page or a truncated reply?)") from None
    except (xmlrpc.client.ResponseError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        # A well-formed document that is not an XML-RPC reply: unknown types, bad numbers, no methodResponse.
        raise ProtocolError("the reply is not a well-formed XML-RPC methodResponse") from None
    if len(params) != 1:
        raise ProtocolError("the XML-RPC reply has no value")
    return params[0]


# -- an accelerator for the listing reply ------------------------------------------------------
# A ``d.multicall2`` reply is an array of rows of strings and integers. Checked against this
# grammar by one regular expression (in C), then read with a second one, it costs half of what
# expat feeding the stdlib's unmarshaller does (docs/performance.md). Anything else (a fault,
# other types, a DTD or entity, a character reference, an encoding other than UTF-8) does not
# match: the caller then takes :func:`decode_response`, which reads it or reports the precise
# error. The expressions are compiled on first use, and one this Python cannot compile only
# turns the accelerator off: importing this module never depends on them.


@functools.cache
def _grammar() -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """The whole-reply grammar and the token reader, or None where this Python cannot compile them."""
    # Possessive repeats (Python 3.11+) never give back what they matched. No element of the
    # grammar can start where the previous one could end, so plain repeats (3.10) accept the
    # same replies, only with the engine's useless retries.
    once = "+" if sys.version_info >= (3, 11) else ""
    ws = rf"[ \t\r\n]*{once}"
    # Text as XML allows it, with the five predefined entities; no character references, no CR
    # (which XML turns into LF), no character XML 1.0 forbids.
    text = rf"(?:[^<&\r{_FORBIDDEN}]|&(?:amp|lt|gt|quot|apos);)*{once}"
    number = r"[-+]?[0-9]{1,20}"
    value = rf"<value>(?:<string>{text}</string>|<i8>{number}</i8>|<i4>{number}</i4>|<int>{number}</int>)</value>"
    row = rf"<value>{ws}<array>{ws}<data>{ws}(?:{value}{ws})*{once}</data>{ws}</array>{ws}</value>"
    try:
        reply = re.compile(
            # The declaration's quotes pair up, as XML requires: "..." or '...'.
            rf"""{ws}(?:<\?xml version=(?:"1\.0"|'1\.0')(?: encoding=(?:"(?i:utf-8)"|'(?i:utf-8)'))?[ ]?\?>)?{ws}"""
            rf"<methodResponse>{ws}<params>{ws}<param>{ws}<value>{ws}<array>{ws}<data>{ws}(?:{row}{ws})*{once}"
            rf"</data>{ws}</array>{ws}</value>{ws}</param>{ws}</params>{ws}</methodResponse>{ws}"
        )
        # In a reply that matched: the end of a row, a string, or an integer.
        tokens = re.compile(r"(</data>)|<value><string>([^<]*)</string>|<value><i(?:8|4|nt)>([^<]*)<")
    except re.error:
        return None
    return reply, tokens


_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))


def decode_rows(body: bytes, width: int) -> list[list[str | int]] | None:
    """The rows of a listing reply (each ``width`` strings and integers), as
    :func:`decode_response` would read them; None for a reply of any other shape (the caller
    then reads it with :func:`decode_response`)."""
    grammar = _grammar()
    if grammar is None:
        return None
    reply, token = grammar
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "]]>" in text or reply.fullmatch(text) is None:  # "]]>" is not allowed in XML text
        return None
    tokens = token.findall(text)
    tokens.pop()  # the end of the outer array (the grammar put it last)
    rows: list[list[str | int]] = []
    row: list[str | int] = []
    for end, string, number in tokens:
        if end:
            if len(row) != width:
                return None
            rows.append(row)
            row = []
        elif number:
            row.append(int(number))
        else:
            row.append(_unescape(string) if "&" in string else string)
    return rows


def _unescape(text: str) -> str:
    for entity, char in _ENTITIES:  # &amp; last: "&amp;lt;" is the text "&lt;"
        text = text.replace(entity, char)
    return text


def multicall_items(reply: Any, expected: int) -> list[Any]:
    """The per-call results of ``system.multicall``: the value, or a :class:`Fault`."""
    if not isinstance(reply, list) or len(reply) != expected:
        raise ProtocolError(f"system.multicall answered {_shape(reply)} for {expected} calls")
    items: list[Any] = []
    for item in reply:
        if isinstance(item, list) and len(item) == 1:
            items.append(item[0])
        elif isinstance(item, dict) and isinstance(item.get("faultCode"), int):
            items.append(Fault(item["faultCode"], str(item.get("faultString", ""))))
        else:
            raise ProtocolError("system.multicall answered an item that is neither a value nor a fault")
    return items


def _shape(value: Any) -> str:
    return f"{len(value)} items" if isinstance(value, list) else type(value).__name__
