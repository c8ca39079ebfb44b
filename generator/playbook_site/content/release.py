"""What a published version holds. Pure: no I/O.

A published version is what leadership agreed. `draft` entities never ship: `without_drafts`
removes them. A definition that ships and refers to a draft would be incomplete (a link to
nothing, an owner nobody can read about), so `release_problems` lists every such reference, naming
both entities, and publishing refuses until they are fixed. `proposed` entities ship, with their
badge. In an ordinary build none of this applies: drafts are shown with their badge.

`Release` describes a version being published (its name, title, date, the aliases that mark the
current version and its "What changed" page); publishing hands it to the site build.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..errors import Problem
from .kinds import KINDS, PLAYBOOK, REPORT_KINDS
from .refs import references
from .rules import band_gaps
from .schema import Alignment, Checklist, Glossary, Playbook, display_name
from .yaml_reader import Source

# (kind, entity id, location inside the entity) -> (path, line, column) of a problem
Locate = Callable[[str, str, tuple[Any, ...]], tuple[str, int, int]]


@dataclass(frozen=True)
class ReaderChange:
    """One line of a version's "What changed": an entity added, removed or changed, in plain words."""

    kind: str  # "playbook" for playbook.yml
    id: str
    title: str  # "Sales Accepted Lead (SAL)"
    kind_label: str  # "lead stage"
    change: str  # added | removed | changed
    sentences: tuple[str, ...] = ()  # for a change: what changed, one phrase a field


@dataclass(frozen=True)
class ReaderNumber:
    """One result or practice in a version's "What changed": "Win rate, 2026-Q3: 24% against a target of 27%"."""

    kind: str  # "kpi" (a result) or "step" (a practice recorded)
    id: str
    title: str
    when: str  # the period or the date
    what: str


@dataclass(frozen=True)
class Release:
    """A version being published, as the site build needs it: the version, and its "What changed"
    page against the previous version (`compared`: "first", "compared", "no-export" or "unreadable").
    A release build with no version (`release: true` in mkdocs.yml) leaves drafts out and has no
    "What changed" page."""

    version: str
    title: str
    date: date
    current: tuple[str, ...] = ()  # the aliases that mark the current version ("latest")
    previous_version: str = ""
    previous_title: str = ""
    compared: str = "first"
    changes: tuple[ReaderChange, ...] = ()
    numbers: tuple[tuple[str, tuple[ReaderNumber, ...]], ...] = ()  # (section title, its lines)
    # (role id, the changes that touch it: its own fields, the KPIs it owns or is measured on, the lead
    # stages it owns or receives, the checklist steps it takes part in), in the order of the roles
    for_roles: tuple[tuple[str, tuple[ReaderChange, ...]], ...] = ()

    def changes_for(self, role_id: str) -> tuple[ReaderChange, ...]:
        """The changes of this version that touch a role (none when nothing was compared)."""
        return next((items for found, items in self.for_roles if found == role_id), ())


# --- what ships --------------------------------------------------------------------------------


def without_drafts(playbook: Playbook) -> Playbook:
    """The playbook as it is published: every `draft` entity left out (the rest keeps its order)."""

    def keep(items: Mapping[str, Any]) -> dict[str, Any]:
        return {entity_id: entity for entity_id, entity in items.items() if entity.status != "draft"}

    def kept(items: list[Any]) -> list[Any]:
        return [item for item in items if item.status != "draft"]

    released = Playbook(
        meta=playbook.meta,
        roles=keep(playbook.roles),
        leads=keep(playbook.leads),
        kpis=keep(playbook.kpis),
        checklist=Checklist.model_construct(steps=kept(playbook.checklist.steps)),
        alignment=Alignment.model_construct(stages=kept(playbook.alignment.stages), questions=kept(playbook.alignment.questions)),
        glossary=Glossary.model_construct(terms=kept(playbook.glossary.terms)),
    )
    # The numbers of what ships: a draft KPI's results and a draft step's record stay out with them.
    released.results = {kpi_id: results for kpi_id, results in playbook.results.items() if kpi_id in released.kpis}
    released.activity = tuple(entry for entry in playbook.activity if entry.step in released.steps)
    released.survey, released.survey_views = playbook.survey, playbook.survey_views  # the rounds ship whole
    kept_files = {("results", kpi_id) for kpi_id in released.results} | ({("activity", "")} if released.activity else set())
    kept_files |= {("survey", found.period.text) for found in playbook.survey}
    released.sources = {
        (kind, entity_id): path
        for (kind, entity_id), path in playbook.sources.items()
        if (kind, entity_id) in kept_files
        or (kind not in ("results", "activity", "survey") and entity_id in released.collection(kind))
    }
    return released


def released(playbook: Playbook, release: Release | None) -> Playbook:
    """The playbook a release build renders: without drafts, labelled with the published version."""
    result = without_drafts(playbook)
    if release is not None and release.version:
        result = replace(result, meta=result.meta.model_copy(update={"version": release.version}))
    return result


def drafts(playbook: Playbook) -> list[tuple[str, str]]:
    """(kind, id) of every draft entity: what a published version leaves out."""
    return [(kind, entity.id) for kind, entity in playbook.iter_entities() if entity.status == "draft"]


# --- where a problem is told -------------------------------------------------------------------


