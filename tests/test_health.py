"""Health is computed from the results, the target and the direction: checked against what a person
works out by hand from the same numbers, for every period form, plus staleness, the checklist's
record and hand-off SLAs, and the warnings `validate` gives."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import DEFAULT_CONTENT, MINIMAL, run_cli, write_content
from playbook_site.content import load, load_all
from playbook_site.content.health import (
    add_cadence,
    due_period,
    handoff_compliance,
    kpi_health,
    meets_target,
    step_activity,
    trend_of,
    trend_text,
    value_verdict,
    verdict,
)
from playbook_site.content.periods import Result, parse_period
from playbook_site.content.schema import ActivityEntry, ChecklistStep, Kpi

TODAY = date(2026, 11, 23)  # a Monday: ISO week 2026-W48 starts today


def kpi(**fields: Any) -> Kpi:
    base: dict[str, Any] = {
        "id": "win-rate",
        "name": "Win rate",
        "definition": "Share of deals won.",
        "formula": "Won ÷ (won + lost) × 100",
        "unit": "percent",
        "direction": "higher",
        "owner": "sales-manager",
        "target": {"value": 27, "period": "quarter"},
    }
    base.update(fields)
    return Kpi.model_validate({key: value for key, value in base.items() if value is not None})


def results(*rows: tuple[str, float]) -> tuple[Result, ...]:
    return tuple(Result(parse_period(period), value) for period, value in rows)


# --- on and off target, both directions ----------------------------------------------------------


def test_higher_is_better_off_target() -> None:
    win_rate = kpi(cadence="quarterly")
    health = kpi_health(win_rate, results(("2026-Q3", 24), ("2026-Q1", 23.5), ("2026-Q2", 25)), TODAY)  # any order
    # By hand: the latest quarter is 2026-Q3 with 24; 24 < 27 and higher is better, so 3 points short.
    assert health.state == "off-target" and health.on_target is False
    assert health.latest is not None and (health.latest.period.text, health.latest.value) == ("2026-Q3", 24)
    assert (health.target, health.difference, health.shortfall) == (27, -3, 3)
    assert verdict(win_rate, health) == "off target by 3 percentage points"
    assert not health.stale and health.due is not None and health.due.text == "2026-Q3"
    # Over the last three quarters: from 23.5 to 24, up, which is the good way for a higher-is-better KPI.
    assert health.trend is not None and (health.trend.direction, health.trend.better, health.trend.change) == ("up", True, 0.5)
    assert trend_text(win_rate, health.trend) == "up from 23.5% to 24% over the last 3 quarters"


def test_higher_is_better_on_target_and_exactly_on_it() -> None:
    win_rate = kpi()
    assert kpi_health(win_rate, results(("2026-Q3", 28.5)), TODAY).state == "on-target"
    exactly = kpi_health(win_rate, results(("2026-Q3", 27)), TODAY)
    assert (exactly.state, exactly.difference, exactly.shortfall) == ("on-target", 0, 0)
    assert verdict(win_rate, exactly) == "on target"


def test_lower_is_better_on_and_off_target() -> None:
    response = kpi(
        id="lead-response-time", name="Lead response time", unit="hours", direction="lower", target={"value": 4}, cadence="weekly"
    )
    on = kpi_health(response, results(("2026-W45", 4.1), ("2026-W46", 3.8), ("2026-W47", 3.6)), TODAY)
    # By hand: 3.6 hours in week 47 is under the 4-hour target, and lower is better: on target.
    assert on.state == "on-target" and on.shortfall == 0 and on.difference == pytest.approx(-0.4)
    assert on.trend is not None and (on.trend.direction, on.trend.better) == ("down", True)
    off = kpi_health(response, results(("2026-W46", 3.8), ("2026-W47", 4.5)), TODAY)
    # 4.5 hours is half an hour over the target.
    assert off.state == "off-target" and off.shortfall == pytest.approx(0.5)
    assert verdict(response, off) == "off target by 0.5 hours"
    assert off.trend is not None and (off.trend.direction, off.trend.better) == ("up", False)


def test_lower_is_better_exactly_on_its_target_is_on_target() -> None:
    """At most the target when lower is better: exactly 4 hours against a 4-hour target is on target,
    in the health, the value's verdict and the test itself (`<` for `<=` in `meets_target` is caught)."""
    response = kpi(id="lead-response-time", name="Lead response time", unit="hours", direction="lower", target={"value": 4})
    assert meets_target(response, 4) is True
    assert (meets_target(response, 3.99), meets_target(response, 4.01)) == (True, False)
    exactly = kpi_health(response, results(("2026-Q3", 4)), TODAY)
    assert (exactly.state, exactly.on_target, exactly.difference, exactly.shortfall) == ("on-target", True, 0, 0)
    assert verdict(response, exactly) == "on target" and value_verdict(response, 4) == "on target"
    assert meets_target(kpi(target=None, direction="lower"), 4) is None


