"""XML-RPC bodies for rTorrent: built here, and parsed only after defusedxml accepted them.

A reply carrying a DTD (the vehicle of entity-expansion bombs and external entities)
is refused before anything is expanded; faults become typed errors via ``codes``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape

import defusedxml
import defusedxml.ElementTree

from enunclic import InvalidInputError, ProtocolError

from .codes import fault_error

__all__ = ["Fault", "decode_response", "encode_call", "multicall_items"]

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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

    DTDs, entities and external references are refused by defusedxml: a reply
    with any of them is a :class:`ProtocolError` and nothing is expanded.
    """
    if not body.strip():
        raise ProtocolError("empty XML-RPC reply")
    try:
        root = defusedxml.ElementTree.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise ProtocolError(f"unsafe XML in the reply refused ({type(exc).__name__})") from None
    except ParseError:
        raise ProtocolError("the reply is not well-formed XML (an HTML page or a truncated reply?)") from None
    if _local(root.tag) != "methodResponse":
        raise ProtocolError(f"expected an XML-RPC methodResponse, got <{_local(root.tag)}>")
    fault = root.find("fault")
    if fault is not None:
        parsed = _fault(fault.find("value"))
        raise fault_error(parsed.code, parsed.message)
    value = root.find("params/param/value")
    if value is None:
        raise ProtocolError("the XML-RPC reply has no value")
    return _decode(value, 0)


def _fault(value: Element | None) -> Fault:
    data = _decode(value, 0) if value is not None else None
    if not isinstance(data, dict) or not isinstance(data.get("faultCode"), int):
        raise ProtocolError("malformed XML-RPC fault")
    return Fault(data["faultCode"], str(data.get("faultString", "")))


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


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", maxsplit=1)[-1]


def _decode(value: Element, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise ProtocolError("XML-RPC value nested too deeply")
    children = list(value)
    if not children:
        return value.text or ""  # untyped value: a string
    if len(children) != 1:
        raise ProtocolError("an XML-RPC value holds more than one element")
    node = children[0]
    kind = _local(node.tag)
    text = (node.text or "").strip()
    if kind in ("i4", "i8", "int"):
        if not re.fullmatch(r"[+-]?\d{1,20}", text):
            raise ProtocolError(f"bad XML-RPC integer {text[:30]!r}")
        return int(text)
    if kind == "string":
        return node.text or ""
    if kind == "boolean":
        if text not in ("0", "1"):
            raise ProtocolError(f"bad XML-RPC boolean {text!r}")
        return text == "1"
    if kind == "double":
        try:
            return float(text)
        except ValueError:
            raise ProtocolError(f"bad XML-RPC double {text[:30]!r}") from None
    if kind == "nil":
        return None
    if kind == "dateTime.iso8601":
        return text
    if kind == "base64":
        try:
            return base64.b64decode(text, validate=False)
        except binascii.Error:
            raise ProtocolError("bad base64 in an XML-RPC reply") from None
    if kind == "array":
        return [_decode(v, depth + 1) for v in node.findall("data/value")]
    if kind == "struct":
        result: dict[str, Any] = {}
        for member in node.findall("member"):
            name, item = member.find("name"), member.find("value")
            if name is None or item is None:
                raise ProtocolError("an XML-RPC struct member lacks a name or a value")
            result[name.text or ""] = _decode(item, depth + 1)
        return result
    raise ProtocolError(f"unknown XML-RPC type <{kind}>")
