"""TypeScript declarations from the bridge's JSON Schemas (``docs/schema/enunclic-bridge.d.ts``).

A small generator for the schemas pydantic writes for the bridge's models, nothing wider: a keyword
it does not know is an error, never a silently wrong type. Each definition becomes an exported
interface or type of the same name; ``BridgeMethods`` maps every method to its params and result, and
``BridgeNotifications`` every notification to its params, so a GUI's ``call<M>()`` is typed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["declarations"]

_LOCAL_REF: Final = "#/$defs/"
_IDENTIFIER: Final = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
#: Keywords that say nothing TypeScript can check (constraints, formats, documentation).
_ANNOTATIONS: Final = frozenset(
    {
        "title", "description", "default", "examples", "format", "deprecated", "readOnly", "writeOnly",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
        "minProperties", "maxProperties", "propertyNames",
    }
)  # fmt: skip
_SCALARS: Final = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "null": "null"}
#: Names the generator writes itself; a model of one of these names would clash.
_OWN_NAMES: Final = frozenset(
    {"BridgeMethods", "MethodName", "MethodParams", "MethodResult",
     "BridgeNotifications", "NotificationName", "NotificationParams", "NotificationMessage"}
)  # fmt: skip

_NO_DEFAULT: Final = object()

_HEADER: Final = """\
// TypeScript declarations of the enunclic bridge's messages (JSON-RPC 2.0 over NDJSON, docs/bridge.md).
// Generated from docs/schema/ by `python -m enunclic.bridge.schema docs/schema`: do not edit.
// What the bridge sends has every member it always writes; what a GUI sends (params) has optional
// members where the bridge has a default.
"""

_MAPS: Final = """\
export type MethodName = keyof BridgeMethods;
export type MethodParams<M extends MethodName> = BridgeMethods[M]["params"];
export type MethodResult<M extends MethodName> = BridgeMethods[M]["result"];

export type NotificationName = keyof BridgeNotifications;
export type NotificationParams<N extends NotificationName> = BridgeNotifications[N];
/** Any notification message, narrowed by its `method`. */
export type NotificationMessage = {
  [N in NotificationName]: { jsonrpc: "2.0"; method: N; params: BridgeNotifications[N] };
}[NotificationName];
"""


def _type_name(name: str) -> str:
    """A definition's name as a TypeScript identifier (pydantic may write ``Model-Output``, ``Page_T_``)."""
    cleaned = re.sub(r"[^A-Za-z0-9_$]", "", name)
    if not _IDENTIFIER.fullmatch(cleaned):
        raise ValueError(f"no TypeScript name for the definition {name!r}")
    return cleaned


def _key(name: str) -> str:
    return name if _IDENTIFIER.fullmatch(name) else json.dumps(name)


def _doc(text: str | None, indent: str, default: Any = _NO_DEFAULT) -> list[str]:
    """A JSDoc comment (nothing without text or default)."""
    lines = (text or "").strip().splitlines()
    if default is not _NO_DEFAULT:
        lines.append(f"@default {json.dumps(default, sort_keys=True)}")
    if not lines:
        return []
    lines = [line.rstrip().replace("*/", "*\\/") for line in lines]
    if len(lines) == 1:
        return [f"{indent}/** {lines[0]} */"]
    return [f"{indent}/**", *(f"{indent} * {line}".rstrip() for line in lines), f"{indent} */"]


def _union(members: list[str]) -> str:
    unique = list(dict.fromkeys(members))
    return unique[0] if len(unique) == 1 else " | ".join(unique)


def _array(item: str) -> str:
    return f"({item})[]" if " " in item else f"{item}[]"


def _check_keywords(schema: Mapping[str, Any], known: set[str]) -> None:
    unknown = set(schema) - known - _ANNOTATIONS
    if unknown:
        raise ValueError(f"the TypeScript generator does not know the keyword(s) {sorted(unknown)}: {schema}")


