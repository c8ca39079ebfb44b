"""The validation cache never hides a problem: after every kind of change, a run that uses the cache
reports exactly what a run without it reports (the whole problem list, in order, and the playbook).

Each scenario changes a copy of the bundled content, then validates it three ways: without the
cache, with the cache as the previous run left it, and again with the cache it just wrote; the three
must agree, and the cached runs must really have used the cache for the files left alone.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DEFAULT_CONTENT
from playbook_site.cli import cli
from playbook_site.content import cache as cache_module
from playbook_site.content import load_all
from playbook_site.content.cache import FileCache
from playbook_site.errors import ContentError

TODAY = date(2026, 11, 23)


def outcome(content: Path, cache: FileCache | None) -> tuple[list[tuple[object, ...]], object]:
    """(every problem and warning as reported, the playbook or None)."""
    try:
        loaded = load_all(content, today=TODAY, cache=cache)
    except ContentError as error:
        return [_row(p) for p in error.problems], None
    return [_row(p) for p in loaded.warnings], loaded.playbook


def _row(problem: object) -> tuple[object, ...]:
    return tuple(getattr(problem, name) for name in ("path", "line", "column", "code", "message", "hint", "severity"))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    # In a folder of its own: a cache in the folder that holds the content (no .git here) is never used.
    target = tmp_path / "work" / "content"
    shutil.copytree(DEFAULT_CONTENT, target)
    return target


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def check_same(content: Path, cache_dir: Path, *, hits_expected: bool = True) -> list[tuple[object, ...]]:
    """The run with the cache (twice) reports what the run without it reports."""
    plain = outcome(content, None)
    first_cache = FileCache(cache_dir)
    cached = outcome(content, first_cache)
    assert cached == plain
    if hits_expected:
        assert first_cache.hits > 0, "the cache was not used"
    again_cache = FileCache(cache_dir)
    again = outcome(content, again_cache)
    assert again == plain
    assert again_cache.misses == 0, "a file unchanged since the last run was checked again"
    return plain[0]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "a file broken (YAML syntax)": lambda c: _edit(
        c / "roles" / "account-executive.yml", "name: Account Executive", 'name: "Account'
    ),
    "a field of the wrong type": lambda c: _edit(c / "kpis" / "win-rate.yml", "owner: sales-manager", "owner: [sales-manager]"),
    "a file renamed": lambda c: (c / "roles" / "account-executive.yml").rename(c / "roles" / "account-exec.yml"),
    "a file deleted": lambda c: (c / "roles" / "account-executive.yml").unlink(),
    "a reference target renamed": lambda c: (c / "roles" / "sales-manager.yml").rename(c / "roles" / "sales-lead.yml"),
    "a results file edited": lambda c: _edit(c / "results" / "win-rate.csv", "2025-Q4,22", "2025-Q4,twenty-two"),
    "a results file for no KPI": lambda c: shutil.copy(c / "results" / "win-rate.csv", c / "results" / "no-such-kpi.csv"),
    "activity.yml edited": lambda c: _edit(c / "activity.yml", "step: joint-meetings", "step: joint-meeting"),
    "a list file edited": lambda c: _edit(
        c / "glossary.yml", "terms:", "terms:\n  - id: x\n    term: X\n    definition: [y](role:nobody)"
    ),
    "playbook.yml edited": lambda c: _edit(c / "playbook.yml", "title:", "titel:"),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_cached_run_reports_what_an_uncached_run_reports(content: Path, cache_dir: Path, name: str) -> None:
    assert check_same(content, cache_dir, hits_expected=False) == outcome(content, None)[0]
    CHANGES[name](content)
    problems = check_same(content, cache_dir)
    assert problems, f"{name}: the change should have been reported"


def test_the_fix_of_a_problem_is_seen_too(content: Path, cache_dir: Path) -> None:
    role = content / "roles" / "account-executive.yml"
    original = role.read_bytes()
    check_same(content, cache_dir, hits_expected=False)
    _edit(role, "name: Account Executive", 'name: "Account')
    assert check_same(content, cache_dir)
    role.write_bytes(original)
    assert [p for p in check_same(content, cache_dir) if p[-1] == "error"] == []


def test_two_files_swapped(content: Path, cache_dir: Path) -> None:
    """Same bytes, other names: each file's id is its name, so both are checked again."""
    check_same(content, cache_dir, hits_expected=False)
    a, b = content / "roles" / "account-executive.yml", content / "roles" / "sales-manager.yml"
    text_a, text_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(text_b)
    b.write_bytes(text_a)
    before = FileCache(cache_dir)
    problems, playbook = outcome(content, before)
    assert (problems, playbook) == outcome(content, None)
    assert before.misses >= 2
    assert problems, "a role that reports to itself, or to its own report, is a cycle"


