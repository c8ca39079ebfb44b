"""The engines and the standalone project (generator/publishing/engines.py): `release: true` honoured by
every path that builds or writes the site, and `playbook generate`'s sync (only what changed is written,
stale pages removed, nothing else touched, normal file permissions).

Real files in tmp_path, the real CLI, real MkDocs and Zensical builds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_site_project, run_cli, write_content

from generator.publishing.engines import settings_of

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
    assert f"{draft_project / 'content'}/roles/sales-manager.yml:6:13: error: agreed role `sales-manager`" in result.stderr
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

    from generator.publishing.serving import ZensicalServer

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
