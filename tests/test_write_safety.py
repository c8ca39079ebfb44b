"""No write or delete follows a link anywhere the tool writes (issue 21, findings 3, 6, 8, 15-18).

Every writer (generate and the Zensical project sync, build's site swap, codeowners, schema, export,
init) is given a link committed in the repository that leads to a file and to a folder outside it:
each refuses with one line (exit 2, no traceback) and the outside stays byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINIMAL, make_site_project, run_cli, write_content
from playbook_site import __version__

OUTSIDE_FILES = {"victim.txt": b"keep me\n", "docs/index.md": b"# Someone else's page\n"}


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below `folder`: the bytes of a file, "dir" for a folder, "link -> X" for a link."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = f"link -> {os.readlink(path)}"
        elif path.is_dir():
            found[rel] = "dir"
        else:
            found[rel] = path.read_bytes()
    return found


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside every repository of the test, with files a link could reach."""
    folder = tmp_path / "outside"
    for rel, data in OUTSIDE_FILES.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def repository(tmp_path: Path) -> Path:
    """A small playbook repository: mkdocs.yml, docs/ and the minimal content."""
    repo = make_site_project(tmp_path / "repo")
    write_content(repo / "content")
    return repo


def link(at: Path, to: Path) -> None:
    at.parent.mkdir(parents=True, exist_ok=True)
    at.symlink_to(to, target_is_directory=to.is_dir())


def victim(outside: Path, kind: str) -> Path:
    """The file a link leads to: one that exists ("file"), or one that does not yet ("dangling": a write
    through the link would create it outside)."""
    return outside / ("new.txt" if kind == "dangling" else "victim.txt")


# Each writer: how a hostile tree plants the link (to a folder or to a file outside), and the command.
Setup = Callable[[Path, Path, str], tuple[list[str], Path, str]]


def generate_setup(repo: Path, outside: Path, kind: str) -> tuple[list[str], Path, str]:
    out = repo.parent / "out"
    if kind == "folder":
        link(out / "docs", outside / "docs")  # every page would be written into the outside folder
    else:
        link(out / "mkdocs.yml", victim(outside, kind))
    return ["generate", "--out", str(out)], repo, "docs" if kind == "folder" else "mkdocs.yml"


def zensical_setup(repo: Path, outside: Path, kind: str) -> tuple[list[str], Path, str]:
    project = repo / ".playbook" / "zensical"
    (project / ".playbook").mkdir(parents=True)
    if kind == "folder":
        # A committed link and a manifest that lists a path through it: the stale entry would be deleted.
        link(project / "old", outside)
        (project / ".playbook" / "manifest.json").write_text(json.dumps(["old/victim.txt"]), encoding="utf-8")
        return ["build", "--engine", "zensical"], repo, "old"
    if kind == "dangling":
        link(project / "mkdocs.yml", victim(outside, kind))
        return ["build", "--engine", "zensical"], repo, "mkdocs.yml"
    link(project / "docs", outside / "docs")
    return ["build", "--engine", "zensical"], repo, "docs"


def site_setup(repo: Path, outside: Path, kind: str) -> tuple[list[str], Path, str]:
    link(repo / "site", outside / "docs" if kind == "folder" else victim(outside, kind))
    return ["build", "--engine", "mkdocs"], repo, "site"


def codeowners_setup(repo: Path, outside: Path, kind: str) -> tuple[list[str], Path, str]:
    if kind == "folder":
        link(repo / ".github", outside / "docs")
        return ["codeowners"], repo, ".github"
    link(repo / ".github" / "CODEOWNERS", victim(outside, kind))
    return ["codeowners"], repo, "CODEOWNERS"


def schema_setup(repo: Path, outside: Path, kind: str) -> tuple[list[str], Path, str]:
    if kind == "folder":
        link(repo / "schema", outside / "docs")
        return ["schema"], repo, "schema"
    link(repo / "schema" / "role.schema.json", victim(outside, kind))
    return ["schema"], repo, "role.schema.json"


def export_setup(repo: Path, outside: Path, kind: str) -> tuple[list[str], Path, str]:
    out = repo / "exported"
    if kind == "folder":
        link(out / "exports", outside / "docs")
        return ["export", "--out", "exported"], repo, "exports"
    link(out / "playbook.json", victim(outside, kind))
    return ["export", "--out", "exported"], repo, "playbook.json"


