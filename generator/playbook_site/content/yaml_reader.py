"""Read one YAML file safely into plain data with the line and column of every value.

The file is composed with PyYAML's C composer when available (fast, and it keeps node positions);
values are built from the node tree here, so that duplicate keys, YAML tags, alias bombs, deep
nesting, hidden characters and tabs are reported as problems instead of silently accepted.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

import playbook_site.content.slips as slips

from ..errors import Problem
from ..text import HIDDEN_RE, char_name, undecodable

try:  # the C composer is ~10x faster and reports the same positions
    YamlLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    YamlLoader = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 100_000  # per file, after alias expansion: refuses "billion laughs"

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_SCALARS = yaml.SafeLoader("")  # only its scalar constructors are used

Loc = tuple[str | int, ...]

# What YAML itself refuses anywhere in a file (its reader would fail with a position-less message).
_NOT_YAML_RE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Line breaks YAML counts and editors do not show as one (next line, line and paragraph separators):
# a value holding one would be split where the reader sees none, and every position after it is off.
_UNSEEN_BREAK_RE = re.compile("[\x85\u2028\u2029]")
_REFUSED_RE = re.compile(f"{_NOT_YAML_RE.pattern}|{_UNSEEN_BREAK_RE.pattern}")
# What no content text may hold, however it is written: the one list (text.py) and what YAML refuses in a file.
UNWRITABLE_RE = re.compile(f"{HIDDEN_RE.pattern}|{_REFUSED_RE.pattern}")
# What no value may carry, even written as an escape: the one list of refused characters (text.py).
_HIDDEN_RE = HIDDEN_RE  # the one list (text.py)
_MAX_DIGITS = 4000  # Python refuses to convert longer integers; nothing in a playbook comes close


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
    # How values other than text were written (`1.10`, `yes`, `2026-01-01`): a hint can quote them as typed.
    raw: dict[Loc, str] = field(default_factory=dict)
    # Values left empty because their text starts with `#`: loc -> (line, column of the `#`, the text from it).
    comments: dict[Loc, tuple[int, int, str]] = field(default_factory=dict)
    # Unquoted texts that swallowed lines starting like list items: loc -> (line, column, marker) of the first.
    merged: dict[Loc, tuple[int, int, str]] = field(default_factory=dict)

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
        for event in yaml.parse(text, Loader=YamlLoader):
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


_TAG_KINDS = {"bool": "true or false", "int": "a whole number", "float": "a number", "timestamp": "a date"}


class Reader:
    """Turns files into plain data with positions, collecting problems."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = problems
        self.warnings = warnings if warnings is not None else []
        self._open: set[int] = set()  # lists and mappings being read: an alias to one of them is a loop
        self._clean = False  # the file being read has no hidden character and no backslash escape

    def problem(self, path: str, line: int, column: int, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(path, line, column, code, message, hint))

    def read_error(self, display: str, exc: OSError) -> None:
        self.problem(
            display,
            0,
            0,
            "unreadable",
            f"cannot read the file: {exc.strerror}",
            "make it a regular file you can read (not a folder, not a broken link), or remove it",
        )

    def parse(self, raw: bytes, display: str) -> Source | None:
        """The file's bytes as plain data with positions, or None when a problem stops it being read."""
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
            line, column, byte = undecodable(raw, exc)
            self.problem(
                display,
                line,
                column,
                "not-utf8",
                f"the file is not UTF-8 (byte 0x{byte:02x} cannot be decoded)",
                "save the file as UTF-8 (in most editors: File > Save with encoding > UTF-8)",
            )
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        source = Source(display, lines=text.split("\n"))
        if not self._readable_characters(text, source):
            return None
        self._clean = "\\" not in text and not _HIDDEN_RE.search(text)
        deep = _nesting_too_deep(text)
        if deep is not None:
            self._too_deep(display, *deep)
            return None
        try:
            node = yaml.compose(text, Loader=YamlLoader)
        except yaml.MarkedYAMLError as exc:
            self._syntax_error(exc, source)
            return None
        except yaml.YAMLError as exc:
            what = " ".join(str(exc).split()).replace(' in "<unicode string>"', "")
            self.problem(display, 1, 1, "yaml-syntax", f"YAML error: {what}", _syntax_hint(what))
            return None
        return self._document(node, source)

    def _readable_characters(self, text: str, source: Source) -> bool:
        """False (with problems) when a character keeps the file from being read as it looks: a control
        character, garbled or invisible text, a tab or a look-alike space in the indentation."""
        display = source.path
        found = slips.prescan(source.lines) if not text.isascii() else []
        garbled = {(slip.line, slip.column + offset) for slip in found if slip.code == "not-utf8" for offset in range(4)}
        hidden: list[tuple[int, int, str]] = []
        for match in itertools.islice(_REFUSED_RE.finditer(text), 200):
            preceding = text[: match.start()]
            line, column = preceding.count("\n") + 1, match.start() - (preceding.rfind("\n") + 1) + 1
            if (line, column) not in garbled:  # a byte of garbled text is reported as garbled text
                hidden.append((line, column, match.group()))
                if len(hidden) == 5:
                    break
        for slip in found[:5]:
            self.problem(display, slip.line, slip.column, slip.code, slip.message, slip.hint)
        for line, column, char in hidden:
            self.problem(
                display,
                line,
                column,
                "control-character",
                f"the file contains the invisible control character {char_name(char)}"
                + (": YAML reads it as a line break" if _UNSEEN_BREAK_RE.match(char) else ""),
                "delete it (it often comes with text pasted from another program); YAML does not allow it"
                if not _UNSEEN_BREAK_RE.match(char)
                else "delete it, or replace it with a space (it often comes with text pasted from another program)",
            )
        if hidden or any(slip.code != "not-utf8" for slip in found):
            return False
        if found and _REFUSED_RE.search(text):
            return False  # the garbled text holds a character YAML refuses: it cannot be read further
        return self._indentation(text, source)

    def _indentation(self, text: str, source: Source) -> bool:
        display = source.path
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
                "indent with spaces only (2 for each level): replace each tab at the start of a line with spaces;"
                " many editors can convert tabs to spaces for the whole file",
            )
            return False
        odd = slips.odd_spaces(source.lines) if not text.isascii() else []
        if odd:
            first = odd[0]
            others = [str(slip.line) for slip in odd[1:] if slip.message == first.message]
            also = f" (also on line{'s' if len(others) > 1 else ''} {', '.join(others[:8])}{', ...' if len(others) > 8 else ''})"
            self.problem(display, first.line, first.column, first.code, first.message + (also if others else ""), first.hint)
            return False
        return True

    def _syntax_error(self, exc: yaml.MarkedYAMLError, source: Source) -> None:
        mark = exc.problem_mark or exc.context_mark
        opened = "end of stream" in (exc.problem or "") or any(
            word in (exc.context or "") for word in ("an alias", "an anchor", "a flow sequence", "a flow mapping", "a flow node")
        )
        if exc.context_mark and opened:
            mark = exc.context_mark  # an unclosed quote, a bad alias: point where it starts, not at the end
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        slip = slips.diagnose_syntax(source.lines, line, column, what)
        if slip is not None:
            self.problem(source.path, slip.line, slip.column, slip.code, slip.message, slip.hint)
        else:
            self.problem(source.path, line, column, "yaml-syntax", f"YAML syntax error: {what}", _syntax_hint(what))

    def _document(self, node: yaml.Node | None, source: Source) -> Source | None:
        display = source.path
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
            if isinstance(node, yaml.ScalarNode) and not node.style:
                if node.end_mark.line > node.start_mark.line:
                    self._check_merged_items(node, loc, source)
                if node.end_mark.line < len(source.lines):
                    self._check_trailing_comment(node, loc, source)
            return node.value
        if node.tag == _TAG + "null" and node.value == "" and node.start_mark.line < len(source.lines):
            rest = source.lines[node.start_mark.line][node.start_mark.column :]
            comment = re.match(r"[ \t]+#", rest) if "#" in rest else None
            if comment:  # `owns: #1 priority` leaves `owns` empty
                source.comments[loc] = (
                    node.start_mark.line + 1,
                    node.start_mark.column + comment.end(),
                    rest[comment.end() - 1 :].strip(),
                )
        if isinstance(node, yaml.ScalarNode):
            source.raw[loc] = node.value
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
        except (AttributeError, KeyError, IndexError, TypeError):
            # A core tag over a value it cannot hold (`!!bool x`, `!!timestamp x`, an empty `!!int`):
            # PyYAML's constructors fail with whatever their lookup raised.
            tag = node.tag.removeprefix(_TAG)
            self.problem(
                source.path,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "bad-value",
                f"{node.value!r} cannot be read as `!!{tag}` ({_TAG_KINDS.get(tag, 'a ' + tag)})"
                if node.value
                else f"an empty value cannot be read as `!!{tag}` ({_TAG_KINDS.get(tag, 'a ' + tag)})",
                f"remove `!!{tag}`: the playbook's format says what kind each value is, without tags",
            )
            source.reported.add(loc)
            return None

    def _check_trailing_comment(self, node: yaml.ScalarNode, loc: Loc, source: Source) -> None:
        """`summary: Call within 24h #priority` keeps only "Call within 24h": say so, it looks like text."""
        line = source.lines[node.end_mark.line]
        rest = line[node.end_mark.column :]
        comment = re.match(r"[ \t]+#", rest) if "#" in rest else None
        if comment:
            name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "the value")
            whole = (node.value + rest).strip() if node.start_mark.line == node.end_mark.line else ""
            if whole and whole[0] in slips.CURLY_OPENING and whole[-1] in slips.CURLY_CLOSING:
                hint = "the curly quotes around it do not count as quotes: type straight double quotes instead"
            else:
                hint = "to keep it, put the whole text in straight double quotes"
            if whole:
                hint += f": {line[: node.start_mark.column].lstrip()}{slips.straightened(whole)}"
            else:
                hint += f' ({name}: "... #...")'
            self.warnings.append(
                Problem(
                    source.path,
                    node.end_mark.line + 1,
                    node.end_mark.column + comment.end(),
                    "trailing-comment",
                    f"the text after ` #` is a comment and is not part of `{name}`",
                    hint + "; to keep a comment, put it on its own line",
                    severity="warning",
                )
            )

    def _check_merged_items(self, node: yaml.ScalarNode, loc: Loc, source: Source) -> None:
        """An unquoted text that runs on over lines starting like list items (`- `, `– `, `1. `)."""
        found = slips.merged_item(source.lines, node.start_mark.line, node.end_mark.line)
        if found is None:
            return
        number, column, marker = found
        if not loc or not isinstance(loc[-1], int):
            source.merged[loc] = (number + 1, column + 1, marker)  # the models say what was wanted
            return
        first = node.start_mark.line
        item_column = source.lines[first].rfind("-", 0, node.start_mark.column)
        extra = column - item_column
        name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "the list")
        if marker == "-":
            fix = f"line its `-` up with the `-` on line {first + 1}" + (f" (remove {slips.spaces(extra)})" if extra > 0 else "")
        else:
            fix = f"type a hyphen and a space in place of `{marker}`, lined up with the `-` on line {first + 1}"
        self.problem(
            source.path,
            number + 1,
            column + 1,
            "yaml-syntax",
            f"this line is indented more than the item of `{name}` above it, so it became part of that item's text",
            f"if it is an item of its own, {fix}",
        )

    def _check_hidden(self, node: yaml.Node, text: str, loc: Loc, source: Source) -> None:
        if self._clean:  # no such character in the file and no escape that could make one
            return
        # What a file may not hold as it is (a noncharacter such as U+FFFE, which no XML feed may carry; a line
        # separator) it may not hold written as an escape either (`"\\uFFFE"`, `"\\L"`).
        found = _HIDDEN_RE.search(text) or _REFUSED_RE.search(text)
        if found:
            self.problem(
                source.path,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "control-character",
                f"the text contains the invisible character {char_name(found.group())}",
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
            duplicates: list[tuple[str, tuple[int, int]]] = []
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
                    duplicates.append((key, key_pos))
                    continue
                seen[key] = key_pos[0]
                source.keys[loc + (key,)] = key_pos
                result[key] = self._value(value_node, loc + (key,), source, count)
            if duplicates:
                self._duplicates(duplicates, seen, node, loc, source)
            return result
        if node.tag != _TAG + "seq":
            return self._bad_tag(node, loc, source)
        return [self._value(item, loc + (i,), source, count) for i, item in enumerate(node.value)]

    def _duplicates(
        self,
        duplicates: list[tuple[str, tuple[int, int]]],
        seen: dict[str, int],
        node: yaml.MappingNode,
        loc: Loc,
        source: Source,
    ) -> None:
        """Each field written twice; a file whose fields all start again from its first one was pasted twice."""
        first_key = node.value[0][0].value if node.value and isinstance(node.value[0][0], yaml.ScalarNode) else None
        if not loc and len(duplicates) >= 2 and duplicates[0][0] == first_key:
            start = duplicates[0][1][0]
            end = _last_text_line(source.lines, node.end_mark.line + 1)
            names = ", ".join(f"`{key}`" for key, _ in duplicates[:4]) + (" ..." if len(duplicates) > 4 else "")
            first_end = _last_text_line(source.lines, start - 1)
            self.problem(
                source.path,
                *duplicates[0][1],
                "duplicate-key",
                f"the file holds its text twice: from line {start} on, its fields start again ({names}; first on lines 1"
                f" to {first_end})",
                f"keep one copy: delete lines {start} to {end}, or lines 1 to {first_end} if the second copy has the changes"
                " you want",
            )
            return
        for key, key_pos in duplicates:
            self.problem(
                source.path,
                *key_pos,
                "duplicate-key",
                f"duplicate field `{key}` (first written on line {seen[key]}); YAML would keep only the last one",
                "merge the two into one field, or rename one of them",
            )

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


def _last_text_line(lines: list[str], line: int) -> int:
    """The last line at or before 1-based `line` that holds something other than spaces and comments."""
    number = min(line, len(lines))
    while number > 1 and (not lines[number - 1].strip() or lines[number - 1].lstrip().startswith("#")):
        number -= 1
    return number


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