def test_lower_is_better_in_a_currency() -> None:
    cac = kpi(
        id="cac", name="Customer acquisition cost", unit="currency", currency="USD", direction="lower", target={"value": 42000}
    )
    health = kpi_health(cac, results(("2026-Q2", 43900), ("2026-Q3", 44300)), TODAY)
    assert health.state == "off-target" and verdict(cac, health) == "off target by USD 2,300"


def test_no_target_has_a_latest_value_and_no_verdict_and_no_results_is_a_state() -> None:
    untargeted = kpi(target=None)
    health = kpi_health(untargeted, results(("2026-10", 3), ("2026-09", 5)), TODAY)
    assert health.state == "no-target" and health.on_target is None and health.latest is not None
    assert health.latest.value == 3 and health.difference is None and verdict(untargeted, health) == "no target"
    empty = kpi_health(kpi(), (), TODAY)
    assert (empty.state, empty.latest, empty.stale, empty.target) == ("no-results", None, False, 27)
    assert empty.due is not None and empty.due.text == "2026-Q3"  # from the target's period


def test_a_flat_trend_and_a_single_result() -> None:
    win_rate = kpi()
    flat = kpi_health(win_rate, results(("2026-Q1", 25), ("2026-Q2", 26), ("2026-Q3", 25.2)), TODAY)
    # 25 to 25.2 is within 1% of 25.2: flat.
    assert flat.trend is not None and (flat.trend.direction, flat.trend.better) == ("flat", None)
    assert trend_text(win_rate, flat.trend) == "flat at 25.2% over the last 3 quarters"
    assert kpi_health(win_rate, results(("2026-Q3", 25)), TODAY).trend is None


# --- every period form, stale or not ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "cadence", "due", "fresh", "old"),
    [
        # Without a cadence: the last full period of the results' own form.
        ("year", None, "2025", "2025", "2024"),
        ("quarter", None, "2026-Q3", "2026-Q3", "2026-Q2"),
        ("month", None, "2026-10", "2026-10", "2026-09"),
        ("week", None, "2026-W47", "2026-W47", "2026-W46"),
        ("day", None, "2026-11-22", "2026-11-22", "2026-11-21"),
        # With a cadence: the latest period of that form that is over when the last full review period ends.
        ("quarter", "monthly", "2026-Q3", "2026-Q3", "2026-Q2"),  # October ended 2026-10-31: Q3 is the last quarter over
        ("week", "monthly", "2026-W43", "2026-W43", "2026-W42"),  # W44 runs to 1 November, after October
        ("year", "quarterly", "2025", "2025", "2024"),  # Q3 ended 2026-09-30: 2026 is not over
        ("day", "weekly", "2026-11-22", "2026-11-22", "2026-11-21"),  # the last full week ended on Sunday the 22nd
        ("month", "yearly", "2025-12", "2025-12", "2025-11"),
    ],
)
def test_stale_means_no_result_for_the_last_full_period(form: str, cadence: str | None, due: str, fresh: str, old: str) -> None:
    measured = kpi(target={"value": 10}, direction="lower", unit="count", cadence=cadence)
    assert due_period(form, cadence, TODAY).text == due
    up_to_date = kpi_health(measured, results((old, 12), (fresh, 9)), TODAY)
    assert (up_to_date.stale, up_to_date.state, up_to_date.latest.period.kind) == (False, "on-target", form)  # type: ignore[union-attr]
    behind = kpi_health(measured, results((old, 12)), TODAY)
    assert behind.stale and behind.due is not None and behind.due.text == due and behind.state == "off-target"


