"""Periods and results as values: `Period` (a year, quarter, month, ISO week or day, parsed from the one
way to write it), `Result` (a KPI's value for a period), and the calendar arithmetic health needs
(the period a day falls in, the one before and after, the last full one). No I/O, no content model:
`schema` (Playbook.results), `results` (reading the CSV files) and `health` build on it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

# --- periods -----------------------------------------------------------------------------------

PERIOD_KINDS = ("year", "quarter", "month", "week", "day")
PERIOD_EXAMPLES = {"year": "2026", "quarter": "2026-Q3", "month": "2026-07", "week": "2026-W47", "day": "2026-11-23"}
PERIOD_NAMES = {
    "year": ("year", "years"),
    "quarter": ("quarter", "quarters"),
    "month": ("month", "months"),
    "week": ("week", "weeks"),
    "day": ("day", "days"),
}
# A KPI's `cadence` (how often it is reviewed) and `target.period` as period kinds.
CADENCE_KINDS = {"weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year"}


# The horizon of every date and period a playbook holds (activity dates, `review_by`, results periods):
# wide enough for any record and any plan, and far enough from the calendar's own ends (year 1, year
# 9999) that the reviews, cadences and periods computed from a date always exist. Beyond it a value is
# refused where it is written, before anything is computed from it.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
HORIZON = f"{FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"


@dataclass(frozen=True, order=True)
class Period:
    """A period a result covers: from `start` to `end`, both included. Periods sort by start."""

    start: date
    end: date
    kind: str  # year | quarter | month | week | day
    text: str = field(compare=False)  # as written in the file, which is the one way to write it: 2026-Q3

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Result:
    """One row of a results file: the KPI's value for one period, in its unit."""

    period: Period
    value: float
    note: str | None = None


@dataclass(frozen=True)
class Response:
    """One row of a survey round: a respondent's function, team ("" when not given) and answers by statement id."""

    function: str
    team: str
    answers: Mapping[str, int]


@dataclass(frozen=True)
class SurveyRound:
    """One round of the team survey (survey/<round>.csv): its period and its responses in file order."""

    period: Period
    rel: str  # content-relative (survey/2026-Q3.csv)
    responses: tuple[Response, ...] = ()


