"""Cross-reference rules over a whole playbook, after each file was validated on its own.

Every reference resolves to an entity of the named kind; `reports_to` has no
cycles; lead `order`s and abbreviations are unique; the alignment bands cover
every possible total; nothing that is in force refers to a retired entity;
entity links inside text resolve; activity.yml names known checklist steps, on days that have come.
Stale `review_by` dates are warnings, and so are the numbers' (`health.numbers_warnings`).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from datetime import date

from ..clock import today as clock_today
from ..errors import Problem, did_you_mean
from ..text import plural
from .health import numbers_warnings
from .kinds import ABBREVIATED, KIND_LABELS, KIND_NAMES
from .refs import Reference, entity_links, field_references, iter_strings
from .results import implausible
from .schema import Playbook, display_name
from .sources import TextLink, Where
from .units import CURRENCIES, amount
from .yaml_reader import Loc, Source

Report = Callable[..., None]


def file_links(source: Source) -> list[TextLink]:
    """Every `[label](kind:id)` link in the text of one file: found once per file (and kept by the
    validation cache); whether each leads somewhere is checked over the whole playbook."""
    if not any("](" in line or "\\" in line for line in source.lines):
        return []  # no link in the file (an escape could spell one: such files are read whole)
    return [
        TextLink(source.path, *source.at(loc), kind, ref, written)
        for loc, text in iter_strings(source.data)
        for kind, ref, written in entity_links(text)
    ]


def check_playbook(
    playbook: Playbook, where: Where, problems: list[Problem], warnings: list[Problem], *, today: date | None = None
) -> None:
    def report(kind: str, entity_id: str, loc: Loc, code: str, message: str, hint: str = "", *, warning: bool = False) -> None:
        source, prefix = where.owners[(kind, entity_id)]
        line, column = source.at(prefix + loc)
        (warnings if warning else problems).append(
            Problem(source.path, line, column, code, message, hint, "warning" if warning else "error")
        )

    known = _Known(playbook)
    for ref in field_references(playbook):
        if ref.kind == "playbook":
            _check_position(playbook, where, ref, problems)
        elif ref.target_kind == "*":
            _check_see_also(playbook, where, ref, report, known)
        else:
            _check_reference(playbook, where, ref, report, known)
    _check_functions(playbook, where, report, problems)
    _check_currencies(playbook, report)
    _check_targets(playbook, report)
    _check_cycles(playbook, report)
    _check_orders(playbook, report)
    _check_abbreviations(playbook, report)
    _check_bands(playbook, where, problems)
    _check_text_links(playbook, where, problems, known)
    _check_activity(playbook, where, problems, today or clock_today())
    if today is not None:
        _check_review_dates(playbook, today, report)
        warnings += numbers_warnings(playbook, where, today)


class _Known:
    """The ids a hint lists when no "did you mean" is found, made once per check of the playbook: the
    hints of thousands of dangling references name the same ids, and each list costs the size of the
    playbook to make."""

    def __init__(self, playbook: Playbook) -> None:
        self.playbook = playbook
        self._first: dict[str, list[str]] = {}
        self._every: list[str] | None = None

    def first(self, kind: str, count: int = 12) -> list[str]:
        """The first `count` ids of a kind, in sorted order."""
        if kind not in self._first:
            self._first[kind] = heapq.nsmallest(count, self.playbook.collection(kind))
        return self._first[kind]

    def every(self) -> list[str]:
        """Every entity's id."""
        if self._every is None:
            self._every = [entity_id for kind in KIND_NAMES for entity_id in self.playbook.collection(kind)]
        return self._every


def _check_reference(playbook: Playbook, where: Where, ref: Reference, report: Report, known: _Known) -> None:
    targets = playbook.collection(ref.target_kind)
    label = KIND_LABELS[ref.target_kind]
    entity = playbook.collection(ref.kind)[ref.id]
    target = targets.get(ref.target_id)
    if target is None:
        if where.is_invalid(ref.target_kind, ref.target_id):
            return  # it exists but has its own problems, reported in its file
        hint = did_you_mean(ref.target_id, targets) or (
            f"known {label}s: " + ", ".join(known.first(ref.target_kind)) if targets else f"there are no {label}s yet"
        )
        report(ref.kind, ref.id, ref.loc, "dangling-reference", f"`{ref.target_id}` is not a known {label}", hint)
    elif target.status == "retired" and entity.status != "retired":
        report(
            ref.kind,
            ref.id,
            ref.loc,
            "retired-reference",
            f"{KIND_LABELS[ref.kind]} `{ref.id}` refers to {label} `{ref.target_id}`, which is retired",
            f"refer to the {label} that replaces it, or retire `{ref.id}` too",
        )


