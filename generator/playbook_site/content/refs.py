"""The one reference walker: every place where one entity names another.

A reference is a field declared with `Meta(ref=...)` in the schema (`owner`,
`kpis`, `handoff.to`, `see_also`, playbook.yml's `alignment.current`, ...) or an
entity link inside text (`[AE](role:account-executive)`). The cross-reference
rules, the release checks, the change report's "used by" and the site's
back-links all walk them here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .kinds import KIND_NAMES, PLAYBOOK
from .markup import entity_link, links
from .schema import ENTITY_MODELS, Meta, Playbook, PlaybookMeta, meta_of


@dataclass(frozen=True)
class FieldRef:
    """A field that names entities: `lead.handoff.to` -> role."""

    kind: str  # the referring kind ("playbook" for playbook.yml)
    path: tuple[str, ...]  # ("handoff", "to")
    target: str  # the kind it names; "*" any kind (`see_also`: an id or `kind:id`)
    many: bool  # a list of references
    meta: Meta

    @property
    def name(self) -> str:
        return ".".join(self.path)


def _field_refs(kind: str, model: type[BaseModel], prefix: tuple[str, ...] = ()) -> Iterator[FieldRef]:
    for name, info in model.model_fields.items():
        meta = meta_of(model, name)
        if meta is not None and meta.ref:
            yield FieldRef(kind, prefix + (name,), meta.ref, meta.shape == "refs", meta)
            continue
        nested = _nested_model(info.annotation)
        if nested is not None:
            yield from _field_refs(kind, nested, prefix + (name,))


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


# Every reference field, the playbook's first, then each kind's in the schema's order.
FIELD_REFS: tuple[FieldRef, ...] = (
    *_field_refs(PLAYBOOK, PlaybookMeta),
    *(ref for kind in KIND_NAMES for ref in _field_refs(kind, ENTITY_MODELS[kind])),
)


def value_at(entity: Any, path: tuple[str, ...]) -> Any:
    """The value at a dotted path of an entity, None when a step is missing."""
    for part in path:
        entity = getattr(entity, part, None)
        if entity is None:
            return None
    return entity


@dataclass(frozen=True)
class Reference:
    """One entity names another, by a field or by a link in text."""

    kind: str  # "playbook" for playbook.yml
    id: str  # "" for playbook.yml
    loc: tuple[Any, ...]  # inside the entity, as in its YAML: ("handoff", "to"), ("kpis", 1)
    target_kind: str  # "*": a `see_also` id not yet resolved to a kind
    target_id: str  # as written
    field: FieldRef | None = None  # None for a link in text

    @property
    def via(self) -> str:
        """How, for messages: "`owner`", "a link in `definition`"."""
        if self.field is not None:
            return f"`{self.field.name}`"
        return f"a link in `{'.'.join(str(part) for part in self.loc if not isinstance(part, int))}`"


def _referrers(playbook: Playbook, kind: str) -> Iterator[tuple[str, Any]]:
    if kind == PLAYBOOK:
        yield "", playbook.meta
    else:
        yield from playbook.collection(kind).items()


def field_references(playbook: Playbook, *, kinds: tuple[str, ...] | None = None) -> Iterator[Reference]:
    """Every reference made by a field, field by field (all roles' `reports_to`, then their `kpis`, ...)."""
    for ref in FIELD_REFS:
        if kinds is not None and ref.kind not in kinds:
            continue
        for entity_id, entity in _referrers(playbook, ref.kind):
            value = value_at(entity, ref.path)
            if value is None:
                continue
            for index, target in enumerate(value if ref.many else [value]):
                yield Reference(ref.kind, entity_id, ref.path + ((index,) if ref.many else ()), ref.target, target, ref)


def iter_strings(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text value in parsed data, with its location."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from iter_strings(value, loc + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_strings(value, loc + (index,))


def entity_links(text: str) -> Iterator[tuple[str, str, str]]:
    """(kind, id, target as written) of every `[label](kind:id)` link in a text."""
    for link in links(text):
        found = entity_link(link.href)
        if found:
            yield found[0], found[1], link.href


def text_references(playbook: Playbook) -> Iterator[Reference]:
    """Every entity link inside the text of an entity (editor notes aside: readers never see them)."""
    owners: list[tuple[str, str, Any]] = [(PLAYBOOK, "", playbook.meta)]
    owners += [(kind, entity.id, entity) for kind, entity in playbook.iter_entities()]
    for kind, entity_id, entity in owners:
        for loc, text in iter_strings(entity.model_dump(mode="python", exclude={"id", "notes"})):
            for target_kind, target_id, _written in entity_links(text):
                yield Reference(kind, entity_id, loc, target_kind, target_id)


def references(playbook: Playbook) -> Iterator[Reference]:
    """Every reference in the playbook, `see_also` resolved to the entities it names."""
    for ref in field_references(playbook):
        if ref.target_kind != "*":
            yield ref
            continue
        for target_kind, target in playbook.find(ref.target_id):
            yield Reference(ref.kind, ref.id, ref.loc, target_kind, target.id, ref.field)
    yield from text_references(playbook)


class Backlinks:
    """What refers to what, by field, computed once: `of("role", "reports_to")[id]` lists the roles
    that report to `id`, in the content's order."""

    def __init__(self, playbook: Playbook) -> None:
        self._index: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for ref in field_references(playbook, kinds=KIND_NAMES):
            assert ref.field is not None
            self._index[(ref.kind, ref.field.name)][ref.target_id].append(ref.id)

    def of(self, kind: str, field: str) -> dict[str, list[str]]:
        return self._index[(kind, field)]
