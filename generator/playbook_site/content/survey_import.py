"""`playbook survey import`: a form tool's export (CSV or XLSX) made into a survey round file.

Google Forms, Microsoft Forms and Typeform write one column per question, headed by the question's
text (Google writes a grid's rows as `Title [row]`), and add their own columns: timestamps, e-mail
addresses, names, response ids. Each column is matched to a statement: by its exact text first
(case, spacing, quotes and a trailing full stop aside), then by a close match, which is used only
when confirmed (`--yes`). The function column is found by its header (`function`, `department`, ...)
and its answers by a function's id or name; a team column likewise. Answer labels (`Strongly agree`,
`4 - Agree`, `4`) are mapped to the scale. Every other column is dropped: nothing of a name, an
e-mail address or a timestamp reaches the content. Cells are read as values (python-calamine reads an
XLSX's stored values and evaluates no formula); a cell that starts like a formula is refused where it
would be kept. The round is checked like any round file before it is written.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import Problem
from ..text import FORMULA_START, HIDDEN_RE, char_name
from .periods import PeriodError, parse_period
from .survey import FUNCTION, SCALE, TEAM, SurveyText, check_survey

MAX_EXPORT_BYTES = 20 * 1024 * 1024
CLOSE = 0.8  # how alike a header and a statement must be to be offered as a match
_FUNCTION_HEADERS = ("function", "department", "which function", "your function", "which team are you in", "area")
_TEAM_HEADERS = ("team", "your team", "team name")
_LABELS = {
    "strongly disagree": 1,
    "disagree": 2,
    "somewhat disagree": 2,
    "neither agree nor disagree": 3,
    "neither": 3,
    "neutral": 3,
    "agree": 4,
    "somewhat agree": 4,
    "strongly agree": 5,
    **{label.lower(): score for score, label in SCALE.items()},
}
_LEADING_SCORE = re.compile(r"^([1-5])(?:\.0+)?(?:\s*[-–:.)]\s*.*)?$")


@dataclass(frozen=True)
class Match:
    """A column of the export matched to a statement: exact, or close (shown, to be confirmed)."""

    index: int
    header: str
    question: str
    exact: bool


@dataclass
class Imported:
    """What the import found: the round's text (when nothing failed), the matches, what was dropped."""

    text: str | None
    matches: list[Match] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    function_header: str = ""
    team_header: str = ""
    respondents: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def unconfirmed(self) -> list[Match]:
        return [match for match in self.matches if not match.exact]


def normalized(text: str) -> str:
    """A header or a statement as compared: hidden characters, quotes, spacing, case and a final stop aside."""
    text = HIDDEN_RE.sub("", text).replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split()).casefold().rstrip(" .?:")


def read_rows(raw: bytes, name: str, display: str, problems: list[Problem]) -> list[list[str]]:
    """The export's cells as text, row by row (a CSV's delimiter sniffed; an XLSX's first sheet)."""
    if len(raw) > MAX_EXPORT_BYTES:
        problems.append(
            Problem(
                display,
                0,
                0,
                "survey-import",
                f"the export is {len(raw):,} bytes; at most {MAX_EXPORT_BYTES:,} are read",
                "export the responses only",
            )
        )
        return []
    if name.lower().endswith((".xlsx", ".xls", ".xlsm", ".ods")) or raw[:2] == b"PK":
        return _sheet_rows(raw, display, problems)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(
            Problem(display, 0, 0, "survey-import", "the export is not UTF-8", "download the responses as CSV (UTF-8) or XLSX")
        )
        return []
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if any(cell.strip() for cell in row)]


def _sheet_rows(raw: bytes, display: str, problems: list[Problem]) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=True)
    except Exception as exc:  # noqa: BLE001 (a broken workbook in any of calamine's ways is one user mistake)
        problems.append(
            Problem(
                display,
                0,
                0,
                "survey-import",
                f"the workbook cannot be read: {type(exc).__name__}",
                "save it again as XLSX, or export CSV",
            )
        )
        return []
    return [[_cell_text(value) for value in row] for row in values if any(_cell_text(value) for value in row)]