def _check_position(playbook: Playbook, where: Where, ref: Reference, problems: list[Problem]) -> None:
    """playbook.yml's `alignment.current` / `alignment.target`."""
    stages = playbook.collection("stage")
    if where.meta is None or ref.target_id in stages or where.is_invalid("stage", ref.target_id):
        return  # a stage with problems of its own is reported in alignment.yml, not here again
    known = sorted(set(stages) | {item for kind, item in where.invalid if kind == "stage"})
    problems.append(
        Problem(
            where.meta.path,
            *where.meta.at(ref.loc),
            "dangling-reference",
            f"`{ref.target_id}` is not a known alignment stage",
            did_you_mean(ref.target_id, known)
            or ("known stages: " + ", ".join(known) if known else "alignment.yml defines no stages yet"),
        )
    )


def _check_see_also(playbook: Playbook, where: Where, ref: Reference, report: Report, known: _Known) -> None:
    """`see_also`: an id of any kind, or `kind:id` when the id is ambiguous."""
    found = playbook.find(ref.target_id)
    term = playbook.collection(ref.kind)[ref.id]
    if not found:
        if any(where.is_invalid(kind, ref.target_id.split(":")[-1]) for kind in KIND_LABELS):
            return
        every = known.every()
        report(
            ref.kind,
            ref.id,
            ref.loc,
            "dangling-reference",
            f"`{ref.target_id}` is not a known entity",
            did_you_mean(ref.target_id, every)
            or "give the id of a role, lead stage, KPI, checklist step, alignment stage or term",
        )
    elif len(found) > 1:
        kinds = ", ".join(f"`{kind}:{ref.target_id}`" for kind, _ in found)
        report(
            ref.kind,
            ref.id,
            ref.loc,
            "ambiguous-reference",
            f"`{ref.target_id}` names more than one entity",
            f"write one of {kinds}",
        )
    elif found[0][1].status == "retired" and term.status != "retired":
        report(
            ref.kind,
            ref.id,
            ref.loc,
            "retired-reference",
            f"glossary term `{ref.id}` refers to `{ref.target_id}`, which is retired",
            "remove it or point to its replacement",
        )


def _check_functions(playbook: Playbook, where: Where, report: Report, problems: list[Problem]) -> None:
    """A role's `function` is one of playbook.yml's `functions` (or a built-in one when it names none)."""
    functions = playbook.functions()
    seen: dict[str, int] = {}
    for index, function in enumerate(playbook.meta.functions):
        if function.id in seen and where.meta is not None:
            problems.append(
                Problem(
                    where.meta.path,
                    *where.meta.at(("functions", index, "id")),
                    "duplicate-id",
                    f"function `{function.id}` is listed twice (first on line {seen[function.id]})",
                    "list each function once",
                )
            )
        elif where.meta is not None:
            seen[function.id] = where.meta.at(("functions", index, "id"))[0]
    for role in playbook.roles.values():
        if role.function in functions:
            continue
        names = [f"`{function_id}`" for function_id in functions]
        listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
        close = did_you_mean(role.function, functions)
        more = (
            " (the functions listed in playbook.yml)"
            if playbook.meta.functions
            else "; to use other functions, list them under `functions:` in playbook.yml"
        )
        report(
            "role",
            role.id,
            ("function",),
            "bad-value",
            f"`{role.function}` is not an allowed value for `function`",
            (close + " " if close else "") + f"use one of: {listed}{more}",
        )


