"""Read a content directory safely and build a validated `Playbook`.

Every problem found is collected with its file, line and column; `load`
raises `ContentError` once, with all of them. YAML is composed with the C
loader when available (fast, and it keeps node positions); values are built
from the node tree here so that duplicate keys, unsafe tags and alias bombs
are caught instead of silently accepted.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ContentError, Problem, did_you_mean
from .model import (
    ENTITY_LINK_RE,
    FILE_MODELS,
    ID_RE,
    KIND_LABELS,
    Alignment,
    Checklist,
    Glossary,
    Playbook,
    PlaybookMeta,
)

try:  # the C composer is ~10x faster and reports the same positions
    _YamlLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _YamlLoader = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 100_000  # per file, after alias expansion: refuses "billion laughs"

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_SCALARS = yaml.SafeLoader("")  # only its scalar constructors are used

Loc = tuple[str | int, ...]

# What YAML itself refuses anywhere in a file (its reader would fail with a position-less message).
_NOT_YAML_RE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What no value may carry, even written as an escape ("\e", "\x07", "\u202e"): terminal control
# characters, and the bidirectional overrides of "Trojan Source" that make text read differently from
# what it is. Tabs and line breaks are fine.
_HIDDEN_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MAX_DIGITS = 4000  # Python refuses to convert longer integers; nothing in a playbook comes close


def _char_name(char: str) -> str:
    import unicodedata

    name = unicodedata.name(char, "") or {"\x1b": "ESCAPE", "\x07": "BELL", "\x00": "NULL"}.get(char, "a control character")
    return f"U+{ord(char):04X} ({name})"


@dataclass
class Source:
    """One YAML file: its display path, parsed data and where each value sits."""

    path: str
    data: Any = None
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # loc -> (line, col) of the value
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # loc -> (line, col) of its key
    # Values the reader already reported (an unsafe tag, a hidden character): the models do not report them again.
    reported: set[Loc] = field(default_factory=set)
    lines: list[str] = field(default_factory=list, repr=False)  # the text, to point inside a value

    def find(self, needle: str, line: int, column: int) -> tuple[int, int]:
        """Where `needle` first appears from (line, column) on, within a few lines; else (line, column)."""
        for number in range(line, min(line + 20, len(self.lines) + 1)):
            start = column - 1 if number == line else 0
            index = self.lines[number - 1].find(needle, start)
            if index >= 0:
                return number, index + 1
        return line, column

    def at(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The position of `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while True:
            if key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]


class _TooBig(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


MAX_DEPTH = 64  # lists and mappings nested deeper than this are refused


def _nesting_too_deep(text: str) -> tuple[int, int] | None:
    """Where nesting first exceeds MAX_DEPTH, found from parser events (libyaml's parser is not recursive).

    libyaml's composer recurses in C and crashes the interpreter on nesting of about 100,000 levels, so
    such a file must be refused before it is composed. Nesting that deep needs at least as many
    characters, which is why short files skip this second pass.
    """
    if len(text) < 8192:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_YamlLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # composing reports the syntax error with its position
    return None


class Reader:
    """Turns files into plain data with positions, collecting problems."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = problems
        self.warnings = warnings if warnings is not None else []
        self._open: set[int] = set()  # lists and mappings being read: an alias to one of them is a loop
        self._clean = False  # the file being read has no hidden character and no backslash escape

    def problem(self, path: str, line: int, column: int, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(path, line, column, code, message, hint))

    def read(self, file: Path, display: str) -> Source | None:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            self.problem(
                display,
                0,
                0,
                "unreadable",
                f"cannot read the file: {exc.strerror}",
                "make it a regular file you can read (not a folder, not a broken link), or remove it",
            )
            return None
        if len(raw) > MAX_FILE_BYTES:
            self.problem(
                display,
                1,
                1,
                "file-too-large",
                f"the file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                "split the content into smaller files",
            )
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n") + 1
            column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
            self.problem(
                display,
                line,
                column,
                "not-utf8",
                f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)",
                "save the file as UTF-8 (in most editors: File > Save with encoding > UTF-8)",
            )
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        source = Source(display, lines=text.split("\n"))
        hidden = list(itertools.islice(_NOT_YAML_RE.finditer(text), 5))
        for match in hidden:
            preceding = text[: match.start()]
            self.problem(
                display,
                preceding.count("\n") + 1,
                match.start() - (preceding.rfind("\n") + 1) + 1,
                "control-character",
                f"the file contains the invisible control character {_char_name(match.group())}",
                "delete it (it often comes with text pasted from another program); YAML does not allow it",
            )
        if hidden:
            return None
        tabbed = [
            (number, line_text.index("\t") + 1)
            for number, line_text in enumerate(source.lines if "\t" in text else [], start=1)
            if "\t" in re.match(r"[ \t]*", line_text).group(0)  # type: ignore[union-attr]
            and line_text.strip()
            and not line_text.lstrip().startswith("#")
        ]
        if tabbed:
            # One problem per file: an editor that indents with tabs does it on every line.
            others = [str(number) for number, _ in tabbed[1:]]
            also = f" (also on line{'s' if len(others) > 1 else ''} {', '.join(others[:8])}{', ...' if len(others) > 8 else ''})"
            self.problem(
                display,
                *tabbed[0],
                "tab-indent",
                "a tab is used for indentation" + (also if others else ""),
                "YAML indents with spaces only: replace each tab with spaces (2 per level);"
                " many editors can convert tabs to spaces for the whole file",
            )
            return None
        self._clean = "\\" not in text and not _HIDDEN_RE.search(text)
        deep = _nesting_too_deep(text)
        if deep is not None:
            self._too_deep(display, *deep)
            return None
        try:
            node = yaml.compose(text, Loader=_YamlLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            opened = "end of stream" in (exc.problem or "") or any(
                word in (exc.context or "")
                for word in ("an alias", "an anchor", "a flow sequence", "a flow mapping", "a flow node")
            )
            if exc.context_mark and opened:
                mark = exc.context_mark  # an unclosed quote, a bad alias: point where it starts, not at the end
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            what = " ".join(p for p in (exc.context, exc.problem) if p)
            self.problem(display, line, column, "yaml-syntax", f"YAML syntax error: {what}", _syntax_hint(what))
            return None
        except yaml.YAMLError as exc:
            what = " ".join(str(exc).split()).replace(' in "<unicode string>"', "")
            self.problem(display, 1, 1, "yaml-syntax", f"YAML error: {what}", _syntax_hint(what))
            return None
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null" and node.value == ""):
            self.problem(
                display,
                1,
                1,
                "empty-file",
                "the file is empty",
                "add the fields this file needs (see the format reference in the README), or delete the file",
            )
            return None
        if not isinstance(node, yaml.MappingNode) or node.tag != _TAG + "map":
            self.problem(
                display,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "not-a-mapping",
                f"the top level of the file must be a mapping of fields, not {_node_kind(node)}",
                "start the file with `field: value` lines (e.g. `name: ...`)",
            )
            return None
        count = [0]
        try:
            source.data = self._value(node, (), source, count)
        except _TooDeep as exc:
            self._too_deep(display, exc.line, exc.column)
            return None
        except _TooBig:
            self.problem(
                display,
                1,
                1,
                "alias-limit",
                f"the file expands to more than {MAX_NODES:,} values (anchors and aliases repeated too often)",
                "write the values out instead of repeating aliases",
            )
            return None
        return source

    def _too_deep(self, path: str, line: int, column: int) -> None:
        self.problem(
            path,
            line,
            column,
            "too-deep",
            f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
            "the content format needs at most 4 levels: check for runaway brackets",
        )

    def _value(self, node: yaml.Node, loc: Loc, source: Source, count: list[int]) -> Any:
        count[0] += 1
        if count[0] > MAX_NODES:
            raise _TooBig
        if len(loc) > MAX_DEPTH:
            raise _TooDeep(node.start_mark.line + 1, node.start_mark.column + 1)
        source.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self._open:
                self.problem(
                    source.path,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    "alias-loop",
                    "an alias inside this anchored list or mapping refers back to it, so it would never end",
                    "remove the alias (`*name`) that sits inside its own anchor (`&name`)",
                )
                source.reported.add(loc)
                return None
            self._open.add(id(node))
            try:
                return self._collection(node, loc, source, count)
            finally:
                self._open.discard(id(node))
        if node.tag not in _SCALAR_TAGS:
            return self._bad_tag(node, loc, source)
        if node.tag == _TAG + "str":
            self._check_hidden(node, node.value, loc, source)
            if isinstance(node, yaml.ScalarNode) and not node.style and node.end_mark.line < len(source.lines):
                self._check_trailing_comment(node, loc, source)
            return node.value
        if node.tag == _TAG + "int" and len(node.value) > _MAX_DIGITS:
            self.problem(
                source.path,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "bad-value",
                f"this number has {len(node.value):,} digits, far more than any playbook needs",
                "write a realistic number",
            )
            source.reported.add(loc)
            return None
        try:
            return _SCALARS.construct_object(node)
        except (ValueError, yaml.YAMLError):
            return node.value  # e.g. an impossible date: the model reports it

    def _check_trailing_comment(self, node: yaml.ScalarNode, loc: Loc, source: Source) -> None:
        """`summary: Call within 24h #priority` keeps only "Call within 24h": say so, it looks like text."""
        rest = source.lines[node.end_mark.line][node.end_mark.column :]
        comment = re.match(r"[ \t]+#", rest) if "#" in rest else None
        if comment:
            name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "the value")
            self.warnings.append(
                Problem(
                    source.path,
                    node.end_mark.line + 1,
                    node.end_mark.column + comment.end(),
                    "trailing-comment",
                    f"the text after ` #` is a comment and is not part of `{name}`",
                    f'to keep it, put the whole value in quotes ({name}: "... #..."); to keep a comment, put it on its own line',
                    severity="warning",
                )
            )

    def _check_hidden(self, node: yaml.Node, text: str, loc: Loc, source: Source) -> None:
        if self._clean:  # no such character in the file and no escape that could make one
            return
        found = _HIDDEN_RE.search(text)
        if found:
            self.problem(
                source.path,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "control-character",
                f"the text contains the invisible character {_char_name(found.group())}",
                "delete it: control characters and right-to-left overrides can make text look different from what"
                " it is (in a double-quoted text they may be written as an escape such as \\e or \\u202e)",
            )
            source.reported.add(loc)

    def _collection(self, node: yaml.CollectionNode, loc: Loc, source: Source, count: list[int]) -> Any:
        if isinstance(node, yaml.MappingNode):
            if node.tag != _TAG + "map":
                return self._bad_tag(node, loc, source)
            result: dict[str, Any] = {}
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if key_node.tag == _TAG + "merge":
                    self.problem(
                        source.path,
                        *key_pos,
                        "merge-key",
                        "merge keys (`<<`) are not supported",
                        "write the fields out in full",
                    )
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(
                        source.path,
                        *key_pos,
                        "bad-key",
                        "a field name must be plain text",
                        "write `name: value`; a `?` or a list before the colon makes a key the format does not use",
                    )
                    continue
                key = key_node.value
                self._check_hidden(key_node, key, loc + (key,), source)
                if key in seen:
                    self.problem(
                        source.path,
                        *key_pos,
                        "duplicate-key",
                        f"duplicate field `{key}` (first written on line {seen[key]}); YAML would keep only the last one",
                        "merge the two into one field, or rename one of them",
                    )
                    continue
                seen[key] = key_pos[0]
                source.keys[loc + (key,)] = key_pos
                result[key] = self._value(value_node, loc + (key,), source, count)
            return result
        if node.tag != _TAG + "seq":
            return self._bad_tag(node, loc, source)
        return [self._value(item, loc + (i,), source, count) for i, item in enumerate(node.value)]

    def _bad_tag(self, node: yaml.Node, loc: Loc, source: Source) -> None:
        self.problem(
            source.path,
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            "unsafe-tag",
            f"the YAML tag `{node.tag}` is not allowed (nothing was run)",
            "remove the tag: content is plain text, numbers, lists and mappings",
        )
        source.reported.add(loc)
        return None


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode):
        return f"a single value (`{node.value[:30]}`)"
    return f"a `{node.tag}` value"


