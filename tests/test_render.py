"""Rendering of each page kind into finished HTML, against golden files (refresh: `make golden`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import FOREIGN_CONTENT, golden_file, remove_golden, write_content
from playbook_site.content import load
from playbook_site.site.abbreviations import Abbreviation, Finder
from playbook_site.site.html import Writer
from playbook_site.site.pages import Page
from playbook_site.site.render import render

GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    root = write_content(tmp_path_factory.mktemp("render") / "content")
    return render(load(root), today=TODAY)


def golden_name(path: str) -> str:
    return path[: -len(".md")] + ".html"


@pytest.fixture(scope="module")
def foreign_pages() -> dict[str, Page]:
    """The second playbook: .yaml files, ids and text in German, French and Danish, its own functions."""
    return render(load(FOREIGN_CONTENT), today=TODAY)


def test_every_page_kind_is_rendered(pages: dict[str, Page]) -> None:
    assert {
        "index.md",
        "roles/index.md",
        "roles/account-executive.md",
        "leads.md",
        "kpis.md",
        "checklist.md",
        "alignment.md",
        "glossary.md",
        "responsibilities.md",
    } <= set(pages)


@pytest.mark.parametrize(("playbook", "fixture"), [("minimal", "pages"), ("foreign", "foreign_pages")])
def test_pages_match_golden_files(playbook: str, fixture: str, request: pytest.FixtureRequest) -> None:
    """tests/golden/<playbook>/ holds every page's finished HTML; `make golden` rewrites them and prints what changed."""
    rendered: dict[str, Page] = request.getfixturevalue(fixture)
    folder = GOLDEN / playbook
    wanted = {golden_name(path): page.html for path, page in rendered.items()}
    for name, html in sorted(wanted.items()):
        golden_file(request.config, folder / name, html)
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")} if folder.exists() else set()
    for stale in sorted(written - set(wanted)):
        remove_golden(request.config, folder / stale)


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    assert render(load(root), today=TODAY) == render(load(root), today=TODAY)


def test_role_page_derives_views_from_other_files(pages: dict[str, Page]) -> None:
    page = pages["roles/account-executive.md"]
    assert page.title == "Account Executive (AE)"
    assert page.html.startswith(
        '<h1 id="account-executive-ae">Account Executive (<abbr title="Account Executive: Closes deals.">AE</abbr>)'
    )
    assert '<a href="../sales-manager/">Sales Manager</a>' in page.html  # reports to
    assert '<a href="../../kpis/#win-rate">Win rate</a>' in page.html  # measured on
    # receives the MQL hand-off with its SLA
    assert (
        '<a href="../../leads/#marketing-qualified-lead">Marketing Qualified Lead</a> from'
        ' <a href="../marketing-manager/">Marketing Manager</a>: act within <strong>24 hours</strong>'
    ) in page.html
    assert '<a href="../../leads/#sales-qualified-lead">Sales Qualified Lead</a>' in page.html  # owns the SQL stage
    assert [(h.level, h.id) for h in page.headings][:3] == [(1, "account-executive-ae"), (2, "responsibilities"), (2, "kpis")]


def test_links_follow_the_sites_url_style(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    flat = render(load(root), today=TODAY, directory_urls=False)["roles/account-executive.md"]
    assert '<a href="sales-manager.html">Sales Manager</a>' in flat.html
    assert '<a href="../kpis.html#win-rate">Win rate</a>' in flat.html


def test_status_badges_and_needs_review(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            "kpis/win-rate.yml": """
        name: Win rate
        definition: Share of deals won.
        formula: Won / (won + lost)
        unit: percent
        direction: higher
        owner: sales-manager
        status: proposed
        review_by: 2026-01-31
    """
        },
    )
    page = render(load(root), today=TODAY)["kpis.md"].html
    assert '<span class="pb-badge pb-badge--proposed">proposed</span>' in page
    assert '<span class="pb-badge pb-badge--stale">due for review</span>' in page
    agreed = render(load(root), today=date(2025, 1, 1))["kpis.md"].html
    assert "due for review" not in agreed


ABBREVIATIONS = Finder(
    {
        "SQL": Abbreviation("SQL", "lead", "sales-qualified-lead", "Sales Qualified Lead: qualified <in> a call & booked"),
        "R&D": Abbreviation("R&D", "term", "research-and-development", "Research & development"),
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ 7*7 }} and {% if x %}", "{{ 7*7 }} and {% if x %}"),
        ("response < 5 days & > 1", "response &lt; 5 days &amp; &gt; 1"),
        ("**bold** and *it* and snake_case", "<strong>bold</strong> and <em>it</em> and snake_case"),
        ("see [the AE](role:account-executive)", 'see <a href="roles/account-executive/">the AE</a>'),
        ("see [docs](https://example.com/a_b)", 'see <a href="https://example.com/a_b">docs</a>'),
        ("[sales](https://en.example.org/Sales_(process))", '<a href="https://en.example.org/Sales_(process)">sales</a>'),
        ("![pixel](https://tracker.example/p.png)", '!<a href="https://tracker.example/p.png">pixel</a>'),
        ("- not a list", "- not a list"),
        ("# not a heading", "# not a heading"),
        ("a | b", "a | b"),
        ("code `<b>{x}</b>` stays", "code <code>&lt;b&gt;{x}&lt;/b&gt;</code> stays"),
        ("attr { onclick=alert(1) }", "attr { onclick=alert(1) }"),
        ("&lt;b&gt; stays as written", "&amp;lt;b&amp;gt; stays as written"),
        ("*[MQL]: a definition", "*[MQL]: a definition"),
        ("[x]: https://example.com", "[x]: https://example.com"),
    ],
)
def test_inline_text_becomes_html_once(text: str, expected: str) -> None:
    assert Writer().inline(text, "index.md") == expected


