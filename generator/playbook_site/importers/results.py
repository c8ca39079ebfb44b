"""`playbook import results`: a CRM or BI export aggregated into a KPI's `results/<kpi>.csv`.

The export's date and value columns are named, remembered in `results/sources.yml`, or guessed
from the header (a guess is shown and confirmed with --yes). Rows are read into days and numbers
(`values`), aggregated to the KPI's period form (its target's period, else the form its results
already have, else its cadence), the partial current period and future days left out, and merged
with the periods already written: a period whose value differs is changed only with --update. The
file written is read back by the content's results reader and held against the KPI before anything
is written, so it always validates.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import get_args

from pydantic import ValidationError

from ..content.loader import check_entity
from ..content.periods import CADENCE_KINDS, PERIOD_KINDS, Period, period_of
from ..content.results import check_results, expected_form, parse_results, read_results_file
from ..content.schema import Kpi
from ..content.units import Unit
from ..errors import ContentError, Problem, UsageError, capped, did_you_mean, printable
from ..files import Folder, content_folder
from ..text import format_number
from . import AGGREGATES, SUMMED_UNITS
from .sheets import Cell, Table, read_tables, text_of
from .sources import SOURCES_REL, SourceEntry, read_sources, sources_text
from .values import DAY_FIRST, MONTH_FIRST, Amount, ValueProblem, is_numeric_date, numeric_order, parse_amount, parse_date

DEFAULT_AGGREGATE: dict[str, str] = {unit: "sum" if unit in SUMMED_UNITS else "mean" for unit in get_args(Unit)}
assert set(SUMMED_UNITS) <= set(DEFAULT_AGGREGATE), "SUMMED_UNITS names units of schema.Unit"

_DATE_WORDS = re.compile(r"(?i)\b(date|day|created|closed?|won|time|timestamp|period|month|week)\b")
_VALUE_WORDS = re.compile(r"(?i)\b(amount|value|revenue|total|count|sum|arr|mrr|acv|tcv|price|rate|score|hours|days)\b")
_HEADER_SCAN = 20  # rows searched for the header (a formatted report puts a title above it)


@dataclass
class ImportOptions:
    kpi_id: str
    date: str | None = None
    value: str | None = None
    aggregate: str | None = None
    dates: str | None = None  # DAY_FIRST | MONTH_FIRST
    sheet: str | None = None
    period: str | None = None
    include_partial: bool = False
    update: bool = False


@dataclass
class Change:
    period: str
    old: float | None  # None: a new period
    new: float


@dataclass
class ResultsPlan:
    """What an import would do: the file's new text, each change, and what to say about how it read the export."""

    kpi: Kpi
    rel: str
    display: str
    text: str
    changes: list[Change]
    unchanged: int
    notes: list[str] = field(default_factory=list)
    guessed: str = ""  # the guessed columns, said as a sentence; "" when they were named or remembered
    entry: SourceEntry | None = None  # what sources.yml will remember

    @property
    def refused(self) -> list[Change]:
        return [change for change in self.changes if change.old is not None]


def shown_number(value: float) -> str:
    """A value as the results file writes it: plain, at most four decimals, no trailing zeros."""
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- the KPI ----------------------------------------------------------------------------------------


def load_kpi(content_dir: Path, kpi_id: str) -> Kpi:
    """The KPI's definition, read and validated on its own (other files' problems do not stop an import)."""
    shown_root = str(content_dir).rstrip("/\\") or "."
    with Folder.at(content_dir) as folder:
        for suffix in (".yml", ".yaml"):
            raw = folder.read(f"kpis/{kpi_id}{suffix}") if re.fullmatch(r"[a-z0-9-]+", kpi_id) else None
            if raw is not None:
                found = check_entity(raw, f"{shown_root}/kpis/{kpi_id}{suffix}", "kpi", kpi_id)
                if found.problems or found.value is None:
                    raise ContentError(found.problems)
                kpi: Kpi = found.value
                return kpi
    known = sorted(path.stem for path in (content_dir / "kpis").glob("*.y*ml")) if (content_dir / "kpis").is_dir() else []
    close = did_you_mean(kpi_id, known)
    raise UsageError(
        f"there is no KPI `{printable(kpi_id)}` in {printable(shown_root)}/kpis/"
        + (f": {close}" if close else f" (known: {', '.join(known[:12]) or 'none'})")
    )