def _cell_text(value: Any) -> str:
    """A cell's stored value as text: 4.0 as 4; a date as written by isoformat."""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def match_columns(headers: Sequence[str], questions: Mapping[str, Any]) -> tuple[list[Match], list[int]]:
    """Each header matched to a statement (exact first, then the closest above CLOSE); the indexes left over."""
    texts = {normalized(question.text): question_id for question_id, question in questions.items()}
    matches: list[Match] = []
    taken: set[str] = set()
    left: list[int] = []
    for index, header in enumerate(headers):
        wanted = _candidates(header)
        found = next((texts[text] for text in wanted if texts.get(text) and texts[text] not in taken), None)
        if found is None:
            found = next((question_id for question_id in questions if question_id in wanted and question_id not in taken), None)
        if found is not None:
            matches.append(Match(index, header, found, True))
            taken.add(found)
        else:
            left.append(index)
    for index in list(left):
        best = _closest(headers[index], {text: question_id for text, question_id in texts.items() if question_id not in taken})
        if best is not None:
            matches.append(Match(index, headers[index], best, False))
            taken.add(best)
            left.remove(index)
    return sorted(matches, key=lambda match: match.index), left


def _closest(header: str, texts: Mapping[str, str]) -> str | None:
    """The statement (id) whose text is the closest to `header`, when at least CLOSE alike."""
    best, ratio = None, 0.0
    for text, question_id in texts.items():
        score = max(difflib.SequenceMatcher(None, candidate, text).ratio() for candidate in _candidates(header))
        if score > ratio:
            best, ratio = question_id, score
    return best if ratio >= CLOSE else None


def _candidates(header: str) -> list[str]:
    """The texts a header may stand for: itself, and a Google Forms grid row (`Title [row]`)."""
    found = [normalized(header)]
    grid = re.fullmatch(r"(.*)\[(.+)\]\s*", header, flags=re.S)
    if grid:
        found.append(normalized(grid.group(2)))
    return found


def _find(headers: Sequence[str], left: Sequence[int], names: Sequence[str]) -> int | None:
    """The first left-over column headed by one of `names` (or by a question starting with a long one)."""
    exact = next((index for index in left if normalized(headers[index]) in names), None)
    if exact is not None:
        return exact
    return next(
        (index for index in left if any(normalized(headers[index]).startswith(name) for name in names if len(name) > 5)), None
    )


@dataclass
class _Import:
    """One import under way: where the problems are told, and the problems so far."""

    display: str
    playbook: Any
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, column: int, message: str, hint: str) -> None:
        self.problems.append(Problem(self.display, line, column, "survey-import", message, hint))