def test_a_result_for_the_running_period_counts_and_is_marked_partial() -> None:
    health = kpi_health(kpi(), results(("2026-Q3", 26), ("2026-Q4", 28)), TODAY)
    assert health.latest is not None and health.latest.period.text == "2026-Q4" and health.partial and not health.stale


# --- the checklist's record -------------------------------------------------------------------------


def step(cadence: str | None) -> ChecklistStep:
    data = {
        "id": "joint-meetings",
        "title": "Joint meetings",
        "description": "Meet.",
        "owner": "sales-manager",
        "cadence": cadence,
    }
    return ChecklistStep.model_validate({key: value for key, value in data.items() if value is not None})


def entries(*days: str, step_id: str = "joint-meetings") -> list[ActivityEntry]:
    return [ActivityEntry(step=step_id, date=date.fromisoformat(day)) for day in days]


@pytest.mark.parametrize(
    ("cadence", "last", "due", "overdue", "days"),
    [
        ("quarterly", "2026-07-21", "2026-10-21", True, 33),
        ("quarterly", "2026-08-23", "2026-11-23", False, 0),  # due today: not yet overdue
        ("monthly", "2026-10-22", "2026-11-22", True, 1),
        ("monthly", "2026-01-31", "2026-02-28", True, 268),  # a month after 31 January is the end of February
        ("weekly", "2026-11-16", "2026-11-23", False, 0),
        ("yearly", "2025-11-22", "2026-11-22", True, 1),
    ],
)
def test_a_step_is_overdue_when_its_cadence_has_passed_since_its_last_activity(
    cadence: str, last: str, due: str, overdue: bool, days: int
) -> None:
    # Entries in any order, another step's ignored.
    record = step_activity(step(cadence), [*entries(last, "2025-01-05"), *entries("2026-11-20", step_id="other")], TODAY)
    assert record.last is not None and record.last.date == date.fromisoformat(last)
    assert (record.next_due, record.overdue, record.days_overdue) == (date.fromisoformat(due), overdue, days)
    assert len(record.entries) == 2 and add_cadence(date.fromisoformat(last), cadence) == date.fromisoformat(due)


def test_ongoing_or_no_cadence_is_never_due_and_no_entry_is_overdue() -> None:
    for cadence in ("ongoing", None):
        record = step_activity(step(cadence), entries("2020-01-01"), TODAY)
        assert (record.next_due, record.overdue) == (None, False)
    never = step_activity(step("monthly"), [], TODAY)
    assert (never.last, never.next_due, never.overdue) == (None, None, True)


# --- hand-off SLAs ----------------------------------------------------------------------------------

SLA_KPIS = {
    "kpis/lead-response-time.yml": """
        name: Lead response time
        definition: Hours to the first contact.
        formula: Median business hours from MQL to first contact
        unit: hours
        direction: lower
        owner: sales-manager
        target:
          value: 4
        stages: [marketing-qualified-lead]
    """,
    "kpis/handoff-sla-compliance.yml": """
        name: Hand-off SLA compliance
        definition: Share of MQLs contacted within the SLA.
        formula: MQLs contacted within the SLA ÷ MQLs × 100
        unit: percent
        direction: higher
        owner: sales-manager
        target:
          value: 95
        stages: [marketing-qualified-lead]
    """,
    "kpis/mql-acceptance.yml": """
        name: MQL acceptance rate
        definition: Share of MQLs accepted.
        formula: Accepted ÷ MQLs × 100
        unit: percent
        direction: higher
        owner: sales-manager
        stages: [marketing-qualified-lead]
    """,
}


