"""What a change does to the numbers, apart from the definitions: results added, corrected or removed
(`results/<kpi-id>.csv`) and practices recorded in `activity.yml`. Pure: no I/O.

A result is reported as a reader would say it: "Win rate, 2026-Q3: 24% against a target of 27%
(off target by 3 percentage points)". Changes to the numbers are their own impact class, `results`:
they alter no agreed definition and are not wording either. Who approves them follows the KPI's
approvers (a step's, for its activity), as for a change to the definition itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..content.health import result_sentence, value_verdict
from ..content.periods import Result
from ..content.schema import ActivityEntry, Kpi, Playbook, display_name
from ..content.survey_numbers import public_rounds, round_sentence, view_dict
from ..content.units import amount
from ..text import plural

RESULTS = "results"  # the impact class of a change to the numbers

Approvers = Callable[[Playbook, Playbook, str, str], tuple[tuple[str, ...], bool]]


@dataclass(frozen=True)
class ResultChange:
    kpi: str
    name: str  # the KPI as readers know it: "Win rate"
    period: str  # 2026-Q3
    change: str  # added | changed | removed
    old: float | None
    new: float | None
    old_note: str | None
    new_note: str | None
    what: str  # "24% against a target of 27% (off target by 3 percentage points)"; "25% (was 24.5%) ..."
    before: str = ""  # the old value in its unit, with its note: "24.5% (two late deals)"; "" when added
    after: str = ""  # the new one; "" when removed

    @property
    def sentence(self) -> str:
        """ "Win rate, 2026-Q3: 24% against a target of 27% (off target by 3 percentage points)"."""
        return f"{self.name}, {self.period}: {self.what}"


@dataclass(frozen=True)
class ActivityChange:
    step: str
    name: str  # the step's title: "Joint meetings"
    date: str
    change: str  # added | removed
    note: str | None
    link: str | None

    @property
    def what(self) -> str:
        return self.note or ("recorded" if self.change == "added" else "entry removed")

    @property
    def sentence(self) -> str:
        """ "Joint meetings, 2026-11-10: Q4 pipeline review"."""
        return f"{self.name}, {self.date}: {self.what}"


@dataclass(frozen=True)
class NumbersChange:
    """The numbers of one KPI (kind `results`) or the record of one checklist step (kind `activity`)
    that changed; listed with the entities in "Who must approve"."""

    kind: str  # results | activity | survey (a survey round: its one change among `activity`)
    id: str
    name: str
    file: str  # content-relative: results/win-rate.csv, activity.yml
    results: tuple[ResultChange, ...] = ()
    activity: tuple[ActivityChange, ...] = ()
    approvers: tuple[str, ...] = ()
    default_approvers: bool = True
    impact: str = RESULTS

    @property
    def kind_label(self) -> str:
        return {"results": "results of KPI", "survey": "survey round"}.get(self.kind, "activity of checklist step")

    @property
    def title(self) -> str:
        return self.name


# --- comparing -------------------------------------------------------------------------------------


def _result_what(kpi: Kpi, result: Result, was: Result | None = None) -> str:
    """What a result says, after "Win rate, 2026-Q3: "."""
    sentence = result_sentence(kpi, result).split(": ", 1)[1]
    if was is not None and was.value != result.value:
        shown = amount(result.value, kpi.unit, kpi.currency)
        sentence = sentence.replace(shown, f"{shown} (was {amount(was.value, kpi.unit, kpi.currency)})", 1)
    verdict = value_verdict(kpi, result.value)
    if verdict:
        sentence += f" ({verdict})"
    if was is not None and was.value == result.value:
        sentence += "; note changed"
    return sentence


def _result_changes(old: Playbook, new: Playbook, kpi_id: str) -> tuple[ResultChange, ...]:
    kpi = new.kpis.get(kpi_id) or old.kpis[kpi_id]
    name = display_name(kpi)
    before = {result.period.text: result for result in old.results.get(kpi_id, ())}
    after = {result.period.text: result for result in new.results.get(kpi_id, ())}
    periods = sorted(set(before) | set(after), key=lambda text: (after.get(text) or before[text]).period)

    def shown(result: Result | None) -> str:
        if result is None:
            return ""
        value = amount(result.value, kpi.unit, kpi.currency)
        return f"{value} ({result.note})" if result.note else value

    found = []
    for period in periods:
        was, now = before.get(period), after.get(period)
        if now is not None and was is None:
            what = _result_what(kpi, now)
            found.append(ResultChange(kpi_id, name, period, "added", None, now.value, None, now.note, what, "", shown(now)))
        elif was is not None and now is None:
            what = f"{amount(was.value, kpi.unit, kpi.currency)} removed"
            found.append(ResultChange(kpi_id, name, period, "removed", was.value, None, was.note, None, what, shown(was), ""))
        elif was is not None and now is not None and (was.value, was.note) != (now.value, now.note):
            what = _result_what(kpi, now, was)
            change = ResultChange(
                kpi_id, name, period, "changed", was.value, now.value, was.note, now.note, what, shown(was), shown(now)
            )
            found.append(change)
    return tuple(found)


def _entry_key(entry: ActivityEntry) -> tuple[str, str, str, str]:
    return (entry.date.isoformat(), entry.step, entry.note or "", entry.link or "")


def _activity_changes(old: Playbook, new: Playbook, step_id: str) -> tuple[ActivityChange, ...]:
    step = new.steps.get(step_id) or old.steps.get(step_id)
    name = display_name(step) if step is not None else step_id
    remaining = [_entry_key(entry) for entry in old.activity if entry.step == step_id]
    added = []
    for entry in new.activity:
        if entry.step != step_id:
            continue
        key = _entry_key(entry)
        if key in remaining:
            remaining.remove(key)
        else:
            added.append(ActivityChange(step_id, name, key[0], "added", entry.note, entry.link))
    removed = [ActivityChange(step_id, name, day, "removed", note or None, link or None) for day, _step, note, link in remaining]
    return tuple(sorted(added + removed, key=lambda change: (change.date, change.change)))


SURVEY_NAME = "Team survey"


def _survey_changes(old: Playbook, new: Playbook) -> tuple[ActivityChange, ...]:
    """Each survey round added, changed or removed, in words: "43 respondents; everyone at Defined
    (58.3); Marketing moved from Defined to Aligned". Only the rounds' public aggregates are compared."""
    before = {view.period.text: view for view in public_rounds(old)}
    after = public_rounds(new)
    found = []
    for index, view in enumerate(after):
        was = before.pop(view.period.text, None)
        if was is not None and view_dict(was) == view_dict(view):  # as exported: a previous version's are read back from it
            continue
        sentence = round_sentence(new, view, after[index - 1] if index else None)
        found.append(
            ActivityChange(view.period.text, SURVEY_NAME, view.period.text, "added" if was is None else "changed", sentence, None)
        )
    found += [ActivityChange(text, SURVEY_NAME, text, "removed", "round removed", None) for text in before]
    return tuple(found)


