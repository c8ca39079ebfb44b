"""Which spreadsheet column is which field: read from the schema's own names and labels.

A column matches a field by the field's name (`reports_to`, `handoff.sla_hours`) or the label the
schema declares for it (`reports to`, `hand-off SLA`), case, spacing and punctuation ignored; a
nested field also by its parent's name and its own (`Target` over `Value`). Sheets are matched to
kinds by the kinds' own names (`roles`, `lead stages`, `KPIs`, `glossary`, `checklist`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from ..content.kinds import KINDS
from ..content.schema import ENTITY_MODELS, meta_of

IMPORTED_KINDS = ("role", "lead", "kpi", "step", "term")  # the kinds a sheet may hold
RACI = "raci"
Path = tuple[str, ...]


def key(text: str) -> str:
    """A name as compared: letters and digits only, case folded (`Hand-off SLA` -> `handoffsla`)."""
    return re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", text).casefold())


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (Handoff, Target), through `X | None`."""
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def field_keys(kind: str) -> dict[str, Path]:
    """{compared name: field path} of every field of a kind, by name and label."""
    model = ENTITY_MODELS[kind]
    found: dict[str, Path] = {}
    for name, info in model.model_fields.items():
        meta = meta_of(model, name)
        sub = _submodel(info.annotation)
        if sub is None:
            for alias in (name, meta.label if meta else ""):
                found.setdefault(key(alias), (name,))
            continue
        first = next(iter(sub.model_fields))
        for alias in (name, meta.label if meta else ""):
            found.setdefault(key(alias), (name, first))  # `Target` alone: its value; `Hand-off` alone: to whom
        for child in sub.model_fields:
            child_meta = meta_of(sub, child)
            aliases = [f"{name}{child}", f"{name}.{child}", (meta.label if meta else name) + child]
            if child_meta is not None:
                aliases.append(child_meta.label)
            for alias in aliases:
                found.setdefault(key(alias), (name, child))
    for alias in (KINDS[kind].label, KINDS[kind].name):  # a `Role` column of the roles sheet is the name; `Step` a step's
        found.setdefault(key(alias), (name_field(kind),))
    found.pop("", None)
    return found


def sheet_kind(name: str) -> str | None:
    """The kind a sheet (or a CSV file's stem) holds, by the kinds' own names; RACI for a RACI matrix."""
    wanted = key(name)
    if RACI in wanted:
        return RACI
    for kind in IMPORTED_KINDS:
        facts = KINDS[kind]
        names = {key(facts.name), key(facts.label), key(facts.plural), key(facts.heading), key(facts.file), key(facts.file) + "s"}
        if wanted in names or any(wanted.startswith(n) or wanted.endswith(n) for n in names if len(n) > 3):
            return kind
    return None


def is_list(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return any(get_origin(candidate) is list for candidate in (annotation, *get_args(annotation)))


def is_mapping(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return any(get_origin(candidate) is dict for candidate in (annotation, *get_args(annotation)))


def literal_values(model: type[BaseModel], path: Path) -> tuple[str, ...]:
    """The values an enum field takes (a `Literal`, through `X | None`), () for any other field."""
    holder: type[BaseModel] | None = model
    for part in path[:-1]:
        holder = _submodel(holder.model_fields[part].annotation) if holder else None
    if holder is None:
        return ()
    annotation = holder.model_fields[path[-1]].annotation
    for candidate in (annotation, *get_args(annotation)):
        values = get_args(candidate)
        if values and all(isinstance(value, str) for value in values) and str(get_origin(candidate)).endswith("Literal"):
            return tuple(values)
    return ()


def ref_kind(model: type[BaseModel], path: Path) -> str:
    """The kind a reference field points to ("" for a field that is not a reference)."""
    holder: type[BaseModel] | None = model
    for part in path[:-1]:
        holder = _submodel(holder.model_fields[part].annotation) if holder else None
    meta = meta_of(holder, path[-1]) if holder is not None else None
    return meta.ref if meta is not None and meta.shape in ("ref", "refs") else ""


def name_field(kind: str) -> str:
    """The field that names an entity of a kind: `name`, `title` (a checklist step) or `term`."""
    model = ENTITY_MODELS[kind]
    return next(field for field in ("name", "title", "term", "text") if field in model.model_fields)


def annotation_of(model: type[BaseModel], path: Path) -> Any:
    """The type a field holds (Annotated stripped by pydantic), through its parents."""
    holder: type[BaseModel] | None = model
    for part in path[:-1]:
        holder = _submodel(holder.model_fields[part].annotation) if holder else None
    return holder.model_fields[path[-1]].annotation if holder is not None else None


def _types(annotation: Any) -> list[Any]:
    """The annotation and every type inside it (through `X | None` and `Annotated`)."""
    found = [annotation]
    for inner in get_args(annotation):
        found.extend(_types(inner))
    return found


def is_number(model: type[BaseModel], path: Path) -> bool:
    return any(candidate in (int, float) for candidate in _types(annotation_of(model, path)))


def is_date(model: type[BaseModel], path: Path) -> bool:
    return any(candidate is date for candidate in _types(annotation_of(model, path)))
