"""`playbook import definitions`: a spreadsheet of roles, lead stages, KPIs, checklist steps and
glossary terms written as content, one YAML file per entity (a file for the checklist and the glossary).

Each sheet (or CSV file) is matched to a kind by its name; each column to a field (`records`). Ids
are made from names by the format's id rules, references between sheets are resolved by name,
abbreviation or id (with a did-you-mean for a near miss), lists are split at line breaks and
semicolons, and a RACI sheet (`raci`) adds responsibilities, owners and participants. Every entity
is validated by the content's own models, located at its cells, and every file's bytes are read
back by the loader's checks before anything is written. Nothing is written while a problem is left,
and an existing file is never replaced: it is listed and left.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from ..content.kinds import KINDS
from ..content.loader import check_entity, check_model
from ..content.schema import ENTITY_MODELS, FILE_MODELS, PlaybookMeta, functions_of, meta_of
from ..content.translate import ID_RE, validate_source
from ..content.yaml_reader import Source
from ..errors import Problem, UsageError, capped, did_you_mean, printable
from ..files import Folder, content_folder
from .fields import (
    IMPORTED_KINDS,
    RACI,
    field_keys,
    is_date,
    is_list,
    is_mapping,
    is_number,
    key,
    literal_values,
    name_field,
    ref_kind,
    sheet_kind,
)
from .records import Record, Sheet, read_sheet
from .sheets import Cell, Table, read_tables, text_of
from .values import ValueProblem, formula_like, parse_amount

_SPLIT_RE = re.compile(r"\s*(?:\n|;)\s*")
MAX_FILE_ID = 200  # a role's, lead stage's or KPI's id names its file: 255 bytes at most, with room for a temporary name
_BULLET_RE = re.compile(r"^(?:[-*•–—]|\d+[.)])\s+")


def make_id(name: str) -> str:
    """An id from a name by the format's rules: lower-case ASCII words joined by hyphens, starting with a letter."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    made = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return re.sub(r"^[0-9-]+", "", made)


def split_list(text: str) -> list[str]:
    """A cell's list: items at line breaks or semicolons, a pasted bullet dropped."""
    return [_BULLET_RE.sub("", item).strip() for item in _SPLIT_RE.split(text) if item.strip()]


@dataclass
class DefinitionsPlan:
    files: dict[str, bytes] = field(default_factory=dict)  # content-relative path -> bytes, to write
    existing: list[str] = field(default_factory=list)  # files that exist: listed and left
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


# --- names and references -------------------------------------------------------------------------------


class Index:
    """Every entity's id, name and abbreviation by kind, from the sheets and the content: references resolve here."""

    def __init__(self) -> None:
        self.names: dict[str, dict[str, str]] = {}  # kind -> compared name -> id
        self.shown: dict[str, list[str]] = {}  # kind -> names and ids, for did-you-mean

    def add(self, kind: str, entity_id: str, *names: str) -> None:
        found = self.names.setdefault(kind, {})
        for name in (entity_id, *names):
            if name and key(name) not in found:
                found[key(name)] = entity_id
        shown = [name for name in names if name] or [entity_id]  # a near miss is told by the name people wrote
        self.shown.setdefault(kind, []).extend(shown)

    def resolve(self, kind: str, text: str) -> str | None:
        """The id `text` names in `kind`; for "*" (any kind, as `see_also`) the id, or kind:id when two kinds have it."""
        if kind != "*":
            return self.names.get(kind, {}).get(key(text))
        found = [(each, names[key(text)]) for each, names in self.names.items() if key(text) in names]
        if len(found) == 1:
            return found[0][1]
        return f"{found[0][0]}:{found[0][1]}" if found else None

    def suggestion(self, kind: str, text: str) -> str:
        shown = [name for names in self.shown.values() for name in names] if kind == "*" else self.shown.get(kind, [])
        return did_you_mean(text, shown)


