"""Hypothesis strategies for content directories: valid playbooks built from the schema, and damage aimed at a check.

`playbooks()` draws a valid playbook, field by field from the models in generator/playbook_site/content/schema.py
(every field's type, bounds and references read from `model_fields`): distinct keys, ids unique across
kinds, references to entities that exist, unique orders and abbreviations, score bands that cover every
total. `damaged()` draws one such playbook with one fault aimed at one problem code and returns the code
the loader must report. The faults:

- a value for one field, drawn from that field's type: hostile text, wrong types, numbers out of range,
  ids that are not ids, references to entities that do not exist, dates that are not dates;
- a raw YAML value written at any field (a tag, an alias loop, an undefined alias, a comment that swallows
  text, a 4,500-digit number, an escape sequence), anchors repeated into a bomb, nesting beyond the limit;
- a missing required field, an unknown field, a misspelt field, a repeated key, a list as a key, a merge key;
- the rules across entities (cycles, orders, abbreviations, bands, retired and draft references);
- the numbers: a results file (`results/<kpi-id>.csv`, drawn as a `Csv`) exported or typed wrongly (`;` between
  cells, a decimal comma, `Q3 2026`, a period twice, of another form, not begun, a value not meant in the unit, a
  quote never closed, named after no KPI) or behind, a KPI in force without results, a practice in activity.yml
  overdue or dated after today;
- byte-level damage of one file (an invalid byte, a control character, a tab, a second document, ...);
- the layout of the folder (a file where a folder belongs, a folder named x.yml, a link outside, ...).

Data is written with `yaml.safe_dump`; `Raw` values and keys are written into the YAML text as they are. A fault
in a results file or in activity.yml says in `Doc.aim` where its problem must be reported (`aimed_at`).
"""

from __future__ import annotations

import copy
import functools
import math
import re
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
import yaml
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.functional_validators import AfterValidator
from pydantic.types import StringConstraints
from pydantic_core import PydanticCustomError

from playbook_site.codes import PER_FILE
from playbook_site.content.health import due_period
from playbook_site.content.kinds import ABBREVIATED, KINDS
from playbook_site.content.markup import check_text
from playbook_site.content.periods import PERIOD_KINDS, Period, next_period, parse_period, period_of, previous_period
from playbook_site.content.results import implausible
from playbook_site.content.schema import (
    BUILTIN_FUNCTIONS,
    FILE_MODELS,
    ID_PATTERN,
    ActivityEntry,
    AlignmentStage,
    ChecklistStep,
    FunctionDef,
    GlossaryTerm,
    Meta,
    PlaybookMeta,
    Question,
)
from playbook_site.content.schema_line import kind_of
from playbook_site.content.translate import ID_RE
from playbook_site.content.units import CURRENCIES
from playbook_site.content.yaml_reader import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

TODAY = date(2026, 11, 23)  # conftest.TODAY, the day the checks run on
MISSING = "nonexistententity"  # an id no strategy here draws (segments are at most 6 characters)

# --- what a field is, read from the models -------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """The type of one field, as far as drawing values for it goes."""

    kind: str  # text | str | id | handle | pattern | literal | int | float | date | list | dict | model
    optional: bool = False
    values: tuple[Any, ...] = ()  # literal
    ref: str = ""  # the kind an id refers to ("*": any kind, for `see_also`)
    pattern: str = ""
    strip: bool = False
    min_length: int = 0
    max_length: int | None = None
    ge: float | None = None
    gt: float | None = None
    item: Shape | None = None  # list items, dict values
    key: Shape | None = None  # dict keys
    model: type[BaseModel] | None = None


def shape_of(annotation: Any, metadata: Iterable[Any] = ()) -> Shape:
    meta: list[Any] = []
    pending = list(metadata)
    while get_origin(annotation) is Annotated:
        annotation, *more = get_args(annotation)
        pending += more
    for item in pending:
        meta += item.metadata if isinstance(item, FieldInfo) else [item]
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        assert len(args) == 1, annotation
        return replace(shape_of(args[0], meta), optional=True)
    found: dict[str, Any] = {"ref": next((m.ref for m in meta if isinstance(m, Meta) and m.ref), "")}
    for item in meta:
        if isinstance(item, annotated_types.MinLen):
            found["min_length"] = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            found["max_length"] = item.max_length
        elif isinstance(item, annotated_types.Ge):
            found["ge"] = item.ge
        elif isinstance(item, annotated_types.Gt):
            found["gt"] = item.gt
        elif isinstance(item, StringConstraints):
            found["strip"] = bool(item.strip_whitespace)
            found["min_length"] = item.min_length or 0
            found["pattern"] = str(item.pattern or "")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("model", model=annotation, **found)
    if origin is Literal:
        return Shape("literal", values=get_args(annotation), **found)
    if origin is list:
        item = shape_of(get_args(annotation)[0])
        return Shape("list", item=replace(item, ref=item.ref or found.pop("ref")), **found)
    if origin is dict:
        key, value = get_args(annotation)
        return Shape("dict", key=shape_of(key), item=shape_of(value), **found)
    if annotation is date:
        return Shape("date", **found)
    if annotation is int:
        return Shape("int", **found)
    if annotation is float:
        return Shape("float", **found)
    assert annotation is str, annotation
    if any(isinstance(m, AfterValidator) and m.func is check_text for m in meta):
        return Shape("text", **found)
    if found.get("pattern") == ID_PATTERN:
        return Shape("id", **found)
    if found.get("pattern"):
        return Shape("handle" if "@" in found["pattern"] else "pattern", **found)
    return Shape("str", **found)


@functools.cache
def field_shape(model: type[BaseModel], name: str) -> Shape:
    info = model.model_fields[name]
    return shape_of(info.annotation, info.metadata)


# --- the content directory a strategy draws ---------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """YAML written into the file as it is: a value (or, as a key, the key) the dumper cannot write."""

    text: str


@dataclass(frozen=True)
class Folder:
    """An empty folder."""


@dataclass(frozen=True)
class Link:
    """A symbolic link to `target` (relative to the link's folder); `data`, when given, is written there."""

    target: str
    data: bytes | None = None


@dataclass
class Doc:
    """A content directory: content-relative path -> data (written as YAML) | bytes | Folder | Link.

    `beside` holds files written next to the content directory (its parent's `.github/CODEOWNERS`);
    `absent` means the content directory itself is not there."""

    files: dict[str, Any]
    ids: dict[str, list[str]]
    functions: list[str]
    beside: dict[str, bytes] = field(default_factory=dict)
    absent: bool = False
    crlf: bool = False
    bom: bool = False
    aim: Aim | None = None  # where the problem of the fault put into a results file or activity.yml must be reported

    def rel(self, kind: str, entity_id: str = "") -> str:
        """The file of an entity (kind role/lead/kpi) or of a file kind (playbook, checklist, ...)."""
        if kind in ("role", "lead", "kpi"):
            folder = KINDS[kind].file
            return next(r for r in self.files if r.startswith(f"{folder}/") and Path(r).stem == entity_id)
        return next(r for r in self.files if "/" not in r and Path(r).stem == kind)


@dataclass(eq=False)
class Csv:
    """A results file (`results/<kpi-id>.csv`): the header's columns and each row's cells, in column order.

    Written with `separator` between cells; a cell is quoted when it holds a comma, a quote or a line break, and
    when its bit in `quote` is set (cells counted through the file); an unquoted cell whose bit in `pad` is set
    gets a space on either side. With `leave_out`, a row leaves out an empty note in the last column. `Raw`
    cells are written as they are (a decimal comma that splits the cell, a quote never closed)."""

    columns: list[Any]
    rows: list[list[Any]]
    quote: int = 0
    pad: int = 0
    leave_out: bool = False
    final_newline: bool = True
    separator: str = ","

    def col(self, name: str) -> int:
        return self.columns.index(name)

    def cell(self, text: Any, index: int) -> str:
        if isinstance(text, Raw):
            return text.text
        if any(c in text for c in ',"\n\r') or self.quote >> index % 16 & 1:
            return '"' + str(text).replace('"', '""') + '"'
        return f" {text} " if self.pad >> index % 16 & 1 else text

    def render(self, *, crlf: bool = False, bom: bool = False) -> tuple[bytes, dict[int, list[tuple[int, int]]]]:
        """The file's bytes, and (line, column) where each cell of each record starts, by the record's `id`,
        as the csv module splits it (an unquoted `Raw` cell with a comma is two cells)."""
        lines, where, index = [""], {}, 0
        for record in [self.columns, *self.rows]:
            cells = record
            if self.leave_out and record is not self.columns and len(record) == len(self.columns) >= 2:
                if self.columns[-1] == "note" and record[-1] == "":
                    cells = record[:-1]
            starts = []
            for position, text in enumerate(cells):
                if position:
                    lines[-1] += self.separator
                written = self.cell(text, index)
                index += 1
                pieces = written.split(",") if isinstance(text, Raw) and '"' not in written else [written]
                for number, piece in enumerate(pieces):
                    if number:
                        lines[-1] += ","
                    starts.append((len(lines), len(lines[-1]) + 1))
                    first, *more = piece.split("\n")
                    lines[-1] += first
                    lines.extend(more)
            where[id(record)] = starts
            lines.append("")
        text = "\n".join(lines[:-1]) + ("\n" if self.final_newline else "")
        if crlf:
            text = text.replace("\n", "\r\n")
        return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"), where


@dataclass(eq=False, frozen=True)
class Aim:
    """Where a fault must be reported: in `rel`, at the start of cell `cell` of `record` (a row of the Csv, or its
    `columns` for the header; cells as the csv module splits them, -1 the last), or with `cell` None on the record's
    line at any column; in a YAML file, at the value of field `cell` of `record` (a mapping in the file, found by
    identity), or with `line_only` on its line at any column (a problem inside a text is reported where it starts in
    the text); `record` None: the whole file (line 0, column 0)."""

    rel: str
    record: list[Any] | dict[Any, Any] | None
    cell: int | str | None = 0
    line_only: bool = False


def _path_to(data: Any, target: dict[Any, Any]) -> tuple[Any, ...] | None:
    """The keys and indexes from `data` to the mapping `target` (by identity); None when it is not in `data`."""
    if data is target:
        return ()
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in children:
        found = _path_to(value, target)
        if found is not None:
            return (key, *found)
    return None