def test_handoff_compliance_in_hours_and_as_a_share(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            **SLA_KPIS,
            "results/lead-response-time.csv": "period,value\n2026-W46,30\n2026-W47,3.6\n",
            "results/handoff-sla-compliance.csv": "period,value\n2026-10,92\n",
            "results/mql-acceptance.csv": "period,value\n2026-10,70\n",
        },
    )
    playbook = load(root, today=TODAY)
    found = {item.kpi_id: item for item in handoff_compliance(playbook, "marketing-qualified-lead", TODAY)}
    assert set(found) == {"lead-response-time", "handoff-sla-compliance"}  # an acceptance rate is no SLA measure
    hours = found["lead-response-time"]
    # By hand: the MQL's hand-off to the Account Executive has 24 hours; the latest week took 3.6.
    assert (hours.measure, hours.sla_hours, hours.within, hours.latest.value) == ("hours", 24, True, 3.6)
    assert (
        hours.sentence == "Lead response time, 2026-W47: 3.6 hours, within the 24-hour SLA of the hand-off to Account Executive"
    )
    share = found["handoff-sla-compliance"]
    assert (share.measure, share.share, share.within, share.health.state) == ("share", 92, None, "off-target")
    assert share.sentence == (
        "Hand-off SLA compliance, 2026-10: 92% of hand-offs within the 24-hour SLA of the hand-off to Account Executive"
        " (target 95%: off target by 3 percentage points)"
    )
    assert handoff_compliance(playbook, "sales-qualified-lead", TODAY) == ()  # no hand-off
    assert handoff_compliance(playbook, "no-such-stage", TODAY) == ()


def test_an_hour_measure_over_the_sla(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            "kpis/lead-response-time.yml": SLA_KPIS["kpis/lead-response-time.yml"],
            "results/lead-response-time.csv": "period,value\n2026-W47,30\n",
        },
    )
    (item,) = handoff_compliance(load(root, today=TODAY), "marketing-qualified-lead", TODAY)
    assert item.within is False and item.sentence.endswith("over the 24-hour SLA of the hand-off to Account Executive by 6 hours")


# --- warnings in validate --------------------------------------------------------------------------

WITH_CADENCE = {
    **MINIMAL,
    "checklist.yml": """
        steps:
          - id: joint-meetings
            title: Joint meetings
            description: Meet every month.
            owner: sales-manager
            cadence: monthly
          - id: joint-planning
            title: Joint planning
            description: Plan every quarter.
            owner: sales-manager
            cadence: quarterly
          - id: knowledge-share
            title: Knowledge share
            description: Share what works.
            owner: sales-manager
            cadence: ongoing
    """,
    "kpis/pipeline.yml": """
        name: Pipeline
        definition: Open pipeline.
        formula: Sum of open opportunities
        unit: count
        direction: higher
        owner: sales-manager
    """,
    "kpis/draft-kpi.yml": """
        name: Draft KPI
        status: draft
        definition: Not measured yet.
        formula: Nothing yet
        unit: count
        direction: higher
        owner: sales-manager
    """,
}


def warnings_of(root: Path) -> list[tuple[str, int, int, str, str]]:
    loaded = load_all(root, today=TODAY)
    return [(Path(p.path).relative_to(root).as_posix(), p.line, p.column, p.code, p.message) for p in loaded.warnings]


