"""What an editor meant by a value of the wrong type, and what to type instead.

`400,000`, `18%`, `4h`, `USD 50,000` where a number is wanted; `31/12/2026` or `Dec 31 2026` where a
date is wanted; `yes`, `1.10` or `2026-01-01` where text is wanted (YAML reads them as true/false, a
number, a date). Each function returns (message, hint), or None when the value is no such slip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .periods import MONTH_NAMES
from .slips import quoted

_NUMBER = r"[0-9][0-9.,' \u00a0\u202f]*"
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF"}
_UNIT_WORDS = {
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "d": "days",
    "day": "days",
    "days": "days",
    "x": "ratio",
    "pts": "points",
    "points": "points",
    "wk": "weeks",
    "week": "weeks",
    "weeks": "weeks",
}
_SCALE = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000, "mn": 1_000_000, "million": 1_000_000, "bn": 1_000_000_000}
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8}


def _plain(number: float) -> str:
    """A number as it is typed in a file: 400000, 2.5."""
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def number_with_unit(text: str) -> tuple[float, str] | None:
    """(the number meant, what was wrong with how it was written) for `400,000`, `2,5`, `1.234,5`, `400 000`."""
    text = text.strip()
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
        return float(text.replace(",", "")), "a thousands separator"
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+,\d+", text):
        return float(text.replace(".", "").replace(",", ".")), "a thousands separator and a decimal comma"
    if re.fullmatch(r"-?\d{1,3}([ '\u00a0\u202f]\d{3})+([.,]\d+)?", text):
        return float(re.sub(r"[ '\u00a0\u202f]", "", text).replace(",", ".")), "spaces between the thousands"
    if re.fullmatch(r"-?\d+,\d+", text):
        return float(text.replace(",", ".")), "a decimal comma"
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text), ""
    return None


@dataclass(frozen=True)
class _Number:
    """A number field's value as written, for the checks of `number_hint`: each says what it finds."""

    name: str
    text: str
    whole: bool

    @property
    def wanted(self) -> str:
        return f"`{self.name}` must be {'a whole number' if self.whole else 'a plain number'}"

    def typed(self, number: float) -> str:
        return f"`{self.name}: {_plain(number)}`"


_Hint = tuple[str, str] | None


def _separators(ask: _Number) -> _Hint:
    found = number_with_unit(ask.text)
    if not (found and found[1]):
        return None
    number, how = found
    also = ""
    decimal = re.fullmatch(r"-?\d{1,3},(\d{3})", ask.text)
    if how == "a thousands separator" and decimal and decimal[1] != "000":
        also = f" (or {ask.typed(float(ask.text.replace(',', '.')))} if the comma is a decimal comma)"
    fix = "a decimal point" if how == "a decimal comma" else "no separator"
    return f"{ask.wanted}; `{ask.text}` has {how}", f"write it with {fix}: {ask.typed(number)}{also}"


def _percent_sign(ask: _Number) -> _Hint:
    percent = re.fullmatch(rf"({_NUMBER})\s*%", ask.text)
    if not (percent and (parsed := number_with_unit(percent[1]))):
        return None
    return (
        f"{ask.wanted}; `{ask.text}` has a % sign",
        f"write {ask.typed(parsed[0])} (`unit: percent` already makes it a percentage)",
    )


def _currency(ask: _Number) -> _Hint:
    money = re.fullmatch(
        rf"(?:([A-Z]{{3}}|[$€£¥₹])\s*)?({_NUMBER})\s*(k|K|m|M|mn|million|bn)?\s*(?:([A-Z]{{3}}|[$€£¥₹]))?", ask.text
    )
    if not (money and (money[1] or money[4]) and (parsed := number_with_unit(money[2]))):
        return None
    sign = money[1] or money[4]
    currency = _CURRENCY_SIGNS.get(sign, sign)
    number = parsed[0] * _SCALE.get(money[3] or "", 1)
    return (
        f"{ask.wanted}; `{ask.text}` has a currency",
        f"write {ask.typed(number)}, and the currency as a field of its own: `currency: {currency}`",
    )


def _scaled(ask: _Number) -> _Hint:
    scaled = re.fullmatch(rf"({_NUMBER})\s*(k|K|m|M|mn|million|bn)", ask.text)
    if not (scaled and (parsed := number_with_unit(scaled[1]))):
        return None
    number = parsed[0] * _SCALE[scaled[2]]
    return f"{ask.wanted}; `{ask.text}` is short for {_plain(number)}", f"write the number in full: {ask.typed(number)}"