def yaml_position(text: str, path: tuple[Any, ...]) -> tuple[int, int]:
    """(line, column) where the value at `path` starts in the YAML `text`, as PyYAML's composer marks it."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert node is not None, text
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next(value for key, value in node.value if key.value == str(part))
        else:
            assert isinstance(node, yaml.SequenceNode) and isinstance(part, int), (node, part)
            node = node.value[part]
    return node.start_mark.line + 1, node.start_mark.column + 1


def aimed_at(doc: Doc) -> tuple[str, int, int | None] | None:
    """(content-relative path, line, column or None) where the fault aimed at, when it says."""
    if doc.aim is None:
        return None
    aim = doc.aim
    if aim.record is None:
        return aim.rel, 0, 0
    written = doc.files[aim.rel]
    if isinstance(written, dict):
        assert isinstance(aim.record, dict) and isinstance(aim.cell, str), aim
        path = _path_to(written, aim.record)
        assert path is not None, aim
        text = file_bytes(doc, aim.rel).decode("utf-8-sig").replace("\r\n", "\n")
        line, column = yaml_position(text, (*path, aim.cell))
        return aim.rel, line, None if aim.line_only else column
    assert isinstance(written, Csv) and isinstance(aim.record, list) and not isinstance(aim.cell, str), aim
    _data, where = written.render(crlf=doc.crlf, bom=doc.bom)
    starts = where[id(aim.record)]
    if aim.cell is None:
        return aim.rel, starts[0][0], None
    return (aim.rel, *starts[aim.cell])


def dump(data: Any, *, crlf: bool = False, bom: bool = False) -> bytes:
    """YAML for `data`, with `Raw` keys and values written as they are."""
    raws: dict[str, str] = {}

    def placeholder(raw: Raw) -> str:
        name = f"rawyaml{len(raws)}x"
        raws[name] = raw.text
        return name

    memo: dict[int, Any] = {}

    def swap(value: Any) -> Any:  # keeps shared and self-containing lists shared: anchors and aliases
        if isinstance(value, Raw):
            return placeholder(value)
        if isinstance(value, list):
            if id(value) in memo:
                return memo[id(value)]
            copied: list[Any] = []
            memo[id(value)] = copied
            copied.extend(swap(v) for v in value)
            return copied
        if isinstance(value, dict):
            if id(value) in memo:
                return memo[id(value)]
            result: dict[Any, Any] = {}
            memo[id(value)] = result
            for k, v in value.items():
                result[placeholder(k) if isinstance(k, Raw) else k] = swap(v)
            return result
        return value

    text = yaml.safe_dump(swap(data), allow_unicode=True, sort_keys=False, width=100)
    for name, raw in raws.items():
        text = re.sub(rf"\b{name}\b", lambda _m, raw=raw: raw, text)
    if crlf:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")


def write(doc: Doc, root: Path) -> None:
    """Write `doc` as the content directory `root` (which must not exist yet)."""
    for name, data in doc.beside.items():
        (root.parent / name).parent.mkdir(parents=True, exist_ok=True)
        (root.parent / name).write_bytes(data)
    if doc.absent:
        return
    root.mkdir(parents=True)
    for rel, value in doc.files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, Folder):
            target.mkdir()
        elif isinstance(value, Link):
            if value.data is not None:
                (target.parent / value.target).parent.mkdir(parents=True, exist_ok=True)
                (target.parent / value.target).write_bytes(value.data)
            target.symlink_to(value.target)
        elif isinstance(value, bytes):
            target.write_bytes(value)
        elif isinstance(value, Csv):
            target.write_bytes(value.render(crlf=doc.crlf, bom=doc.bom)[0])
        else:
            target.write_bytes(dump(value, crlf=doc.crlf, bom=doc.bom))


def file_bytes(doc: Doc, rel: str) -> bytes:
    value = doc.files[rel]
    if isinstance(value, Csv):
        return value.render(crlf=doc.crlf, bom=doc.bom)[0]
    return value if isinstance(value, bytes) else dump(value, crlf=doc.crlf, bom=doc.bom)


def model_of(rel: str) -> type[BaseModel] | None:
    folder, _, _ = rel.rpartition("/")
    kind = {"roles": "role", "leads": "lead", "kpis": "kpi"}.get(folder) if folder else Path(rel).stem
    return FILE_MODELS.get(kind or "")


# --- valid values, field by field ---------------------------------------------------------------------
# Values are drawn from small pools with few draws each (hypothesis spends its time per draw): ids that are
# valid kebab case, texts that pass validation, unique abbreviations.

ID_POOL = (
    "ae sdr bdr kam csm cro vp-mktg rev-ops sales-1 mgr2 x q1 q2-b mql sql sal opp won lost customer "
    "win-rate cac nrr ltv-1 pipe-2x cycle joint kick-off review qbr low mid high top a1-b2-c3 icp bant "
    "lead deal fair messe kontakt stage-4 s0 t9 z-z-z"
).split()  # no segment longer than 6 characters: MISSING and the ids faults add cannot be drawn
ABBREVIATIONS = "AE SDR KAM CSM CRO VP MQL SQL SAL WR CAC NRR LTV QBR ICP BANT ÅR ÜK X1 Yes ON".split()
WORDS = [
    "Leads",
    "the",
    "team",
    "weekly",
    "MQL",
    "réunion",
    "Vertriebsleiterin",
    "営業",
    "24h",
    "50%",
    "3 < 4",
    "{{ x }}",
    "{% raw %}",
    "a | b",
    "e.g.",
    "—",
    "**bold**",
    "*stress*",
    "`code`",
    "C:\\temp",
    "&amp;",
    "x_y",
    "#1",
    "[note]",
    "(see below)",
    "'quoted'",
    '"double"',
    "key: value",
    "- dash",
    "~",
    "yes",
    "null",
    "@team",
    "1,000",
    "[ok](https://example.com/a_b)",
    "[mail](mailto:a@example.com)",
]
# One word, two words, the whole sentence: inline Markdown and YAML-looking text that must stay text.
TEXTS = [*WORDS, *(f"{a} {b}" for a, b in zip(WORDS, reversed(WORDS), strict=True)), " ".join(WORDS), "Ends with a colon:"]
HANDLES = ["@acme/sales", "@jdoe", "ops@example.com", "@a.b-c/x_y", "first.last@example.co.uk"]
HTTPS_LINKS = [
    "https://wiki.example.com/joint-meeting-2026-11",
    "https://docs.example.com/d/1aB_c-D?usp=sharing",
    "https://example.sharepoint.com/sites/sales/Minutes%20Q4.docx",
    "https://intranet.example.de:8443/Protokoll#top",
]
CRM_NAMES = ["salesforce", "hubspot", "Pipedrive", "dynamics 365"]
VERSIONS = ["2026-Q4", "v1", "1.0", "Herbst 2026"]
COLOURS = ["#00838f", "#FFFFFF", "#1565c0", "#aBcDeF"]
CURRENCY_CODES = ["EUR", "USD", "CHF", "JPY", "DKK"]
assert all(c in CURRENCIES for c in CURRENCY_CODES)


def _valid_text(text: str) -> bool:
    try:
        check_text(text)
    except PydanticCustomError:
        return False
    return bool(text.strip())


assert all(_valid_text(t) for t in TEXTS)


@dataclass
class Ctx:
    """What the values of one playbook depend on: the ids of each kind, the functions, the abbreviations left."""

    ids: dict[str, list[str]]
    functions: list[str]
    abbreviations: list[str]
    earlier_roles: list[str] = field(default_factory=list)


# Repository addresses that say their host (github or gitlab in the name), so any `host:` fits them.
REPOSITORY_URLS = ["https://github.com/example/playbook", "https://gitlab.com/revops/playbook"]


def pick(draw: st.DrawFn, items: list[Any]) -> Any:
    return items[draw(st.integers(0, len(items) - 1))]


def draw_text(draw: st.DrawFn, ctx: Ctx) -> str:
    """Inline Markdown that passes validation, sometimes with a link to an entity that exists."""
    text = pick(draw, TEXTS)
    links = [(kind, i) for kind, ids in ctx.ids.items() for i in ids]
    if links and draw(st.integers(0, 3)) == 3:
        kind, target = pick(draw, links)
        text += f" [{target}]({kind}:{target})"
    return text


def draw_valid(draw: st.DrawFn, shape: Shape, name: str, ctx: Ctx) -> Any:
    """A valid value of a field with `shape` (named `name`) in a playbook described by `ctx`."""
    kind = shape.kind
    if kind == "text":
        return draw_text(draw, ctx)
    if kind == "str":
        if shape.ref == "*":  # see_also: any entity, `kind:id` when it helps
            kind_name, target = pick(draw, [(k, i) for k, ids in ctx.ids.items() for i in ids])
            return f"{kind_name}:{target}" if draw(st.booleans()) else target
        if name == "function":
            return pick(draw, ctx.functions)
        if name == "currency":
            return pick(draw, CURRENCY_CODES)
        if name == "version":
            return pick(draw, VERSIONS)
        if name == "link":  # an activity's record
            return pick(draw, HTTPS_LINKS)
        if name == "url":  # playbook.yml's repository: an address whose host says what it is
            return pick(draw, REPOSITORY_URLS)
        if name == "branch":
            return pick(draw, ["main", "release/2026", "playbook"])
        return pick(draw, CRM_NAMES) if shape.min_length else draw_text(draw, ctx)  # a CRM name; notes
    if kind == "id":
        return pick(draw, ctx.ids[shape.ref])
    if kind == "handle":
        return pick(draw, HANDLES)
    if kind == "pattern":
        assert re.fullmatch(shape.pattern, COLOURS[0])
        return pick(draw, COLOURS)
    if kind == "literal":
        return pick(draw, [v for v in shape.values if v != "retired"])
    if kind == "int":
        return draw(st.integers(int(shape.ge or 0), 1000))
    if kind == "float":
        if shape.gt is not None:
            return pick(draw, [0.5, 1, 4, 24, 72.5, 1e-3, 1e9])
        return pick(draw, [0, -3, 18.5, 27, 1e6, 0.001])
    if kind == "date":
        if name == "date":  # when a practice happened: by today
            return TODAY - timedelta(days=draw(st.integers(0, 3000)))
        return TODAY + timedelta(days=draw(st.integers(1, 30_000)))  # a review date: not yet due
    if kind == "list":
        assert shape.item is not None
        if shape.item.kind == "id" and not ctx.ids.get(shape.item.ref):
            return []
        size = draw(st.integers(shape.min_length, max(shape.min_length, 2)))
        return [draw_valid(draw, shape.item, name, ctx) for _ in range(size)]
    if kind == "dict":
        assert shape.key is not None and shape.item is not None
        return {pick(draw, CRM_NAMES): draw_valid(draw, shape.item, name, ctx) for _ in range(draw(st.integers(0, 2)))}
    if kind == "model":
        assert shape.model is not None
        return draw_entity(draw, shape.model, ctx)
    raise AssertionError(shape)


def usable(shape: Shape, ctx: Ctx) -> bool:
    """Whether a valid value exists in this playbook (a reference needs something to refer to)."""
    if shape.kind == "id" and shape.ref:
        return bool(ctx.ids.get(shape.ref))
    if shape.kind == "str" and shape.ref == "*":
        return any(ctx.ids.values())
    return True


def draw_entity(draw: st.DrawFn, model: type[BaseModel], ctx: Ctx, fixed: dict[str, Any] | None = None) -> dict[str, Any]:
    """The fields of one `model`: every required one, each optional one or not, values drawn from their type.

    The fields whose valid values depend on the rest of the playbook are drawn here: a unique abbreviation,
    `reports_to` only to roles drawn before (no cycle), no `retired` status, `currency` with `unit: currency`."""
    fixed = fixed or {}
    names = [n for n in model.model_fields if n not in fixed and n != "currency" and usable(field_shape(model, n), ctx)]
    optional = [n for n in names if not model.model_fields[n].is_required()]
    present = draw(st.integers(0, 2 ** len(optional) - 1))  # one draw for all optional fields; shrinks to none
    data: dict[str, Any] = {}
    for name in model.model_fields:
        if name in fixed:
            if fixed[name] is not None:
                data[name] = fixed[name]
            continue
        if name not in names or (name in optional and not present >> optional.index(name) & 1):
            continue
        if name == "abbreviation":
            if ctx.abbreviations:
                data[name] = ctx.abbreviations.pop()
        elif name == "reports_to":
            if ctx.earlier_roles:
                data[name] = pick(draw, ctx.earlier_roles)
        else:
            data[name] = draw_valid(draw, field_shape(model, name), name, ctx)
    if data.get("unit") == "currency":
        data["currency"] = pick(draw, CURRENCY_CODES)
    target = data.get("target")
    if isinstance(target, dict) and isinstance(target.get("value"), (int, float)) and data.get("unit") in VALUES:
        if implausible(float(target["value"]), data["unit"]):  # a target is held to its unit's bounds, as a result is
            target["value"] = float(pick(draw, VALUES[data["unit"]]))
    return data


# --- the numbers: results files and the activity record ---------------------------------------------

# Plain numbers a KPI's results can hold, by unit (the forms the reader takes: a sign, an exponent, a bare point),
# all plausible for the unit; notes that pass validation, some to be quoted (a comma, a quote, a line break).
VALUES = {
    "percent": ["18.5", "24", "0", "100", "-3.5", "250", "12.25", ".5", "+4", "1e1", "999.9"],
    "count": ["0", "7", "42", "1200", "42000", "3.5e4", "120."],
    "currency": ["400000", "-1500", "50000.50", "0", "2.5e6", "999999999"],
    "hours": ["4", "0.5", "72", "1.25", "0"],
    "days": ["14", "30.5", "0", "90", "365"],
    "ratio": ["3", "0.8", "1.5", "0"],
    "score": ["-12", "7.5", "42", "0", "-0.5"],
}
NOTES = [
    *(text for text in TEXTS if not text.startswith(("=", "+", "-", "@"))),  # a note never starts a formula: results-row
    "New pricing, from May",
    'He said "yes"',
    "Two lines:\nthe second",
    "Sum of =SUM(A1:A9)",  # a note never starts a formula (results-row); one may hold it
    "Q4 push",
    "Ø 3,5 Tage",
]
# A practice is not overdue when it happened at most this many days ago, whatever the months (a month has at least
# 28 days, a quarter 89, a year 365) ...
WITHIN = {"weekly": 7, "monthly": 28, "quarterly": 89, "yearly": 365}
# ... and overdue when it happened at least this many days ago (at most 31, 92, 366).
OVERDUE_AFTER = {"weekly": 8, "monthly": 32, "quarterly": 93, "yearly": 367}


def periods_back(form: str, back: int) -> Period:
    """The period of `form` `back` periods before the one that holds TODAY."""
    period = period_of(form, TODAY)
    for _ in range(back):
        period = previous_period(period)
    return period


def results_form(kpi: dict[str, Any], table: Csv | None = None) -> str:
    """The form a KPI's periods must have: its target's period, or that of the file's first row."""
    target = kpi.get("target")
    if isinstance(target, dict) and target.get("period"):
        return str(target["period"])
    if table is not None and table.rows:
        return parse_period(table.rows[0][table.col("period")].strip()).kind
    return "quarter"


