"""What a published version holds (generator/playbook_site/content/release.py), its "What changed" page
(generator/playbook_site/publishing/changes.py) and release builds through the plugin.

Pure functions on playbooks loaded from real YAML files in tmp_path; release builds are real
`mkdocs build --strict` runs with the plugin option `release: true`, or real builds given the
version being published, as `playbook publish` makes them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from conftest import MINIMAL, make_site_project, write_content
from playbook_site.content import load, load_all
from playbook_site.content.exports import playbook_to_dict
from playbook_site.content.refs import references
from playbook_site.content.release import (
    Release,
    draft_references,
    drafts,
    release_problems,
    released,
    source_locate,
    without_drafts,
)
from playbook_site.content.schema import Playbook
from playbook_site.errors import Problem
from playbook_site.publishing.build import build_site
from playbook_site.publishing.changes import PreviousVersion, release_of
from playbook_site.site.project import Options, build_project

DRAFT_KPI = """
    name: Pipeline velocity
    definition: How fast pipeline turns into revenue.
    formula: Opportunities × win rate × deal size ÷ cycle length
    unit: currency
    currency: USD
    direction: higher
    owner: sales-manager
    status: draft
"""


def plus(name: str, line: str) -> str:
    """A file of MINIMAL with one more top-level field."""
    return textwrap.dedent(MINIMAL[name]).strip("\n") + "\n" + line + "\n"


def located(content: Path) -> list[Problem]:
    loaded = load_all(content)
    return release_problems(loaded.playbook, source_locate(loaded.playbook, loaded.sources, lambda rel: f"content/{rel}"))


def line_of(file: Path, text: str) -> int:
    return next(number for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


# --- without_drafts ------------------------------------------------------------------------------


def test_without_drafts_leaves_out_every_kind_of_draft_and_nothing_else(tmp_path: Path) -> None:
    content = write_content(
        tmp_path / "content",
        {
            "roles/field-marketer.yml": """
                name: Field Marketer
                function: marketing
                status: draft
                summary: Runs events.
                responsibilities: [Runs events.]
            """,
            "kpis/pipeline-velocity.yml": DRAFT_KPI,
            "leads/product-qualified-lead.yml": """
                name: Product Qualified Lead
                order: 3
                definition: A trial user who hit the activation milestone.
                owner: account-executive
                entry_criteria: [Activated in the trial.]
                status: proposed
            """,
            "checklist.yml": """
                steps:
                  - id: joint-meetings
                    title: Joint meetings
                    description: Meet every week.
                    owner: sales-manager
                  - id: shared-dashboard
                    title: Shared dashboard
                    description: One dashboard.
                    owner: sales-manager
                    status: draft
            """,
            "glossary.yml": """
                terms:
                  - id: ideal-customer-profile
                    term: Ideal customer profile
                    definition: The companies we sell to.
                  - id: whitespace
                    term: Whitespace
                    definition: Accounts we have not reached.
                    status: draft
            """,
        },
    )
    playbook = load(content)
    before = playbook_to_dict(playbook)
    result = without_drafts(playbook)
    assert drafts(playbook) == [
        ("role", "field-marketer"),
        ("kpi", "pipeline-velocity"),
        ("step", "shared-dashboard"),
        ("term", "whitespace"),
    ]
    assert list(result.roles) == ["account-executive", "marketing-manager", "sales-manager"]
    assert list(result.kpis) == ["win-rate"]
    assert list(result.leads) == ["marketing-qualified-lead", "sales-qualified-lead", "product-qualified-lead"]
    assert [s.id for s in result.checklist.steps] == ["joint-meetings"]
    assert [t.id for t in result.glossary.terms] == ["ideal-customer-profile"]
    assert drafts(result) == []
    assert ("role", "field-marketer") not in result.sources and ("role", "account-executive") in result.sources
    assert playbook_to_dict(playbook) == before  # the input is left alone


def test_released_labels_the_playbook_with_the_version(content: Path) -> None:
    info = Release("2026-Q4", "Q4 2026", date(2026, 11, 23))
    assert released(load(content), info).meta.version == "2026-Q4"
    assert released(load(content), None).meta.version is None


# --- references to drafts ------------------------------------------------------------------------

# (what to write, the file and text of the line where the problem is, the message's start)
CASES = [
    (
        {
            "kpis/pipeline-velocity.yml": DRAFT_KPI,
            "roles/account-executive.yml": MINIMAL["roles/account-executive.yml"].replace(
                "kpis: [win-rate]", "kpis: [win-rate, pipeline-velocity]"
            ),
        },
        ("roles/account-executive.yml", "kpis:"),
        "agreed role `account-executive` (Account Executive) refers to draft KPI `pipeline-velocity` (Pipeline velocity) in `kpis`",
    ),
    (
        {"roles/sales-manager.yml": plus("roles/sales-manager.yml", "status: draft")},
        ("roles/account-executive.yml", "reports_to:"),
        "agreed role `account-executive` (Account Executive) refers to draft role `sales-manager` (Sales Manager) in `reports_to`",
    ),
    (
        {"roles/marketing-manager.yml": plus("roles/marketing-manager.yml", "status: draft")},
        ("leads/marketing-qualified-lead.yml", "owner:"),
        "agreed lead stage `marketing-qualified-lead` (Marketing Qualified Lead) refers to draft role `marketing-manager` (Marketing Manager) in `owner`",
    ),
    (
        {"leads/marketing-qualified-lead.yml": plus("leads/marketing-qualified-lead.yml", "status: draft")},
        ("leads/sales-qualified-lead.yml", "recycle_to:"),
        "agreed lead stage `sales-qualified-lead` (Sales Qualified Lead) refers to draft lead stage `marketing-qualified-lead` (Marketing Qualified Lead) in `recycle_to`",
    ),
    (
        {
            "roles/account-executive.yml": plus("roles/account-executive.yml", "status: draft"),
            "leads/sales-qualified-lead.yml": MINIMAL["leads/sales-qualified-lead.yml"].replace(
                "owner: account-executive", "owner: sales-manager"
            ),
        },
        ("leads/marketing-qualified-lead.yml", "to: account-executive"),
        "agreed lead stage `marketing-qualified-lead` (Marketing Qualified Lead) refers to draft role `account-executive` (Account Executive) in `handoff.to`",
    ),
    (
        {"leads/sales-qualified-lead.yml": plus("leads/sales-qualified-lead.yml", "status: draft")},
        ("kpis/win-rate.yml", "stages:"),
        "agreed KPI `win-rate` (Win rate) refers to draft lead stage `sales-qualified-lead` (Sales Qualified Lead) in `stages`",
    ),
    (
        {
            "kpis/win-rate.yml": plus("kpis/win-rate.yml", "status: proposed"),
            "roles/marketing-manager.yml": plus("roles/marketing-manager.yml", "status: draft"),
            "leads/marketing-qualified-lead.yml": MINIMAL["leads/marketing-qualified-lead.yml"].replace(
                "owner: marketing-manager", "owner: sales-manager"
            ),
            "checklist.yml": MINIMAL["checklist.yml"].replace("participants: [marketing-manager]", "participants: []"),
        },
        ("kpis/win-rate.yml", "shared_with:"),
        "proposed KPI `win-rate` (Win rate) refers to draft role `marketing-manager` (Marketing Manager) in `shared_with`",
    ),
    (
        {
            "glossary.yml": """
                terms:
                  - id: ideal-customer-profile
                    term: Ideal customer profile
                    definition: The companies we sell to, see [the MQL](lead:marketing-qualified-lead).
              """,
            "leads/marketing-qualified-lead.yml": plus("leads/marketing-qualified-lead.yml", "status: draft"),
            "leads/sales-qualified-lead.yml": MINIMAL["leads/sales-qualified-lead.yml"].replace(
                "recycle_to: marketing-qualified-lead", ""
            ),
        },
        ("glossary.yml", "definition:"),
        "agreed glossary term `ideal-customer-profile` (Ideal customer profile) refers to draft lead stage `marketing-qualified-lead` (Marketing Qualified Lead) in a link in `definition`",
    ),
    (
        {
            "glossary.yml": MINIMAL["glossary.yml"],
            "leads/marketing-qualified-lead.yml": plus("leads/marketing-qualified-lead.yml", "status: draft"),
            "leads/sales-qualified-lead.yml": MINIMAL["leads/sales-qualified-lead.yml"].replace(
                "recycle_to: marketing-qualified-lead", ""
            ),
        },
        ("glossary.yml", "see_also:"),
        "agreed glossary term `ideal-customer-profile` (Ideal customer profile) refers to draft lead stage `marketing-qualified-lead` (Marketing Qualified Lead) in `see_also`",
    ),
    (
        {"alignment.yml": MINIMAL["alignment.yml"].replace("name: Defined\n", "name: Defined\n            status: draft\n")},
        ("playbook.yml", "current:"),
        "the playbook (playbook.yml) refers to draft alignment stage `defined` (Defined) in `alignment.current`",
    ),
    (
        {"roles/sales-manager.yml": plus("roles/sales-manager.yml", "status: draft")},
        ("checklist.yml", "owner: sales-manager"),
        "agreed checklist step `joint-meetings` (Joint meetings) refers to draft role `sales-manager` (Sales Manager) in `owner`",
    ),
]


@pytest.mark.parametrize(("files", "where", "message"), CASES, ids=[case[2].split(" in ")[-1] for case in CASES])
def test_a_published_entity_that_refers_to_a_draft_is_named_with_the_draft(
    tmp_path: Path, files: dict[str, str], where: tuple[str, str], message: str
) -> None:
    content = write_content(tmp_path / "content", files)
    problems = located(content)
    matching = [p for p in problems if p.message.startswith(message)]
    assert matching, "\n".join(str(p) for p in problems)
    problem = matching[0]
    assert problem.code == "draft-reference" and problem.severity == "error"
    file, text = where
    assert (problem.path, problem.line) == (f"content/{file}", line_of(content / file, text))
    assert problem.column >= 1
    assert problem.message.endswith("drafts are left out of a published version, so this definition would be incomplete")
    assert problem.hint.startswith("agree the ")
    assert "then commit and publish again" in problem.hint
    # In an ordinary build (and `validate`) none of this is an error.
    load(content)


def test_drafts_may_refer_to_drafts_and_retired_entities_count_as_published(tmp_path: Path) -> None:
    files = {
        "kpis/pipeline-velocity.yml": DRAFT_KPI,
        "roles/field-marketer.yml": """
            name: Field Marketer
            function: marketing
            status: draft
            summary: Runs events.
            responsibilities: [Runs events.]
            kpis: [pipeline-velocity]
        """,
    }
    assert located(write_content(tmp_path / "ok", files)) == []
    files["roles/old-role.yml"] = """
        name: Old Role
        function: sales
        status: retired
        summary: Was replaced.
        responsibilities: [Nothing now.]
        kpis: [pipeline-velocity]
    """
    problems = located(write_content(tmp_path / "retired", files))
    assert [p.message.split(" in ")[0] for p in problems] == [
        "retired role `old-role` (Old Role) refers to draft KPI `pipeline-velocity` (Pipeline velocity)"
    ]


def test_every_kind_of_reference_is_found(content: Path) -> None:
    found = {(r.kind, r.via) for r in references(load(content))}
    assert {
        ("role", "`reports_to`"),
        ("role", "`kpis`"),
        ("lead", "`owner`"),
        ("lead", "`handoff.to`"),
        ("lead", "`recycle_to`"),
        ("kpi", "`owner`"),
        ("kpi", "`shared_with`"),
        ("kpi", "`stages`"),
        ("step", "`owner`"),
        ("step", "`participants`"),
        ("step", "`kpis`"),
        ("term", "`see_also`"),
        ("playbook", "`alignment.current`"),
        ("playbook", "`alignment.target`"),
    } <= found


def test_without_a_locator_problems_name_the_file(tmp_path: Path) -> None:
    content = write_content(
        tmp_path / "content",
        {"kpis/pipeline-velocity.yml": DRAFT_KPI, "roles/account-executive.yml": CASES[0][0]["roles/account-executive.yml"]},
    )
    [problem] = draft_references(load(content))
    assert (problem.path, problem.line) == ("content/roles/account-executive.yml", 0)
    assert str(problem).startswith("content/roles/account-executive.yml: error: agreed role `account-executive`")


def test_a_draft_playbook_cannot_be_published(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", {"playbook.yml": plus("playbook.yml", "status: draft")})
    [problem] = located(content)
    assert problem.code == "draft-playbook"
    assert (problem.path, problem.line) == ("content/playbook.yml", line_of(content / "playbook.yml", "status:"))
    assert "set `status: proposed` or `agreed`" in problem.hint


def test_a_draft_statement_that_breaks_the_score_bands_stops_publishing(tmp_path: Path) -> None:
    alignment = MINIMAL["alignment.yml"].replace(
        "text: We share one revenue target.", "text: We share one revenue target.\n            status: draft"
    )
    content = write_content(tmp_path / "content", {"alignment.yml": alignment})
    [problem] = located(content)
    assert problem.code == "draft-diagnostic"
    assert problem.message == (
        "without its drafts (diagnostic statement `shared-target`) the published self-assessment's score bands"
        " would not cover every total from 1 to 5"
    )
    assert (problem.path, problem.line) == ("content/alignment.yml", line_of(content / "alignment.yml", "status: draft"))


# --- the release description and the "What changed" page ---------------------------------------


def changes_page(playbook: Playbook, **release: object) -> str:
    """The "What changed" page a release build renders, as the text a reader reads."""
    found = release_of(without_drafts(playbook), **release)  # type: ignore[arg-type]
    project = build_project(playbook, Options(release=found))
    html = project.pages["changes.md"].html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("&para;", ""))).replace(" .", ".").strip()


def test_the_first_version_says_so(content: Path) -> None:
    page = changes_page(load(content), version="2026-Q4", title="Q4 2026", day=date(2026, 11, 23), previous=None)
    assert page == (
        "What changed in version 2026-Q4 This is version 2026-Q4 (Q4 2026) of the playbook, published on 23 November 2026."
        " It is the first published version: there is no earlier version to compare it with. Every definition in it is new."
        " Follow the changes of every version in a feed reader: the playbook's feed , or one role's (on its page)."
    )


def test_the_changes_since_the_previous_version_in_plain_words(tmp_path: Path) -> None:
    old = load(write_content(tmp_path / "old"))
    new = load(
        write_content(
            tmp_path / "new",
            {
                "leads/marketing-qualified-lead.yml": MINIMAL["leads/marketing-qualified-lead.yml"].replace(
                    "sla_hours: 24", "sla_hours: 12"
                ),
                "roles/sales-manager.yml": plus("roles/sales-manager.yml", "notes: Only editors read this."),
            },
        )
    )
    previous = PreviousVersion("1.0", "Autumn", playbook_to_dict(old, include_notes=False))
    release = release_of(without_drafts(new), version="1.1", title="1.1", day=date(2027, 1, 5), previous=previous)
    assert [(c.kind, c.id, c.change, c.sentences) for c in release.changes] == [
        ("lead", "marketing-qualified-lead", "changed", ("hand-off SLA drops from 24 to 12 hours",))
    ]
    html = build_project(new, Options(release=release)).pages["changes.md"].html
    assert (
        '<li><strong><a href="../leads/#marketing-qualified-lead">Marketing Qualified Lead (<abbr title="Marketing Qualified Lead:'
        ' A lead that fits the profile.">MQL</abbr>)</a></strong> (lead stage): hand-off SLA drops from 24 to 12 hours.</li>'
    ) in html
    page = changes_page(new, version="1.1", title="1.1", day=date(2027, 1, 5), previous=previous)
    assert page.startswith(
        "What changed in version 1.1 This is version 1.1 of the playbook, published on 5 January 2027."
        " It is compared here with the previous published version, version 1.0 (Autumn). Changes since version 1.0"
    )
    assert "Only editors" not in page and "Sales Manager" not in page
    same = changes_page(old, version="1.1", title="1.1", day=date(2027, 1, 5), previous=previous)
    assert same.endswith(
        "Nothing a reader sees changed since version 1.0. Follow the changes of every version in a feed reader:"
        " the playbook's feed , or one role's (on its page)."
    )
    # The version label in playbook.yml is not a change to the definitions.
    labelled = released(old, Release("1.1", "1.1", date(2027, 1, 5)))
    assert changes_page(labelled, version="1.1", title="1.1", day=date(2027, 1, 5), previous=previous) == same


def test_a_previous_version_without_an_export_is_said_plainly(content: Path) -> None:
    page = changes_page(
        load(content), version="2.0", title="2.0", day=date(2026, 11, 23), previous=PreviousVersion("1.0", "1.0", None)
    )
    assert "It was published without its machine-readable export ( playbook.json )" in page


def test_names_from_the_command_line_are_text_on_the_page(content: Path) -> None:
    title = "<script>alert(1)</script> *bold* [x](https://evil.example)"
    release = release_of(load(content), version="3.0", title=title, day=date(2026, 11, 23), previous=None)
    html = build_project(load(content), Options(release=release)).pages["changes.md"].html
    assert "<script" not in html and '<a href="https://evil' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *bold* [x](https://evil.example)" in html


# --- release builds through the plugin -------------------------------------------------------------


def mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300
    )


def config_of(html: str) -> dict[str, object]:
    match = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


@pytest.fixture
def project_with_a_draft_reference(tmp_path: Path) -> Path:
    project = make_site_project(tmp_path / "repo")
    write_content(
        project / "content",
        {"kpis/pipeline-velocity.yml": DRAFT_KPI, "roles/account-executive.yml": CASES[0][0]["roles/account-executive.yml"]},
    )
    return project


def test_an_ordinary_build_shows_drafts_with_their_badge(project_with_a_draft_reference: Path) -> None:
    project = project_with_a_draft_reference
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    kpis = (project / "site" / "kpis" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'Pipeline velocity.{0,300}<span class="pb-badge pb-badge--draft">draft</span>', kpis, re.S)
    index = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert config_of(index).get("version") is None  # no selector: an ordinary site has no versions.json to read
    assert 'data-md-component="outdated"' not in index
    assert not (project / "site" / "changes").exists()


def test_a_release_build_refuses_a_draft_reference(project_with_a_draft_reference: Path) -> None:
    project = project_with_a_draft_reference
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("      content: content\n", "      content: content\n      release: true\n"),
        encoding="utf-8",
    )
    assert "release: true" in config.read_text(encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert (
        "content/roles/account-executive.yml:8:18: error: agreed role `account-executive` (Account Executive) refers to"
        " draft KPI `pipeline-velocity` (Pipeline velocity) in `kpis`"
    ) in result.stderr
    assert "this playbook cannot be published: 1 problem with drafts; nothing was built" in result.stderr
    assert not (project / "site").exists()


def test_a_release_build_leaves_drafts_out_and_adds_what_changed(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content", {"kpis/pipeline-velocity.yml": DRAFT_KPI})
    old = load(write_content(tmp_path / "old"))
    previous = PreviousVersion("1.0", "1.0", playbook_to_dict(old, include_notes=False))
    shipped = without_drafts(load(project / "content"))
    release = release_of(shipped, version="1.1", title="Winter", day=date(2026, 11, 23), current=("latest",), previous=previous)
    site = build_site(project / "mkdocs.yml", release=release)
    assert "Pipeline velocity" not in (site / "kpis" / "index.html").read_text(encoding="utf-8")
    assert "pipeline-velocity" not in (site / "playbook.json").read_text(encoding="utf-8")
    assert "pipeline-velocity" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    # Material never marks a version by its own name; assets/versions.js decides from versions.json.
    assert config_of(index)["version"] == {
        "provider": "mike",
        "default": ["^latest$", r"^1\.1$"],
        "playbook": {"version": "1.1", "current": ["latest"]},
    }
    assert "This is an earlier version of the playbook, kept so that anyone can read what was agreed." in index
    assert re.search(r'<a href="changes/" class="md-nav__link">\s*<span class="md-ellipsis">\s*What changed', index)
    changes = (site / "changes" / "index.html").read_text(encoding="utf-8")
    assert "This is version 1.1 (Winter) of the playbook, published on 23 November 2026." in changes
    assert "Nothing a reader sees changed since version 1.0." in changes  # the draft KPI is not a change