def _syntax_hint(what: str) -> str:
    if "mapping values are not allowed" in what:
        return (
            'a text containing `: ` must be quoted, e.g. summary: "Owns: the message";'
            " if this line is a field of its own, indent it like the fields around it"
        )
    if "found character '\\t'" in what:
        return "replace tabs with spaces"
    if "quoted scalar" in what and "end of stream" in what:
        return "the quote that opens here is never closed: add the closing quote at the end of the text"
    if "quoted scalar" in what and ("escape" in what or "hexdecimal" in what):
        return "in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes"
    if "could not find expected ':'" in what:
        return "each field is `name: value`; check the line above for a missing colon or an unclosed quote"
    if "expected a single document" in what:
        return "a file holds one document: remove this `---` line, or move what follows it to its own file"
    if "found undefined alias" in what:
        return "define the anchor (&name) before using the alias (*name)"
    if "scanning an alias" in what or "scanning an anchor" in what:
        return 'a value starting with `*` or `&` must be quoted, e.g. summary: "*Important*: call back today"'
    if "cannot start any token" in what:
        return 'a value cannot start with `@`, `` ` `` or `%`: put the whole value in quotes, e.g. owner: "@sales"'
    if "flow node" in what:
        return "a `[` list or a `{` mapping is not closed: close it, or put text that starts with `[` or `{` in quotes"
    if "flow sequence" in what:
        return "a `[` list is not closed with `]`, or an item holds a comma or bracket: close the list or quote the item"
    if "flow mapping" in what:
        return "a `{` is not closed with `}`: close it, or put text that starts with `{` in quotes"
    if "expected '-' indicator" in what:
        return "every item of a list starts with `- ` at the same indentation; a `name: value` line cannot follow them"
    if "did not find expected key" in what or "expected <block end>" in what:
        return (
            "this line does not line up with the fields around it, or text follows a closing quote:"
            " indent siblings by the same number of spaces and quote the whole text"
        )
    return "check indentation (spaces only, the same depth for siblings) and quotes on this line and the one above"