def _existing_index(content_dir: Path, index: Index) -> dict[str, str]:
    """Add the content's entities to `index` (ids always; names of the files that validate); the functions by key."""
    with Folder.at(content_dir) as folder:
        for kind in ("role", "lead", "kpi"):
            _index_folder(content_dir, folder, kind, index)
        for kind in ("step", "term"):
            stem = KINDS[kind].file
            raw = folder.read(f"{stem}.yml")
            found = check_model(raw, stem, FILE_MODELS[stem]).value if raw is not None else None
            for item in getattr(found, KINDS[kind].list_key, None) or []:
                index.add(kind, item.id, getattr(item, name_field(kind)), getattr(item, "abbreviation", "") or "")
        raw = folder.read("playbook.yml")
    meta = check_model(raw, "playbook.yml", PlaybookMeta).value if raw is not None else None
    functions = functions_of(meta.functions if isinstance(meta, PlaybookMeta) else [])
    return {key(name): function_id for function_id, item in functions.items() for name in (function_id, item.name)}


def _index_folder(content_dir: Path, folder: Folder, kind: str, index: Index) -> None:
    """The entities of roles/, leads/ or kpis/: every file's id, and the name and abbreviation of each that validates."""
    folder_path = content_dir / KINDS[kind].file
    for file in sorted(folder_path.glob("*.y*ml")) if folder_path.is_dir() else []:
        raw = folder.read(f"{KINDS[kind].file}/{file.name}")
        found = check_entity(raw, str(file), kind, file.stem) if raw is not None else None
        value = found.value if found is not None and not found.problems else None
        index.add(kind, file.stem, getattr(value, "name", ""), getattr(value, "abbreviation", "") or "")


# --- cells into values -------------------------------------------------------------------------------------


_SKIP = object()


@dataclass
class Context:
    index: Index
    functions: dict[str, str]  # compared name or id -> function id
    problems: list[Problem]
    notes: list[str]


def _problem(record: Record, column: int, code: str, message: str, hint: str) -> Problem:
    table = record.table
    return Problem(table.display, *table.at(record.row, column), code, f"{table.cell_name(record.row, column)}: {message}", hint)


def _reference(record: Record, column: int, kind: str, text: str, context: Context) -> str | None:
    found = context.index.resolve(kind, text)
    what = "role, lead stage, KPI, checklist step or glossary term" if kind == "*" else KINDS[kind].label
    if found is None:
        close = context.index.suggestion(kind, text)
        context.problems.append(
            _problem(
                record,
                column,
                "dangling-reference",
                f"there is no {what} `{printable(text)}`",
                (close + " " if close else "")
                + f"write the name, abbreviation or id of a {what} of the spreadsheet or the content",
            )
        )
    return found


def _enum(values: tuple[str, ...], model: Any, path: tuple[str, ...], text: str) -> str:
    """An enum's value from its value or its label (`higher is better`), as compared names; else the text as written."""
    meta = meta_of(model, path[-1]) if len(path) == 1 else None
    labels = dict(meta.values) if meta is not None else {}
    for value in values:
        if key(text) in (key(value), key(labels.get(value, value))):
            return value
    return text


def _number(record: Record, path: tuple[str, ...], cell: Cell, column: int, context: Context) -> Any:
    try:
        amount = parse_amount(cell)
    except ValueProblem as exc:
        context.problems.append(_problem(record, column, "bad-number", exc.message, exc.hint))
        return _SKIP
    value = amount.value
    if path == ("target", "value") and not amount.percent and key(record.text(("unit",))) == "percent" and abs(value) <= 1:
        context.notes.append(
            f"{record.table.cell_name(record.row, column)}: read the target {value:g} as {value * 100:g}% (a fraction)"
        )
        value *= 100
    return int(value) if value.is_integer() and path == ("order",) else value


def _formula(record: Record, column: int, texts: list[str], context: Context) -> bool:
    """Whether one of the texts (a cell, or each item of a list cell) is a formula: reported, never evaluated."""
    found = next((text for text in texts if formula_like(text)), None)
    if found is not None:
        context.problems.append(
            _problem(
                record,
                column,
                "bad-value",
                f"`{printable(found[:40])}` is a formula: it is never evaluated",
                "write the value itself in the cell",
            )
        )
    return found is not None


def _list(record: Record, path: tuple[str, ...], cell: Cell, column: int, context: Context) -> Any:
    items = split_list(text_of(cell))
    if _formula(record, column, items, context):
        return _SKIP
    kind = ref_kind(ENTITY_MODELS[record.kind], path)
    if not kind:
        return items
    resolved = [_reference(record, column, kind, item, context) for item in items]
    return [item for item in resolved if item is not None] if all(resolved) else _SKIP


