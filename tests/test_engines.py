"""The engines and the standalone project (generator/playbook_site/publishing/engines.py): `release: true` honoured by
every path that builds or writes the site, and `playbook generate`'s sync (only what changed is written,
stale pages removed, nothing else touched, normal file permissions).

Real files in tmp_path, the real CLI, real MkDocs and Zensical builds.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import make_site_project, run_cli, write_content
from playbook_site.publishing.engines import settings_of, sync

DRAFT_ROLE = """
    name: Revenue Analyst
    function: revenue-operations
    summary: Still being discussed.
    responsibilities:
      - Keeps the numbers.
    status: draft
"""


def with_release(project: Path) -> None:
    """`release: true` under the playbook plugin in the project's mkdocs.yml."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      content: content\n" in text
    config.write_text(text.replace("      content: content\n", "      content: content\n      release: true\n"), encoding="utf-8")
    assert settings_of(config).release


@pytest.fixture
def draft_project(tmp_path: Path) -> Path:
    """A playbook repository whose content has one draft role that nothing refers to."""
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content", {"roles/revenue-analyst.yml": DRAFT_ROLE})
    return project


# --- release: true ---------------------------------------------------------------------------------


@pytest.mark.parametrize("release", [False, True], ids=["ordinary", "release"])
def test_generate_honours_release_true(draft_project: Path, release: bool) -> None:
    if release:
        with_release(draft_project)
    out = draft_project / "out"
    result = run_cli("generate", "--out", str(out), cwd=draft_project)
    assert result.exit_code == 0, result.output
    assert (out / "docs" / "roles" / "account-executive.md").is_file()
    page = out / "docs" / "roles" / "revenue-analyst.md"
    exported = (out / "docs" / "playbook.json").read_text(encoding="utf-8")
    roles = (out / "docs" / "roles" / "index.md").read_text(encoding="utf-8")
    if release:
        assert not page.exists()
        assert "revenue-analyst" not in exported and "Revenue Analyst" not in roles
        assert " pages (drafts left out) to " in result.stdout
    else:
        assert page.is_file() and "Revenue Analyst" in page.read_text(encoding="utf-8")
        assert "revenue-analyst" in exported and "Revenue Analyst" in roles
        assert "drafts left out" not in result.stdout


def test_generate_release_flag_leaves_drafts_out(draft_project: Path) -> None:
    """`--release` does what `release: true` does, for one run; without either the draft is written."""
    out = draft_project / "out"
    assert run_cli("generate", "--out", str(out), cwd=draft_project).exit_code == 0
    assert (out / "docs" / "roles" / "revenue-analyst.md").is_file()
    result = run_cli("generate", "--out", str(out), "--release", cwd=draft_project)
    assert result.exit_code == 0, result.output
    assert not (out / "docs" / "roles" / "revenue-analyst.md").exists()
    assert ", 1 removed." in result.stdout  # the role's page; the pages that list it are rewritten
    assert "docs/roles/revenue-analyst.md" not in json.loads((out / ".playbook" / "manifest.json").read_text(encoding="utf-8"))


def test_generate_with_release_refuses_a_draft_reference(draft_project: Path) -> None:
    """As the MkDocs plugin refuses a release build in which an agreed role reports to a draft one:
    every reference located, nothing written."""
    with_release(draft_project)
    role = draft_project / "content" / "roles" / "sales-manager.yml"
    role.write_text(role.read_text(encoding="utf-8") + "reports_to: revenue-analyst\n", encoding="utf-8")
    out = draft_project / "out"
    result = run_cli("generate", "--out", str(out), cwd=draft_project)
    assert result.exit_code == 1, result.output
    # named from the working folder, as `validate` names it
    assert result.stderr.startswith("content/roles/sales-manager.yml:6:13: error: agreed role `sales-manager`")
    assert "refers to draft role `revenue-analyst` (Revenue Analyst)" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("release", [False, True], ids=["ordinary", "release"])
def test_both_engines_honour_release_true(draft_project: Path, engine: str, release: bool) -> None:
    """`playbook build` leaves the draft role out with `release: true`, on either engine, and shows it without."""
    if release:
        with_release(draft_project)
    result = run_cli("build", "--engine", engine, cwd=draft_project)
    assert result.exit_code == 0, result.output
    site = draft_project / "site"
    assert (site / "roles" / "account-executive" / "index.html").is_file()
    search = (site / ("search.json" if engine == "zensical" else "search/search_index.json")).read_text(encoding="utf-8")
    assert "Account Executive" in search
    roles = (site / "roles" / "index.html").read_text(encoding="utf-8")
    if release:
        assert not (site / "roles" / "revenue-analyst").exists()
        assert "Revenue Analyst" not in roles and "Revenue Analyst" not in search
        assert "revenue-analyst" not in (site / "playbook.json").read_text(encoding="utf-8")
    else:
        assert "Revenue Analyst" in (site / "roles" / "revenue-analyst" / "index.html").read_text(encoding="utf-8")
        assert "Revenue Analyst" in roles and "Revenue Analyst" in search


