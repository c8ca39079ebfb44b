"""Semantic changes between two playbooks, and the reports made from them. Pure: no I/O.

A reviewer should not have to read YAML diffs. `compare` turns two validated playbooks into a
`ChangeSet`: entities added, removed, renamed (same id, new name) and changed field by field, with
old and new values, the list items added and removed, what refers to each changed entity, who must
approve it, and whether it alters an agreed definition or is minor (wording only).

API (used by `playbook diff` and by publishing)::

    from generator.diff import compare, format_markdown, format_text, to_json, format_reader_markdown

    changes = compare(old_playbook, new_playbook)     # -> ChangeSet
    changes.is_empty                                  # True when nothing changed
    changes.entities                                  # tuple[EntityChange, ...], in report order
    changes.by_kind()                                 # [(kind, heading, [EntityChange, ...]), ...]
    changes.definition_changes, changes.minor_changes # the two impact groups
    changes.approval_groups()                         # [(handles, is_default, [EntityChange, ...]), ...]

    format_markdown(changes, base="origin/main", head="the working tree", content_dir="content")
        # a pull-request comment: short summary first, who must approve, details collapsed
    format_text(changes, base=..., head=..., content_dir=...)   # for terminals
    to_json(changes, base=..., head=..., content_dir=...)       # for tools (str, schema below)
    format_reader_markdown(changes, heading="What changed", level=2, link=None)
        # plain-language "What changed" section for readers of the published site: no approvals,
        # no editor notes or review dates, human labels instead of YAML field names; "" when
        # nothing a reader sees changed. `link(kind, id)` may return a URL for an entity's page.

`EntityChange` has `kind`, `id`, `change` ("added" | "removed" | "renamed" | "changed"), `name`,
`old_name`, `impact` ("definition" | "minor"), `file` (content-relative), `fields`
(tuple[FieldChange]), `used_by` (tuple[Reference]), `approvers` and `default_approvers`.
`FieldChange` has `field` (the YAML path, e.g. "handoff.sla_hours"), `label` ("hand-off SLA"),
`impact`, `reader_visible`, `old`/`new` (JSON values), `before`/`after` (human text), `added` and
`removed` (list items, human text), `summary` (short phrase) and `sentence` (full phrase).

Classification. Changes that alter an agreed definition: criteria (entry, exit, signals), formulas,
targets, SLAs and hand-offs, ownership (owner, responsibilities, boundaries, reporting line,
shared KPIs, participants, approvers), status, unit and direction, abbreviations, funnel position,
score bands, CRM mappings, reason codes. Wording only (minor): names, summaries, descriptions and
definition text, onboarding steps, next steps, see-also links, review dates and editor notes (notes
and review dates are not shown to readers). Adding or removing an entity alters the definitions.

JSON (`to_json`, schema 1): {"schema": 1, "base", "head", "summary": {"entities", "definition",
"minor", "added", "removed", "renamed", "changed"}, "approvals": [{"approvers", "default",
"entities"}], "changes": [{"kind", "kind_label", "id", "name", "old_name", "change", "impact",
"file", "summary", "approvers", "default_approvers", "used_by": [{"relation", "kind", "id",
"name"}], "fields": [{"field", "label", "impact", "reader_visible", "old", "new", "before",
"after", "added", "removed", "summary"}]}]}
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from .codeowners import entity_approvers
from .model import KIND_LABELS, Playbook, display_name
from .render import FUNCTION_LABELS, escape_plain, format_number

DEFINITION, MINOR = "definition", "minor"

# Kinds in the order of the site; "playbook" is playbook.yml itself.
KIND_ORDER = ("playbook", "role", "lead", "kpi", "step", "stage", "question", "term")
KIND_HEADINGS = {
    "playbook": "Playbook",
    "role": "Roles",
    "lead": "Lead stages",
    "kpi": "KPIs",
    "step": "Checklist steps",
    "stage": "Alignment stages",
    "question": "Diagnostic statements",
    "term": "Glossary terms",
}
_KIND_LABELS = {**KIND_LABELS, "playbook": "playbook"}


# --- what each field is ------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    label: str
    shape: str  # name | text | short | enum | ref | refs | texts | handles | number | target | band | date | position
    impact: str = DEFINITION
    reader: bool = True
    noun: tuple[str, str] = ("item", "items")  # list items: singular, plural
    target: str = ""  # the kind a reference points to ("" = any kind, as in see_also)
    gains: str = ""  # for reference lists: "now measured on {items}"
    loses: str = ""
    unit: tuple[str, str] = ("", "")  # numbers: singular, plural
    values: dict[str, str] = field(default_factory=dict)  # enums: value -> label


def _texts(label: str, singular: str, plural: str, impact: str = DEFINITION) -> FieldSpec:
    return FieldSpec(label, "texts", impact, noun=(singular, plural))


_CADENCES = {"weekly": "weekly", "monthly": "monthly", "quarterly": "quarterly", "yearly": "yearly", "ongoing": "ongoing"}

_GOVERNANCE: dict[str, FieldSpec] = {
    "status": FieldSpec("status", "enum"),
    "approvers": FieldSpec("approvers", "handles", reader=False, noun=("approver", "approvers")),
    "review_by": FieldSpec("review date", "date", MINOR, reader=False),
    "notes": FieldSpec("editor notes", "text", MINOR, reader=False),
}

SPECS: dict[str, dict[str, FieldSpec]] = {
    "playbook": {
        "title": FieldSpec("title", "short", MINOR),
        "organization": FieldSpec("organization", "short", MINOR),
        "summary": FieldSpec("summary", "text", MINOR),
        "alignment.current": FieldSpec("current alignment stage", "ref", target="stage"),
        "alignment.target": FieldSpec("target alignment stage", "ref", target="stage"),
        "version": FieldSpec("version", "short", MINOR),
        **_GOVERNANCE,
        "approvers": FieldSpec("default approvers", "handles", reader=False, noun=("default approver", "default approvers")),
    },
    "role": {
        "name": FieldSpec("name", "name", MINOR),
        "abbreviation": FieldSpec("abbreviation", "short"),
        "function": FieldSpec("function", "enum", values=FUNCTION_LABELS),
        "summary": FieldSpec("summary", "text", MINOR),
        "owns": FieldSpec("what it owns", "short"),
        "responsibilities": _texts("responsibilities", "responsibility", "responsibilities"),
        "not_responsible_for": _texts("not responsible for", "boundary", "boundaries"),
        "reports_to": FieldSpec("reports to", "ref", target="role"),
        "kpis": FieldSpec(
            "KPIs it is measured on",
            "refs",
            target="kpi",
            noun=("KPI", "KPIs"),
            gains="now measured on {items}",
            loses="no longer measured on {items}",
        ),
        "onboarding": _texts("onboarding steps", "onboarding step", "onboarding steps", MINOR),
    },
    "lead": {
        "name": FieldSpec("name", "name", MINOR),
        "abbreviation": FieldSpec("abbreviation", "short"),
        "order": FieldSpec("funnel position", "number"),
        "definition": FieldSpec("definition", "text", MINOR),
        "owner": FieldSpec("owner", "ref", target="role"),
        "entry_criteria": _texts("entry criteria", "entry criterion", "entry criteria"),
        "exit_criteria": _texts("exit criteria", "exit criterion", "exit criteria"),
        "handoff.to": FieldSpec("hand-off to", "ref", target="role"),
        "handoff.sla_hours": FieldSpec("hand-off SLA", "number", unit=("hour", "hours")),
        "recycle_to": FieldSpec("recycled to", "ref", target="lead"),
        "reason_codes": _texts("reason codes", "reason code", "reason codes"),
        # crm.<system> entries are added per key: "CRM value in salesforce"
    },
    "kpi": {
        "name": FieldSpec("name", "name", MINOR),
        "abbreviation": FieldSpec("abbreviation", "short"),
        "definition": FieldSpec("definition", "text", MINOR),
        "formula": FieldSpec("formula", "text"),
        "unit": FieldSpec("unit", "enum"),
        "direction": FieldSpec("direction", "enum", values={"higher": "higher is better", "lower": "lower is better"}),
        "owner": FieldSpec("owner", "ref", target="role"),
        "shared_with": FieldSpec(
            "shared with",
            "refs",
            target="role",
            noun=("role", "roles"),
            gains="now shared with {items}",
            loses="no longer shared with {items}",
        ),
        "target": FieldSpec("target", "target"),
        "cadence": FieldSpec("review cadence", "enum", values=_CADENCES),
        "stages": FieldSpec(
            "funnel stages it measures",
            "refs",
            target="lead",
            noun=("lead stage", "lead stages"),
            gains="now measures {items}",
            loses="no longer measures {items}",
        ),
        "source": FieldSpec("system of record", "short"),
    },
    "step": {
        "title": FieldSpec("title", "name", MINOR),
        "position": FieldSpec("position in the checklist", "position", MINOR),
        "description": FieldSpec("description", "text", MINOR),
        "owner": FieldSpec("owner", "ref", target="role"),
        "participants": FieldSpec("participants", "refs", target="role", noun=("participant", "participants")),
        "cadence": FieldSpec("cadence", "enum", values=_CADENCES),
        "evidence": FieldSpec("evidence", "text"),
        "kpis": FieldSpec("KPIs", "refs", target="kpi", noun=("KPI", "KPIs")),
    },
    "stage": {
        "name": FieldSpec("name", "name", MINOR),
        "score": FieldSpec("score band", "band"),
        "description": FieldSpec("description", "text", MINOR),
        "signals": _texts("signals", "signal", "signals"),
        "next_steps": _texts("next steps", "next step", "next steps", MINOR),
    },
    "question": {
        "text": FieldSpec("statement", "text", MINOR),
        "theme": FieldSpec("theme", "short", MINOR),
    },
    "term": {
        "term": FieldSpec("term", "name", MINOR),
        "abbreviation": FieldSpec("abbreviation", "short"),
        "definition": FieldSpec("definition", "text", MINOR),
        "see_also": FieldSpec("see also", "refs", MINOR, noun=("see-also link", "see-also links")),
    },
}
for _specs in SPECS.values():
    for _field, _spec in _GOVERNANCE.items():
        _specs.setdefault(_field, _spec)

_FLATTENED = {"handoff", "alignment"}  # nested mappings compared field by field
_MAPPINGS = {"crm"}  # free-form mappings compared key by key


def spec_for(kind: str, name: str) -> FieldSpec:
    """The spec of a (flattened) field; a field added to the model later is compared as text, minor."""
    if name in SPECS[kind]:
        return SPECS[kind][name]
    if name.startswith("crm."):
        return FieldSpec(f"CRM value in {name[4:]}", "short")
    return FieldSpec(name.replace("_", " ").replace(".", " "), "short", MINOR)


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
class Reference:
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
    used_by: tuple[Reference, ...] = ()
    approvers: tuple[str, ...] = ()
    default_approvers: bool = True

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS[self.kind]

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

    @property
    def is_empty(self) -> bool:
        return not self.entities

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

    def approval_groups(self) -> list[tuple[tuple[str, ...], bool, list[EntityChange]]]:
        """Changed entities grouped by who may approve them (one approval from each group)."""
        groups: dict[tuple[tuple[str, ...], bool], list[EntityChange]] = {}
        for entity in self.definition_changes + self.minor_changes:
            groups.setdefault((entity.approvers, entity.default_approvers), []).append(entity)
        # Named approvers first, then the defaults, then changes nobody is named for.
        ordered = sorted(groups.items(), key=lambda item: (not item[0][0], item[0][1]))
        return [(handles, default, entities) for (handles, default), entities in ordered]


# --- comparing ---------------------------------------------------------------------------------


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
    """The entity's fields as {flattened name: value}, in the model's order."""
    out: dict[str, Any] = {}
    names = list(type(entity).model_fields)
    for name in [n for n in names if n not in _GOVERNANCE] + [n for n in names if n in _GOVERNANCE]:
        if name == "id":
            continue
        value = getattr(entity, name)
        if name in _FLATTENED:
            sub_model = type(entity).model_fields[name].annotation
            sub_fields = list(type(value).model_fields) if value is not None else _model_fields_of(sub_model)
            for sub in sub_fields:
                out[f"{name}.{sub}"] = getattr(value, sub, None) if value is not None else None
        elif name in _MAPPINGS:
            for key, item in sorted((value or {}).items()):
                out[f"{name}.{key}"] = item
        else:
            out[name] = value
        if kind == "step" and name == "title":
            out["position"] = position
    return out


def _model_fields_of(annotation: Any) -> list[str]:
    for candidate in getattr(annotation, "__args__", (annotation,)):
        fields = getattr(candidate, "model_fields", None)
        if fields:
            return list(fields)
    return []


def _ref_name(playbook: Playbook, target_kind: str, ref: str) -> str:
    if target_kind:
        entity = playbook.collection(target_kind).get(ref)
        return display_name(entity) if entity is not None else ref
    found = playbook.find(ref)
    return display_name(found[0][1]) if len(found) == 1 else ref


def _unit_words(kpi: Any) -> tuple[str, str]:
    unit = getattr(kpi, "unit", "")
    return {"hours": ("hour", "hours"), "days": ("day", "days"), "score": ("point", "points")}.get(unit, ("", ""))


def _amount(value: float, unit: tuple[str, str], percent: bool = False) -> str:
    number = format_number(value)
    if percent:
        return f"{number}%"
    word = unit[0] if value == 1 else unit[1]
    return f"{number} {word}" if word else number


def _show(spec: FieldSpec, value: Any, playbook: Playbook, entity: Any) -> str:
    """A value as a person reads it."""
    if _empty(value):
        return ""
    shape = spec.shape
    if shape == "ref":
        return _ref_name(playbook, spec.target, value)
    if shape == "enum":
        return spec.values.get(value, str(value))
    if shape == "number":
        return _amount(value, spec.unit)
    if shape == "target":
        amount = _amount(value.value, _unit_words(entity), percent=getattr(entity, "unit", "") == "percent")
        return f"{amount} per {value.period}"
    if shape == "band":
        return f"{value[0]}–{value[1]}"
    if shape == "date":
        return value.isoformat()
    if shape == "position":
        return f"step {value}"
    if shape in ("refs", "texts", "handles"):
        return "; ".join(_items(spec, value, playbook))
    return " ".join(str(value).split())


def _items(spec: FieldSpec, values: Iterable[str], playbook: Playbook) -> list[str]:
    if spec.shape == "refs":
        return [_ref_name(playbook, spec.target, v) for v in values]
    return [" ".join(str(v).split()) for v in values]


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


_STATUS_PHRASES = {"retired": "retired", "agreed": "now agreed", "proposed": "now proposed", "draft": "back to draft"}


def _field_change(
    name: str,
    spec: FieldSpec,
    old: Any,
    new: Any,
    old_pb: Playbook,
    new_pb: Playbook,
    old_entity: Any,
    new_entity: Any,
) -> FieldChange | None:
    if old == new or (_empty(old) and _empty(new)):
        return None
    before, after = _show(spec, old, old_pb, old_entity), _show(spec, new, new_pb, new_entity)
    if spec.shape == "ref" and before == after:  # two entities of the same name: tell them apart by id
        before, after = f"{before} ({old})", f"{after} ({new})"
    label = spec.label
    base = {
        "field": name,
        "label": label,
        "impact": spec.impact,
        "reader_visible": spec.reader,
        "old": _value_json(old),
        "new": _value_json(new),
        "before": before,
        "after": after,
    }
    if spec.shape in ("refs", "texts", "handles"):
        added_raw, removed_raw = _multiset_diff(list(old or []), list(new or []))
        added, removed = _items(spec, added_raw, new_pb), _items(spec, removed_raw, old_pb)
        short, full = [], []
        if added:
            if spec.gains:
                short.append(spec.gains.format(items=", ".join(added)))
            else:
                short.append(f"gains {_count(len(added), spec.noun)}")
            full.append(
                spec.gains.format(items=", ".join(added))
                if spec.gains
                else f"gains {_count(len(added), spec.noun)}: " + ", ".join(_quote(a) for a in added)
            )
        if removed:
            if spec.loses:
                short.append(spec.loses.format(items=", ".join(removed)))
            else:
                short.append(f"loses {_count(len(removed), spec.noun)}")
            full.append(
                spec.loses.format(items=", ".join(removed))
                if spec.loses
                else f"loses {_count(len(removed), spec.noun)}: " + ", ".join(_quote(r) for r in removed)
            )
        if not added and not removed:
            short = full = [f"{label} reordered"]
        impact = spec.impact if (added or removed) else MINOR
        base["impact"] = impact
        return FieldChange(**base, added=tuple(added), removed=tuple(removed), summary="; ".join(short), sentence="; ".join(full))

    if spec.shape == "enum" and name == "status":
        phrase = _STATUS_PHRASES.get(new, f"status {new}")
        return FieldChange(**base, summary=phrase, sentence=phrase)
    if spec.shape == "name":
        if not old:
            phrase = f"{label} set to {_quote(after)}"
            return FieldChange(**base, summary=phrase, sentence=phrase)
        phrase = f"renamed from {_quote(before)}"
        return FieldChange(**base, summary=phrase, sentence=phrase)
    quoted = spec.shape in ("short", "text")
    show_b, show_a = (_quote(before), _quote(after)) if quoted else (before, after)
    if _empty(old):
        phrase = f"{label} set to {show_a}"
        if spec.shape == "text":
            return FieldChange(**base, summary=f"{label} added", sentence=phrase, prose=True)
        return FieldChange(**base, summary=phrase, sentence=phrase)
    if _empty(new):
        phrase = f"{label} removed (was {show_b})"
        if spec.shape == "text":
            return FieldChange(**base, summary=f"{label} removed", sentence=f"{label} removed", prose=True)
        return FieldChange(**base, summary=phrase, sentence=phrase)
    if spec.shape == "text":
        if spec.impact == MINOR:
            return FieldChange(**base, summary=f"{label} reworded", sentence=f"{label} reworded", prose=True)
        return FieldChange(**base, summary=f"{label} changes", sentence=f"new {label}: {show_a}", prose=True)
    if spec.shape in ("number", "target"):
        old_number = old.value if spec.shape == "target" else old
        new_number = new.value if spec.shape == "target" else new
        same_period = spec.shape != "target" or old.period == new.period
        if name == "order":
            phrase = f"{label} moves from {before} to {after}"
        elif same_period and old_number != new_number:
            verb = "rises" if new_number > old_number else "drops"
            phrase = f"{label} {verb} {_from_to(before, after)}"
        else:
            phrase = f"{label} changes from {before} to {after}"
        return FieldChange(**base, summary=phrase, sentence=phrase)
    if spec.shape == "position":
        phrase = f"moves from {before} to {after}"
        return FieldChange(**base, summary=phrase, sentence=phrase)
    phrase = f"{label} changes from {show_b} to {show_a}"
    return FieldChange(**base, summary=phrase, sentence=phrase)


def _moved_steps(old: Playbook, new: Playbook) -> set[str]:
    """Checklist steps whose place among the steps both sides have changed (not shifted by an insert)."""
    old_ids = [s.id for s in old.checklist.steps]
    new_ids = [s.id for s in new.checklist.steps]
    common_old = [i for i in old_ids if i in set(new_ids)]
    common_new = [i for i in new_ids if i in set(old_ids)]
    matcher = difflib.SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    kept = {common_new[j] for block in matcher.get_matching_blocks() for j in range(block.b, block.b + block.size)}
    return set(common_new) - kept


# The references into an entity, named from its side: (referrer kind, field, target kind, relation).
_REFERRERS: list[tuple[str, str, str, str]] = [
    ("role", "reports_to", "role", "roles reporting to it"),
    ("role", "kpis", "kpi", "roles measured on it"),
    ("lead", "owner", "role", "lead stages it owns"),
    ("lead", "handoff.to", "role", "lead stages handed off to it"),
    ("lead", "recycle_to", "lead", "lead stages recycled to it"),
    ("kpi", "owner", "role", "KPIs it owns"),
    ("kpi", "shared_with", "role", "KPIs it shares"),
    ("kpi", "stages", "lead", "KPIs that measure it"),
    ("step", "owner", "role", "checklist steps it owns"),
    ("step", "participants", "role", "checklist steps it takes part in"),
    ("step", "kpis", "kpi", "checklist steps it appears in"),
    ("term", "see_also", "", "glossary terms that link to it"),
]


def used_by(playbook: Playbook, kind: str, entity_id: str) -> tuple[Reference, ...]:
    """What refers to an entity, grouped by relation in a fixed order."""
    found: list[Reference] = []
    for ref_kind, path, target_kind, relation in _REFERRERS:
        if target_kind and target_kind != kind:
            continue
        for referrer in playbook.collection(ref_kind).values():
            value: Any = referrer
            for part in path.split("."):
                value = getattr(value, part, None) if value is not None else None
            refs = value if isinstance(value, list) else ([value] if value is not None else [])
            for ref in refs:
                hit = ref == entity_id if target_kind else any(k == kind and e.id == entity_id for k, e in playbook.find(ref))
                if hit and not (ref_kind == kind and referrer.id == entity_id):
                    found.append(Reference(relation, ref_kind, referrer.id, display_name(referrer)))
                    break
    return tuple(found)


def _approvers(old: Playbook, new: Playbook, kind: str, entity_id: str) -> tuple[tuple[str, ...], bool]:
    old_handles, old_default = entity_approvers(old, kind, entity_id)
    new_handles, new_default = entity_approvers(new, kind, entity_id)
    explicit = [
        h for handles, default in ((old_handles, old_default), (new_handles, new_default)) if not default for h in handles
    ]
    if explicit:
        return tuple(dict.fromkeys(explicit)), False
    return tuple(dict.fromkeys(old_handles + new_handles)), True


def _entities(playbook: Playbook, kind: str) -> dict[str, Any]:
    if kind == "playbook":
        return {"playbook": playbook.meta}
    return playbook.collection(kind)


def _file(playbook: Playbook, kind: str, entity_id: str) -> str:
    if kind == "playbook":
        return "playbook.yml"
    return playbook.sources.get((kind, entity_id), "")


def _abbreviation(entity: Any) -> str | None:
    value = getattr(entity, "abbreviation", None)
    return str(value) if value else None


def _name(kind: str, entity: Any) -> str:
    return str(entity.title) if kind == "playbook" else display_name(entity)


def compare(old: Playbook, new: Playbook) -> ChangeSet:
    """Every semantic change from `old` to `new`, grouped by kind, in the order a reviewer reads them."""
    moved = _moved_steps(old, new)
    changes: list[EntityChange] = []
    for kind in KIND_ORDER:
        old_items, new_items = _entities(old, kind), _entities(new, kind)
        old_pos = {entity_id: index for index, entity_id in enumerate(old_items, start=1)}
        new_pos = {entity_id: index for index, entity_id in enumerate(new_items, start=1)}
        kind_changes: list[tuple[tuple[int, int], EntityChange]] = []
        for entity_id in list(new_items) + [i for i in old_items if i not in new_items]:
            before, after = old_items.get(entity_id), new_items.get(entity_id)
            approvers, default = _approvers(old, new, kind, entity_id)
            if before is None:
                fields = tuple(
                    change
                    for name, value in _flat_fields(kind, after, None).items()
                    if name != "position"
                    and not (name == "status" and value == "agreed")
                    and (change := _field_change(name, spec_for(kind, name), None, value, old, new, None, after)) is not None
                )
                entity_change = EntityChange(
                    kind,
                    entity_id,
                    "added",
                    _name(kind, after),
                    None,
                    _abbreviation(after),
                    DEFINITION,
                    _file(new, kind, entity_id),
                    fields,
                    used_by(new, kind, entity_id),
                    approvers,
                    default,
                )
                kind_changes.append(((0, new_pos[entity_id]), entity_change))
                continue
            if after is None:
                entity_change = EntityChange(
                    kind,
                    entity_id,
                    "removed",
                    _name(kind, before),
                    None,
                    _abbreviation(before),
                    DEFINITION,
                    _file(old, kind, entity_id),
                    (),
                    used_by(old, kind, entity_id),
                    approvers,
                    default,
                )
                kind_changes.append(((0, len(new_items) + old_pos[entity_id]), entity_change))
                continue
            old_fields = _flat_fields(kind, before, old_pos[entity_id])
            new_fields = _flat_fields(kind, after, new_pos[entity_id])
            if kind == "step" and entity_id not in moved:
                old_fields.pop("position", None)
                new_fields.pop("position", None)
            names = list(new_fields) + [n for n in old_fields if n not in new_fields]
            fields = tuple(
                change
                for name in names
                if (
                    change := _field_change(
                        name, spec_for(kind, name), old_fields.get(name), new_fields.get(name), old, new, before, after
                    )
                )
                is not None
            )
            if not fields:
                continue
            renamed = any(f.field in ("name", "title", "term") and kind != "playbook" and f.old for f in fields)
            impact = DEFINITION if any(f.impact == DEFINITION for f in fields) else MINOR
            entity_change = EntityChange(
                kind,
                entity_id,
                "renamed" if renamed else "changed",
                _name(kind, after),
                _name(kind, before) if renamed else None,
                _abbreviation(after),
                impact,
                _file(new, kind, entity_id),
                fields,
                used_by(new, kind, entity_id),
                approvers,
                default,
            )
            kind_changes.append(((0 if impact == DEFINITION else 1, new_pos[entity_id]), entity_change))
        changes.extend(change for _, change in sorted(kind_changes, key=lambda item: item[0]))
    return ChangeSet(tuple(changes))


# --- shared pieces of the reports ----------------------------------------------------------------


def _plural(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def _headline(changes: ChangeSet) -> str:
    definition, minor = len(changes.definition_changes), len(changes.minor_changes)
    parts = []
    if definition:
        parts.append(f"{definition} {'changes an agreed definition' if definition == 1 else 'change agreed definitions'}")
    if minor:
        parts.append(f"{minor} {'is' if minor == 1 else 'are'} minor (wording only)")
    return f"{_plural(len(changes.entities), 'entity', 'entities')} changed: " + ", ".join(parts) + "."


def word_diff(old: str, new: str) -> list[tuple[str, str, bool]]:
    """(op, text, space before) runs of a word-level diff; op is "=", "-" or "+".

    Words and punctuation are compared one by one, so "(won + lost)" to "(won + lost + no decision)"
    is one insertion, not a changed word; the text of each run keeps its own spacing.
    """
    spans_a = [m.span() for m in _TOKEN_RE.finditer(old)]
    spans_b = [m.span() for m in _TOKEN_RE.finditer(new)]
    a, b = [old[i:j] for i, j in spans_a], [new[i:j] for i, j in spans_b]

    def run(op: str, text: str, spans: list[tuple[int, int]], first: int, last: int) -> tuple[str, str, bool]:
        start = spans[first][0]
        return (op, text[start : spans[last - 1][1]], start > 0 and text[start - 1].isspace())

    runs: list[tuple[str, str, bool]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(run("=", new, spans_b, j1, j2))
            continue
        if i2 > i1:
            runs.append(run("-", old, spans_a, i1, i2))
        if j2 > j1:
            runs.append(run("+", new, spans_b, j1, j2))
    return runs


_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def _join_runs(runs: list[tuple[str, str, bool]], keep: str, mark: Callable[[str, str], str]) -> str:
    """One side of a word diff as text: the equal runs and the `keep` runs ("-" or "+"), marked."""
    out = ""
    for op, text, space in runs:
        if op not in ("=", keep):
            continue
        out += (" " if space and out else "") + (mark(op, text) if op != "=" else mark("=", text))
    return out


def _approval_line(handles: tuple[str, ...], default: bool, code: Callable[[str], str]) -> str:
    if not handles:
        return "nobody is named (add `approvers` to the entity or to playbook.yml)"
    names = " or ".join(code(h) for h in handles) if len(handles) <= 2 else "one of " + ", ".join(code(h) for h in handles)
    return names + (" (the playbook's default approvers)" if default else "")


# --- Markdown for a pull-request comment ----------------------------------------------------------


def _gfm(text: str) -> str:
    """Content as literal text in GitHub-flavoured Markdown (a comment, a table cell)."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Parentheses, `#`, `+` and `!` are only special at the start of a line or after `]`, which content never is.
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)


