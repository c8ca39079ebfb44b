"""A KPI's results: `results/<kpi-id>.csv`, read with the line and column of every cell.

A file holds a header `period,value` (and optionally `note`) and one row per period. A period is
written `YYYY`, `YYYY-Qn`, `YYYY-MM`, `YYYY-Www` (ISO week) or `YYYY-MM-DD` and read into a typed
`Period`; a value is a plain number in the KPI's unit (a percent as `18.5`). Reading a file
(`read_results_file`) checks what needs no KPI: the bytes, the header, each row's shape, period and
number, a period written twice. `check_results` then holds each file against its KPI: the file is
named after a KPI, its periods have the form its target counts over (or one form throughout), the
values are plausible for the unit and no period lies in the future. Every problem is collected with
its file, line and column; nothing here raises for bad input.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import assert_never

from pydantic_core import PydanticCustomError

from ..errors import Problem, did_you_mean
from ..text import FORMULA_START, HIDDEN_RE, char_name, undecodable
from .markup import check_text
from .periods import (
    CADENCE_KINDS,
    PERIOD_EXAMPLES,
    PERIOD_KINDS,
    Period,
    PeriodError,
    Result,
    last_full_period,
    next_period,
    parse_period,
    period_form_name,
    period_of,
    previous_period,
)
from .schema import Kpi
from .units import Unit, amount

MAX_FILE_BYTES = 2 * 1024 * 1024  # as for YAML files
MAX_NOTE = 500  # characters in a note
MAX_PROBLEMS = 50  # per file: an export that went wrong on every row is told in a screenful
COLUMNS = ("period", "value", "note")
REQUIRED_COLUMNS = ("period", "value")
# Beside the results files: how `playbook import results` reads each KPI's export (importers/sources.py).
SOURCES_NAME = "sources.yml"

# --- numbers -----------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA_RE = re.compile(r"[+-]?\d+,\d+")
_CURRENCY_RE = re.compile(r"(?i)^[+-]?(?:[$€£¥]|[a-z]{3}\s?)\s*[\d.,]+$|^[+-]?[\d.,]+\s*(?:[$€£¥]|[a-z]{3})$")
_WITH_UNIT_RE = re.compile(r"(?i)^[+-]?[\d.,]+\s*(h|hrs?|hours?|d|days?|x|pts?|points?|k|m|bn)$")


class NumberError(ValueError):
    """A value that is not a plain number; `hint` says what to write instead."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def parse_number(text: str) -> float:
    """A cell as a number; raises NumberError, with a hint for a person, for anything else."""
    value = text.strip()
    if not value:
        raise NumberError("the value is empty", "write the result as a number, e.g. 18.5; to leave a period out, delete its row")
    if _NUMBER_RE.fullmatch(value):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise NumberError(f"`{value}` is too large to be a number", "write an ordinary number")
        return number
    if value.endswith("%") and _NUMBER_RE.fullmatch(value[:-1].strip()):
        raise NumberError(
            f"`{value}` is not a number: the % sign is not part of it",
            f"write the percent without the sign: {value[:-1].strip()}",
        )
    if _THOUSANDS_RE.fullmatch(value):
        plain = value.replace(",", "")
        return_hint = f"write {plain} without thousands separators (or, if the comma is a decimal comma, {value.replace(',', '.', 1)} with a point)"
        if value.count(",") > 1 or "." in value:
            return_hint = f"write {plain} without thousands separators"
        raise NumberError(f"`{value}` is not a number: numbers are written without thousands separators", return_hint)
    if _DECIMAL_COMMA_RE.fullmatch(value):
        raise NumberError(f"`{value}` is not a number: the decimal separator is a point", f"write {value.replace(',', '.')}")
    if _CURRENCY_RE.match(value):
        digits = re.sub(r"[^\d.,+-]", "", value)
        raise NumberError(
            f"`{value}` is not a number: write the amount without the currency",
            f"write the number only, e.g. {digits}; the currency comes from the KPI's `currency`",
        )
    if _WITH_UNIT_RE.match(value):
        digits = re.sub(r"[^\d.,+-]", "", value)
        raise NumberError(
            f"`{value}` is not a number: write it without the unit",
            f"write the number only, e.g. {digits}, in the KPI's unit (2.5 million as 2500000)",
        )
    if value.lower() in ("n/a", "na", "-", "--", "tbd", "null", "none", "nan", "?", "unknown"):
        raise NumberError(f"`{value}` is not a number", "a row needs a value: to leave a period out, delete its row")
    raise NumberError(f"`{value}` is not a number", "write a plain number with a point as decimal separator, e.g. 18.5 or 42000")


