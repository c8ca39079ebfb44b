"""Shared fixtures: real files in tmp_path, the real CLI, real MkDocs builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CONTENT = REPO / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FOREIGN_CONTENT = FIXTURES / "foreign"
TODAY = "2026-11-23"

# Builds and renders must not depend on the day the tests run.
os.environ.setdefault("PLAYBOOK_TODAY", TODAY)
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# `playbook validate` keeps its cache of checked files here, not in the user's own cache folder.
os.environ.setdefault("PLAYBOOK_CACHE_DIR", __import__("tempfile").mkdtemp(prefix="playbook-test-cache-"))


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files from the current output")


def update_golden(folder: Path, files: dict[str, str], *, suffix: str) -> None:
    """Rewrite golden files (`make golden`), printing what changed: a unified diff a file."""
    import difflib

    before = (
        {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob(f"*{suffix}")}
        if folder.exists()
        else {}
    )
    for name, text in sorted(files.items()):
        old = before.get(name)
        if old == text:
            continue
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        diff = difflib.unified_diff((old or "").splitlines(True), text.splitlines(True), f"a/{name}", f"b/{name}")
        print(f"\ngolden {'changed' if old is not None else 'added'}: {folder.name}/{name}\n" + "".join(diff))
    for stale in sorted(set(before) - set(files)):
        (folder / stale).unlink()
        print(f"\ngolden removed: {folder.name}/{stale}")


def run_cli(*args: str, cwd: Path | None = None) -> CliResult:
    """Run the `playbook` command in-process (click's runner), from `cwd`."""
    from generator.cli import cli

    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return CliResult(result.exit_code, result.stdout, result.stderr)


MINIMAL = {
    "playbook.yml": """
        title: Test Playbook
        organization: Example Co
        summary: A small playbook for tests.
        alignment:
          current: defined
          target: aligned
    """,
    "roles/account-executive.yml": """
        name: Account Executive
        abbreviation: AE
        function: sales
        summary: Closes deals.
        responsibilities:
          - Runs discovery calls.
        reports_to: sales-manager
        kpis: [win-rate]
    """,
    "roles/sales-manager.yml": """
        name: Sales Manager
        function: sales
        summary: Leads the sales team.
        responsibilities:
          - Coaches the team.
    """,
    "roles/marketing-manager.yml": """
        name: Marketing Manager
        function: marketing
        summary: Owns the message.
        responsibilities:
          - Runs campaigns.
    """,
    "leads/marketing-qualified-lead.yml": """
        name: Marketing Qualified Lead
        abbreviation: MQL
        order: 1
        definition: A lead that fits the profile.
        owner: marketing-manager
        entry_criteria:
          - Score of 60 or more.
        handoff:
          to: account-executive
          sla_hours: 24
    """,
    "leads/sales-qualified-lead.yml": """
        name: Sales Qualified Lead
        abbreviation: SQL
        order: 2
        definition: A lead sales has qualified.
        owner: account-executive
        entry_criteria:
          - Budget confirmed.
        recycle_to: marketing-qualified-lead
    """,
    "kpis/win-rate.yml": """
        name: Win rate
        definition: Share of deals won.
        formula: Won ÷ (won + lost) × 100
        unit: percent
        direction: higher
        owner: sales-manager
        shared_with: [marketing-manager]
        target:
          value: 27
          period: quarter
        stages: [sales-qualified-lead]
    """,
    "checklist.yml": """
        steps:
          - id: joint-meetings
            title: Joint meetings
            description: Meet every week.
            owner: sales-manager
            participants: [marketing-manager]
            kpis: [win-rate]
    """,
    "alignment.yml": """
        stages:
          - id: undefined
            name: Undefined
            score: [2, 3]
            description: Separate teams.
          - id: defined
            name: Defined
            score: [4, 5]
            description: Some rules.
          - id: aligned
            name: Aligned
            score: [6, 8]
            description: Shared processes.
          - id: integrated
            name: Integrated
            score: [9, 10]
            description: One team.
        questions:
          - id: shared-definition
            text: We share one lead definition.
          - id: shared-target
            text: We share one revenue target.
    """,
    "glossary.yml": """
        terms:
          - id: ideal-customer-profile
            term: Ideal customer profile
            abbreviation: ICP
            definition: The companies we sell to.
            see_also: [marketing-qualified-lead]
    """,
}


def write_content(root: Path, files: dict[str, str | None] | None = None, *, base: dict[str, str] | None = None) -> Path:
    """Write a content directory: `base` (MINIMAL by default) updated with `files`.

    A value of None removes that file. Text is dedented, so tests can indent YAML.
    """
    merged: dict[str, str | None] = dict(MINIMAL if base is None else base)
    merged.update(files or {})
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in merged.items():
        if text is None:
            continue
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A minimal valid content directory."""
    return write_content(tmp_path / "content")


def make_site_project(root: Path, content_source: Path | None = None) -> Path:
    """A playbook repository in `root`: the repo's mkdocs.yml, docs/ and a copy of some content."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir(exist_ok=True)
    if content_source is not None:
        shutil.copytree(content_source, root / "content")
    return root


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    """A copy of the bundled playbook repository (mkdocs.yml, docs/, content/) in tmp_path."""
    return make_site_project(tmp_path / "repo", DEFAULT_CONTENT)


def init_repo(repo: Path, message: str = "The playbook", *, user: str = "Playbook Tests") -> str:
    """`repo` as a git repository on `main` with everything in it committed; returns the commit."""

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"git {' '.join(args)} failed: {result.stderr}"
        return result.stdout

    git("init", "-q", "-b", "main")
    git("config", "user.name", user)
    git("config", "user.email", "tests@example.com")
    git("config", "commit.gpgsign", "false")
    git("add", "-A")
    git("commit", "-q", "-m", message)
    return git("rev-parse", "HEAD").strip()
