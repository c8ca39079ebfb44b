"""The loader and every cross-reference rule of the content format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, FOREIGN_CONTENT, write_content
from playbook_site.content import load, load_all
from playbook_site.errors import ContentError


def problems_of(root: Path) -> list[tuple[str, int, str, str]]:
    with pytest.raises(ContentError) as caught:
        load(root)
    return [(Path(p.path).relative_to(root).as_posix(), p.line, p.code, p.message) for p in caught.value.problems]


def test_default_playbook_loads_completely() -> None:
    loaded = load_all(DEFAULT_CONTENT)
    playbook = loaded.playbook
    assert loaded.warnings == []
    assert len(playbook.checklist.steps) == 10
    assert len(playbook.alignment.questions) == 20
    assert [s.id for s in playbook.alignment.stages] == ["undefined", "defined", "aligned", "integrated"]
    assert list(playbook.leads) == [
        "inquiry",
        "marketing-qualified-lead",
        "sales-accepted-lead",
        "sales-qualified-lead",
        "opportunity",
        "customer",
    ]
    assert {r.function for r in playbook.roles.values()} >= {"marketing", "sales"}
    assert playbook.sources[("role", "account-executive")] == "roles/account-executive.yml"
    assert playbook.sources[("step", "joint-meetings")] == "checklist.yml"


def test_foreign_playbook_with_yaml_extension_crlf_and_bom(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(FOREIGN_CONTENT, root)
    for file in root.rglob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        file.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    playbook = load(root)
    assert len(playbook.checklist.steps) == 12
    assert len(playbook.alignment.questions) == 10
    assert playbook.meta.organization == "Müller & Søn AG"
    assert playbook.glossary.terms[1].definition.endswith("「締め切り」 in the Tokyo office.")
    assert list(playbook.leads) == ["messekontakt", "qualifizierter-kontakt", "auftrag"]


def test_defaults_apply(content: Path) -> None:
    playbook = load(content)
    role = playbook.roles["sales-manager"]
    assert role.status == "agreed" and role.approvers == [] and role.review_by is None
    assert role.not_responsible_for == [] and role.kpis == []


def test_missing_optional_files_are_fine(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"glossary.yml": None, "checklist.yml": None})
    playbook = load(root)
    assert playbook.glossary.terms == [] and playbook.checklist.steps == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "roles/account-executive.yml": "name: AE\nfunction: sales\nsummary: s\nresponsibilities: [x]\nreports_to: sales-manger\n"
            },
            ("roles/account-executive.yml", 5, "dangling-reference", "`sales-manger` is not a known role"),
        ),
        (
            {"roles/account-executive.yml": "name: AE\nfunction: sales\nsummary: s\nresponsibilities: [x]\nkpis: [win-rat]\n"},
            ("roles/account-executive.yml", 5, "dangling-reference", "`win-rat` is not a known KPI"),
        ),
        (
            {"leads/sales-qualified-lead.yml": "name: SQL\norder: 2\ndefinition: d\nowner: nobody\nentry_criteria: [x]\n"},
            ("leads/sales-qualified-lead.yml", 4, "dangling-reference", "`nobody` is not a known role"),
        ),
        (
            {
                "leads/sales-qualified-lead.yml": "name: SQL\norder: 2\ndefinition: d\nowner: sales-manager\nentry_criteria: [x]\n"
                "handoff:\n  to: ghost\n  sla_hours: 4\n"
            },
            ("leads/sales-qualified-lead.yml", 7, "dangling-reference", "`ghost` is not a known role"),
        ),
        (
            {
                "leads/sales-qualified-lead.yml": "name: SQL\norder: 2\ndefinition: d\nowner: sales-manager\nentry_criteria: [x]\n"
                "recycle_to: inquiry\n"
            },
            ("leads/sales-qualified-lead.yml", 6, "dangling-reference", "`inquiry` is not a known lead stage"),
        ),
        (
            {
                "kpis/win-rate.yml": "name: W\ndefinition: d\nformula: f\nunit: percent\ndirection: higher\nowner: sales-manager\n"
                "shared_with: [marketing-manager, cfo]\n"
            },
            ("kpis/win-rate.yml", 7, "dangling-reference", "`cfo` is not a known role"),
        ),
        (
            {
                "kpis/win-rate.yml": "name: W\ndefinition: d\nformula: f\nunit: percent\ndirection: higher\nowner: sales-manager\n"
                "stages: [sql]\n"
            },
            ("kpis/win-rate.yml", 7, "dangling-reference", "`sql` is not a known lead stage"),
        ),
        (
            {
                "checklist.yml": "steps:\n  - id: a\n    title: A\n    description: d\n    owner: sales-manager\n    participants: [x]\n"
            },
            ("checklist.yml", 6, "dangling-reference", "`x` is not a known role"),
        ),
        (
            {"checklist.yml": "steps:\n  - id: a\n    title: A\n    description: d\n    owner: sales-manager\n    kpis: [nps]\n"},
            ("checklist.yml", 6, "dangling-reference", "`nps` is not a known KPI"),
        ),
        (
            {"playbook.yml": "title: T\norganization: O\nsummary: S\nalignment:\n  current: definedd\n"},
            ("playbook.yml", 5, "dangling-reference", "`definedd` is not a known alignment stage"),
        ),
        (
            {"glossary.yml": "terms:\n  - id: icp\n    term: ICP\n    definition: d\n    see_also: [nothing-here]\n"},
            ("glossary.yml", 5, "dangling-reference", "`nothing-here` is not a known entity"),
        ),
        (
            {"glossary.yml": "terms:\n  - id: icp\n    term: ICP\n    definition: See [AE](role:acount-executive).\n"},
            ("glossary.yml", 4, "dangling-link", "the link `role:acount-executive` points to no role"),
        ),
        (
            {
                "roles/sales-manager.yml": "name: SM\nfunction: sales\nsummary: s\nresponsibilities: [x]\nreports_to: account-executive\n"
            },
            (
                "roles/account-executive.yml",
                7,
                "reports-to-cycle",
                "`reports_to` goes round in a circle: account-executive -> sales-manager -> account-executive",
            ),
        ),
        (
            {"leads/sales-qualified-lead.yml": "name: SQL\norder: 1\ndefinition: d\nowner: sales-manager\nentry_criteria: [x]\n"},
            (
                "leads/sales-qualified-lead.yml",
                2,
                "duplicate-order",
                "order 1 is used by both `marketing-qualified-lead` and `sales-qualified-lead`",
            ),
        ),
        (
            {
                "kpis/win-rate.yml": "name: W\nabbreviation: mql\ndefinition: d\nformula: f\nunit: percent\ndirection: higher\nowner: sales-manager\n"
            },
            (
                "kpis/win-rate.yml",
                2,
                "duplicate-abbreviation",
                "abbreviation `mql` is already used by lead stage `marketing-qualified-lead`",
            ),
        ),
        (
            {
                "kpis/win-rate.yml": "name: W\ndefinition: d\nformula: f\nunit: percent\ndirection: higher\nowner: sales-manager\nstatus: retired\n"
            },
            (
                "roles/account-executive.yml",
                8,
                "retired-reference",
                "role `account-executive` refers to KPI `win-rate`, which is retired",
            ),
        ),
        (
            {
                "alignment.yml": "stages:\n  - id: a\n    name: A\n    score: [2, 5]\n    description: d\n  - id: b\n    name: B\n"
                "    score: [7, 10]\n    description: d\nquestions:\n  - id: q1\n    text: t\n  - id: q2\n    text: t\n",
                "playbook.yml": "title: T\norganization: O\nsummary: S\n",
            },
            ("alignment.yml", 8, "score-bands", "no stage covers totals 6 to 6"),
        ),
    ],
)
def test_each_cross_reference_rule(tmp_path: Path, files: dict[str, str], expected: tuple[str, int, str, str]) -> None:
    root = write_content(tmp_path / "content", files)
    found = problems_of(root)
    assert expected in found, found


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            "roles/account-executive.yml": "name: AE\nfunction: sales\nsummary: s\nresponsibilities: [x]\nreports_to: nobody\n",
            "kpis/win-rate.yml": "name: W\ndefinition: d\nformula: f\nunit: percentage\ndirection: higher\nowner: sales-manager\n",
            "glossary.yml": "terms:\n  - id: icp\n    term: ICP\n",
        },
    )
    codes = sorted(code for _, _, code, _ in problems_of(root))
    assert codes == ["bad-value", "dangling-reference", "missing-field"]


def test_see_also_ambiguous_id_needs_a_kind(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            "glossary.yml": """
        terms:
          - id: win-rate
            term: Win rate (the phrase)
            definition: How people say it.
          - id: icp
            term: ICP
            definition: d
            see_also: [win-rate]
    """
        },
    )
    assert ("glossary.yml", 8, "ambiguous-reference", "`win-rate` names more than one entity") in problems_of(root)
    fixed = write_content(
        tmp_path / "fixed",
        {
            "glossary.yml": """
        terms:
          - id: win-rate
            term: Win rate (the phrase)
            definition: How people say it.
          - id: icp
            term: ICP
            definition: d
            see_also: [kpi:win-rate]
    """
        },
    )
    assert load(fixed).glossary.terms[1].see_also == ["kpi:win-rate"]
