"""The architecture holds (ARCHITECTURE.md): the import contracts pass, and they fail when broken.

`lint-imports` reads the contracts from pyproject.toml: imports run one way (cli, publishing, site
and review apart, content, the shared helpers), no circle of imports inside a package, MkDocs only
in the engine adapters, content free of rendering. The same check on a copy of the package with a
deliberate violation must fail and name it, so the contracts cannot pass by checking nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

# The import contracts, hooks and layout of this repository's source tree: not in an installed wheel.
pytestmark = pytest.mark.source

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "generator")}  # the copy's `playbook_site`, not the installed one
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def copy_of_the_package(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_import_contracts_hold() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("content/units.py", "from ..site import paths", "playbook_site.content is not allowed to import playbook_site.site"),
        ("site/paths.py", "from ..review import reports", "playbook_site.site is not allowed to import playbook_site.review"),
        ("content/kinds.py", "from . import schema", "No circle of imports between the modules of a package BROKEN"),
        ("review/reports.py", "import mkdocs.config", "Only the engine adapters import MkDocs BROKEN"),
        ("content/markup.py", "import jinja2", "Content knows nothing of rendering, engines or git BROKEN"),
    ],
    ids=["content-imports-site", "site-imports-review", "a-circle", "mkdocs-outside-the-adapters", "content-renders"],
)
def test_a_deliberate_violation_breaks_its_contract(tmp_path: Path, module: str, line: str, broken: str) -> None:
    root = copy_of_the_package(tmp_path)
    target = root / "generator" / "playbook_site" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # a deliberate violation\n", encoding="utf-8")
    result = lint_imports(root)
    assert result.returncode != 0
    assert broken in result.stdout, result.stdout[-3000:]


def test_the_contributor_hooks_run_what_make_lint_runs() -> None:
    """.pre-commit-config.yaml runs ruff, ruff format, mypy and the contracts from .venv, as `make lint` does."""
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = {hook["id"]: hook["entry"] for repo in config["repos"] for hook in repo["hooks"]}
    assert entries["ruff"].startswith(".venv/bin/ruff check") and entries["ruff-format"].startswith(".venv/bin/ruff format")
    assert entries["mypy"] == ".venv/bin/mypy generator" and entries["import-contracts"].startswith(".venv/bin/lint-imports")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    for tool in ("ruff check", "ruff format --check", "mypy generator", "lint-imports"):
        assert tool in lint, tool
