"""Health, computed from the numbers, never typed: pure functions of a KPI, its results and today.

- `kpi_health`: the latest result against the target and its direction (on target, or off target by
  how much, in the unit), the trend over the last few periods, and whether a result is missing for
  the last full period of the KPI's cadence (stale).
- `step_activity`: a checklist step's last activity, when the next is due from its cadence, and
  whether it is overdue.
- `handoff_compliance`: a lead stage's hand-off SLA held against the KPIs that measure it (a KPI
  measures one hand-off: `measured_handoff`, the first of its stages that hands off).
- `numbers_warnings`: the `no-results`, `stale-results` and `overdue-step` warnings of `validate`.

Staleness, precisely: the last full period of the cadence ends on a day (reviewed monthly, on
2026-11-23 that is 2026-10-31); the result due is the one for the latest period of the results' own
form that is over by then (monthly results: 2026-10; quarterly results: 2026-Q3; weekly results:
2026-W43). A KPI without a cadence is due a result for the last full period of its form. A KPI is
stale when its latest result is older than the one due.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import assert_never

from ..errors import Problem, close_matches
from ..text import format_number, plural
from .periods import CADENCE_KINDS, Period, Result, last_full_period, period_form_name, period_of, previous_period
from .results import expected_form
from .schema import ActivityEntry, Cadence, ChecklistStep, Kpi, Playbook, display_name
from .sources import Where
from .units import amount

TREND_PERIODS = 3  # the trend compares the latest result with the one this many periods back, counting both
FLAT_SHARE = 0.01  # a change of at most 1% of the earlier value is flat

ON_TARGET, OFF_TARGET, NO_TARGET, NO_RESULTS = "on-target", "off-target", "no-target", "no-results"


@dataclass(frozen=True)
class Trend:
    """How the last few results moved: `direction` up | down | flat, `better` whether that is good."""

    direction: str
    better: bool | None  # None when flat
    results: tuple[Result, ...]  # oldest first, the latest last
    change: float  # latest value minus the first of `results`, in the unit


@dataclass(frozen=True)
class Health:
    """A KPI's standing, computed from its results, its target and its direction."""

    kpi_id: str
    state: str  # on-target | off-target | no-target (a latest value, no verdict) | no-results
    latest: Result | None = None
    target: float | None = None
    difference: float | None = None  # latest value minus target, in the unit (negative: below it)
    shortfall: float = 0.0  # how far the latest value is on the wrong side of the target (0 when on target)
    trend: Trend | None = None
    stale: bool = False
    due: Period | None = None  # the period a result is due for by today
    partial: bool = False  # the latest period is not over yet: its value may still move

    @property
    def on_target(self) -> bool | None:
        return {ON_TARGET: True, OFF_TARGET: False}.get(self.state)


def due_period(form: str, cadence: str | None, today: date) -> Period:
    """The period of `form` a result is due for by `today`, for a KPI reviewed at `cadence`."""
    cutoff = last_full_period(CADENCE_KINDS[cadence], today).end if cadence in CADENCE_KINDS else today - timedelta(days=1)
    period = period_of(form, cutoff)
    return period if period.end <= cutoff else previous_period(period)


def trend_of(results: tuple[Result, ...], direction: str) -> Trend | None:
    """The trend of the last `TREND_PERIODS` results; None with fewer than two."""
    window = results[-TREND_PERIODS:]
    if len(window) < 2:
        return None
    first, last = window[0].value, window[-1].value
    change = last - first
    if abs(change) <= FLAT_SHARE * max(abs(first), abs(last)):
        return Trend("flat", None, window, change)
    moving = "up" if change > 0 else "down"
    return Trend(moving, (moving == "up") == (direction == "higher"), window, change)


def meets_target(kpi: Kpi, value: float) -> bool | None:
    """Whether `value` meets the KPI's target in its direction (at least it when higher is better, at
    most it when lower is); None without a target."""
    if kpi.target is None:
        return None
    return value >= kpi.target.value if kpi.direction == "higher" else value <= kpi.target.value


def value_verdict(kpi: Kpi, value: float) -> str:
    """ "on target", "off target by 3 percentage points", or "" without a target."""
    good = meets_target(kpi, value)
    if good is None:
        return ""
    assert kpi.target is not None
    return "on target" if good else f"off target by {difference_text(kpi, value - kpi.target.value)}"