def due_back(form: str, cadence: str | None) -> int:
    """How many periods before the one holding TODAY the result due by TODAY is (health.due_period)."""
    due, back = due_period(form, cadence, TODAY), 0
    while periods_back(form, back).start > due.start:
        back += 1
    return back


@st.composite
def results_table(draw: st.DrawFn, kpi: dict[str, Any], *, measured: bool) -> Csv:
    """A valid results file for `kpi`: columns and rows in any order, periods of the form its target counts over
    (any one form without `target.period`), none in the future, values plausible for the unit, notes or none.
    `measured` (a KPI in force): at least one row, the latest no older than the period due (no `stale-results`)."""
    form = results_form(kpi) if kpi.get("target", {}).get("period") else pick(draw, list(PERIOD_KINDS))
    backs = draw(st.lists(st.integers(0, 12), unique=True, min_size=1 if measured else 0, max_size=5))
    if measured and min(backs) > due_back(form, kpi.get("cadence")):
        backs[0] = draw(st.integers(0, due_back(form, kpi.get("cadence"))))
    columns = draw(st.permutations(["period", "value", "note"] if draw(st.booleans()) else ["period", "value"]))
    rows = []
    for back in dict.fromkeys(backs):
        cells = {"period": periods_back(form, back).text, "value": pick(draw, VALUES[kpi["unit"]]), "note": ""}
        if "note" in columns and draw(st.booleans()):
            cells["note"] = pick(draw, NOTES)
        rows.append([cells[name] for name in columns])
    return Csv(
        columns,
        draw(st.permutations(rows)),
        quote=draw(st.integers(0, 2**16 - 1)),
        pad=draw(st.integers(0, 2**16 - 1)),
        leave_out=draw(st.booleans()),
        final_newline=draw(st.integers(0, 3)) != 0,
    )


@st.composite
def activity_log(draw: st.DrawFn, steps: list[dict[str, Any]], ctx: Ctx, *, least: int = 0) -> dict[str, Any]:
    """A valid activity.yml: an entry, lately enough, for every step in force with a cadence (no `overdue-step`),
    and `least` to two more of any step on any day by TODAY; notes and links or none."""
    days: list[tuple[str, date]] = []
    for step in steps:
        if step.get("status") != "draft" and step.get("cadence") in WITHIN:
            days.append((step["id"], TODAY - timedelta(days=draw(st.integers(0, WITHIN[step["cadence"]])))))
    if steps:
        for _ in range(draw(st.integers(least, 2))):
            days.append((pick(draw, steps)["id"], TODAY - timedelta(days=draw(st.integers(0, 3000)))))
    entries = [draw_entity(draw, ActivityEntry, ctx, {"step": step_id, "date": day}) for step_id, day in days]
    return {"entries": draw(st.permutations(entries))}


@st.composite
def playbooks(draw: st.DrawFn, minimum: int = 0, numbers: bool | None = None) -> Doc:
    """A valid playbook: 1-3 roles, up to 3 lead stages and KPIs, a checklist, the alignment bands, a glossary
    (at least `minimum` entities of each kind); results files for its KPIs and an activity record, or not
    (`numbers`: both, or neither; None: drawn)."""
    most = {"role": 3, "lead": 3, "kpi": 3, "step": 2, "stage": 3, "question": 3, "term": 2}
    counts = {kind: draw(st.integers(max(minimum, 1 if kind == "role" else 0), top)) for kind, top in most.items()}
    total = sum(counts.values())
    pool = draw(st.lists(st.sampled_from(ID_POOL), min_size=total, max_size=total, unique=True))
    ids: dict[str, list[str]] = {}
    for kind, count in counts.items():
        ids[kind], pool = pool[:count], pool[count:]
    declared: list[dict[str, Any]] = []
    if draw(st.booleans()):
        for function_id in draw(st.lists(st.sampled_from(ID_POOL), min_size=1, max_size=3, unique=True)):
            declared.append(draw_entity(draw, FunctionDef, Ctx({}, [], []), {"id": function_id}))
    functions = [f["id"] for f in declared] or list(BUILTIN_FUNCTIONS)
    abbreviations = draw(st.lists(st.sampled_from(ABBREVIATIONS), unique_by=str.casefold, max_size=total))
    ctx = Ctx(ids, functions, abbreviations)
    extensions = draw(st.integers(0, 2**12 - 1))  # which files end in .yaml instead of .yml

    def ext() -> str:
        return ".yaml" if extensions >> len(files) % 12 & 1 else ".yml"

    files: dict[str, Any] = {}
    files["playbook" + ext()] = draw_entity(draw, PlaybookMeta, ctx, {"functions": declared or None})
    for role_id in ids["role"]:
        files[f"roles/{role_id}{ext()}"] = draw_entity(draw, FILE_MODELS["role"], ctx, {"id": None})
        ctx.earlier_roles.append(role_id)
    orders = draw(st.lists(st.integers(1, 99), min_size=counts["lead"], max_size=counts["lead"], unique=True))
    for lead_id, order in zip(ids["lead"], orders, strict=True):
        files[f"leads/{lead_id}{ext()}"] = draw_entity(draw, FILE_MODELS["lead"], ctx, {"id": None, "order": order})
    kpis = {}
    for kpi_id in ids["kpi"]:
        kpis[kpi_id] = files[f"kpis/{kpi_id}{ext()}"] = draw_entity(draw, FILE_MODELS["kpi"], ctx, {"id": None})
    steps = [draw_entity(draw, ChecklistStep, ctx, {"id": i}) for i in ids["step"]]
    if ids["step"] or draw(st.booleans()):
        files["checklist" + ext()] = {"steps": steps}
    if numbers if numbers is not None else draw(st.booleans()):
        # every KPI in force has a results file (no `no-results`); a draft's may be there or not, and empty
        for kpi_id, kpi in kpis.items():
            measured = kpi.get("status") != "draft"
            if measured or draw(st.booleans()):
                files[f"results/{kpi_id}.csv"] = draw(results_table(kpi, measured=measured))
    if numbers if numbers is not None else draw(st.booleans()):
        files["activity" + ext()] = draw(activity_log(steps, ctx, least=1 if numbers else 0))
    bands = draw(score_bands(counts["question"], counts["stage"]))
    alignment = {
        "stages": [
            draw_entity(draw, AlignmentStage, ctx, {"id": i, "score": b}) for i, b in zip(ids["stage"], bands, strict=True)
        ],
        "questions": [draw_entity(draw, Question, ctx, {"id": i}) for i in ids["question"]],
    }
    if ids["stage"] or ids["question"] or draw(st.booleans()):
        files["alignment" + ext()] = {key: value for key, value in alignment.items() if value or draw(st.booleans())}
    if ids["term"] or draw(st.booleans()):
        files["glossary" + ext()] = {"terms": [draw_entity(draw, GlossaryTerm, ctx, {"id": i}) for i in ids["term"]]}
    return Doc(files, ids, functions, crlf=draw(st.integers(0, 7)) == 7, bom=draw(st.integers(0, 7)) == 7)


@st.composite
def score_bands(draw: st.DrawFn, questions: int, stages: int) -> list[list[int]]:
    """`stages` bands that cover the totals `questions` to 5 x `questions` once each (any bands without questions)."""
    if not stages:
        return []
    if not questions:
        return [sorted(draw(st.lists(st.integers(0, 30), min_size=2, max_size=2))) for _ in range(stages)]
    low, high = questions, 5 * questions
    cuts = sorted(draw(st.lists(st.integers(low + 1, high), min_size=stages - 1, max_size=stages - 1, unique=True)))
    starts, ends = [low, *cuts], [c - 1 for c in cuts] + [high]
    return [[s, e] for s, e in zip(starts, ends, strict=True)]


# --- where a fault can be put: every mapping with a model, in every file ----------------------------


@dataclass(frozen=True)
class Holder:
    """A mapping in a file and the model it is validated against; `root` for the top of a file."""

    rel: str
    path: tuple[Any, ...]
    model: type[BaseModel]

    def data(self, doc: Doc) -> dict[Any, Any]:
        value = doc.files[self.rel]
        for part in self.path:
            value = value[part]
        assert isinstance(value, dict)
        return value

    def fields(self) -> list[str]:
        """The fields this mapping may have (an entity file takes its id from its name)."""
        names = list(self.model.model_fields)
        if not self.path and "/" in self.rel:
            names.remove("id")
        return names


def holders(doc: Doc) -> list[Holder]:
    found: list[Holder] = []

    def visit(rel: str, path: tuple[Any, ...], model: type[BaseModel], data: Any) -> None:
        if not isinstance(data, dict):
            return
        found.append(Holder(rel, path, model))
        for name in model.model_fields:
            shape, value = field_shape(model, name), data.get(name)
            if shape.kind == "model" and shape.model is not None:
                visit(rel, (*path, name), shape.model, value)
            elif shape.kind == "list" and shape.item is not None and shape.item.model is not None and isinstance(value, list):
                for index, item in enumerate(value):
                    visit(rel, (*path, name, index), shape.item.model, item)

    for rel, data in doc.files.items():
        model = model_of(rel)
        if model is not None:
            visit(rel, (), model, data)
    return found


# --- a hostile value for a field, with the code it must be reported with ----------------------------

HOSTILE_PIECES = [
    ("<script>alert(1)</script>", "raw-html"),
    ("<img src=x onerror=alert(1)>", "raw-html"),
    ("<https://example.com>", "raw-html"),
    ("<!-- hidden -->", "raw-html"),
    ("[x](javascript:alert(1))", "unsafe-url"),
    ("see data:text/html,x", "unsafe-url"),
    ("[x](VBScript:msgbox)", "unsafe-url"),
    ("[x](../secret.md)", "bad-link"),
    ("[x](www.example.com/pricing)", "bad-link"),
    ("[x](ftp://a.example/f)", "bad-link"),
    ("[https://wiki.example.com/x](https://evil.example/x)", "misleading-link"),
    ("[sales@example.com](mailto:sales@evil.example)", "misleading-link"),
    (f"[x](role:{MISSING})", "dangling-link"),
    (f"[x](term:{MISSING})", "dangling-link"),
    ("\x1b[2J", "control-character"),
    ("\u202e", "control-character"),
    ("\x07", "control-character"),
    ("\u2066", "control-character"),
    ("\x00", "control-character"),
]
WRONG_FOR_TEXT = [
    (5, "wrong-type"),
    (True, "wrong-type"),
    (["x"], "wrong-type"),
    ({"a": "b"}, "wrong-type"),
    (date(2026, 1, 1), "wrong-type"),
]


Option = tuple[st.SearchStrategy[Any], str]  # values a field must refuse, and the code it refuses them with


class OtherKind:
    """Stands for the id of an entity of another kind than the reference's (filled in when the fault is put)."""

    def __repr__(self) -> str:
        return "OTHER_KIND"

    def __deepcopy__(self, memo: dict[int, Any]) -> OtherKind:
        return self


OTHER_KIND = OtherKind()


