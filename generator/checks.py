"""Cross-reference rules over a whole playbook (after each file validated).

Every reference resolves to an entity of the named kind; `reports_to` has no
cycles; lead `order`s and abbreviations are unique; the alignment bands cover
every possible total; nothing that is in force refers to a retired entity;
entity links inside text resolve. Stale `review_by` dates are warnings.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from .errors import Problem, did_you_mean
from .load import Loc, Source, iter_strings
from .model import _LINK_RE, ENTITY_LINK_RE, KIND_LABELS, Playbook, display_name

# (kind, field, target kind, is a list)
REFERENCES: list[tuple[str, tuple[str, ...], str, bool]] = [
    ("role", ("reports_to",), "role", False),
    ("role", ("kpis",), "kpi", True),
    ("lead", ("owner",), "role", False),
    ("lead", ("handoff", "to"), "role", False),
    ("lead", ("recycle_to",), "lead", False),
    ("kpi", ("owner",), "role", False),
    ("kpi", ("shared_with",), "role", True),
    ("kpi", ("stages",), "lead", True),
    ("step", ("owner",), "role", False),
    ("step", ("participants",), "role", True),
    ("step", ("kpis",), "kpi", True),
]


def _get(entity: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        entity = getattr(entity, part, None)
        if entity is None:
            return None
    return entity


def field_references(playbook: Playbook) -> Iterator[tuple[str, Any, tuple[Any, ...], str, str]]:
    """Every field that names another entity: (kind, entity, location in the entity, target kind, id)."""
    for kind, path, target_kind, many in REFERENCES:
        for entity in playbook.collection(kind).values():
            value = _get(entity, path)
            if value is None:
                continue
            for index, ref in enumerate(value if many else [value]):
                yield kind, entity, path + ((index,) if many else ()), target_kind, ref


def check_playbook(
    playbook: Playbook,
    sources: dict[str, Source],
    owners: dict[tuple[str, str], tuple[Source, Loc]],
    problems: list[Problem],
    warnings: list[Problem],
    *,
    meta_source: Source | None,
    today: date | None = None,
    invalid: set[tuple[str, str]] | None = None,
) -> None:
    invalid = invalid or set()

    def report(kind: str, entity_id: str, loc: Loc, code: str, message: str, hint: str = "", *, warning: bool = False) -> None:
        source, prefix = owners[(kind, entity_id)]
        line, column = source.at(prefix + loc)
        (warnings if warning else problems).append(
            Problem(source.path, line, column, code, message, hint, "warning" if warning else "error")
        )

    def resolve(kind: str, entity: Any, loc: Loc, target_kind: str, ref: str) -> None:
        targets = playbook.collection(target_kind)
        label = KIND_LABELS[target_kind]
        if ref not in targets:
            if (target_kind, ref) in invalid or (target_kind, "*") in invalid:
                return  # it exists but has its own problems, reported in its file
            hint = did_you_mean(ref, targets) or (
                f"known {label}s: " + ", ".join(sorted(targets)[:12]) if targets else f"there are no {label}s yet"
            )
            report(kind, entity.id, loc, "dangling-reference", f"`{ref}` is not a known {label}", hint)
            return
        if targets[ref].status == "retired" and entity.status != "retired":
            report(
                kind,
                entity.id,
                loc,
                "retired-reference",
                f"{KIND_LABELS[kind]} `{entity.id}` refers to {label} `{ref}`, which is retired",
                f"refer to the {label} that replaces it, or retire `{entity.id}` too",
            )

    for kind, entity, loc, target_kind, ref in field_references(playbook):
        resolve(kind, entity, loc, target_kind, ref)

    # playbook.yml alignment position
    if meta_source is not None:
        stages = playbook.collection("stage")
        for which in ("current", "target"):
            ref = getattr(playbook.meta.alignment, which)
            if ref is None or ref in stages or ("stage", ref) in invalid or ("stage", "*") in invalid:
                continue  # a stage with problems of its own is reported in alignment.yml, not here again
            line, column = meta_source.at(("alignment", which))
            known = sorted(set(stages) | {item for kind, item in invalid if kind == "stage"})
            problems.append(
                Problem(
                    meta_source.path,
                    line,
                    column,
                    "dangling-reference",
                    f"`{ref}` is not a known alignment stage",
                    did_you_mean(ref, known)
                    or ("known stages: " + ", ".join(known) if known else "alignment.yml defines no stages yet"),
                )
            )

    # glossary see_also: any kind, `kind:id` when ambiguous
    for term in playbook.glossary.terms:
        for index, ref in enumerate(term.see_also):
            found = playbook.find(ref)
            if not found and any((k, ref.split(":")[-1]) in invalid or (k, "*") in invalid for k in KIND_LABELS):
                continue
            if not found:
                every = [i for k in KIND_LABELS for i in playbook.collection(k)]
                report(
                    "term",
                    term.id,
                    ("see_also", index),
                    "dangling-reference",
                    f"`{ref}` is not a known entity",
                    did_you_mean(ref, every) or "give the id of a role, lead stage, KPI, checklist step, alignment stage or term",
                )
            elif len(found) > 1:
                kinds = ", ".join(f"`{k}:{ref}`" for k, _ in found)
                report(
                    "term",
                    term.id,
                    ("see_also", index),
                    "ambiguous-reference",
                    f"`{ref}` names more than one entity",
                    f"write one of {kinds}",
                )
            elif found[0][1].status == "retired" and term.status != "retired":
                report(
                    "term",
                    term.id,
                    ("see_also", index),
                    "retired-reference",
                    f"glossary term `{term.id}` refers to `{ref}`, which is retired",
                    "remove it or point to its replacement",
                )

    _check_cycles(playbook, report)

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

    abbreviations: dict[str, tuple[str, str]] = {}
    for kind in ("role", "lead", "kpi", "term"):
        for entity in playbook.collection(kind).values():
            if not entity.abbreviation:
                continue
            folded = entity.abbreviation.casefold()
            if folded in abbreviations:
                other_kind, other_id = abbreviations[folded]
                report(
                    kind,
                    entity.id,
                    ("abbreviation",),
                    "duplicate-abbreviation",
                    f"abbreviation `{entity.abbreviation}` is already used by {KIND_LABELS[other_kind]} `{other_id}`",
                    "abbreviations are unique across roles, lead stages, KPIs and glossary terms (ignoring case)",
                )
            else:
                abbreviations[folded] = (kind, entity.id)

    _check_bands(playbook, sources, problems)
    _check_text_links(playbook, sources, problems, invalid)

    if today is not None:
        for kind, entity in playbook.entities():
            if entity.review_by is not None and entity.review_by < today and entity.status != "retired":
                report(
                    kind,
                    entity.id,
                    ("review_by",),
                    "stale",
                    f"{KIND_LABELS[kind]} `{entity.id}` ({display_name(entity)}) was due for review"
                    f" on {entity.review_by.isoformat()}",
                    "review the definition with its approvers, then move `review_by` forward",
                    warning=True,
                )


def _check_cycles(playbook: Playbook, report: Any) -> None:
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
        if current is not None and current in on_chain:
            cycle = chain[chain.index(current) :]
            if not reported.intersection(cycle):
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


def _check_bands(playbook: Playbook, sources: dict[str, Source], problems: list[Problem]) -> None:
    stages = playbook.alignment.stages
    count = len(playbook.alignment.questions)
    source = next((s for name, s in sources.items() if name.startswith("alignment.")), None)
    if not stages or not count or source is None:
        return
    low_total, high_total = count, count * 5
    ordered = sorted(enumerate(stages), key=lambda pair: pair[1].score[0])
    expected = low_total
    for index, stage in ordered:
        low, high = stage.score
        where = source.at(("stages", index, "score"))
        if low > expected:
            problems.append(
                Problem(
                    source.path,
                    *where,
                    "score-bands",
                    f"no stage covers totals {expected} to {low - 1}",
                    f"with {count} statements scored 1-5 the bands must cover {low_total} to {high_total} without gaps; "
                    f"start `{stage.id}` at {expected} or widen the band below it",
                )
            )
        elif low < expected:
            problems.append(
                Problem(
                    source.path,
                    *where,
                    "score-bands",
                    f"stage `{stage.id}` band [{low}, {high}] overlaps the band below it (or starts below {low_total})",
                    f"start `{stage.id}` at {expected}: each total must fall in exactly one band",
                )
            )
        expected = max(expected, high + 1)
    if expected <= high_total:
        index, stage = ordered[-1]
        problems.append(
            Problem(
                source.path,
                *source.at(("stages", index, "score")),
                "score-bands",
                f"no stage covers totals {expected} to {high_total}",
                f"with {count} statements the highest possible total is {high_total}: end the top band there",
            )
        )
    elif expected > high_total + 1:
        index, stage = ordered[-1]
        problems.append(
            Problem(
                source.path,
                *source.at(("stages", index, "score")),
                "score-bands",
                f"stage `{stage.id}` band ends at {stage.score[1]}, above the highest possible total {high_total}",
                f"with {count} statements scored 1-5, end the top band at {high_total}",
            )
        )


def _check_text_links(
    playbook: Playbook, sources: dict[str, Source], problems: list[Problem], invalid: set[tuple[str, str]]
) -> None:
    for source in sources.values():
        if not any("](" in line or "\\" in line for line in source.lines):
            continue  # no link in the file (an escape could spell one: such files are read whole)
        for loc, text in iter_strings(source.data):
            if "](" not in text:
                continue
            for match in _LINK_RE.finditer(text):
                link = ENTITY_LINK_RE.match(match.group(2))
                if not link:
                    continue
                kind, ref = link.groups()
                targets = playbook.collection(kind)
                if ref not in targets and (kind, ref) not in invalid and (kind, "*") not in invalid:
                    problems.append(
                        Problem(
                            source.path,
                            *source.at(loc),
                            "dangling-link",
                            f"the link `{match.group(2)}` points to no {KIND_LABELS[kind]}",
                            did_you_mean(ref, targets) or f"known: {', '.join(sorted(targets)[:12])}",
                        )
                    )
