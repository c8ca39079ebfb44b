"""What a printed page names (issue 23): the playbook, its version, its date and the page's address,
written by the build into every page for print CSS to show (tests/browser/test_print.py prints it)."""

from __future__ import annotations

import re
import textwrap
from datetime import date
from pathlib import Path

from conftest import MINIMAL, SERVE_URL, make_site_project, mkdocs_build_in_process, write_content
from playbook_site.content import load
from playbook_site.content.release import Release
from playbook_site.site.project import Options, build_project, printed_as


def test_a_published_version_prints_its_number_title_and_date(tmp_path: Path) -> None:
    playbook = load(write_content(tmp_path / "content"))
    release = Release("1.1", "Q4 2026 (agreed 7 Dec)", date(2026, 12, 7))
    assert printed_as(playbook, release, date(2027, 1, 5)) == {
        "version": "version 1.1 · Q4 2026 (agreed 7 Dec)",
        "date": "7 December 2026",
    }
    project = build_project(playbook, Options(today=date(2027, 1, 5), release=release))
    assert project.extra()["playbook_print"] == {"version": "version 1.1 · Q4 2026 (agreed 7 Dec)", "date": "7 December 2026"}


def test_an_unpublished_build_prints_the_playbooks_version_and_the_day_it_was_built(tmp_path: Path) -> None:
    bare = load(write_content(tmp_path / "bare"))
    assert bare.meta.version is None
    assert printed_as(bare, None, date(2026, 11, 23)) == {"version": "no version number", "date": "built 23 November 2026"}
    meta = (tmp_path / "bare" / "playbook.yml").read_text(encoding="utf-8") + "version: '2.0'\n"
    versioned = load(write_content(tmp_path / "versioned", {"playbook.yml": meta}))
    assert printed_as(versioned, None, date(2026, 11, 23))["version"] == "version 2.0"


def test_every_built_page_carries_the_print_line_with_its_own_address(tmp_path: Path) -> None:
    """A real `mkdocs build` (its site_url, as `serve` sets it): each page's line ends with its canonical address."""
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content", {"playbook.yml": textwrap.dedent(MINIMAL["playbook.yml"]) + "version: '1.0'\n"})
    mkdocs_build_in_process(project, tmp_path / "site")
    pages = sorted((tmp_path / "site").glob("roles/*/index.html")) + [tmp_path / "site" / "index.html"]
    assert len(pages) > 3
    for page in pages:
        html = page.read_text(encoding="utf-8")
        line = re.search(r'<p class="pb-print-meta">(.*?)</p>', html, re.S)
        assert line is not None, page
        text = " ".join(re.sub(r"<[^>]+>", "", line.group(1)).split())
        address = SERVE_URL + page.parent.relative_to(tmp_path / "site").as_posix() + "/"
        address = address.replace("/./", "/")
        assert text == f"Test Playbook · version 1.0 · built 23 November 2026 · {address}", text