def _check_currencies(playbook: Playbook, report: Report) -> None:
    """`currency` goes with `unit: currency`, and is an ISO 4217 code."""
    for kpi in playbook.kpis.values():
        if kpi.unit == "currency" and kpi.currency is None:
            report(
                "kpi",
                kpi.id,
                ("unit",),
                "missing-field",
                "a KPI with `unit: currency` needs `currency`",
                "add the ISO 4217 code of the currency, e.g. `currency: EUR` or `currency: USD`",
            )
        elif kpi.currency is not None and kpi.unit != "currency":
            report(
                "kpi",
                kpi.id,
                ("currency",),
                "bad-value",
                f"`currency` is only for a KPI with `unit: currency` (this one is in {kpi.unit})",
                "remove `currency`, or set `unit: currency`",
            )
        elif kpi.currency is not None and kpi.currency not in CURRENCIES:
            close = (
                f"did you mean `{kpi.currency.upper()}`?"
                if kpi.currency.upper() in CURRENCIES
                else did_you_mean(kpi.currency, CURRENCIES)
            )
            report(
                "kpi",
                kpi.id,
                ("currency",),
                "bad-value",
                f"`{kpi.currency}` is not an ISO 4217 currency code",
                (close + " " if close else "") + "write the three-letter code, e.g. EUR, USD, GBP",
            )


def _check_targets(playbook: Playbook, report: Report) -> None:
    """A target lies within what its unit allows a result to be (`results.implausible`): a target no
    result could meet is a typing error, and the charts draw the target beside the results."""
    for kpi in playbook.kpis.values():
        if kpi.target is None:
            continue
        why = implausible(kpi.target.value, kpi.unit)
        if why:
            report(
                "kpi",
                kpi.id,
                ("target", "value"),
                "implausible-value",
                f"a target of {amount(kpi.target.value, kpi.unit, kpi.currency)} is not plausible for {display_name(kpi)}, "
                f"which is in {kpi.unit}",
                why + ("; is a decimal point missing?" if kpi.unit == "percent" else ""),
            )


def _check_cycles(playbook: Playbook, report: Report) -> None:
    reported: set[str] = set()
    settled: set[str] = set()  # roles whose chain was followed already: each role is walked once
    for start in playbook.roles:
        chain = [start]
        on_chain = {start}
        current = playbook.roles[start].reports_to
        while current is not None and current in playbook.roles and current not in on_chain and current not in settled:
            chain.append(current)
            on_chain.add(current)
            current = playbook.roles[current].reports_to
        settled.update(chain)
        if current is None or current not in on_chain:
            continue
        cycle = chain[chain.index(current) :]
        if reported.intersection(cycle):
            continue
        reported.update(cycle)
        first = min(cycle)
        loop = " -> ".join(cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first])
        report(
            "role",
            first,
            ("reports_to",),
            "reports-to-cycle",
            f"`reports_to` goes round in a circle: {loop}",
            "one role in the circle must report to a role outside it, or to nobody",
        )


def _check_orders(playbook: Playbook, report: Report) -> None:
    orders: dict[int, str] = {}
    for lead in playbook.leads.values():
        if lead.order in orders:
            report(
                "lead",
                lead.id,
                ("order",),
                "duplicate-order",
                f"order {lead.order} is used by both `{orders[lead.order]}` and `{lead.id}`",
                "give each lead stage its own position in the funnel",
            )
        else:
            orders[lead.order] = lead.id


def _check_abbreviations(playbook: Playbook, report: Report) -> None:
    abbreviations: dict[str, tuple[str, str]] = {}
    for kind in ABBREVIATED:
        for entity in playbook.collection(kind).values():
            if not entity.abbreviation:
                continue
            folded = entity.abbreviation.casefold()
            if folded not in abbreviations:
                abbreviations[folded] = (kind, entity.id)
                continue
            other_kind, other_id = abbreviations[folded]
            report(
                kind,
                entity.id,
                ("abbreviation",),
                "duplicate-abbreviation",
                f"abbreviation `{entity.abbreviation}` is already used by {KIND_LABELS[other_kind]} `{other_id}`",
                "abbreviations are unique across roles, lead stages, KPIs and glossary terms (ignoring case)",
            )


