"""Phrasings readers reported (issue 13): each as it reads now.

- the home page counts the diagnostic's statements as "a diagnostic of 8 statements", never "a 8-statement";
- a role's hand-offs read "Marketing Qualified Lead from Marketing Manager: act within ...", never
  "Marketing Qualified Lead leads from ...";
- a version whose title starts with its number is named once: "version 1.1 (February)", never
  "version 1.1 (1.1 (February))", on its "What changed" page and in what `playbook publish` prints;
- `playbook build` prints the site as `validate` prints paths (relative), not its temporary folder.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import DEFAULT_CONTENT, make_site_project, run_cli, write_content

from generator.cli.publishing import version_name
from generator.content import load
from generator.publishing.changes import PreviousVersion, release_of
from generator.site.project import Options, build_project
from generator.site.render import render


def text_of(html: str) -> str:
    return (
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("&para;", "")))
        .replace(" .", ".")
        .replace(" :", ":")
        .replace(" ,", ",")
        .strip()
    )


def test_the_home_page_counts_the_statements_in_words() -> None:
    playbook = load(DEFAULT_CONTENT)
    home = text_of(render(playbook)["index.md"].html)
    count = len(playbook.alignment.questions)
    assert f"a diagnostic of {count} statements" in home
    assert not re.search(r"\ba \d+-statement", home)


def test_hand_offs_on_a_role_page_name_the_stage_and_the_other_role(tmp_path: Path) -> None:
    pages = render(load(write_content(tmp_path / "content")))
    receives = text_of(pages["roles/account-executive.md"].html)
    assert "Receives Marketing Qualified Lead from Marketing Manager: act within 24 hours" in receives
    makes = text_of(pages["roles/marketing-manager.md"].html)
    assert "Makes Marketing Qualified Lead to Account Executive, who acts within 24 hours" in makes
    assert "leads from" not in receives + makes and "leads to" not in receives + makes


@pytest.mark.parametrize(
    ("version", "title", "name"),
    [
        ("1.1", "1.1 (February)", "version 1.1 (February)"),
        ("1.1", "1.1", "version 1.1"),
        ("1.1", "", "version 1.1"),
        ("1.1", "Winter", "version 1.1 (Winter)"),
        ("1.1", "1.10 preview", "version 1.1 (1.10 preview)"),
        ("2026-Q4", "2026-Q4 agreed on 20 November", "version 2026-Q4 agreed on 20 November"),
    ],
)
def test_a_version_is_named_once(tmp_path: Path, version: str, title: str, name: str) -> None:
    assert version_name(version, title) == name
    playbook = load(write_content(tmp_path / "content"))
    previous = PreviousVersion("1.0", "1.0 (January)", None)
    release = release_of(playbook, version=version, title=title or version, day=date(2027, 2, 1), previous=previous)
    page = text_of(build_project(playbook, Options(release=release)).pages["changes.md"].html)
    assert f"This is {name} of the playbook, published on 1 February 2027." in page
    assert "The previous published version is version 1.0 (January)." in page


def test_publish_names_the_version_once(tmp_path: Path) -> None:
    from conftest import init_repo

    project = make_site_project(tmp_path / "repo")
    write_content(project / "content")
    (project / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    init_repo(project)
    result = run_cli("publish", "1.1", "--title", "1.1 (February)", cwd=project)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Published version 1.1 (February) from commit ")


def test_build_prints_the_site_as_validate_prints_paths(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content")
    result = run_cli("build", cwd=project)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"Built the playbook site in \d+\.\d s: site/index\.html\n", result.stdout), result.stdout
    assert result.stderr == ""  # not MkDocs' "Building documentation to directory: /tmp/..."
    assert run_cli("validate", cwd=project).stdout.startswith("content: valid (")
