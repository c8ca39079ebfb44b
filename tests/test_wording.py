"""Phrasings readers reported (issue 13): each as it reads now.

- the home page counts the diagnostic's statements as "a diagnostic of 8 statements", never "a 8-statement";
- a role's hand-offs read "Marketing Qualified Lead from Marketing Manager: act within ...", never
  "Marketing Qualified Lead leads from ...";
- a version whose title starts with its number is named once: "version 1.1 (February)", never
  "version 1.1 (1.1 (February))", on its "What changed" page and in what `playbook publish` prints;
- `playbook build` prints the site as `validate` prints paths (relative), not its temporary folder;
- a count is said in words, singular or plural as the number asks ("1 problem", "2 drafts"), never
  with a plural in brackets ("1 problem(s)").
"""

from __future__ import annotations

import io
import re
import textwrap
import tokenize
from datetime import date
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, MINIMAL, REPO, make_site_project, run_cli, write_content
from playbook_site.cli.publishing import version_name
from playbook_site.content import load
from playbook_site.errors import ContentError, Problem
from playbook_site.publishing.changes import PreviousVersion, release_of
from playbook_site.site.csp import unknown_message
from playbook_site.site.project import Options, build_project
from playbook_site.site.render import render


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


# --- counts in words -------------------------------------------------------------------------------

BRACKETED_PLURAL = re.compile(r"[A-Za-z]\((?:s|es)\)")


def test_no_message_says_a_count_with_a_plural_in_brackets() -> None:
    """Every string in the package, the templates and the starter files: "1 problem(s)" reads as a
    form, not a sentence; counts go through `playbook_site.text.plural`. ("http(s)" is no count.)"""
    found = []
    for path in sorted((REPO / "generator").rglob("*.py")):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        for token in tokens:
            if token.type == tokenize.STRING and BRACKETED_PLURAL.search(token.string.replace("http(s)", "")):
                found.append(f"{path.relative_to(REPO)}:{token.start[0]}: {token.string[:80]}")
    others = [*(REPO / "templates").rglob("*.j2"), *(REPO / "generator" / "playbook_site" / "starter").rglob("*")]
    for path in sorted(path for path in others if path.is_file()):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if BRACKETED_PLURAL.search(line.replace("http(s)", "")):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()[:80]}")
    assert found == []


def test_counts_read_singular_and_plural() -> None:
    one = Problem("content/playbook.yml", 1, 1, "unknown-field", "unknown field `x`")
    two = Problem("content/playbook.yml", 2, 1, "unknown-field", "unknown field `y`")
    assert str(ContentError([one])).startswith("1 problem in the playbook content; first: ")
    assert str(ContentError([one, two])).startswith("2 problems in the playbook content; first: ")
    assert unknown_message("a.html", ["alert(1)"]).startswith("a.html: 1 inline script that is not the theme's would be")
    assert unknown_message("a.html", ["alert(1)", "x()"]).startswith("a.html: 2 inline scripts that are not the theme's would")


def test_a_diagnostic_of_one_statement_is_counted_in_the_singular(tmp_path: Path) -> None:
    alignment = textwrap.dedent(MINIMAL["alignment.yml"]).replace(
        "  - id: shared-target\n    text: We share one revenue target.\n", ""
    )
    assert "shared-target" not in alignment
    result = run_cli("validate", "--content", str(write_content(tmp_path / "content", {"alignment.yml": alignment})))
    assert result.exit_code == 1
    assert "with 1 statement scored 1-5 the bands must cover 1 to 5 without gaps" in result.stderr
    assert "1 statements" not in result.output


def test_zensical_serve_says_one_problem_in_the_singular(tmp_path: Path) -> None:
    from playbook_site.publishing.serving import ZensicalServer

    project = make_site_project(tmp_path / "repo")
    write_content(project / "content")
    reports: list[str] = []
    server = ZensicalServer(
        project / "mkdocs.yml", dev_addr="127.0.0.1:0", today=lambda: date(2026, 11, 23), report=reports.append
    )
    server.refresh()
    assert re.fullmatch(r"Content is valid: \d+ files written, 0 unchanged\.", reports[-1]), reports
    role = project / "content" / "roles" / "sales-manager.yml"
    good = role.read_text(encoding="utf-8")
    role.write_text(good.replace("function: sales\n", ""), encoding="utf-8")
    server.refresh()
    assert "The content has 1 problem: the pages show it until it is fixed." in reports
    role.write_text(good.replace("Leads the sales team.", "Leads the team."), encoding="utf-8")
    server.refresh()
    assert re.fullmatch(r"Content is valid: \d+ files? written, \d+ unchanged\.", reports[-1]), reports