def test_abbreviations_get_their_tooltip_escaped_for_materials_tooltips() -> None:
    writer = Writer(ABBREVIATIONS)
    html = writer.inline("Every SQL, and R&D too.", "kpis.md")
    assert html == (
        'Every <a class="pb-abbr" href="../leads/#sales-qualified-lead"><abbr title="Sales Qualified Lead: qualified'
        ' &amp;lt;in&amp;gt; a call &amp;amp; booked">SQL</abbr></a>, and <a class="pb-abbr"'
        ' href="../glossary/#research-and-development"><abbr title="Research &amp;amp; development">R&amp;D</abbr></a> too.'
    )
    # Without Material's tooltips the title is read once, by the browser: escaped once.
    plain = Writer(ABBREVIATIONS, tooltips=False).inline("SQL", "kpis.md")
    assert 'title="Sales Qualified Lead: qualified &lt;in&gt; a call &amp; booked"' in plain
    # Inside a link, an abbreviation gets its tooltip but no link of its own.
    assert "pb-abbr" not in writer.inline("[the SQL page](lead:sales-qualified-lead)", "kpis.md")


RETIRED_AND_DRAFT = {
    "roles/brand-manager.yml": """
        name: Brand Manager
        function: marketing
        summary: Owns the brand.
        status: retired
        responsibilities:
          - Runs campaigns.
        onboarding:
          - Read the brand book.
    """,
    "roles/field-marketer.yml": """
        name: Field Marketer
        function: marketing
        summary: Runs events.
        status: draft
        responsibilities:
          - Runs events.
        onboarding:
          - Visit a trade fair.
    """,
    "roles/sales-manager.yml": """
        name: Sales Manager
        function: sales
        summary: Leads the sales team.
        responsibilities:
          - Coaches the team.
        onboarding:
          - Shadow a forecast call.
    """,
}


def _start_here(home: str) -> list[str]:
    """The role names listed under "Start here" (its heading to the next one)."""
    import re

    start = home.index('id="start-here"')
    section = home[start : home.index("<h2", start)]
    return re.findall(r'<li><a href="[^"]*">([^<]*)</a>', section)


def test_retired_and_draft_roles_are_left_out_of_start_here_and_counted_apart(tmp_path: Path) -> None:
    """Five roles: three in use, one retired, one draft. "Start here" lists the three in use; the count
    says "3 active roles, 1 draft and 1 retired" and never "5 roles"; a retired role's page offers no
    onboarding path, a draft's no checklist to tick (issue 23)."""
    playbook = load(write_content(tmp_path / "content", RETIRED_AND_DRAFT))
    expected = sorted(role.name for role in playbook.roles.values() if role.status not in ("draft", "retired"))
    assert len(playbook.roles) == 5 and len(expected) == 3
    pages = render(playbook, today=TODAY)
    home = pages["index.md"].html
    assert sorted(_start_here(home)) == expected
    assert "5 roles" not in home
    assert "3 active roles, 1 draft and 1 retired: who owns what" in home
    assert "2 stages of the lead lifecycle" in home  # every stage in use: counted plainly
    retired = pages["roles/brand-manager.md"].html
    assert "pb-onboarding" not in retired and "Read the brand book" not in retired
    assert "nobody is onboarded into it" in retired
    draft = pages["roles/field-marketer.md"].html
    assert "pb-onboarding" not in draft and "not agreed yet" in draft and "Visit a trade fair" in draft
    assert 'class="pb-onboarding"' in pages["roles/sales-manager.md"].html


def test_a_retired_role_is_left_out_of_start_here_in_a_built_site(tmp_path: Path) -> None:
    """The same through a real `mkdocs build`: the home page of the site."""
    from conftest import make_site_project, mkdocs_build_in_process

    project = make_site_project(tmp_path / "repo")
    write_content(project / "content", {"roles/brand-manager.yml": RETIRED_AND_DRAFT["roles/brand-manager.yml"]})
    mkdocs_build_in_process(project, tmp_path / "site")
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Brand Manager" not in _start_here(home)
    assert "Account Executive" in _start_here(home)
    assert "3 active roles, 1 retired: who owns what" in home