def import_rows(
    rows: Sequence[Sequence[str]],
    display: str,
    round_name: str,
    playbook: Any,
    *,
    today: date,
    confirmed: bool,
) -> Imported:
    """The round file's text from an export's rows; problems (and no text) when anything is wrong."""
    work = _Import(display, playbook)
    if not rows:
        work.problem(1, 1, "the export has no rows", "export the responses with their header row")
        return Imported(None, problems=work.problems)
    headers = [str(cell) for cell in rows[0]]
    found, function_at, team_at = _columns(headers, work, confirmed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([FUNCTION, *([TEAM] if team_at is not None else []), *(match.question for match in found.matches)])
    for number, row in enumerate(rows[1:], start=2):
        cells = [*row, *[""] * (len(headers) - len(row))]
        written = _row(cells, number, (function_at, team_at), found.matches, work)
        if written is not None:
            writer.writerow(written)
            found.respondents += 1
    _check_round(found, out.getvalue(), round_name, today, work)
    found.problems = work.problems
    return found


def _columns(headers: list[str], work: _Import, confirmed: bool) -> tuple[Imported, int | None, int | None]:
    """The statements' columns, the function's and the team's; the others dropped."""
    matches, left = match_columns(headers, work.playbook.questions)
    function_at = _find(headers, left, _FUNCTION_HEADERS)
    team_at = _find(headers, [index for index in left if index != function_at], _TEAM_HEADERS)
    kept = {index for index in (function_at, team_at) if index is not None}
    found = Imported(None, matches, [headers[index] for index in left if index not in kept])
    found.function_header = headers[function_at] if function_at is not None else ""
    found.team_header = headers[team_at] if team_at is not None else ""
    if function_at is None:
        work.problem(
            1, 1, "no column says the respondent's function", "add a question `Function` whose answers are function ids or names"
        )
    if not matches:
        work.problem(1, 1, "no column matches a statement of the diagnostic", "head each answer column with the statement's text")
    for match in found.unconfirmed if not confirmed else []:
        work.problem(
            1,
            match.index + 1,
            f"the column `{match.header[:80]}` is close to statement `{match.question}` but not the same text",
            "check the match and run the import again with --yes to use it",
        )
    return found, function_at, team_at


def _check_round(found: Imported, text: str, round_name: str, today: date, work: _Import) -> None:
    """The text checked as the round file it becomes: kept only when nothing failed."""
    try:
        parse_period(round_name)
    except PeriodError as exc:
        work.problem(0, 0, f"--round {exc.message}", exc.hint)
        return
    if work.problems:
        return
    rel = f"survey/{round_name}.csv"
    check_survey(
        [SurveyText(rel, rel, round_name, text)], work.playbook.questions, work.playbook.functions(), work.problems, today=today
    )
    if not work.problems:
        found.text = text


def _kept(cells: Sequence[str], index: int, number: int, work: _Import) -> str:
    """A cell the round keeps, as text; a problem when it holds a refused character or starts like a formula."""
    value = str(cells[index]).strip()
    hidden = HIDDEN_RE.search(value)
    if hidden:
        work.problem(
            number, index + 1, f"the cell holds the invisible character {char_name(hidden.group())}", "delete it in the export"
        )
    elif value.startswith(FORMULA_START) and not _LEADING_SCORE.match(value):
        work.problem(
            number,
            index + 1,
            f"the cell `{value[:20]}` starts like a formula",
            "a formula is never evaluated: write the answer itself",
        )
    return value


def _row(
    cells: Sequence[str], number: int, at: tuple[int | None, int | None], matches: Sequence[Match], work: _Import
) -> list[str] | None:
    """One respondent's row of the round file: their function id, team and answers; None after a problem."""
    before = len(work.problems)
    function_at, team_at = at
    function = _function_id(_kept(cells, function_at, number, work), work.playbook) if function_at is not None else ""
    if function_at is not None and function is None:
        known = ", ".join(f"{key} ({item.name})" for key, item in work.playbook.functions().items())
        work.problem(
            number,
            function_at + 1,
            f"`{str(cells[function_at])[:40]}` is not a function",
            f"answer with a function id or name: {known}",
        )
    team = [_kept(cells, team_at, number, work)] if team_at is not None else []
    answers = []
    for match in matches:
        value = _kept(cells, match.index, number, work)
        score = _score(value)
        if score is None:
            work.problem(
                number,
                match.index + 1,
                f"`{value[:40]}` is not an answer on the scale (statement `{match.question}`)",
                "answers are 1-5 or Strongly disagree .. Strongly agree",
            )
        answers.append(score or "")
    if len(work.problems) > before:
        return None
    return [function or "", *team, *answers]


def _function_id(value: str, playbook: Any) -> str | None:
    wanted = normalized(value)
    for key, item in playbook.functions().items():
        if wanted in (key, normalized(item.name)):
            return str(key)
    return None


def _score(value: str) -> str | None:
    """The answer on the scale as written in the round file: "" for no answer, None when it is none."""
    if not value:
        return ""
    label = _LABELS.get(normalized(value))
    if label is not None:
        return str(label)
    leading = _LEADING_SCORE.match(value)
    return leading.group(1) if leading else None


__all__ = ["Imported", "import_rows", "match_columns", "read_rows"]
