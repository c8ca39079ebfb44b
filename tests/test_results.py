"""Results files (`results/<kpi-id>.csv`) and activity.yml: read with positions, every mistake located,
nothing built when one is found. Real files in tmp_path."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import MINIMAL, run_cli, write_content
from playbook_site.content import load, load_all
from playbook_site.content.periods import parse_period
from playbook_site.errors import ContentError

TODAY = date(2026, 11, 23)

# The minimal playbook and a KPI whose target has no period (any one form fits) and a lower-is-better one.
NUMBERS = {
    **MINIMAL,
    "kpis/lead-response-time.yml": """
        name: Lead response time
        definition: Hours to the first contact.
        formula: Median business hours from MQL to first contact
        unit: hours
        direction: lower
        owner: sales-manager
        target:
          value: 4
        cadence: weekly
        stages: [marketing-qualified-lead]
    """,
}


def content_with(tmp_path: Path, files: dict[str, str | None]) -> Path:
    return write_content(tmp_path / "content", files, base=NUMBERS)


def located(root: Path, *, today: date = TODAY) -> list[tuple[str, int, int, str]]:
    """(file, line, column, code) of every error, when loading fails."""
    with pytest.raises(ContentError) as caught:
        load(root, today=today)
    return [
        (Path(p.path).relative_to(root).as_posix(), p.line, p.column, p.code)
        for p in caught.value.problems
        if p.severity == "error"
    ]


def problem(root: Path, code: str) -> object:
    with pytest.raises(ContentError) as caught:
        load(root, today=TODAY)
    found = [p for p in caught.value.problems if p.code == code]
    assert len(found) == 1, caught.value.problems
    return found[0]


def write_bytes(root: Path, rel: str, data: bytes) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_bytes(data)


# --- what is read --------------------------------------------------------------------------------


def test_rows_in_any_order_are_sorted_by_period(tmp_path: Path) -> None:
    root = content_with(tmp_path, {"results/win-rate.csv": "period,value\n2026-Q3,24\n2025-Q4,22\n2026-Q1,23.5\n2026-Q2,25\n"})
    playbook = load(root, today=TODAY)
    assert [(r.period.text, r.value) for r in playbook.results["win-rate"]] == [
        ("2025-Q4", 22.0),
        ("2026-Q1", 23.5),
        ("2026-Q2", 25.0),
        ("2026-Q3", 24.0),
    ]
    assert playbook.sources[("results", "win-rate")] == "results/win-rate.csv"


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
        ("2026-Q3", "quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-W01", "week", date(2025, 12, 29), date(2026, 1, 4)),
        ("2026-W53", "week", date(2026, 12, 28), date(2027, 1, 3)),
        ("2026-11-23", "day", date(2026, 11, 23), date(2026, 11, 23)),
    ],
)
def test_every_period_form(text: str, kind: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end, period.text) == (kind, start, end, text)


@pytest.mark.parametrize(
    ("rows", "kind"),
    [
        ("2024,5\n2025,4\n", "year"),
        ("2026-Q2,5\n2026-Q3,4\n", "quarter"),
        ("2026-09,5\n2026-10,4\n", "month"),
        ("2026-W46,5\n2026-W47,4\n", "week"),
        ("2026-11-21,5\n2026-11-22,4\n", "day"),
    ],
)
def test_a_kpi_without_a_target_period_takes_results_in_any_one_form(tmp_path: Path, rows: str, kind: str) -> None:
    root = content_with(tmp_path, {"results/lead-response-time.csv": "period,value\n" + rows})
    results = load(root, today=TODAY).results["lead-response-time"]
    assert {r.period.kind for r in results} == {kind} and [r.value for r in results] == [5.0, 4.0]


def test_bom_crlf_quotes_notes_and_no_trailing_newline(tmp_path: Path) -> None:
    root = content_with(tmp_path, {})
    text = (
        '\ufeffperiod,value,note\r\n2026-Q1,23.5,"New pricing, from May"\r\n"2026-Q2",25,"He said ""yes""\r\nand left"\r\n'
        "2026-Q3,24\r\n2025-Q4,22,SUM(A1:A9) of the regions"
    )
    write_bytes(root, "results/win-rate.csv", text.encode("utf-8"))
    results = load(root, today=TODAY).results["win-rate"]
    assert [(r.period.text, r.value, r.note) for r in results] == [
        ("2025-Q4", 22.0, "SUM(A1:A9) of the regions"),  # a note that starts a formula is refused (BAD_CSV)
        ("2026-Q1", 23.5, "New pricing, from May"),
        ("2026-Q2", 25.0, 'He said "yes"\nand left'),
        ("2026-Q3", 24.0, None),  # a row without a note may leave its cell out
    ]


def test_columns_in_another_order_and_spaces_around_cells(tmp_path: Path) -> None:
    root = content_with(tmp_path, {"results/win-rate.csv": "value, period ,note\n 24 , 2026-Q3 ,\n"})
    assert [(r.period.text, r.value, r.note) for r in load(root, today=TODAY).results["win-rate"]] == [("2026-Q3", 24.0, None)]


def test_a_header_only_file_has_no_results(tmp_path: Path) -> None:
    root = content_with(tmp_path, {"results/win-rate.csv": "period,value\n"})
    loaded = load_all(root, today=TODAY)
    assert loaded.playbook.results == {}
    assert [(p.code, p.severity, Path(p.path).name) for p in loaded.warnings] == [
        ("no-results", "warning", "lead-response-time.yml"),
        ("no-results", "warning", "win-rate.csv"),
    ]


def test_a_playbook_without_results_or_activity_loads_as_before(tmp_path: Path) -> None:
    loaded = load_all(write_content(tmp_path / "content"), today=TODAY)
    assert loaded.playbook.results == {} and loaded.playbook.activity == () and loaded.warnings == []
    assert not any(kind in ("results", "activity") for kind, _ in loaded.playbook.sources)


# --- every mistake, located ------------------------------------------------------------------------

BAD_CSV = [
    # (name, file text, expected (line, column, code), a phrase of the message or hint)
    ("header-capitalised", "Period,value\n2026-Q3,24\n", (1, 1, "results-header"), "did you mean `period`?"),
    ("header-misspelt", "period,values\n2026-Q3,24\n", (1, 8, "results-header"), "did you mean `value`?"),
    ("header-missing-value", "period,note\n2026-Q3,x\n", (1, 1, "results-header"), "no `value` column"),
    ("header-twice", "period,value,value\n2026-Q3,24,25\n", (1, 14, "results-header"), "written twice"),
    ("header-semicolons", "period;value\n2026-Q3;24\n", (1, 1, "results-header"), "`;`"),
    ("empty-file", "", (1, 1, "empty-file"), "header line `period,value`"),
    ("decimal-comma-quoted", 'period,value\n2026-Q3,"18,5"\n', (2, 9, "bad-number"), "write 18.5"),
    ("decimal-comma-unquoted", "period,value\n2026-Q3,18,5\n", (2, 9, "results-row"), "`18,5` is read as two cells: write 18.5"),
    ("decimal-comma-in-note", "period,value,note\n2026-Q3,18,5\n", (2, 9, "results-row"), "write 18.5"),
    ("percent-sign", "period,value\n2026-Q3,18.5%\n", (2, 9, "bad-number"), "without the sign: 18.5"),
    ("thousands", 'period,value\n2026-Q3,"1,850"\n', (2, 9, "bad-number"), "write 1850 without thousands separators"),
    ("currency-symbol", "period,value\n2026-Q3,$24\n", (2, 9, "bad-number"), "without the currency"),
    ("not-a-number", "period,value\n2026-Q3,n/a\n", (2, 9, "bad-number"), "delete its row"),
    ("empty-value", "period,value\n2026-Q3,\n", (2, 9, "bad-number"), "the value is empty"),
    ("too-many-cells", "period,value\n2026-Q3,24,late\n", (2, 12, "results-row"), "3 cells but the header has 2"),
    ("too-few-cells", "period,value\n2026-Q3\n", (2, 1, "results-row"), "1 cell but the header has 2"),
    ("unclosed-quote", 'period,value,note\n2026-Q3,24,"never closed\n', (2, 12, "csv-syntax"), "never closed"),
    ("quarter-written-backwards", "period,value\nQ3 2026,24\n", (2, 1, "bad-period"), "`2026-Q3`"),
    ("no-such-quarter", "period,value\n2026-Q5,24\n", (2, 1, "bad-period"), "Q1 to Q4"),
    ("slash", "period,value\n2026/Q3,24\n", (2, 1, "bad-period"), "`2026-Q3`"),
    ("twice", "period,value\n2026-Q2,25\n2026-Q3,24\n2026-Q2,26\n", (4, 1, "duplicate-period"), "first on line 2"),
    ("wrong-form", "period,value\n2026-Q2,25\n2026-07,24\n", (3, 1, "period-form"), "counts per quarter"),
    ("implausible-percent", "period,value\n2026-Q3,1850\n", (2, 9, "implausible-value"), "1,850%"),
    ("future", "period,value\n2027-Q1,24\n", (2, 1, "future-period"), "has not begun"),
    ("hidden-character", "period,value\n2026-Q3,2\x004\n", (2, 10, "control-character"), "U+0000"),
    # The one list of refused characters (text.py): what a YAML summary refuses, a note refuses too.
    ("zero-width-in-note", "period,value,note\n2026-Q3,24,cam\u200bpaign\n", (2, 15, "control-character"), "U+200B"),
    ("tag-character-in-note", "period,value,note\n2026-Q3,24,ok\U000e0041\n", (2, 14, "control-character"), "U+E0041"),
    # A results file is a CSV people open in a spreadsheet: a note never starts a formula there.
    ("formula-note", 'period,value,note\n2026-Q3,24,"=HYPERLINK(""https://x.example"")"\n', (2, 12, "results-row"), "formula"),
    (
        "minus-note",
        "period,value,note\n2026-Q3,24,-5% after the price change\n",
        (2, 12, "results-row"),
        "start the note with a word",
    ),
    ("html-in-note", "period,value,note\n2026-Q3,24,<script>x</script>\n", (2, 12, "raw-html"), "raw HTML"),
]


@pytest.mark.parametrize(("name", "text", "where", "phrase"), BAD_CSV, ids=[case[0] for case in BAD_CSV])
def test_every_bad_csv_gets_a_located_problem(
    tmp_path: Path, name: str, text: str, where: tuple[int, int, str], phrase: str
) -> None:
    root = content_with(tmp_path, {})
    write_bytes(root, "results/win-rate.csv", text.encode("utf-8"))
    with pytest.raises(ContentError) as caught:
        load(root, today=TODAY)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert [(Path(p.path).relative_to(root).as_posix(), p.line, p.column, p.code) for p in errors] == [
        ("results/win-rate.csv", *where)
    ]
    assert phrase in errors[0].message + " " + errors[0].hint, errors[0]


def test_mixed_forms_in_a_file_without_a_target_period(tmp_path: Path) -> None:
    root = content_with(tmp_path, {"results/lead-response-time.csv": "period,value\n2026-W46,5\n2026-10,4\n"})
    found = problem(root, "period-form")
    assert (found.line, found.column) == (3, 1)  # type: ignore[attr-defined]
    assert "the rows above are weeks (from line 2)" in found.message  # type: ignore[attr-defined]


def test_a_negative_time_is_implausible(tmp_path: Path) -> None:
    root = content_with(tmp_path, {"results/lead-response-time.csv": "period,value\n2026-W46,-3\n"})
    assert located(root) == [("results/lead-response-time.csv", 2, 10, "implausible-value")]


def test_a_file_for_no_kpi_says_which_one_was_meant(tmp_path: Path) -> None:
    root = content_with(tmp_path, {"results/win-rat.csv": "period,value\n2026-Q3,24\n"})
    found = problem(root, "unknown-kpi")
    assert (Path(found.path).name, found.line, found.column) == ("win-rat.csv", 1, 1)  # type: ignore[attr-defined]
    assert found.hint.startswith("did you mean `win-rate`?")  # type: ignore[attr-defined]


def test_a_file_name_that_is_not_an_id_and_other_files(tmp_path: Path) -> None:
    root = content_with(tmp_path, {"results/Win Rate.csv": "period,value\n", "results/notes.txt": "x"})
    with pytest.raises(ContentError) as caught:
        load(root, today=TODAY)
    assert [(Path(p.path).name, p.code, p.severity) for p in caught.value.problems] == [
        ("Win Rate.csv", "bad-id", "error"),
        ("notes.txt", "unknown-file", "warning"),
    ]


def test_results_of_a_kpi_whose_file_failed_are_not_reported_again(tmp_path: Path) -> None:
    root = content_with(
        tmp_path, {"kpis/win-rate.yml": "name: [unclosed\n", "results/win-rate.csv": "period,value\n2026-Q3,24\n"}
    )
    assert [code for _, _, _, code in located(root)] == ["yaml-syntax"]


def test_hostile_files_are_refused_quickly_and_safely(tmp_path: Path) -> None:
    root = content_with(tmp_path, {})
    write_bytes(root, "results/win-rate.csv", b"period,value\n" + b"2026-Q3,24\n" * 300_000)  # 3.3 MB
    assert located(root) == [("results/win-rate.csv", 0, 0, "file-too-large")]
    write_bytes(root, "results/win-rate.csv", b'period,value,note\n2026-Q3,24,"' + b"x" * 200_000 + b'"\n')
    assert located(root) == [("results/win-rate.csv", 2, 12, "csv-syntax")]  # a cell over the csv module's limit
    write_bytes(root, "results/win-rate.csv", b"period,value\n2026-Q3,24\xff\n")
    assert located(root) == [("results/win-rate.csv", 2, 11, "not-utf8")]
    write_bytes(root, "results/win-rate.csv", b"period,value,note\n2026-Q3,24,ok \xe2\x80\xae evil\n")
    assert located(root) == [("results/win-rate.csv", 2, 15, "control-character")]
    write_bytes(root, "results/win-rate.csv", b"period,value,note\n2026-Q3,24," + b"x" * 600 + b"\n")
    assert located(root) == [("results/win-rate.csv", 2, 12, "results-row")]  # a note over 500 characters


def test_a_results_file_that_is_a_folder_or_a_folder_that_is_a_file(tmp_path: Path) -> None:
    root = content_with(tmp_path, {})
    (root / "results" / "win-rate.csv").mkdir(parents=True)
    assert located(root) == [("results/win-rate.csv", 0, 0, "unreadable")]
    (root / "results" / "win-rate.csv").rmdir()
    (root / "results").rmdir()
    (root / "results").write_text("x")
    assert located(root) == [("results", 0, 0, "not-a-folder")]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    root = content_with(tmp_path, {"results/win-rate.csv": "period,value\n2026-Q5,24\n2026-Q2,18.5%\n2026-07,3\n2026-Q3,2000\n"})
    assert located(root) == [
        ("results/win-rate.csv", 2, 1, "bad-period"),
        ("results/win-rate.csv", 3, 9, "bad-number"),
        ("results/win-rate.csv", 4, 1, "period-form"),
        ("results/win-rate.csv", 5, 9, "implausible-value"),
    ]


def test_nothing_is_built_or_written_from_a_bad_results_file(tmp_path: Path) -> None:
    root = content_with(tmp_path, {"results/win-rate.csv": "period,value\n2026-Q3,18.5%\n"})
    out = tmp_path / "out"
    for command in (("generate", "--out", str(out)), ("export", "--out", str(out))):
        result = run_cli(*command, "--content", str(root))
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "results/win-rate.csv:2:9: error: `18.5%` is not a number" in result.output
        assert not out.exists()
    validate = run_cli("validate", "--content", str(root))
    assert validate.exit_code == 1
    assert "  2 | 2026-Q3,18.5%\n    |         ^" in validate.stderr  # the line itself, with a caret under the cell


# --- activity.yml -----------------------------------------------------------------------------------

ACTIVITY = """
    entries:
      - step: joint-meetings
        date: 2026-11-02
        note: Q4 review
        link: https://wiki.example.com/joint/2026-11
      - step: joint-meetings
        date: 2026-08-04
