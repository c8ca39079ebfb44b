"""Shared fixtures: real files in tmp_path, the real CLI, real MkDocs builds."""

from __future__ import annotations

import difflib
import filecmp
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CONTENT = REPO / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FOREIGN_CONTENT = FIXTURES / "foreign"
TODAY = "2026-11-23"

# Builds and renders must not depend on the day the tests run.
os.environ.setdefault("PLAYBOOK_TODAY", TODAY)
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# `playbook init` reads its --tool-source default from here: the tests say theirs.
os.environ.pop("PLAYBOOK_TOOL_SOURCE", None)
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


# Hypothesis: the same examples on every run (CI is stable, a failure is reproduced by running again) and no
# example database. `HYPOTHESIS_PROFILE=explore` draws new examples each run, and keeps the failing ones in
# .hypothesis/; PLAYBOOK_FUZZ_SCALE multiplies the number of examples of tests/test_fuzz.py.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite the golden files from the current output, showing each diff"
    )
    parser.addoption(
        "--code-counts",
        action="store_true",
        help=f"print how many fuzz examples and corpus cases reported each problem code (also written to {CODE_COUNTS_FILE.name})",
    )


def run_cli(*args: str, cwd: Path | None = None) -> CliResult:
    """Run the `playbook` command in-process (click's runner), from `cwd`."""
    from playbook_site.cli import cli

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


# --- which problem codes a run reached ----------------------------------------------------------
# The fuzz tests and the corpus record the codes each example (each case) reported; `--code-counts`
# prints them per code at the end of the run and writes them to tests/.code-counts.json (git-ignored).

CODE_COUNTS_FILE = Path(__file__).resolve().parent / ".code-counts.json"
_CODE_COUNTS: dict[str, Counter[str]] = {}


def record_codes(group: str, codes: Iterable[str]) -> None:
    """Count one example of `group` ("fuzz", "corpus") for each distinct code it reported."""
    _CODE_COUNTS.setdefault(group, Counter()).update(set(codes))


def _merge_counts(counts: dict[str, dict[str, int]]) -> None:
    for group, counter in counts.items():
        _CODE_COUNTS.setdefault(group, Counter()).update(counter)


def _code_count_lines() -> list[str]:
    from playbook_site.codes import CODES

    groups = sorted(_CODE_COUNTS)
    total: Counter[str] = Counter()
    for counter in _CODE_COUNTS.values():
        total.update(counter)
    width = max(len(code) for code in CODES)
    lines = [f"{'code':<{width}}  " + "  ".join(f"{g:>7}" for g in groups) + "    total"]
    for code in sorted(CODES, key=lambda c: (-total[c], c)):
        lines.append(f"{code:<{width}}  " + "  ".join(f"{_CODE_COUNTS[g][code]:>7}" for g in groups) + f"  {total[code]:>7}")
    for group in groups:
        missed = [code for code in CODES if not _CODE_COUNTS[group][code]]
        lines.append(
            f"{group}: {len(CODES) - len(missed)} of {len(CODES)} codes reached; not reached: {', '.join(missed) or 'none'}"
        )
    return lines


# --- golden files ----------------------------------------------------------------------------------
# With --update-golden a test rewrites its golden file and the run ends with a unified diff of every
# file that changed (or "unchanged"), so the update is reviewed where it is made.


@dataclass
class _GoldenLog:
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # (path, status, diff)


_GOLDEN = _GoldenLog()


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def golden_diff(before: str, after: str, path: Path) -> str:
    name = _shown(path)
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), f"{name} (golden)", f"{name} (now)"
        )
    )


def golden_file(config: pytest.Config, path: Path, actual: str, *, how: str = "run `make golden` and review the diff") -> None:
    """`actual` must equal the golden file `path`; with --update-golden the file is rewritten and the change logged."""
    before = path.read_text(encoding="utf-8") if path.is_file() else None
    if config.getoption("--update-golden"):
        if before == actual:
            _GOLDEN.entries.append((_shown(path), "unchanged", ""))
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        if before is None:
            _GOLDEN.entries.append((_shown(path), f"new, {len(actual.splitlines())} lines", ""))
        else:
            _GOLDEN.entries.append((_shown(path), "changed", golden_diff(before, actual, path)))
        return
    assert before is not None, f"{_shown(path)} is missing: {how}"
    if before != actual:
        diff = golden_diff(before, actual, path)
        shown = diff if len(diff) < 6000 else diff[:6000] + "\n... (diff cut)"
        raise AssertionError(f"{_shown(path)} differs from the output: {how}\n{shown}")