def test_a_zensical_release_build_refuses_a_draft_reference_and_keeps_the_site(draft_project: Path) -> None:
    assert run_cli("build", "--engine", "zensical", cwd=draft_project).exit_code == 0
    site = draft_project / "site"
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    with_release(draft_project)
    role = draft_project / "content" / "roles" / "sales-manager.yml"
    role.write_text(role.read_text(encoding="utf-8") + "reports_to: revenue-analyst\n", encoding="utf-8")
    result = run_cli("build", "--engine", "zensical", cwd=draft_project)
    assert result.exit_code == 1, result.output
    assert "refers to draft role `revenue-analyst` (Revenue Analyst)" in result.stderr
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before


def test_release_must_be_true_or_false(draft_project: Path) -> None:
    config = draft_project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      content: content\n", "      content: content\n      release: yes please\n"
        ),
        encoding="utf-8",
    )
    result = run_cli("generate", "--out", str(draft_project / "out"), cwd=draft_project)
    assert result.exit_code == 2
    assert "the playbook plugin's `release` is `yes please`; use true or false" in result.stderr


def test_zensical_serve_honours_release_true_and_shows_a_draft_reference(draft_project: Path) -> None:
    """Under `serve --engine zensical` the project leaves the draft out; a save that makes an agreed role
    refer to it shows the problem on the pages (as a bad edit does) until it is undone."""
    from datetime import date

    from playbook_site.publishing.serving import ZensicalServer

    with_release(draft_project)
    reports: list[str] = []
    server = ZensicalServer(
        draft_project / "mkdocs.yml", dev_addr="127.0.0.1:0", today=lambda: date(2026, 11, 23), report=reports.append
    )
    server.refresh()
    docs = server.project_dir / "docs"
    assert (docs / "roles" / "account-executive.md").is_file()
    assert not (docs / "roles" / "revenue-analyst.md").exists()
    role = draft_project / "content" / "roles" / "sales-manager.yml"
    good = role.read_text(encoding="utf-8")
    role.write_text(good + "reports_to: revenue-analyst\n", encoding="utf-8")
    server.refresh()
    assert "refers to draft role `revenue-analyst`" in (docs / "index.md").read_text(encoding="utf-8")
    assert any("refers to draft role `revenue-analyst`" in line for line in reports)
    role.write_text(good, encoding="utf-8")
    server.refresh()
    assert "refers to draft role" not in (docs / "index.md").read_text(encoding="utf-8")
    assert not (docs / "roles" / "revenue-analyst.md").exists()


# --- generate: only what changed ------------------------------------------------------------------

ROLE = """
    name: Revenue Analyst
    function: revenue-operations
    summary: Keeps the numbers.
    responsibilities:
      - Keeps the numbers.
"""


