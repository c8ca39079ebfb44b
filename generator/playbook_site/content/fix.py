"""`playbook fix`: repair the mechanical slips of pasted text, character by character, and nothing else.

What it repairs: curly quotes used as the quotes around a value, bullets pasted from a document at the
start of a list item (`–`, `—`, `•`, `*`, `1.`), tabs and non-breaking spaces in the indentation, a
non-breaking space after `field:` or a list's `-`, spaces at the end of a line. Every other character
stays as it was (a CRLF file stays CRLF, comments stay, a byte-order mark stays: the format allows
it, `validate` accepts it, and Windows editors write it back on their next save, so removing it would
only make the `playbook-fix` hook fail on files that validate, and that GitHub's web editor, which
does not show the mark, cannot mend). After the repair the
file must read, every value outside the repaired lines must be what it was, and each repaired line
must hold what the repair meant; otherwise the file is left as it was, with the reason.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import playbook_site.content.slips as slips

from ..errors import Problem
from ..files import Folder, file_mode
from . import schema_line
from .yaml_reader import MAX_FILE_BYTES, Reader, YamlLoader

# What each kind of repair is called in the summary; "tidy" ones repair no problem, they only clean up.
KINDS = {
    "curly-quotes": "curly quotes around a value became straight quotes",
    "bullet": "a pasted bullet became a list item's `- `",
    "tab-indent": "tabs in the indentation became spaces",
    "space-indent": "non-breaking spaces in the indentation became spaces",
    "space-separator": "a non-breaking space after `field:` or `-` became a space",
    "trailing-space": "spaces at the end of a line were removed",
    "schema-line": "the schema line names the project's own schema",
}
TIDY = {"trailing-space"}
_STRUCTURE = {"bullet", "tab-indent", "space-indent", "space-separator", "curly-quotes"}
_LINE_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_INDENT = re.compile(f"^[ \t{slips.ODD_SPACE}]*")


@dataclass(frozen=True)
class Repair:
    line: int  # 1-based
    column: int  # 1-based, in the line as it was
    kind: str  # a key of KINDS
    before: str  # the characters replaced
    after: str  # what replaced them


@dataclass
class FileFix:
    """What `playbook fix` does to one file: the repairs, the new bytes, or why it leaves the file alone."""

    path: Path
    display: str
    original: bytes
    fixed: bytes | None = None  # None: nothing to change, or refused
    repairs: list[Repair] = field(default_factory=list)
    refused: str = ""  # why the file was left as it was

    @property
    def changed(self) -> bool:
        return self.fixed is not None and self.fixed != self.original

    def repaired_lines(self) -> set[int]:
        """Lines where a repair mends a problem (not only tidies)."""
        return {r.line for r in self.repairs if r.kind not in TIDY}

    def diff(self) -> str:
        if not self.changed or self.fixed is None:
            return ""
        before = self.original.decode("utf-8", errors="replace")
        after = self.fixed.decode("utf-8", errors="replace")
        return "".join(
            difflib.unified_diff(_split(before), _split(after), f"a/{self.display}", f"b/{self.display}", lineterm="\n")
        )

    def summary(self) -> list[str]:
        """One line a kind of repair, with where."""
        out = []
        for kind in KINDS:
            lines = sorted({r.line for r in self.repairs if r.kind == kind})
            if not lines:
                continue
            out.append(f"{KINDS[kind]} (line{'s' if len(lines) > 1 else ''} {_numbers(lines)})")
        return out


def _numbers(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:10])
    return shown + (", ..." if len(lines) > 10 else "")


def _split(text: str) -> list[str]:
    """Lines with their own endings (CRLF, CR or LF), and no other character taken for a line break."""
    return _LINE_END.findall(text)


# --- finding the repairs ------------------------------------------------------------------------------------


def plan(path: Path, display: str, rel: str | None = None) -> FileFix:
    """The repairs for one file, checked; nothing is written. `rel` (content-relative) places the file's
    schema line (taken from the path's last parts when not given)."""
    if rel is None:
        rel = path.name if path.parent.name not in ("roles", "leads", "kpis") else f"{path.parent.name}/{path.name}"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return FileFix(path, display, b"", refused=f"it cannot be read ({exc.strerror})")
    result = FileFix(path, display, raw)
    if len(raw) > MAX_FILE_BYTES:
        result.refused = "it is larger than 2 MiB"
        return result
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        result.refused = "it is not UTF-8: save it as UTF-8 first, then run `playbook fix` again"
        return result
    mark = "\ufeff" if text.startswith("\ufeff") else ""  # a byte-order mark is kept (see the module's text)
    text = text[len(mark) :]
    repairs: list[Repair] = []
    rows = [_ending(row) for row in _split(text)]
    contents = [content for content, _ in rows]
    repairs += _line_repairs(contents, rel)
    if not repairs:
        return result
    width, why = _tab_width(rows, repairs)
    if why:
        result.refused = why
        return result
    new = _apply(rows, repairs, width)
    refusal = _check(text, new, repairs, display)
    if refusal:
        result.refused = refusal
        return result
    result.repairs = repairs
    result.fixed = (mark + new).encode("utf-8")
    return result


def _ending(row: str) -> tuple[str, str]:
    content = row.rstrip("\r\n")
    return content, row[len(content) :]


def _line_repairs(lines: list[str], rel: str) -> list[Repair]:
    repairs: list[Repair] = []
    blocks = slips.block_scalar_lines(lines)
    # The lines as they read once their indentation is spaces (one for one: the columns stay), for the
    # repairs that look at what a line holds and where it sits.
    spaced = [" " * len(_INDENT.match(text).group()) + text[len(_INDENT.match(text).group()) :] for text in lines]  # type: ignore[union-attr]
    for index, text in enumerate(lines):
        if index in blocks:
            continue
        number = index + 1
        indent = _INDENT.match(text).group()  # type: ignore[union-attr]
        rest = text[len(indent) :]
        if rest and not rest.startswith("#"):
            for column, char in enumerate(indent, start=1):
                if char == "\t":
                    repairs.append(Repair(number, column, "tab-indent", "\t", ""))  # the width is chosen later
                elif char != " ":
                    repairs.append(Repair(number, column, "space-indent", char, " "))
        repairs += _separator(text, number)
        repairs += _bullet(spaced, index)
        repairs += _quotes(spaced[index], number)
        repairs += [
            Repair(number, column + 1, "schema-line", before, after) for column, before, after in schema_line.repair(text, rel)
        ]
        stripped = text.rstrip(" \t")
        if stripped != text:
            repairs.append(Repair(number, len(stripped) + 1, "trailing-space", text[len(stripped) :], ""))
    return repairs


def _separator(text: str, number: int) -> list[Repair]:
    match = re.match(f"^[ {slips.ODD_SPACE}]*(?:- +)*(?:[A-Za-z_][\\w-]*:|-)(?P<odd>[{slips.ODD_SPACE}])", text)
    if not match:
        return []
    return [Repair(number, match.start("odd") + 1, "space-separator", match["odd"], " ")]


def _bullet(lines: list[str], index: int) -> list[Repair]:
    """A bullet from a document at the start of an item of a list field (`responsibilities:`)."""
    text = lines[index]
    found = slips.bullet(text)
    if not found or not found["rest"]:
        return []
    owner = slips.in_list(lines, index)
    if owner is None:
        return []
    if slips.sibling_item(lines, index) is None and found.start("bullet") < owner[2]:
        return []  # less indented than its field: not an item of it
    start, end = found.start("bullet"), found.start("rest")
    return [Repair(index + 1, start + 1, "bullet", text[start:end], "- ")]


def _quotes(text: str, number: int) -> list[Repair]:
    """Curly quotes used as the quotes around a whole value on one line: `owns: “the deal”`."""
    line = slips.line_parts(text)
    value = line.value.rstrip(" \t")
    if len(value) < 2 or (line.key is None and not line.dash):
        return []
    first, last, inner = value[0], value[-1], value[1:-1]
    start = line.value_column  # 1-based column of the opening quote
    end = start + len(value) - 1
    double_curly = first in "\u201c\u201d" and last == "\u201d"
    single_curly = first == "\u2018" and last == "\u2019"
    if double_curly and not re.search("[\u201c\u201d]", inner) or single_curly and "\u2018" not in inner:
        straight = _straight_quote(inner, preferred='"' if double_curly else "'")
        if straight is None:
            return []
        return [Repair(number, start, "curly-quotes", first, straight), Repair(number, end, "curly-quotes", last, straight)]
    if first in "\"'" and last in slips.CURLY_CLOSING and slips.CURLY_CLOSING[last] == first and first not in inner:
        if first == '"' and "\\" in inner:
            return []
        return [Repair(number, end, "curly-quotes", last, first)]  # `"the deal”`: only the closing quote is curly
    if first in "\u201c\u2018" and last in "\"'" and slips.CURLY_OPENING[first] == last and last not in inner:
        if last == '"' and "\\" in inner:
            return []
        return [Repair(number, start, "curly-quotes", first, last)]
    return []


def _straight_quote(inner: str, preferred: str) -> str | None:
    """The straight quote that keeps `inner` exactly as written, or None when neither does."""
    double_ok = '"' not in inner and "\\" not in inner
    single_ok = "'" not in inner
    if preferred == '"' and double_ok or preferred == "'" and not single_ok and double_ok:
        return '"'
    if single_ok:
        return "'"
    return '"' if double_ok else None


def _tab_width(rows: list[tuple[str, str]], repairs: list[Repair]) -> tuple[int, str]:
    """How many spaces a tab in the indentation stands for: 2 where only tabs indent; where spaces indent
    too, the width at which the file reads, if every width that reads gives the same values."""
    tabbed = sorted({r.line for r in repairs if r.kind == "tab-indent"})
    if not tabbed:
        return 2, ""
    lines = [content for content, _ in rows]
    spaced = any(
        " " in _INDENT.match(text).group()  # type: ignore[union-attr]
        for text in lines
        if text.strip() and not text.lstrip().startswith("#")
    )
    if not spaced:
        return 2, ""
    results = {}
    for width in (2, 4, 8):
        data = _data(_apply(rows, repairs, width))
        if data is not None:
            results[width] = data
    if not results:
        return 2, f"the tabs on line {tabbed[0]} cannot be turned into spaces so that the file reads: indent it yourself"
    if len({repr(data) for data in results.values()}) > 1:
        return 2, (
            f"tabs and spaces are mixed in the indentation, so how deep line {tabbed[0]} is meant to be is unclear:"
            " indent it with spaces yourself"
        )
    return next(iter(results)), ""


def _data(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _apply(rows: list[tuple[str, str]], repairs: list[Repair], width: int) -> str:
    by_line: dict[int, list[Repair]] = {}
    for repair in repairs:
        by_line.setdefault(repair.line, []).append(repair)
    out = []
    for number, (content, ending) in enumerate(rows, start=1):
        for repair in sorted(by_line.get(number, []), key=lambda r: r.column, reverse=True):
            start = repair.column - 1
            if repair.kind == "tab-indent":
                column = len(content[:start].expandtabs(width))
                after = " " * (width - column % width)
            else:
                after = repair.after
            content = content[:start] + after + content[start + len(repair.before) :]
        out.append(content + ending)
    return "".join(out)


# --- checking the repairs -----------------------------------------------------------------------------------


def _scalars(text: str) -> list[tuple[Any, int, int, str | None]] | None:
    """Every scalar of a document: (value, first line, last line, quoting style), or None if it does not read."""
    try:
        node = yaml.compose(text.replace("\r\n", "\n").replace("\r", "\n"), Loader=YamlLoader)
    except yaml.YAMLError:
        return None
    found = []
    stack = [node] if node is not None else []
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            found.append((current.value, current.start_mark.line + 1, current.end_mark.line + 1, current.style))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((value, key))
    return found


def _check(before: str, after: str, repairs: list[Repair], display: str) -> str:
    """Why the repaired text may not be written, or ""."""
    problems: list[Problem] = []
    if Reader(problems, []).parse(after.encode("utf-8"), display) is None:
        earliest = sorted(problems)[0] if problems else None
        where = f" (line {earliest.line}: {earliest.message})" if earliest and earliest.line else ""
        return f"it has another problem that keeps it from being read{where}: mend that first, then run `playbook fix` again"
    new = _scalars(after)
    if new is None:
        return "after the repair the file could not be read"
    structural = {r.line for r in repairs if r.kind in _STRUCTURE}
    old = _scalars(before)
    if old is not None:  # every value away from the repaired lines reads as it did
        kept = Counter((value, first) for value, first, _last, _style in new)
        for value, first, last, _style in old:
            if structural & set(range(first, last + 1)):
                continue
            if kept[(value, first)] <= 0:
                return f"the repair would change the value that starts on line {first}"
            kept[(value, first)] -= 1
    lines = after.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for repair in repairs:  # each repaired line holds what the repair meant
        on_line = [(value, style) for value, first, _last, style in new if first == repair.line]
        if repair.kind == "curly-quotes" and not any(style in ("'", '"') for _value, style in on_line):
            return f"the quotes on line {repair.line} would not be read as quotes after the repair"
        if repair.kind == "bullet":
            rest = " ".join(lines[repair.line - 1][repair.column + 1 :].split())
            if not any(" ".join(str(value).split()).startswith(rest) for value, style in on_line if not style):
                return f"line {repair.line} would not become a list item of its own after the repair"
    return ""


# --- the whole content directory ----------------------------------------------------------------------------


def content_files(root: Path) -> list[Path]:
    """The YAML files of a content directory (links left out: a link is not ours to rewrite)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (Path(dirpath) / d).is_symlink())
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.suffix in (".yml", ".yaml") and not path.is_symlink() and path.is_file():
                found.append(path)
    return found


def plan_content(root: Path) -> list[FileFix]:
    shown = str(root).rstrip("/\\") or "."
    return [plan(path, f"{shown}/{rel}", rel) for path in content_files(root) for rel in [path.relative_to(root).as_posix()]]


def write(fix: FileFix, folder: Folder, root: Path) -> None:
    """Replace the file with its repaired bytes in one step (a temporary file beside it, then a rename),
    through `folder` (the content folder `root` as a `files.Folder`): a link on the way or at the file is
    refused, never followed."""
    assert fix.fixed is not None
    rel = fix.path.relative_to(root).as_posix()
    status = folder.check(rel)
    mode = stat.S_IMODE(status.st_mode) if status is not None else file_mode()
    folder.write(rel, fix.fixed, mode=mode)


SHORT = {
    "curly-quotes": "curly quotes",
    "bullet": "pasted bullets",
    "tab-indent": "tabs",
    "space-indent": "non-breaking spaces",
    "space-separator": "non-breaking spaces",
    "schema-line": "the schema line",
}


def fixable(problems: Iterable[Problem]) -> tuple[list[Problem], list[str]]:
    """The problems `playbook fix` repairs (those on a line it would change in a file it can fix),
    and what it would repair there, in short words."""
    by_path: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.line and problem.path.endswith((".yml", ".yaml")):
            by_path.setdefault(problem.path, []).append(problem)
    found: list[Problem] = []
    kinds: set[str] = set()
    for path, listed in by_path.items():
        file = Path(path)
        if not file.is_file() or file.is_symlink():
            continue
        planned = plan(file, path)
        if not planned.changed:
            continue
        lines = planned.repaired_lines()
        hits = [p for p in listed if p.line in lines]
        found += hits
        kinds.update(SHORT[r.kind] for r in planned.repairs if r.line in {p.line for p in hits} and r.kind in SHORT)
    return found, sorted(kinds)