def _mapping(record: Record, cell: Cell, column: int, context: Context) -> Any:
    """`salesforce: MQL` lines as a mapping."""
    found: dict[str, str] = {}
    items = split_list(text_of(cell))
    if _formula(record, column, [part.strip() for item in items for part in item.partition(":")[::2]], context):
        return _SKIP
    for item in items:
        name, colon, value = item.partition(":")
        if not colon or not name.strip() or not value.strip():
            context.problems.append(
                _problem(
                    record,
                    column,
                    "wrong-type",
                    f"`{printable(item)}` is not `system: value`",
                    "write one `system: value` a line, e.g. salesforce: MQL",
                )
            )
            return _SKIP
        found[name.strip()] = value.strip()
    return found


def cell_value(record: Record, path: tuple[str, ...], cell: Cell, column: int, context: Context) -> Any:
    """The value of a field from its cell, or _SKIP after reporting why it cannot be read."""
    model = ENTITY_MODELS[record.kind]
    if isinstance(cell, str) and _formula(record, column, [cell], context):
        return _SKIP
    if len(path) == 1 and is_mapping(model, path[0]):
        return _mapping(record, cell, column, context)
    if len(path) == 1 and is_list(model, path[0]):
        return _list(record, path, cell, column, context)
    if is_number(model, path):
        return _number(record, path, cell, column, context)
    if is_date(model, path) and isinstance(cell, (date, datetime)):
        return (cell.date() if isinstance(cell, datetime) else cell).isoformat()
    return _text_value(record, path, text_of(cell), column, context)


def _text_value(record: Record, path: tuple[str, ...], text: str, column: int, context: Context) -> Any:
    """A reference resolved, a function or an enum's value matched; any other text as written."""
    model = ENTITY_MODELS[record.kind]
    kind = ref_kind(model, path)
    if kind:
        found = _reference(record, column, kind, text, context)
        return _SKIP if found is None else found
    if record.kind == "role" and path == ("function",):
        return context.functions.get(key(text), text)
    values = literal_values(model, path)
    return _enum(values, model, path, text) if values else text


def record_data(
    record: Record, context: Context
) -> tuple[dict[str, Any], dict[tuple[Any, ...], tuple[int, int]], set[tuple[Any, ...]]]:
    """A record's fields as the content holds them, where each was written (for located problems), and the
    fields already reported (a reference to nothing is one problem, not also a missing field)."""
    data: dict[str, Any] = {"id": record.id}
    reported: set[tuple[Any, ...]] = set()
    where: dict[tuple[Any, ...], tuple[int, int]] = {(): record.at(), ("id",): record.at(("id",))}
    for path, (cell, column) in record.cells.items():
        if cell is None or path == ("id",):
            continue
        value = cell_value(record, path, cell, column, context)
        if value is _SKIP:
            reported.add(path)
            continue
        holder = data
        for part in path[:-1]:
            holder = holder.setdefault(part, {})
        holder[path[-1]] = value
        where[path] = where[path[:1]] = record.at(path)
        for number in range(len(value) if isinstance(value, list) else 0):
            where[(*path, number)] = record.at(path)
    return data, where, reported


# --- the plan -------------------------------------------------------------------------------------------------


def parse_maps(maps: tuple[str, ...]) -> dict[str, str]:
    """--map "Job title=name" as {compared column: compared field}; a field no kind has is wrong usage."""
    known = {name for kind in IMPORTED_KINDS for name in field_keys(kind)}
    found: dict[str, str] = {}
    for item in maps:
        column, equals, target = item.rpartition("=")
        if not equals or not key(column) or key(target) not in known:
            raise UsageError(
                f'--map "{printable(item)}": write "Column=field", where field is a field of a role, lead stage, KPI,'
                " checklist step or glossary term (its name or label, e.g. name, reports to, handoff.sla_hours)"
            )
        found[key(column)] = key(target)
    return found