def test_stale_no_results_and_overdue_warnings_where_they_are_written(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            "results/win-rate.csv": "period,value\n2026-Q1,23\n2026-Q2,25\n",
            "activity.yml": "entries:\n  - step: joint-meetings\n    date: 2026-09-01\n  - step: knowledge-share\n    date: 2025-01-01\n",
        },
        base=WITH_CADENCE,
    )
    assert warnings_of(root) == [
        (
            "activity.yml",
            3,
            11,
            "overdue-step",
            "checklist step `joint-meetings` (Joint meetings) is monthly and last happened on 2026-09-01: it was due by 2026-10-01 (53 days ago)",
        ),
        (
            "checklist.yml",
            11,
            14,
            "overdue-step",
            "checklist step `joint-planning` (Joint planning) is quarterly and has no entry in activity.yml",
        ),
        ("kpis/pipeline.yml", 0, 0, "no-results", "KPI `pipeline` (Pipeline) has no results yet"),
        (
            "results/win-rate.csv",
            3,
            1,
            "stale-results",
            "KPI `win-rate` (Win rate) has no result for 2026-Q3 (its latest is 2026-Q2)",
        ),
    ]  # the draft KPI and the ongoing step are not expected to have numbers


def test_no_warning_without_results_or_activity_even_when_numbers_would_be_due(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {}, base=WITH_CADENCE)
    assert warnings_of(root) == []
    assert load_all(root).warnings == []  # without today (generate, export) there are no such warnings either


def test_strict_turns_the_numbers_warnings_into_errors(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"results/win-rate.csv": "period,value\n2026-Q2,25\n"}, base=WITH_CADENCE)
    plain = run_cli("validate", "--content", str(root))
    assert plain.exit_code == 0 and "0 errors, 2 warnings" in plain.stdout
    strict = run_cli("validate", "--content", str(root), "--strict")
    assert strict.exit_code == 1
    assert (
        "results/win-rate.csv:2:1: error: KPI `win-rate` (Win rate) has no result for 2026-Q3 (its latest is 2026-Q2) [stale-results]"
        in strict.stderr
    )


# --- one problem per mistake: a file or an entry that failed is not also reported as missing ----------------


def bundled_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, root)
    return root


def reported(root: Path) -> list[tuple[str, str]]:
    """(file, code) of everything `validate` reports (errors and warnings), sorted."""
    result = run_cli("validate", "--content", str(root), "--format", "json")
    return sorted((Path(p["path"]).relative_to(root).as_posix(), p["code"]) for p in json.loads(result.stdout)["problems"])