def hostile_options(shape: Shape, name: str) -> list[Option]:
    """Every kind of value a field with `shape` must refuse, each with the code it is refused with."""
    kind = shape.kind
    plain: list[tuple[Any, str]] = [] if shape.optional else [(None, "bad-value" if kind == "literal" else "wrong-type")]
    options: list[Option] = []
    if kind == "text":
        words = st.sampled_from(["Leads the team", "MQL", "営業"])
        for piece, code in HOSTILE_PIECES:
            options.append((words.map(lambda w, piece=piece: f"{w} {piece}"), code))
        if shape.min_length:  # `Text`; the playbook's editor `notes` may be empty
            plain += [("", "empty-value"), ("   ", "empty-value")]
        plain += WRONG_FOR_TEXT
    elif kind == "str":
        plain += [(5, "wrong-type"), (["x"], "wrong-type"), ({"a": 1}, "wrong-type"), (False, "wrong-type")]
        plain += [("a\x1b[31m", "control-character"), ("\u202egnp.exe", "control-character")]
        if shape.min_length:
            plain += [("", "empty-value")] + ([("  ", "empty-value")] if shape.strip else [])
        if shape.ref == "*":
            plain += [(MISSING, "dangling-reference"), (f"kpi:{MISSING}", "dangling-reference")]
        if name == "function":
            plain += [("finance", "bad-value"), ("Sales", "bad-value")]
        if name == "currency":
            plain += [("XYZ", "bad-value"), ("euro", "bad-value")]
        if name == "link":  # an activity's record: https only
            plain += [("http://wiki.example.com/x", "bad-link"), ("javascript:alert(1)", "bad-link")]
            plain += [("wiki.example.com/minutes", "bad-link"), ("https://wiki.example.com/Q4 minutes", "bad-link")]
    elif kind == "id":
        plain += [
            ("Not An Id", "bad-id"),
            ("", "bad-id"),
            ("x_y", "bad-id"),
            ("-x", "bad-id"),
            (5, "wrong-type"),
            (["a"], "wrong-type"),
        ]
        if shape.ref:
            plain += [(MISSING, "dangling-reference"), (OTHER_KIND, "dangling-reference")]
    elif kind == "handle":
        plain += [("sales team", "bad-approver"), ("@", "bad-approver"), ("a@b", "bad-approver"), (5, "wrong-type")]
    elif kind == "pattern":
        plain += [("red", "bad-value"), ("#12345", "bad-value"), ("#1234567", "bad-value"), (12, "wrong-type")]
    elif kind == "literal":
        plain += [("not-allowed", "bad-value"), (True, "bad-value"), (3, "bad-value"), (["x"], "bad-value")]
        plain += [(str(shape.values[0]).upper(), "bad-value")]
    elif kind == "int":
        if shape.ge is not None:
            plain += [(int(shape.ge) - 1, "bad-value"), (int(shape.ge) - 1000, "bad-value")]
        plain += [
            ("two", "wrong-type"),
            (2.5, "wrong-type"),
            (True, "wrong-type"),
            ([1], "wrong-type"),
            (date(2026, 1, 1), "wrong-type"),
        ]
    elif kind == "float":
        plain += [(math.nan, "bad-value"), (math.inf, "bad-value"), (-math.inf, "bad-value")]
        plain += [("fast", "wrong-type"), ([1], "wrong-type"), ({"a": 1}, "wrong-type"), (date(2026, 1, 1), "wrong-type")]
        if shape.gt is not None:
            plain += [(shape.gt, "bad-value"), (-4, "bad-value"), (-0.5, "bad-value")]
    elif kind == "date":
        plain = [("next spring", "bad-date"), ("2027-02-30", "bad-date"), ("2027-13-01", "bad-date"), (1.5, "bad-date")]
        plain += [(True, "bad-date"), (["x"], "bad-date"), (datetime(2027, 1, 1, 10, 30), "bad-date")]
        if name == "date":  # an activity entry: a day that has not come yet
            options.append((st.dates(TODAY + timedelta(days=1), TODAY + timedelta(days=800)), "future-date"))
        else:  # a review date that has passed
            options.append((st.dates(date(2000, 1, 1), TODAY - timedelta(days=1)), "stale"))
    elif kind == "list":
        assert shape.item is not None
        plain = [("one item", "wrong-type"), (5, "wrong-type"), ({"a": 1}, "wrong-type"), (None, "wrong-type")]
        if shape.min_length:
            plain += [([], "too-short")]
        if shape.max_length is not None:  # the score band
            plain += [([1] * (shape.max_length + 1), "too-long")]
            options.append((st.tuples(st.integers(-5, 50), st.integers(1, 9)).map(lambda p: [p[0] + p[1], p[0]]), "band-order"))
        else:  # one item refused (a band of one item would be too short as well)
            for values, code in hostile_options(shape.item, name):
                if code != "stale":
                    options.append((values.map(lambda v: [v]), code))
    elif kind == "dict":
        assert shape.item is not None
        plain = [(["x"], "wrong-type"), ("x", "wrong-type"), ({"": "x"}, "empty-value"), (None, "wrong-type")]
        for values, code in hostile_options(shape.item, name):
            options.append((values.map(lambda v: {"salesforce": v}), code))
    elif kind == "model":
        assert shape.model is not None
        plain += [("x", "wrong-type"), ([1], "wrong-type"), (5, "wrong-type")]
        if any(info.is_required() for info in shape.model.model_fields.values()):
            plain += [({}, "missing-field")]
    else:
        raise AssertionError(shape)
    return options + [(st.just(value), code) for value, code in plain]


@functools.cache
def field_options(model: type[BaseModel], name: str) -> list[Option]:
    return hostile_options(field_shape(model, name), name)


