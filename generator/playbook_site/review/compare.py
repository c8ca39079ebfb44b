"""Semantic changes between two playbooks. Pure: no I/O.

A reviewer should not have to read YAML diffs. `compare` turns two validated playbooks into a
`ChangeSet`: entities added, removed, renamed (same id, new name) and changed field by field, with
old and new values, the list items added and removed, what refers to each changed entity, who must
approve it, and whether it alters an agreed definition or is minor (wording only). What each field
is (its label, whether it alters a definition, whether readers see it, what it refers to) is read
from the schema's `Meta` declarations; the report formats live in `reports` and `reader`.

    from playbook_site.review import compare
    changes = compare(old_playbook, new_playbook)     # -> ChangeSet
    changes.is_empty                                  # True when nothing changed
    changes.entities                                  # tuple[EntityChange, ...], in report order
    changes.by_kind()                                 # [(kind, heading, [EntityChange, ...]), ...]
    changes.definition_changes, changes.minor_changes # the two impact groups
    changes.approval_groups()                         # [(handles, is_default, [EntityChange, ...]), ...]: the base's
    changes.approver_changes()                        # [EntityChange, ...] whose approvers the proposal changes
    changes.numbers                                   # tuple[NumbersChange, ...]: results and activity (review.numbers)

`EntityChange` has `kind`, `id`, `change` ("added" | "removed" | "renamed" | "changed"), `name`,
`old_name`, `impact` ("definition" | "minor"), `file` (content-relative), `fields`
(tuple[FieldChange]), `used_by` (tuple[UsedBy]), `approvers` and `default_approvers` (the BASE
revision's: who must approve is never the proposal's choice) and `proposed_approvers` ((handles,
is_default) the entity would have once merged, when the proposal changes them; None otherwise).
`FieldChange` has `field` (the YAML path, e.g. "handoff.sla_hours"), `label` ("hand-off SLA"),
`impact`, `reader_visible`, `old`/`new` (JSON values), `before`/`after` (human text), `added` and
`removed` (list items, human text), `summary` (short phrase) and `sentence` (full phrase).

Classification. Changes that alter an agreed definition: criteria (entry, exit, signals), formulas,
targets, SLAs and hand-offs, ownership (owner, responsibilities, boundaries, reporting line,
shared KPIs, participants, approvers), status, unit and direction, abbreviations, funnel position,
score bands, CRM mappings, reason codes. Wording only (minor): names, summaries, descriptions and
definition text, onboarding steps, next steps, see-also links, review dates and editor notes (notes
and review dates are not shown to readers). Adding or removing an entity alters the definitions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from ..content.kinds import KIND_NAMES, PLAYBOOK, REPORT_KINDS
from ..content.refs import FIELD_REFS, value_at
from ..content.schema import (
    DEFINITION,
    ENTITY_MODELS,
    GOVERNANCE_FIELDS,
    MINOR,
    Meta,
    Playbook,
    PlaybookMeta,
    Status,
    display_name,
    meta_of,
)
from ..content.units import amount
from ..text import collapse, format_number
from .codeowners import default_approvers, entity_approvers, file_owners
from .numbers import NumbersChange, compare_numbers

KIND_ORDER = tuple(REPORT_KINDS)  # playbook.yml first, then the kinds in the order of the site
KIND_HEADINGS = {name: kind.heading for name, kind in REPORT_KINDS.items()}
_POSITION = Meta("position in the checklist", "position", MINOR)  # a step's place among the steps


# --- what each field is ------------------------------------------------------------------------


def _nested(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model of a nested mapping compared field by field (`handoff`, `alignment`)."""
    annotation = model.model_fields[name].annotation
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _specs(model: type[BaseModel]) -> dict[str, Meta]:
    """{flattened field name: Meta} of a model, nested mappings flattened (`handoff.sla_hours`)."""
    specs: dict[str, Meta] = {}
    for name in model.model_fields:
        if name == "id":
            continue
        meta = meta_of(model, name)
        nested = _nested(model, name) if meta is None else None
        if nested is not None:
            specs.update({f"{name}.{sub}": spec for sub, spec in _specs(nested).items()})
        else:
            specs[name] = meta or _fallback(name)
        if model is ENTITY_MODELS["step"] and name == "title":
            specs["position"] = _POSITION
    return specs


def _fallback(name: str) -> Meta:
    """A field declared without `Meta` is still compared: as text, minor."""
    return Meta(name.replace("_", " ").replace(".", " "), "short", MINOR)