def init_setup(repo: Path, outside: Path, kind: str) -> tuple[list[str], Path, str]:
    fresh = repo.parent / "fresh"
    if kind == "folder":
        link(fresh / ".github", outside / "docs")
        return ["init", "--tool-source", __version__, str(fresh), "--organization", "Acme"], repo, ".github"
    link(fresh / "mkdocs.yml", victim(outside, kind))
    return ["init", "--tool-source", __version__, str(fresh), "--organization", "Acme"], repo, "mkdocs.yml"


def reference_setup(repo: Path, outside: Path, kind: str) -> tuple[list[str], Path, str]:
    if kind == "folder":
        link(repo / "reference", outside / "docs")
        return ["reference"], repo, "reference"
    link(repo / "reference" / "commands.md", victim(outside, kind))
    return ["reference"], repo, "commands.md"


WRITERS: dict[str, Setup] = {
    "generate": generate_setup,
    "build-zensical-sync": zensical_setup,
    "build-site-swap": site_setup,
    "codeowners": codeowners_setup,
    "schema": schema_setup,
    "export": export_setup,
    "init": init_setup,
    "reference": reference_setup,
}


@pytest.mark.parametrize("kind", ["folder", "file", "dangling"])
@pytest.mark.parametrize("writer", list(WRITERS))
def test_no_writer_writes_or_deletes_through_a_link(tmp_path: Path, outside: Path, writer: str, kind: str) -> None:
    repo = repository(tmp_path)
    before = snapshot(outside)
    args, cwd, name = WRITERS[writer](repo, outside, kind)
    result = run_cli(*args, cwd=cwd)
    assert snapshot(outside) == before, f"{writer} changed the outside folder through a link to a {kind}"
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    error = result.stderr.strip()
    if writer == "init":  # init lists every path it would write that exists already, one a line (held before)
        assert error.startswith("Error: ") and f"\n  {name}" in error, error
        return
    assert error.startswith("Error: ") and "\n" not in error, error
    assert name in error and "symbolic link" in error, error


# --- the content folder reached through a link (issue 21, finding 6 again) ----------------------------
# A pull request commits `content -> ../victim/content` (or a folder on the way to the content as a
# link): no writer may write in, or beside, the other repository's content; the writers that write
# there (`fix` in it, `codeowners` beside it) refuse with one line before writing anything.


def slip(content: Path) -> Path:
    """Curly quotes around a value, pasted from a document: `fix` repairs them."""
    role = content / "roles" / "account-executive.yml"
    role.write_text(
        role.read_text(encoding="utf-8").replace("summary: Closes deals.", "summary: \u201cCloses deals.\u201d"), encoding="utf-8"
    )
    return role


def victim_repository(outside: Path) -> Path:
    """Another repository of the user's, outside: its own content (with a slip `fix` would mend) and CODEOWNERS."""
    other = outside / "other"
    write_content(other / "content")
    slip(other / "content")
    (other / ".github").mkdir()
    (other / ".github" / "CODEOWNERS").write_text("* @victim/owners\n", encoding="utf-8")
    return other


def linked_content(repo: Path, outside: Path, how: str) -> str:
    """The content folder of `repo` reached through a link; returns the content path the commands get."""
    other = victim_repository(outside)
    shutil.rmtree(repo / "content")
    if how == "content is a link":
        link(repo / "content", other / "content")
        return "content"
    link(repo / "sub", other)  # a folder on the way to the content is the link
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("content: content", "content: sub/content"), encoding="utf-8")
    return "sub/content"


CONTENT_WRITERS: dict[str, Callable[[Path, str], list[str]]] = {
    "fix": lambda repo, content: ["fix", "--content", content],
    "codeowners": lambda repo, content: ["codeowners", "--content", content],
    "validate": lambda repo, content: ["validate", "--content", content, "--no-cache"],
    "schema": lambda repo, content: ["schema", "--content", content],
    "export": lambda repo, content: ["export", "--out", "exported", "--content", content],
    "generate": lambda repo, content: ["generate", "--out", str(repo.parent / "out")],
    "build-mkdocs": lambda repo, content: ["build", "--engine", "mkdocs"],
    "build-zensical": lambda repo, content: ["build", "--engine", "zensical"],
    "reference": lambda repo, content: ["reference"],
    "init": lambda repo, content: ["init", "--tool-source", __version__, str(repo.parent / "fresh"), "--organization", "Acme"],
}
REFUSING = {"fix", "codeowners"}  # they write in the content folder or beside it