# Raw YAML that is refused wherever it is written as a value, and the code it is refused with.
RAW_VALUES = [
    ("!!python/object/apply:os.system ['true']", "unsafe-tag"),
    ("!!python/name:os.system", "unsafe-tag"),
    ("!secret the value", "unsafe-tag"),
    ("!!binary aGVsbG8=", "unsafe-tag"),
    ("!!set {a}", "unsafe-tag"),
    ("!!omap [a: 1]", "unsafe-tag"),
    ("&loop [*loop]", "alias-loop"),
    ("*undefined", "yaml-syntax"),
    ("@crm", "yaml-syntax"),
    ("`tick`", "yaml-syntax"),
    ('"C:\\qreports"', "yaml-syntax"),
    ("%x", "yaml-syntax"),
    ("1" + "0" * 4500, "bad-value"),
    ('"\\e[2J"', "control-character"),
    ('"\\u202eevil"', "control-character"),
    ('"bell\\a"', "control-character"),
    ("call back #today", "trailing-comment"),
    ("[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2), "too-deep"),
]
# Core tags over a value they cannot hold, whose constructor raises something else than ValueError: they once
# let a traceback through (tests/test_fuzz.py::test_core_tags_with_unreadable_values_are_reported), now a bad-value.
CRASHING_TAGS = ["!!timestamp x", "!!timestamp", "!!bool x", "!!bool", "!!int"]
RAW_VALUES += [(tag, "bad-value") for tag in CRASHING_TAGS]


def alias_bomb() -> list[Any]:
    """Lists repeated through anchors and aliases: a few lines of YAML, 9**6 values when expanded."""
    level: list[Any] = ["lol"] * 9
    for _ in range(5):
        level = [level] * 9
    assert 9**6 > MAX_NODES
    return level


def self_loop() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


def nested(depth: int) -> list[Any]:
    value: list[Any] = ["x"]
    for _ in range(depth - 1):
        value = [value]
    return value


def misspellings(name: str) -> list[str]:
    forms = [name[:-1], name + "s", name[1:], name.replace("_", ""), name.upper(), name[:1] + name[2:]]
    if len(name) > 2:
        forms.append(name[1] + name[0] + name[2:])
    return [f for f in forms if f]


# --- the faults ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaultKind:
    """One way to damage a playbook: `apply(draw, doc, want)` damages the doc in place and returns the code that
    must now be reported (`want`, when given, is the code to aim at); `codes` are the codes it can aim at."""

    apply: Callable[[st.DrawFn, Doc, str | None], str]
    codes: frozenset[str]


FAULTS: dict[str, FaultKind] = {}
Simple = Callable[[st.DrawFn, Doc], str]
Aimed = Callable[[st.DrawFn, Doc, str | None], str]


def fault(code: str) -> Callable[[Simple], Simple]:
    """Register a fault that is always reported with `code`."""

    def register(func: Simple) -> Simple:
        def apply(draw: st.DrawFn, doc: Doc, want: str | None) -> str:
            found = func(draw, doc)
            assert found == code, (func.__name__, found, code)
            return found

        FAULTS[func.__name__.replace("_", "-")] = FaultKind(apply, frozenset([code]))
        return func

    return register


def aimed(codes: Iterable[str]) -> Callable[[Aimed], Aimed]:
    """Register a fault that can aim at any of `codes`."""

    def register(func: Aimed) -> Aimed:
        FAULTS[func.__name__.replace("_", "-")] = FaultKind(func, frozenset(codes))
        return func

    return register


def all_models() -> list[type[BaseModel]]:
    """Every model a content file is validated against, nested ones included."""
    found: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in found:
            return
        found.append(model)
        for name in model.model_fields:
            shape = field_shape(model, name)
            inner = shape.model or (shape.item.model if shape.item is not None else None)
            if inner is not None:
                visit(inner)

    for model in FILE_MODELS.values():
        visit(model)
    return found


HOSTILE_CODES = frozenset(
    code for model in all_models() for name in model.model_fields for _values, code in field_options(model, name)
)


def _holder(draw: st.DrawFn, doc: Doc, where: Callable[[Holder, dict[Any, Any]], bool] = lambda h, d: True) -> Holder:
    found = [h for h in holders(doc) if where(h, h.data(doc))]
    return pick(draw, found)


@aimed(HOSTILE_CODES)
def hostile_value(draw: st.DrawFn, doc: Doc, want: str | None) -> str:
    """One field of one mapping gets a value its type refuses (aimed: a field that can refuse it with `want`)."""
    candidates = [
        (holder, name, option)
        for holder in holders(doc)
        for name in holder.fields()
        for option in field_options(holder.model, name)
        if (want is None or option[1] == want)
        # playbook.yml is no entity: its own `review_by` is not checked (see the report of tests/test_fuzz.py)
        and not (option[1] == "stale" and holder.model is PlaybookMeta)
    ]
    holder, name, (values, code) = pick(draw, candidates)
    value = copy.deepcopy(draw(values))
    ref = field_shape(holder.model, name).ref or getattr(field_shape(holder.model, name).item, "ref", "")
    other = next((i for kind, ids in doc.ids.items() if kind != ref for i in ids), MISSING)
    holder.data(doc)[name] = [other] if value == [OTHER_KIND] else other if value is OTHER_KIND else value
    if holder.path and Path(holder.rel).stem == "activity":  # an entry's field: reported at its value
        inside = field_shape(holder.model, name).kind == "text" and isinstance(value, str) and bool(value.strip())
        doc.aim = Aim(holder.rel, holder.data(doc), name, line_only=inside)  # markup: where it starts in the text
    return code


@aimed({code for _raw, code in RAW_VALUES})
def raw_value(draw: st.DrawFn, doc: Doc, want: str | None) -> str:
    """One field is written as YAML that is refused wherever it stands."""
    holder = _holder(draw, doc)
    name = pick(draw, holder.fields())
    raw, code = pick(draw, [r for r in RAW_VALUES if want is None or r[1] == want])
    holder.data(doc)[name] = [Raw(raw)] if draw(st.booleans()) else Raw(raw)
    return code


@fault("alias-limit")
def repeated_anchors(draw: st.DrawFn, doc: Doc) -> str:
    holder = _holder(draw, doc)
    holder.data(doc)[pick(draw, holder.fields())] = alias_bomb()
    return "alias-limit"


@fault("alias-loop")
def alias_inside_its_anchor(draw: st.DrawFn, doc: Doc) -> str:
    holder = _holder(draw, doc)
    holder.data(doc)[pick(draw, holder.fields())] = self_loop()
    return "alias-loop"


@fault("too-deep")
def nesting_too_deep(draw: st.DrawFn, doc: Doc) -> str:
    holder = _holder(draw, doc)
    holder.data(doc)[pick(draw, holder.fields())] = nested(draw(st.integers(MAX_DEPTH + 1, MAX_DEPTH + 40)))
    return "too-deep"


@fault("missing-field")
def missing_field(draw: st.DrawFn, doc: Doc) -> str:
    def has_required(holder: Holder, data: dict[Any, Any]) -> bool:
        return any(holder.model.model_fields[n].is_required() and n in data for n in holder.fields())

    holder = _holder(draw, doc, has_required)
    data = holder.data(doc)
    name = pick(draw, [n for n in holder.fields() if holder.model.model_fields[n].is_required() and n in data])
    del data[name]
    return "missing-field"


@fault("unknown-field")
def unknown_field(draw: st.DrawFn, doc: Doc) -> str:
    holder = _holder(draw, doc)
    known = set(holder.model.model_fields) - ({"id"} if not holder.path and "/" in holder.rel else set())
    names = sorted(({m for n in holder.fields() for m in misspellings(n)} | {"id", "colour", "owner_id", "descripton"}) - known)
    holder.data(doc)[pick(draw, names)] = "x"
    return "unknown-field"


@fault("more-problems")
def many_unknown_fields(draw: st.DrawFn, doc: Doc) -> str:
    """More unknown fields in one mapping than one file lists (codes.PER_FILE): the rest are counted in one problem."""
    holder = _holder(draw, doc)
    data = holder.data(doc)
    for index in range(PER_FILE + draw(st.integers(1, 50))):
        data[f"unknown_{index:03d}"] = "x"
    return "more-problems"


@fault("unknown-field")
def misspelt_field(draw: st.DrawFn, doc: Doc) -> str:
    """A required field written under a misspelt name: reported once, as unknown, not also as missing."""

    def has_required(holder: Holder, data: dict[Any, Any]) -> bool:
        return any(holder.model.model_fields[n].is_required() and n in data for n in holder.fields())

    holder = _holder(draw, doc, has_required)
    data = holder.data(doc)
    name = pick(draw, [n for n in holder.fields() if holder.model.model_fields[n].is_required() and n in data])
    wrong = pick(draw, [m for m in misspellings(name) if m not in holder.model.model_fields])
    data[wrong] = data.pop(name)
    return "unknown-field"


@fault("duplicate-key")
def repeated_key(draw: st.DrawFn, doc: Doc) -> str:
    holder = _holder(draw, doc, lambda h, d: bool(d))
    data = holder.data(doc)
    data[Raw(pick(draw, sorted(k for k in data if isinstance(k, str))))] = "again"
    return "duplicate-key"


@fault("bad-key")
def list_as_key(draw: st.DrawFn, doc: Doc) -> str:
    holder = _holder(draw, doc)
    holder.data(doc)[Raw(pick(draw, ["[a, b]", "{a: 1}", "[name]"]))] = "c"
    return "bad-key"


@fault("merge-key")
def merge_key(draw: st.DrawFn, doc: Doc) -> str:
    holder = _holder(draw, doc)
    holder.data(doc)[Raw("<<")] = {}
    return "merge-key"


# --- across entities ---


def _entities(doc: Doc) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, id, data) of every entity."""
    found = []
    for rel, data in doc.files.items():
        if not isinstance(data, dict):
            continue
        folder = rel.partition("/")[0] if "/" in rel else ""
        kind = {"roles": "role", "leads": "lead", "kpis": "kpi"}.get(folder)
        if kind:
            found.append((kind, Path(rel).stem, data))
            continue
        for k in KINDS.values():
            if k.list_key and Path(rel).stem == k.file and "/" not in rel:
                found += [(k.name, item["id"], item) for item in data.get(k.list_key, []) if isinstance(item, dict)]
    return found


def _list_file(doc: Doc, stem: str, default: dict[str, Any]) -> dict[str, Any]:
    rel = next((r for r in doc.files if "/" not in r and Path(r).stem == stem), None)
    if rel is None:
        rel = f"{stem}.yml"
        doc.files[rel] = default
    return doc.files[rel]


def _a_role(doc: Doc) -> str:
    return doc.ids["role"][0]


@fault("duplicate-id")
def repeated_id_in_a_list(draw: st.DrawFn, doc: Doc) -> str:
    checklist = _list_file(doc, "checklist", {"steps": []})
    steps = checklist.setdefault("steps", [])
    step = {
        "id": pick(draw, [s["id"] for s in steps] or ["twicetwice"]),
        "title": "T",
        "description": "D",
        "owner": _a_role(doc),
    }
    steps.extend([step] if steps else [step, dict(step)])
    return "duplicate-id"


@fault("duplicate-id")
def repeated_function(draw: st.DrawFn, doc: Doc) -> str:
    meta = doc.files[doc.rel("playbook")]
    functions = meta.get("functions") or [{"id": f, "name": f.title()} for f in doc.functions]
    meta["functions"] = [*functions, dict(pick(draw, functions))]
    return "duplicate-id"


@fault("duplicate-id")
def same_id_yml_and_yaml(draw: st.DrawFn, doc: Doc) -> str:
    rel = doc.rel("role", pick(draw, doc.ids["role"]))
    twin = rel[: -len(Path(rel).suffix)] + (".yaml" if rel.endswith(".yml") else ".yml")
    doc.files[twin] = copy.deepcopy(doc.files[rel])
    return "duplicate-id"


@fault("duplicate-file")
def same_file_yml_and_yaml(draw: st.DrawFn, doc: Doc) -> str:
    rel = pick(draw, sorted(r for r in doc.files if "/" not in r))
    twin = rel[: -len(Path(rel).suffix)] + (".yaml" if rel.endswith(".yml") else ".yml")
    doc.files[twin] = copy.deepcopy(doc.files[rel])
    return "duplicate-file"


@fault("ambiguous-reference")
def id_in_two_kinds(draw: st.DrawFn, doc: Doc) -> str:
    taken = pick(draw, doc.ids["role"])
    glossary = _list_file(doc, "glossary", {"terms": []})
    glossary.setdefault("terms", []).append({"id": taken, "term": "Twin", "definition": "D", "see_also": [taken]})
    return "ambiguous-reference"


@fault("reports-to-cycle")
def reports_to_cycle(draw: st.DrawFn, doc: Doc) -> str:
    roles = doc.ids["role"]
    first = pick(draw, roles)
    second = pick(draw, roles)
    doc.files[doc.rel("role", first)]["reports_to"] = second
    doc.files[doc.rel("role", second)]["reports_to"] = first
    return "reports-to-cycle"


@fault("duplicate-order")
def repeated_order(draw: st.DrawFn, doc: Doc) -> str:
    if len(doc.ids["lead"]) < 2:
        for lead_id in ("extraone", "extratwo")[len(doc.ids["lead"]) :]:
            doc.files[f"leads/{lead_id}.yml"] = {
                "name": "L",
                "order": 1,
                "definition": "D",
                "owner": _a_role(doc),
                "entry_criteria": ["E"],
            }
            doc.ids["lead"].append(lead_id)
    first, second = draw(st.lists(st.sampled_from(doc.ids["lead"]), min_size=2, max_size=2, unique=True))
    doc.files[doc.rel("lead", second)]["order"] = doc.files[doc.rel("lead", first)]["order"]
    return "duplicate-order"


@fault("duplicate-abbreviation")
def repeated_abbreviation(draw: st.DrawFn, doc: Doc) -> str:
    candidates = [(kind, i, data) for kind, i, data in _entities(doc) if kind in ABBREVIATED]
    if len(candidates) < 2:
        glossary = _list_file(doc, "glossary", {"terms": []})
        term = {"id": "extraterm", "term": "Extra", "definition": "D"}
        glossary.setdefault("terms", []).append(term)
        candidates.append(("term", "extraterm", term))
    first, second = draw(st.lists(st.sampled_from(range(len(candidates))), min_size=2, max_size=2, unique=True))
    word = candidates[first][2].setdefault("abbreviation", "ABC")
    candidates[second][2]["abbreviation"] = pick(draw, [word, word.lower(), word.swapcase()])
    return "duplicate-abbreviation"


def _alignment(doc: Doc) -> dict[str, Any]:
    alignment = _list_file(doc, "alignment", {})
    questions = alignment.setdefault("questions", [])
    if not questions:
        questions.append({"id": "extraquestion", "text": "We agree."})
    stages = alignment.setdefault("stages", [])
    if not stages:
        stages.append({"id": "extrastage", "name": "S", "score": [0, 0], "description": "D"})
    count = len(questions)
    cut = (5 * count - count) // len(stages) if len(stages) > 1 else 0
    for index, stage in enumerate(stages):
        stage["score"] = [count + index * cut, (count + (index + 1) * cut - 1) if index < len(stages) - 1 else 5 * count]
    return alignment


@fault("score-bands")
def bands_do_not_cover_the_totals(draw: st.DrawFn, doc: Doc) -> str:
    stages = _alignment(doc)["stages"]
    stage = pick(draw, stages)
    low, high = stage["score"]
    stage["score"] = pick(draw, [[low, high + 1], [low + 1, high + 1], [low - 1, high]])
    if stage["score"][0] > stage["score"][1]:
        stage["score"] = [low, high + 1]
    return "score-bands"


@fault("band-order")
def band_backwards(draw: st.DrawFn, doc: Doc) -> str:
    stage = pick(draw, _alignment(doc)["stages"])
    low = stage["score"][0]
    stage["score"] = [low + draw(st.integers(1, 5)), low]
    return "band-order"


@fault("retired-reference")
def refers_to_a_retired_entity(draw: st.DrawFn, doc: Doc) -> str:
    role = pick(draw, doc.ids["role"])
    checklist = _list_file(doc, "checklist", {"steps": []})
    checklist.setdefault("steps", []).append({"id": "extrastep", "title": "T", "description": "D", "owner": role})
    doc.files[doc.rel("role", role)]["status"] = "retired"
    return "retired-reference"


@fault("stale")
def review_date_passed(draw: st.DrawFn, doc: Doc) -> str:
    _kind, _id, data = pick(draw, [e for e in _entities(doc) if e[2].get("status") != "retired"])
    data["review_by"] = draw(st.dates(date(2000, 1, 1), TODAY - timedelta(days=1)))
    return "stale"


# --- what only publishing reports, and CODEOWNERS beside the content ---


@fault("draft-reference")
def published_entity_refers_to_a_draft(draw: st.DrawFn, doc: Doc) -> str:
    role = pick(draw, doc.ids["role"])
    checklist = _list_file(doc, "checklist", {"steps": []})
    checklist.setdefault("steps", []).append(
        {"id": "extrastep", "title": "T", "description": "D", "owner": role, "status": "agreed"}
    )
    doc.files[doc.rel("role", role)]["status"] = "draft"
    return "draft-reference"


@fault("draft-playbook")
def draft_playbook(draw: st.DrawFn, doc: Doc) -> str:
    doc.files[doc.rel("playbook")]["status"] = "draft"
    return "draft-playbook"


@fault("draft-diagnostic")
def draft_statement_breaks_the_bands(draw: st.DrawFn, doc: Doc) -> str:
    alignment = _alignment(doc)
    questions = alignment["questions"]
    if len(questions) < 2:
        questions.append({"id": "extraquestiontwo", "text": "We share a target."})
        _alignment(doc)
    for item in alignment["stages"] + questions:
        item["status"] = "agreed"
    pick(draw, questions)["status"] = "draft"
    return "draft-diagnostic"


@fault("codeowners-outdated")
def codeowners_out_of_date(draw: st.DrawFn, doc: Doc) -> str:
    doc.beside[".github/CODEOWNERS"] = pick(draw, [b"* @someone\n", b"\n", b"# CODEOWNERS\n/content/ @acme/old\n"])
    return "codeowners-outdated"


# --- the numbers: results files and the activity record ---
# The faults a person makes in a spreadsheet export or a hand-kept record. Each says, in `doc.aim`, which cell of a
# results file or which value in activity.yml or checklist.yml the problem must be reported at (tests/test_fuzz.py
# checks the line and column).

# Codes that need results files and activity.yml: damaged() draws a playbook with both when it aims at one.
NUMBER_CODES = frozenset(
    {
        "results-header",
        "results-row",
        "csv-syntax",
        "bad-number",
        "bad-period",
        "duplicate-period",
        "period-form",
        "implausible-value",
        "future-period",
        "future-date",
        "unknown-kpi",
        "no-results",
        "stale-results",
        "overdue-step",
    }
)


def _kpi_files(doc: Doc) -> dict[str, dict[str, Any]]:
    """KPI id -> its data, for every KPI file."""
    return {Path(r).stem: v for r, v in doc.files.items() if r.startswith("kpis/") and isinstance(v, dict)}


def _tables(doc: Doc) -> list[tuple[str, str, Csv]]:
    """(path, KPI id, table) of every results file named after a KPI."""
    kpis = _kpi_files(doc)
    return [(r, Path(r).stem, v) for r, v in sorted(doc.files.items()) if isinstance(v, Csv) and Path(r).stem in kpis]


def _a_kpi(doc: Doc) -> str:
    """A KPI of the playbook (one is added when there is none)."""
    kpis = _kpi_files(doc)
    if kpis:
        return sorted(kpis)[0]
    doc.files["kpis/extrakpi.yml"] = {
        "name": "Extra",
        "definition": "D",
        "formula": "F",
        "unit": "count",
        "direction": "higher",
        "owner": _a_role(doc),
    }
    doc.ids.setdefault("kpi", []).append("extrakpi")
    return "extrakpi"


def _add_row(table: Csv, period: str, value: str, at: int | None = None) -> list[Any]:
    row = ["" for _ in table.columns]
    row[table.col("period")], row[table.col("value")] = period, value
    table.rows.insert(len(table.rows) if at is None else at, row)
    return row


def _a_table(draw: st.DrawFn, doc: Doc, *, rows: int = 1, in_force: bool = False) -> tuple[str, str, Csv]:
    """A results file of a KPI (one is written when there is none) with at least `rows` rows; `in_force`: of a KPI
    that is not a draft (it is agreed if need be)."""
    found = _tables(doc)
    if not found:
        kpi_id = _a_kpi(doc)
        doc.files[f"results/{kpi_id}.csv"] = Csv(["period", "value"], [])
        found = _tables(doc)
    rel, kpi_id, table = pick(draw, found)
    kpi = _kpi_files(doc)[kpi_id]
    if in_force and kpi.get("status") == "draft":
        kpi["status"] = "agreed"
    form = results_form(kpi, table)
    taken = {row[table.col("period")] for row in table.rows}
    back = due_back(form, kpi.get("cadence"))
    while len(table.rows) < rows:
        period = periods_back(form, back).text
        if period not in taken:
            _add_row(table, period, VALUES[kpi["unit"]][0])
            taken.add(period)
        back += 1
    return rel, kpi_id, table


def _a_row(draw: st.DrawFn, table: Csv) -> list[Any]:
    return table.rows[draw(st.integers(0, len(table.rows) - 1))]


def _index(table: Csv, row: list[Any]) -> int:
    return next(i for i, r in enumerate(table.rows) if r is row)


HEADER_SLIPS = {
    "period": ["Period", "PERIOD", "periode", "perod", "month", "Zeitraum"],
    "value": ["Value", "values", "valeur", "result", "amount", "val"],
    "note": ["Note", "notes", "comment", "Kommentar"],
}


@fault("results-header")
def results_header_not_the_format(draw: st.DrawFn, doc: Doc) -> str:
    """Cells separated by `;` (Excel in a German or French locale) or tabs (pasted from a spreadsheet), a column
    capitalised or misspelt, one twice, `period` or `value` left out."""
    rel, _kpi_id, table = _a_table(draw, doc, rows=0)
    how = pick(draw, ["semicolons", "tabs", "misspelt", "twice", "missing"])
    if how in ("semicolons", "tabs"):
        table.separator, table.quote, table.pad = (";" if how == "semicolons" else "\t"), 0, 0
        doc.aim = Aim(rel, table.columns, 0)
    elif how == "misspelt":
        index = draw(st.integers(0, len(table.columns) - 1))
        table.columns[index] = pick(draw, HEADER_SLIPS[table.columns[index]])
        doc.aim = Aim(rel, table.columns, index)
    elif how == "twice":
        first = draw(st.integers(0, len(table.columns) - 1))
        second = draw(st.integers(first + 1, len(table.columns)))
        for record in [table.columns, *table.rows]:
            record.insert(second, record[first])
        doc.aim = Aim(rel, table.columns, second)
    else:
        index = table.col(pick(draw, ["period", "value"]))
        for record in [table.columns, *table.rows]:
            del record[index]
        doc.aim = Aim(rel, table.columns, 0)
    return "results-header"


@fault("results-row")
def results_row_of_another_width(draw: st.DrawFn, doc: Doc) -> str:
    """A row whose cells do not match the header: `18,5` or `1,850` typed without quotes, a note with a comma
    without quotes, a row cut short or with a cell more, a note over 500 characters."""
    rel, _kpi_id, table = _a_table(draw, doc, rows=1)
    row = _a_row(draw, table)
    value = table.col("value")
    how = pick(draw, ["decimal-comma", "thousands", "note-with-comma", "cut-short", "cell-more", "long-note"])
    if how in ("decimal-comma", "thousands"):
        table.leave_out = False  # `2026-Q3,18,5` without its empty note would read as the note 5
        whole, part = draw(st.integers(0, 999)), draw(st.integers(0, 999))
        row[value] = Raw(f"{whole},{part % 10}" if how == "decimal-comma" else f"{whole or 1},{part:03d}")
        doc.aim = Aim(rel, row, value)  # the cells are the number split in two
        return "results-row"
    if how in ("note-with-comma", "long-note") and "note" not in table.columns:
        for record in [table.columns, *table.rows]:
            record.append("note" if record is table.columns else "")
    if how == "note-with-comma":
        row[table.col("note")] = Raw(pick(draw, ["New pricing, from May", "Big deal, signed late", "see CRM, report 4"]))
        doc.aim = Aim(rel, row, None)
    elif how == "long-note":
        row[table.col("note")] = ("Long story. " * 200)[: draw(st.integers(501, 2000))].strip() + "."
        doc.aim = Aim(rel, row, table.col("note"))
    elif how == "cut-short":  # the period is kept: a row of one empty cell would be a blank line
        period = row[table.col("period")]
        drop = 2 if table.columns[-1] == "note" and len(table.columns) == 3 else 1
        others = [i for i in range(len(row)) if i != table.col("period")]
        for index in sorted(draw(st.lists(st.sampled_from(others), min_size=drop, max_size=drop, unique=True)), reverse=True):
            del row[index]
        assert period in row
        doc.aim = Aim(rel, row, -1)
    else:
        row.append(pick(draw, ["late", "", "see CRM", "x"]))
        doc.aim = Aim(rel, row, None)
    return "results-row"


@fault("csv-syntax")
def quote_never_closed(draw: st.DrawFn, doc: Doc) -> str:
    """A cell whose opening quote is never closed (the file ends inside it), or text after a closing quote
    (`"Big deal" closed`), in the last row."""
    rel, _kpi_id, table = _a_table(draw, doc, rows=1)
    row = table.rows.pop(draw(st.integers(0, len(table.rows) - 1)))
    table.rows.append(row)
    index = draw(st.integers(0, len(row) - 1))
    text = str(row[index]).replace('"', "").replace("\n", " ") or "never closed"
    if draw(st.booleans()):
        del row[index + 1 :]  # the rest of the file is inside the cell
        row[index] = Raw('"' + text)
        doc.aim = Aim(rel, row, index)
    else:
        row[index] = Raw(f'"{text}" {pick(draw, ["closed", "x", "(est.)"])}')
        # Reported at the quoted cell with text after its closing quote (the first such cell of the record).
        doc.aim = Aim(rel, row, index)
    return "csv-syntax"


@fault("bad-number")
def value_not_a_plain_number(draw: st.DrawFn, doc: Doc) -> str:
    """The value as a spreadsheet shows it: a decimal comma, a percent sign, thousands separators, a currency,
    a unit, `n/a`, nothing."""
    rel, _kpi_id, table = _a_table(draw, doc, rows=1)
    row = _a_row(draw, table)
    value = table.col("value")
    number = str(row[value])
    row[value] = pick(
        draw,
        [
            number.replace(".", ",") if "." in number else f"{number},5",
            f"{number}%",
            f"1,{draw(st.integers(0, 999)):03d}",
            f"${number}",
            f"EUR {number}",
            f"{number}h",
            f"{number} k",
            "1.850,00",
            "\u22123",  # a minus sign from a word processor
            "n/a",
            "TBD",
            "-",
            "#DIV/0!",
            "",
        ],
    )
    doc.aim = Aim(rel, row, value)
    return "bad-number"


def slipped_periods(text: str) -> list[str]:
    """`text` (a period) written the ways people write it, and periods that do not exist."""
    period = parse_period(text)
    year = period.start.year
    if period.kind == "year":
        return [f"FY{year}", f"'{year % 100:02d}", f"{year % 100:02d}", f"{year}.0", f"year {year}"]
    if period.kind == "quarter":
        q = text[-1]
        return [f"Q{q} {year}", f"{year} Q{q}", f"{year}/Q{q}", f"Q{q}/{year}", f"{year}-q{q}", f"{year}Q{q}", f"{year}-Q5"]
    if period.kind == "month":
        month = period.start.month
        unpadded = f"{year}-{month}" if month < 10 else f"{year}.{month:02d}"  # 2026-11 would be the month itself
        return [f"{year}/{month:02d}", f"{month:02d}/{year}", period.start.strftime("%B %Y"), unpadded, f"{year}-13"]
    if period.kind == "week":
        iso_year, week = text.split("-W")
        weeks = date(int(iso_year), 12, 28).isocalendar()[1]
        return [
            f"{iso_year}-W{int(week)}" if int(week) < 10 else f"{iso_year}W{week}",  # 2026-W47 would be the week itself
            f"W{week} {iso_year}",
            f"KW {int(week)}/{iso_year}",
            f"{iso_year}-W00",
            f"{iso_year}-W{weeks + 1}",
        ]
    day = period.start
    return [
        day.strftime("%d/%m/%Y"),
        day.strftime("%m/%d/%Y"),
        day.strftime("%d.%m.%Y"),
        f"{text}T10:00",
        f"{year}-02-30",
        day.strftime("%Y%m%d"),
    ]


@fault("bad-period")
def period_not_in_a_form(draw: st.DrawFn, doc: Doc) -> str:
    """A period as people write it (`Q3 2026`, `2026/07`, `2026-W7`, `23/11/2026`), or one that does not exist."""
    rel, _kpi_id, table = _a_table(draw, doc, rows=1)
    row = _a_row(draw, table)
    period = table.col("period")
    row[period] = pick(draw, slipped_periods(row[period].strip()))
    doc.aim = Aim(rel, row, period)
    return "bad-period"


@fault("duplicate-period")
def period_twice(draw: st.DrawFn, doc: Doc) -> str:
    """A period written twice (an export run again and pasted below, a correction added instead of made)."""
    rel, kpi_id, table = _a_table(draw, doc, rows=1)
    source = _a_row(draw, table)
    again = list(source)
    if draw(st.booleans()):
        again[table.col("value")] = pick(draw, VALUES[_kpi_files(doc)[kpi_id]["unit"]])
    table.rows.insert(draw(st.integers(0, len(table.rows))), again)
    later = source if _index(table, source) > _index(table, again) else again
    doc.aim = Aim(rel, later, table.col("period"))
    return "duplicate-period"


@fault("period-form")
def period_of_another_form(draw: st.DrawFn, doc: Doc) -> str:
    """A period of another form than the target counts over (a month for a quarterly target), or than the
    file's first row."""
    rel, kpi_id, table = _a_table(draw, doc, rows=1)
    form = results_form(_kpi_files(doc)[kpi_id], table)
    other = pick(draw, [kind for kind in PERIOD_KINDS if kind != form])
    period = period_of(other, TODAY - timedelta(days=draw(st.integers(0, 800))))
    by_target = bool((_kpi_files(doc)[kpi_id].get("target") or {}).get("period"))
    at = draw(st.integers(0 if by_target else 1, len(table.rows)))  # not above the first row: it sets the form
    row = _add_row(table, period.text, table.rows[0][table.col("value")], at)
    doc.aim = Aim(rel, row, table.col("period"))
    return "period-form"