def _code(text: str) -> str:
    return f"`{text}`" if "`" not in text else _gfm(text)


def _md_entity(entity: EntityChange) -> str:
    return f"{entity.kind_label.capitalize() if entity.kind != 'kpi' else 'KPI'} {_gfm(entity.title)}"


def _md_cells(change: FieldChange) -> list[tuple[str, str, str]]:
    """Table rows (what, before, after) for one field change."""
    if change.added or change.removed:
        rows = [(f"{change.label}: removed", _gfm(item), "–") for item in change.removed]
        rows += [(f"{change.label}: added", "–", _gfm(item)) for item in change.added]
        return rows
    if change.prose and change.before and change.after:
        runs = word_diff(change.before, change.after)
        marks = {"=": "{}", "-": "~~{}~~", "+": "**{}**"}
        before = _join_runs(runs, "-", lambda op, text: marks[op].format(_gfm(text)))
        after = _join_runs(runs, "+", lambda op, text: marks[op].format(_gfm(text)))
        return [(change.label, before, after)]
    if not change.before and not change.after:  # reordered
        return [(change.label, "", "reordered")]
    return [(change.label, _gfm(change.before) or "–", _gfm(change.after) or "–")]


def format_markdown(
    changes: ChangeSet,
    *,
    base: str | None = None,
    head: str | None = None,
    content_dir: str = "content",
    title: str = "Playbook change report",
) -> str:
    """A pull-request comment: the summary first, who must approve, then collapsible details."""
    out = [f"## {title}", ""]
    compared = (
        f"Comparing {_code(base)} with {head if head and head.startswith('the ') else _code(head or 'HEAD')}. " if base else ""
    )
    if changes.is_empty:
        out.append(f"{compared}No changes to the playbook's content.")
        return "\n".join(out) + "\n"
    out.append(compared + _headline(changes))
    for heading, group in (
        ("Changes to agreed definitions", changes.definition_changes),
        ("Minor changes (wording only)", changes.minor_changes),
    ):
        if group:
            out += ["", f"### {heading}", ""]
            out += [f"- **{_md_entity(e)}**: {_gfm(e.summary)}" for e in group]
    out += [
        "",
        "### Who must approve",
        "",
        "One approval from each line (from the `approvers` fields, as in `.github/CODEOWNERS`):",
        "",
    ]
    for handles, default, entities in changes.approval_groups():
        listed = ", ".join(_md_entity(e) for e in entities)
        out.append(f"- {_approval_line(handles, default, _code)}: {listed}")
    out += ["", "<details>", "<summary>Details: every field that changed, and what refers to it</summary>", ""]
    for _kind, heading, entities in changes.by_kind():
        out += [f"### {heading}", ""]
        for entity in entities:
            what = {"added": "new", "removed": "removed"}.get(
                entity.change, "definition change" if entity.impact == DEFINITION else "minor"
            )
            out += [f"#### {_gfm(entity.title)} ({what})", ""]
            where = f"`{content_dir}/{entity.file}`" if entity.file else ""
            meta = [where, f"id `{entity.id}`"] if where else [f"id `{entity.id}`"]
            if entity.old_name:
                meta.append(f"was {_gfm(entity.old_name)}")
            meta.append("approval: " + _approval_line(entity.approvers, entity.default_approvers, _code))
            out += [" · ".join(meta), ""]
            if entity.change == "added":
                out += ["| field | value |", "| --- | --- |"]
                for change in entity.fields:
                    values = change.added or (change.after,)
                    out += [f"| {_gfm(change.label)} | {_gfm(value)} |" for value in values]
                out.append("")
            elif entity.fields:
                out += ["| field | before | after |", "| --- | --- | --- |"]
                for change in entity.fields:
                    out += [f"| {_gfm(label)} | {before} | {after} |" for label, before, after in _md_cells(change)]
                out.append("")
            if entity.used_by:
                prefix = "Was used by" if entity.change == "removed" else "Used by"
                out += [f"{prefix}: " + "; ".join(_group_refs(entity.used_by, _gfm)) + ".", ""]
    out += ["</details>"]
    return "\n".join(out) + "\n"