def _unit_word(ask: _Number) -> _Hint:
    unit = re.fullmatch(rf"({_NUMBER})\s*([A-Za-z]+)\.?", ask.text)
    if not (unit and unit[2].lower() in _UNIT_WORDS and (parsed := number_with_unit(unit[1]))):
        return None
    word, number = _UNIT_WORDS[unit[2].lower()], parsed[0]
    if ask.name == "sla_hours" and word in ("days", "weeks"):
        hours = number * (24 if word == "days" else 168)
        return (
            f"{ask.wanted} of hours; `{ask.text}` counts {word}",
            f"write the time in hours, without a unit: {ask.typed(hours)}",
        )
    why = "the field counts hours" if ask.name == "sla_hours" else "the KPI's `unit:` says what it counts"
    return f"{ask.wanted}; `{ask.text}` has a unit", f"write {ask.typed(number)} ({why})"


def _ordinal(ask: _Number) -> _Hint:
    if not ask.whole:
        return None
    ordinal = re.fullmatch(r"#?\s*(\d+)\s*(st|nd|rd|th|\.)?", ask.text, re.IGNORECASE)
    if ordinal:
        return f"{ask.wanted}, written in digits only, not `{ask.text}`", f"write {ask.typed(int(ordinal[1]))}"
    if ask.text.lower() in _ORDINAL_WORDS:
        return f"{ask.wanted}, in digits", f"write {ask.typed(_ORDINAL_WORDS[ask.text.lower()])}"
    return None


def _approximate(ask: _Number) -> _Hint:
    about = re.fullmatch(
        rf"(?:~|≈|about|approx\.?|around|>=?|<=?|≥|≤|at least|at most|up to)\s*({_NUMBER})", ask.text, re.IGNORECASE
    )
    near = about or re.fullmatch(rf"({_NUMBER})\s*\+", ask.text)
    if not (near and (parsed := number_with_unit(near[1]))):
        return None
    return (
        f"{ask.wanted}; `{ask.text}` has more than the number",
        f"write {ask.typed(parsed[0])} (`direction:` says whether more or less is better)",
    )


# In the order they were always made: the first check that recognises the value speaks.
_NUMBER_CHECKS = (_separators, _percent_sign, _currency, _scaled, _unit_word, _ordinal, _approximate)


def number_hint(name: str, text: str, *, whole: bool) -> tuple[str, str] | None:
    """`value: 400,000`, `value: 18%`, `sla_hours: 4h`, `value: USD 50,000`, `value: 50k`, `order: 2nd`."""
    ask = _Number(name, text.strip(), whole)
    return next((hint for check in _NUMBER_CHECKS if (hint := check(ask)) is not None), None)


def _real(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_hint(name: str, text: str) -> tuple[str, str] | None:
    """`31/12/2026`, `12/31/2026`, `31.12.2026`, `Dec 31 2026`, `31 December 2026`, `2026/12/31`."""
    text = text.strip()
    numeric = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if numeric:
        first, second, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
        day_first = _real(year, second, first)
        month_first = _real(year, first, second) if "." not in text else None
        if day_first and month_first and day_first != month_first:
            return (
                f"`{name}` must be a date written year-month-day (YYYY-MM-DD); `{text}` could be either of two days",
                f"write `{name}: {day_first.isoformat()}` ({_spoken(day_first)}) or `{name}: {month_first.isoformat()}`"
                f" ({_spoken(month_first)})",
            )
        meant = day_first or month_first
        if meant:
            return wanted(name, text), f"write `{name}: {meant.isoformat()}` ({_spoken(meant)})"
        return None
    backwards = re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", text)
    if backwards and (meant := _real(int(backwards[1]), int(backwards[2]), int(backwards[3]))):
        return wanted(name, text), f"write `{name}: {meant.isoformat()}` ({_spoken(meant)})"
    words = re.fullmatch(
        r"(?:(\d{1,2})(?:st|nd|rd|th)?\.?\s+([A-Za-z]+)\.?|([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?),?\s+(\d{4})", text
    )
    if words:
        month = MONTH_NAMES.get((words[2] or words[3]).lower())
        day = int(words[1] or words[4])
        meant = _real(int(words[5]), month, day) if month else None
        if meant:
            return wanted(name, text), f"write `{name}: {meant.isoformat()}` ({_spoken(meant)})"
    return None


def wanted(name: str, text: str) -> str:
    return f"`{name}` must be a date written year-month-day (YYYY-MM-DD), not `{text}`"


def _spoken(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def read_as(name: str, raw: str, value: object, *, item: bool, prefix: str) -> tuple[str, str] | None:
    """Text was wanted, and YAML read what was typed as true/false, a number or a date."""
    if isinstance(value, bool):
        what = "true/false"
    elif isinstance(value, (int, float)):
        what = f"the number {_plain(value)}" if _plain(value) != raw else "a number"
    elif isinstance(value, date):
        what = "a date"
    else:
        return None
    where = f"this item of `{name}`" if item else f"`{name}`"
    return (
        f"{where} must be text, but `{raw}` on its own is read as {what}",
        f"put it in straight double quotes so it stays as typed: {prefix}{quoted(raw)}",
    )