@fault("implausible-value")
def value_not_meant_in_the_unit(draw: st.DrawFn, doc: Doc) -> str:
    """A percent of 1850 (18.50 without its point), a negative count, time or ratio."""
    units = ("percent", "count", "hours", "days", "ratio")
    kpis = _kpi_files(doc)
    found = [(r, k, t) for r, k, t in _tables(doc) if t.rows and kpis[k].get("unit") in units]
    if found:
        rel, kpi_id, table = pick(draw, found)
    else:
        rel, kpi_id, table = _a_table(draw, doc, rows=1)
        kpis[kpi_id]["unit"] = "percent"
        kpis[kpi_id].pop("currency", None)
        for row in table.rows:
            row[table.col("value")] = "20"
    row = _a_row(draw, table)
    if kpis[kpi_id]["unit"] == "percent":
        written = str(
            draw(st.one_of(st.sampled_from([1850, 2450, 10000]), st.integers(1001, 10**6), st.integers(-(10**4), -101)))
        )
    else:
        written = "-" + pick(draw, ["1", "3", "0.5", "12", "250"])
    row[table.col("value")] = written
    doc.aim = Aim(rel, row, table.col("value"))
    return "implausible-value"


@fault("future-period")
def period_not_begun(draw: st.DrawFn, doc: Doc) -> str:
    """A result for a period that has not begun: next year's, or the next period's."""
    rel, kpi_id, table = _a_table(draw, doc, rows=0)
    kpi = _kpi_files(doc)[kpi_id]
    period = period_of(results_form(kpi, table), TODAY + timedelta(days=draw(st.integers(1, 800))))
    if period.start <= TODAY:
        period = next_period(period)
    row = _add_row(table, period.text, VALUES[kpi["unit"]][0], draw(st.integers(1 if table.rows else 0, len(table.rows))))
    doc.aim = Aim(rel, row, table.col("period"))
    return "future-period"