@pytest.mark.parametrize("how", ["content is a link", "a folder on the way is a link"])
@pytest.mark.parametrize("writer", list(CONTENT_WRITERS))
def test_no_writer_writes_through_a_linked_content_folder(tmp_path: Path, outside: Path, writer: str, how: str) -> None:
    repo = repository(tmp_path)
    content = linked_content(repo, outside, how)
    if writer == "init":  # a fresh repository whose content folder is a link already: init refuses it
        fresh = repo.parent / "fresh"
        link(fresh / "content", outside / "other" / ("content" if how == "content is a link" else ""))
    before = snapshot(outside)
    result = run_cli(*CONTENT_WRITERS[writer](repo, content), cwd=repo)
    assert snapshot(outside) == before, f"{writer} changed the other repository through the link ({how}): {result.output}"
    assert "Traceback" not in result.output
    if writer in REFUSING:
        assert result.exit_code == 2, result.output
        error = result.stderr.strip()
        assert error.startswith("Error: ") and "\n" not in error and "symbolic link" in error, error
        assert content.split("/")[0] in error, error
    else:  # they really ran: init refuses the fresh folder's existing content (as it refuses any), the rest write their own files
        assert result.exit_code == (2 if writer == "init" else 0), result.output


def test_fix_writes_through_its_own_folder_when_nothing_is_a_link(tmp_path: Path) -> None:
    """The control: the same slip in a real content folder is fixed (the refusal above is the link's doing)."""
    repo = repository(tmp_path)
    role = slip(repo / "content")
    mode = role.stat().st_mode & 0o777
    result = run_cli("fix", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "\u201c" not in role.read_text(encoding="utf-8") and role.stat().st_mode & 0o777 == mode
    assert not [p.name for p in role.parent.iterdir() if p.name.endswith(".tmp")]


# --- generate --out: never replaces files it did not write (finding 8) --------------------------------


@pytest.mark.parametrize(
    "theirs",
    [{"mkdocs.yml": b"site_name: Mine\n"}, {"docs/index.md": b"# My own front page\n"}],
    ids=["mkdocs.yml", "docs-index"],
)
def test_generate_never_replaces_a_file_it_did_not_write(tmp_path: Path, theirs: dict[str, bytes]) -> None:
    repo = repository(tmp_path)
    out = tmp_path / "out"
    for rel, data in theirs.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    before = snapshot(out)
    result = run_cli("generate", "--out", str(out), cwd=repo)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert snapshot(out) == before  # nothing written, not even the manifest
    for rel in theirs:
        assert rel in result.stderr


def test_generate_replaces_its_own_files(tmp_path: Path) -> None:
    """What the manifest lists is generate's own: a second run after an edit rewrites it."""
    repo = repository(tmp_path)
    out = tmp_path / "out"
    assert run_cli("generate", "--out", str(out), cwd=repo).exit_code == 0
    role = repo / "content" / "roles" / "account-executive.yml"
    role.write_text(role.read_text(encoding="utf-8").replace("Closes deals.", "Closes more deals."), encoding="utf-8")
    result = run_cli("generate", "--out", str(out), cwd=repo)
    assert result.exit_code == 0, result.output
    assert "Closes more deals." in (out / "docs" / "roles" / "account-executive.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "where", [".", "content", "docs", "../other"], ids=["the-repository", "its-content", "its-docs", "another-repository"]
)
def test_generate_refuses_the_playbook_repository_itself(tmp_path: Path, where: str) -> None:
    """`--out .` in the repository would overwrite its mkdocs.yml and docs/ (an uncommitted page lost);
    so would any folder that holds a playbook repository's own configuration."""
    repo = repository(tmp_path)
    other = make_site_project(tmp_path / "other")
    (other / "content").mkdir()  # a repository whose content is yet to come: its mkdocs.yml enables the plugin
    (repo / "docs" / "index.md").write_text("# My hand-written page, not committed yet\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_cli("generate", "--out", where, cwd=repo)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before
    assert "playbook repository" in result.stderr


# --- the validation cache (findings 15, 17) -----------------------------------------------------------


def cache_file(cache_dir: Path, content: Path) -> Path:
    name = hashlib.sha256(str(content.resolve()).encode()).hexdigest()[:24]
    return cache_dir / f"validate-{name}.pickle"


class _Plant:
    """A pickle that, when read, creates the file `marker` (what a planted cache could do)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def plant(path: Path, marker: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(_Plant(marker)))
    path.chmod(0o600)


@pytest.mark.parametrize("where", ["beside-content", "above-content", "inside-content"])
def test_a_cache_in_the_folder_that_holds_the_content_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A folder that is not a git repository (an unpacked archive, a download): a cache planted in it is
    not read even when $PLAYBOOK_CACHE_DIR points there."""
    holder = tmp_path / "download" / "pb"
    content = write_content(holder / "content")
    cache_dir = {"beside-content": holder / ".cache", "inside-content": content / ".cache"}.get(
        where, tmp_path / "download" / ".cache"
    )
    if where == "above-content":
        content = write_content(tmp_path / "download" / "content")
    marker = tmp_path / "ran"
    plant(cache_file(cache_dir, content), marker)
    os.chmod(cache_dir, 0o700)
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(cache_dir))
    result = run_cli("validate", "--content", str(content), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert not marker.exists(), "the planted cache was unpickled"


def test_a_link_at_the_cache_path_is_neither_read_nor_written_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_content(tmp_path / "repo" / "content")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path / "repo", check=True)
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir(mode=0o700)
    marker = tmp_path / "ran"
    planted = tmp_path / "elsewhere" / "planted.pickle"
    plant(planted, marker)
    os.chmod(planted.parent, 0o700)
    planted_bytes = planted.read_bytes()
    link(cache_file(cache_dir, content), planted)
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(cache_dir))
    result = run_cli("validate", "--content", str(content), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert not marker.exists(), "the cache was read through a link"
    assert planted.read_bytes() == planted_bytes, "the cache was written through a link"


def test_a_fifo_at_the_cache_path_does_not_hang_validate(tmp_path: Path) -> None:
    """Another user's FIFO on a shared cache folder: opening it for reading would wait forever for a
    writer. (The timeout only guards the test run against that hang; nothing is measured.)"""
    content = write_content(tmp_path / "repo" / "content")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path / "repo", check=True)
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir(mode=0o700)
    fifo = cache_file(cache_dir, content)
    os.mkfifo(fifo, 0o600)
    env = {**os.environ, "PLAYBOOK_CACHE_DIR": str(cache_dir)}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "playbook_site.cli", "validate", "--content", str(content)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("validate hung on a FIFO at the cache path")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert fifo.is_fifo()  # not replaced: it is not the tool's to remove