def _group_refs(references: Iterable[Reference], escape: Callable[[str], str]) -> list[str]:
    groups: dict[str, list[str]] = {}
    for ref in references:
        groups.setdefault(ref.relation, []).append(escape(ref.name))
    return [f"{relation}: {', '.join(names)}" for relation, names in groups.items()]


# --- plain text for terminals ------------------------------------------------------------------


def _plain(text: str) -> str:
    return " ".join(str(text).split())


def _text_entity(entity: EntityChange) -> str:
    label = "KPI" if entity.kind == "kpi" else entity.kind_label.capitalize()
    return f"{label} {_plain(entity.title)}"


def format_text(changes: ChangeSet, *, base: str | None = None, head: str | None = None, content_dir: str = "content") -> str:
    """The report for a terminal: summary, approvals, then every field change."""
    out = []
    if base:
        out.append(f"Playbook changes from {base} to {head or 'HEAD'}")
    if changes.is_empty:
        out.append("No changes to the playbook's content.")
        return "\n".join(out) + "\n"
    out.append(_headline(changes))
    for heading, group in (
        ("Changes to agreed definitions", changes.definition_changes),
        ("Minor changes (wording only)", changes.minor_changes),
    ):
        if group:
            out += ["", heading + ":"]
            out += [f"  * {_text_entity(e)}: {_plain(e.summary)}" for e in group]
    out += ["", "Who must approve (one approval from each line):"]
    for handles, default, entities in changes.approval_groups():
        out.append(f"  {_approval_line(handles, default, str)}: " + ", ".join(_text_entity(e) for e in entities))
    for _kind, heading, entities in changes.by_kind():
        out += ["", heading]
        for entity in entities:
            mark = {"added": "+", "removed": "-"}.get(entity.change, "~")
            what = {"added": "new", "removed": "removed"}.get(
                entity.change, "definition change" if entity.impact == DEFINITION else "minor"
            )
            where = f"  {content_dir}/{entity.file}" if entity.file else ""
            out.append(f"  {mark} {_plain(entity.title)} [{entity.id}] ({what}){where}")
            for change in entity.fields:
                if entity.change == "added" and not change.added:
                    out.append(f"      {change.label}: {_plain(change.after)}")
                elif change.added or change.removed:
                    out.append(f"      {change.label}:")
                    out += [f"        - {_plain(item)}" for item in change.removed]
                    out += [f"        + {_plain(item)}" for item in change.added]
                elif change.prose and change.before and change.after:
                    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
                    text = ""
                    for op, run_text, space in word_diff(change.before, change.after):
                        text += (" " if space and text else "") + marks[op].format(run_text)
                    out.append(f"      {change.label}: {_plain(text)}")
                elif not change.before and not change.after:
                    out.append(f"      {change.label}: reordered")
                else:
                    out.append(f"      {change.label}: {_plain(change.before) or '(none)'} -> {_plain(change.after) or '(none)'}")
            if entity.used_by:
                prefix = "was used by" if entity.change == "removed" else "used by"
                out.append(f"      {prefix}: " + "; ".join(_group_refs(entity.used_by, _plain)))
    return "\n".join(out) + "\n"