def _expression(schema: Any, indent: str) -> str:
    """The TypeScript type of a (sub)schema."""
    if schema is True or schema == {}:
        return "unknown"
    if not isinstance(schema, Mapping):
        raise ValueError(f"not a schema: {schema!r}")
    if "$ref" in schema:
        _check_keywords(schema, {"$ref"})
        ref = schema["$ref"]
        if not ref.startswith(_LOCAL_REF):
            raise ValueError(f"only local references are supported: {ref}")
        return _type_name(ref.removeprefix(_LOCAL_REF))
    if "const" in schema:
        _check_keywords(schema, {"const", "type"})
        return json.dumps(schema["const"])
    if "enum" in schema:
        _check_keywords(schema, {"enum", "type"})
        return _union([json.dumps(value) for value in schema["enum"]])
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            _check_keywords(schema, {combinator})
            parts = [_expression(member, indent) for member in schema[combinator]]
            if combinator == "allOf":
                return parts[0] if len(parts) == 1 else " & ".join(f"({part})" for part in parts)
            return _union(parts)
    kind = schema.get("type")
    if isinstance(kind, list):
        return _union([_expression({**schema, "type": one}, indent) for one in kind])
    if kind in _SCALARS:
        _check_keywords(schema, {"type"})
        return _SCALARS[kind]
    if kind == "array":
        _check_keywords(schema, {"type", "items"})
        return _array(_expression(schema.get("items", True), indent))
    if kind == "object" or "properties" in schema:
        return _object(schema, indent)
    if kind is None and set(schema) <= _ANNOTATIONS:
        return "unknown"
    raise ValueError(f"the TypeScript generator cannot express {schema}")


_OBJECT_KEYWORDS: Final = {"type", "properties", "required", "additionalProperties"}


def _object(schema: Mapping[str, Any], indent: str) -> str:
    _check_keywords(schema, _OBJECT_KEYWORDS)
    extra = schema.get("additionalProperties", True)
    if not schema.get("properties"):
        return "Record<string, never>" if extra is False else f"{{ [key: string]: {_expression(extra, indent)} }}"
    return "{\n" + "\n".join(_members(schema, indent + "  ")) + f"\n{indent}}}"


def _members(schema: Mapping[str, Any], indent: str) -> list[str]:
    """One line per property (optional where not required), then other members if the object is open."""
    required = set(schema.get("required", ()))
    lines: list[str] = []
    for name, member in schema["properties"].items():
        optional = name not in required
        default = member["default"] if optional and "default" in member else _NO_DEFAULT
        lines.extend(_doc(member.get("description"), indent, default))
        lines.append(f"{indent}{_key(name)}{'?' if optional else ''}: {_expression(member, indent)};")
    extra = schema.get("additionalProperties", True)
    if extra is not False:
        if _expression(extra, indent) != "unknown":  # TypeScript wants every property to fit the index type
            raise ValueError(f"an object with properties and typed other members: {schema}")
        lines.append(f"{indent}[key: string]: unknown;")
    return lines


def _definition(name: str, schema: Mapping[str, Any]) -> list[str]:
    lines = _doc(schema.get("description"), "")
    if schema.get("properties"):
        _check_keywords(schema, _OBJECT_KEYWORDS)
        return [*lines, f"export interface {name} {{", *_members(schema, "  "), "}"]
    return [*lines, f"export type {name} = {_expression(schema, '')};"]


def _map(name: str, doc: str, entries: list[tuple[str, str, str]]) -> str:
    """An interface from names (method or notification) to types, each with its summary."""
    lines = [f"/** {doc} */", f"export interface {name} {{"]
    for key, summary, type_ in entries:
        lines.extend(_doc(summary, "  "))
        lines.append(f"  {json.dumps(key)}: {type_};")
    return "\n".join([*lines, "}"]) + "\n"


def declarations(
    definitions: Mapping[str, Any],
    methods: Mapping[str, tuple[Any, Any, str]],
    notifications: Mapping[str, tuple[Any, str]],
) -> str:
    """The ``.d.ts`` text: every definition, then the method and notification maps.

    ``methods`` maps a method name to (params schema, result schema, summary), ``notifications`` a
    notification to (params schema, summary); schemas refer to the definitions with ``#/$defs/<name>``.
    """
    names = [_type_name(name) for name in definitions]
    clashes = (set(names) & _OWN_NAMES) | {name for name in names if names.count(name) > 1}
    if clashes:
        raise ValueError(f"TypeScript names used twice: {sorted(clashes)}")
    blocks = [_HEADER]
    blocks.extend("\n".join(_definition(_type_name(name), definitions[name])) + "\n" for name in sorted(definitions))
    blocks.append(
        _map(
            "BridgeMethods",
            "Every method the bridge answers: its params and its result.",
            [
                (name, summary, f"{{ params: {_expression(params, '  ')}; result: {_expression(result, '  ')} }}")
                for name, (params, result, summary) in methods.items()
            ],
        )
    )
    blocks.append(
        _map(
            "BridgeNotifications",
            "Every notification the bridge sends: its params.",
            [(name, summary, _expression(params, "  ")) for name, (params, summary) in notifications.items()],
        )
    )
    blocks.append(_MAPS)
    return "\n".join(blocks)