# --- links that point at each other (finding 16) ------------------------------------------------------


@pytest.mark.parametrize(
    ("pair", "shown"),
    [
        (("roles/a.yml", "roles/b.yml"), "roles/a.yml"),
        (("roles/loop.yml", "roles/loop.yml"), "roles/loop.yml"),
        (("kpis", "leads-copy"), "kpis"),
        (("results/win-rate.yml", "results/win-rate.csv"), "results/win-rate"),
        (("playbook.yml", "playbook.yml"), "playbook.yml"),
    ],
    ids=["two-files", "itself", "two-folders", "results", "playbook.yml"],
)
@pytest.mark.parametrize("command", ["validate", "diff"])
def test_links_in_a_loop_are_a_located_problem(tmp_path: Path, pair: tuple[str, str], shown: str, command: str) -> None:
    files: dict[str, str | None] = {"kpis/win-rate.yml": None} if pair[0] == "kpis" else {}
    if pair[0] == "kpis":
        files["roles/account-executive.yml"] = MINIMAL["roles/account-executive.yml"].replace("kpis: [win-rate]", "")
        files["checklist.yml"] = MINIMAL["checklist.yml"].replace("kpis: [win-rate]", "")
    if pair[0] == "playbook.yml":
        files["playbook.yml"] = None
    content = write_content(tmp_path / "content", files)
    first, second = (content / pair[0]), (content / pair[1])
    first.parent.mkdir(parents=True, exist_ok=True)
    second.parent.mkdir(parents=True, exist_ok=True)
    first.symlink_to(second.name if first.parent == second.parent else second)
    if first != second:
        second.symlink_to(first.name if first.parent == second.parent else first)
    if command == "validate":
        result = run_cli("validate", "--content", "content", cwd=tmp_path)
    else:
        write_content(tmp_path / "base")
        result = run_cli("diff", "./base", "./content", cwd=tmp_path)
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 1, result.output
    assert f"content/{shown}" in result.output
    assert "loop" in result.output