# --- JSON for tools ------------------------------------------------------------------------------


def to_json(changes: ChangeSet, *, base: str | None = None, head: str | None = None, content_dir: str = "content") -> str:
    count = {kind: sum(e.change == kind for e in changes.entities) for kind in ("added", "removed", "renamed", "changed")}
    data = {
        "schema": 1,
        "base": base,
        "head": head,
        "content": content_dir,
        "summary": {
            "entities": len(changes.entities),
            "definition": len(changes.definition_changes),
            "minor": len(changes.minor_changes),
            **count,
        },
        "approvals": [
            {"approvers": list(handles), "default": default, "entities": [f"{e.kind}:{e.id}" for e in entities]}
            for handles, default, entities in changes.approval_groups()
        ],
        "changes": [
            {
                "kind": e.kind,
                "kind_label": e.kind_label,
                "id": e.id,
                "name": e.name,
                "old_name": e.old_name,
                "change": e.change,
                "impact": e.impact,
                "file": e.file,
                "summary": e.summary,
                "approvers": list(e.approvers),
                "default_approvers": e.default_approvers,
                "used_by": [{"relation": r.relation, "kind": r.kind, "id": r.id, "name": r.name} for r in e.used_by],
                "fields": [
                    {
                        "field": f.field,
                        "label": f.label,
                        "impact": f.impact,
                        "reader_visible": f.reader_visible,
                        "old": f.old,
                        "new": f.new,
                        "before": f.before,
                        "after": f.after,
                        "added": list(f.added),
                        "removed": list(f.removed),
                        "summary": f.summary,
                    }
                    for f in e.fields
                ],
            }
            for e in changes.entities
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- "What changed" for readers of the site ---------------------------------------------------------


def format_reader_markdown(
    changes: ChangeSet,
    *,
    heading: str = "What changed",
    level: int = 2,
    link: Callable[[str, str], str | None] | None = None,
) -> str:
    """A plain-language section for the published site, or "" when nothing a reader sees changed.

    No approvals, no editor notes or review dates, no YAML field names. Content is escaped for the
    site's Markdown; `link(kind, id)` may give the URL of an entity's page (not used for removed ones).
    """
    lines: list[str] = []
    for entity in changes.definition_changes + changes.minor_changes:
        name = f"**{escape_plain(entity.title)}**"
        if link is not None and entity.change != "removed" and entity.kind != "playbook":
            url = link(entity.kind, entity.id)
            if url:
                name = f"**[{escape_plain(entity.title)}]({url})**"
        if entity.kind == "playbook":
            name = "The playbook"
        label = _KIND_LABELS[entity.kind]
        if entity.change == "added":
            lines.append(f"- New {label}: {name}.")
            continue
        if entity.change == "removed":
            lines.append(f"- Removed {label}: {name}.")
            continue
        sentences = [escape_plain(f.sentence) for f in entity.reader_fields()]
        if not sentences:
            continue
        kind_note = "" if entity.kind == "playbook" else f" ({label})"
        text = "; ".join(sentences)
        lines.append(f"- {name}{kind_note}: {text}" + ("" if text.endswith((".", ".”", "!", "?")) else "."))
    if not lines:
        return ""
    return "\n".join([f"{'#' * level} {escape_plain(heading)}", "", *lines]) + "\n"


__all__ = [
    "ChangeSet",
    "EntityChange",
    "FieldChange",
    "Reference",
    "compare",
    "format_markdown",
    "format_reader_markdown",
    "format_text",
    "to_json",
    "used_by",
    "word_diff",
]