def edited(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (root / rel).write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def bundled_reports() -> list[tuple[str, str]]:
    """What the bundled playbook itself reports on TODAY: a step that is overdue, a KPI whose results are stale."""
    found = reported(DEFAULT_CONTENT.resolve())
    assert found == [("activity.yml", "overdue-step"), ("results/net-revenue-retention.csv", "stale-results")]
    return found


UNREADABLE_RESULTS = [
    ("not-utf8", b"period,value\n2026-Q3,24\xff\n", "not-utf8"),
    ("control-character", b"period,value\n2026-Q3,2\x004\n", "control-character"),
    ("semicolons", b"period;value\n2026-Q3;24\n", "results-header"),
    ("bad-header", b"Period,value\n2026-Q3,24\n", "results-header"),
    ("unclosed-quote", b'period,value,note\n2026-Q3,24,"never closed\n', "csv-syntax"),
    ("empty", b"", "empty-file"),
]


@pytest.mark.parametrize(("name", "data", "code"), UNREADABLE_RESULTS, ids=[case[0] for case in UNREADABLE_RESULTS])
def test_a_results_file_that_cannot_be_read_is_its_only_problem(
    tmp_path: Path, bundled_reports: list[tuple[str, str]], name: str, data: bytes, code: str
) -> None:
    """Not also `no-results` (nor `stale-results`) for its KPI: the file is there, its own problem says what is wrong."""
    root = bundled_copy(tmp_path)
    (root / "results" / "win-rate.csv").write_bytes(data)
    assert reported(root) == sorted([*bundled_reports, ("results/win-rate.csv", code)])


def test_a_results_file_that_is_a_folder_or_leads_outside_is_its_only_problem(
    tmp_path: Path, bundled_reports: list[tuple[str, str]]
) -> None:
    root = bundled_copy(tmp_path)
    (root / "results" / "win-rate.csv").unlink()
    (root / "results" / "win-rate.csv").mkdir()
    assert reported(root) == sorted([*bundled_reports, ("results/win-rate.csv", "unreadable")])
    (root / "results" / "win-rate.csv").rmdir()
    (tmp_path / "elsewhere.csv").write_text("period,value\n2026-Q3,24\n", encoding="utf-8")
    (root / "results" / "win-rate.csv").symlink_to(tmp_path / "elsewhere.csv")
    assert reported(root) == sorted([*bundled_reports, ("results/win-rate.csv", "symlink-outside")])


def test_a_missing_results_file_is_still_no_results(tmp_path: Path, bundled_reports: list[tuple[str, str]]) -> None:
    root = bundled_copy(tmp_path)
    (root / "results" / "win-rate.csv").unlink()
    assert reported(root) == sorted([*bundled_reports, ("kpis/win-rate.yml", "no-results")])


LATEST_JOINT_MEETING = (
    "  - step: joint-meetings\n    date: 2026-11-10\n    note: Q4 pipeline review; win rate still below the target of 27%.\n"
    "    link: https://wiki.example.com/revenue/joint-meeting-2026-11\n"
)
# The latest entry of joint-meetings, written wrong in each way; without it, the step would be overdue.
BAD_ENTRIES = [
    ("bad-link", ("https://wiki", "wiki"), "bad-link"),
    ("ftp-link", ("https://", "ftp://"), "bad-link"),
    ("html-in-note", ("Q4 pipeline review;", "Q4 <b>pipeline</b> review;"), "raw-html"),
    ("misspelt-field", ("    link:", "    links:"), "unknown-field"),
    ("impossible-date", ("2026-11-10", "2026-11-31"), "bad-date"),
    ("no-date", ("    date: 2026-11-10\n", ""), "missing-field"),
    ("misspelt-step", ("step: joint-meetings", "step: joint-meeting"), "dangling-reference"),
    ("step-not-an-id", ("step: joint-meetings", "step: Joint meetings"), "bad-id"),
]


@pytest.mark.parametrize(("name", "change", "code"), BAD_ENTRIES, ids=[case[0] for case in BAD_ENTRIES])
def test_an_activity_entry_that_failed_does_not_make_its_step_overdue(
    tmp_path: Path, bundled_reports: list[tuple[str, str]], name: str, change: tuple[str, str], code: str
) -> None:
    """The one problem is the entry's own: the practice it records happened, its step is not also overdue."""
    root = bundled_copy(tmp_path)
    edited(root, "activity.yml", LATEST_JOINT_MEETING, LATEST_JOINT_MEETING.replace(*change))
    assert reported(root) == sorted([*bundled_reports, ("activity.yml", code)])


def test_an_entry_that_failed_still_dates_its_step(tmp_path: Path) -> None:
    """The failed entry's date counts: it is united-approach's latest practice, more than a quarter ago, so the
    step is overdue from that entry (its line), as it is with the link written right."""
    root = bundled_copy(tmp_path)
    entry = "  - step: united-approach\n    date: 2026-07-21\n"
    edited(root, "activity.yml", entry, entry + "    link: ftp://wiki.example.com/positioning\n")
    loaded = run_cli("validate", "--content", str(root), "--format", "json")
    problems = [(p["line"], p["code"], p["message"]) for p in json.loads(loaded.stdout)["problems"] if "activity" in p["path"]]
    assert problems == [
        (
            22,
            "overdue-step",
            "checklist step `united-approach` (United approach) is quarterly and last happened on 2026-07-21:"
            " it was due by 2026-10-21 (33 days ago)",
        ),
        (23, "bad-link", "`ftp://wiki.example.com/positioning` is not an https:// link"),
    ]


def test_an_activity_log_whose_entries_cannot_be_read_calls_no_step_overdue(tmp_path: Path) -> None:
    root = bundled_copy(tmp_path)
    edited(root, "activity.yml", "\nentries:\n", "\nentires:\n")
    assert reported(root) == [("activity.yml", "unknown-field"), ("results/net-revenue-retention.csv", "stale-results")]


def test_a_failed_entry_is_read_the_same_from_the_cache(tmp_path: Path, bundled_reports: list[tuple[str, str]]) -> None:
    """`validate` keeps what each file's check found; the second run reads activity.yml from the cache."""
    root = bundled_copy(tmp_path)
    edited(root, "activity.yml", LATEST_JOINT_MEETING, LATEST_JOINT_MEETING.replace("https://wiki", "wiki"))
    (root / "results" / "win-rate.csv").write_bytes(b"period,value\n2026-Q3,24\xff\n")
    expected = sorted([*bundled_reports, ("activity.yml", "bad-link"), ("results/win-rate.csv", "not-utf8")])
    assert reported(root) == expected
    assert reported(root) == expected


# --- the default playbook shows every state -----------------------------------------------------------


def test_the_default_playbook_shows_every_state() -> None:
    playbook = load(DEFAULT_CONTENT, today=TODAY)
    assert set(playbook.results) == set(playbook.kpis)  # a year of results for every KPI
    health = {kpi_id: kpi_health(playbook.kpis[kpi_id], results, TODAY) for kpi_id, results in playbook.results.items()}
    states = {kpi_id: h.state for kpi_id, h in health.items()}
    assert "on-target" in states.values() and "off-target" in states.values()
    assert [kpi_id for kpi_id, h in health.items() if h.stale] == ["net-revenue-retention"]
    win_rate = health["win-rate"]
    assert win_rate.latest is not None and (win_rate.latest.period.text, win_rate.latest.value, win_rate.state) == (
        "2026-Q3",
        24,
        "off-target",
    )
    assert {h.latest.period.kind for h in health.values() if h.latest} == {"year", "quarter", "month", "week"}
    overdue = [s.id for s in playbook.checklist.steps if step_activity(s, playbook.activity, TODAY).overdue]
    assert overdue == ["united-approach"]


def test_a_kpi_over_several_stages_measures_one_hand_off_the_first_of_its_stages_that_hands_off() -> None:
    """The bundled Lead response time lists the MQL and the SAL stage (the MQL's 24-hour hand-off to
    the SDR, then the SAL they accept): its figure belongs to the MQL's hand-off alone, never to the
    SAL's 8-hour hand-off to the Account Executive (issue 23)."""
    playbook = load(DEFAULT_CONTENT, today=TODAY)
    kpi = playbook.kpis["lead-response-time"]
    assert kpi.stages == ["marketing-qualified-lead", "sales-accepted-lead"]  # both stages hand off
    assert playbook.leads["marketing-qualified-lead"].handoff and playbook.leads["sales-accepted-lead"].handoff
    # By hand, from the content: the stages of every SLA measure, and the first of them (funnel order)
    # with a hand-off is the one it measures.
    order = list(playbook.leads)
    expected: dict[str, set[str]] = {lead_id: set() for lead_id in playbook.leads}
    for other in playbook.kpis.values():
        handing = sorted((s for s in other.stages if playbook.leads[s].handoff), key=order.index)
        if handing and playbook.results.get(other.id) and (other.unit == "hours" or "SLA" in other.name):
            expected[handing[0]].add(other.id)
    found = {lead_id: {item.kpi_id for item in handoff_compliance(playbook, lead_id, TODAY)} for lead_id in playbook.leads}
    assert found == expected
    assert "lead-response-time" in found["marketing-qualified-lead"]
    assert "lead-response-time" not in found["sales-accepted-lead"]


# --- found by mutation testing (`make mutate`, reference/mutation.md) -----------------------------


def test_a_value_off_target_says_by_how_much_in_the_kpis_unit() -> None:
    win_rate = kpi()  # 27%, higher is better
    assert value_verdict(win_rate, 24) == "off target by 3 percentage points"
    assert value_verdict(win_rate, 26) == "off target by 1 percentage point"  # one point: singular
    assert value_verdict(win_rate, 27.5) == "on target"
    assert value_verdict(kpi(target=None), 24) == ""


def test_no_results_keeps_the_kpi_its_target_and_the_period_due() -> None:
    win_rate = kpi(cadence="quarterly")
    health = kpi_health(win_rate, (), TODAY)
    assert (health.kpi_id, health.state, health.target) == ("win-rate", "no-results", 27)
    assert health.due is not None and health.due.text == "2026-Q3"  # by hand: the last full quarter before 23 November
    assert verdict(win_rate, health) == "no results"


def test_no_target_still_has_its_trend_staleness_due_period_and_partial_period() -> None:
    untargeted = kpi(target=None, cadence="quarterly")
    health = kpi_health(untargeted, results(("2026-Q1", 20), ("2026-Q2", 22), ("2026-Q3", 25)), TODAY)
    assert (health.kpi_id, health.state, verdict(untargeted, health)) == ("win-rate", "no-target", "no target")
    assert health.trend is not None and (health.trend.direction, health.trend.change) == ("up", 5)
    assert health.due is not None and health.due.text == "2026-Q3" and health.stale is False and health.partial is False
    # The quarter running today (2026-Q4) is partial; results that stop in 2025 are stale.
    assert kpi_health(untargeted, results(("2026-Q3", 25), ("2026-Q4", 26)), TODAY).partial is True
    assert kpi_health(untargeted, results(("2025-Q3", 25), ("2025-Q4", 26)), TODAY).stale is True


def test_a_period_that_ends_today_is_still_partial() -> None:
    daily = kpi(target=None)
    assert kpi_health(daily, results(("2026-11-22", 25), ("2026-11-23", 26)), TODAY).partial is True
    assert kpi_health(daily, results(("2026-11-21", 25), ("2026-11-22", 26)), TODAY).partial is False


def test_a_change_of_exactly_one_percent_is_flat_and_keeps_its_size() -> None:
    flat = trend_of(results(("2026-Q2", 100), ("2026-Q3", 99)), "higher")  # 1 of 100: exactly FLAT_SHARE
    assert flat is not None and (flat.direction, flat.better, flat.change) == ("flat", None, -1)
    down = trend_of(results(("2026-Q2", 100), ("2026-Q3", 98.9)), "higher")
    assert down is not None and (down.direction, down.better) == ("down", False)


def test_a_trend_in_a_currency_names_it_and_counts_its_periods() -> None:
    pipeline = kpi(id="pipeline", name="Pipeline", unit="currency", currency="EUR", target={"value": 400000}, cadence="quarterly")
    rising = kpi_health(pipeline, results(("2026-Q1", 380000), ("2026-Q2", 390000), ("2026-Q3", 410000)), TODAY)
    assert rising.kpi_id == "pipeline" and rising.state == "on-target" and rising.trend is not None
    assert trend_text(pipeline, rising.trend) == "up from EUR 380,000 to EUR 410,000 over the last 3 quarters"
    flat = kpi_health(pipeline, results(("2026-Q2", 410000), ("2026-Q3", 410001)), TODAY)
    assert flat.trend is not None and trend_text(pipeline, flat.trend) == "flat at EUR 410,001 over the last 2 quarters"


def test_no_results_and_no_target_is_no_results_with_nothing_due() -> None:
    health = kpi_health(kpi(target=None, cadence=None), (), TODAY)
    assert (health.kpi_id, health.state, health.target, health.due, health.trend) == ("win-rate", "no-results", None, None, None)