def remove_golden(config: pytest.Config, path: Path) -> None:
    """A golden file the output no longer has: removed with --update-golden, a failure otherwise."""
    if config.getoption("--update-golden"):
        _GOLDEN.entries.append((_shown(path), "removed", golden_diff(path.read_text(encoding="utf-8"), "", path)))
        path.unlink()
        return
    raise AssertionError(f"{_shown(path)} is no longer produced: run `make golden` and review the diff")


# --- collecting both from xdist workers and printing them at the end --------------------------------


class _FromWorkers:
    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        output = getattr(node, "workeroutput", {})
        _merge_counts(json.loads(output.get("code_counts", "{}")))
        _GOLDEN.entries.extend(tuple(e) for e in json.loads(output.get("golden", "[]")))


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workeroutput"):
        config.pluginmanager.register(_FromWorkers(), "playbook-from-workers")


def pytest_sessionfinish(session: pytest.Session) -> None:
    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # an xdist worker: hand the records to the controller
        output["code_counts"] = json.dumps({group: dict(counter) for group, counter in _CODE_COUNTS.items()})
        output["golden"] = json.dumps(_GOLDEN.entries)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if config.getoption("--update-golden"):
        entries = sorted(set(_GOLDEN.entries))
        terminalreporter.section("golden files (--update-golden)")
        changed = [e for e in entries if e[1] != "unchanged"]
        for path, status, diff in changed:
            terminalreporter.write_line(f"{status}: {path}")
            if diff:
                terminalreporter.write(diff if diff.endswith("\n") else diff + "\n")
        for path, _status, _diff in entries:
            if _status == "unchanged":
                terminalreporter.write_line(f"unchanged: {path}")
        terminalreporter.write_line(f"{len(changed)} golden file(s) written, {len(entries) - len(changed)} unchanged")
    if config.getoption("--code-counts"):
        terminalreporter.section("problem codes reached (examples or cases that reported each code)")
        for line in _code_count_lines():
            terminalreporter.write_line(line)
        CODE_COUNTS_FILE.write_text(
            json.dumps({group: dict(sorted(counter.items())) for group, counter in sorted(_CODE_COUNTS.items())}, indent=2)
            + "\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """The test session's one headless Debian Chromium (Playwright's sync API cannot start twice in a process)."""
    from browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. Run `bash scripts/ensure-chromium` "
            "(`make test` does) or point PLAYBOOK_CHROMIUM at a Chromium binary. Never `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    except Exception as error:
        playwright.stop()
        pytest.fail(f"{CHROMIUM} did not start under Playwright: {error}", pytrace=False)
    yield chromium
    chromium.close()
    playwright.stop()


# --- the built package, and a folder pip installs it from without the package index --------------------


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this repository (`pip wheel --no-deps .`), built once per test session (per worker), or
    the one PLAYBOOK_TEST_WHEEL names (the release workflow tests the wheel it uploads)."""
    given = os.environ.get("PLAYBOOK_TEST_WHEEL")
    if given:
        assert Path(given).is_file() and given.endswith(".whl"), f"PLAYBOOK_TEST_WHEEL={given}: not a wheel"
        copied = tmp_path_factory.mktemp("wheel") / Path(given).name  # a folder holding only the wheel
        shutil.copy2(given, copied)
        return copied
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    (found,) = out.glob("*.whl")
    return found


def _lock_blocks(path: Path) -> dict[str, str]:
    """A uv lock file's entries, name -> its text (the pin, the hashes, the `# via` line)."""
    blocks = re.split(r"^(?=[a-z0-9])", path.read_text(encoding="utf-8"), flags=re.M)[1:]
    return {re.match(r"[a-z0-9._-]+", block)[0]: block for block in blocks}  # type: ignore[index]


