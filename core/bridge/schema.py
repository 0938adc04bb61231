"""JSON Schemas of every request, reply and notification, generated from the models.

``python -m enunclic.bridge.schema docs/schema`` rewrites the checked-in files;
``--check`` exits 1 when they drift from the models (the test suite does the same).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter

from .methods import METHODS, NOTIFICATIONS
from .protocol import PROTOCOL_VERSION, ErrorResponse, Notification, Request, Response

__all__ = ["check", "generate", "main", "write"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _document(schema: dict[str, Any], title: str, description: str) -> dict[str, Any]:
    return {"$schema": _DIALECT, **schema, "title": title, "description": description}


def generate() -> dict[str, dict[str, Any]]:
    """Every schema file by relative path."""
    files: dict[str, dict[str, Any]] = {}
    index: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "framing": "ndjson", "methods": {}, "notifications": {}}
    for name, method in sorted(METHODS.items()):
        params_file, result_file = f"methods/{name}.params.json", f"methods/{name}.result.json"
        files[params_file] = _document(
            method.params.model_json_schema(mode="validation"), f"{name} params", method.summary
        )
        files[result_file] = _document(
            TypeAdapter(method.result).json_schema(mode="serialization"), f"{name} result", method.summary
        )
        index["methods"][name] = {"summary": method.summary, "params": params_file, "result": result_file}
    for name, model in sorted(NOTIFICATIONS.items()):
        path = f"notifications/{name}.json"
        files[path] = _document(
            model.model_json_schema(mode="serialization"),
            f"{name} params",
            (model.__doc__ or name).strip().splitlines()[0],
        )
        index["notifications"][name] = {"params": path}
    for path, model in (
        ("envelope/request.json", Request),
        ("envelope/response.json", Response),
        ("envelope/error-response.json", ErrorResponse),
        ("envelope/notification.json", Notification),
    ):
        mode: Literal["validation", "serialization"] = "validation" if model is Request else "serialization"
        files[path] = _document(
            model.model_json_schema(mode=mode), model.__name__, (model.__doc__ or "").strip().splitlines()[0]
        )
    files["index.json"] = index
    return files


def _text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(directory: Path) -> list[str]:
    """Write every schema under ``directory``, removing stale ones; returns the paths written."""
    files = generate()
    for stale in directory.glob("**/*.json"):
        if stale.relative_to(directory).as_posix() not in files:
            stale.unlink()
    for relative, document in files.items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_text(document), encoding="utf-8")
    return sorted(files)


def check(directory: Path) -> list[str]:
    """What differs between ``directory`` and the models: missing, stale or changed files."""
    files = generate()
    problems = []
    present = {p.relative_to(directory).as_posix() for p in directory.glob("**/*.json")}
    for relative, document in sorted(files.items()):
        path = directory / relative
        if relative not in present:
            problems.append(f"missing: {relative}")
        elif path.read_text(encoding="utf-8") != _text(document):
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
    print(f"wrote {len(write(directory))} schemas to {directory}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