def band_gaps(bands: list[tuple[str, int, int]], count: int) -> list[tuple[int, str, str]]:
    """How score bands (stage id, low, high) fail to cover every total from `count` to `count * 5`
    once each: (index of the band the problem is told at, message, hint). Empty when they cover it."""
    if not bands or not count:
        return []
    low_total, high_total = count, count * 5
    ordered = sorted(enumerate(bands), key=lambda pair: pair[1][1])
    found: list[tuple[int, str, str]] = []
    expected = low_total
    for index, (stage_id, low, high) in ordered:
        if low > expected:
            found.append(
                (
                    index,
                    f"no stage covers totals {expected} to {low - 1}",
                    f"with {plural(count, 'statement')} scored 1-5 the bands must cover {low_total} to {high_total} without gaps; "
                    f"start `{stage_id}` at {expected} or widen the band below it",
                )
            )
        elif low < expected:
            found.append(
                (
                    index,
                    f"stage `{stage_id}` band [{low}, {high}] overlaps the band below it (or starts below {low_total})",
                    f"start `{stage_id}` at {expected}: each total must fall in exactly one band",
                )
            )
        expected = max(expected, high + 1)
    last = ordered[-1][0]
    if expected <= high_total:
        found.append(
            (
                last,
                f"no stage covers totals {expected} to {high_total}",
                f"with {plural(count, 'statement')} the highest possible total is {high_total}: end the top band there",
            )
        )
    elif expected > high_total + 1:
        found.append(
            (
                last,
                f"stage `{bands[last][0]}` band ends at {bands[last][2]}, above the highest possible total {high_total}",
                f"with {plural(count, 'statement')} scored 1-5, end the top band at {high_total}",
            )
        )
    return found


def _check_bands(playbook: Playbook, where: Where, problems: list[Problem]) -> None:
    stages = playbook.alignment.stages
    source = next((s for name, s in where.sources.items() if name.startswith("alignment.")), None)
    if source is None:
        return
    bands = [(stage.id, stage.score[0], stage.score[1]) for stage in stages]
    for index, message, hint in band_gaps(bands, len(playbook.alignment.questions)):
        problems.append(Problem(source.path, *source.at(("stages", index, "score")), "score-bands", message, hint))


def _check_text_links(playbook: Playbook, where: Where, problems: list[Problem], known: _Known) -> None:
    for found in where.links.values():
        for link in found:
            targets = playbook.collection(link.kind)
            if link.id in targets or where.is_invalid(link.kind, link.id):
                continue
            problems.append(
                Problem(
                    link.path,
                    link.line,
                    link.column,
                    "dangling-link",
                    f"the link `{link.written}` points to no {KIND_LABELS[link.kind]}",
                    did_you_mean(link.id, targets) or f"known: {', '.join(known.first(link.kind))}",
                )
            )


def _check_activity(playbook: Playbook, where: Where, problems: list[Problem], today: date) -> None:
    """activity.yml: each entry names a checklist step and happened by today (its link is checked by the model)."""
    if where.activity is None:
        return
    source, entries = where.activity
    steps = playbook.collection("step")
    for index, entry in entries.items():
        if entry.step not in steps and not where.is_invalid("step", entry.step):
            problems.append(
                Problem(
                    source.path,
                    *source.at(("entries", index, "step")),
                    "dangling-reference",
                    f"`{entry.step}` is not a known checklist step",
                    did_you_mean(entry.step, steps)
                    or ("known steps: " + ", ".join(itertools.islice(steps, 12)) if steps else "checklist.yml has no steps yet"),
                )
            )
        if entry.date > today:
            problems.append(
                Problem(
                    source.path,
                    *source.at(("entries", index, "date")),
                    "future-date",
                    f"{entry.date.isoformat()} is in the future (today is {today.isoformat()})",
                    "record a practice once it has happened; check the year and the month",
                )
            )


def _check_review_dates(playbook: Playbook, today: date, report: Report) -> None:
    for kind, entity in playbook.iter_entities():
        if entity.review_by is not None and entity.review_by < today and entity.status != "retired":
            report(
                kind,
                entity.id,
                ("review_by",),
                "stale",
                f"{KIND_LABELS[kind]} `{entity.id}` ({display_name(entity)}) was due for review on {entity.review_by.isoformat()}",
                "review the definition with its approvers, then move `review_by` forward",
                warning=True,
            )


__all__ = ["TextLink", "Where", "band_gaps", "check_playbook", "file_links"]