"""


def test_activity_is_read_and_sorted_by_date(tmp_path: Path) -> None:
    playbook = load(content_with(tmp_path, {"activity.yml": ACTIVITY}), today=TODAY)
    assert [(e.step, e.date, e.note, e.link) for e in playbook.activity] == [
        ("joint-meetings", date(2026, 8, 4), None, None),
        ("joint-meetings", date(2026, 11, 2), "Q4 review", "https://wiki.example.com/joint/2026-11"),
    ]
    assert playbook.sources[("activity", "")] == "activity.yml"


BAD_ACTIVITY = [
    (
        "unknown-step",
        "entries:\n  - step: joint-meeting\n    date: 2026-11-02\n",
        (2, 11, "dangling-reference"),
        "did you mean `joint-meetings`?",
    ),
    ("future", "entries:\n  - step: joint-meetings\n    date: 2026-11-24\n", (3, 11, "future-date"), "today is 2026-11-23"),
    (
        "http-link",
        "entries:\n  - step: joint-meetings\n    date: 2026-11-02\n    link: http://wiki.example.com/x\n",
        (4, 11, "bad-link"),
        "https://",
    ),
    (
        "script-link",
        "entries:\n  - step: joint-meetings\n    date: 2026-11-02\n    link: javascript:alert(1)\n",
        (4, 11, "bad-link"),
        "https://",
    ),
    ("bad-date", "entries:\n  - step: joint-meetings\n    date: 2026-02-30\n", (3, 11, "bad-date"), "YYYY-MM-DD"),
    ("missing-date", "entries:\n  - step: joint-meetings\n", (2, 5, "missing-field"), "`date`"),
    (
        "html-note",
        "entries:\n  - step: joint-meetings\n    date: 2026-11-02\n    note: <b>x</b>\n",
        (4, 11, "raw-html"),
        "raw HTML",
    ),
    (
        "unknown-field",
        "entries:\n  - step: joint-meetings\n    date: 2026-11-02\n    notes: x\n",
        (4, 5, "unknown-field"),
        "`note`",
    ),
]


@pytest.mark.parametrize(("name", "text", "where", "phrase"), BAD_ACTIVITY, ids=[case[0] for case in BAD_ACTIVITY])
def test_every_bad_activity_entry_gets_a_located_problem(
    tmp_path: Path, name: str, text: str, where: tuple[int, int, str], phrase: str
) -> None:
    root = content_with(tmp_path, {})
    (root / "activity.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load(root, today=TODAY)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert [(Path(p.path).name, p.line, p.column, p.code) for p in errors] == [("activity.yml", *where)]
    assert phrase in errors[0].message + " " + errors[0].hint, errors[0]


def test_the_other_entries_are_checked_when_one_is_invalid(tmp_path: Path) -> None:
    text = "entries:\n  - step: joint-meetings\n    date: 2026-11-02\n    link: ftp://x\n  - step: joint-meeting\n    date: 2027-01-01\n"
    root = content_with(tmp_path, {"activity.yml": text})
    assert [(line, code) for _, line, _, code in located(root)] == [
        (4, "bad-link"),
        (5, "dangling-reference"),
        (6, "future-date"),
    ]


def test_a_future_date_is_refused_without_today_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`generate` and `export` load without a review date; a date in the future is still an error (by the clock)."""
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-23")
    root = content_with(tmp_path, {"activity.yml": "entries:\n  - step: joint-meetings\n    date: 2026-12-01\n"})
    with pytest.raises(ContentError) as caught:
        load(root)
    assert [p.code for p in caught.value.problems] == ["future-date"]


