"""`playbook upgrade`: moving a playbook repository to a newer playbook-site is one version line where a
person types it (their install command); the automation is rewritten to the running tool
(generator/playbook_site/publishing/upgrade.py, cli/init.py).

The expectation is what `playbook init` of the new release writes: a repository made by an older
release and then upgraded has the same workflows, hooks, lock and README as one made new, and keeps
every edit of its own outside the lines the upgrade owns.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from playbook_site import __version__
from playbook_site.publishing.starter import LOCK_PATH, dependency_lock, starter_files

TODAY = date(2026, 11, 23)
OLD_VERSION = "0.2.0"
OLD_TOOL = f"playbook-site=={OLD_VERSION}"
NEW_TOOL = f"playbook-site=={__version__}"
OLD_LOCK = "# the dependencies of an older release\nmkdocs==1.6.0 \\\n    --hash=sha256:" + "0" * 64 + "\n"
AUTOMATION = [
    ".github/workflows/playbook-pr-build.yml",
    ".github/workflows/playbook-pull-request.yml",
    ".github/workflows/publish.yml",
    ".pre-commit-config.yaml",
    "README.md",
    LOCK_PATH,
]


def made_by(version: str, tool: str) -> dict[str, bytes]:
    return starter_files("blank", organization="Contoso", today=TODAY, version=version, tool=tool)


@pytest.fixture
def old_repository(tmp_path: Path) -> Path:
    """A repository `playbook init` of release 0.2.0 wrote (its tool and its lock)."""
    root = tmp_path / "playbook"
    for rel, data in made_by(OLD_VERSION, OLD_TOOL).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root / LOCK_PATH).write_text(OLD_LOCK, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def installs(root: Path) -> set[str]:
    """Every tool requirement and release the automation names, read as YAML (not as text)."""
    found: set[str] = set()
    for name in ("playbook-pr-build.yml", "playbook-pull-request.yml", "publish.yml"):
        env = yaml.safe_load((root / ".github" / "workflows" / name).read_text(encoding="utf-8"))["env"]
        found |= {f"tool {env['PLAYBOOK_TOOL']}", f"version {env['PLAYBOOK_VERSION']}"}
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    found |= {f"hook {dependency}" for hook in hooks for dependency in hook["additional_dependencies"]}
    return found


def test_an_upgraded_repository_has_what_init_of_the_new_release_writes(old_repository: Path) -> None:
    assert installs(old_repository) == {f"tool {OLD_TOOL}", f"version {OLD_VERSION}", f"hook {OLD_TOOL}"}
    result = run_cli("upgrade", "--tool-source", __version__, cwd=old_repository)
    assert result.exit_code == 0, result.output
    assert installs(old_repository) == {f"tool {NEW_TOOL}", f"version {__version__}", f"hook {NEW_TOOL}"}
    fresh = made_by(__version__, NEW_TOOL)
    for rel in AUTOMATION:
        assert (old_repository / rel).read_bytes() == fresh[rel], rel
    assert (old_repository / LOCK_PATH).read_text(encoding="utf-8") == dependency_lock()
    # Each rewritten line is shown before and after; the lock is said to be replaced whole.
    assert f'-   PLAYBOOK_TOOL: "{OLD_TOOL}"' in result.output.replace("  - ", "-   ")
    assert f'PLAYBOOK_VERSION: "{__version__}"' in result.output
    assert f"{LOCK_PATH}: replaced by the dependencies of playbook-site {__version__}" in result.output
    assert f"the automation now installs {NEW_TOOL}" in result.output


def test_the_second_run_changes_nothing(old_repository: Path) -> None:
    assert run_cli("upgrade", "--tool-source", __version__, cwd=old_repository).exit_code == 0
    before = snapshot(old_repository)
    result = run_cli("upgrade", "--tool-source", __version__, cwd=old_repository)
    assert (result.exit_code, snapshot(old_repository)) == (0, before)
    assert result.output.startswith(f"Nothing to change: the automation installs {NEW_TOOL} already")


def test_a_dry_run_shows_the_lines_and_writes_nothing(old_repository: Path) -> None:
    before = snapshot(old_repository)
    result = run_cli("upgrade", "--tool-source", __version__, "--dry-run", cwd=old_repository)
    assert result.exit_code == 0, result.output
    assert snapshot(old_repository) == before
    assert "Dry run: 6 files would change; nothing was written." in result.output
    assert result.output.count(f'+ PLAYBOOK_TOOL: "{NEW_TOOL}"') == 3


def test_the_companys_own_edits_stay(old_repository: Path) -> None:
    workflow = old_repository / ".github" / "workflows" / "publish.yml"
    text = workflow.read_text(encoding="utf-8")
    edited = text.replace("jobs:\n", "# Our own note: publishing runs after the quarterly review.\njobs:\n", 1)
    assert edited != text
    workflow.write_text(edited, encoding="utf-8")
    assert run_cli("upgrade", "--tool-source", __version__, cwd=old_repository).exit_code == 0
    upgraded = workflow.read_text(encoding="utf-8")
    assert "# Our own note: publishing runs after the quarterly review.\njobs:\n" in upgraded
    fresh = made_by(__version__, NEW_TOOL)[".github/workflows/publish.yml"].decode("utf-8")
    assert upgraded == fresh.replace("jobs:\n", "# Our own note: publishing runs after the quarterly review.\njobs:\n", 1)


def test_a_source_with_quotes_is_written_as_yaml_reads_it(old_repository: Path) -> None:
    """A tool source is a requirement pip accepts; whatever it holds, YAML reads back exactly it."""
    source = "git+https://git.example.com/revops/playbook-site@v0.3.0#egg=playbook-site"
    assert run_cli("upgrade", "--tool-source", source, cwd=old_repository).exit_code == 0
    tool = f"playbook-site @ {source}"
    assert installs(old_repository) == {f"tool {tool}", f"version {__version__}", f"hook {tool}"}


def test_a_workflow_without_the_tool_line_is_named_and_nothing_is_written(old_repository: Path) -> None:
    workflow = old_repository / ".github" / "workflows" / "playbook-pr-build.yml"
    lines = workflow.read_text(encoding="utf-8").splitlines(keepends=True)
    workflow.write_text("".join(line for line in lines if "PLAYBOOK_TOOL:" not in line), encoding="utf-8")
    before = snapshot(old_repository)
    result = run_cli("upgrade", "--tool-source", __version__, cwd=old_repository)
    assert result.exit_code == 2
    assert ".github/workflows/playbook-pr-build.yml has no PLAYBOOK_TOOL line" in result.output
    assert f'PLAYBOOK_TOOL: "{NEW_TOOL}"' in result.output  # what to set by hand
    assert snapshot(old_repository) == before


def test_a_linked_lock_is_refused_and_nothing_is_written(old_repository: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("not yours\n", encoding="utf-8")
    (old_repository / LOCK_PATH).unlink()
    os.symlink(outside, old_repository / LOCK_PATH)
    before = snapshot(old_repository)
    result = run_cli("upgrade", "--tool-source", __version__, cwd=old_repository)
    assert result.exit_code == 2
    assert f"{LOCK_PATH} is a link" in result.output
    assert snapshot(old_repository) == before
    assert outside.read_text(encoding="utf-8") == "not yours\n"


def test_a_folder_without_the_automation_is_told_where_to_run_it(tmp_path: Path) -> None:
    result = run_cli("upgrade", "--tool-source", __version__, cwd=tmp_path)
    assert result.exit_code == 2
    assert "run `playbook upgrade` at the root of a playbook repository" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_local_install_is_not_written_into_the_automation(old_repository: Path) -> None:
    before = snapshot(old_repository)
    result = run_cli("upgrade", "--tool-source", "./dist/playbook_site-0.3.0-py3-none-any.whl", cwd=old_repository)
    assert result.exit_code == 2
    assert "is on this machine" in result.output
    assert snapshot(old_repository) == before
