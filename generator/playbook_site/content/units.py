"""Amounts in a KPI's unit, as people read them: "31%", "EUR 400,000", "4 hours", "3x".

One place for the words, so that the site, the change report and the exports say a target the
same way. ISO 4217 currency codes are checked against the active list.

`Unit` is the one declaration of the units a KPI can be in: the schema, the JSON Schema and the
format reference read it, and what differs per unit (how an amount is written here, what a value
can plausibly be in results.py, the words a hint recognises in value_hints.py) is an exhaustive
`match` or a table keyed by `Unit`, so `mypy --strict` names every place a new or removed unit
must be handled.
"""

from __future__ import annotations

from typing import Any, Literal, assert_never, get_args

from ..text import format_number

Unit = Literal["percent", "count", "currency", "hours", "days", "ratio", "score"]
UNITS: tuple[Unit, ...] = get_args(Unit)

# Active ISO 4217 codes (2026).
CURRENCIES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD
    CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD
    HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR
    PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP
    TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split()
)


def amount(value: float, unit: Unit, currency: str | None = None) -> str:
    """A value in a unit: 31% · EUR 400,000 · 1 hour · 24 hours · 3x · 1,250."""
    number = format_number(value)
    match unit:
        case "percent":
            return f"{number}%"
        case "ratio":
            return f"{number}x"
        case "currency":
            return f"{currency} {number}" if currency else number
        case "count":
            return number
        case "hours" | "days" | "score":
            singular, plural = unit_words(unit)
            return f"{number} {singular if value == 1 else plural}"
        case _:
            assert_never(unit)


def unit_words(unit: Literal["hours", "days", "score"]) -> tuple[str, str]:
    """The words after a number in `unit`, singular and plural."""
    match unit:
        case "hours":
            return ("hour", "hours")
        case "days":
            return ("day", "days")
        case "score":
            return ("point", "points")
        case _:
            assert_never(unit)


def target_amount(kpi: Any) -> str:
    """The target as one phrase: "31% per quarter", "EUR 400,000 per quarter", "3x"; "" without one."""
    if kpi.target is None:
        return ""
    shown = amount(kpi.target.value, kpi.unit, kpi.currency)
    return f"{shown} per {kpi.target.period}" if kpi.target.period else shown