# --- validation against the models -------------------------------------------------------


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the field at `loc` (for "did you mean")."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return None
        current = _inner_model(fields[part].annotation)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (empty)"
    if isinstance(value, date):
        return "a date"
    return "text"


_EXPECTED = {
    "string_type": "text",
    "list_type": "a list (lines starting with `- `)",
    "dict_type": "a mapping of `name: value` fields",
    "model_type": "a mapping of `name: value` fields",
    "model_attributes_type": "a mapping of `name: value` fields",
    "int_type": "a whole number",
    "float_type": "a number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "float_parsing": "a number",
}


_TYPE_HINTS = {
    "text": 'put the text in quotes, e.g. {name}: "..."',
    "a list (lines starting with `- `)": "write each item on its own line under `{name}:`, starting with `- `",
    "a mapping of `name: value` fields": "write the fields of `{name}` on the lines below it, indented by two spaces",
    "a whole number": "write a whole number without quotes or units, e.g. `{name}: 2`",
    "a number": "write a number without quotes or units, e.g. `{name}: 24`",
}


def _translate(error: dict[str, Any], model: type[BaseModel]) -> tuple[str, str, str, bool]:
    """(code, message, hint, point_at_key) for one pydantic error."""
    kind = error["type"]
    loc = tuple(error["loc"])
    name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "value")
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        holder = _model_at(model, loc)
        allowed = sorted(holder.model_fields) if holder else []
        if holder is model and model in (FILE_MODELS["role"], FILE_MODELS["lead"], FILE_MODELS["kpi"]):
            allowed.remove("id")  # its id is its file name
        hint = did_you_mean(name, allowed)
        hint = (hint + " " if hint else "") + ("allowed fields: " + ", ".join(allowed) if allowed else "")
        return "unknown-field", f"unknown field `{name}`", hint.strip(), True
    if kind == "missing":
        holder = _model_at(model, loc)
        info = holder.model_fields.get(name) if holder else None
        about = f" ({info.description})" if info and info.description else ""
        return "missing-field", f"missing required field `{name}`", f"add `{name}: ...`{about}", True
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        hint = f"use one of: {expected.replace(chr(39), '`')}"
        if isinstance(value, bool):  # `status: yes` or `direction: on`: YAML read a word as true/false
            return (
                "bad-value",
                f"`{name}` is true/false here, which is not an allowed value",
                hint + "; YAML reads an unquoted yes, no, on or off as true/false",
                False,
            )
        return "bad-value", f"`{value}` is not an allowed value for `{name}`", hint, False
    if kind == "string_pattern_mismatch" and name == "approvers":
        return (
            "bad-approver",
            f"`{value}` is not a valid approver",
            "write a GitHub handle (`@org/team` or `@user`) or an email address",
            False,
        )
    if kind == "string_pattern_mismatch":
        return "bad-id", f"`{value}` is not a valid id", _id_hint(str(value)), False
    if kind == "string_too_short" and loc[-1:] == ("[key]",):
        holder_name = next((str(part) for part in loc if isinstance(part, str)), "the mapping")
        return (
            "empty-value",
            f"a name under `{holder_name}` is empty",
            "write the name before the colon, e.g. `salesforce: MQL`",
            False,
        )
    if kind == "string_too_short":
        return "empty-value", f"`{name}` is empty", f"write a value for `{name}`, or remove the line", False
    if kind == "too_short":
        if isinstance(value, str) or value is None:
            return "empty-value", f"`{name}` is empty", f"write a value for `{name}`, or remove the field", False
        return (
            "too-short",
            f"`{name}` needs at least {ctx.get('min_length', 1)} item(s)",
            f"add an item under `{name}:` as `- ...`",
            False,
        )
    if kind == "too_long":
        hint = "write the band as [low, high]" if name == "score" else f"remove items from `{name}`"
        return "too-long", f"`{name}` takes at most {ctx.get('max_length')} items", hint, False
    if kind == "finite_number":
        return "bad-value", f"`{name}` must be an ordinary number, not {value}", f"write a number such as `{name}: 24`", False
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"):
        return (
            "bad-date",
            f"`{value}` is not a valid date for `{name}`",
            "write a real date as YYYY-MM-DD, e.g. 2027-03-31",
            False,
        )
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        word = "greater than" if kind == "greater_than" else "at least"
        return "bad-value", f"`{name}` must be {word} {bound} (got {value})", f"use a number {word} {bound}", False
    if kind in ("raw_html", "unsafe_url", "bad_link", "band_order"):
        return kind.replace("_", "-"), error["msg"], ctx.get("hint", ""), False
    if kind in _EXPECTED:
        hint = _TYPE_HINTS.get(_EXPECTED[kind], "").format(name=name)
        if value is None:
            hint = f"write a value after `{name}:` or remove the line"
        return "wrong-type", f"`{name}` must be {_EXPECTED[kind]}, not {_type_name(value)}", hint, False
    return "invalid", f"`{name}`: {error['msg']}", f"see `{name}` in the format reference (README)", False


