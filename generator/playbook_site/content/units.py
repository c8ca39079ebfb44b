"""Amounts in a KPI's unit, as people read them: "31%", "EUR 400,000", "4 hours", "3x".

One place for the words, so that the site, the change report and the exports say a target the
same way. ISO 4217 currency codes are checked against the active list.
"""

from __future__ import annotations

from typing import Any

from ..text import format_number

# Words after the number, singular and plural; "" for a bare number.
UNIT_WORDS = {"hours": ("hour", "hours"), "days": ("day", "days"), "score": ("point", "points")}

# Active ISO 4217 codes (2026).
CURRENCIES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD
    CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD
    HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR
    PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP
    TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split()
)


def amount(value: float, unit: str, currency: str | None = None) -> str:
    """A value in a unit: 31% · EUR 400,000 · 1 hour · 24 hours · 3x · 1,250."""
    number = format_number(value)
    if unit == "percent":
        return f"{number}%"
    if unit == "ratio":
        return f"{number}x"
    if unit == "currency":
        return f"{currency} {number}" if currency else number
    words = UNIT_WORDS.get(unit)
    if words is None:
        return number
    return f"{number} {words[0] if value == 1 else words[1]}"


def target_amount(kpi: Any) -> str:
    """The target as one phrase: "31% per quarter", "EUR 400,000 per quarter", "3x"; "" without one."""
    if kpi.target is None:
        return ""
    shown = amount(kpi.target.value, kpi.unit, kpi.currency)
    return f"{shown} per {kpi.target.period}" if kpi.target.period else shown