SPECS: dict[str, dict[str, Meta]] = {PLAYBOOK: _specs(PlaybookMeta), **{kind: _specs(ENTITY_MODELS[kind]) for kind in KIND_NAMES}}


def spec_for(kind: str, name: str) -> Meta:
    """The spec of a (flattened) field; a field without one is compared as text, minor."""
    if name in SPECS[kind]:
        return SPECS[kind][name]
    if name.startswith("crm."):
        return Meta(f"CRM value in {name[4:]}")
    return _fallback(name)


# --- the result --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    impact: str
    reader_visible: bool
    old: Any
    new: Any
    before: str
    after: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    summary: str = ""
    sentence: str = ""
    prose: bool = False  # long text: reports show a word-level diff


@dataclass(frozen=True)
class UsedBy:
    relation: str  # from the changed entity's side: "roles measured on it"
    kind: str
    id: str
    name: str


@dataclass(frozen=True)
class EntityChange:
    kind: str
    id: str
    change: str  # added | removed | renamed | changed
    name: str
    old_name: str | None
    abbreviation: str | None
    impact: str
    file: str
    fields: tuple[FieldChange, ...] = ()
    used_by: tuple[UsedBy, ...] = ()
    approvers: tuple[str, ...] = ()  # the base revision's, as GitHub's CODEOWNERS of the base asks
    default_approvers: bool = True
    proposed_approvers: tuple[tuple[str, ...], bool] | None = None  # (handles, is_default) after the merge, if different

    @property
    def kind_label(self) -> str:
        return REPORT_KINDS[self.kind].label

    @property
    def title(self) -> str:
        """The name as a reader knows it: "Sales Accepted Lead (SAL)"."""
        if self.abbreviation and self.abbreviation.lower() != self.name.lower():
            return f"{self.name} ({self.abbreviation})"
        return self.name

    @property
    def summary(self) -> str:
        if self.change == "added":
            return f"new {self.kind_label}"
        if self.change == "removed":
            return "removed"
        return "; ".join(f.summary for f in self.fields)

    def reader_fields(self) -> tuple[FieldChange, ...]:
        return tuple(f for f in self.fields if f.reader_visible)


@dataclass(frozen=True)
class ChangeSet:
    entities: tuple[EntityChange, ...] = ()
    numbers: tuple[NumbersChange, ...] = ()  # results and activity, apart from the definitions

    @property
    def is_empty(self) -> bool:
        return not self.entities and not self.numbers

    @property
    def definition_changes(self) -> tuple[EntityChange, ...]:
        return tuple(e for e in self.entities if e.impact == DEFINITION)

    @property
    def minor_changes(self) -> tuple[EntityChange, ...]:
        return tuple(e for e in self.entities if e.impact == MINOR)

    def by_kind(self) -> list[tuple[str, str, list[EntityChange]]]:
        groups: dict[str, list[EntityChange]] = {}
        for entity in self.entities:
            groups.setdefault(entity.kind, []).append(entity)
        return [(kind, KIND_HEADINGS[kind], groups[kind]) for kind in KIND_ORDER if kind in groups]

    def approval_groups(self) -> list[tuple[tuple[str, ...], bool, list[EntityChange | NumbersChange]]]:
        """Changed entities (and numbers) grouped by who may approve them (one approval from each group)."""
        groups: dict[tuple[tuple[str, ...], bool], list[EntityChange | NumbersChange]] = {}
        for entity in self.definition_changes + self.minor_changes + self.numbers:
            groups.setdefault((entity.approvers, entity.default_approvers), []).append(entity)
        # Named approvers first, then the defaults, then changes nobody is named for.
        ordered = sorted(groups.items(), key=lambda item: (not item[0][0], item[0][1]))
        return [(handles, default, entities) for (handles, default), entities in ordered]

    def approver_changes(self) -> list[EntityChange]:
        """The entities whose approvers the proposal changes (a proposed change, decided by the base's approvers)."""
        return [e for e in self.definition_changes + self.minor_changes if e.proposed_approvers is not None]


# --- values as people read them ------------------------------------------------------------------


