"""The numbers on the site, computed once per render: each KPI's health in words, the Scorecard's
groups, the home page's summary, the checklist's record and the hand-offs' SLA compliance. Pure.

Every word comes from `content.health` (the verdict, the trend, the sentences) and every chart from
`site.charts`; this module only decides what each page shows:

- `Numbers.shown`: the playbook has at least one result. Without one there is no Scorecard page and
  no page shows a number, so a playbook without results builds exactly as before.
- The Scorecard and the home page's summary count every KPI that is not retired (a retired KPI is no
  longer reviewed; its results stay on the KPI page). KPIs are grouped by their owner's function, in
  the playbook's order of functions (as the roles and the navigation are).
- The summary says "4 of 9 KPIs on target in 2026-Q3" only when every counted KPI's latest result is
  for that one period; otherwise "at their latest result", which is true whatever the periods are.
  KPIs without a target or without results are counted in the total and named in brackets, as are
  stale ones.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..content.health import (
    NO_RESULTS,
    NO_TARGET,
    OFF_TARGET,
    ON_TARGET,
    HandoffCompliance,
    Health,
    StepActivity,
    difference_text,
    handoff_compliance,
    kpi_health,
    step_activity,
    trend_text,
)
from ..content.periods import Result
from ..content.schema import FunctionDef, Kpi, Playbook
from ..content.units import amount
from .charts import MAX_MARKS, ResultRow, results_chart_svg, results_table

RECENT_ROWS = 8  # the results table on the KPI page: the latest this many periods (the exports have them all)

STATE_LABELS = {ON_TARGET: "on target", OFF_TARGET: "off target", NO_TARGET: "no target", NO_RESULTS: "no results"}


@dataclass(frozen=True)
class KpiNumbers:
    """One KPI's numbers as the pages show them."""

    kpi: Kpi
    results: tuple[Result, ...]  # by period, oldest first
    health: Health
    function: str  # the owner's function id ("" when the owner is not in the playbook)

    @property
    def state(self) -> str:
        """on-target | off-target | no-target | no-results: the badge's class."""
        return self.health.state

    @property
    def label(self) -> str:
        """The badge's words: on target, off target, no target, no results."""
        return STATE_LABELS[self.health.state]

    @property
    def by(self) -> str:
        """How far off target, in the unit ("3 percentage points", "USD 220,000"); "" otherwise."""
        return difference_text(self.kpi, self.health.shortfall) if self.health.state == OFF_TARGET else ""

    @property
    def latest(self) -> str:
        """The latest value in the unit: 24%, USD 41,300, 3.6 hours; "" without results."""
        latest = self.health.latest
        return amount(latest.value, self.kpi.unit, self.kpi.currency) if latest is not None else ""

    @property
    def period(self) -> str:
        """The latest result's period as written: 2026-Q3."""
        return self.health.latest.period.text if self.health.latest is not None else ""

    @property
    def trend(self) -> str:
        """ "up from 23.5% to 24% over the last 3 quarters"; "" with fewer than two results."""
        return trend_text(self.kpi, self.health.trend) if self.health.trend is not None else ""

    @property
    def trend_word(self) -> str:
        """Whether the trend goes the good way: "better", "worse", "" (flat, or no trend)."""
        better = self.health.trend.better if self.health.trend is not None else None
        return "" if better is None else ("better" if better else "worse")

    @property
    def due(self) -> str:
        """The period a result is due for, when the KPI is stale: 2025."""
        return self.health.due.text if self.health.stale and self.health.due is not None else ""

    @property
    def rows(self) -> list[ResultRow]:
        """Every result as a table row, oldest first (the chart's order)."""
        return results_table(self.kpi, self.results, self.health)

    @property
    def recent(self) -> list[ResultRow]:
        """The latest `RECENT_ROWS` rows, oldest first: the KPI page's table (made from those results
        only, so that a series of any length costs the same here)."""
        return results_table(self.kpi, self.results[-RECENT_ROWS:], self.health)

    @property
    def drawn(self) -> int:
        """How many results the chart draws: every one, or MAX_MARKS of a longer series."""
        return min(len(self.results), MAX_MARKS)

    @functools.cached_property
    def chart(self) -> str:
        """The results chart (one line of SVG); "" without results."""
        return results_chart_svg(self.kpi, self.results, self.health)


@dataclass(frozen=True)
class Summary:
    """The home page's line: how many of the counted KPIs are on target, and at which period."""

    total: int
    on_target: int
    off_target: int
    no_target: int
    no_results: int
    stale: int
    period: str  # the one period every counted KPI's latest result is for; "" when they differ

    @property
    def text(self) -> str:
        """ "4 of 9 KPIs on target at their latest result (1 stale)" or "6 of 6 KPIs on target in 2026-Q3"."""
        noun = "KPI" if self.total == 1 else "KPIs"
        when = f"in {self.period}" if self.period else "at their latest result" if self.total != 1 else "at its latest result"
        notes = []
        if self.no_target:
            notes.append(f"{self.no_target} without a target")
        if self.no_results:
            notes.append(f"{self.no_results} without results yet")
        if self.stale:
            notes.append(f"{self.stale} stale")
        return f"{self.on_target} of {self.total} {noun} on target {when}" + (f" ({', '.join(notes)})" if notes else "")