@fault("unknown-kpi")
def results_named_after_no_kpi(draw: st.DrawFn, doc: Doc) -> str:
    """A results file named after a KPI misspelt (`win-rat.csv`), renamed or copied."""
    rel, kpi_id, table = _a_table(draw, doc, rows=0)
    kpis = _kpi_files(doc)
    names = [m for m in [*misspellings(kpi_id), f"{kpi_id}-old", f"{kpi_id}x"] if ID_RE.match(m) and m not in kpis]
    name = pick(draw, sorted(set(names)))
    if draw(st.booleans()):
        del doc.files[rel]
    else:
        table = copy.deepcopy(table)
    doc.files[f"results/{name}.csv"] = table
    doc.aim = Aim(f"results/{name}.csv", table.columns, 0)
    return "unknown-kpi"


@fault("bad-id")
def results_file_name_not_an_id(draw: st.DrawFn, doc: Doc) -> str:
    """A results file saved under a name that is no id (`Win Rate.csv`, `win-rate (1).csv`)."""
    rel, kpi_id, table = _a_table(draw, doc, rows=0)
    name = pick(draw, [kpi_id.upper(), kpi_id.replace("-", "_") + "_", f"{kpi_id} (1)", f"{kpi_id}-2026.v2", f"Copy of {kpi_id}"])
    doc.files[f"results/{name}.csv"] = doc.files.pop(rel)
    doc.aim = Aim(f"results/{name}.csv", table.columns, 0)
    return "bad-id"


@fault("no-results")
def kpi_without_results(draw: st.DrawFn, doc: Doc) -> str:
    """A KPI in force without results in a playbook with results: its file removed or emptied to the header, or
    a KPI just agreed."""
    in_force = [(r, k, t) for r, k, t in _tables(doc) if _kpi_files(doc)[k].get("status") != "draft"]
    csv_files = [r for r, v in doc.files.items() if isinstance(v, Csv)]
    how = pick(draw, ["new-kpi", "emptied"] + (["removed"] if in_force and len(csv_files) >= 2 else []))
    if how == "removed":
        rel, kpi_id, _table = pick(draw, in_force)
        del doc.files[rel]
        doc.aim = Aim(doc.rel("kpi", kpi_id), None)
    elif how == "emptied":
        rel, _kpi_id, table = pick(draw, in_force) if in_force else _a_table(draw, doc, rows=0, in_force=True)
        table.rows.clear()
        doc.aim = Aim(rel, table.columns, 0)
    else:
        _a_table(draw, doc, rows=1, in_force=True)  # the playbook has results
        doc.files["kpis/newmetric.yml"] = {
            "name": "New metric",
            "definition": "D",
            "formula": "F",
            "unit": pick(draw, sorted(VALUES)),
            "direction": "higher",
            "owner": _a_role(doc),
            "status": pick(draw, ["agreed", "proposed"]),
        }
        if doc.files["kpis/newmetric.yml"]["unit"] == "currency":
            doc.files["kpis/newmetric.yml"]["currency"] = "EUR"
        doc.ids.setdefault("kpi", []).append("newmetric")
        doc.aim = Aim("kpis/newmetric.yml", None)
    return "no-results"


@fault("stale-results")
def results_behind(draw: st.DrawFn, doc: Doc) -> str:
    """The export stopped: a KPI in force whose latest result is older than the last full period of its cadence."""
    rel, kpi_id, table = _a_table(draw, doc, rows=1, in_force=True)
    kpi = _kpi_files(doc)[kpi_id]
    form = results_form(kpi, table)
    due = due_period(form, kpi.get("cadence"), TODAY)
    at = table.col("period")
    table.rows[:] = [row for row in table.rows if parse_period(row[at].strip()).end < due.end]
    if not table.rows:
        _add_row(
            table, periods_back(form, due_back(form, kpi.get("cadence")) + draw(st.integers(1, 4))).text, VALUES[kpi["unit"]][0]
        )
    latest = max(table.rows, key=lambda row: parse_period(row[at].strip()).start)
    doc.aim = Aim(rel, latest, 0)
    return "stale-results"


def _activity(doc: Doc) -> list[Any]:
    """The entries of activity.yml (the file is written when there is none)."""
    log = _list_file(doc, "activity", {"entries": []})
    if not isinstance(log.get("entries"), list):
        log["entries"] = []
    entries: list[Any] = log["entries"]
    return entries


def _steps(doc: Doc) -> list[dict[str, Any]]:
    """The checklist's steps (one is added when there is none)."""
    steps: list[dict[str, Any]] = _list_file(doc, "checklist", {"steps": []}).setdefault("steps", [])
    if not steps:
        steps.append({"id": "extrastep", "title": "T", "description": "D", "owner": _a_role(doc)})
        doc.ids.setdefault("step", []).append("extrastep")
    return steps


@fault("overdue-step")
def practice_overdue(draw: st.DrawFn, doc: Doc) -> str:
    """A step with a cadence that has passed since it was last recorded, or that never was; or a cadence given to
    a step that has no recent entry."""
    entries, steps = _activity(doc), _steps(doc)
    step = pick(draw, steps)
    if step.get("cadence") not in OVERDUE_AFTER or draw(st.integers(0, 3)) == 0:
        step["cadence"] = pick(draw, sorted(OVERDUE_AFTER))
    if step.get("status") == "draft":
        step["status"] = "agreed"
    entries[:] = [e for e in entries if not (isinstance(e, dict) and e.get("step") == step["id"])]
    if draw(st.booleans()):
        days = OVERDUE_AFTER[step["cadence"]] + draw(st.integers(0, 400))
        last = {"step": step["id"], "date": TODAY - timedelta(days=days)}
        entries.insert(draw(st.integers(0, len(entries))), last)
        doc.aim = Aim(doc.rel("activity"), last, "date")  # at the date of its last entry
    else:
        doc.aim = Aim(doc.rel("checklist"), step, "cadence")  # never recorded: at the step's cadence
    return "overdue-step"


@fault("future-date")
def practice_in_the_future(draw: st.DrawFn, doc: Doc) -> str:
    """An activity dated after today: next year's typed for this year's, or a meeting recorded before it was held."""
    entries, steps = _activity(doc), _steps(doc)
    recorded = [e for e in entries if isinstance(e, dict) and isinstance(e.get("date"), date)]
    if bool(recorded) and draw(st.booleans()):
        entry = pick(draw, recorded)
    else:
        entry = {"step": pick(draw, steps)["id"], "date": TODAY}
        entries.insert(draw(st.integers(0, len(entries))), entry)
    day = entry["date"] + timedelta(days=365)
    entry["date"] = day if day > TODAY else TODAY + timedelta(days=draw(st.integers(1, 400)))
    doc.aim = Aim(doc.rel("activity"), entry, "date")
    return "future-date"


# --- the bytes of one file ---


def _a_file(draw: st.DrawFn, doc: Doc) -> str:
    return pick(draw, sorted(r for r, v in doc.files.items() if isinstance(v, dict)))


def _any_file(draw: st.DrawFn, doc: Doc) -> str:
    """A YAML file or a results file."""
    rel: str = pick(draw, sorted(r for r, v in doc.files.items() if isinstance(v, dict | Csv)))
    return rel