# --- the site swap: a complete site at every instant (finding 18) ---------------------------------------


class Killed(BaseException):
    """The process killed at that instant: nothing after it happens (no `finally` removes anything)."""


def _site_state(site: Path) -> str:
    """Which site is at `site`: the title in its front page ("" when there is no complete site)."""
    index = site / "index.html"
    if not (index.is_file() and (site / "404.html").is_file()):
        return ""
    text = index.read_text(encoding="utf-8")
    return "new" if "New Title" in text else "old" if "Test Playbook" in text else "?"


def _leftovers(repo: Path) -> list[str]:
    return sorted(entry.name for entry in repo.iterdir() if entry.name.startswith(".site-"))


def _kill_swap_at(monkeypatch: pytest.MonkeyPatch, site: Path, step: int) -> list[str]:
    """Instrument the swap of `playbook build`: every rename, exchange and removal it makes is a step;
    after each, `site/` must hold a complete site; the run is killed before step `step`. Returns the
    states seen."""
    import shutil

    from playbook_site.publishing import build as build_module

    seen: list[str] = []
    state = {"in_swap": False, "count": 0, "dead": False}

    def instrumented(real: Callable[..., object]) -> Callable[..., object]:
        def call(*args: object, **kwargs: object) -> object:
            if state["dead"]:
                return False  # a dead process does nothing more
            if not state["in_swap"]:
                return real(*args, **kwargs)
            if state["count"] == step:
                state["dead"] = True
                raise Killed
            state["count"] = int(state["count"]) + 1
            result = real(*args, **kwargs)
            seen.append(_site_state(site))
            return result

        return call

    real_swap = build_module.swap

    def swap(new: Path, target: Path) -> None:
        state["in_swap"] = True
        try:
            real_swap(new, target)
        finally:
            state["in_swap"] = False

    monkeypatch.setattr(build_module, "swap", swap)
    monkeypatch.setattr(Path, "rename", instrumented(Path.rename))
    monkeypatch.setattr(shutil, "rmtree", instrumented(shutil.rmtree))
    if hasattr(build_module, "exchange"):
        monkeypatch.setattr(build_module, "exchange", instrumented(build_module.exchange))
    return seen


def _retitled(repo: Path) -> None:
    meta = repo / "content" / "playbook.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("Test Playbook", "New Title"), encoding="utf-8")


@pytest.mark.parametrize("step", [0, 1, 2])
def test_a_kill_at_any_step_of_the_site_swap_leaves_a_complete_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    repo = repository(tmp_path)
    assert run_cli("build", cwd=repo).exit_code == 0
    site = repo / "site"
    assert _site_state(site) == "old"
    _retitled(repo)
    with monkeypatch.context() as patched:
        seen = _kill_swap_at(patched, site, step)
        with pytest.raises(Killed):
            run_cli("build", cwd=repo)
    assert all(seen), f"a step of the swap left no complete site/: {seen}"
    assert _site_state(site) in ("old", "new"), "the kill left no complete site/"
    again = run_cli("build", cwd=repo)  # the next run
    assert again.exit_code == 0, again.output
    assert _site_state(site) == "new"
    assert _leftovers(repo) == [], "what the killed run left beside site/ was not cleaned"
    assert not (site / ".site-old").exists() and site.is_dir() and not site.is_symlink()  # a real folder, for hosts