def kpi_health(kpi: Kpi, results: Iterable[Result], today: date) -> Health:
    """The health of `kpi` from its results (any order) on `today`."""
    ordered = tuple(sorted(results, key=lambda result: result.period))
    form = ordered[-1].period.kind if ordered else expected_form(kpi)
    due = due_period(form, kpi.cadence, today) if form else None
    if not ordered:
        target = kpi.target.value if kpi.target is not None else None
        return Health(kpi.id, NO_RESULTS, target=target, due=due)
    latest = ordered[-1]
    stale = due is not None and latest.period.end < due.end
    trend = trend_of(ordered, kpi.direction)
    partial = latest.period.end >= today
    if kpi.target is None:
        return Health(kpi.id, NO_TARGET, latest, trend=trend, stale=stale, due=due, partial=partial)
    target = kpi.target.value
    difference = latest.value - target
    good = bool(meets_target(kpi, latest.value))
    return Health(
        kpi.id,
        ON_TARGET if good else OFF_TARGET,
        latest,
        target,
        difference,
        0.0 if good else abs(difference),
        trend,
        stale,
        due,
        partial,
    )


# --- in words ----------------------------------------------------------------------------------


def difference_text(kpi: Kpi, difference: float) -> str:
    """A distance in the KPI's unit: 3 percentage points, USD 200,000, 1.5 hours, 2 days, 0.5x."""
    size = abs(difference)
    if kpi.unit == "percent":
        return f"{format_number(size)} percentage point{'' if size == 1 else 's'}"
    return amount(size, kpi.unit, kpi.currency)


def verdict(kpi: Kpi, health: Health) -> str:
    """ "on target", "off target by 3 percentage points", "no target", "no results"."""
    if health.state == ON_TARGET:
        return "on target"
    if health.state == OFF_TARGET:
        return f"off target by {difference_text(kpi, health.shortfall)}"
    return "no target" if health.state == NO_TARGET else "no results"


def result_sentence(kpi: Kpi, result: Result) -> str:
    """ "Win rate, 2026-Q3: 24% against a target of 27%" (without a target: "Win rate, 2026-Q3: 24%")."""
    shown = f"{display_name(kpi)}, {result.period.text}: {amount(result.value, kpi.unit, kpi.currency)}"
    if kpi.target is None:
        return shown
    return f"{shown} against a target of {amount(kpi.target.value, kpi.unit, kpi.currency)}"


def trend_text(kpi: Kpi, trend: Trend) -> str:
    """ "up from 22% to 24% over the last 3 quarters" · "flat at 4 hours over the last 3 weeks"."""
    first, last = trend.results[0], trend.results[-1]
    span = f"over the last {len(trend.results)} {period_form_name(last.period.kind, len(trend.results))}"
    if trend.direction == "flat":
        return f"flat at {amount(last.value, kpi.unit, kpi.currency)} {span}"
    return f"{trend.direction} from {amount(first.value, kpi.unit, kpi.currency)} to {amount(last.value, kpi.unit, kpi.currency)} {span}"


# --- the checklist's record ----------------------------------------------------------------------


def add_cadence(day: date, cadence: Cadence) -> date:
    """The day one cadence after `day`: a week later, or the same day of the next month, quarter or
    year (the last day of a shorter month: 31 January + a month is 28 February)."""
    match cadence:
        case "weekly":
            return day + timedelta(days=7)
        case "monthly":
            step = 1
        case "quarterly":
            step = 3
        case "yearly":
            step = 12
        case _:
            assert_never(cadence)
    months = day.month - 1 + step
    year, month = day.year + months // 12, months % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class StepActivity:
    """A checklist step's record: its entries by date, the last one, when the next is due."""

    step_id: str
    cadence: str | None
    entries: tuple[ActivityEntry, ...] = ()
    last: ActivityEntry | None = None
    next_due: date | None = None  # the last entry plus one cadence; None without a cadence (or `ongoing`)
    overdue: bool = False  # the cadence has passed since the last entry (or there is none)
    days_overdue: int = 0


def step_activity(step: ChecklistStep, entries: Iterable[ActivityEntry], today: date) -> StepActivity:
    """The record of `step` among `entries` (any step's, any order) on `today`."""
    own = tuple(sorted((entry for entry in entries if entry.step == step.id), key=lambda entry: entry.date))
    last = own[-1] if own else None
    if step.cadence is None or step.cadence == "ongoing":  # never due
        return StepActivity(step.id, step.cadence, own, last)
    if last is None:
        return StepActivity(step.id, step.cadence, own, None, None, True)
    due = add_cadence(last.date, step.cadence)
    overdue = today > due
    return StepActivity(step.id, step.cadence, own, last, due, overdue, (today - due).days if overdue else 0)


