"""Everywhere the numbers travel: playbook.json and back, the results and activity CSV files, the
change report (markdown, text, json) with results apart from definitions, the readers' What changed,
and a published version without drafts."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from conftest import DEFAULT_CONTENT, MINIMAL, run_cli, write_content
from playbook_site.content import load
from playbook_site.content.exports import export_files, playbook_from_dict, playbook_to_dict, results_csv
from playbook_site.content.release import without_drafts
from playbook_site.publishing.changes import PreviousVersion, release_of
from playbook_site.review import compare, format_markdown, format_reader_markdown, format_text, to_json
from playbook_site.site.project import Options, build_project

TODAY = date(2026, 11, 23)

OLD = {
    **MINIMAL,
    "results/win-rate.csv": "period,value,note\n2026-Q1,23.5\n2026-Q2,25,Two big deals\n",
    "activity.yml": "entries:\n  - step: joint-meetings\n    date: 2026-08-04\n    note: Q3 review\n",
}
NEW = {
    **OLD,
    "results/win-rate.csv": "period,value,note\n2026-Q1,23.5\n2026-Q2,25.5,Two big deals\n2026-Q3,24,Two losses on price\n",
    "activity.yml": OLD["activity.yml"] + "  - step: joint-meetings\n    date: 2026-11-10\n    note: Q4 review\n",
}


def playbooks(tmp_path: Path, new: dict[str, str | None] | None = None) -> tuple[Path, Path]:
    return write_content(tmp_path / "old", base=OLD), write_content(tmp_path / "new", base=new or NEW)


# --- playbook.json and the CSV files ------------------------------------------------------------------


def test_playbook_json_holds_results_and_activity_and_reads_back(tmp_path: Path) -> None:
    playbook = load(write_content(tmp_path / "content", base=NEW), today=TODAY)
    exported = json.loads(export_files(playbook)["playbook.json"])
    assert exported["format"] == 1
    assert exported["results"] == {
        "win-rate": [
            {"period": "2026-Q1", "value": 23.5, "note": None},
            {"period": "2026-Q2", "value": 25.5, "note": "Two big deals"},
            {"period": "2026-Q3", "value": 24, "note": "Two losses on price"},
        ]
    }
    assert exported["activity"][-1] == {"step": "joint-meetings", "date": "2026-11-10", "note": "Q4 review", "link": None}
    assert {"kind": "results", "id": "win-rate", "path": "results/win-rate.csv"} in exported["sources"]
    back = playbook_from_dict(exported)
    assert back.results == playbook.results and back.activity == playbook.activity
    assert playbook_to_dict(back, include_notes=False) == exported  # a stable round trip


def test_an_export_from_before_results_reads_as_none() -> None:
    exported = json.loads(export_files(load(DEFAULT_CONTENT))["playbook.json"])
    del exported["results"], exported["activity"]
    older = playbook_from_dict(exported)
    assert older.results == {} and older.activity == ()


def test_results_csv_reads_back_with_the_csv_module() -> None:
    playbook = load(DEFAULT_CONTENT, today=TODAY)
    rows = list(csv.DictReader(io.StringIO(export_files(playbook)["exports/results.csv"])))
    assert len(rows) == sum(len(results) for results in playbook.results.values())
    win_rate = [row for row in rows if row["kpi"] == "win-rate"]
    assert win_rate[-1] == {
        "kpi": "win-rate",
        "kpi_name": "Win rate",
        "period": "2026-Q3",
        "period_kind": "quarter",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "value": "24",
        "unit": "percent",
        "currency": "",
        "direction": "higher",
        "target": "27",
        "target_period": "quarter",
        "health": "off target",
        "difference": "-3",
        "note": "Two competitive losses on price",
    }
    cac = next(row for row in rows if row["kpi"] == "customer-acquisition-cost" and row["period"] == "2026-Q3")
    assert (cac["value"], cac["currency"], cac["direction"], cac["health"], cac["difference"]) == (
        "41300",
        "USD",
        "lower",
        "on target",
        "-700",
    )
    activity = list(csv.DictReader(io.StringIO(export_files(playbook)["exports/activity.csv"])))
    assert activity[0] == {
        "step": "joint-meetings",
        "step_title": "Joint meetings",
        "date": "2026-02-10",
        "note": activity[0]["note"],
        "link": "",
    }
    assert [row["date"] for row in activity] == sorted(row["date"] for row in activity)


def test_text_cells_of_results_cannot_run_as_formulas(tmp_path: Path) -> None:
    # A note never starts a formula (the results reader refuses it); one may follow a `;`, where a
    # spreadsheet of a `;` locale splits the cell.
    root = write_content(tmp_path / "content", {"results/win-rate.csv": 'period,value,note\n2026-Q3,-2,"ok;=HYPERLINK(1)"\n'})
    row = next(csv.DictReader(io.StringIO(results_csv(load(root, today=TODAY)))))
    assert (row["note"], row["value"], row["difference"]) == ("ok;'=HYPERLINK(1)", "-2", "-29")  # numbers stay numbers


def test_the_export_command_writes_the_numbers_only_when_there_are_some(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("export", "--format", "csv", "--out", str(out), "--content", str(DEFAULT_CONTENT)).exit_code == 0
    assert sorted(p.name for p in (out / "exports").iterdir()) == [
        "activity.csv",
        "kpis.csv",
        "leads.csv",
        "results.csv",
        "survey.csv",
    ]
    plain = write_content(tmp_path / "plain")
    assert export_files(load(plain)) == export_files(load(plain))  # deterministic
    assert [path for path in export_files(load(plain)) if path.startswith("exports/")] == [
        "exports/kpis.csv",
        "exports/leads.csv",
    ]


# --- the change report ---------------------------------------------------------------------------------


def test_the_report_lists_results_apart_from_definitions_in_markdown(tmp_path: Path) -> None:
    old, new = playbooks(tmp_path)
    result = run_cli("diff", str(old), str(new), "--format", "markdown", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    report = result.stdout
    assert "No definitions changed; 1 new result, 1 changed result; 1 new activity entry.\n" in report
    assert "### New results\n\n- Win rate, 2026-Q3: 24% against a target of 27% (off target by 3 percentage points)\n" in report
    assert (
        "### Changed results\n\n- Win rate, 2026-Q2: 25.5% (was 25%) against a target of 27% (off target by 1.5 percentage points)\n"
        in report
    )
    assert "### New activity\n\n- Joint meetings, 2026-11-10: Q4 review\n" in report
    assert "### Changes to agreed definitions" not in report and "### Minor changes" not in report
    assert (
        "- nobody is named (add `approvers` to the entity or to playbook.yml): Results of KPI Win rate, Activity of checklist step Joint meetings\n"
        in report
    )
    assert "| 2026-Q2 | 25% (Two big deals) | 25.5% (Two big deals) |\n| 2026-Q3 | – | 24% (Two losses on price) |\n" in report


def test_results_are_approved_by_the_kpis_approvers_beside_a_definition_change(tmp_path: Path) -> None:
    kpi = MINIMAL["kpis/win-rate.yml"].rstrip() + "\n        approvers: ['@example/sales-leads']\n"
    meta = MINIMAL["playbook.yml"].rstrip() + "\n        approvers: ['@example/revops']\n"
    base = {**OLD, "kpis/win-rate.yml": kpi, "playbook.yml": meta}
    changed = {
        **base,
        "results/win-rate.csv": NEW["results/win-rate.csv"],
        "roles/sales-manager.yml": MINIMAL["roles/sales-manager.yml"].replace("Coaches the team.", "Coaches the team weekly."),
    }
    old, new = write_content(tmp_path / "old", base=base), write_content(tmp_path / "new", base=changed)
    changes = compare(load(old), load(new))
    assert [e.id for e in changes.entities] == ["sales-manager"] and [n.id for n in changes.numbers] == ["win-rate"]
    assert changes.numbers[0].impact == "results" and changes.numbers[0].approvers == ("@example/sales-leads",)
    markdown = format_markdown(changes)
    assert "1 entity changed: 1 changes an agreed definition. 1 new result, 1 changed result.\n" in markdown
    assert "- `@example/sales-leads`: Results of KPI Win rate\n" in markdown
    assert "- `@example/revops` (the playbook's default approvers): Role Sales Manager\n" in markdown
    text = format_text(changes)
    assert "New results:\n  * Win rate, 2026-Q3: 24% against a target of 27% (off target by 3 percentage points)\n" in text
    assert "  @example/sales-leads: Results of KPI Win rate\n" in text
    assert (
        "  ~ Win rate [win-rate] (results)  content/results/win-rate.csv\n      2026-Q2: 25% (Two big deals) -> 25.5% (Two big deals)\n"
        in text
    )
    data = json.loads(to_json(changes))
    assert data["summary"]["entities"] == 1 and data["numbers"] == {"results": 2, "activity": 0}
    assert [(r["period"], r["change"], r["old"], r["new"], r["impact"]) for r in data["results"]] == [
        ("2026-Q2", "changed", 25, 25.5, "results"),
        ("2026-Q3", "added", None, 24, "results"),
    ]
    assert data["results"][1]["sentence"] == "Win rate, 2026-Q3: 24% against a target of 27% (off target by 3 percentage points)"
    assert {"approvers": ["@example/sales-leads"], "default": False, "entities": ["results:win-rate"]} in data["approvals"]


def test_removed_results_and_activity_and_a_note_only_change(tmp_path: Path) -> None:
    new = {
        **OLD,
        "results/win-rate.csv": "period,value,note\n2026-Q2,25,Two big deals won\n",
        "activity.yml": "entries:\n  - step: joint-meetings\n    date: 2026-08-05\n    note: Q3 review\n",
    }
    changes = compare(*(load(root) for root in playbooks(tmp_path, new)))
    text = format_text(changes)
    assert (
        "Changed results:\n  * Win rate, 2026-Q2: 25% against a target of 27% (off target by 2 percentage points); note changed\n"
        in text
    )
    assert "Removed results:\n  * Win rate, 2026-Q1: 23.5% removed\n" in text
    assert "New activity:\n  * Joint meetings, 2026-08-05: Q3 review\n" in text
    assert "Removed activity:\n  * Joint meetings, 2026-08-04: Q3 review\n" in text


def test_a_report_without_numbers_changes_is_what_it_was(tmp_path: Path) -> None:
    """The same content on both sides, results and all: nothing changed; a definition change alone reads as before."""
    same = write_content(tmp_path / "same", base=NEW)
    changes = compare(load(same), load(same))
    assert changes.is_empty and format_markdown(changes).endswith("No changes to the playbook's content.\n")
    data = json.loads(to_json(changes))
    assert "results" not in data and "numbers" not in data


# --- What changed, for readers -----------------------------------------------------------------------


def test_the_readers_page_lists_the_results_added_since_the_previous_version(tmp_path: Path) -> None:
    old, new = (load(root) for root in playbooks(tmp_path))
    section = format_reader_markdown(compare(old, new), link=lambda kind, entity_id: f"../{kind}s/#{entity_id}")
    assert section == (
        "## What changed\n\n"
        "### New results\n\n"
        "- **[Win rate](../kpis/#win-rate)**, 2026-Q3: 24% against a target of 27% \\(off target by 3 percentage points\\).\n\n"
        "### Corrected results\n\n"
        "- **[Win rate](../kpis/#win-rate)**, 2026-Q2: 25.5% \\(was 25%\\) against a target of 27% \\(off target by 1.5 percentage points\\).\n\n"
        "### Practices recorded\n\n"
        "- **[Joint meetings](../steps/#joint-meetings)**, 2026-11-10: Q4 review.\n"
    )
    release = release_of(
        new,
        version="2.0",
        title="2.0",
        day=TODAY,
        previous=PreviousVersion("1.0", "1.0", json.loads(export_files(old)["playbook.json"])),
    )
    html = build_project(new, Options(release=release)).pages["changes.md"].html
    assert '<h2 id="new-results">New results' in html
    assert '<li><strong><a href="../kpis/#win-rate">Win rate</a></strong>, 2026-Q3: 24% against a target of 27%' in html
    assert "2026-Q2: 25.5% (was 25%) against a target of 27%" in html
    assert '<a href="../checklist/#joint-meetings">Joint meetings</a></strong>, 2026-11-10: Q4 review.</li>' in html
    assert "Nothing a reader sees changed" not in html


def test_a_release_leaves_out_a_draft_kpis_results(tmp_path: Path) -> None:
    draft = MINIMAL["kpis/win-rate.yml"].rstrip() + "\n        status: draft\n"
    files = {
        **NEW,
        "kpis/win-rate.yml": draft,
        "roles/account-executive.yml": MINIMAL["roles/account-executive.yml"].replace("kpis: [win-rate]", ""),
        "checklist.yml": MINIMAL["checklist.yml"].replace("kpis: [win-rate]", ""),
    }
    playbook = load(write_content(tmp_path / "content", base=files), today=TODAY)
    released = without_drafts(playbook)
    assert playbook.results and released.results == {} and ("results", "win-rate") not in released.sources
    assert released.activity == playbook.activity and ("activity", "") in released.sources


def test_a_pull_request_that_adds_a_quarter_reports_it_from_git(tmp_path: Path) -> None:
    from conftest import init_repo

    repo = tmp_path / "repo"
    write_content(repo / "content", base=OLD)
    init_repo(repo)
    (repo / "content" / "results" / "win-rate.csv").write_text(OLD["results/win-rate.csv"] + "2026-Q3,24\n", encoding="utf-8")
    result = run_cli("diff", "HEAD", "--format", "text", cwd=repo)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Playbook changes from HEAD to the working tree\nNo definitions changed; 1 new result.\n\n"
        "New results:\n  * Win rate, 2026-Q3: 24% against a target of 27% (off target by 3 percentage points)\n"
    )
    assert "content/results/win-rate.csv" in result.stdout


def test_a_long_series_of_results_is_listed_in_part_in_the_markdown_report_and_whole_in_the_others(tmp_path: Path) -> None:
    """A year of daily results added at once: the comment (Markdown) lists the first 50 of each section
    and of each file's table and counts the rest; the text and JSON reports list all 365."""
    days = [date(2025, 1, 1).toordinal() + n for n in range(365)]
    rows = "".join(f"{date.fromordinal(day).isoformat()},{20 + n % 7}\n" for n, day in enumerate(days))
    kpi = MINIMAL["kpis/win-rate.yml"].replace("          period: quarter\n", "")  # a day a row
    assert kpi != MINIMAL["kpis/win-rate.yml"]
    before = {**OLD, "results/win-rate.csv": None, "kpis/win-rate.yml": kpi}
    old = write_content(tmp_path / "old", base=before)
    new = write_content(tmp_path / "new", base={**before, "results/win-rate.csv": "period,value,note\n" + rows})
    markdown = run_cli("diff", str(old), str(new), "--format", "markdown", cwd=tmp_path)
    assert markdown.exit_code == 0, markdown.output
    assert "365 new results" in markdown.stdout
    new_results = markdown.stdout.split("### New results\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(new_results) == 51
    assert new_results[-1] == "- … and 315 more new results: `playbook diff` (text or `--format json`) lists every one."
    assert markdown.stdout.count("| – | ") == 50
    assert "- … and 315 more changes in this file: `playbook diff` (text or `--format json`) lists every one." in markdown.stdout
    text = run_cli("diff", str(old), str(new), cwd=tmp_path)
    assert sum(line.startswith("  * Win rate, 2025-") for line in text.stdout.splitlines()) == 365
    data = json.loads(run_cli("diff", str(old), str(new), "--format", "json", cwd=tmp_path).stdout)
    assert data["numbers"]["results"] == len(data["results"]) == 365