def _value_json(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_value_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _value_json(v) for k, v in value.items()}
    return value


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def _flat_fields(kind: str, entity: Any, position: int | None) -> dict[str, Any]:
    """The entity's fields as {flattened name: value}, the schema's order with governance last."""
    out: dict[str, Any] = {}
    names = [n for n in SPECS[kind] if n.split(".")[0] not in GOVERNANCE_FIELDS] + list(GOVERNANCE_FIELDS)
    for name in names:
        if SPECS[kind][name].shape == "mapping":
            for key, item in sorted((getattr(entity, name) or {}).items()):
                out[f"{name}.{key}"] = item
        elif name == "position":
            out[name] = position
        else:
            out[name] = value_at(entity, tuple(name.split(".")))
    return out


def _ref_name(playbook: Playbook, target_kind: str, ref: str) -> str:
    if target_kind != "*":
        entity = playbook.collection(target_kind).get(ref)
        return display_name(entity) if entity is not None else ref
    found = playbook.find(ref)
    return display_name(found[0][1]) if len(found) == 1 else ref


def _amount(value: float, unit: tuple[str, str], percent: bool = False) -> str:
    number = format_number(value)
    if percent:
        return f"{number}%"
    word = unit[0] if value == 1 else unit[1]
    return f"{number} {word}" if word else number


def _show(spec: Meta, value: Any, playbook: Playbook, entity: Any) -> str:
    """A value as a person reads it."""
    if _empty(value):
        return ""
    shape = spec.shape
    if shape == "ref":
        return _ref_name(playbook, spec.ref, value)
    if shape == "enum":
        return spec.values.get(value, str(value))
    if shape == "number":
        return _amount(value, spec.unit)
    if shape == "target":
        shown = amount(value.value, entity.unit, entity.currency)
        return f"{shown} per {value.period}" if value.period else shown
    if shape == "function":
        return playbook.function_name(value)
    if shape == "band":
        return f"{value[0]}–{value[1]}"
    if shape == "date":
        return str(value.isoformat())
    if shape == "position":
        return f"step {value}"
    if shape in ("refs", "texts", "handles", "functions"):
        return "; ".join(_items(spec, value, playbook))
    return collapse(value)


def _items(spec: Meta, values: Iterable[Any], playbook: Playbook) -> list[str]:
    if spec.shape == "refs":
        return [_ref_name(playbook, spec.ref, v) for v in values]
    if spec.shape == "functions":
        return [f"{collapse(v.name)} ({v.id})" for v in values]
    return [collapse(v) for v in values]


def _quote(text: str) -> str:
    return f"“{text}”"


def _count(number: int, noun: tuple[str, str]) -> str:
    if number == 1:
        article = "an" if noun[0][:1].lower() in "aeio" else "a"
        return f"{article} {noun[0]}"
    return f"{number} {noun[1]}"


def _from_to(before: str, after: str) -> str:
    """ "from 8 to 4 hours", "from 27% to 31% per quarter": what both values share is said once."""
    for pattern in (r" per \w+$", r" [a-z]+$"):
        tail_b, tail_a = re.search(pattern, before), re.search(pattern, after)
        if tail_b and tail_a and tail_b.group() == tail_a.group():
            return f"from {before[: tail_b.start()]} to {after}"
    return f"from {before} to {after}"


def _multiset_diff(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]]:
    remaining = list(old)
    added = []
    for item in new:
        if item in remaining:
            remaining.remove(item)
        else:
            added.append(item)
    return added, remaining


# --- one field ---------------------------------------------------------------------------------

_STATUS_PHRASES: dict[Status, str] = {
    "retired": "retired",
    "agreed": "now agreed",
    "proposed": "now proposed",
    "draft": "back to draft",
}


@dataclass(frozen=True)
class _Sides:
    """The two playbooks and entities a field change is read against."""

    old_pb: Playbook
    new_pb: Playbook
    old_entity: Any
    new_entity: Any


