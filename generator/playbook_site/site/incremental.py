"""Render again only the pages whose inputs changed (`playbook serve`).

While a page renders, its templates see the playbook through `Recording`: every entity the page
reads (by id, by iterating a collection, through the page's own `Numbers` or `Relations`' methods)
is recorded as (kind, id), an entity it only links to by its name's key; the playbook-wide parts
(playbook.yml, the checklist's, the alignment model's and the glossary's own fields, activity.yml, a
KPI's results) as their own keys. After an edit, `Memo.plan` compares the new playbook with the last one entity by entity and renders again
only the pages that read something that changed.

What no page records is the shape of the site, which every page may read without asking: the ids of
each kind and their order, the references between entities (the back-links `Relations` holds), the
abbreviations (the writer's memo), where each entity's file is, every page's path and title,
playbook.yml, the templates, the day, the settings. When any of them differs, every page is rendered
(`Memo.plan` says so with None). Which entities a page's own context hands it (a role page its
role, a part of the responsibility matrix its roles, steps and stages) is part of the shape too, and
those entities count as read; a page whose context holds anything else (a release's "What changed")
is rendered every time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..content.kinds import KINDS
from ..content.refs import field_references
from ..content.schema import Playbook, display_name

Key = tuple[str, str]
ANY: Key = ("*", "*")  # the page reads something no key names: rendered again after every edit
META: Key = ("playbook", "")
ACTIVITY: Key = ("activity", "")
RESULTS = "results"
# The parts of the playbook that hold a list of entities, with their own fields beside it.
PARTS = {"checklist": {"steps": "step"}, "alignment": {"stages": "stage", "questions": "question"}, "glossary": {"terms": "term"}}


class Reads:
    """The keys read by the page being rendered; `capture` also collects them for a memo of its own."""

    def __init__(self) -> None:
        self.stack: list[set[Key]] = []

    def add(self, key: Key) -> None:
        if self.stack:
            self.stack[-1].add(key)

    @contextmanager
    def capture(self) -> Iterator[set[Key]]:
        found: set[Key] = set()
        self.stack.append(found)
        try:
            yield found
        finally:
            self.stack.pop()
            if self.stack:
                self.stack[-1].update(found)


class _Mapping(Mapping[str, Any]):
    """A collection by id whose reads are recorded (its ids are part of the site's shape)."""

    def __init__(self, kind: str, data: Mapping[str, Any], reads: Reads) -> None:
        self.kind, self.data, self.reads = kind, data, reads

    def __getitem__(self, key: str) -> Any:
        self.reads.add((self.kind, key))
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data


class _List(Sequence[Any]):
    """A list of entities (the checklist's steps, ...) whose reads are recorded, item by item."""

    def __init__(self, kind: str, items: Sequence[Any], reads: Reads) -> None:
        self.kind, self.items, self.reads = kind, items, reads

    def __getitem__(self, index: Any) -> Any:
        found = self.items[index]
        for item in found if isinstance(index, slice) else [found]:
            self.reads.add((self.kind, item.id))
        return found

    def __len__(self) -> int:
        return len(self.items)


class _Part:
    """The checklist, the alignment model or the glossary: its list recorded by entity, its own
    fields as one key."""

    def __init__(self, name: str, part: Any, reads: Reads) -> None:
        self._name, self._part, self._reads = name, part, reads

    def __getattr__(self, name: str) -> Any:
        kind = PARTS[self._name].get(name)
        if kind is not None:
            return _List(kind, getattr(self._part, name), self._reads)
        self._reads.add((self._name, ""))
        return getattr(self._part, name)


class Recording:
    """The playbook as a page's templates see it, each read recorded in `reads`."""

    def __init__(self, playbook: Playbook, reads: Reads) -> None:
        self._playbook, self._reads = playbook, reads

    def collection(self, kind: str) -> Mapping[str, Any]:
        return _Mapping(kind, self._playbook.collection(kind), self._reads)

    def __getattr__(self, name: str) -> Any:
        kinds = {"roles": "role", "leads": "lead", "kpis": "kpi", "steps": "step", "stages": "stage"}
        kinds.update(questions="question", terms="term")
        if name in kinds:
            return self.collection(kinds[name])
        if name in PARTS:
            return _Part(name, getattr(self._playbook, name), self._reads)
        if name == RESULTS:
            return _Mapping(RESULTS, self._playbook.results, self._reads)
        # Where each file is, and the survey's rounds (with content.survey_numbers' cache of their
        # aggregates): the site's shape, compared whole.
        if name in ("sources", "survey", "survey_views", "_survey_views_cache"):
            return getattr(self._playbook, name)
        if name == "find":
            return self._find
        self._reads.add(META if name in ("meta", "functions", "function_name") else ACTIVITY if name == "activity" else ANY)
        return getattr(self._playbook, name)

    def named(self, kind: str, entity_id: str) -> Any:
        """An entity whose name only is shown (a link to it): what is recorded is its name."""
        self._reads.add(name_key(kind, entity_id))
        return self._playbook.collection(kind).get(entity_id)

    def _find(self, entity_id: str) -> Any:
        found = self._playbook.find(entity_id)
        for kind, entity in found:
            self._reads.add((kind, entity.id))
        return found


def name_key(kind: str, entity_id: str) -> Key:
    """The key of an entity's name (`display_name`), apart from the rest of it."""
    return ("~" + kind, entity_id)


def changed(old: Playbook, new: Playbook) -> set[Key]:
    """The keys whose value differs between two playbooks of the same shape."""
    found: set[Key] = set()
    for kind in KINDS:
        before, after = old.collection(kind), new.collection(kind)
        edited = [entity_id for entity_id, entity in after.items() if before.get(entity_id) != entity]
        found.update((kind, entity_id) for entity_id in edited)
        found.update(name_key(kind, key) for key in edited if display_name(before.get(key)) != display_name(after[key]))
    for name, lists in PARTS.items():
        if _own_fields(getattr(old, name), lists) != _own_fields(getattr(new, name), lists):
            found.add((name, ""))
    found.update((RESULTS, kpi_id) for kpi_id, rows in new.results.items() if old.results.get(kpi_id) != rows)
    if old.activity != new.activity:
        found.add(ACTIVITY)
    return found


def _own_fields(part: Any, lists: dict[str, str]) -> dict[str, Any]:
    return {name: value for name, value in vars(part).items() if name not in lists}


def shape(playbook: Playbook, specs: list[Any], settings: tuple[Any, ...]) -> tuple[Any, ...]:
    """What every page may read unrecorded: when it differs from the last render, every page renders."""
    from .abbreviations import abbreviations

    ids = tuple(tuple(playbook.collection(kind)) for kind in KINDS)
    references = tuple(field_references(playbook))
    rounds = (playbook.survey, playbook.survey_views)  # the team survey: read by the alignment and home pages
    return (
        ids,
        tuple(playbook.results),
        references,
        playbook.meta,
        sorted(abbreviations(playbook).items()),
        specs,
        settings,
        rounds,
    )


@dataclass
class Memo:
    """What the last render made and read, kept by `playbook serve` between saves."""

    playbook: Playbook | None = None
    shape: tuple[Any, ...] = ()
    pages: dict[str, tuple[frozenset[Key], Any]] = field(default_factory=dict)  # path -> (keys read, Page)
    rendered: list[str] = field(default_factory=list)  # the paths the last render rendered, in order
    full: bool = True  # the last render rendered every page

    def plan(self, playbook: Playbook, now: tuple[Any, ...]) -> set[Key] | None:
        """The keys changed since the last render, or None when every page must render."""
        if self.playbook is None or now != self.shape:
            return None
        sources = self.playbook.sources == playbook.sources
        return changed(self.playbook, playbook) if sources else None

    def summary(self, total: int) -> str:
        """What the last render did, for `serve`'s output: "pages rendered: 9 of 18 (the rest read nothing
        that changed)", or "pages rendered: all 18"."""
        if self.full:
            return f"pages rendered: all {total}"
        return f"pages rendered: {len(self.rendered)} of {total} (the rest read nothing that changed)"

    @staticmethod
    def stale(keys: frozenset[Key], changes: set[Key]) -> bool:
        return ANY in keys or not keys.isdisjoint(changes)


__all__ = ["ANY", "Memo", "Reads", "Recording", "changed", "name_key", "shape"]
