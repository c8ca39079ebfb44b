"""The rules of `compare`: classification, phrasing, references, escaping; on real content files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINIMAL, write_content
from playbook_site.content import load
from playbook_site.content.schema import DEFINITION, FILE_MODELS, MINOR, AlignmentStage, ChecklistStep, GlossaryTerm, Question
from playbook_site.review import ChangeSet, compare, format_markdown, format_reader_markdown, format_text, to_json, word_diff
from playbook_site.review.compare import SPECS


def changes_for(tmp_path: Path, files: dict[str, str | None], base: dict[str, str] | None = None) -> ChangeSet:
    old = load(write_content(tmp_path / "old", base=base))
    new = load(write_content(tmp_path / "new", files, base=base))
    return compare(old, new)


def only(changes: ChangeSet) -> tuple[str, list[tuple[str, str, str]]]:
    assert len(changes.entities) == 1, [e.id for e in changes.entities]
    entity = changes.entities[0]
    return entity.impact, [(f.field, f.impact, f.summary) for f in entity.fields]


def test_every_field_of_the_format_has_a_label_and_an_impact() -> None:
    """A field added to the model must be classified here on purpose (the fallback is minor)."""
    models = {
        "playbook": FILE_MODELS["playbook"],
        "role": FILE_MODELS["role"],
        "lead": FILE_MODELS["lead"],
        "kpi": FILE_MODELS["kpi"],
        "step": ChecklistStep,
        "stage": AlignmentStage,
        "question": Question,
        "term": GlossaryTerm,
    }
    flattened = {"handoff": ("handoff.to", "handoff.sla_hours"), "alignment": ("alignment.current", "alignment.target")}
    for kind, model in models.items():
        for name in model.model_fields:
            if name in ("id", "crm"):
                continue
            for field in flattened.get(name, (name,)):
                assert field in SPECS[kind], f"{kind}.{field} has no Meta in generator/playbook_site/content/schema.py"


def test_handoff_added_and_sla_loosened(tmp_path: Path) -> None:
    sql = (
        MINIMAL["leads/sales-qualified-lead.yml"].rstrip()
        + "\n        handoff:\n          to: sales-manager\n          sla_hours: 1\n"
    )
    assert only(changes_for(tmp_path / "a", {"leads/sales-qualified-lead.yml": sql})) == (
        DEFINITION,
        [
            ("handoff.to", DEFINITION, "hand-off to set to Sales Manager"),
            ("handoff.sla_hours", DEFINITION, "hand-off SLA set to 1 hour"),
        ],
    )
    mql = MINIMAL["leads/marketing-qualified-lead.yml"].replace("sla_hours: 24", "sla_hours: 48")
    assert only(changes_for(tmp_path / "b", {"leads/marketing-qualified-lead.yml": mql})) == (
        DEFINITION,
        [("handoff.sla_hours", DEFINITION, "hand-off SLA rises from 24 to 48 hours")],
    )


def test_crm_mapping_key_by_key(tmp_path: Path) -> None:
    base = {
        **MINIMAL,
        "leads/sales-qualified-lead.yml": MINIMAL["leads/sales-qualified-lead.yml"] + "    crm:\n          salesforce: SQL\n",
    }
    base["leads/sales-qualified-lead.yml"] = (
        MINIMAL["leads/sales-qualified-lead.yml"].rstrip() + "\n        crm:\n          salesforce: SQL\n"
    )
    new = base["leads/sales-qualified-lead.yml"].replace(
        "salesforce: SQL", "salesforce: Sales Qualified\n          hubspot: salesqualifiedlead"
    )
    assert only(changes_for(tmp_path, {"leads/sales-qualified-lead.yml": new}, base=base)) == (
        DEFINITION,
        [
            ("crm.hubspot", DEFINITION, "CRM value in hubspot set to “salesqualifiedlead”"),
            ("crm.salesforce", DEFINITION, "CRM value in salesforce changes from “SQL” to “Sales Qualified”"),
        ],
    )


def test_wording_only_is_minor_and_reordering_a_list_is_minor(tmp_path: Path) -> None:
    role = MINIMAL["roles/account-executive.yml"].replace("summary: Closes deals.", "summary: Closes new business deals.")
    assert only(changes_for(tmp_path / "a", {"roles/account-executive.yml": role})) == (
        MINOR,
        [("summary", MINOR, "summary reworded")],
    )
    two = MINIMAL["roles/sales-manager.yml"].replace("  - Coaches the team.", "  - Coaches the team.\n          - Forecasts.")
    swapped = MINIMAL["roles/sales-manager.yml"].replace("  - Coaches the team.", "  - Forecasts.\n          - Coaches the team.")
    base = {**MINIMAL, "roles/sales-manager.yml": two}
    assert only(changes_for(tmp_path / "b", {"roles/sales-manager.yml": swapped}, base=base)) == (
        MINOR,
        [("responsibilities", MINOR, "responsibilities reordered")],
    )


def test_notes_and_review_dates_are_minor_and_hidden_from_readers(tmp_path: Path) -> None:
    kpi = MINIMAL["kpis/win-rate.yml"].rstrip() + "\n        notes: Check with finance.\n        review_by: 2027-01-31\n"
    changes = changes_for(tmp_path, {"kpis/win-rate.yml": kpi})
    assert only(changes) == (
        MINOR,
        [("review_by", MINOR, "review date set to 2027-01-31"), ("notes", MINOR, "editor notes added")],
    )
    assert format_reader_markdown(changes) == ""  # nothing a reader sees changed


def test_ownership_unit_direction_abbreviation_status_are_definitions(tmp_path: Path) -> None:
    kpi = (
        MINIMAL["kpis/win-rate.yml"]
        .replace("owner: sales-manager", "owner: account-executive")
        .replace("unit: percent", "unit: ratio")
        .replace("direction: higher", "direction: lower")
        .replace("name: Win rate", "name: Win rate\n        abbreviation: WR\n        status: proposed")
        .replace("shared_with: [marketing-manager]", "shared_with: [marketing-manager, sales-manager]")
    )
    impact, fields = only(changes_for(tmp_path, {"kpis/win-rate.yml": kpi}))
    assert impact == DEFINITION
    assert fields == [
        ("abbreviation", DEFINITION, "abbreviation set to “WR”"),
        ("unit", DEFINITION, "unit changes from percent to ratio"),
        ("direction", DEFINITION, "direction changes from higher is better to lower is better"),
        ("owner", DEFINITION, "owner changes from Sales Manager to Account Executive"),
        ("shared_with", DEFINITION, "now shared with Sales Manager"),
        ("status", DEFINITION, "now proposed"),
    ]


def test_removed_entity_lists_what_used_it(tmp_path: Path) -> None:
    base = {
        **MINIMAL,
        "kpis/pipeline.yml": """
            name: Pipeline created
            definition: New pipeline.
            formula: Sum of new opportunity amounts
            unit: currency
            currency: USD
            direction: higher
            owner: marketing-manager
        """,
    }
    changes = changes_for(tmp_path, {"kpis/pipeline.yml": None}, base=base)
    [entity] = changes.entities
    assert (entity.change, entity.impact, entity.file, entity.fields) == ("removed", DEFINITION, "kpis/pipeline.yml", ())
    text = format_text(changes)
    assert "  - Pipeline created [pipeline] (removed)  content/kpis/pipeline.yml\n" in text
    assert format_reader_markdown(changes) == "## What changed\n\n- Removed KPI: **Pipeline created**.\n"


def test_what_refers_to_a_changed_entity(tmp_path: Path) -> None:
    kpi = MINIMAL["kpis/win-rate.yml"].replace("value: 27", "value: 25")
    [entity] = changes_for(tmp_path / "a", {"kpis/win-rate.yml": kpi}).entities
    assert [(r.relation, r.id) for r in entity.used_by] == [
        ("roles measured on it", "account-executive"),
        ("checklist steps it appears in", "joint-meetings"),
    ]
    lead = MINIMAL["leads/sales-qualified-lead.yml"].replace("Budget confirmed.", "Budget confirmed in writing.")
    [entity] = changes_for(tmp_path / "b", {"leads/sales-qualified-lead.yml": lead}).entities
    assert [(r.relation, r.id) for r in entity.used_by] == [("KPIs that measure it", "win-rate")]
    role = MINIMAL["roles/sales-manager.yml"].replace("Coaches the team.", "Coaches the sales team.")
    [entity] = changes_for(tmp_path / "c", {"roles/sales-manager.yml": role}).entities
    assert [(r.relation, r.id) for r in entity.used_by] == [
        ("roles reporting to it", "account-executive"),
        ("KPIs it owns", "win-rate"),
        ("checklist steps it owns", "joint-meetings"),
    ]


def test_a_moved_checklist_step_and_a_new_one(tmp_path: Path) -> None:
    steps = """
        steps:
          - id: a-step
            title: First
            description: One.
            owner: sales-manager
          - id: b-step
            title: Second
            description: Two.
            owner: sales-manager
          - id: c-step
            title: Third
            description: Three.
            owner: sales-manager
    """
    base = {**MINIMAL, "checklist.yml": steps}
    moved = steps.replace(
        "  - id: c-step\n            title: Third\n            description: Three.\n            owner: sales-manager\n", ""
    )
    moved = moved.replace(
        "        steps:\n",
        "        steps:\n          - id: c-step\n            title: Third\n            description: Three.\n            owner: sales-manager\n"
        "          - id: new-step\n            title: New\n            description: New.\n            owner: marketing-manager\n",
    )
    changes = changes_for(tmp_path, {"checklist.yml": moved}, base=base)
    assert [(e.id, e.change, e.summary) for e in changes.entities] == [
        ("new-step", "added", "new checklist step"),
        ("c-step", "changed", "moves from step 3 to step 1"),
    ]


def test_alignment_band_and_playbook_position(tmp_path: Path) -> None:
    alignment = MINIMAL["alignment.yml"].replace("score: [6, 8]", "score: [6, 7]").replace("score: [9, 10]", "score: [8, 10]")
    playbook = MINIMAL["playbook.yml"].replace("current: defined", "current: aligned")
    changes = changes_for(tmp_path, {"alignment.yml": alignment, "playbook.yml": playbook})
    assert [(e.kind, e.id, e.summary) for e in changes.entities] == [
        ("playbook", "playbook", "current alignment stage changes from Defined to Aligned"),
        ("stage", "aligned", "score band changes from 6–8 to 6–7"),
        ("stage", "integrated", "score band changes from 9–10 to 8–10"),
    ]
    assert (
        format_reader_markdown(changes).splitlines()[2]
        == "- The playbook: current alignment stage changes from Defined to Aligned."
    )


def test_an_id_change_is_a_removal_and_an_addition(tmp_path: Path) -> None:
    changes = changes_for(
        tmp_path,
        {"roles/marketing-manager.yml": None, "roles/marketing-lead.yml": MINIMAL["roles/marketing-manager.yml"]}
        | {
            "leads/marketing-qualified-lead.yml": MINIMAL["leads/marketing-qualified-lead.yml"].replace(
                "owner: marketing-manager", "owner: marketing-lead"
            ),
            "kpis/win-rate.yml": MINIMAL["kpis/win-rate.yml"].replace("[marketing-manager]", "[marketing-lead]"),
            "checklist.yml": MINIMAL["checklist.yml"].replace("[marketing-manager]", "[marketing-lead]"),
        },
    )
    assert [(e.kind, e.id, e.change) for e in changes.entities] == [
        ("role", "marketing-lead", "added"),
        ("role", "marketing-manager", "removed"),
        ("lead", "marketing-qualified-lead", "changed"),
        ("kpi", "win-rate", "changed"),
        ("step", "joint-meetings", "changed"),
    ]
    # Same name on both sides: the ids tell the two roles apart.
    assert changes.entities[2].fields[0].summary == (
        "owner changes from Marketing Manager (marketing-manager) to Marketing Manager (marketing-lead)"
    )


def test_content_is_escaped_in_every_format(tmp_path: Path) -> None:
    role = MINIMAL["roles/account-executive.yml"].replace(
        "  - Runs discovery calls.",
        "  - Runs discovery calls.\n          - 'Logs | every *call* in `CRM` with [notes](https://example.com) < 5 min ~~fast~~ @everyone'",
    )
    changes = changes_for(tmp_path, {"roles/account-executive.yml": role})
    markdown = format_markdown(changes)
    cell = "| responsibilities: added | – | Logs \\| every \\*call\\* in \\`CRM\\` with \\[notes\\](https:&#8203;//example.com) &lt; 5 min \\~\\~fast\\~\\~ @&#8203;everyone |"
    assert cell in markdown  # (no mention in the pull-request comment: tests/test_report_mentions.py)
    reader = format_reader_markdown(changes)
    assert (
        "“Logs \\| every \\*call\\* in \\`CRM\\` with \\[notes\\]\\(https://example.com\\) &lt; 5 min ~~fast~~ @everyone”"
        in reader
    )
    data = json.loads(to_json(changes))
    assert data["changes"][0]["fields"][0]["added"] == [
        "Logs | every *call* in `CRM` with [notes](https://example.com) < 5 min ~~fast~~ @everyone"
    ]


def test_reader_markdown_links_and_leaves_out_approvals(tmp_path: Path) -> None:
    base = {**MINIMAL, "kpis/win-rate.yml": MINIMAL["kpis/win-rate.yml"].rstrip() + '\n        approvers: ["@example/sales"]\n'}
    kpi = base["kpis/win-rate.yml"].replace("value: 27", "value: 31").replace('["@example/sales"]', '["@example/revops"]')
    changes = changes_for(tmp_path, {"kpis/win-rate.yml": kpi}, base=base)
    reader = format_reader_markdown(
        changes, heading="What changed in 2026-Q4", level=3, link=lambda kind, id: f"../{kind}s/#{id}"
    )
    assert reader == (
        "### What changed in 2026-Q4\n\n- **[Win rate](../kpis/#win-rate)** (KPI): target rises from 27% to 31% per quarter.\n"
    )
    assert "approvers" not in reader and "@example" not in reader
    markdown = format_markdown(changes)
    # The base's approvers decide (GitHub asks the base's CODEOWNERS); the new ones are a proposal.
    assert "- `@example/sales`: KPI Win rate\n" in markdown
    assert "- KPI Win rate: from `@example/sales` to `@example/revops`\n" in markdown


@pytest.mark.parametrize(
    ("old", "new", "runs"),
    [
        ("a b c", "a b c", [("=", "a b c", False)]),
        (
            "Won ÷ (won + lost) × 100",
            "Won ÷ (won + lost + no decision) × 100",
            [("=", "Won ÷ (won + lost", False), ("+", "+ no decision", True), ("=", ") × 100", False)],
        ),
        (
            "A lead sales has qualified.",
            "A lead the AE has qualified.",
            [("=", "A lead", False), ("-", "sales", True), ("+", "the AE", True), ("=", "has qualified.", True)],
        ),
    ],
)
def test_word_diff(old: str, new: str, runs: list[tuple[str, str, bool]]) -> None:
    assert word_diff(old, new) == runs