class PeriodError(ValueError):
    """A period that is not written in one of the forms; `hint` says how to write it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def _month_end(year: int, month: int) -> date:
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


def period_of(kind: str, day: date) -> Period:
    """The period of `kind` that holds `day`."""
    if kind == "year":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), kind, f"{day.year:04d}")
    if kind == "quarter":
        quarter = (day.month - 1) // 3 + 1
        first = 3 * quarter - 2
        return Period(date(day.year, first, 1), _month_end(day.year, first + 2), kind, f"{day.year:04d}-Q{quarter}")
    if kind == "month":
        return Period(date(day.year, day.month, 1), _month_end(day.year, day.month), kind, f"{day.year:04d}-{day.month:02d}")
    if kind == "week":
        year, week, weekday = day.isocalendar()
        monday = day - timedelta(days=weekday - 1)
        return Period(monday, monday + timedelta(days=6), kind, f"{year:04d}-W{week:02d}")
    if kind == "day":
        return Period(day, day, kind, day.isoformat())
    raise ValueError(f"unknown period kind {kind!r}")


def previous_period(period: Period) -> Period:
    return period_of(period.kind, period.start - timedelta(days=1))


def next_period(period: Period) -> Period:
    return period_of(period.kind, period.end + timedelta(days=1))


def last_full_period(kind: str, today: date) -> Period:
    """The latest period of `kind` that is over by `today` (the one before the period holding it)."""
    return previous_period(period_of(kind, today))


_FORMS = (
    ("year", re.compile(r"(\d{4})")),
    ("quarter", re.compile(r"(\d{4})-Q(\d)")),
    ("month", re.compile(r"(\d{4})-(\d{2})")),
    ("week", re.compile(r"(\d{4})-W(\d{2})")),
    ("day", re.compile(r"(\d{4})-(\d{2})-(\d{2})")),
)
_FORMS_HINT = "write the period as YYYY, YYYY-Qn, YYYY-MM, YYYY-Www (ISO week) or YYYY-MM-DD, e.g. 2026, 2026-Q3, 2026-07, 2026-W47 or 2026-11-23"
MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def parse_period(text: str) -> Period:
    """A period written in one of the five forms; raises PeriodError (with a hint) for anything else."""
    for kind, pattern in _FORMS:
        match = pattern.fullmatch(text)
        if match:
            return _period(kind, text, [int(part) for part in match.groups()])
    raise PeriodError(f"`{text}` is not a period", _suggest_period(text) or _FORMS_HINT)


def _period(kind: str, text: str, parts: list[int]) -> Period:
    year = parts[0]
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise PeriodError(
            f"`{text}` is not a period: the year {year} is out of range",
            f"check the year (four digits, e.g. 2026): periods lie between {HORIZON}",
        )
    if kind == "year":
        return period_of("year", date(year, 1, 1))
    if kind == "quarter":
        if not 1 <= parts[1] <= 4:
            raise PeriodError(
                f"`{text}` is not a quarter: a year has quarters Q1 to Q4", f"write {year}-Q1, {year}-Q2, {year}-Q3 or {year}-Q4"
            )
        return period_of("quarter", date(year, 3 * parts[1] - 2, 1))
    if kind == "month":
        if not 1 <= parts[1] <= 12:
            raise PeriodError(
                f"`{text}` is not a month: months run from 01 to 12", f"write the month with two digits, e.g. {year}-07"
            )
        return period_of("month", date(year, parts[1], 1))
    if kind == "week":
        weeks = date(year, 12, 28).isocalendar()[1]  # 28 December is always in the year's last ISO week
        if not 1 <= parts[1] <= weeks:
            raise PeriodError(
                f"`{text}` is not an ISO week: {year} has weeks W01 to W{weeks}",
                f"write the ISO week number with two digits, e.g. {year}-W07; the first week of a year is the one with its first Thursday",
            )
        return period_of("week", date.fromisocalendar(year, parts[1], 1))
    try:
        return period_of("day", date(year, parts[1], parts[2]))
    except ValueError:
        raise PeriodError(f"`{text}` is not a real date", "write a date that exists as YYYY-MM-DD, e.g. 2026-02-28") from None


def _suggest_period(text: str) -> str:
    """How to write a period that was written in a common other way (Q3 2026, 2026/07, July 2026, ...)."""
    squeezed = text.strip()
    quarter = re.fullmatch(r"(?i)(?:q(\d)[\s/-]*(\d{4})|(\d{4})[\s/-]*q0?(\d))", squeezed)
    if quarter:
        number, year = (quarter.group(1), quarter.group(2)) if quarter.group(1) else (quarter.group(4), quarter.group(3))
        return f"write quarters as YYYY-Qn: `{year}-Q{number}`"
    week = re.fullmatch(r"(?i)(?:w(?:eek)?\s*(\d{1,2})[\s/-]*(\d{4})|(\d{4})[\s/-]*w(?:eek)?\s*(\d{1,2}))", squeezed)
    if week:
        number, year = (week.group(1), week.group(2)) if week.group(1) else (week.group(4), week.group(3))
        return f"write ISO weeks as YYYY-Www, with two digits: `{year}-W{int(number):02d}`"
    month = re.fullmatch(r"(\d{4})[/.-](\d{1,2})|(\d{1,2})[/.-](\d{4})", squeezed)
    if month:
        year, number = (month.group(1), month.group(2)) if month.group(1) else (month.group(4), month.group(3))
        return f"write months as YYYY-MM, with two digits: `{year}-{int(number):02d}`"
    named = re.fullmatch(r"(?i)([a-z]+)\.?[\s/-]*(\d{4}|\d{2})", squeezed)
    if named and named.group(1).lower() in MONTH_NAMES:
        year = named.group(2) if len(named.group(2)) == 4 else f"20{named.group(2)}"
        return f"write months as YYYY-MM: `{year}-{MONTH_NAMES[named.group(1).lower()]:02d}`"
    if re.fullmatch(r"\d{1,4}[/.]\d{1,2}[/.]\d{1,4}|\d{4}-\d{1,2}-\d{1,2}|\d{4}-\d{2}-\d{2}[T ].*", squeezed):
        return "write days as YYYY-MM-DD (year, month, day, with two-digit month and day), e.g. 2026-11-23"
    return ""


def period_form_name(kind: str, count: int = 1) -> str:
    singular, plural_form = PERIOD_NAMES[kind]
    return singular if count == 1 else plural_form