def compare_numbers(old: Playbook, new: Playbook, approvers: Approvers) -> tuple[NumbersChange, ...]:
    """The KPIs whose results changed, then the steps whose record changed, each in id order, then the survey's rounds."""
    found: list[NumbersChange] = []
    for kpi_id in sorted(set(old.results) | set(new.results)):
        changes = _result_changes(old, new, kpi_id)
        if changes:
            file = new.sources.get(("results", kpi_id)) or old.sources.get(("results", kpi_id)) or f"results/{kpi_id}.csv"
            handles, default = approvers(old, new, "kpi", kpi_id)
            found.append(NumbersChange("results", kpi_id, changes[0].name, file, changes, (), handles, default))
    steps = sorted({entry.step for entry in old.activity} | {entry.step for entry in new.activity})
    for step_id in steps:
        activity = _activity_changes(old, new, step_id)
        if activity:
            file = new.sources.get(("activity", "")) or old.sources.get(("activity", "")) or "activity.yml"
            handles, default = approvers(old, new, "step", step_id)
            found.append(NumbersChange("activity", step_id, activity[0].name, file, (), activity, handles, default))
    for change in _survey_changes(old, new):
        file = new.sources.get(("survey", change.step)) or old.sources.get(("survey", change.step)) or f"survey/{change.step}.csv"
        handles, default = approvers(old, new, "playbook", "")
        found.append(NumbersChange("survey", change.step, change.step, file, (), (change,), handles, default))
    return tuple(found)


# --- in words ----------------------------------------------------------------------------------

SECTIONS = (
    ("New results", "results", "added"),
    ("Changed results", "results", "changed"),
    ("Removed results", "results", "removed"),
    ("New activity", "activity", "added"),
    ("Removed activity", "activity", "removed"),
    ("New survey rounds", "survey", "added"),
    ("Changed survey rounds", "survey", "changed"),
    ("Removed survey rounds", "survey", "removed"),
)


def sections(numbers: tuple[NumbersChange, ...]) -> list[tuple[str, list[ResultChange | ActivityChange]]]:
    """(heading, changes) of every section that has changes, in the order of `SECTIONS`."""
    found: list[tuple[str, list[ResultChange | ActivityChange]]] = []
    for heading, kind, change in SECTIONS:
        items: list[ResultChange | ActivityChange] = [
            item for group in numbers if group.kind == kind for item in (group.results or group.activity) if item.change == change
        ]
        if items:
            found.append((heading, items))
    return found


def numbers_headline(numbers: tuple[NumbersChange, ...]) -> str:
    """ "3 new results, 1 changed result; 2 new activity entries." ("" without changes)."""
    parts = []
    nouns_of = (
        ("results", ("result", "results")),
        ("activity", ("activity entry", "activity entries")),
        ("survey", ("survey round", "survey rounds")),
    )
    for kind, nouns in nouns_of:
        items = [item for group in numbers if group.kind == kind for item in (group.results or group.activity)]
        counts = [
            f"{plural(sum(item.change == change for item in items), f'{word} {nouns[0]}', f'{word} {nouns[1]}')}"
            for change, word in (("added", "new"), ("changed", "changed"), ("removed", "removed"))
            if any(item.change == change for item in items)
        ]
        if counts:
            parts.append(", ".join(counts))
    return "; ".join(parts) + "." if parts else ""


__all__ = [
    "RESULTS",
    "ActivityChange",
    "NumbersChange",
    "ResultChange",
    "compare_numbers",
    "numbers_headline",
    "sections",
]