def _insert(draw: st.DrawFn, data: bytes, piece: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + piece + data[at:]


@fault("empty-file")
def empty_file(draw: st.DrawFn, doc: Doc) -> str:
    rel = _any_file(draw, doc)
    if isinstance(doc.files[rel], Csv):  # no header: nothing, blank lines, a byte-order mark
        doc.files[rel] = pick(draw, [b"", b"\n\n", b"\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"])
        return "empty-file"
    doc.files[rel] = pick(draw, [b"", b"\n\n", b"# nothing yet\n", b"---\n", b"--- # empty\n...\n", b"\xef\xbb\xbf"])
    return "empty-file"


@fault("not-a-mapping")
def top_level_not_a_mapping(draw: st.DrawFn, doc: Doc) -> str:
    doc.files[_a_file(draw, doc)] = draw(
        st.sampled_from([b"- a\n- b\n", b"just words\n", b"42\n", b"[a, b]\n", b"!!set {a}\n", b"'quoted'\n", b"~\n", b"null\n"])
    )
    return "not-a-mapping"


@fault("not-utf8")
def not_utf8(draw: st.DrawFn, doc: Doc) -> str:
    rel = _any_file(draw, doc)
    doc.files[rel] = _insert(draw, file_bytes(doc, rel), pick(draw, [b"\xff", b"\xfe", b"\xc0", b"\xe9 ", b"\xed\xa0\x80"]))
    return "not-utf8"


@fault("control-character")
def control_character_in_the_file(draw: st.DrawFn, doc: Doc) -> str:
    rel = _any_file(draw, doc)
    piece = pick(draw, ["\x00", "\x07", "\x08", "\x1b", "\x7f", "\x0b", "\x0c", "\x9b"])
    text = file_bytes(doc, rel).decode("utf-8")  # between characters: inside one the bytes would not be UTF-8
    at = draw(st.integers(0, len(text)))
    doc.files[rel] = (text[:at] + piece + text[at:]).encode("utf-8")
    return "control-character"


@fault("tab-indent")
def tab_indentation(draw: st.DrawFn, doc: Doc) -> str:
    rel = _a_file(draw, doc)
    data = file_bytes(doc, rel)
    bom = data[:3] if data.startswith(b"\xef\xbb\xbf") else b""  # stays first: after a line it would be a U+FEFF
    lines = data[len(bom) :].split(b"\n")
    at = draw(st.integers(0, len(lines)))
    lines.insert(at, pick(draw, [b"\tname: x", b"  \tx: 1", b"\t- item"]))
    doc.files[rel] = bom + b"\n".join(lines)
    return "tab-indent"


@fault("schema-line")
def schema_line_elsewhere(draw: st.DrawFn, doc: Doc) -> str:
    """A schema line naming an address an editor would fetch, or a path that is not the project's own schema."""
    rel = _a_file(draw, doc)
    data = file_bytes(doc, rel)
    bom = data[:3] if data.startswith(b"\xef\xbb\xbf") else b""
    url = pick(
        draw,
        [b"https://evil.example/role.json", b"http://127.0.0.1/x.json", b"../../elsewhere/schema.json", b"file:///etc/passwd"],
    )
    doc.files[rel] = bom + b"# yaml-language-server: $schema=" + url + b"\n" + data[len(bom) :]
    return "schema-line"


@fault("file-too-large")
def file_too_large(draw: st.DrawFn, doc: Doc) -> str:
    rel = _any_file(draw, doc)
    doc.files[rel] = file_bytes(doc, rel) + b"# padding\n" * (MAX_FILE_BYTES // 10 + 1)
    return "file-too-large"


@fault("yaml-syntax")
def broken_yaml_at_the_end(draw: st.DrawFn, doc: Doc) -> str:
    rel = _a_file(draw, doc)
    tail = draw(
        st.sampled_from([b"---\nname: again\n", b"extra: [unclosed\n", b"oops: a: b\n", b"key: 'unclosed\n", b"*alias\n"])
    )
    doc.files[rel] = file_bytes(doc, rel).rstrip(b"\r\n") + b"\n" + tail
    return "yaml-syntax"


@fault("schema-line")
def schema_comment_naming_another_address(draw: st.DrawFn, doc: Doc) -> str:
    """A comment an editor reads as the file's schema (any form the YAML language server or JetBrains reads),
    naming an address on the web or a file outside the project, before or after the file's lines."""
    rel = pick(draw, sorted(r for r, v in doc.files.items() if isinstance(v, dict) and kind_of(r)))
    address = pick(draw, ["https://evil.example/s.json", "//evil.example/s.json", "../../../../home/me/s.json"])
    form = pick(
        draw, ["# yaml-language-server: $schema={}", "# yaml-language-server: $schema: {}", "# $schema={}", "# $schema: {}"]
    )
    line = form.format(address).encode("utf-8")
    data = file_bytes(doc, rel)
    bom = data[:3] if data.startswith(b"\xef\xbb\xbf") else b""
    body = data[len(bom) :]
    doc.files[rel] = bom + line + b"\n" + body if draw(st.booleans()) else data.rstrip(b"\r\n") + b"\n" + line + b"\n"
    return "schema-line"


# --- the layout of the folder ---


@fault("unknown-file")
def unknown_file(draw: st.DrawFn, doc: Doc) -> str:
    rel = pick(
        draw,
        ["kpi.yml", "notes.yaml", "roles/notes.txt", "leads/README.md", "kpis/draft.yml.bak", "results/win-rate.xlsx"],
    )
    doc.files[rel] = b"scratch\n"
    return "unknown-file"


@fault("bad-id")
def file_name_not_an_id(draw: st.DrawFn, doc: Doc) -> str:
    rel = doc.rel("role", pick(draw, doc.ids["role"]))
    name = pick(draw, ["Sales Manager", "sales_manager", "1st-role", "Rôle", "-x"])
    doc.files[f"roles/{name}{Path(rel).suffix}"] = doc.files.pop(rel)
    return "bad-id"


@fault("missing-playbook")
def no_playbook_file(draw: st.DrawFn, doc: Doc) -> str:
    del doc.files[doc.rel("playbook")]
    return "missing-playbook"


@fault("not-a-folder")
def file_where_a_folder_belongs(draw: st.DrawFn, doc: Doc) -> str:
    folder = pick(draw, ["roles", "leads", "kpis", "results"])
    for rel in [r for r in doc.files if r.startswith(folder + "/")]:
        del doc.files[rel]
    doc.files[folder] = b"name: x\n"
    return "not-a-folder"


@fault("not-a-folder")
def folder_linked_from_outside(draw: st.DrawFn, doc: Doc) -> str:
    folder = pick(draw, ["leads", "kpis"])
    for rel in [r for r in doc.files if r.startswith(folder + "/")]:
        del doc.files[rel]
    doc.files[folder] = Link(f"../outside-{folder}", None)
    doc.beside[f"outside-{folder}/x.yml"] = b"name: x\n"
    return "not-a-folder"


@fault("symlink-outside")
def file_linked_from_outside(draw: st.DrawFn, doc: Doc) -> str:
    doc.files["roles/stolenfile.yml"] = Link("../../outside.yml", b"name: Stolen\n")
    return "symlink-outside"


@fault("unreadable")
def unreadable_file(draw: st.DrawFn, doc: Doc) -> str:
    doc.files[pick(draw, ["roles/directory.yml", "kpis/notafile.yaml", "leads/brokenlink.yml", "results/folder.csv"])] = draw(
        st.sampled_from([Folder(), Link("nowhere.yml")])
    )
    return "unreadable"


@fault("no-content")
def no_content_directory(draw: st.DrawFn, doc: Doc) -> str:
    doc.absent = True
    return "no-content"


# --- the team survey: survey/<round>.csv ---
# A round needs the diagnostic's statements: each fault writes a small alignment.yml of its own (two stages
# covering one statement's totals), so that the fault, not the drawn diagnostic, decides what is reported.

SURVEY_ALIGNMENT = {
    "stages": [
        {"id": "fuzz-low", "name": "Low", "score": [1, 2], "description": "d"},
        {"id": "fuzz-high", "name": "High", "score": [3, 5], "description": "d"},
    ],
    "questions": [{"id": "fuzz-statement", "text": "We agree."}],
}


def _survey(doc: Doc, rows: list[str], name: str = "2026-Q3", header: str = "function,team,fuzz-statement") -> None:
    doc.files[doc.rel("alignment")] = dict(SURVEY_ALIGNMENT)
    doc.files[f"survey/{name}.csv"] = ("\n".join([header, *rows]) + "\n").encode("utf-8")


@fault("survey-header")
def survey_header_not_the_format(draw: st.DrawFn, doc: Doc) -> str:
    """A statement id misspelt, no `function` column, a column twice."""
    header = pick(draw, ["function,fuzz-statment", "team,fuzz-statement", "function,fuzz-statement,fuzz-statement"])
    _survey(doc, [], header=header)
    return "survey-header"


@fault("survey-row")
def survey_row_wrong(draw: st.DrawFn, doc: Doc) -> str:
    """A function misspelt, a cell too many, a team written as a formula."""
    function = doc.functions[0]
    row = pick(draw, [f"{function}x,,3", f"{function},,3,4", f"{function},=cmd,3"])
    _survey(doc, [row])
    return "survey-row"


@fault("survey-answer")
def survey_answer_off_the_scale(draw: st.DrawFn, doc: Doc) -> str:
    """An answer off the scale, a label, a decimal."""
    _survey(doc, [f"{doc.functions[0]},,{pick(draw, ['0', '6', 'Agree', '4.5', 'x'])}"])
    return "survey-answer"


@fault("survey-round")
def survey_round_misnamed(draw: st.DrawFn, doc: Doc) -> str:
    """A round named another way than a period, or one that has not begun."""
    _survey(doc, [f"{doc.functions[0]},,3"], name=pick(draw, ["Q3-2026", "round-1", "2027-Q1", "2099"]))
    return "survey-round"


@fault("survey-stage-differs")
def survey_disagrees_with_current(draw: st.DrawFn, doc: Doc) -> str:
    """The hand-typed `alignment.current` is not the stage the latest round computes."""
    meta = doc.files[doc.rel("playbook")]
    meta["alignment"] = {"current": "fuzz-low"}
    meta["survey_min_group"] = 5
    _survey(doc, [f"{doc.functions[0]},,{draw(st.integers(4, 5))}"] * draw(st.integers(5, 8)))
    return "survey-stage-differs"


@st.composite
def damaged(draw: st.DrawFn, want: str | None = None) -> tuple[Doc, str, str]:
    """(a playbook with one fault, the fault's name, the code it must be reported with); `want`: aim at that code."""
    doc = draw(playbooks(minimum=1 if want is not None else 0, numbers=True if want in NUMBER_CODES else None))
    name = pick(draw, sorted(n for n, f in FAULTS.items() if want is None or want in f.codes))
    return doc, name, FAULTS[name].apply(draw, doc, want)


# Faults that change the files' data (any number of them can be combined), and the ones that replace a file
# with bytes or change the folder (one, last).
END_FAULTS = {
    "codeowners-out-of-date",
    "empty-file",
    "top-level-not-a-mapping",
    "not-utf8",
    "control-character-in-the-file",
    "tab-indentation",
    "file-too-large",
    "broken-yaml-at-the-end",
    "unknown-file",
    "file-name-not-an-id",
    "no-playbook-file",
    "file-where-a-folder-belongs",
    "folder-linked-from-outside",
    "file-linked-from-outside",
    "unreadable-file",
    "no-content-directory",
}


@st.composite
def chaos(draw: st.DrawFn) -> Doc:
    """A playbook with up to four faults: no code is promised, only that every problem is well formed."""
    doc = draw(playbooks())
    for name in draw(st.lists(st.sampled_from(sorted(set(FAULTS) - END_FAULTS)), min_size=1, max_size=3)):
        try:
            FAULTS[name].apply(draw, doc, None)
        except (KeyError, StopIteration, TypeError, AttributeError, IndexError, ValueError):
            pass  # an earlier fault took away what this one needs (a field, an id)
    if draw(st.booleans()):
        FAULTS[pick(draw, sorted(END_FAULTS - {"file-too-large"}))].apply(draw, doc, None)
    return doc


# --- byte-level mutations of one valid file, for the random damage test ------------------------------

MUTATIONS = [
    "delete-line",
    "insert-line",
    "duplicate-line",
    "indent",
    "dedent",
    "tab",
    "control",
    "quote",
    "colon",
    "char",
    "byte",
    "join-lines",
]
ALPHABET = list(":-[]{}#&*!|>'\"%@`, ?<é\t\n") + ["\x00", "\u2028", "{{", "<script>", "\ufeff", "\r"]


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, int, int, str]:
    return (
        pick(draw, MUTATIONS),
        draw(st.integers(0, 10_000)),
        draw(st.integers(1, 4)),
        pick(draw, ALPHABET),
    )


def mutate(data: bytes, edits: Iterable[tuple[str, int, int, str]]) -> bytes:
    """`data` after each edit (what, where, how much, which character)."""
    for what, where, much, char in edits:
        if what == "byte":
            at = where % (len(data) + 1)
            data = data[:at] + bytes([0x80 + much * 17]) + data[at:]
            continue
        text = data.decode("utf-8", errors="surrogateescape")
        lines = text.split("\n")
        index = where % len(lines)
        line = lines[index]
        if what == "delete-line":
            del lines[index]
        elif what == "insert-line":
            lines.insert(index, lines[(index + much) % len(lines)])
        elif what == "duplicate-line":
            lines.insert(index, line)
        elif what == "indent":
            lines[index] = " " * much + line
        elif what == "dedent":
            lines[index] = line[min(much, len(line) - len(line.lstrip(" "))) :]
        elif what == "tab":
            lines[index] = "\t" + line
        elif what == "join-lines" and index + 1 < len(lines):
            lines[index : index + 2] = [line + " " + lines[index + 1].lstrip()]
        else:
            at = where % (len(text) + 1)
            if what == "control":
                text = text[:at] + chr(much * 7 % 32) + text[at:]
            elif what == "quote":
                quotes = [i for i, c in enumerate(text) if c in "'\""]
                text = (
                    text[: quotes[where % len(quotes)]] + text[quotes[where % len(quotes)] + 1 :]
                    if quotes
                    else text[:at] + '"' + text[at:]
                )
            elif what == "colon":
                colons = [m.start() for m in re.finditer(": ", text)]
                text = (
                    text[: colons[where % len(colons)]] + text[colons[where % len(colons)] + 1 :]
                    if colons
                    else text[:at] + ":" + text[at:]
                )
            else:
                text = text[:at] + char + text[at:]
            lines = text.split("\n")
        data = "\n".join(lines).encode("utf-8", errors="surrogateescape")
    return data


def every_file(doc: Doc) -> Iterator[str]:
    """The YAML files and the results files."""
    yield from sorted(r for r, v in doc.files.items() if isinstance(v, dict | Csv))


@fault("bad-repository")
def repository_address_refused(draw: st.DrawFn, doc: Doc) -> str:
    """playbook.yml's repository: not https, a token in it, a page of the repository, a host that does not
    say what it is, a branch git would refuse."""
    meta = doc.files[doc.rel("playbook")]
    meta["repository"] = pick(
        draw,
        [
            {"url": "http://github.com/example/playbook"},
            {"url": "https://user:token@github.com/example/playbook"},
            {"url": "https://github.com/example/playbook/tree/main"},
            {"url": "https://code.example.com/example/playbook"},
            {"url": "https://github.com/example/playbook", "branch": "a..b"},
        ],
    )
    return "bad-repository"
