"""Rendering of each page kind, against golden files (refresh: `make golden`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import FOREIGN_CONTENT, golden_file, remove_golden, write_content

from generator.content import load
from generator.site.inline import inline_markdown
from generator.site.render import render
from generator.text import escape_plain

GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = write_content(tmp_path_factory.mktemp("render") / "content")
    return render(load(root), today=TODAY)


@pytest.fixture(scope="module")
def foreign_pages() -> dict[str, str]:
    """The second playbook: .yaml files, ids and text in German, French and Danish, its own functions."""
    return render(load(FOREIGN_CONTENT), today=TODAY)


def test_every_page_kind_is_rendered(pages: dict[str, str]) -> None:
    assert {
        "index.md",
        "roles/index.md",
        "roles/account-executive.md",
        "leads.md",
        "kpis.md",
        "checklist.md",
        "alignment.md",
        "glossary.md",
    } <= set(pages)


@pytest.mark.parametrize(("playbook", "fixture"), [("minimal", "pages"), ("foreign", "foreign_pages")])
def test_pages_match_golden_files(playbook: str, fixture: str, request: pytest.FixtureRequest) -> None:
    """tests/golden/<playbook>/ holds every page; `make golden` rewrites them and prints what changed."""
    rendered: dict[str, str] = request.getfixturevalue(fixture)
    folder = GOLDEN / playbook
    for path, markdown in sorted(rendered.items()):
        golden_file(request.config, folder / path, markdown)
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")} if folder.exists() else set()
    for stale in sorted(written - set(rendered)):
        remove_golden(request.config, folder / stale)


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    assert render(load(root), today=TODAY) == render(load(root), today=TODAY)


def test_role_page_derives_views_from_other_files(pages: dict[str, str]) -> None:
    page = pages["roles/account-executive.md"]
    assert "# Account Executive (AE)" in page
    assert "[Sales Manager](sales-manager.md)" in page  # reports to
    assert "[Win rate](../kpis.md#win-rate)" in page  # measured on
    # receives the MQL hand-off with its SLA
    assert (
        "[Marketing Qualified Lead](../leads.md#marketing-qualified-lead) leads from [Marketing Manager](marketing-manager.md): act within **24 hours**"
        in page
    )
    assert "[Sales Qualified Lead](../leads.md#sales-qualified-lead)" in page  # owns the SQL stage


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
    page = render(load(root), today=TODAY)["kpis.md"]
    assert '<span class="pb-badge pb-badge--proposed">proposed</span>' in page
    assert '<span class="pb-badge pb-badge--stale">needs review</span>' in page
    agreed = render(load(root), today=date(2025, 1, 1))["kpis.md"]
    assert "needs review" not in agreed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ 7*7 }} and {% if x %}", r"\{\{ 7*7 \}\} and \{% if x %\}"),
        ("response < 5 days & > 1", "response &lt; 5 days &amp; &gt; 1"),
        ("**bold** and *it*", "**bold** and *it*"),
        ("see [the AE](role:account-executive)", "see [the AE](roles/account-executive.md)"),
        ("see [docs](https://example.com/a_b)", "see [docs](https://example.com/a_b)"),
        ("![pixel](https://tracker.example/p.png)", "\\![pixel](https://tracker.example/p.png)"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("# not a heading", "\\# not a heading"),
        ("a | b", "a \\| b"),
        ("code `<b>{x}</b>` stays", "code `<b>{x}</b>` stays"),
        ("attr { onclick=alert(1) }", "attr \\{ onclick=alert\\(1\\) \\}"),
    ],
)
def test_inline_text_is_escaped_for_markdown(text: str, expected: str) -> None:
    assert inline_markdown(text, "index.md") == expected


def test_plain_values_escape_emphasis_too() -> None:
    assert escape_plain("a *b* _c_ <d>") == r"a \*b\* \_c\_ &lt;d&gt;"