@pytest.mark.parametrize("step", [0, 1, 2])
def test_without_an_exchange_the_next_run_restores_and_cleans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: int) -> None:
    """Where the system cannot exchange two folders (two renames), a kill between them leaves no site/
    for a moment; the next build puts the old one back first, then swaps in the new one."""
    from playbook_site.publishing import build as build_module

    repo = repository(tmp_path)
    assert run_cli("build", cwd=repo).exit_code == 0
    site = repo / "site"
    _retitled(repo)
    monkeypatch.setattr(build_module, "exchange", lambda first, second: False)
    with monkeypatch.context() as patched:
        _kill_swap_at(patched, site, step)
        with pytest.raises(Killed):
            run_cli("build", cwd=repo)
    again = run_cli("build", cwd=repo)
    assert again.exit_code == 0, again.output
    assert _site_state(site) == "new"
    assert _leftovers(repo) == []


def test_a_stale_entry_that_is_a_folder_now_is_left_alone(tmp_path: Path) -> None:
    """A path the manifest lists that the user made a folder since: not the sync's to remove, no error."""
    from playbook_site.publishing.engines import sync

    out = tmp_path / "out"
    sync(out, {"mkdocs.yml": b"site_name: x\n", "docs/old.md": b"# old\n"})
    (out / "docs" / "old.md").unlink()
    (out / "docs" / "old.md").mkdir()
    (out / "docs" / "old.md" / "mine.txt").write_text("mine\n", encoding="utf-8")
    synced = sync(out, {"mkdocs.yml": b"site_name: x\n"})
    assert synced.removed == ()
    assert (out / "docs" / "old.md" / "mine.txt").read_text(encoding="utf-8") == "mine\n"


# --- build --site-dir and mkdocs.yml reached through a link (found in the audit of finding 6) -----------


@pytest.mark.parametrize("site_dir", ["site", "sub/site"])
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_build_site_dir_through_a_link_is_refused(tmp_path: Path, outside: Path, engine: str, site_dir: str) -> None:
    """`--site-dir site` where a committed `site` (or a folder on its way) is a link to a folder outside:
    the site swap would replace the outside folder's files (the path was resolved before the check)."""
    repo = repository(tmp_path)
    first = site_dir.split("/")[0]
    link(repo / first, outside / "docs")
    before = snapshot(outside)
    result = run_cli("build", "--engine", engine, "--site-dir", site_dir, cwd=repo)
    assert snapshot(outside) == before, result.output
    assert result.exit_code == 2, result.output
    error = result.stderr.strip()
    assert error.startswith("Error: ") and "\n" not in error and "symbolic link" in error and first in error, error


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_build_with_mkdocs_yml_a_link_writes_only_in_the_repository(tmp_path: Path, outside: Path, engine: str) -> None:
    """A committed `mkdocs.yml -> ../other/mkdocs.yml`: the site and the Zensical project are written
    beside the mkdocs.yml as named (as MkDocs places site_dir), never in the other repository."""
    repo = repository(tmp_path)
    other = victim_repository(outside)
    shutil.move(repo / "mkdocs.yml", other / "mkdocs.yml")
    (other / "docs").mkdir()
    link(repo / "mkdocs.yml", other / "mkdocs.yml")
    before = snapshot(outside)
    result = run_cli("build", "--engine", engine, cwd=repo)
    assert snapshot(outside) == before, result.output
    assert result.exit_code == 0, result.output
    assert (repo / "site" / "index.html").is_file()


def test_fix_refuses_a_file_turned_into_a_link_after_it_was_read(tmp_path: Path, outside: Path) -> None:
    """The file `fix` planned to repair is a link by the time it writes (a race, or a second process):
    the write goes through files.Folder and is refused, never made through the link."""
    from playbook_site.content.fix import plan_content, write
    from playbook_site.files import LinkRefused, content_folder

    repo = repository(tmp_path)
    role = slip(repo / "content")
    (item,) = [planned for planned in plan_content(repo / "content") if planned.changed]
    role.unlink()
    link(role, outside / "victim.txt")
    before = snapshot(outside)
    with content_folder(repo / "content") as folder, pytest.raises(LinkRefused, match="symbolic link"):
        write(item, folder, repo / "content")
    assert snapshot(outside) == before