# --- hand-off SLAs -------------------------------------------------------------------------------

_SLA_RE = re.compile(r"\bSLA\b")


def measures_sla(kpi: Kpi) -> bool:
    """A KPI that measures a hand-off SLA: in hours (the time to act), or a percent whose name,
    abbreviation or formula says SLA (the share of hand-offs within it)."""
    if kpi.unit == "hours":
        return True
    return kpi.unit == "percent" and any(_SLA_RE.search(text or "") for text in (kpi.name, kpi.abbreviation, kpi.formula))


def measured_handoff(playbook: Playbook, kpi: Kpi) -> str | None:
    """The lead stage whose hand-off `kpi` measures: the first of its `stages`, in funnel order, that
    hands off (a KPI over the MQL and the SAL stage times the MQL's hand-off, from the MQL to its
    acceptance, not the SAL's own hand-off after it); None when none of them hands off."""
    handing = [lead_id for lead_id, lead in playbook.leads.items() if lead.handoff is not None and lead_id in kpi.stages]
    return handing[0] if handing else None


@dataclass(frozen=True)
class HandoffCompliance:
    """A hand-off's SLA against one KPI that measures its stage."""

    lead_id: str
    kpi_id: str
    sla_hours: float
    measure: str  # "hours": the KPI's latest time against the SLA; "share": the percent within the SLA
    latest: Result
    within: bool | None  # hours: the latest time is within the SLA; share: None (see `share`, `health`)
    share: float | None  # share: the percent of hand-offs within the SLA
    health: Health
    sentence: str


def handoff_compliance(playbook: Playbook, lead_id: str, today: date) -> tuple[HandoffCompliance, ...]:
    """How the hand-off of lead stage `lead_id` keeps its SLA, by every KPI that measures that hand-off
    (`measured_handoff`) in hours or as a share within the SLA and has results; () for a stage
    without a hand-off."""
    lead = playbook.leads.get(lead_id)
    if lead is None or lead.handoff is None:
        return ()
    sla = lead.handoff.sla_hours
    receiver = playbook.roles.get(lead.handoff.to)
    to = display_name(receiver) if receiver is not None else lead.handoff.to
    limit = f"the {format_number(sla)}-hour SLA of the hand-off to {to}"
    found = []
    for kpi in playbook.kpis.values():
        results = playbook.results.get(kpi.id, ())
        if not results or not measures_sla(kpi) or measured_handoff(playbook, kpi) != lead_id:
            continue
        health = kpi_health(kpi, results, today)
        latest = results[-1]
        head = f"{display_name(kpi)}, {latest.period.text}: {amount(latest.value, kpi.unit, kpi.currency)}"
        if kpi.unit == "hours":
            within = latest.value <= sla
            how = f"within {limit}" if within else f"over {limit} by {amount(latest.value - sla, 'hours')}"
            found.append(HandoffCompliance(lead_id, kpi.id, sla, "hours", latest, within, None, health, f"{head}, {how}"))
        else:
            sentence = f"{head} of hand-offs within {limit}"
            if health.target is not None:
                sentence += f" (target {amount(health.target, 'percent')}: {verdict(kpi, health)})"
            found.append(HandoffCompliance(lead_id, kpi.id, sla, "share", latest, None, latest.value, health, sentence))
    return tuple(found)


# --- warnings in `validate` ----------------------------------------------------------------------