def _sheets(
    tables: list[Table], maps: dict[str, str], problems: list[Problem], notes: list[str]
) -> tuple[list[Sheet], list[Table]]:
    sheets: list[Sheet] = []
    matrices: list[Table] = []
    for table in tables:
        kind = sheet_kind(table.name)
        if kind == RACI:
            matrices.append(table)
        elif kind is None:
            if any(any(cell is not None for cell in row) for row in table.rows):
                notes.append(
                    f"sheet `{printable(table.name)}` is not roles, lead stages, KPIs, checklist, glossary or RACI: left out"
                    " (name the sheet, or the CSV file, after the kind it holds)"
                )
        else:
            sheet = read_sheet(table, kind, maps, problems)
            if sheet is not None:
                sheets.append(sheet)
                notes.extend(sheet.unknown)
    return sheets, matrices


def _name_records(sheets: list[Sheet], index: Index, problems: list[Problem]) -> None:
    """Each record's id (its id cell, else made from its name) and its place in the index; duplicates reported."""
    seen: dict[tuple[str, str], Record] = {}
    for sheet in sheets:
        name_path = (name_field(sheet.kind),)
        for record in sheet.records:
            record.name = record.text(name_path)
            record.id = record.text(("id",)) or make_id(record.name)
            column = record.cells.get(("id",), record.cells.get(name_path, (None, 0)))[1]
            if not record.id or not ID_RE.match(record.id):
                what = f"`{printable(record.id)}` is not an id" if record.id else f"the row has no {name_path[0]}"
                problems.append(
                    _problem(
                        record,
                        column,
                        "bad-id" if record.id else "missing-field",
                        what,
                        "fill in the name; the id is made from it (lower-case words joined by hyphens)",
                    )
                )
                continue
            if KINDS[sheet.kind].one_per_file and len(record.id) > MAX_FILE_ID:
                problems.append(
                    _problem(
                        record,
                        column,
                        "bad-id",
                        f"the id `{record.id[:40]}…` is {len(record.id)} characters long; it names the file, which holds at most {MAX_FILE_ID}",
                        "write a shorter name, or a short id in an id column",
                    )
                )
                continue
            first = seen.get((sheet.kind, record.id))
            if first is not None:
                problems.append(
                    _problem(
                        record,
                        column,
                        "duplicate-id",
                        f"the id `{record.id}` is also the id of {first.table.cell_name(first.row, column)}",
                        "give each row its own name, or an id column",
                    )
                )
                continue
            seen[(sheet.kind, record.id)] = record
            index.add(sheet.kind, record.id, record.name, record.text(("abbreviation",)))


def _with_raci(data: dict[str, Any], record: Record, raci: list[Any], notes: list[str]) -> None:
    """Add what the RACI sheets say about this role or checklist step to its data (a cell the sheet filled in wins)."""
    from .raci import step_roles

    for matrix in raci:
        added = matrix.responsibilities().get(record.id, []) if record.kind == "role" else []
        if added:
            have = data.setdefault("responsibilities", [])
            have.extend(item for item in added if key(item) not in {key(h) for h in have})
        if record.kind != "step":
            continue
        for activity in matrix.activities:
            if key(activity.name) not in (key(record.name), key(record.id)):
                continue
            owner, participants, why = step_roles(activity)
            if owner is None:
                notes.append(
                    f"{matrix.table.cell_name(activity.row, 0)}: no owner for step `{record.id}` from the RACI sheet: {why}"
                )
                continue
            data.setdefault("owner", owner)
            if participants:
                data.setdefault("participants", participants)


def _raci(matrices: list[Table], index: Index, sheets: list[Sheet], context: Context) -> list[Any]:
    from .raci import read_raci

    found = []
    for table in matrices:
        matrix = read_raci(table, index.names.get("role", {}), index.shown.get("role", []), context.problems, context.notes)
        if matrix is not None:
            found.append(matrix)
            _left_alone(matrix, index, sheets, context.notes)
    return found