def files_of(out: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under `out`: (inode, mtime in ns, bytes). A file written again is a new inode (written
    atomically, by rename), and its mtime moves; one left alone keeps both."""
    return {
        path.relative_to(out).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def counts(stdout: str) -> tuple[int, int, int]:
    match = re.search(r": (\d+) files? written, (\d+) unchanged, (\d+) removed\.", stdout)
    assert match, stdout
    return int(match[1]), int(match[2]), int(match[3])


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A playbook repository (one role nothing refers to) and the project `generate` wrote from it."""
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content", {"roles/revenue-analyst.yml": ROLE})
    out = tmp_path / "out"
    first = run_cli("generate", "--out", str(out), cwd=project)
    assert first.exit_code == 0, first.output
    assert counts(first.stdout) == (len(files_of(out)) - 1, 0, 0)  # every file but the manifest
    yield project, out


def test_a_second_generate_writes_nothing_and_says_so(generated: tuple[Path, Path]) -> None:
    project, out = generated
    before = files_of(out)
    again = run_cli("generate", "--out", str(out), cwd=project)
    assert again.exit_code == 0, again.output
    pages = len([name for name in before if name.startswith("docs/") and name.endswith(".md")])
    assert again.stdout == (
        f"Wrote the project of {pages} pages to {out}: 0 files written, {len(before) - 1} unchanged, 0 removed."
        f" Build it with `cd {out} && zensical build`.\n"
    )
    assert files_of(out) == before  # not one file touched, the manifest included


def test_one_role_edit_rewrites_only_the_files_whose_bytes_changed(generated: tuple[Path, Path]) -> None:
    project, out = generated
    before = files_of(out)
    role = project / "content" / "roles" / "account-executive.yml"
    role.write_text(role.read_text(encoding="utf-8").replace("Closes deals.", "Closes deals, and says so."), encoding="utf-8")
    result = run_cli("generate", "--out", str(out), cwd=project)
    assert result.exit_code == 0, result.output
    after = files_of(out)
    assert set(after) == set(before)
    changed = {name for name in after if after[name][2] != before[name][2]}
    rewritten = {name for name in after if after[name][:2] != before[name][:2]}
    assert "docs/roles/account-executive.md" in changed and "docs/playbook.json" in changed
    assert "docs/roles/sales-manager.md" not in changed and "mkdocs.yml" not in changed
    assert rewritten == changed  # a file whose bytes are the same keeps its inode and mtime
    assert counts(result.stdout) == (len(changed), len(after) - 1 - len(changed), 0)
    assert len(changed) < len(after) // 2


def test_a_removed_role_page_is_deleted_and_counted(generated: tuple[Path, Path]) -> None:
    project, out = generated
    page = out / "docs" / "roles" / "revenue-analyst.md"
    assert page.is_file()
    (project / "content" / "roles" / "revenue-analyst.yml").unlink()
    result = run_cli("generate", "--out", str(out), cwd=project)
    assert result.exit_code == 0, result.output
    assert not page.exists()
    written, _unchanged, removed = counts(result.stdout)
    assert removed == 1 and written >= 1  # the listings and exports that named the role
    manifest = json.loads((out / ".playbook" / "manifest.json").read_text(encoding="utf-8"))
    assert "docs/roles/revenue-analyst.md" not in manifest and "docs/roles/account-executive.md" in manifest
    assert manifest == sorted(name for name in files_of(out) if name != ".playbook/manifest.json")


def test_files_generate_did_not_write_are_left_alone(generated: tuple[Path, Path]) -> None:
    """What the user keeps in the folder (notes, a page of their own, a built site) is not the
    manifest's: a run that removes a page removes only that page."""
    project, out = generated
    own = {
        "NOTES.md": b"my notes\n",
        "docs/roles/my-own-page.md": b"# Mine\n",
        "site/index.html": b"<p>built</p>\n",
        ".playbook/other.json": b"{}\n",
    }
    for rel, data in own.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    (project / "content" / "roles" / "revenue-analyst.yml").unlink()
    result = run_cli("generate", "--out", str(out), cwd=project)
    assert result.exit_code == 0, result.output
    assert counts(result.stdout)[2] == 1
    assert {rel: (out / rel).read_bytes() for rel in own} == own


@pytest.mark.parametrize(
    "manifest",
    [
        '["../victim.txt", "docs/../../victim.txt", "VICTIM"]',  # VICTIM: its absolute path
        '"NOTES"',  # a string is no list of files: not the letters N, O, T, E, S
        '{"NOTES.md": 1}',
        '["NOTES.md\\\\..\\\\..\\\\victim.txt", 7, null, ""]',
    ],
    ids=["outside", "a-string", "an-object", "odd-entries"],
)
def test_a_manifest_that_names_what_is_not_its_own_removes_nothing(tmp_path: Path, manifest: str) -> None:
    """The manifest is a file in the user's folder: only the paths inside the folder that it lists as
    a list are ever removed."""
    out = tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    (out / ".playbook").mkdir(parents=True)
    for name in ("N", "O", "T", "E", "S", "NOTES.md"):
        (out / name).write_text("mine\n", encoding="utf-8")
    (out / ".playbook" / "manifest.json").write_text(manifest.replace("VICTIM", str(victim)), encoding="utf-8")
    synced = sync(out, {"mkdocs.yml": b"site_name: x\n"})
    assert synced.removed == ()
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert all((out / name).is_file() for name in ("N", "O", "T", "E", "S", "NOTES.md"))
    assert json.loads((out / ".playbook" / "manifest.json").read_text(encoding="utf-8")) == ["mkdocs.yml"]


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)], ids=["022", "027", "002"])
def test_generated_files_get_the_permissions_open_would_give(generated: tuple[Path, Path], umask: int, mode: int) -> None:
    """Not mkstemp's 0600: a project written under umask 022 is readable by the web server or the
    colleague who builds it. Both the files written first and the ones written again."""
    project, out = generated
    fresh = out.parent / "fresh"
    previous = os.umask(umask)
    try:
        assert run_cli("generate", "--out", str(fresh), cwd=project).exit_code == 0
        role = project / "content" / "roles" / "account-executive.yml"
        role.write_text(role.read_text(encoding="utf-8").replace("Closes deals.", "Closes more deals."), encoding="utf-8")
        assert run_cli("generate", "--out", str(out), cwd=project).exit_code == 0
    finally:
        os.umask(previous)
    modes = {path.relative_to(fresh).as_posix(): stat.S_IMODE(path.stat().st_mode) for path in fresh.rglob("*") if path.is_file()}
    assert ".playbook/manifest.json" in modes and "docs/roles/account-executive.md" in modes
    assert {name: found for name, found in modes.items() if found != mode} == {}
    assert stat.S_IMODE((out / "docs" / "roles" / "account-executive.md").stat().st_mode) == mode  # written again
    assert not [path for path in fresh.rglob(".*") if path.is_file()]  # no temporary file left