def numbers_warnings(playbook: Playbook, where: Where, today: date) -> list[Problem]:
    """`no-results` and `stale-results` for the KPIs of a playbook that has results files, and
    `overdue-step` for the steps of a playbook that has activity.yml. Drafts and retired entities
    are not expected to have numbers. A mistake is reported once: a KPI whose results file could not
    be read is not said to have no results, and a failed entry of activity.yml does not make its step
    overdue (`_activity_record`)."""
    found: list[Problem] = []
    if where.results:
        for kpi in playbook.kpis.values():
            if kpi.status in ("draft", "retired"):
                continue
            file = where.results.get(kpi.id)
            results = playbook.results.get(kpi.id, ())
            if not results:
                if file is not None and file.failed:
                    continue  # its own problems are reported
                path, line = (file.path, 1) if file is not None else (where.owners[("kpi", kpi.id)][0].path, 0)
                found.append(
                    Problem(
                        path,
                        line,
                        1 if line else 0,
                        "no-results",
                        f"KPI `{kpi.id}` ({display_name(kpi)}) has no results yet",
                        f"add a row per {expected_form(kpi) or 'period'} to results/{kpi.id}.csv, under the header `period,value`",
                        severity="warning",
                    )
                )
                continue
            health = kpi_health(kpi, results, today)
            if health.stale and health.due is not None and health.latest is not None and file is not None:
                reviewed = f"; it is reviewed {kpi.cadence}" if kpi.cadence else ""
                found.append(
                    Problem(
                        file.path,
                        file.line_of(health.latest.period),
                        1,
                        "stale-results",
                        f"KPI `{kpi.id}` ({display_name(kpi)}) has no result for {health.due.text}"
                        f" (its latest is {health.latest.period.text}){reviewed}",
                        f"add the row for {health.due.text} to results/{kpi.id}.csv (or run the export that writes it)",
                        severity="warning",
                    )
                )
    if where.activity is not None:
        source = where.activity[0]
        entries, unknown = _activity_record(playbook, where)
        for step in playbook.checklist.steps:
            if step.status in ("draft", "retired") or unknown is None or step.id in unknown:
                continue
            record = step_activity(step, entries.values(), today)
            if not record.overdue:
                continue
            if record.last is not None:
                index = next((i for i, entry in entries.items() if entry is record.last), 0)
                line, column = source.at(("entries", index, "date"))
                path = source.path
                message = (
                    f"checklist step `{step.id}` ({display_name(step)}) is {step.cadence} and last happened on"
                    f" {record.last.date.isoformat()}: it was due by {record.next_due} ({plural(record.days_overdue, 'day')} ago)"
                )
            else:
                owner, prefix = where.owners[("step", step.id)]
                path, (line, column) = owner.path, owner.at(prefix + ("cadence",))
                message = f"checklist step `{step.id}` ({display_name(step)}) is {step.cadence} and has no entry in activity.yml"
            found.append(
                Problem(
                    path,
                    line,
                    column,
                    "overdue-step",
                    message,
                    f"when it happens, record it in activity.yml: `- step: {step.id}` with its `date` (and a `note` or `link`)",
                    severity="warning",
                )
            )
    return found


def _activity_record(playbook: Playbook, where: Where) -> tuple[dict[int, ActivityEntry], set[str] | None]:
    """The entries of activity.yml the overdue check counts, by position, and the steps whose record
    is not known (None: no step's is). Each mistake in activity.yml is reported once, as itself:

    - an entry that failed validation (a bad link, a note with HTML) still says that its step
      happened: with a date that can be read it counts, without one its step's record is not known;
    - an entry naming no step of the checklist (misspelt) may be the record of the steps whose ids
      are close to what it names; when none is close, or its step cannot be read, of any step.
    """
    assert where.activity is not None
    entries: dict[int, ActivityEntry] = dict(where.activity[1])
    steps = {step.id: None for step in playbook.checklist.steps}  # in order, and found at once
    unknown: set[str] = set()
    tried: set[str] = set()  # the unknown step ids already matched (each is looked up once)
    named = [(entry.step, entry.date) for entry in entries.values()] + list(where.failed_activity.values())
    for step_id, _ in named:
        if step_id is not None and (step_id in steps or where.is_invalid("step", step_id) or step_id in tried):
            continue
        # (within the budget of suggestions: beyond it, as if no step were close)
        meant = close_matches(step_id.lower(), steps, n=3) if step_id is not None else []
        if not meant:
            return entries, None
        unknown.update(meant)
        if step_id is not None:
            tried.add(step_id)
    for index, (step_id, day) in where.failed_activity.items():
        if step_id is None or step_id not in steps:
            continue
        if day is None:
            unknown.add(step_id)
        else:
            entries[index] = ActivityEntry.model_construct(step=step_id, date=day)
    return entries, unknown


__all__ = [
    "Health",
    "HandoffCompliance",
    "StepActivity",
    "Trend",
    "add_cadence",
    "difference_text",
    "due_period",
    "handoff_compliance",
    "measured_handoff",
    "kpi_health",
    "measures_sla",
    "meets_target",
    "numbers_warnings",
    "result_sentence",
    "step_activity",
    "trend_of",
    "trend_text",
    "value_verdict",
    "verdict",
]
