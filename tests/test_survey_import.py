"""`playbook survey import`: one export per form tool (their real column headers and answer labels,
made-up answers) becomes a round that validates, and no name, e-mail address or timestamp from it
reaches the content."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli, write_content

SHARED = "We share one lead definition."
TARGET = "We share one revenue target."
PEOPLE = ["Ann Example", "Bob Sample", "Cleo Person", "Dan Someone", "Eve Tester", "Fay Other"]
EMAILS = [f"{name.split()[0].lower()}@northwind.example" for name in PEOPLE]
LABELS = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree", "Agree"]
FUNCTIONS = ["Marketing", "Sales", "Marketing", "Sales", "Customer Success", "sales"]


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def google_forms() -> bytes:
    """Google Forms' CSV: Timestamp, Email Address, then the questions; a Likert grid as `Title [row]`."""
    rows = [["Timestamp", "Email Address", "Your name", "Function", "Team", f"How far do you agree? [{SHARED}]", TARGET]]
    for index, person in enumerate(PEOPLE):
        rows.append(
            [
                f"2026/09/1{index} 10:0{index}:11 AM GMT+1",
                EMAILS[index],
                person,
                FUNCTIONS[index],
                "EMEA",
                LABELS[index],
                LABELS[-index - 1],
            ]
        )
    return as_csv(rows)


def microsoft_forms(path: Path) -> None:
    """Microsoft Forms' XLSX: ID, Start time, Completion time, Email, Name, Last modified time, the questions."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", "Last modified time", "Department", SHARED, TARGET])
    for index, person in enumerate(PEOPLE):
        answer = LABELS[index] if index != 2 else "=2+3"  # a formula: never evaluated
        sheet.append(
            [
                index + 1,
                f"9/14/26 10:0{index}:00",
                f"9/14/26 10:1{index}:00",
                EMAILS[index],
                person,
                "",
                FUNCTIONS[index],
                answer,
                index % 5 + 1,
            ]
        )
    book.save(path)


def typeform() -> bytes:
    """Typeform's CSV: #, the questions (an opinion scale as 1-5), Start Date (UTC), Submit Date (UTC), Network ID."""
    rows = [
        [
            "#",
            "What is your name?",
            "Function",
            SHARED.rstrip("."),
            "We share one revenue targett",
            "Start Date (UTC)",
            "Submit Date (UTC)",
            "Network ID",
        ]
    ]
    for index, person in enumerate(PEOPLE):
        rows.append(
            [
                f"x{index}abc",
                person,
                FUNCTIONS[index],
                str(index % 5 + 1),
                str(5 - index % 5),
                "2026-09-14 10:00:00",
                "2026-09-14 10:04:00",
                f"ab12cd{index}",
            ]
        )
    return as_csv(rows)


def nothing_personal(content: Path) -> None:
    for file in content.rglob("*"):
        if file.is_file():
            text = file.read_text(encoding="utf-8", errors="replace")
            for secret in [*PEOPLE, *EMAILS, "2026/09/1", "9/14/26", "Network", "ab12cd", "@"]:
                assert secret not in text, (file, secret)


@pytest.mark.parametrize("tool", ["google", "microsoft", "typeform"])
def test_an_export_of_each_form_tool_imports_into_a_round_that_validates(tmp_path: Path, tool: str) -> None:
    content = write_content(tmp_path / "content")
    export = tmp_path / f"responses-{tool}.{'xlsx' if tool == 'microsoft' else 'csv'}"
    if tool == "google":
        export.write_bytes(google_forms())
    elif tool == "microsoft":
        microsoft_forms(export)
    else:
        export.write_bytes(typeform())
    yes = ["--yes"] if tool == "typeform" else []  # Typeform's header has a typo: a close match to confirm
    if yes:
        refused = run_cli("survey", "import", str(export), "--round", "2026-Q3", "--content", str(content))
        assert refused.exit_code == 1 and "close to statement `shared-target`" in refused.output
        assert not (content / "survey").exists(), "nothing is written before the match is confirmed"
    result = run_cli("survey", "import", str(export), "--round", "2026-Q3", "--content", str(content), *yes)
    assert result.exit_code == 0, result.output
    assert "6 respondents answering 2 statements" in result.output
    written = (content / "survey" / "2026-Q3.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(written)))
    assert rows[0][0] == "function" and rows[0][-2:] == ["shared-definition", "shared-target"]
    assert [row[0] for row in rows[1:]] == ["marketing", "sales", "marketing", "sales", "customer-success", "sales"]
    if tool == "google":
        assert [row[2] for row in rows[1:]] == ["5", "4", "3", "2", "1", "4"]
    if tool == "microsoft":
        assert rows[3][1] == "", "a formula's cell is read as its stored value (none), never computed"
    assert run_cli("validate", "--content", str(content)).exit_code == 0
    nothing_personal(content)
    again = run_cli("survey", "import", str(export), "--round", "2026-Q3", "--content", str(content), *yes)
    assert again.exit_code == 2 and "exists: nothing was written; add --overwrite" in again.output
    assert (
        run_cli("survey", "import", str(export), "--round", "2026-Q3", "--content", str(content), "--overwrite", *yes).exit_code
        == 0
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Mostly agree", "`Mostly agree` is not an answer on the scale"),
        ('=HYPERLINK("https://evil.example")', "starts like a formula"),
        ("4\u200b", "the invisible character"),
    ],
)
def test_a_bad_cell_is_located_and_nothing_is_written(tmp_path: Path, cell: str, message: str) -> None:
    content = write_content(tmp_path / "content")
    export = tmp_path / "export.csv"
    export.write_bytes(as_csv([["Timestamp", "Function", SHARED], ["t", "Sales", "Agree"], ["t", "Sales", cell]]))
    result = run_cli("survey", "import", str(export), "--round", "2026-Q3", "--content", str(content))
    assert (
        result.exit_code == 1
        and message in result.output
        and f"{export.name}:3:3" in result.output.replace(str(tmp_path) + "/", "")
    )
    assert not (content / "survey").exists()