def _field_change(name: str, spec: Meta, old: Any, new: Any, sides: _Sides) -> FieldChange | None:
    if old == new or (_empty(old) and _empty(new)):
        return None
    before, after = _show(spec, old, sides.old_pb, sides.old_entity), _show(spec, new, sides.new_pb, sides.new_entity)
    if spec.shape == "ref" and before == after:  # two entities of the same name: tell them apart by id
        before, after = f"{before} ({old})", f"{after} ({new})"
    base: dict[str, Any] = {
        "field": name,
        "label": spec.label,
        "impact": spec.impact,
        "reader_visible": spec.reader,
        "old": _value_json(old),
        "new": _value_json(new),
        "before": before,
        "after": after,
    }
    if spec.shape in ("refs", "texts", "handles", "functions"):
        return _list_change(spec, old, new, sides, base)
    if spec.shape == "enum" and name == "status":
        phrase = _STATUS_PHRASES.get(new, f"status {new}")
        return FieldChange(**base, summary=phrase, sentence=phrase)
    if spec.shape == "name":
        phrase = f"{spec.label} set to {_quote(after)}" if not old else f"renamed from {_quote(before)}"
        return FieldChange(**base, summary=phrase, sentence=phrase)
    if spec.shape in ("number", "target"):
        return _number_change(name, spec, old, new, base)
    if spec.shape == "position":
        phrase = f"moves from {before} to {after}"
        return FieldChange(**base, summary=phrase, sentence=phrase)
    return _value_change(spec, old, new, base)


def _list_change(spec: Meta, old: Any, new: Any, sides: _Sides, base: dict[str, Any]) -> FieldChange:
    added_raw, removed_raw = _multiset_diff(list(old or []), list(new or []))
    added, removed = _items(spec, added_raw, sides.new_pb), _items(spec, removed_raw, sides.old_pb)
    short, full = [], []
    for items, phrase, verb in ((added, spec.gains, "gains"), (removed, spec.loses, "loses")):
        if not items:
            continue
        if phrase:
            short.append(phrase.format(items=", ".join(items)))
            full.append(phrase.format(items=", ".join(items)))
        else:
            short.append(f"{verb} {_count(len(items), spec.noun)}")
            full.append(f"{verb} {_count(len(items), spec.noun)}: " + ", ".join(_quote(item) for item in items))
    if not added and not removed:
        short = full = [f"{spec.label} reordered"]
    base["impact"] = spec.impact if (added or removed) else MINOR
    if spec.shape == "texts" and spec.reader and changed_numbers(" ".join(removed), " ".join(added)):
        base["impact"] = DEFINITION  # an onboarding step's "within 4 hours" became "within 2 hours"
    return FieldChange(**base, added=tuple(added), removed=tuple(removed), summary="; ".join(short), sentence="; ".join(full))


def _number_change(name: str, spec: Meta, old: Any, new: Any, base: dict[str, Any]) -> FieldChange:
    before, after = base["before"], base["after"]
    old_number = old.value if spec.shape == "target" and old is not None else old
    new_number = new.value if spec.shape == "target" and new is not None else new
    if _empty(old) or _empty(new):
        return _value_change(spec, old, new, base)
    same_period = spec.shape != "target" or old.period == new.period
    if name == "order":
        phrase = f"{spec.label} moves from {before} to {after}"
    elif same_period and old_number != new_number:
        verb = "rises" if new_number > old_number else "drops"
        phrase = f"{spec.label} {verb} {_from_to(before, after)}"
    else:
        phrase = f"{spec.label} changes from {before} to {after}"
    return FieldChange(**base, summary=phrase, sentence=phrase)


def _value_change(spec: Meta, old: Any, new: Any, base: dict[str, Any]) -> FieldChange:
    label, before, after = spec.label, base["before"], base["after"]
    quoted = spec.shape in ("short", "text")
    show_b, show_a = (_quote(before), _quote(after)) if quoted else (before, after)
    if _empty(old):
        phrase = f"{label} set to {show_a}"
        if spec.shape == "text":
            return FieldChange(**base, summary=f"{label} added", sentence=phrase, prose=True)
        return FieldChange(**base, summary=phrase, sentence=phrase)
    if _empty(new):
        if spec.shape == "text":
            return FieldChange(**base, summary=f"{label} removed", sentence=f"{label} removed", prose=True)
        phrase = f"{label} removed (was {show_b})"
        return FieldChange(**base, summary=phrase, sentence=phrase)
    numbers = changed_numbers(before, after) if spec.shape in ("text", "short") and spec.reader else ""
    if numbers and spec.impact == MINOR:
        base["impact"] = DEFINITION  # "within four business hours" to "within two": the agreement changed
    if spec.shape == "text":
        if numbers:
            return FieldChange(**base, summary=f"{label}: {numbers}", sentence=f"{label} reworded, {numbers}", prose=True)
        if spec.impact == MINOR:
            return FieldChange(**base, summary=f"{label} reworded", sentence=f"{label} reworded", prose=True)
        return FieldChange(**base, summary=f"{label} changes", sentence=f"new {label}: {show_a}", prose=True)
    phrase = f"{label} changes from {show_b} to {show_a}"
    return FieldChange(**base, summary=phrase, sentence=phrase)


