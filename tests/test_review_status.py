"""Status and freshness end to end: badges in a real strict build, stale warnings in `validate`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL, TODAY, make_site_project, run_cli, write_content

# Today is 2026-11-23 in the tests (PLAYBOOK_TODAY).
FILES = {
    "roles/marketing-manager.yml": MINIMAL["roles/marketing-manager.yml"].rstrip() + "\n        status: draft\n",
    "kpis/win-rate.yml": MINIMAL["kpis/win-rate.yml"].rstrip() + "\n        status: proposed\n        review_by: 2027-06-30\n",
    "leads/marketing-qualified-lead.yml": MINIMAL["leads/marketing-qualified-lead.yml"].rstrip()
    + "\n        review_by: 2026-01-31\n",
    "glossary.yml": """
        terms:
          - id: ideal-customer-profile
            term: Ideal customer profile
            abbreviation: ICP
            definition: The companies we sell to.
            see_also: [marketing-qualified-lead]
          - id: bant
            term: BANT
            definition: Budget, authority, need and timing.
            status: retired
            review_by: 2025-01-31
    """,
}

STALE = "content/leads/marketing-qualified-lead.yml:11:12: {}: lead stage `marketing-qualified-lead` (Marketing Qualified Lead) was due for review on 2026-01-31 [stale]"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site_project(tmp_path_factory.mktemp("status") / "repo")
    write_content(root / "content", FILES)
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return project / "site"


def badges(html: str, anchor: str) -> list[str]:
    """The badges in the section of the page that starts at `id="anchor"`."""
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start + 1)
    return re.findall(r'<span class="pb-badge pb-badge--(\w+)">([^<]+)</span>', html[start : end if end > 0 else None])


def test_today_is_fixed() -> None:
    assert TODAY == "2026-11-23"


def test_status_and_needs_review_badges_on_the_site(site: Path) -> None:
    leads = (site / "leads" / "index.html").read_text(encoding="utf-8")
    assert badges(leads, "marketing-qualified-lead") == [("stale", "due for review")]
    assert badges(leads, "sales-qualified-lead") == []
    kpis = (site / "kpis" / "index.html").read_text(encoding="utf-8")
    assert badges(kpis, "win-rate") == [("proposed", "proposed")]  # review_by still ahead: no "due for review"
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert badges(glossary, "bant") == [("retired", "retired")]  # retired: never "due for review"
    role = (site / "roles" / "marketing-manager" / "index.html").read_text(encoding="utf-8")
    assert '<span class="pb-badge pb-badge--draft">draft</span>' in role
    agreed = (site / "roles" / "account-executive" / "index.html").read_text(encoding="utf-8")
    assert "pb-badge--" not in agreed.split('class="md-content"', 1)[1].split("</article>", 1)[0].replace(
        "pb-badge--proposed", ""
    )  # its table lists the proposed KPI Win rate; nothing else


def test_validate_warns_naming_the_stale_entity(project: Path) -> None:
    result = run_cli("validate", cwd=project)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == STALE.format("warning")
    assert "  hint: review the definition with its approvers, then move `review_by` forward" in result.stderr
    assert "bant" not in result.stderr  # retired
    assert result.stdout.endswith("0 errors, 1 warning in " + result.stdout.rsplit(" in ", 1)[1])


def test_strict_makes_a_stale_definition_an_error(project: Path) -> None:
    result = run_cli("validate", "--strict", cwd=project)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == STALE.format("error")
    assert result.stderr.rstrip().endswith("content: 1 error, 0 warnings")
    github = run_cli("validate", "--strict", "--format", "github", cwd=project)
    assert github.exit_code == 1
    assert github.stdout.startswith(
        "::error file=content/leads/marketing-qualified-lead.yml,line=11,col=12,title=stale::lead stage `marketing-qualified-lead`"
    )