@dataclass
class Numbers:
    """The numbers of a playbook on `today`, computed on first use and kept for the whole render."""

    playbook: Playbook
    today: date
    _kpis: dict[str, KpiNumbers] = field(default_factory=dict, init=False, repr=False)
    _steps: dict[str, StepActivity] = field(default_factory=dict, init=False, repr=False)
    _handoffs: dict[str, tuple[HandoffCompliance, ...]] = field(default_factory=dict, init=False, repr=False)

    @functools.cached_property
    def shown(self) -> bool:
        """The playbook has a result: the Scorecard exists and the pages show the numbers."""
        return any(self.playbook.results.values())

    @functools.cached_property
    def recorded(self) -> bool:
        """The playbook has activity.yml entries: the checklist shows its record."""
        return bool(self.playbook.activity)

    def kpi(self, kpi_id: str) -> KpiNumbers:
        found = self._kpis.get(kpi_id)
        if found is None:
            kpi = self.playbook.kpis[kpi_id]
            results = self.playbook.results.get(kpi_id, ())
            owner = self.playbook.roles.get(kpi.owner)
            found = KpiNumbers(kpi, results, kpi_health(kpi, results, self.today), owner.function if owner is not None else "")
            self._kpis[kpi_id] = found
        return found

    @functools.cached_property
    def counted(self) -> list[KpiNumbers]:
        """The KPIs on the Scorecard and in the summary: every one that is not retired, in KPI order."""
        return [self.kpi(kpi_id) for kpi_id, kpi in self.playbook.kpis.items() if kpi.status != "retired"]

    @functools.cached_property
    def groups(self) -> list[tuple[FunctionDef, list[KpiNumbers]]]:
        """The counted KPIs by their owner's function, in the playbook's order of functions; a KPI whose
        owner's function is not declared (only possible in a partial release) comes last, on its own."""
        functions = self.playbook.functions()
        found: list[tuple[FunctionDef, list[KpiNumbers]]] = []
        for function_id, function in functions.items():
            members = [numbers for numbers in self.counted if numbers.function == function_id]
            if members:
                found.append((function, members))
        others = [numbers for numbers in self.counted if numbers.function not in functions]
        if others:
            found.append((FunctionDef(id="other", name="Other"), others))
        return found

    @functools.cached_property
    def summary(self) -> Summary:
        counted = self.counted
        states = [numbers.state for numbers in counted]
        periods = {numbers.period for numbers in counted}
        return Summary(
            total=len(counted),
            on_target=states.count(ON_TARGET),
            off_target=states.count(OFF_TARGET),
            no_target=states.count(NO_TARGET),
            no_results=states.count(NO_RESULTS),
            stale=sum(numbers.health.stale for numbers in counted),
            period=next(iter(periods)) if len(periods) == 1 else "",
        )

    def step(self, step_id: str) -> StepActivity:
        """A checklist step's record: its last activity, when the next is due, whether it is overdue."""
        found = self._steps.get(step_id)
        if found is None:
            found = step_activity(self.playbook.steps[step_id], self.playbook.activity, self.today)
            self._steps[step_id] = found
        return found

    def handoff(self, lead_id: str, measured_by: Sequence[str] | None = None) -> tuple[HandoffCompliance, ...]:
        """How the hand-off of `lead_id` keeps its SLA, by the KPIs that measure the stage. `measured_by`
        (the stage's KPIs, from Relations) spares scanning every KPI for a stage no KPI with results measures."""
        if not self.shown:
            return ()
        if lead_id not in self._handoffs:
            if measured_by is not None and not any(self.playbook.results.get(kpi_id) for kpi_id in measured_by):
                self._handoffs[lead_id] = ()
            else:
                self._handoffs[lead_id] = handoff_compliance(self.playbook, lead_id, self.today)
        return self._handoffs[lead_id]

    def handoffs(self, measured_by: Mapping[str, Sequence[str]] | None = None) -> dict[str, tuple[HandoffCompliance, ...]]:
        """{lead id: its hand-off's compliance} for every stage that has some: the funnel's labels."""
        found = {}
        for lead_id, lead in self.playbook.leads.items():
            if lead.handoff is None:
                continue
            measures = self.handoff(lead_id, measured_by.get(lead_id, ()) if measured_by is not None else None)
            if measures:
                found[lead_id] = measures
        return found


__all__ = ["RECENT_ROWS", "STATE_LABELS", "KpiNumbers", "Numbers", "Summary"]