def test_a_file_wrong_on_every_row_is_told_in_a_screenful(tmp_path: Path) -> None:
    root = content_with(
        tmp_path, {"results/win-rate.csv": "period,value\n" + "".join(f"{2000 + n}-Q1,1.5%\n" for n in range(200))}
    )
    found = located(root)
    assert len(found) == 51 and found[-1] == ("results/win-rate.csv", 52, 1, "results-row")


@pytest.mark.parametrize(
    ("file", "target"),
    [
        ("kpis/lead-response-time.yml", "1.7e308"),  # issue 21, finding 11: a target the chart could not draw
        ("kpis/lead-response-time.yml", "-3"),  # a negative time, as a result would be refused
        ("kpis/win-rate.yml", "1850"),  # a percent with its decimal point lost
    ],
)
def test_a_target_is_held_to_the_bounds_of_its_unit_as_a_result_is(tmp_path: Path, file: str, target: str) -> None:
    root = content_with(tmp_path, {})
    path = root / file
    text = path.read_text(encoding="utf-8")
    written = re.sub(r"(?m)^(\s*value:) .*$", rf"\g<1> {target}", text, count=1)
    assert written != text
    path.write_text(written, encoding="utf-8")
    expected_line = next(n for n, row in enumerate(written.splitlines(), 1) if row.strip().startswith("value:"))
    column = written.splitlines()[expected_line - 1].index(target) + 1
    assert located(root) == [(file, expected_line, column, "implausible-value")]
    result = run_cli("validate", "--content", str(root))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{file}:{expected_line}:{column}: error:" in result.output and "target" in result.output
