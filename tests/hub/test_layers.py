"""The layers of docs/development.md hold: import-linter passes on the plugin, and fails as
soon as a lower layer imports a higher one."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root):
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout + result.stderr


def test_the_plugin_keeps_its_layers():
    returncode, output = lint_imports(REPO)
    assert returncode == 0, output
    assert "1 kept, 0 broken" in output


def test_an_upward_import_breaks_the_contract(tmp_path):
    shutil.copytree(REPO / "omni_plugin", tmp_path / "omni_plugin")
    shutil.copy(REPO / "setup.cfg", tmp_path / "setup.cfg")
    lookup = tmp_path / "omni_plugin" / "geo" / "lookup.py"
    lookup.write_text(lookup.read_text() + "\nfrom omni_plugin.banners import choice  # noqa\n")

    returncode, output = lint_imports(tmp_path)

    assert returncode != 0, output
    assert "omni_plugin.geo is not allowed to import omni_plugin.banners" in output
