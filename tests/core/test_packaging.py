"""The wheel: built from the repo, installed in a fresh venv, imports as one namespace with every backend."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from enunclic import plugins

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import importlib.util, json, sys
import enunclic
from enunclic.plugins import built_in_plugins
assert importlib.util.find_spec("core") is None, "a top-level 'core' package is installed"
assert importlib.util.find_spec("backends") is None, "a top-level 'backends' package is installed"
print(json.dumps({"backends": sorted(enunclic.get_backends()), "defaults": list(built_in_plugins()),
                  "typed": importlib.resources.files("enunclic").joinpath("py.typed").is_file()}))
"""


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT / "tests/plugins/enunclic_memory")],
        check=True,
        capture_output=True,
    )
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python = env_dir / "bin" / "python"
    wheels = sorted(str(p) for p in dist.glob("*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "-q", *wheels], check=True, capture_output=True)
    result = subprocess.run(
        [str(python), "-c", "import importlib.resources\n" + CHECK],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = __import__("json").loads(result.stdout)
    built_ins = {module.rsplit(".", 1)[1] for module in plugins.built_in_plugins()}
    assert built_ins == {p.parent.name for p in (ROOT / "backends").glob("*/__init__.py")}
    assert report["typed"] is True
    assert report["defaults"] == list(plugins.built_in_plugins())
    assert set(report["backends"]) == built_ins | {"memory"}
