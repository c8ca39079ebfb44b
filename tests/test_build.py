"""The plugin inside a real `mkdocs build --strict`, and search coverage of every entity."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, FOREIGN_CONTENT, REPO, make_site_project
from playbook_site.content import load
from playbook_site.content.schema import display_name
from playbook_site.site.paths import anchor_of, page_of

MKDOCS = [sys.executable, "-m", "mkdocs"]


def mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MKDOCS, "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300)


def site_url(kind: str, entity_id: str) -> str:
    page = page_of(kind, entity_id)
    url = "" if page == "index.md" else page.removesuffix(".md").removesuffix("index") + "/"
    url = url.replace("//", "/")
    anchor = anchor_of(kind, entity_id)
    return f"{url}#{anchor}" if anchor else url


def foreign_windows_copy(root: Path) -> Path:
    """The foreign playbook with Windows line endings and a byte-order mark on every file."""
    shutil.copytree(FOREIGN_CONTENT, root)
    for file in root.rglob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        file.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    return root


@pytest.fixture(scope="module")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_site_project(tmp_path_factory.mktemp("default") / "repo", DEFAULT_CONTENT)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def foreign_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_site_project(tmp_path_factory.mktemp("foreign") / "repo")
    foreign_windows_copy(project / "content")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project


def assert_every_entity_is_searchable(project: Path) -> None:
    playbook = load(project / "content")
    index = json.loads((project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    for kind, entity in playbook.entities():
        location = site_url(kind, entity.id)
        assert location in docs, f"{kind} {entity.id}: no search entry at {location}"
        doc = docs[location]
        haystack = html.unescape(doc["title"] + " " + doc["text"])
        words = display_name(entity).split()[:3]
        assert all(word in haystack for word in words), f"{kind} {entity.id}: {words} not in the entry at {location}"
        if getattr(entity, "abbreviation", None):
            assert entity.abbreviation in html.unescape(doc["title"]), f"{kind} {entity.id}: abbreviation not in heading"


def test_default_site_builds_strictly_with_every_page(default_site: Path) -> None:
    site = default_site / "site"
    for page in [
        "index.html",
        "roles/index.html",
        "roles/account-executive/index.html",
        "leads/index.html",
        "kpis/index.html",
        "checklist/index.html",
        "alignment/index.html",
        "glossary/index.html",
        "assets/playbook/playbook.css",
    ]:
        assert (site / page).is_file(), page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Northwind" in home


def test_every_default_entity_is_searchable(default_site: Path) -> None:
    assert_every_entity_is_searchable(default_site)


def test_foreign_playbook_builds_strictly_and_is_searchable(foreign_site: Path) -> None:
    assert_every_entity_is_searchable(foreign_site)
    checklist = (foreign_site / "site" / "checklist" / "index.html").read_text(encoding="utf-8")
    assert checklist.count('<h2 id="') == 12
    alignment = (foreign_site / "site" / "alignment" / "index.html").read_text(encoding="utf-8")
    assert "Wir feiern Erfolge gemeinsam." in alignment
    home = (foreign_site / "site" / "index.html").read_text(encoding="utf-8")
    assert "Müller &amp; Søn AG" in home
    assert "<title>Playbook Ventes &amp; Marketing — Zürich</title>" in home  # the site title comes from playbook.yml
    assert 'aria-label="Playbook Ventes &amp; Marketing — Zürich"' in home  # escaped once in attributes too
    assert 'title="Playbook Ventes &amp; Marketing — Zürich"' in home


def test_navigation_groups_roles_by_function(default_site: Path) -> None:
    from playbook_site.site.project import build_project

    nav = build_project(load(default_site / "content")).nav()
    assert [next(iter(item)) for item in nav] == [
        "Home",
        "Roles",
        "Lead definitions",
        "KPIs",
        "Scorecard",  # the bundled playbook has results
        "Alignment checklist",
        "Alignment model",
        "Glossary",
        "Responsibility matrix",
    ]
    roles = nav[1]["Roles"]
    assert roles[0] == "roles/index.md"
    sections = {next(iter(group)): group[next(iter(group))] for group in roles[1:]}
    assert {"Account Executive": "roles/account-executive.md"} in sections["Sales"]
    assert all(len(members) >= 1 for members in sections.values())
    page = (default_site / "site" / "roles" / "account-executive" / "index.html").read_text(encoding="utf-8")
    assert 'href="../sales-development-rep/"' in page  # a sibling in the Sales section is in the navigation


def test_no_third_party_hosts_in_built_html(default_site: Path) -> None:
    for page in (default_site / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, page
        for attr in ('src="http', "src='http", 'href="https://fonts', "@import url(http"):
            assert attr not in text, f"{page}: {attr}"


def test_content_is_data_in_the_built_html(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    role = project / "content" / "roles" / "account-executive.yml"
    role.write_text(
        role.read_text(encoding="utf-8").replace(
            "responsibilities:\n", "responsibilities:\n  - 'Replies in < 5 minutes to {{ config.site_name }} and {% raw %}'\n", 1
        ),
        encoding="utf-8",
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site" / "roles" / "account-executive" / "index.html").read_text(encoding="utf-8")
    assert "Replies in &lt; 5 minutes to {{ config.site_name }} and {% raw %}" in page


def test_bad_content_fails_the_build_before_cleaning_the_site(default_site: Path, tmp_path: Path) -> None:
    project = tmp_path / "repo"
    shutil.copytree(default_site, project)
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "content" / "kpis" / "win-rate.yml").write_text("name: [unclosed\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "content/kpis/win-rate.yml:1:" in result.stderr or "win-rate.yml:2:" in result.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before


def test_mkdocs_yml_of_the_repository_is_what_tests_use() -> None:
    assert (REPO / "mkdocs.yml").read_text(encoding="utf-8").count("- playbook") == 1


def test_hand_written_pages_in_docs_join_the_navigation(tmp_path: Path) -> None:
    """docs/ may hold pages written by hand: a strict build keeps them, after the playbook's own pages."""
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    (project / "docs" / "about.md").write_text("# About this playbook\n\nSee the [roles](roles/index.md).\n", encoding="utf-8")
    (project / "docs" / "guides").mkdir()
    (project / "docs" / "guides" / "pipeline-review.md").write_text("# Running a pipeline review\n\nText.\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)" class="md-nav__link">\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', home)
    titles = [title for _href, title in links]
    assert ("about/", "About this playbook") in links
    assert ("guides/pipeline-review/", "Running a pipeline review") in links
    # After the generated pages, in the order of their paths.
    assert titles.index("Responsibility matrix") < titles.index("About this playbook") < titles.index("Running a pipeline review")
    assert (project / "site" / "about" / "index.html").is_file()


def test_a_hand_written_page_where_a_generated_one_lands_is_refused(tmp_path: Path) -> None:
    """docs/README.md becomes the home page in MkDocs, as docs/kpis.md becomes the KPI page: the
    generated page would silently win, so the strict build stops and says which."""
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    for name, generated in (("README.md", "index.md"), ("kpis.md", "kpis.md")):
        page = project / "docs" / name
        page.write_text("# Written by hand\n\nhello from docs\n", encoding="utf-8")
        result = mkdocs_build(project)
        assert result.returncode == 1
        assert (
            f"docs/{name} is replaced by the page generated from the playbook content ({generated}): move it to another name"
            in result.stderr
        )
        page.unlink()


def test_not_in_nav_pages_stay_out_of_the_navigation(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    (project / "docs" / "about.md").write_text("# About this playbook\n", encoding="utf-8")
    (project / "docs" / "print-notes.md").write_text("# Print notes\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nnot_in_nav: |\n  print-notes.md\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="about/"' in home and 'href="print-notes/"' not in home
    assert (project / "site" / "print-notes" / "index.html").is_file()


def test_a_build_hands_its_loaded_content_to_that_build_only(tmp_path: Path) -> None:
    """MkDocs keeps the plugin's instance for the whole process (it has `on_startup`), so what
    `build_site` hands it (the content it loaded, a release, offline) must not outlive the build: a
    later build in the same process reads the content as it is then."""
    from conftest import mkdocs_build_in_process
    from playbook_site.content import load_all
    from playbook_site.publishing.build import build_site

    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    config_file = project / "mkdocs.yml"
    build_site(config_file, site_dir=tmp_path / "first", loaded=load_all(project / "content"), offline=True)
    role = project / "content" / "roles" / "account-executive.yml"
    role.write_text(role.read_text(encoding="utf-8").replace("summary: ", "summary: Read again. ", 1), encoding="utf-8")
    plugin = mkdocs_build_in_process(project, tmp_path / "second", startup="build")
    assert (plugin.preloaded, plugin.release_info, plugin.offline) == (None, None, False)
    page = (tmp_path / "second" / "roles" / "account-executive" / "index.html").read_text(encoding="utf-8")
    assert "Read again." in page