def _plausible(unit: Unit) -> tuple[float, float, str]:
    """What a value in `unit` can be: (lowest, highest, what to say). A percent of 1,850 is a typing error."""
    match unit:
        case "percent":
            return (-100, 1000, "a percent is written as 18.5 for 18.5%, between -100 and 1,000")
        case "count":
            return (0, 1e12, "a count is zero or more")
        case "currency":
            return (-1e15, 1e15, "an amount is written in the KPI's currency, as a plain number")
        case "hours":
            return (0, 24 * 366 * 10, "a time in hours is zero or more (ten years at most)")
        case "days":
            return (0, 366 * 10, "a time in days is zero or more (ten years at most)")
        case "ratio":
            return (0, 1e6, "a ratio is zero or more, written as 3 for 3x")
        case "score":
            return (-1e6, 1e6, "a score is a plain number")
        case _:
            assert_never(unit)


def implausible(value: float, unit: Unit) -> str:
    """Why a value cannot be meant in `unit`, or "" when it can."""
    low, high, about = _plausible(unit)
    return "" if low <= value <= high else about


# --- reading a file ----------------------------------------------------------------------------


_NBSP = "\xa0"  # what comes before it is a control character; what comes after, an invisible one


@dataclass(frozen=True)
class Row:
    """One row of a results file, read: its result and where each of its cells is written."""

    result: Result
    line: int
    period_at: tuple[int, int]
    value_at: tuple[int, int]


@dataclass
class ResultsFile:
    """A results file as read: the KPI it is named after and its rows in file order."""

    path: str  # as shown in problems (content/results/win-rate.csv)
    rel: str  # content-relative (results/win-rate.csv)
    kpi_id: str
    rows: list[Row] = field(default_factory=list)
    failed: bool = False  # a problem was found in it: its rows are not all there

    def line_of(self, period: Period) -> int:
        return next((row.line for row in self.rows if row.result.period == period), 1)


