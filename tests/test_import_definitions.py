"""`playbook import definitions`: a RevOps lead's spreadsheet into content that validates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from conftest import run_cli
from playbook_site.content import load_all
from playbook_site.importers.definitions import make_id, split_list

PLAYBOOK = "title: Revenue playbook\norganization: Example Co\nsummary: How marketing, sales and success work together.\n"

ROLES = [
    # Role, Abbreviation, Function, Summary, Reports to, What it owns, Responsibilities, KPIs, Notes
    ("Marketing Manager", "MM", "Marketing", "Owns the message and the demand plan.", "", "the message", "", "MQLs; Cost per lead", "Hiring a second one in Q3"),
    ("Sales Development Representative", "SDR", "Sales", "Qualifies inbound leads and books meetings.", "Sales Manager", "", "", "SQLs", ""),
    ("Account Executive", "AE", "Sales", "Runs the sales cycle and closes deals.", "Sales Manager", "the deal", "Negotiates contracts", "Win rate; New pipeline", ""),
    ("Sales Manager", "", "Sales", "Leads the sales team.", "", "", "Coaches the team\nForecasts the quarter", "Win rate", "Also covers EMEA"),
    ("Customer Success Manager", "CSM", "Customer success", "Keeps customers and grows them.", "Sales Manager", "", "", "Net revenue retention", ""),
    ("RevOps Manager", "", "Revenue operations", "Runs the systems and the numbers.", "", "the CRM", "", "Lead response time", "=HYPERLINK(\"x\")"),
]  # fmt: skip
RACI = [
    ("Activity", "MM", "SDR", "AE", "Sales Manager", "CSM", "RevOps Manager"),
    ("Define the ideal customer profile", "A", "C", "C", "R", "I", "C"),
    ("Qualify inbound leads", "C", "R", "I", "A", "", "I"),
    ("Run discovery calls", "", "C", "R", "A", "", ""),
    ("Weekly pipeline review", "C", "R", "R", "A", "I", "C"),
    ("Joint campaign planning", "A", "C", "", "C", "", "R"),
    ("Keep the CRM clean", "I", "C", "C", "I", "C", "A/R"),
    ("Renewals", "", "", "C", "I", "A/R", ""),
]
STAGES = [
    # Order, Lead stage, Abbreviation, Definition, Owner, Entry criteria, Exit criteria, Hand-off to, SLA (hours), Notes
    (1, "Marketing Qualified Lead", "MQL", "A lead that fits the ideal customer profile.", "Marketing Manager", "Score of 60 or more;Works at a target account", "", "SDR", 24, ""),
    (2, "Sales Accepted Lead", "SAL", "A lead sales agreed to work.", "Sales Developement Representative", "Accepted by an SDR", "Meeting booked", "", "", "the SLA is under review"),
    (3, "Sales Qualified Lead", "SQL", "A lead with a confirmed need and budget.", "SDR", "Need confirmed\nBudget confirmed", "", "Account Executive", 48, ""),
    (4, "Opportunity", "", "A deal in the forecast.", "Account Executive", "Discovery call held", "Closed won or lost", "", "", ""),
    (5, "Customer", "", "A signed customer.", "CSM", "Contract signed", "", "", "", ""),
]  # fmt: skip
KPIS = [
    # KPI, Abbreviation, Definition, Formula, Unit, Currency, Direction, Owner, Shared with, Target value, Target period, Review cadence, Stages, Notes
    ("MQLs", "", "Marketing qualified leads created.", "Count of MQLs", "count", "", "Higher is better", "MM", "SDR", 400, "quarter", "Monthly", "MQL", ""),
    ("Cost per lead", "CPL", "Spend per MQL.", "Spend / MQLs", "currency", "USD", "lower", "Marketing Manager", "", 120, "", "Monthly", "", ""),
    ("SQLs", "", "Sales qualified leads.", "Count of SQLs", "count", "", "higher", "SDR", "AE; Sales Manager", 150, "quarter", "weekly", "SQL", ""),
    ("Win rate", "", "Share of opportunities won.", "Won / closed", "percent", "", "higher", "Sales Manager", "AE", 0.25, "", "Monthly", "Opportunity", "formatted as a percent"),
    ("New pipeline", "", "Amount of new opportunities.", "Sum of Amount", "currency", "USD", "higher", "AE", "", 1200000, "Quarter", "quarterly", "", ""),
    ("Net revenue retention", "NRR", "Revenue kept and grown.", "(start + expansion - churn) / start", "percent", "", "higher", "CSM", "Account Executive", "110%", "", "quarterly", "Customer", ""),
    ("Lead response time", "", "Hours from MQL to first touch.", "Median hours", "hours", "", "lower", "RevOps Manager", "SDR", 4, "", "weekly", "MQL", ""),
    ("Sales cycle", "", "Days from opportunity to close.", "Median days", "days", "", "lower", "Sales Manager", "", 45, "", "quarterly", "Opportunity; Customer", ""),
]  # fmt: skip
STEPS = [
    ("Weekly pipeline review", "Sales and marketing review the pipeline together.", "weekly", "Notes in the wiki"),
    ("Joint campaign planning", "Plan campaigns with sales before launch.", "quarterly", ""),
]
TERMS = [("Ideal customer profile", "ICP", "The companies we sell to best.", "MQL; Marketing Manager")]


def _sheet(book: Any, title: str, header: list[str], rows: list[tuple[Any, ...]], *, banner: str = "") -> Any:
    sheet = book.create_sheet(title)
    if banner:  # a title row merged across the sheet, as people put above a table
        sheet.append([banner])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    for row in [header, *rows]:
        sheet.append(list(row))
    return sheet


def write_workbook(path: Path, stages: list[tuple[Any, ...]] = STAGES) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(book, "Roles", ["Role", "Abbreviation", "Function", "Summary", "Reports to", "What it owns", "Responsibilities", "KPIs", "Notes"], ROLES, banner="Revenue team: roles (FY2026)")  # fmt: skip
    _sheet(book, "RACI", list(RACI[0]), RACI[1:])
    leads = _sheet(book, "Lead stages", ["Order", "Lead stage", "Abbreviation", "Definition", "Owner", "Entry criteria", "Exit criteria", "Hand-off", "", "Notes"], [])  # fmt: skip
    leads.append(["", "", "", "", "", "", "", "To", "SLA (hours)", ""])  # the group header `Hand-off` over its two columns
    leads.merge_cells("H1:I1")
    for row in stages:
        leads.append(list(row))
    kpis = _sheet(book, "KPIs", ["KPI", "Abbreviation", "Definition", "Formula", "Unit", "Currency", "Direction", "Owner", "Shared with", "Target", "", "Review cadence", "Stages", "Notes"], [])  # fmt: skip
    kpis.append(["", "", "", "", "", "", "", "", "", "Value", "Period", "", "", ""])
    kpis.merge_cells("J1:K1")
    for row in KPIS:
        kpis.append(list(row))
    kpis["J6"].number_format = "0%"  # the win rate's target, 0.25, shown as 25%
    _sheet(book, "Checklist", ["Step", "Description", "Cadence", "Evidence"], STEPS)
    _sheet(book, "Glossary", ["Term", "Abbreviation", "Definition", "See also"], TERMS)
    _sheet(book, "Read me", ["This workbook lists our revenue team."], [])
    book.save(path)


def fresh_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    root.mkdir()
    (root / "playbook.yml").write_text(PLAYBOOK, encoding="utf-8")
    return root


def test_a_revops_spreadsheet_imports_into_content_that_validates_after_the_one_fix_it_names(tmp_path: Path) -> None:
    root = fresh_content(tmp_path)
    book = tmp_path / "revenue-team.xlsx"
    write_workbook(book)
    args = ["import", "definitions", str(book), "--content", str(root)]
    first = run_cli(*args)
    assert first.exit_code == 1, first.stdout + first.stderr
    errors = [line for line in first.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"{book}[Lead stages]:4:5: error: sheet `Lead stages`, cell E4: there is no role"
        " `Sales Developement Representative` [dangling-reference]"
    ], first.stderr
    assert "did you mean `Sales Development Representative`?" in first.stderr
    assert "nothing was written" in first.stderr
    assert sorted(p.name for p in root.iterdir()) == ["playbook.yml"]
    # The unknown column is listed, never dropped in silence; so is the sheet that holds no kind.
    assert "sheet `Read me` is not roles, lead stages, KPIs, checklist, glossary or RACI: left out" in first.stdout

    fixed = [row if row[0] != 2 else (*row[:4], "Sales Development Representative", *row[5:]) for row in STAGES]
    write_workbook(book, fixed)
    second = run_cli(*args)
    assert second.exit_code == 0, second.stdout + second.stderr
    loaded = load_all(root)  # the whole playbook validates
    playbook = loaded.playbook
    assert len(playbook.roles) == 6 and len(playbook.leads) == 5 and len(playbook.kpis) == 8
    assert not [w for w in loaded.warnings if w.code != "stale"]

    sdr = playbook.roles["sales-development-representative"]
    assert sdr.reports_to == "sales-manager" and sdr.kpis == ["sqls"]
    assert sdr.responsibilities == ["Qualify inbound leads", "Weekly pipeline review"]  # from the RACI sheet
    manager = playbook.roles["sales-manager"]
    assert manager.responsibilities[:2] == ["Coaches the team", "Forecasts the quarter"]  # its own cell, then the RACI's
    assert "Define the ideal customer profile" in manager.responsibilities
    assert manager.notes == "Also covers EMEA"  # the notes column: editor notes
    assert playbook.roles["customer-success-manager"].function == "customer-success"
    mql = playbook.leads["marketing-qualified-lead"]
    assert mql.entry_criteria == ["Score of 60 or more", "Works at a target account"]
    assert mql.handoff is not None and (mql.handoff.to, mql.handoff.sla_hours) == ("sales-development-representative", 24)
    win_rate = playbook.kpis["win-rate"]
    assert win_rate.target is not None and win_rate.target.value == 25  # a percent cell of 0.25
    assert playbook.kpis["net-revenue-retention"].target.value == 110  # type: ignore[union-attr]
    assert playbook.kpis["mqls"].direction == "higher" and playbook.kpis["mqls"].stages == ["marketing-qualified-lead"]
    review = playbook.steps["weekly-pipeline-review"]
    assert review.owner == "sales-manager"
    assert review.participants == ["marketing-manager", "sales-development-representative", "account-executive", "revops-manager"]
    assert playbook.steps["joint-campaign-planning"].owner == "marketing-manager"
    assert playbook.terms["ideal-customer-profile"].see_also == ["marketing-qualified-lead", "marketing-manager"]

    # A formula cell is read as the value the spreadsheet stored (none here), never evaluated.
    assert "notes" not in yaml.safe_load((root / "roles" / "revops-manager.yml").read_text(encoding="utf-8"))

    # Never overwrites: a second import lists every file and leaves it.
    before = {p: p.read_bytes() for p in root.rglob("*.yml")}
    again = run_cli(*args)
    assert again.exit_code == 0, again.stderr
    assert "roles/sales-manager.yml exists: left as it is" in again.stdout
    assert {p: p.read_bytes() for p in root.rglob("*.yml")} == before


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = fresh_content(tmp_path)
    book = tmp_path / "team.xlsx"
    fixed = [row if row[0] != 2 else (*row[:4], "SDR", *row[5:]) for row in STAGES]
    write_workbook(book, fixed)
    result = run_cli("import", "definitions", str(book), "--content", str(root), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert f"would write {root.as_posix()}/roles/account-executive.yml" in result.stdout
    assert "Dry run: 21 files would be written" in result.stdout
    assert sorted(p.name for p in root.iterdir()) == ["playbook.yml"]


def test_csv_files_and_a_map_for_the_other_columns(tmp_path: Path) -> None:
    root = fresh_content(tmp_path)
    roles = tmp_path / "roles.csv"
    roles.write_text(
        "Job title,Function,Summary,Responsibilities,Headcount\n"
        'Account Executive,Sales,Closes deals.,"Runs discovery; Negotiates",4\n'
        "Sales Manager,Sales,Leads the team.,Coaches,1\n",
        encoding="utf-8",
    )
    unmapped = run_cli("import", "definitions", str(roles), "--content", str(root))
    assert unmapped.exit_code == 1
    assert "no header row names the `name` column" in unmapped.stderr and '--map "Your column=name"' in unmapped.stderr
    result = run_cli("import", "definitions", str(roles), "--content", str(root), "--map", "Job title=name")
    assert result.exit_code == 0, result.stderr
    assert "column `Headcount` names no field of a role: left out" in result.stdout
    assert load_all(root).playbook.roles["account-executive"].responsibilities == ["Runs discovery", "Negotiates"]


def test_what_is_left_to_fill_in_is_located_in_the_spreadsheet(tmp_path: Path) -> None:
    root = fresh_content(tmp_path)
    roles = tmp_path / "roles.csv"
    roles.write_text("Name,Function,Summary\nAccount Executive,Sales,\nSales Manager,Sales,<b>Leads</b>\n", encoding="utf-8")
    result = run_cli("import", "definitions", str(roles), "--content", str(root))
    assert result.exit_code == 1
    assert f"{roles}:2:1: error:" in result.stderr and "`summary`" in result.stderr  # a required field left empty
    assert f"{roles}:3:3: error: raw HTML is not allowed" in result.stderr
    assert sorted(p.name for p in root.iterdir()) == ["playbook.yml"]


def test_a_formula_written_as_text_is_refused_and_other_starts_stay_text(tmp_path: Path) -> None:
    root = fresh_content(tmp_path)
    roles = tmp_path / "roles.csv"
    roles.write_text(
        "Name,Function,Summary,Responsibilities,What it owns\n"
        'Account Executive,Sales,"=HYPERLINK(""https://evil.example"",""x"")",Closes,\n'
        "Sales Manager,Sales,Leads.,-1 for churn; +2 for upsell,@sales-leads\n",
        encoding="utf-8",
    )
    refused = run_cli("import", "definitions", str(roles), "--content", str(root))
    assert refused.exit_code == 1
    assert (
        f"{roles}:2:3: error: line 2, column 3: `=HYPERLINK(" in refused.stderr
        and "is a formula: it is never evaluated" in refused.stderr
    )
    roles.write_text(
        roles.read_text(encoding="utf-8").replace('"=HYPERLINK(""https://evil.example"",""x"")"', "Closes deals."),
        encoding="utf-8",
    )
    result = run_cli("import", "definitions", str(roles), "--content", str(root))
    assert result.exit_code == 0, result.stderr
    manager = load_all(root).playbook.roles["sales-manager"]
    assert (manager.responsibilities, manager.owns) == (["-1 for churn", "+2 for upsell"], "@sales-leads")


@pytest.mark.parametrize(
    ("name", "made"),
    [("Sales Development Representative", "sales-development-representative"), ("VP, Sales & Marketing", "vp-sales-marketing"), ("2nd-line Support", "nd-line-support"), ("Café Owner", "cafe-owner")],
)  # fmt: skip
def test_ids_are_made_from_names_by_the_format_rules(name: str, made: str) -> None:
    assert make_id(name) == made


def test_lists_split_at_line_breaks_and_semicolons() -> None:
    assert split_list("- one\n• two; three ;\n\n4. four") == ["one", "two", "three", "four"]


def test_a_raci_matrix_in_csv_files_and_a_checklist_that_exists(tmp_path: Path) -> None:
    root = fresh_content(tmp_path)
    (root / "checklist.yml").write_text(
        "steps:\n  - id: weekly-pipeline-review\n    title: Weekly pipeline review\n    description: d\n    owner: sales-manager\n",
        encoding="utf-8",
    )
    (root / "roles").mkdir()
    (root / "roles" / "sales-manager.yml").write_text(
        "name: Sales Manager\nfunction: sales\nsummary: Leads.\nresponsibilities: [Coaches]\n", encoding="utf-8"
    )
    roles = tmp_path / "roles.csv"
    roles.write_text("Name,Function,Summary\nAccount Executive,Sales,Closes deals.\n", encoding="utf-8")
    raci = tmp_path / "raci.csv"
    raci.write_text(
        "Activity,Account Executiv,Sales Manager\nWeekly pipeline review,R,A\nRun discovery calls,A/R,C\n", encoding="utf-8"
    )
    misspelt = run_cli("import", "definitions", str(roles), str(raci), "--content", str(root))
    assert misspelt.exit_code == 1
    assert f"{raci}:1:2: error: line 1, column 2: there is no role `Account Executiv` [dangling-reference]" in misspelt.stderr
    assert "did you mean `Account Executive`?" in misspelt.stderr
    raci.write_text(raci.read_text(encoding="utf-8").replace("Executiv,", "Executive,"), encoding="utf-8")
    result = run_cli("import", "definitions", str(roles), str(raci), "--content", str(root))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (
        "`Weekly pipeline review` is the checklist step `weekly-pipeline-review`, whose checklist.yml exists and is left"
        in result.stdout
    )
    assert (
        "the role `sales-manager` is not in the spreadsheet and its file is left: add its responsibilities there" in result.stdout
    )
    playbook = load_all(root).playbook
    assert playbook.roles["account-executive"].responsibilities == ["Weekly pipeline review", "Run discovery calls"]
    assert playbook.roles["sales-manager"].responsibilities == ["Coaches"]  # its file was left as it was