# Numbers inside wording: digits (24, 1,000, 18.5%, 2026-03-31, 9:00), number words, fractions and months.
_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million"
    " billion first second third fourth fifth sixth seventh eighth ninth tenth half quarter twice double triple"
    " once dozen january february march april may june july august september october november december"
)
_NUMBER_RE = re.compile(r"\d[\d,.:/-]*%?|\b(?:" + "|".join(_NUMBER_WORDS.split()) + r")\b", re.IGNORECASE)


def numbers_in(text: str) -> list[str]:
    """The numbers, number words, dates and times a text states, in order."""
    return [match.group().lower().rstrip(".,") for match in _NUMBER_RE.finditer(text)]


def changed_numbers(before: str, after: str) -> str:
    """ "numbers change: four → two" when the numbers a text states change; "" when they do not."""
    old, new = numbers_in(before), numbers_in(after)
    if old == new:
        return ""
    removed, added = _multiset_diff(old, new)[1], _multiset_diff(old, new)[0]
    if removed and added:
        return f"numbers change: {', '.join(removed)} → {', '.join(added)}"
    if added:
        return f"numbers added: {', '.join(added)}"
    return f"numbers removed: {', '.join(removed)}"


# --- one entity --------------------------------------------------------------------------------


def _moved_steps(old: Playbook, new: Playbook) -> set[str]:
    """Checklist steps whose place among the steps both sides have changed (not shifted by an insert)."""
    old_ids = [s.id for s in old.checklist.steps]
    new_ids = [s.id for s in new.checklist.steps]
    common_old = [i for i in old_ids if i in set(new_ids)]
    common_new = [i for i in new_ids if i in set(old_ids)]
    matcher = difflib.SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    kept = {common_new[j] for block in matcher.get_matching_blocks() for j in range(block.b, block.b + block.size)}
    return set(common_new) - kept


def used_by(playbook: Playbook, kind: str, entity_id: str) -> tuple[UsedBy, ...]:
    """What refers to an entity, grouped by relation in the schema's order."""
    found: list[UsedBy] = []
    for ref in FIELD_REFS:
        if not ref.meta.used_by or (ref.target != "*" and ref.target != kind):
            continue
        for referrer in playbook.collection(ref.kind).values():
            value = value_at(referrer, ref.path)
            for target in value if isinstance(value, list) else ([value] if value is not None else []):
                if ref.target == "*":
                    hit = any(k == kind and e.id == entity_id for k, e in playbook.find(target))
                else:
                    hit = target == entity_id
                if hit and not (ref.kind == kind and referrer.id == entity_id):
                    found.append(UsedBy(ref.meta.used_by, ref.kind, referrer.id, display_name(referrer)))
                    break
    return tuple(found)


class _BaseApprovers:
    """Who must approve a change to an entity: the BASE revision's answer, never the proposal's.

    GitHub asks the owners that the base branch's CODEOWNERS names, and those come from the base's
    `approvers`: an entity's own, else the playbook's defaults. A new entity's file is owned by what
    the base says of that file (a file of many entities with named owners), else by the base's
    defaults. Approvers the proposal adds or removes are a proposed change (`proposed`), which these
    approvers decide on like any other change; they never replace them here. The base's owners of
    each file are worked out once (a call per entity stays constant time)."""

    def __init__(self, old: Playbook) -> None:
        self.old = old
        self.owners = file_owners(old)

    def __call__(self, old: Playbook, new: Playbook, kind: str, entity_id: str) -> tuple[tuple[str, ...], bool]:
        if kind == PLAYBOOK or old.collection(kind).get(entity_id) is not None:
            return entity_approvers(old, kind, entity_id)
        path = new.sources.get((kind, entity_id))
        owners = self.owners.get(path) if path else None
        return (owners, False) if owners else (default_approvers(old), True)

    def proposed(self, new: Playbook, kind: str, entity_id: str) -> tuple[tuple[str, ...], bool] | None:
        """The approvers the proposal would give this entity once merged, when they differ from the base's."""
        if kind != PLAYBOOK and new.collection(kind).get(entity_id) is None:
            return None  # removed: nobody approves it afterwards
        after = entity_approvers(new, kind, entity_id)
        return None if after == self(self.old, new, kind, entity_id) else after


