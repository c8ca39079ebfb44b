"""`pip install .` installs the command, the plugin and the bundled templates."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return next(out.glob("*.whl"))


def test_wheel_registers_command_and_plugin_and_ships_templates(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "playbook = playbook_site.cli:main" in entry_points
    assert "playbook = playbook_site.site.mkdocs_plugin:PlaybookPlugin" in entry_points
    shipped = {Path(n).name for n in names if n.startswith("playbook_site/templates/")}
    assert shipped == {p.name for p in (REPO / "templates").glob("*.j2")}
    assert "playbook_site/site/assets/playbook.css" in names


def test_installed_package_renders_with_its_own_templates(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    result = subprocess.run(
        [sys.executable, "-c", "import playbook_site.site.render as r; print(r.default_templates_dir())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(result.stdout.strip()) == target / "playbook_site" / "templates"
    out = tmp_path / "pages"
    generated = subprocess.run(
        [sys.executable, "-m", "playbook_site.cli", "generate", "--out", str(out), "--content", str(DEFAULT_CONTENT)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert generated.returncode == 0, generated.stderr
    page = (out / "docs" / "roles" / "account-executive.md").read_text(encoding="utf-8")
    assert '<h1 id="account-executive-ae">Account Executive (' in page
