"""JSON Schemas of every request, reply and notification, and TypeScript declarations, from the models.

What the bridge sends (results, notifications, replies) is described as it goes out: every member it
always writes is ``required``. What a GUI sends (params, requests) is described as the bridge accepts
it: members with a default are optional. Every model is defined once, in ``definitions.json``, which
the other files ``$ref``.

``python -m enunclic.bridge.schema docs/schema`` rewrites the checked-in files;
``--check`` exits 1 when they drift from the models (the test suite does the same).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from .methods import METHODS, NOTIFICATIONS
from .protocol import PROTOCOL_VERSION, ErrorData, ErrorResponse, Notification, Request, Response
from .server import ERROR_DATA_WHEN_SET
from .typescript import declarations

__all__ = ["DEFINITIONS", "TYPESCRIPT", "check", "generate", "main", "write"]

_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
_LOCAL_REF: Final = "#/$defs/"

#: The file every other schema refers to for its models.
DEFINITIONS: Final = "definitions.json"
#: The TypeScript declarations generated from the schemas.
TYPESCRIPT: Final = "enunclic-bridge.d.ts"

Mode = Literal["validation", "serialization"]

#: The JSON-RPC envelopes: what a GUI sends (validation) and what the bridge sends (serialization).
_ENVELOPES: Final[tuple[tuple[str, type[BaseModel], Mode], ...]] = (
    ("envelope/request.json", Request, "validation"),
    ("envelope/response.json", Response, "serialization"),
    ("envelope/error-response.json", ErrorResponse, "serialization"),
    ("envelope/notification.json", Notification, "serialization"),
)


class WireSchema(GenerateJsonSchema):
    """In serialization mode a member is required unless the model may leave it out: the bridge writes
    every field of what it sends, defaults included."""

    def field_is_required(
        self,
        field: core_schema.ModelField | core_schema.DataclassField | core_schema.TypedDictField,
        total: bool,
    ) -> bool:
        if self.mode == "serialization":
            return field.get("serialization_exclude_if") is None
        return super().field_is_required(field, total)


def _relocated(node: Any, prefix: str) -> Any:
    """``node`` with its local ``$ref``s pointing into ``prefix`` (the definitions file, seen from elsewhere)."""
    if isinstance(node, dict):
        return {
            key: prefix + value if key == "$ref" and value.startswith(_LOCAL_REF) else _relocated(value, prefix)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_relocated(item, prefix) for item in node]
    return node


def _summary(text: str | None, fallback: str) -> str:
    """The first paragraph of a docstring, on one line."""
    return " ".join((text or fallback).strip().split("\n\n")[0].split())


def _models() -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Every schema by its future path, with local refs, and the shared definitions."""
    inputs: list[tuple[str, Mode, TypeAdapter[Any]]] = []
    for name, method in sorted(METHODS.items()):
        inputs.append((f"methods/{name}.params.json", "validation", TypeAdapter(method.params)))
        inputs.append((f"methods/{name}.result.json", "serialization", TypeAdapter(method.result)))
    for name, model in sorted(NOTIFICATIONS.items()):
        inputs.append((f"notifications/{name}.json", "serialization", TypeAdapter(model)))
    inputs.extend((path, mode, TypeAdapter(envelope)) for path, envelope, mode in _ENVELOPES)
    keyed, shared = TypeAdapter.json_schemas(inputs, ref_template=_LOCAL_REF + "{model}", schema_generator=WireSchema)
    definitions: dict[str, Any] = shared.get("$defs", {})
    # An error's data leaves out what does not apply to it (server._error_reply).
    error_data = definitions[ErrorData.__name__]
    error_data["required"] = [name for name in error_data["required"] if name not in ERROR_DATA_WHEN_SET]
    return {path: schema for (path, _mode), schema in keyed.items()}, definitions


def _document(schema: dict[str, Any], title: str, description: str) -> dict[str, Any]:
    return {"$schema": _DIALECT, **_relocated(schema, "../" + DEFINITIONS), "title": title, "description": description}


def generate() -> dict[str, str]:
    """The text of every file by relative path: the schemas, the index and the TypeScript declarations."""
    schemas, definitions = _models()
    documents: dict[str, dict[str, Any]] = {
        DEFINITIONS: {
            "$schema": _DIALECT,
            "$defs": definitions,
            "title": "enunclic bridge definitions",
            "description": "Every model of the bridge's messages, referred to by the other schemas.",
        }
    }
    index: dict[str, Any] = {
        "protocol": PROTOCOL_VERSION,
        "framing": "ndjson",
        "definitions": DEFINITIONS,
        "typescript": TYPESCRIPT,
        "methods": {},
        "notifications": {},
    }
    for name, method in sorted(METHODS.items()):
        params_file, result_file = f"methods/{name}.params.json", f"methods/{name}.result.json"
        documents[params_file] = _document(schemas[params_file], f"{name} params", method.summary)
        documents[result_file] = _document(schemas[result_file], f"{name} result", method.summary)
        index["methods"][name] = {
            "summary": method.summary,
            "params": params_file,
            "result": result_file,
            # What a server must report for the method to work (bridge.info's method_capabilities).
            "capabilities": [need.model_dump(exclude={"method"}) for need in method.needs(name)],
        }
    for name, model in sorted(NOTIFICATIONS.items()):
        path = f"notifications/{name}.json"
        documents[path] = _document(schemas[path], f"{name} params", _summary(model.__doc__, name))
        index["notifications"][name] = {"params": path}
    for path, envelope, _mode in _ENVELOPES:
        documents[path] = _document(schemas[path], envelope.__name__, _summary(envelope.__doc__, path))
    documents["index.json"] = index
    files = {path: _text(document) for path, document in documents.items()}
    files[TYPESCRIPT] = declarations(
        definitions,
        methods={
            name: (schemas[f"methods/{name}.params.json"], schemas[f"methods/{name}.result.json"], method.summary)
            for name, method in sorted(METHODS.items())
        },
        notifications={
            name: (schemas[f"notifications/{name}.json"], _summary(model.__doc__, name))
            for name, model in sorted(NOTIFICATIONS.items())
        },
    )
    return files


def _text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _present(directory: Path) -> set[str]:
    """The generated files found under ``directory``."""
    found = [*directory.glob("**/*.json"), *directory.glob("**/*.d.ts")]
    return {path.relative_to(directory).as_posix() for path in found}


def write(directory: Path) -> list[str]:
    """Write every file under ``directory``, removing stale ones; returns the paths written."""
    files = generate()
    for stale in _present(directory) - set(files):
        (directory / stale).unlink()
    for relative, text in files.items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return sorted(files)


def check(directory: Path) -> list[str]:
    """What differs between ``directory`` and the models: missing, stale or changed files."""
    files = generate()
    problems = []
    present = _present(directory)
    for relative, text in sorted(files.items()):
        if relative not in present:
            problems.append(f"missing: {relative}")
        elif (directory / relative).read_text(encoding="utf-8") != text:
            problems.append(f"changed: {relative}")
    problems.extend(f"stale: {extra}" for extra in sorted(present - set(files)))
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """``schema DIR`` writes, ``schema --check DIR`` verifies."""
    args = list(sys.argv[1:] if argv is None else argv)
    checking = "--check" in args
    rest = [a for a in args if a != "--check"]
    if len(rest) != 1:
        print("usage: python -m enunclic.bridge.schema [--check] DIRECTORY", file=sys.stderr)
        return 2
    directory = Path(rest[0])
    if checking:
        problems = check(directory)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    print(f"wrote {len(write(directory))} files to {directory}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