def _entities(playbook: Playbook, kind: str) -> dict[str, Any]:
    if kind == PLAYBOOK:
        return {PLAYBOOK: playbook.meta}
    return dict(playbook.collection(kind))


def _name(kind: str, entity: Any) -> str:
    return str(entity.title) if kind == PLAYBOOK else display_name(entity)


def _entity_change(
    kind: str, entity_id: str, change: str, playbook: Playbook, entity: Any, approvers: tuple[tuple[str, ...], bool], **rest: Any
) -> EntityChange:
    """An EntityChange with what every change carries: name, file, who uses it, who approves it."""
    file = "playbook.yml" if kind == PLAYBOOK else playbook.sources.get((kind, entity_id), "")
    abbreviation = getattr(entity, "abbreviation", None)
    fields = dict(rest)
    return EntityChange(
        kind,
        entity_id,
        change,
        _name(kind, entity),
        fields.pop("old_name", None),
        str(abbreviation) if abbreviation else None,
        fields.pop("impact", DEFINITION),
        file,
        fields.pop("fields", ()),
        used_by(playbook, kind, entity_id),
        *approvers,
        fields.pop("proposed_approvers", None),
    )


def _changed_fields(
    kind: str, before: Any, after: Any, positions: tuple[int | None, int | None], sides: _Sides
) -> Iterator[FieldChange]:
    old_fields = _flat_fields(kind, before, positions[0])
    new_fields = _flat_fields(kind, after, positions[1])
    if positions == (None, None):
        old_fields.pop("position", None)
        new_fields.pop("position", None)
    for name in list(new_fields) + [n for n in old_fields if n not in new_fields]:
        change = _field_change(name, spec_for(kind, name), old_fields.get(name), new_fields.get(name), sides)
        if change is not None:
            yield change


def _kind_changes(kind: str, old: Playbook, new: Playbook, moved: set[str], base: _BaseApprovers) -> list[EntityChange]:
    old_items, new_items = _entities(old, kind), _entities(new, kind)
    old_pos = {entity_id: index for index, entity_id in enumerate(old_items, start=1)}
    new_pos = {entity_id: index for index, entity_id in enumerate(new_items, start=1)}
    found: list[tuple[tuple[int, int], EntityChange]] = []
    for entity_id in list(new_items) + [i for i in old_items if i not in new_items]:
        before, after = old_items.get(entity_id), new_items.get(entity_id)
        approvers = base(old, new, kind, entity_id)
        proposed = base.proposed(new, kind, entity_id)
        if before is None:
            sides = _Sides(old, new, None, after)
            fields = tuple(
                change
                for name, value in _flat_fields(kind, after, None).items()
                if name != "position"
                and not (name == "status" and value == "agreed")
                and (change := _field_change(name, spec_for(kind, name), None, value, sides)) is not None
            )
            added = _entity_change(kind, entity_id, "added", new, after, approvers, fields=fields, proposed_approvers=proposed)
            found.append(((0, new_pos[entity_id]), added))
        elif after is None:
            order = (0, len(new_items) + old_pos[entity_id])
            found.append((order, _entity_change(kind, entity_id, "removed", old, before, approvers)))
        else:
            positions = (old_pos[entity_id], new_pos[entity_id]) if kind == "step" and entity_id in moved else (None, None)
            fields = tuple(_changed_fields(kind, before, after, positions, _Sides(old, new, before, after)))
            if not fields:
                continue
            renamed = kind != PLAYBOOK and any(f.field in ("name", "title", "term") and f.old for f in fields)
            impact = DEFINITION if any(f.impact == DEFINITION for f in fields) else MINOR
            entity_change = _entity_change(
                kind,
                entity_id,
                "renamed" if renamed else "changed",
                new,
                after,
                approvers,
                old_name=_name(kind, before) if renamed else None,
                impact=impact,
                fields=fields,
                proposed_approvers=proposed,
            )
            found.append(((0 if impact == DEFINITION else 1, new_pos[entity_id]), entity_change))
    return [change for _, change in sorted(found, key=lambda item: item[0])]


def compare(old: Playbook, new: Playbook) -> ChangeSet:
    """Every semantic change from `old` to `new`, grouped by kind, in the order a reviewer reads them."""
    moved = _moved_steps(old, new)
    base = _BaseApprovers(old)
    return ChangeSet(
        tuple(change for kind in KIND_ORDER for change in _kind_changes(kind, old, new, moved, base)),
        compare_numbers(old, new, base),
    )
