"""The teams' answers to the diagnostic: `survey/<round>.csv`, read with the line and column of every cell.

A round file is named by a period (`2026-Q3.csv`, `2026-09.csv`: the period forms of results) and holds
one anonymous row per respondent: a `function` column (a function id), an optional `team` column (free
text, shown only in aggregate) and one column per diagnostic statement id, each answer on the
diagnostic's scale (1 strongly disagree .. 5 strongly agree); a blank cell is no answer. Reading a
round (`check_survey`) needs the playbook (its statements and functions): every problem is collected
with its file, line and column, and a round with a problem is left out. Pure: the loader reads the bytes.
The aggregates and the privacy threshold live in `content.survey_numbers`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic_core import PydanticCustomError

from ..errors import Problem, did_you_mean
from ..text import FORMULA_START
from .markup import check_text
from .periods import Period, PeriodError, Response, SurveyRound, parse_period
from .results import MAX_PROBLEMS, CsvSyntaxError, csv_records

# The diagnostic's scale: the answer, and the words a form tool shows for it.
SCALE: dict[int, str] = {1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree", 5: "Strongly agree"}
FUNCTION, TEAM = "function", "team"
MAX_TEAM = 80  # characters in a team's name


@dataclass
class SurveyText:
    """A round file as the loader found it: where it is and its text (None when it could not be read)."""

    path: str  # as shown in problems
    rel: str
    stem: str
    text: str | None


@dataclass
class _Reading:
    """What reading one file needs: where it is, the statements and functions, the problems so far."""

    path: str
    questions: Mapping[str, Any]  # statement id -> statement
    functions: Mapping[str, Any]  # function id -> function
    problems: list[Problem]
    columns: dict[str, int] = field(default_factory=dict)

    def problem(self, at: tuple[int, int], code: str, message: str, hint: str) -> None:
        self.problems.append(Problem(self.path, at[0], at[1], code, message, hint))


def check_survey(
    files: Sequence[SurveyText],
    questions: Mapping[str, Any],
    functions: Mapping[str, Any],
    problems: list[Problem],
    *,
    today: date,
) -> tuple[SurveyRound, ...]:
    """Every round file read against the diagnostic; the rounds without problems, oldest first."""
    rounds: list[SurveyRound] = []
    for file in files:
        if file.text is None:
            continue
        before = len(problems)
        period = _round_of(file, problems, today)
        reading = _Reading(file.path, questions, functions, problems)
        responses = _responses(file.text, reading)
        if period is not None and len(problems) == before and responses:
            rounds.append(SurveyRound(period, file.rel, tuple(responses)))
    return tuple(sorted(rounds, key=lambda found: found.period))


def _round_of(file: SurveyText, problems: list[Problem], today: date) -> Period | None:
    try:
        period = parse_period(file.stem)
    except PeriodError as exc:
        problems.append(
            Problem(
                file.path,
                1,
                1,
                "survey-round",
                f"the file name `{file.stem}` is not a period: {exc.message}",
                "name a round file by its period, e.g. survey/2026-Q3.csv or survey/2026-09.csv (" + exc.hint + ")",
            )
        )
        return None
    if period.start > today:
        problems.append(
            Problem(
                file.path,
                1,
                1,
                "survey-round",
                f"round {period.text} has not begun yet (today is {today.isoformat()})",
                "a round is named by the period its answers were given in: check the year and the number",
            )
        )
        return None
    return period


def _responses(text: str, reading: _Reading) -> list[Response]:
    records = csv_records(text)
    found: list[Response] = []
    try:
        header = next(records, None)
        if header is None:
            reading.problem((1, 1), "survey-header", "the file is empty", "start it with the header `function,<statement ids>`")
            return []
        if not _header(header, reading):
            return []
        before = len(reading.problems)
        for line, cells, starts in records:
            if len(reading.problems) - before >= MAX_PROBLEMS:
                reading.problem(
                    (line, 1),
                    "survey-row",
                    f"more problems from this line on are not listed: the first {MAX_PROBLEMS} are",
                    "fix those first (often one cause, such as a shifted column, makes them all)",
                )
                break
            response = _row(line, cells, starts, reading)
            if response is not None:
                found.append(response)
    except CsvSyntaxError as exc:
        reading.problem(
            (exc.line, exc.column),
            "csv-syntax",
            f"CSV syntax error: {exc.reason}",
            'put a cell that holds a comma or a quote in double quotes, and write a quote inside it twice ("")',
        )
    return found


def _header(record: tuple[int, list[str], list[tuple[int, int]]], reading: _Reading) -> bool:
    """Whether the header names `function`, maybe `team`, and statements; every bad column reported."""
    line, cells, starts = record
    known = (FUNCTION, TEAM, *reading.questions)
    ok = True
    for index, name in enumerate(cell.strip() for cell in cells):
        if name in reading.columns:
            reading.problem(
                starts[index], "survey-header", f"the column `{name}` is written twice", "keep one column of each name"
            )
            ok = False
        elif name not in known:
            close = did_you_mean(name, known)
            reading.problem(
                starts[index],
                "survey-header",
                f"unknown column `{name}`: it is not a statement of the diagnostic"
                if name
                else "a column of the header has no name",
                (close + " " if close else "")
                + "the header is `function`, optionally `team`, then statement ids from alignment.yml's `questions`",
            )
            ok = False
        else:
            reading.columns[name] = index
    if ok and FUNCTION not in reading.columns:
        reading.problem(
            (line, 1), "survey-header", "the header has no `function` column", "add `function`: each row's function id"
        )
        ok = False
    return ok


def _row(line: int, cells: list[str], starts: list[tuple[int, int]], reading: _Reading) -> Response | None:
    width = len(reading.columns)
    if len(cells) != width:
        at = starts[width] if len(cells) > width else starts[-1]
        reading.problem(
            at,
            "survey-row",
            f"this row has {len(cells)} cell{'s' if len(cells) != 1 else ''} but the header has {width}",
            "a row has one cell per column of the header; leave a cell empty for no answer",
        )
        return None
    before = len(reading.problems)
    function = _function(cells[reading.columns[FUNCTION]].strip(), starts[reading.columns[FUNCTION]], reading)
    team = ""
    if TEAM in reading.columns:
        team = _team(cells[reading.columns[TEAM]].strip(), starts[reading.columns[TEAM]], reading)
    answers: dict[str, int] = {}
    for question_id in reading.questions:
        index = reading.columns.get(question_id)
        if index is None or not cells[index].strip():
            continue
        answer = _answer(cells[index].strip(), starts[index], question_id, reading)
        if answer is not None:
            answers[question_id] = answer
    if len(reading.problems) > before:
        return None
    return Response(function, team, answers)


def _function(value: str, at: tuple[int, int], reading: _Reading) -> str:
    if value in reading.functions:
        return value
    close = did_you_mean(value, reading.functions)
    known = ", ".join(reading.functions)
    reading.problem(
        at,
        "survey-row",
        f"unknown function `{value}`" if value else "the row has no function",
        (close + " " if close else "") + f"write a function id: {known}",
    )
    return value


def _team(value: str, at: tuple[int, int], reading: _Reading) -> str:
    if len(value) > MAX_TEAM:
        reading.problem(
            at, "survey-row", f"the team is {len(value):,} characters long", f"a team's name holds at most {MAX_TEAM}"
        )
    elif value.startswith(FORMULA_START):
        reading.problem(
            at,
            "survey-row",
            f"the team `{value[:20]}` starts with `{value[0]}`, which a spreadsheet reads as a formula",
            "write the team's name without the leading sign",
        )
    elif value:
        try:
            check_text(value)
        except PydanticCustomError as exc:
            reading.problem(
                at, "survey-row", exc.message(), str((exc.context or {}).get("hint", "write the team's name as text"))
            )
    return value


def _answer(value: str, at: tuple[int, int], question_id: str, reading: _Reading) -> int | None:
    if value.isascii() and value.isdigit() and int(value) in SCALE:
        return int(value)
    words = {label.lower(): score for score, label in SCALE.items()}
    hint = f"write a whole number from {min(SCALE)} ({SCALE[min(SCALE)].lower()}) to {max(SCALE)} ({SCALE[max(SCALE)].lower()}); leave the cell empty for no answer"
    if value.lower() in words:
        hint = f"write {words[value.lower()]} for `{value}`"
    reading.problem(
        at, "survey-answer", f"`{value[:40]}` is not an answer on the diagnostic's scale (statement `{question_id}`)", hint
    )
    return None


__all__ = ["SCALE", "Response", "SurveyRound", "SurveyText", "check_survey"]