def _id_hint(value: str) -> str:
    suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    suggestion = re.sub(r"^[0-9-]+", "", suggestion)
    example = f"e.g. `{suggestion}`" if suggestion and ID_RE.match(suggestion) else "e.g. `account-executive`"
    return f"ids are lower-case words joined by single hyphens, starting with a letter ({example})"


def validate_source(source: Source, model: type[BaseModel], problems: list[Problem], extra: dict[str, Any] | None = None) -> Any:
    data = dict(source.data)
    if extra:
        data.update(extra)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt field is one mistake: "unknown field `responsibilites` (did you mean `responsibilities`?)"
        # says it all, without a second "missing required field `responsibilities`".
        misspelt: set[tuple[Loc, str]] = set()
        for error in errors:
            if error["type"] == "extra_forbidden" and error["loc"]:
                holder = _model_at(model, tuple(error["loc"]))
                close = difflib.get_close_matches(
                    str(error["loc"][-1]), list(holder.model_fields) if holder else [], n=1, cutoff=0.6
                )
                misspelt.update((tuple(error["loc"][:-1]), name) for name in close)
        for error in errors:
            where = tuple(error["loc"])
            if any(where[: len(done)] == done for done in source.reported):
                continue  # the reader reported this value already (unsafe tag, hidden character, ...)
            if error["type"] == "missing" and where and (where[:-1], where[-1]) in misspelt:
                continue
            code, message, hint, at_key = _translate(dict(error), model)
            loc = tuple(error["loc"]) + (("score",) if error["type"] == "band_order" else ())
            line, column = source.at(loc, key=at_key)
            needle = (error.get("ctx") or {}).get("found") or (error.get("ctx") or {}).get("target")
            if needle:  # point at the HTML or the link inside the text, not at its start
                line, column = source.find(str(needle), line, column)
            problems.append(Problem(source.path, line, column, code, message, hint))
        return None