def _left_alone(matrix: Any, index: Index, sheets: list[Sheet], notes: list[str]) -> None:
    """What a RACI matrix says about roles and checklist steps whose files exist and are left: said, for a person to add."""
    table = matrix.table
    records = {sheet.kind: sheet.records for sheet in sheets}
    roles = {record.id for record in records.get("role", [])}
    steps = {record.id for record in records.get("step", [])} | {key(record.name) for record in records.get("step", [])}
    for role, activities in matrix.responsibilities().items():
        if role not in roles:
            notes.append(
                f"{printable(table.display)}: the role `{role}` is not in the spreadsheet and its file is left:"
                f" add its responsibilities there if they are missing ({printable('; '.join(activities))})"
            )
    for activity in matrix.activities:
        step = index.resolve("step", activity.name)
        if step is not None and key(activity.name) not in steps and step not in steps:
            notes.append(
                f"{table.cell_name(activity.row, 0)}: `{printable(activity.name)}` is the checklist step `{step}`,"
                " whose checklist.yml exists and is left: set its owner and participants there"
            )


def _dumped(entity: Any, keep_id: bool) -> dict[str, Any]:
    data: dict[str, Any] = entity.model_dump(mode="json", exclude_defaults=True, exclude=None if keep_id else {"id"})
    return data


def _yaml(data: Any) -> bytes:
    """YAML written by the yaml library: every string quoted or escaped where it must be, never joined by hand."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100).encode("utf-8")


def _files(entities: dict[str, list[Any]], content_dir: Path, plan: DefinitionsPlan, problems: list[Problem]) -> None:
    """The files to write (checked by the loader's own checks), and those that exist (left)."""
    shown_root = str(content_dir).rstrip("/\\") or "."
    with Folder.at(content_dir) as folder:
        for kind, items in entities.items():
            facts = KINDS[kind]
            if facts.one_per_file:
                for entity in items:
                    rel = f"{facts.file}/{entity.id}.yml"
                    if folder.check(rel) is not None or folder.check(f"{facts.file}/{entity.id}.yaml") is not None:
                        plan.existing.append(rel)
                        continue
                    raw = _yaml(_dumped(entity, keep_id=False))
                    problems.extend(check_entity(raw, f"{shown_root}/{rel}", kind, entity.id).problems)
                    plan.files[rel] = raw
            elif items:
                rel = f"{facts.file}.yml"
                if folder.check(rel) is not None:
                    plan.existing.append(rel)
                    continue
                raw = _yaml({facts.list_key: [_dumped(entity, keep_id=True) for entity in items]})
                problems.extend(check_model(raw, f"{shown_root}/{rel}", FILE_MODELS[facts.file]).problems)
                plan.files[rel] = raw


def plan_definitions(paths: list[Path], content_dir: Path, maps: tuple[str, ...]) -> tuple[DefinitionsPlan, list[Problem]]:
    """What importing the spreadsheets would write, and what is left to fill in (nothing is written when anything is)."""
    mapped = parse_maps(maps)
    tables = [table for path in paths for table in read_tables(path)]
    plan, problems = DefinitionsPlan(), list[Problem]()
    sheets, matrices = _sheets(tables, mapped, problems, plan.notes)
    if not sheets and not matrices and not problems:
        raise UsageError(
            "no sheet holds roles, lead stages, KPIs, a checklist or a glossary: name each sheet (or CSV file) after the kind it holds"
        )
    index = Index()
    context = Context(index, _existing_index(content_dir, index), problems, plan.notes)
    _name_records(sheets, index, problems)
    raci = _raci(matrices, index, sheets, context)
    entities: dict[str, list[Any]] = {kind: [] for kind in IMPORTED_KINDS}
    for sheet in sheets:
        for record in sheet.records:
            if not record.id or not ID_RE.match(record.id):
                continue
            data, where, reported = record_data(record, context)
            _with_raci(data, record, raci, plan.notes)
            source = Source(record.table.display, data, values=where, keys=where, reported=reported)
            entity = validate_source(source, ENTITY_MODELS[record.kind], problems)
            if entity is not None:
                entities[record.kind].append(entity)
    plan.counts = {kind: len(items) for kind, items in entities.items() if items}
    if not problems:
        _files(entities, content_dir, plan, problems)
    return plan, capped(problems)


def write_definitions(content_dir: Path, plan: DefinitionsPlan) -> None:
    """Write the planned files; none of them existed when planned, and none is replaced now (a file that appeared since is left)."""
    with content_folder(content_dir) as folder:  # a content folder that is a link, or lies through one, is refused
        for rel, raw in plan.files.items():
            try:
                folder.write(rel, raw, exclusive=True)
            except FileExistsError:
                plan.existing.append(rel)