def test_content_changed_with_the_same_modification_time(content: Path, cache_dir: Path) -> None:
    check_same(content, cache_dir, hits_expected=False)
    kpi = content / "kpis" / "win-rate.yml"
    stat = kpi.stat()
    _edit(kpi, "owner: sales-manager", "owner: sales-managr")
    os.utime(kpi, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    problems = check_same(content, cache_dir)
    assert any(p[3] == "dangling-reference" and "sales-managr" in str(p[4]) for p in problems)


def test_a_new_tool_version_checks_every_file_again(content: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_same(content, cache_dir, hits_expected=False)
    monkeypatch.setattr(cache_module, "_FINGERPRINT", ["another version of the tool"])
    fresh = FileCache(cache_dir)
    assert outcome(content, fresh) == outcome(content, None)
    assert fresh.hits == 0 and fresh.misses > 0


def test_the_fingerprint_covers_the_checking_code() -> None:
    """Editing a module of content/ (the schema, the rules) changes the fingerprint."""
    package = Path(cache_module.__file__).parent
    assert (package / "schema.py").is_file() and (package / "rules.py").is_file()
    cache_module._FINGERPRINT.clear()
    first = cache_module.tool_fingerprint()
    cache_module._FINGERPRINT.clear()
    assert cache_module.tool_fingerprint() == first


def test_problems_show_the_folder_as_it_was_named(content: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same folder named two ways: each run's problems name it as that run did."""
    _edit(content / "kpis" / "win-rate.yml", "owner: sales-manager", "owner: [sales-manager]")
    monkeypatch.chdir(content.parent)
    relative = Path("content")
    assert outcome(relative, FileCache(cache_dir)) == outcome(relative, None)
    assert outcome(content, FileCache(cache_dir)) == outcome(content, None)
    assert outcome(content, None)[0][0][0].startswith(str(content))


@pytest.mark.parametrize("damage", ["garbage", "empty", "old format", "truncated", "wrong shape"])
def test_a_damaged_cache_is_ignored_and_rebuilt(content: Path, cache_dir: Path, damage: str) -> None:
    check_same(content, cache_dir, hits_expected=False)
    (cache_file,) = cache_dir.glob("validate-*.pickle")
    data = cache_file.read_bytes()
    cache_file.write_bytes(
        {
            "garbage": b"not a pickle at all",
            "empty": b"",
            "old format": pickle.dumps({"format": cache_module.FORMAT - 1, "stamp": "", "entries": {}}),
            "truncated": data[: len(data) // 2],
            "wrong shape": pickle.dumps(["a", "list"]),
        }[damage]
    )
    damaged = FileCache(cache_dir)
    assert outcome(content, damaged) == outcome(content, None)
    assert damaged.hits == 0
    rebuilt = FileCache(cache_dir)
    assert outcome(content, rebuilt) == outcome(content, None)
    assert rebuilt.misses == 0


def test_a_damaged_entry_is_checked_again(content: Path, cache_dir: Path) -> None:
    check_same(content, cache_dir, hits_expected=False)
    (cache_file,) = cache_dir.glob("validate-*.pickle")
    data = pickle.loads(cache_file.read_bytes())
    rel = "roles/account-executive.yml"
    key, _rest, source = data["entries"][rel]
    data["entries"][rel] = (key, b"broken", source)
    cache_file.write_bytes(pickle.dumps(data))
    fresh = FileCache(cache_dir)
    assert outcome(content, fresh) == outcome(content, None)
    assert fresh.misses == 1


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_cache_folder_that_cannot_be_written_is_ignored(content: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert outcome(content, FileCache(locked / "cache")) == outcome(content, None)
    finally:
        locked.chmod(0o700)


def test_a_cache_path_that_is_a_file_is_ignored(content: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would be")
    assert outcome(content, FileCache(blocker / "cache")) == outcome(content, None)
    assert blocker.read_text() == "a file where the cache folder would be"


def _validate(content: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(cli, ["validate", "--content", str(content), "--format", "json", *args])
    return result.exit_code, json.loads(result.output)


def test_the_command_with_and_without_the_cache(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cli-cache"
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(cache_dir))
    assert _validate(content, "--no-cache")[0] == 0
    assert not cache_dir.exists(), "--no-cache writes no cache"
    clean = _validate(content)
    assert clean[0] == 0 and list(cache_dir.glob("validate-*.pickle"))
    _edit(content / "kpis" / "win-rate.yml", "owner: sales-manager", "owner: nobody-at-all")
    broken = _validate(content)
    assert broken == _validate(content, "--no-cache")
    assert broken[0] == 1 and broken[1]["errors"] == 1
    shutil.rmtree(cache_dir)  # deleting the cache is always safe
    assert _validate(content) == broken


def _imported(content: Path, cache_dir: Path) -> set[str]:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "playbook_site.cli", "validate", "--content", str(content)],
        capture_output=True,
        text=True,
        env=dict(os.environ, PLAYBOOK_CACHE_DIR=str(cache_dir)),
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def test_validate_imports_no_site_code(content: Path, cache_dir: Path) -> None:
    """`validate` imports neither MkDocs, Material, mike, Jinja nor Python-Markdown; from the cache, no Markdown parser at all."""
    site_code = {"mkdocs", "jinja2", "markdown", "material", "mike", "nh3", "playbook_site.site", "playbook_site.publishing"}
    cold = _imported(content, cache_dir)
    assert not site_code & cold
    warm = _imported(content, cache_dir)
    assert not (site_code | {"markdown_it"}) & warm


def test_the_engine_names_agree() -> None:
    from playbook_site.cli import site
    from playbook_site.publishing import engines
    from playbook_site.site import mkdocs_plugin

    assert site.ENGINES == engines.ENGINES == mkdocs_plugin.ENGINES


def test_the_starter_names_agree() -> None:
    from playbook_site.cli import init
    from playbook_site.publishing import starter

    assert (init.STARTERS, init.DEFAULT_STARTER) == (starter.STARTERS, starter.DEFAULT_STARTER)


class Planted:
    """A pickle that, if it were ever read, would leave a file behind: proof that a cache was not read."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (self.marker, "the cache file was unpickled"))


def _plant(cache_file: Path, marker: Path) -> None:
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_bytes(pickle.dumps({"format": cache_module.FORMAT, "stamp": Planted(marker), "entries": {}}))


def test_a_cache_folder_inside_the_repository_is_not_used(content: Path, tmp_path: Path) -> None:
    """A pull request could commit a cache file: a cache folder in the content's work tree is never read or written."""
    (tmp_path / ".git").mkdir()  # tmp_path is the work tree that holds content/
    inside = tmp_path / ".playbook-cache"
    marker = tmp_path / "unpickled"
    name = cache_module.hashlib.sha256(str(content.resolve()).encode()).hexdigest()[:24]
    _plant(inside / f"validate-{name}.pickle", marker)
    cache = FileCache(inside)
    assert outcome(content, cache) == outcome(content, None)
    assert not marker.exists()
    assert [p.name for p in inside.iterdir()] == [f"validate-{name}.pickle"]  # nothing written there either
    assert cache_module.inside_work_tree(inside, content)
    assert not cache_module.inside_work_tree(tmp_path.parent / "elsewhere", content)


@pytest.mark.parametrize("writable", ["the file", "its folder"])
def test_a_cache_others_can_write_is_not_read(content: Path, cache_dir: Path, writable: str) -> None:
    check_same(content, cache_dir, hits_expected=False)
    (cache_file,) = cache_dir.glob("validate-*.pickle")
    assert cache_dir.stat().st_mode & 0o777 == 0o700 and cache_file.stat().st_mode & 0o077 == 0
    marker = cache_dir.parent / "unpickled"
    _plant(cache_file, marker)
    (cache_file if writable == "the file" else cache_dir).chmod(0o666 if writable == "the file" else 0o777)
    ignored = FileCache(cache_dir)
    assert outcome(content, ignored) == outcome(content, None)
    assert ignored.hits == 0 and not marker.exists()


def _git_marker(kind: str, where: Path, elsewhere: Path) -> None:
    """A `.git` entry of `kind` in `where`: what an archive (or a pull request) can carry."""
    if kind == "a file":
        (where / ".git").write_text("gitdir: nowhere\n")
    elif kind == "an empty folder":
        (where / ".git").mkdir()
    else:  # a gitdir: file pointing at a real-looking git folder elsewhere
        real = elsewhere / "real.git"
        (real / "objects").mkdir(parents=True)
        (real / "HEAD").write_text("ref: refs/heads/main\n")
        (where / ".git").write_text(f"gitdir: {real}\n")


@pytest.mark.parametrize("kind", ["a file", "an empty folder", "a gitdir file"])
@pytest.mark.parametrize("place", ["in the content folder", "in a folder of the content"])
def test_a_git_entry_inside_the_content_does_not_let_a_cache_beside_it_be_read(
    content: Path, tmp_path: Path, kind: str, place: str
) -> None:
    """An unpacked archive without git: a `.git` entry inside content/ must not make content/ the work
    tree, so a cache planted beside content/ (the archive's root) is never unpickled."""
    where = content if place == "in the content folder" else content / "roles"
    _git_marker(kind, where, tmp_path)
    beside = content.parent / ".cache"
    marker = tmp_path / "unpickled"
    name = cache_module.hashlib.sha256(str(content.resolve()).encode()).hexdigest()[:24]
    _plant(beside / f"validate-{name}.pickle", marker)
    os.chmod(beside, 0o700)
    os.chmod(beside / f"validate-{name}.pickle", 0o600)
    cache = FileCache(beside)
    outcome(content, cache)
    assert not marker.exists()
    assert cache_module.inside_work_tree(beside, content)
    assert cache_module.protected_top(content) == content.parent.resolve()


def test_a_worktree_git_file_does_not_end_the_walk_to_the_superproject(content: Path, tmp_path: Path) -> None:
    """content/'s repository is a submodule or worktree (a `.git` file) inside a repository whose real
    `.git` folder is higher: a cache in the higher work tree is not read either."""
    _git_marker("a gitdir file", content.parent, tmp_path / "elsewhere")
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    higher = tmp_path / ".playbook-cache"
    assert cache_module.protected_top(content) == tmp_path.resolve()
    assert cache_module.inside_work_tree(higher, content)
    assert not cache_module.inside_work_tree(tmp_path.parent / "elsewhere-cache", content)


@pytest.mark.parametrize("kind", ["none", "a file", "an empty folder", "a gitdir file", "a real repository"])
def test_a_cache_outside_the_protected_tree_is_still_used(content: Path, cache_dir: Path, kind: str) -> None:
    """The user's own cache folder (outside the repository) keeps working: the second run reads every
    file from the cache, and the cache file is written once and then left alone."""
    if kind == "a real repository":
        (content.parent / ".git" / "objects").mkdir(parents=True)
        (content.parent / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    elif kind != "none":
        _git_marker(kind, content, content.parent.parent / "gitdirs")
    first = FileCache(cache_dir)
    outcome(content, first)
    assert first.hits == 0 and first.misses > 0
    (cache_file,) = cache_dir.glob("validate-*.pickle")
    written = cache_file.stat().st_mtime_ns
    second = FileCache(cache_dir)
    outcome(content, second)
    assert second.misses == 0 and second.hits == first.misses
    assert cache_file.stat().st_mtime_ns == written  # nothing changed: not written again


def test_validate_as_the_program_leaves_the_playbook_to_the_end_of_the_process(content: Path, cache_dir: Path) -> None:
    """Run as `playbook`, `validate` freezes what it read, so the interpreter's last collections do not
    look through it (counted: the objects frozen at exit); inside another program (CliRunner) it does not."""
    import subprocess
    import sys

    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count()))\n"
        f"sys.argv = ['playbook', 'validate', '--content', {str(content)!r}]\n"
        "from playbook_site.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=dict(os.environ, PLAYBOOK_CACHE_DIR=str(cache_dir)),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split("frozen ")[1]) > 1000
    import gc

    before = gc.get_freeze_count()
    assert CliRunner().invoke(cli, ["validate", "--content", str(content), "--no-cache"]).exit_code == 0
    assert gc.get_freeze_count() == before