# --- the whole directory ------------------------------------------------------------------

_ENTITY_DIRS = {"roles": "role", "leads": "lead", "kpis": "kpi"}
_LIST_FILES: dict[str, tuple[str, str, type[BaseModel]]] = {
    "checklist": ("steps", "step", Checklist),
    "alignment": ("stages", "stage", Alignment),
    "glossary": ("terms", "term", Glossary),
}


@dataclass
class Loaded:
    playbook: Playbook
    warnings: list[Problem]
    sources: dict[str, Source]


def load(content_dir: Path | str, *, today: date | None = None) -> Playbook:
    """Load and validate `content_dir`; raises ContentError listing every problem."""
    return load_all(content_dir, today=today).playbook


def load_all(content_dir: Path | str, *, today: date | None = None) -> Loaded:
    root = Path(content_dir)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    reader = Reader(problems, warnings)
    display_root = str(root).rstrip("/\\") or "."

    def display(rel: str) -> str:
        return f"{display_root}/{rel}"

    if not root.is_dir():
        raise ContentError(
            [
                Problem(
                    display_root,
                    0,
                    0,
                    "no-content",
                    "the content directory does not exist",
                    "run the command from the playbook repository, or pass --content DIR",
                )
            ]
        )
    real_root = root.resolve()

    def inside(path: Path) -> bool:
        try:
            path.resolve().relative_to(real_root)
            return True
        except (ValueError, OSError):
            return False

    def readable(path: Path, rel: str) -> bool:
        # A file that is not a link, in a folder already known to be inside, is inside: no resolve() per file.
        if path.is_symlink() and not inside(path):
            problems.append(
                Problem(
                    display(rel),
                    0,
                    0,
                    "symlink-outside",
                    "this file is a symbolic link to a place outside the content directory",
                    "replace the link with a real file inside the content directory",
                )
            )
            return False
        return True

    sources: dict[str, Source] = {}
    playbook_meta = None
    meta_file = _one_file(root, "playbook", problems, display)
    if meta_file is None:
        if not any(p.code == "duplicate-file" for p in problems):
            problems.append(
                Problem(
                    display("playbook.yml"),
                    0,
                    0,
                    "missing-playbook",
                    "there is no playbook.yml in the content directory",
                    "create playbook.yml with at least `title:`, `organization:` and `summary:`",
                )
            )
    elif readable(meta_file, meta_file.name):
        source = reader.read(meta_file, display(meta_file.name))
        if source:
            sources[meta_file.name] = source
            playbook_meta = validate_source(source, PlaybookMeta, problems)

    collections: dict[str, dict[str, Any]] = {"role": {}, "lead": {}, "kpi": {}}
    # Entities that exist but failed validation: references to them are not reported again as dangling.
    invalid: set[tuple[str, str]] = set()
    owners: dict[tuple[str, str], tuple[Source, Loc]] = {}  # (kind, id) -> where the entity is written
    file_ids: dict[tuple[str, str], str] = {}
    for folder, kind in _ENTITY_DIRS.items():
        directory = root / folder
        if not directory.exists():
            continue
        if not directory.is_dir() or not inside(directory):
            problems.append(
                Problem(display(folder), 0, 0, "not-a-folder", f"`{folder}` must be a folder inside the content directory")
            )
            continue
        for file in sorted(directory.iterdir()):
            rel = f"{folder}/{file.name}"
            if file.suffix not in (".yml", ".yaml"):
                if not file.name.startswith("."):
                    warnings.append(
                        Problem(
                            display(rel),
                            0,
                            0,
                            "unknown-file",
                            "this file is ignored: only .yml and .yaml files are read",
                            severity="warning",
                        )
                    )
                continue
            entity_id = file.stem
            if not ID_RE.match(entity_id):
                problems.append(
                    Problem(
                        display(rel),
                        1,
                        1,
                        "bad-id",
                        f"the file name `{file.name}` is not a valid id (the id of a {KIND_LABELS[kind]} is its file name)",
                        "rename the file: " + _id_hint(entity_id),
                    )
                )
                continue
            if (kind, entity_id) in file_ids:
                problems.append(
                    Problem(
                        display(rel),
                        1,
                        1,
                        "duplicate-id",
                        f"{KIND_LABELS[kind]} `{entity_id}` is defined twice (also in {file_ids[(kind, entity_id)]})",
                        "keep one file per id: delete or rename one of them",
                    )
                )
                continue
            file_ids[(kind, entity_id)] = display(rel)
            if not readable(file, rel):
                continue
            source = reader.read(file, display(rel))
            if source is None:
                invalid.add((kind, entity_id))
                continue
            sources[rel] = source
            if "id" in source.data:
                problems.append(
                    Problem(
                        source.path,
                        *source.at(("id",), key=True),
                        "unknown-field",
                        f"a {KIND_LABELS[kind]} takes its id from its file name; remove the `id` field",
                        f"to change the id, rename the file (now `{entity_id}`)",
                    )
                )
                source.data.pop("id")
            entity = validate_source(source, FILE_MODELS[kind], problems, {"id": entity_id})
            if entity is not None:
                collections[kind][entity_id] = entity
                owners[(kind, entity_id)] = (source, ())
            else:
                invalid.add((kind, entity_id))

    lists: dict[str, Any] = {}
    for name, (key, kind, model) in _LIST_FILES.items():
        list_file = _one_file(root, name, problems, display)
        if list_file is None or not readable(list_file, list_file.name):
            lists[name] = model()
            continue
        source = reader.read(list_file, display(list_file.name))
        if source is None:
            lists[name] = model()
            # Its ids are unknown: references to its kinds are not reported as dangling.
            invalid.update({(kind, "*"), ("question", "*")} if name == "alignment" else {(kind, "*")})
            continue
        sources[list_file.name] = source
        value = validate_source(source, model, problems)
        lists[name] = value if value is not None else model()
        if value is None:
            for list_key, item_kind in ((key, kind), ("questions", "question")):
                for item in source.data.get(list_key) or [] if isinstance(source.data.get(list_key), list) else []:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        invalid.add((item_kind, item["id"]))
        raw_items = source.data.get(key) if isinstance(source.data.get(key), list) else []
        seen: dict[str, int] = {}
        for index, item in enumerate(raw_items):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                problems.append(
                    Problem(
                        source.path,
                        *source.at((key, index, "id")),
                        "duplicate-id",
                        f"{KIND_LABELS[kind]} id `{item_id}` is used twice (first on line {seen[item_id]})",
                        "ids are unique within their kind: rename one of them",
                    )
                )
            else:
                seen[item_id] = source.at((key, index, "id"))[0]
                owners[(kind, item_id)] = (source, (key, index))
        if name == "alignment":
            for index, item in enumerate(
                source.data.get("questions") or [] if isinstance(source.data.get("questions"), list) else []
            ):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    owners.setdefault(("question", item["id"]), (source, ("questions", index)))

    for name in sorted(p.name for p in root.iterdir() if p.is_file() and p.suffix in (".yml", ".yaml")):
        stem = Path(name).stem
        if stem not in ("playbook", *_LIST_FILES):
            hint = did_you_mean(stem, ["playbook", *_LIST_FILES, *_ENTITY_DIRS])
            warnings.append(
                Problem(
                    display(name),
                    0,
                    0,
                    "unknown-file",
                    "this file is not part of the content format and is ignored",
                    hint,
                    severity="warning",
                )
            )

    if playbook_meta is None:
        raise ContentError(problems + warnings)

    leads = dict(sorted(collections["lead"].items(), key=lambda item: (item[1].order, item[0])))
    playbook = Playbook(
        meta=playbook_meta,
        roles=dict(sorted(collections["role"].items())),
        leads=leads,
        kpis=dict(sorted(collections["kpi"].items())),
        checklist=lists["checklist"],
        alignment=lists["alignment"],
        glossary=lists["glossary"],
        sources={key: _rel(src.path, display_root) for key, (src, _) in owners.items()},
    )
    for kind in ("role", "lead", "kpi"):
        for entity_id in playbook.collection(kind):
            playbook.sources.setdefault((kind, entity_id), f"{_ENTITY_DIRS_BY_KIND[kind]}/{entity_id}.yml")

    from .checks import check_playbook  # local: keeps the module graph a tree

    check_playbook(
        playbook,
        sources,
        owners,
        problems,
        warnings,
        meta_source=sources.get(meta_file.name if meta_file else ""),
        today=today,
        invalid=invalid,
    )
    if problems:
        raise ContentError(problems + warnings)
    return Loaded(playbook, sorted(warnings), sources)


_ENTITY_DIRS_BY_KIND = {kind: folder for folder, kind in _ENTITY_DIRS.items()}


def _rel(path: str, root: str) -> str:
    return path[len(root) + 1 :] if path.startswith(root + "/") else path


def _one_file(root: Path, stem: str, problems: list[Problem], display: Any) -> Path | None:
    found = [root / f"{stem}{ext}" for ext in (".yml", ".yaml") if (root / f"{stem}{ext}").is_file()]
    if len(found) > 1:
        problems.append(
            Problem(display(found[1].name), 1, 1, "duplicate-file", f"both {stem}.yml and {stem}.yaml exist", "keep one of them")
        )
        return None
    return found[0] if found else None


def iter_strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every text value in a parsed file, with its location."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from iter_strings(value, loc + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_strings(value, loc + (index,))


__all__ = ["ENTITY_LINK_RE", "Loaded", "Source", "iter_strings", "load", "load_all"]