def _cell_starts(lines: list[str], first: int, broken: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """(line, column) where each cell of the record starting on line `first` begins (the csv module's
    default dialect: commas, double quotes doubled inside quoted cells, line breaks inside quotes).
    `broken` receives the start of each quoted cell whose closing quote is followed by more text."""
    starts: list[tuple[int, int]] = []
    number, text, i = first, lines[first - 1], 0
    while True:
        starts.append((number, i + 1))
        if i < len(text) and text[i] == '"':
            i += 1
            while True:
                if i >= len(text):
                    if number >= len(lines):
                        return starts
                    number, text, i = number + 1, lines[number], 0
                    continue
                if text[i] == '"':
                    if i + 1 < len(text) and text[i + 1] == '"':
                        i += 2
                        continue
                    i += 1
                    if broken is not None and i < len(text) and text[i] != ",":
                        broken.append(starts[-1])
                    break
                i += 1
        comma = text.find(",", i)
        if comma < 0:
            return starts
        i = comma + 1


class CsvSyntaxError(ValueError):
    def __init__(self, reason: str, line: int, column: int):
        super().__init__(reason)
        self.reason, self.line, self.column = reason, line, column


def csv_records(text: str) -> Iterator[tuple[int, list[str], list[tuple[int, int]]]]:
    """(first line, cells, where each cell starts) of every record; raises csv.Error on broken quoting."""
    lines = text.split("\n")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    done = 0  # physical lines read so far
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The quoted cell with text after its closing quote; else where the record starts its last
            # cell: the quote that is never closed, the cell that is too long.
            broken: list[tuple[int, int]] = []
            starts = _cell_starts(lines, min(done + 1, len(lines)), broken)
            line, column = broken[0] if broken else starts[-1]
            raise CsvSyntaxError(str(exc), line, column) from None
        first = done + 1
        done = reader.line_num
        if not cells:
            continue  # a blank line
        starts = _cell_starts(lines, first)
        if len(starts) != len(cells):  # cannot happen for what the csv module accepts; never fail on it
            starts = [(first, 1)] * len(cells)
        yield first, cells, starts


def decode_csv(raw: bytes, display: str, problems: list[Problem], what: str = "results files") -> str | None:
    """The file's text (BOM dropped, line ends as \\n), or None after reporting why it cannot be read."""
    if len(raw) > MAX_FILE_BYTES:
        problems.append(
            Problem(
                display,
                0,
                0,
                "file-too-large",
                f"the file is {len(raw):,} bytes; {what} are limited to {MAX_FILE_BYTES:,} bytes",
                "keep one row per period; split years into an archive outside the content directory"
                if what == "results files"
                else "a round holds one short row per respondent: is it the export of a whole form tool, not a round?",
            )
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column, byte = undecodable(raw, exc)
        problems.append(
            Problem(
                display,
                line,
                column,
                "not-utf8",
                f"the file is not UTF-8 (byte 0x{byte:02x} cannot be decoded)",
                "save the file as UTF-8 (in Excel: Save As > CSV UTF-8 (comma delimited))",
            )
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    hidden = HIDDEN_RE.search(text)
    if hidden:
        preceding = text[: hidden.start()]
        problems.append(
            Problem(
                display,
                preceding.count("\n") + 1,
                hidden.start() - (preceding.rfind("\n") + 1) + 1,
                "control-character",
                f"the file contains the invisible {'control ' if hidden.group() < _NBSP else ''}character {char_name(hidden.group())}",
                "delete it (it often comes with text pasted from another program)",
            )
        )
        return None
    return text


def read_results_file(file: Path, display: str, rel: str, problems: list[Problem]) -> ResultsFile | None:
    """Read `file` (a `results/<kpi-id>.csv`); problems are appended, None when it cannot be read at all."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        problems.append(
            Problem(
                display,
                0,
                0,
                "unreadable",
                f"cannot read the file: {exc.strerror or exc}",
                "make it a regular file, or remove it",
            )
        )
        return None
    text = decode_csv(raw, display, problems)
    if text is None:
        return None
    return parse_results(text, display, rel, Path(rel).stem, problems)


def parse_results(text: str, display: str, rel: str, kpi_id: str, problems: list[Problem]) -> ResultsFile:
    """The rows of a results file's text; every problem in it is appended to `problems`."""
    found = ResultsFile(display, rel, kpi_id)
    before = len(problems)
    _read_rows(found, text, problems)
    found.failed = len(problems) > before
    return found


def _read_rows(found: ResultsFile, text: str, problems: list[Problem]) -> None:
    display = found.path
    records = csv_records(text)
    try:
        header = next(records, None)
        if header is None:
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "empty-file",
                    "the file is empty",
                    "start it with the header line `period,value` and add a row per period, or delete the file",
                )
            )
            return
        columns = _header(header, display, problems)
        if columns is None:
            return
        seen: dict[str, int] = {}
        before = len(problems)
        for line, cells, starts in records:
            if len(problems) - before >= MAX_PROBLEMS:
                problems.append(
                    Problem(
                        display,
                        line,
                        1,
                        "results-row",
                        f"more problems from this line on are not listed: the first {MAX_PROBLEMS} are",
                        "fix those first (often one cause, such as the export's number format, makes them all)",
                    )
                )
                return
            row = _row(line, cells, starts, columns, display, problems)
            if row is None:
                continue
            period = row.result.period
            if period.text in seen:
                problems.append(
                    Problem(
                        display,
                        *row.period_at,
                        "duplicate-period",
                        f"period {period.text} is written twice (first on line {seen[period.text]})",
                        "keep one row per period: delete one of them, or correct its period",
                    )
                )
                continue
            seen[period.text] = line
            found.rows.append(row)
    except CsvSyntaxError as exc:
        hint = 'put a cell that holds a comma or a quote in double quotes, and write a quote inside it twice ("")'
        if "field larger" in exc.reason:
            hint = "a cell is far too long (more than 128 KiB): is a closing quote missing?"
        elif "end of data" in exc.reason:
            hint = "a double quote opens a cell and is never closed: add the closing quote"
        problems.append(Problem(display, exc.line, exc.column, "csv-syntax", f"CSV syntax error: {exc.reason}", hint))


def _header(record: tuple[int, list[str], list[tuple[int, int]]], display: str, problems: list[Problem]) -> dict[str, int] | None:
    """{column name: index} of a good header; None after reporting a bad one."""
    line, cells, starts = record
    names = [cell.strip() for cell in cells]
    if len(names) == 1 and any(sep in names[0] for sep in (";", "\t")):
        separator = "`;`" if ";" in names[0] else "a tab"
        problems.append(
            Problem(
                display,
                line,
                1,
                "results-header",
                f"the header `{names[0]}` is one cell: the file separates cells with {separator}, not a comma",
                "use commas between cells (in Excel: Save As > CSV UTF-8 (comma delimited)); the header is `period,value`",
            )
        )
        return None
    columns: dict[str, int] = {}
    ok = True
    for index, name in enumerate(names):
        if name in columns:
            problems.append(
                Problem(
                    display,
                    *starts[index],
                    "results-header",
                    f"the column `{name}` is written twice",
                    "keep one column of each name",
                )
            )
            ok = False
        elif name not in COLUMNS:
            close = did_you_mean(name, COLUMNS) or (f"did you mean `{name.lower()}`?" if name.lower() in COLUMNS else "")
            problems.append(
                Problem(
                    display,
                    *starts[index],
                    "results-header",
                    f"unknown column `{name}`" if name else "a column of the header has no name",
                    (close + " " if close else "") + "the header is `period,value`, or `period,value,note` with a note column",
                )
            )
            ok = False
        else:
            columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if ok and missing:
        problems.append(
            Problem(
                display,
                line,
                1,
                "results-header",
                f"the header has no `{missing[0]}` column" + ("" if len(missing) == 1 else f" and no `{missing[1]}` column"),
                "the first line of a results file is the header `period,value` (optionally `,note`)",
            )
        )
        ok = False
    return columns if ok else None


def _row(
    line: int, cells: list[str], starts: list[tuple[int, int]], columns: dict[str, int], display: str, problems: list[Problem]
) -> Row | None:
    width = len(columns)
    if len(cells) == width - 1 and columns.get("note") == width - 1:
        cells, starts = [*cells, ""], [*starts, starts[-1]]  # a row without a note may leave the cell out
    if len(cells) != width:
        at = starts[width] if len(cells) > width else starts[-1]
        hint = f"a row has {width} cells, like the header ({','.join(sorted(columns, key=columns.__getitem__))})"
        value_index = columns["value"]
        if len(cells) > width and value_index + 1 < len(cells) and _looks_split(cells[value_index], cells[value_index + 1]):
            joined = f"{cells[value_index].strip()},{cells[value_index + 1].strip()}"
            hint = f"`{joined}` is read as two cells: write {parse_hint(joined)}, or put the cell in double quotes"
            at = starts[value_index]
        elif len(cells) > width and "note" in columns:
            hint += '; a note that holds a comma goes in double quotes: "new pricing, from May"'
        problems.append(
            Problem(
                display,
                *at,
                "results-row",
                f"this row has {len(cells)} cell{'s' if len(cells) != 1 else ''} but the header has {width}",
                hint,
            )
        )
        return None
    period_at, value_at = starts[columns["period"]], starts[columns["value"]]
    note_index = columns.get("note")
    ok = True
    try:
        period = parse_period(cells[columns["period"]].strip())
    except PeriodError as exc:
        problems.append(Problem(display, *period_at, "bad-period", exc.message, exc.hint))
        ok = False
    try:
        value = parse_number(cells[columns["value"]])
    except NumberError as exc:
        problems.append(Problem(display, *value_at, "bad-number", exc.message, exc.hint))
        ok = False
    note = cells[note_index].strip() if note_index is not None else ""
    if note_index is not None and note:
        if len(note) > MAX_NOTE:
            problems.append(
                Problem(
                    display,
                    *starts[note_index],
                    "results-row",
                    f"the note is {len(note):,} characters long; a note holds at most {MAX_NOTE}",
                    "keep the note short; link to the longer story instead",
                )
            )
            ok = False
        elif note.startswith(FORMULA_START):
            problems.append(
                Problem(
                    display,
                    *starts[note_index],
                    "results-row",
                    f"the note `{note[:20]}` starts with `{note[0]}`, which a spreadsheet opening this file reads as a formula",
                    "start the note with a word (`down 5% after the price change`, not `-5% after ...`)",
                )
            )
            ok = False
        else:
            try:
                check_text(note)
            except PydanticCustomError as exc:
                context = exc.context or {}
                problems.append(
                    Problem(display, *starts[note_index], exc.type.replace("_", "-"), exc.message(), str(context.get("hint", "")))
                )
                ok = False
    if (
        ok
        and note_index is not None
        and re.fullmatch(r"\d{1,3}", note)
        and re.fullmatch(r"[+-]?\d+", cells[columns["value"]].strip())
        and note_index == columns["value"] + 1
    ):
        joined = f"{cells[columns['value']].strip()},{note}"
        problems.append(
            Problem(
                display,
                *value_at,
                "results-row",
                f"this row reads as the value {cells[columns['value']].strip()} with the note `{note}`: was `{joined}` meant as one number?",
                f"write {parse_hint(joined)}; if `{note}` is the note, write it in words",
            )
        )
        ok = False
    if not ok:
        return None
    return Row(Result(period, value, note or None), line, period_at, value_at)


def _looks_split(left: str, right: str) -> bool:
    """`18,5` or `1,850` written without quotes: two cells of digits."""
    return bool(re.fullmatch(r"[+-]?\d+", left.strip()) and re.fullmatch(r"\d+(\.\d+)?", right.strip()))


def parse_hint(joined: str) -> str:
    """What to write for a number written with a comma: 18,5 -> 18.5; 1,850 -> 1850 (or 1.85)."""
    if _THOUSANDS_RE.fullmatch(joined):
        return (
            f"{joined.replace(',', '')} (no thousands separator) or {joined.replace(',', '.', 1)} (a point as decimal separator)"
        )
    return joined.replace(",", ".", 1)


# --- the files against their KPIs ----------------------------------------------------------------


def check_results(
    files: list[ResultsFile],
    kpis: Mapping[str, Kpi],
    problems: list[Problem],
    *,
    today: date,
    invalid: Callable[[str], bool] = lambda kpi_id: False,
) -> dict[str, tuple[Result, ...]]:
    """Each file held against its KPI; {KPI id: results sorted by period} of every file with rows and
    without problems.

    `invalid(kpi_id)` is true for a KPI whose own file failed: its results are not reported again.
    """
    found: dict[str, tuple[Result, ...]] = {}
    for results in files:
        kpi = kpis.get(results.kpi_id)
        if kpi is None:
            if not invalid(results.kpi_id):
                close = did_you_mean(results.kpi_id, kpis)
                known = ", ".join(sorted(kpis)[:12])
                problems.append(
                    Problem(
                        results.path,
                        1,
                        1,
                        "unknown-kpi",
                        f"there is no KPI `{results.kpi_id}`: a results file is named after the KPI it holds results for",
                        (close + " " if close else "")
                        + (f"rename the file to <kpi-id>.csv; known KPIs: {known}" if kpis else "there are no KPIs yet"),
                    )
                )
            continue
        before = len(problems)
        _check_forms(results, kpi, problems)
        for row in results.rows:
            why = implausible(row.result.value, kpi.unit)
            if why:
                shown = amount(row.result.value, kpi.unit, kpi.currency)
                problems.append(
                    Problem(
                        results.path,
                        *row.value_at,
                        "implausible-value",
                        f"{shown} is not a plausible value for {kpi.name} ({row.result.period.text}), which is in {kpi.unit}",
                        why + ("; is a decimal point missing?" if kpi.unit == "percent" else ""),
                    )
                )
            if row.result.period.start > today:
                problems.append(
                    Problem(
                        results.path,
                        *row.period_at,
                        "future-period",
                        f"period {row.result.period.text} has not begun yet (today is {today.isoformat()})",
                        "a result is for a period that has begun: check the year and the number",
                    )
                )
        results.failed = results.failed or len(problems) > before
        if not results.failed and results.rows:
            found[results.kpi_id] = tuple(sorted((row.result for row in results.rows), key=lambda result: result.period))
    return dict(sorted(found.items()))


def expected_form(kpi: Kpi) -> str | None:
    """The period form a KPI's results must have: the period its target counts over, if it has one."""
    return kpi.target.period if kpi.target is not None and kpi.target.period else None


def _check_forms(results: ResultsFile, kpi: Kpi, problems: list[Problem]) -> None:
    form = expected_form(kpi)
    first_line = 0
    if form is None and results.rows:
        form, first_line = results.rows[0].result.period.kind, results.rows[0].line
    for row in results.rows:
        period = row.result.period
        if period.kind == form:
            continue
        written = f"`{period.text}` is a {period_form_name(period.kind)}"
        assert form is not None
        if first_line:
            message = f"{written}, but the rows above are {period_form_name(form, 2)} (from line {first_line}): a file uses one period form"
            hint = f"write every period of this file as a {period_form_name(form)}, e.g. {PERIOD_EXAMPLES[form]}"
        else:
            message = f"{written}, but the target of {kpi.name} counts per {form} (`target.period: {form}`)"
            hint = (
                f"write {period_form_name(form, 2)} such as {PERIOD_EXAMPLES[form]}: a result per {period.kind} cannot be held against"
                f" a target per {form}; or change `target.period` in kpis/{kpi.id}.yml"
            )
        problems.append(Problem(results.path, *row.period_at, "period-form", message, hint))


__all__ = [
    "CADENCE_KINDS",
    "PERIOD_KINDS",
    "Period",
    "PeriodError",
    "Result",
    "ResultsFile",
    "Row",
    "check_results",
    "expected_form",
    "last_full_period",
    "next_period",
    "parse_number",
    "parse_period",
    "period_of",
    "previous_period",
    "read_results_file",
]