# --- the columns --------------------------------------------------------------------------------------


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _header_row(table: Table, wanted: list[str]) -> int | None:
    """The row holding the header: the first that names every wanted column, else the first with two texts above data."""
    keys = {_key(name) for name in wanted}
    for row in range(min(_HEADER_SCAN, len(table.rows))):
        names = {_key(text_of(cell)) for cell in table.rows[row] if isinstance(cell, str)}
        if keys and keys <= names:
            return row
        if not keys and len(names - {""}) >= 2 and row + 1 < len(table.rows):
            return row
    return None


def _column(table: Table, header: int, name: str, option: str) -> int:
    names = [text_of(cell) for cell in table.rows[header]]
    for index, written in enumerate(names):
        if _key(written) == _key(name):
            return index
    close = did_you_mean(name, [n for n in names if n])
    raise UsageError(
        f"{printable(table.display)} has no column `{printable(name)}` ({option})"
        + (f": {close}" if close else "")
        + f"; its columns are: {printable(', '.join(n for n in names if n))}"
    )


def _guess(table: Table, header: int, kpi: Kpi, avoid: int | None) -> tuple[int | None, int | None]:
    """(date column, value column) guessed from the header's words and the first rows' cells."""
    names = [text_of(cell) for cell in table.rows[header]]
    sample = table.rows[header + 1 : header + 21]

    def dates(index: int) -> int:
        return sum(1 for row in sample if index < len(row) and _dateish(row[index]))

    def numbers(index: int) -> int:
        return sum(1 for row in sample if index < len(row) and _numberish(row[index]))

    date_col = max(range(len(names)), key=lambda i: (dates(i) > len(sample) // 2, bool(_DATE_WORDS.search(names[i])), -i))
    if not dates(date_col):
        return None, None
    kpi_words = {word for word in re.findall(r"[a-z]+", kpi.name.lower()) if len(word) > 3}
    candidates = [i for i in range(len(names)) if i not in (date_col, avoid) and numbers(i) > len(sample) // 2]
    value_col = max(
        candidates,
        key=lambda i: (bool(set(re.findall(r"[a-z]+", names[i].lower())) & kpi_words), bool(_VALUE_WORDS.search(names[i])), -i),
        default=None,
    )
    return date_col, value_col


def _dateish(cell: Cell) -> bool:
    """A date cell, or a text that reads as a day (a number is not taken for a serial date here)."""
    if isinstance(cell, date):
        return True
    if not isinstance(cell, str) or re.fullmatch(r"[\d.,]+", cell):
        return False
    if is_numeric_date(cell):
        return True
    try:
        parse_date(cell, None)
    except ValueProblem:
        return False
    return True


def _numberish(cell: Cell) -> bool:
    if cell is None or isinstance(cell, date):
        return False
    try:
        parse_amount(cell)
    except ValueProblem:
        return False
    return True


@dataclass
class Columns:
    table: Table
    header: int
    date: int
    value: int | None
    guessed: str = ""


def find_columns(tables: list[Table], options: ImportOptions, kpi: Kpi, aggregate: str) -> Columns:
    """The table, its header row and the date and value columns: named, or guessed (and said so)."""
    table = _table(tables, options.sheet)
    named = [name for name in (options.date, options.value) if name]
    header = _header_row(table, named)
    if header is None:
        shown = ", ".join(f"`{printable(name)}`" for name in named)
        raise UsageError(
            f"{printable(table.display)}: no header row among the first {_HEADER_SCAN} rows"
            + (f" names {shown}" if named else "")
            + ": name the columns with --date and --value as the export's header writes them"
        )
    date_col = _column(table, header, options.date, "--date") if options.date else None
    value_col = _column(table, header, options.value, "--value") if options.value else None
    need_value = aggregate != "count"
    if date_col is not None and (value_col is not None or not need_value):
        return Columns(table, header, date_col, value_col)
    return _guessed(table, header, kpi, date_col, value_col, need_value)


def _guessed(table: Table, header: int, kpi: Kpi, date_col: int | None, value_col: int | None, need_value: bool) -> Columns:
    guessed_date, guessed_value = _guess(table, header, kpi, date_col)
    date_col = date_col if date_col is not None else guessed_date
    value_col = value_col if value_col is not None else (guessed_value if need_value else None)
    names = [text_of(cell) for cell in table.rows[header]]
    if date_col is None or (need_value and value_col is None):
        missing = "--date" if date_col is None else "--value"
        raise UsageError(
            f"{printable(table.display)}: cannot tell which column holds the {'dates' if missing == '--date' else 'values'};"
            f" name it with {missing} (the columns are: {printable(', '.join(n for n in names if n))})"
        )
    said = f"date column `{names[date_col]}`" + (f", value column `{names[value_col]}`" if value_col is not None else "")
    return Columns(table, header, date_col, value_col, guessed=printable(said))


def _table(tables: list[Table], sheet: str | None) -> Table:
    if sheet is not None:
        for table in tables:
            if _key(table.name) == _key(sheet):
                return table
        raise UsageError(
            f"there is no sheet `{printable(sheet)}`; the sheets are: {printable(', '.join(t.name for t in tables))}"
        )
    for table in tables:
        if any(any(cell is not None for cell in row) for row in table.rows):
            return table
    return tables[0]


# --- the rows -------------------------------------------------------------------------------------------


def date_order(columns: Columns, option: str | None, notes: list[str]) -> str | None:
    """How `12/31/2026`-like dates are read: the option, else what the column proves; refused when it cannot tell."""
    table, column = columns.table, columns.date
    proofs: dict[str, int] = {}
    ambiguous: int | None = None
    for row in range(columns.header + 1, len(table.rows)):
        cell = table.cell(row, column)
        proven = numeric_order(cell)
        if proven is not None:
            proofs.setdefault(proven, row)
        elif ambiguous is None and is_numeric_date(cell):
            ambiguous = row
    if len(proofs) == 2 and option is None:
        day_row, month_row = proofs[DAY_FIRST], proofs[MONTH_FIRST]
        raise UsageError(
            f"the dates mix two orders: {table.cell_name(day_row, column)} is day-first"
            f" ({printable(text_of(table.cell(day_row, column)))}), {table.cell_name(month_row, column)} month-first"
            f" ({printable(text_of(table.cell(month_row, column)))}); export the dates one way"
        )
    if option is not None or (ambiguous is None and not proofs):
        return option
    if proofs:
        proven = next(iter(proofs))
        notes.append(
            f"Read dates such as {printable(text_of(table.cell(proofs[proven], column)))} {proven} (as the column shows)."
        )
        return proven
    assert ambiguous is not None
    shown = printable(text_of(table.cell(ambiguous, column)))
    raise UsageError(
        f"dates such as `{shown}` ({table.cell_name(ambiguous, column)}) can be read two ways, and no date in the column"
        " tells which: say how the export writes them with --day-first (31/12/2026) or --month-first (12/31/2026)"
    )


@dataclass
class Rows:
    days: list[tuple[date, Amount | None]] = field(default_factory=list)
    skipped: int = 0  # rows without a date (a report's totals and footer)
    empty: int = 0  # rows with a date and no value
    problems: list[Problem] = field(default_factory=list)


def read_rows(columns: Columns, order: str | None) -> Rows:
    """Each row's day and amount; rows that hold no date (totals, a footer) are counted and left out."""
    table, found = columns.table, Rows()
    for row in range(columns.header + 1, len(table.rows)):
        filled = sum(cell is not None for cell in table.rows[row])
        date_cell = table.cell(row, columns.date)
        if not filled:
            continue
        if date_cell is None or (filled == 1 and not _dateish(date_cell) and not isinstance(date_cell, (int, float))):
            found.skipped += 1
            continue
        try:
            day = parse_date(date_cell, order)
        except ValueProblem as exc:
            found.problems.append(_problem(table, row, columns.date, "bad-date", exc))
            continue
        if columns.value is None:
            found.days.append((day, None))
            continue
        value_cell = table.cell(row, columns.value)
        if value_cell is None:
            found.empty += 1
            continue
        try:
            found.days.append((day, parse_amount(value_cell)))
        except ValueProblem as exc:
            found.problems.append(_problem(table, row, columns.value, "bad-number", exc))
    return found


def _problem(table: Table, row: int, column: int, code: str, exc: ValueProblem) -> Problem:
    return Problem(
        table.display, *table.at(row, column), code, f"{table.cell_name(row, column)}: {printable(exc.message)}", exc.hint
    )


def in_unit(days: list[tuple[date, Amount | None]], kpi: Kpi, notes: list[str]) -> list[tuple[date, float]]:
    """Amounts in the KPI's unit: a percent written 18.5%, or as a fraction 0.185, read as 18.5 (and said which)."""
    if kpi.unit != "percent":
        return [(day, amount.value if amount is not None else 1.0) for day, amount in days]
    amounts = [amount for _, amount in days if amount is not None]
    scale = _percent_scale(amounts, notes)
    return [(day, (amount.value if amount.percent else amount.value * scale) if amount else 1.0) for day, amount in days]


def _percent_scale(amounts: list[Amount], notes: list[str]) -> float:
    """100 when the numbers written without a % sign are fractions (all between -1 and 1), else 1; said in `notes`."""
    signed = [amount.value for amount in amounts if amount.percent]
    bare = [amount.value for amount in amounts if not amount.percent]
    fractions = bool(bare) and all(abs(value) <= 1 for value in bare)
    if signed:
        shown = format_number(signed[0])
        notes.append(f"Read percents written with a % sign as written ({shown}% as {shown}).")
    if bare and fractions:
        notes.append(f"Read numbers without a % sign as fractions ({bare[0]:g} as {format_number(bare[0] * 100)}%).")
    elif bare:
        shown = format_number(bare[0])
        notes.append(f"Read numbers without a % sign as percents ({shown} as {shown}%).")
    return 100.0 if fractions else 1.0


# --- periods ----------------------------------------------------------------------------------------------

_AGGREGATORS: dict[str, Callable[[list[float]], float]] = {
    "sum": lambda values: float(sum(values)),
    "mean": statistics.fmean,
    "median": lambda values: float(statistics.median(values)),
    "last": lambda values: values[-1],
    "count": lambda values: float(len(values)),
}
AGGREGATORS = {name: _AGGREGATORS[name] for name in AGGREGATES}  # one for each of the vocabulary, in its order


def period_form(kpi: Kpi, existing: list[Period], option: str | None) -> str:
    """The form the KPI's results take: its target's period, else its results' form, else its cadence, else --period."""
    forced = expected_form(kpi) or (existing[0].kind if existing else None)
    if option is not None and forced is not None and option != forced:
        raise UsageError(
            f"the results of {printable(kpi.name)} are per {forced}"
            + (" (its target's period)" if expected_form(kpi) else " (as its results file has them)")
            + f": leave out --period {option}, or change the KPI"
        )
    form = forced or option or CADENCE_KINDS.get(kpi.cadence or "")
    if form is None:
        raise UsageError(
            f"{printable(kpi.name)} has no target period, no results and no cadence to say which periods to use:"
            f" pass --period ({', '.join(kind for kind in PERIOD_KINDS if kind != 'day')})"
        )
    return form


def aggregate(
    values: list[tuple[date, float]], form: str, how: str, today: date, include_partial: bool, notes: list[str]
) -> dict[Period, float]:
    """The value of each period: `how` over its days, in the order of the days (stable, so `last` is the export's last)."""
    current = period_of(form, today)
    grouped: dict[Period, list[float]] = {}
    future = partial = 0
    for day, value in sorted(values, key=lambda item: item[0]):
        period = period_of(form, day)
        if day > today:
            future += 1
        elif period == current and not include_partial:
            partial += 1
        else:
            grouped.setdefault(period, []).append(value)
    if partial:
        notes.append(
            f"Left out the current {form}, {current.text}, which is not over ({partial} rows; --include-partial keeps it)."
        )
    if future:
        notes.append(f"Left out {future} rows dated after today ({today.isoformat()}).")
    first = min((day for day, _ in values if day <= today), default=None)
    if first is not None and first > period_of(form, first).start and grouped:
        notes.append(
            f"The export starts on {first.isoformat()}, within the {form} {period_of(form, first).text}:"
            " its value counts only the rows from that day on."
        )
    return {period: AGGREGATORS[how](items) for period, items in sorted(grouped.items())}


# --- the plan ------------------------------------------------------------------------------------------------


def _with_remembered(options: ImportOptions, remembered: SourceEntry | None) -> ImportOptions:
    if remembered is None:
        return options
    return ImportOptions(
        options.kpi_id,
        date=options.date or remembered.date,
        value=options.value or remembered.value,
        aggregate=options.aggregate or remembered.aggregate,
        dates=options.dates or remembered.dates,
        sheet=options.sheet or remembered.sheet,
        period=options.period,
        include_partial=options.include_partial,
        update=options.update,
    )


def _existing(content_dir: Path, rel: str, display: str) -> dict[str, tuple[Period, float, str | None]]:
    """The periods the results file has now ({} without one); ContentError when it does not read cleanly."""
    with Folder.at(content_dir) as folder:
        if folder.read(rel) is None:
            return {}
    problems: list[Problem] = []
    found = read_results_file(content_dir / rel, display, rel, problems)
    if problems or found is None:
        raise ContentError(problems)
    return {row.result.period.text: (row.result.period, row.result.value, row.result.note) for row in found.rows}


def _csv_text(rows: dict[str, tuple[Period, float, str | None]]) -> str:
    noted = any(note for _, _, note in rows.values())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "value", "note"] if noted else ["period", "value"])
    for period, value, note in sorted(rows.values(), key=lambda item: item[0]):
        writer.writerow([period.text, shown_number(value), note or ""] if noted else [period.text, shown_number(value)])
    return out.getvalue()


def _validated(text: str, display: str, rel: str, kpi: Kpi, today: date) -> None:
    """The text as the content's results reader reads it, held against the KPI: ContentError when it would not validate."""
    problems: list[Problem] = []
    found = parse_results(text, display, rel, kpi.id, problems)
    check_results([found], {kpi.id: kpi}, problems, today=today)
    if problems:
        raise ContentError(problems)


def _merge(
    existing: dict[str, tuple[Period, float, str | None]], periods: dict[Period, float], update: bool
) -> tuple[list[Change], int, dict[str, tuple[Period, float, str | None]]]:
    changes: list[Change] = []
    unchanged = 0
    merged = dict(existing)
    for period, value in periods.items():
        old = existing.get(period.text)
        if old is not None and shown_number(old[1]) == shown_number(value):
            unchanged += 1
            continue
        changes.append(Change(period.text, old[1] if old is not None else None, float(shown_number(value))))
        if old is None or update:
            merged[period.text] = (period, value, old[2] if old is not None else None)
    return changes, unchanged, merged


def plan_results(content_dir: Path, file: Path, options: ImportOptions, today: date) -> ResultsPlan:
    """What importing `file` into the KPI's results would do; nothing is written."""
    kpi = load_kpi(content_dir, options.kpi_id)
    remembered = read_sources(content_dir).get(kpi.id)
    options = _with_remembered(options, remembered)
    how = options.aggregate or DEFAULT_AGGREGATE[kpi.unit]
    columns = find_columns(read_tables(file), options, kpi, how)
    notes: list[str] = []
    order = date_order(columns, options.dates, notes)
    rows = read_rows(columns, order)
    if rows.problems:
        raise ContentError(capped(rows.problems))
    if not rows.days:
        raise UsageError(f"{printable(columns.table.display)} has no row with a date below its header")
    values = in_unit(rows.days, kpi, notes)
    rel = f"results/{kpi.id}.csv"
    display = f"{str(content_dir).rstrip('/') or '.'}/{rel}"
    existing = _existing(content_dir, rel, display)
    form = period_form(kpi, [item[0] for item in existing.values()], options.period)
    periods = aggregate(values, form, how, today, options.include_partial, notes)
    default = " (the default for a KPI in " + kpi.unit + ")" if options.aggregate is None else ""
    notes.insert(0, f"Read {len(rows.days)} rows; each {form}'s value is the {how} of its rows{default}.")
    if rows.skipped or rows.empty:
        notes.append(f"Left out {rows.skipped} rows without a date (totals, a footer) and {rows.empty} rows without a value.")
    changes, unchanged, merged = _merge(existing, periods, options.update)
    text = _csv_text(merged)
    _validated(text, display, rel, kpi, today)
    entry = _entry(columns, how, order, options.sheet, notes)
    return ResultsPlan(kpi, rel, display, text, changes, unchanged, notes, columns.guessed, entry)


def _entry(columns: Columns, how: str, order: str | None, sheet: str | None, notes: list[str]) -> SourceEntry | None:
    """How the export was read, to remember in sources.yml; None (and a note) when a name cannot be kept there."""
    names = [text_of(cell) for cell in columns.table.rows[columns.header]]
    try:
        return SourceEntry(
            date=names[columns.date],
            value=names[columns.value] if columns.value is not None else None,
            aggregate=how,
            dates=order,
            sheet=sheet,
        )
    except ValidationError:
        notes.append(
            f"How the export was read is not remembered in {SOURCES_REL}: a column's or the sheet's name is empty"
            " or longer than 200 characters."
        )
        return None


def write_results(content_dir: Path, plan: ResultsPlan) -> bool:
    """Write the results file and remember how the export was read; False when nothing changed."""
    sources = read_sources(content_dir)
    remember = plan.entry is not None and sources.get(plan.kpi.id) != plan.entry
    with content_folder(content_dir) as folder:  # a content folder that is a link, or lies through one, is refused
        changed = folder.read(plan.rel) != plan.text.encode("utf-8")
        if changed:
            folder.write(plan.rel, plan.text.encode("utf-8"))
        if remember and plan.entry is not None:
            sources[plan.kpi.id] = plan.entry
            folder.write(SOURCES_REL, sources_text(sources))
    return changed or remember
