"""The TypeScript declarations (docs/schema/enunclic-bridge.d.ts) and what uses them compile with `tsc --strict`:
every TypeScript block of the docs (docs/electron.md's preload and renderer, docs/bridge.md's typed calls) and
the Node scripts (client.mjs, gui.mjs and their bridge.mjs, typed through JSDoc).

TypeScript and Electron's type declarations come from the npm registry, pinned in tests/bridge/node/package-lock.json
(`bash .ci/setup` runs `npm ci` there).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from enunclic.bridge.typescript import declarations

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = Path(__file__).parent / "node"
DECLARATIONS = ROOT / "docs" / "schema" / "enunclic-bridge.d.ts"
#: The pages whose ```ts blocks must compile, and the files they name.
GUIDES = {ROOT / "docs" / "electron.md": {"preload.ts", "renderer.ts"}, ROOT / "docs" / "bridge.md": {"calls.ts"}}

#: Uses of the declarations that must be refused: (line of MISUSE, TypeScript error code).
MISUSE = """\
import type { DeltaNotice, MethodParams, MethodResult, ServerState, Torrent } from "./enunclic-bridge";
declare const notice: DeltaNotice;
export const added: Torrent[] = notice.delta.added;
export const pause: MethodParams<"torrents.pause"> = { server: "nas" };
export type Nuked = MethodResult<"torrents.nuke">;
export const status: ServerState["status"] = "asleep";
export const torrent: Torrent = { id: "t1", name: "n", state: "seeding", native_state: "x", progress: 1 };
"""
EXPECTED_ERRORS = {(3, "TS18047"), (4, "TS2741"), (5, "TS2344"), (6, "TS2322"), (7, "TS2740")}


def typescript_blocks(markdown: str) -> dict[str, str]:
    """The fenced ```ts blocks of a page, by the file name each names on its first line (``// preload.ts``)."""
    blocks = {}
    for block in re.findall(r"^```ts\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL):
        named = re.match(r"// (\S+\.ts)\b", block)
        assert named, f"a ts block of the guide does not start with its file name: {block[:80]!r}"
        blocks[named.group(1)] = block
    return blocks


def _tsc() -> list[str]:
    node = shutil.which("node")
    tsc = NODE_DIR / "node_modules" / "typescript" / "bin" / "tsc"
    if node is None or not tsc.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("node and TypeScript are required in CI (bash .ci/setup installs them)")
        pytest.skip("node or TypeScript is missing: run `npm ci --ignore-scripts` in tests/bridge/node")
    return [node, str(tsc)]


def _doc_sources() -> dict[str, str]:
    sources: dict[str, str] = {}
    for guide in GUIDES:
        sources.update(typescript_blocks(guide.read_text(encoding="utf-8")))
    return sources


@pytest.mark.parametrize("guide", list(GUIDES), ids=lambda path: path.name)
def test_each_guide_names_its_typescript_files(guide: Path) -> None:
    assert set(typescript_blocks(guide.read_text(encoding="utf-8"))) == GUIDES[guide]


def test_declarations_the_docs_and_the_node_client_compile_strict(tmp_path: Path) -> None:
    """One program: what must compile has no error, and each misuse is refused with its own error."""
    tsc = _tsc()
    sources = _doc_sources()
    for name, code in sources.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    (tmp_path / "misuse.ts").write_text(MISUSE, encoding="utf-8")
    shutil.copy(DECLARATIONS, tmp_path / DECLARATIONS.name)  # as a GUI would copy it, imported as ./enunclic-bridge
    (tmp_path / "node_modules").symlink_to(NODE_DIR / "node_modules", target_is_directory=True)
    scripts = [str(NODE_DIR / name) for name in ("client.mjs", "gui.mjs")]  # bridge.mjs comes with their imports
    config = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "target": "es2022",
            "module": "esnext",
            "moduleResolution": "bundler",
            "lib": ["es2022", "dom"],
            "types": ["node"],
            "allowJs": True,
            "checkJs": True,
        },
        "files": [*sources, "misuse.ts", DECLARATIONS.name, *scripts],
    }
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    done = subprocess.run(
        [*tsc, "--strict", "--pretty", "false", "-p", str(tmp_path / "tsconfig.json")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    output = done.stdout + done.stderr
    errors = re.findall(r"^(\S+?)\((\d+),\d+\): error (TS\d+):", output, flags=re.MULTILINE)
    assert {file for file, _, _ in errors} == {"misuse.ts"}, output
    assert {(int(line), code) for _, line, code in errors} == EXPECTED_ERRORS, output
    assert done.returncode != 0


def test_the_generator_refuses_what_it_cannot_express() -> None:
    with pytest.raises(ValueError, match="does not know"):
        declarations({"Thing": {"type": "string", "contentEncoding": "base64"}}, {}, {})
    with pytest.raises(ValueError, match="only local references"):
        declarations({"Thing": {"$ref": "https://example.org/other.json"}}, {}, {})
    with pytest.raises(ValueError, match="used twice"):
        declarations({"Page[T]": {"type": "string"}, "PageT": {"type": "string"}}, {}, {})


def test_the_generator_writes_optional_members_only_where_the_schema_allows() -> None:
    thing = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"id": {"type": "string"}, "limit": {"anyOf": [{"type": "integer"}, {"type": "null"}],
                                                            "default": None, "description": "Bytes/s."}},
        "required": ["id"],
    }
    text = declarations(
        {"Thing": thing, "Mode": {"enum": ["a", "b"], "type": "string"}},
        {"things.get": ({"$ref": "#/$defs/Thing"}, {"type": "array", "items": {"$ref": "#/$defs/Mode"}}, "Get.")},
        {},
    )
    assert "export interface Thing {\n  id: string;\n  /**\n   * Bytes/s.\n   * @default null\n   */\n" in text
    assert "  limit?: number | null;\n}" in text
    assert 'export type Mode = "a" | "b";' in text
    assert '  "things.get": { params: Thing; result: Mode[] };' in text