def build_backend_locked() -> list[str]:
    """The entries of requirements/dev.txt that building this package from its source needs: the
    build-system's requirements and, transitively, what they need (read from the `# via` lines)."""
    from packaging.requirements import Requirement

    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    blocks = _lock_blocks(REPO / "requirements" / "dev.txt")
    wanted = {Requirement(text).name for text in requires}
    grown = True
    while grown:
        grown = False
        for name, block in blocks.items():
            via = re.search(r"# via (.*)", block)
            users = {user.strip() for user in via[1].split(",")} if via else set()
            if name not in wanted and users & wanted:
                wanted.add(name)
                grown = True
    assert wanted <= set(blocks), f"requirements/dev.txt locks no {sorted(wanted - set(blocks))}"
    return [blocks[name] for name in sorted(wanted)]


@dataclass
class Wheelhouse:
    """Folders pip installs from with no package index: `env` gives pip PIP_NO_INDEX=1 and
    PIP_FIND_LINKS, as an air-gapped company's pip configuration would."""

    folders: tuple[Path, ...]

    @property
    def env(self) -> dict[str, str]:
        return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": " ".join(str(folder) for folder in self.folders)}


@pytest.fixture(scope="session")
def wheelhouse(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Wheelhouse:
    """The wheel, every package of requirements/lock.txt (checked against its hashes), the locked build
    backend (to install from a git source) and the setuptools wheel virtualenv seeds (pre-commit's
    `language: python` hooks build a placeholder package with it). The downloads come from the package
    index once and are kept in pytest's cache folder, keyed by what was asked for: later sessions (and
    the other xdist worker) reuse them."""
    from virtualenv.seed.wheels.embed import BUNDLE_FOLDER, BUNDLE_SUPPORT  # a dependency of pre-commit

    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    setuptools = BUNDLE_FOLDER / BUNDLE_SUPPORT[python]["setuptools"]
    wanted = (REPO / "requirements" / "lock.txt").read_text(encoding="utf-8") + "".join(build_backend_locked())
    key = hashlib.sha256(f"{wanted}{setuptools.name}{python}{sys.platform}".encode()).hexdigest()[:16]
    cache = getattr(request.config, "cache", None)  # None with -p no:cacheprovider
    root = cache.mkdir("wheelhouse") if cache is not None else tmp_path_factory.mktemp("wheelhouse")
    folder = root / key
    if not folder.is_dir():
        building = tmp_path_factory.mktemp("wheelhouse-download")
        (building / "requirements.txt").write_text(wanted, encoding="utf-8")
        packages = building / "packages"
        downloaded = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes", "--only-binary=:all:"]
            + ["-r", str(building / "requirements.txt"), "-d", str(packages)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert downloaded.returncode == 0, downloaded.stderr
        shutil.copy2(setuptools, packages / setuptools.name)
        try:
            packages.rename(folder)  # in one step: a folder under the key is complete
        except OSError:  # the other worker was first
            shutil.rmtree(packages)
    return Wheelhouse((wheel.parent, folder))


# --- building in this process, as `mkdocs serve`'s builder does ---------------------------------------------

SERVE_URL = "http://127.0.0.1:8000/"


def mkdocs_build_in_process(project: Path, site: Path, *, startup: str | None = "build") -> Any:
    """One build as MkDocs runs it; `startup` starts a new session first (None: the serve session's
    next rebuild, its caches kept: MkDocs keeps the plugin's instance while it has `on_startup`)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    if startup is not None:
        config.plugins.on_startup(command=startup, dirty=False)
    config.site_url = SERVE_URL
    build(config, serve_url=SERVE_URL)
    return config.plugins["playbook"]


def site_differences(one: Path, other: Path) -> list[str]:
    """Every file only in one of two built sites, or whose bytes differ."""
    found: list[str] = []

    def walk(compared: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"only in one site: {prefix}{name}" for name in compared.left_only + compared.right_only)
        _match, mismatch, errors = filecmp.cmpfiles(compared.left, compared.right, compared.common_files, shallow=False)
        found.extend(f"differs: {prefix}{name}" for name in mismatch + errors)
        for name, sub in compared.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(one, other), "")
    return found
