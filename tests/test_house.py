"""The house stays small and plain (issue 26): no private name crosses a module, and no dead code.

- A module's private names (`_name`) are its own: no `from .x import _name` and no `x._name` where
  `x` is one of the package's modules (or a name imported from one).
- `vulture` finds no dead code at 80% confidence; the few names it cannot see used (parameters a
  caller passes by name) are listed with their reason under `[tool.vulture]` in pyproject.toml.

Each check is also run on a planted violation, so it cannot pass by checking nothing.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "generator" / "playbook_site"
VULTURE = Path(sys.executable).with_name("vulture")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_names_crossing(source: str, where: str) -> list[str]:
    """Each use in `source` of another of the package's modules' private names, as `where:line: what`."""
    tree = ast.parse(source)
    imported: set[str] = set()  # the package's modules (and names) this module imported
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("playbook_site")):
            for alias in node.names:
                imported.add(alias.asname or alias.name)
                if _private(alias.name):
                    found.append(f"{where}:{node.lineno}: from {'.' * node.level}{node.module or ''} import {alias.name}")
        elif isinstance(node, ast.Import):
            imported.update((a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("playbook_site"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imported:
            if _private(node.attr):
                found.append(f"{where}:{node.lineno}: {node.value.id}.{node.attr}")
    return sorted(found, key=lambda hit: int(hit.split(":")[1]))


def test_no_private_name_crosses_a_module() -> None:
    found = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        for hit in private_names_crossing(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    ]
    assert found == []


def test_the_private_name_check_finds_both_forms() -> None:
    planted = "from .yaml_reader import _Loader, Reader\nfrom . import slips\nfrom os import _exit\nx = slips._short(1)\ny = Reader._open\n"
    assert private_names_crossing(planted, "m.py") == [
        "m.py:1: from .yaml_reader import _Loader",
        "m.py:4: slips._short",
        "m.py:5: Reader._open",
    ]


def vulture(root: Path) -> subprocess.CompletedProcess[str]:
    """vulture as configured in `root`'s pyproject.toml (paths, confidence, the names it may ignore)."""
    return subprocess.run([str(VULTURE)], cwd=root, capture_output=True, text=True, timeout=300)


def test_vulture_finds_no_dead_code() -> None:
    result = vulture(REPO)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_vulture_finds_a_planted_dead_function(tmp_path: Path) -> None:
    shutil.copytree(PACKAGE, tmp_path / "generator" / "playbook_site", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    text = tmp_path / "generator" / "playbook_site" / "text.py"
    text.write_text(
        text.read_text(encoding="utf-8") + "\n\ndef never_called():\n    return 1\n    print('after')\n", encoding="utf-8"
    )
    result = vulture(tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "generator/playbook_site/text.py" in result.stdout and "unreachable code after 'return'" in result.stdout