def default_locate(playbook: Playbook, content_dir: str = "content") -> Locate:
    """Problems placed at the entity's file (no line): for a playbook without its YAML sources."""

    def locate(kind: str, entity_id: str, loc: tuple[Any, ...]) -> tuple[str, int, int]:
        path = "playbook.yml" if kind == PLAYBOOK else playbook.sources.get((kind, entity_id), "")
        return (f"{content_dir}/{path}" if path else content_dir), 0, 0

    return locate


def source_locate(playbook: Playbook, sources: Mapping[str, Source], display: Callable[[str], str]) -> Locate:
    """Problems placed at the line and column of the reference, from the loader's `sources`
    (content-relative path -> `Source`); `display` turns a content-relative path into the path shown."""
    fallback = default_locate(playbook)
    positions = {
        (kind.name, item.id): (kind.list_key, index)
        for kind in KINDS.values()
        if kind.list_key
        for index, item in enumerate(playbook.collection(kind.name).values())
    }

    def locate(kind: str, entity_id: str, loc: tuple[Any, ...]) -> tuple[str, int, int]:
        if kind == PLAYBOOK:
            rel = next((name for name in ("playbook.yml", "playbook.yaml") if name in sources), "")
            prefix: tuple[Any, ...] = ()
        else:
            rel = playbook.sources.get((kind, entity_id), "")
            prefix = positions.get((kind, entity_id), ())
        source = sources.get(rel)
        if source is None:
            return fallback(kind, entity_id, loc)
        line, column = source.at(prefix + tuple(loc))
        return display(rel), line, column

    return locate


# --- what stops a release ----------------------------------------------------------------------


def _describe(playbook: Playbook, kind: str, entity_id: str) -> str:
    if kind == PLAYBOOK:
        return "the playbook (playbook.yml)"
    entity = playbook.collection(kind)[entity_id]
    return f"{entity.status} {REPORT_KINDS[kind].label} `{entity_id}` ({display_name(entity)})"


def draft_references(playbook: Playbook, locate: Locate | None = None) -> list[Problem]:
    """A problem for every entity that would be published (not a draft) and refers to a draft one."""
    locate = locate or default_locate(playbook)
    problems = []
    seen: set[tuple[Any, ...]] = set()
    for ref in references(playbook):
        source = playbook.meta if ref.kind == PLAYBOOK else playbook.collection(ref.kind).get(ref.id)
        target = playbook.collection(ref.target_kind).get(ref.target_id)
        if source is None or target is None or source.status == "draft" or target.status != "draft":
            continue
        key = (ref.kind, ref.id, ref.loc, ref.target_kind, ref.target_id)
        if key in seen:
            continue
        seen.add(key)
        path, line, column = locate(ref.kind, ref.id, ref.loc)
        target_path = locate(ref.target_kind, ref.target_id, ("status",))[0]
        target_label = REPORT_KINDS[ref.target_kind].label
        problems.append(
            Problem(
                path,
                line,
                column,
                "draft-reference",
                f"{_describe(playbook, ref.kind, ref.id)} refers to draft {target_label} `{ref.target_id}`"
                f" ({display_name(target)}) in {ref.via}; drafts are left out of a published version,"
                " so this definition would be incomplete",
                f"agree the {target_label} first (`status: proposed` or `agreed` in {target_path}), or remove the"
                " reference; then commit and publish again",
            )
        )
    return problems


def release_problems(playbook: Playbook, locate: Locate | None = None) -> list[Problem]:
    """Everything that stops the playbook from being published (each an error, in file order)."""
    locate = locate or default_locate(playbook)
    problems = []
    if playbook.meta.status == "draft":
        path, line, column = locate(PLAYBOOK, "", ("status",))
        problems.append(
            Problem(
                path,
                line,
                column,
                "draft-playbook",
                "the playbook itself is a draft (`status: draft` in playbook.yml), so there is nothing to publish",
                "set `status: proposed` or `agreed` (or remove `status`), commit, and publish again",
            )
        )
    problems += draft_references(playbook, locate)
    problems += _diagnostic_problems(playbook, locate)
    return sorted(problems)


def _diagnostic_problems(playbook: Playbook, locate: Locate) -> list[Problem]:
    """Without its draft stages and statements the diagnostic's bands must still cover every total."""
    left_out = [
        (kind, item.id) for kind in ("stage", "question") for item in playbook.collection(kind).values() if item.status == "draft"
    ]
    if not left_out:
        return []
    bands = [(stage.id, stage.score[0], stage.score[1]) for stage in playbook.alignment.stages if stage.status != "draft"]
    count = sum(1 for question in playbook.alignment.questions if question.status != "draft")
    if not band_gaps(bands, count):
        return []
    kind, entity_id = left_out[0]
    path, line, column = locate(kind, entity_id, ("status",))
    names = ", ".join(f"{REPORT_KINDS[k].label} `{i}`" for k, i in left_out)
    return [
        Problem(
            path,
            line,
            column,
            "draft-diagnostic",
            f"without its drafts ({names}) the published self-assessment's score bands would not cover every"
            f" total from {count} to {count * 5}",
            "agree the draft stages and statements (`status: proposed` or `agreed`), or change the bands of the"
            " others so that they cover every total without them",
        )
    ]
