"""Dates and numbers as CRM and BI tools write them, read into plain values.

Dates: ISO (`2026-12-31`, with a time or a zone after it), `12/31/2026` or `31/12/2026` (and with
`.` or `-`; which one comes first is read from the column, or said with --day-first/--month-first),
`Dec 31, 2026` and `31 Dec 2026`, a spreadsheet's date cell, and an Excel serial day number
(46022 for 2025-12-31). Numbers: thousands separators, a decimal comma, currency symbols or codes,
an accounting minus `(1,234)`, and a percent sign. A cell that starts a formula (`=`) is refused,
never evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..content.periods import FIRST_DAY, LAST_DAY, MONTH_NAMES
from .sheets import Cell

EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of the 1900 date system (which counts a 29 February 1900 that never was)
_SERIAL_RANGE = ((FIRST_DAY - EXCEL_EPOCH).days, (LAST_DAY - EXCEL_EPOCH).days)

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"

_ISO_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?")
_NUMERIC_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[\s,T].*)?")
_NAMED_RE = re.compile(r"(?i)(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:[\s,T].*)?")  # (Tue,) Dec 31, 2026
_NAMED_DAY_FIRST_RE = re.compile(r"(?i)(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})(?:[\s,T].*)?")  # 31 Dec 2026, 31-Dec-2026
_SERIAL_RE = re.compile(r"\d{4,6}(?:\.\d+)?")


class ValueProblem(ValueError):
    """A cell that is not what the column holds; `hint` says what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def formula_like(text: str) -> bool:
    """A text a spreadsheet would run as a formula (`=SUM(...)`): never evaluated, never written on."""
    return text.lstrip().startswith("=")


# --- dates -------------------------------------------------------------------------------------------


def numeric_order(value: Cell) -> str | None:
    """For a `12/31/2026`-like cell, which order it proves: DAY_FIRST (31/12), MONTH_FIRST (12/31) or None."""
    if not isinstance(value, str):
        return None
    match = _NUMERIC_RE.fullmatch(value)
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return DAY_FIRST
    if second > 12 >= first:
        return MONTH_FIRST
    return None


def is_numeric_date(value: Cell) -> bool:
    return isinstance(value, str) and bool(_NUMERIC_RE.fullmatch(value))


def parse_date(value: Cell, order: str | None) -> date:
    """A cell as a day; `order` (DAY_FIRST, MONTH_FIRST) reads `03/04/2026`. Raises ValueProblem."""
    if isinstance(value, datetime):
        return _within(value.date(), str(value))
    if isinstance(value, date):
        return _within(value, str(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(float(value), str(value))
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise ValueProblem("the date is empty", "every row needs a date; delete rows without one")
    if _SERIAL_RE.fullmatch(text):
        return _serial(float(text), text)
    return _within(_text_date(text, order), text)


def _text_date(text: str, order: str | None) -> date:
    try:
        match = _ISO_RE.fullmatch(text)
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _NUMERIC_RE.fullmatch(text)
        if match:
            return _numeric(match, text, order)
        match = _NAMED_RE.fullmatch(text)
        if match and match.group(1).lower() in MONTH_NAMES:
            return date(int(match.group(3)), MONTH_NAMES[match.group(1).lower()], int(match.group(2)))
        match = _NAMED_DAY_FIRST_RE.fullmatch(text)
        if match and match.group(2).lower() in MONTH_NAMES:
            return date(int(match.group(3)), MONTH_NAMES[match.group(2).lower()], int(match.group(1)))
    except ValueError:
        raise ValueProblem(f"`{text}` is not a real date", "check the day and the month") from None
    raise ValueProblem(
        f"`{text}` is not a date",
        "the date column holds dates such as 2026-12-31, 12/31/2026, 31.12.2026, Dec 31, 2026 or a date cell; name the column with --date",
    )


def _numeric(match: re.Match[str], text: str, order: str | None) -> date:
    first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if len(match.group(3)) == 2:
        year += 2000
    proven = numeric_order(text)
    if order is None and proven is None:
        raise ValueProblem(
            f"`{text}` can be read two ways ({first} {_month(second)} or {second} {_month(first)})",
            "say how the export writes dates: --day-first (31/12/2026) or --month-first (12/31/2026)",
        )
    if order is not None and proven is not None and proven != order:
        raise ValueProblem(
            f"`{text}` cannot be read {order}: it has no month {max(first, second)}",
            f"the column writes dates {proven}: use --{proven}",
        )
    day, month = (first, second) if (order or proven) == DAY_FIRST else (second, first)
    return date(year, month, day)


def _month(number: int) -> str:
    names = [name for name, value in MONTH_NAMES.items() if value == number and len(name) > 3]
    return (names[0] if names else "may").capitalize() if 1 <= number <= 12 else "?"


def _serial(number: float, text: str) -> date:
    low, high = _SERIAL_RANGE
    if not low <= number <= high:
        raise ValueProblem(f"`{text}` is not a date", "the date column holds dates, or Excel day numbers such as 46022")
    return EXCEL_EPOCH + timedelta(days=int(number))


def _within(day: date, text: str) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueProblem(f"`{text}` lies outside the dates a playbook holds", "check the year")
    return day


# --- numbers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    value: float
    percent: bool  # written with a % sign


_CURRENCY_RE = re.compile(r"(?i)^(?:[$€£¥₹]|[a-z]{3}(?=[\s\d.,-]))|(?:[$€£¥₹]|(?<=[\d\s])[a-z]{3})$")
_PLAIN_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_US_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_EU_RE = re.compile(r"[+-]?\d{1,3}(?:[.\s']\d{3})+(?:,\d+)?|[+-]?\d+,\d+")


def parse_amount(value: Cell) -> Amount:
    """A cell as a number, and whether it carried a % sign. Raises ValueProblem."""
    if isinstance(value, bool) or value is None or isinstance(value, (date, datetime)):
        raise ValueProblem(f"`{value}` is not a number", "the value column holds numbers")
    if isinstance(value, (int, float)):
        return Amount(_finite(float(value), str(value)), False)
    text = value.strip()
    if formula_like(text):
        raise ValueProblem(
            f"`{text[:40]}` is a formula: it is never evaluated",
            "export the values, not the formulas (in the spreadsheet: copy, paste values only), or save as XLSX",
        )
    return _amount_text(text)


def _amount_text(text: str) -> Amount:
    body = text.replace("\xa0", " ").replace("\u202f", " ").strip()
    percent = body.endswith("%")
    body = body.rstrip("%").strip()
    negative = body.startswith("(") and body.endswith(")")
    body = body.strip("()").strip()
    body = _CURRENCY_RE.sub("", body).strip()
    if body.startswith("-") and not negative:
        negative, body = True, body[1:].strip()
    number = _plain(body)
    if number is None:
        raise ValueProblem(
            f"`{text}` is not a number", "the value column holds numbers such as 1234.5, 1,234.50, $1,234 or 18.5%"
        )
    return Amount(_finite(-number if negative else number, text), percent)


def _plain(body: str) -> float | None:
    if _PLAIN_RE.fullmatch(body):
        return float(body)
    if _US_RE.fullmatch(body):
        return float(body.replace(",", ""))
    if _EU_RE.fullmatch(body):
        return float(re.sub(r"[.\s']", "", body).replace(",", "."))
    return None


def _finite(number: float, text: str) -> float:
    if number != number or abs(number) == float("inf") or abs(number) > 1e15:
        raise ValueProblem(f"`{text}` is too large to be a result", "check the number")
    return number
