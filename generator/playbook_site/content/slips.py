"""The common slips of people who edit the playbook in a word processor or a web editor, read from the text.

Pasted bullets (`–`, `•`, `1.`), curly quotes, non-breaking and zero-width spaces, text garbled by a
wrong encoding, an apostrophe inside single quotes, a missing space after a colon: each is found from
the lines of the file, so that a message can say, at the line where the fix goes, what to type.
The YAML reader asks `prescan` before parsing and `diagnose_syntax` when parsing failed; the
translation of type errors asks `list_slip`; `playbook fix` repairs the mechanical ones.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..text import plural


@dataclass(frozen=True)
class Slip:
    """A recognised slip: where the fix goes (1-based line and column), what is wrong, what to type."""

    line: int
    column: int
    message: str
    hint: str
    code: str = "yaml-syntax"


# --- what a line holds -----------------------------------------------------------------------------

# indentation, list dashes, `field:` and the value after it; a field name is plain (no quotes, no `#`)
_LINE_RE = re.compile(r"^(?P<indent> *)(?P<dash>(?:-[ ]+)*)(?:(?P<key>[A-Za-z_][\w .-]*?):(?=[ ]|$)[ ]*)?(?P<value>.*)$")
# a pasted bullet at the start of a line: dashes and bullets from documents, `*`, a number `1.` or `1)`
_BULLET_RE = re.compile(
    r"^(?P<indent> *)(?P<bullet>[\u2013\u2014\u2012\u2015\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043\u25a0\u25a1\u27a2\u25ba\uf0b7]"
    r"|\*(?=[ \t])|\d{1,3}[.)](?=[ \t]))(?P<space>[ \t\u00a0]*)(?P<rest>\S.*)?$"
)
CURLY_OPENING = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'"}
CURLY_CLOSING = {"\u201d": '"', "\u201c": '"', "\u2019": "'", "\u2018": "'"}
# invisible characters that have no place in a playbook and make two texts differ that look the same
ZERO_WIDTH_RE = re.compile("[\u200b\u2060\ufeff\u180e]")
# spaces that look like a space but are not one to YAML (a non-breaking space from a word processor, ...)
ODD_SPACE = "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
_ODD_SPACE_RE = re.compile(f"[{ODD_SPACE}]")


@dataclass(frozen=True)
class LineParts:
    indent: int  # spaces before the line's first character
    dash: str  # the list dashes (`- `) before the content, if any
    key: str | None  # `field` of `field: value`, if any
    value: str  # what follows (the whole content without dashes when there is no field)
    value_column: int  # 1-based column of the value


def line_parts(line: str) -> LineParts:
    match = _LINE_RE.match(line)
    assert match is not None  # the pattern matches every line
    return LineParts(len(match["indent"]), match["dash"], match["key"], match["value"], match.start("value") + 1)


def bullet(line: str) -> re.Match[str] | None:
    """The pasted bullet a line starts with (`– `, `• `, `* `, `1. `), if any."""
    return _BULLET_RE.match(line)


def bullet_name(marker: str) -> str:
    if marker[0].isdigit():
        return f"`{marker}`, a number from a numbered list"
    if marker in "\u2013\u2014\u2012\u2015":
        return f"`{marker}`, a dash pasted from a document"
    if marker == "*":
        return "`*`, a bullet from a document or an email"
    return f"`{marker}`, a bullet pasted from a document"


def quoted(text: str) -> str:
    """`text` in straight quotes, as an editor would type it: double quotes unless the text holds one."""
    text = text.strip()
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def straightened(text: str) -> str:
    """`text` with curly quotes around it made straight, for an example of what to type."""
    text = text.strip()
    if len(text) >= 2 and text[0] in CURLY_OPENING and text[-1] in CURLY_CLOSING:
        return quoted(text[1:-1])
    return quoted(text)


def spaces(count: int) -> str:
    return plural(count, "space")


@functools.cache
def _schema_fields() -> tuple[frozenset[str], frozenset[str]]:
    """(every field name of the format, the fields that hold a list)."""
    from .schema import FILE_MODELS  # the schema is only needed to tell a field from text

    names: set[str] = set()
    lists: set[str] = set()
    seen: set[Any] = set()

    def walk(model: Any) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(name)
            for inner in _models_in(info.annotation, lists, name):
                walk(inner)

    for model in FILE_MODELS.values():
        walk(model)
    return frozenset(names), frozenset(lists)


def _models_in(annotation: Any, lists: set[str], name: str) -> list[Any]:
    from pydantic import BaseModel

    found = []
    if getattr(annotation, "__origin__", None) is list:
        lists.add(name)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    for arg in getattr(annotation, "__args__", ()) or ():
        found += _models_in(arg, lists, name)
    return found


def field_names() -> frozenset[str]:
    return _schema_fields()[0]


def list_fields() -> frozenset[str]:
    return _schema_fields()[1]


# --- where a line belongs --------------------------------------------------------------------------


def governing_key(lines: list[str], index: int) -> tuple[str, int, int] | None:
    """The field a line sits under (`responsibilities`), its 0-based line and its indentation.

    Walks up past the list items level with the line (`- ...` at the same indentation) to the first
    `field:` line indented less, or level with it when the items are not indented (`key:` then `- a`).
    """
    own = line_parts(lines[index]).indent
    for number in range(index - 1, -1, -1):
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        above = line_parts(text)
        if above.indent > own:
            continue
        if above.indent == own and (above.dash or bullet(text)):
            continue
        if above.key and not above.value.strip() or (above.key and above.value.lstrip().startswith("#")):
            return above.key, number, above.indent + len(above.dash)
        if above.indent < own or above.key:
            return None
    return None


def in_list(lines: list[str], index: int) -> tuple[str, int, int] | None:
    """The list field (`responsibilities`) a line's items belong to, when the line sits in one."""
    found = governing_key(lines, index)
    if found is None or found[0] not in list_fields():
        return None
    return found


def sibling_item(lines: list[str], index: int) -> int | None:
    """The 0-based line of a `- ` item level with this line just above it (blank lines skipped)."""
    own = line_parts(lines[index]).indent
    for number in range(index - 1, -1, -1):
        text = lines[number]
        if not text.strip():
            continue
        above = line_parts(text)
        if above.indent == own and above.dash:
            return number
        if above.indent <= own:
            return None
    return None


def block_scalar_lines(lines: list[str]) -> set[int]:
    """0-based lines inside `|` and `>` texts, whose spaces are part of the text."""
    inside: set[int] = set()
    opener: int | None = None  # indentation of the line that opened the block
    for number, text in enumerate(lines):
        if opener is not None:
            if not text.strip() or line_parts(text).indent > opener:
                inside.add(number)
                continue
            opener = None
        content = text.split(" #", 1)[0].rstrip()
        if re.search(r"(?:^|[:\-]\s)[|>][+-]?[1-9]?[+-]?$", content.strip()) or re.match(
            r"^[|>][+-]?[1-9]?[+-]?$", content.strip()
        ):
            opener = line_parts(text).indent
    return inside


# --- before parsing: characters that break a file while looking right ------------------------------------


_CP1252 = {
    "\u20ac": 0x80, "\u201a": 0x82, "\u0192": 0x83, "\u201e": 0x84, "\u2026": 0x85, "\u2020": 0x86, "\u2021": 0x87,
    "\u02c6": 0x88, "\u2030": 0x89, "\u0160": 0x8A, "\u2039": 0x8B, "\u0152": 0x8C, "\u017d": 0x8E, "\u2018": 0x91,
    "\u2019": 0x92, "\u201c": 0x93, "\u201d": 0x94, "\u2022": 0x95, "\u2013": 0x96, "\u2014": 0x97, "\u02dc": 0x98,
    "\u2122": 0x99, "\u0161": 0x9A, "\u203a": 0x9B, "\u0153": 0x9C, "\u017e": 0x9E, "\u0178": 0x9F,
}  # fmt: skip
_CONTINUATION = "".join(_CP1252) + "\x81\x8d\x8f\x90\x9d" + "".join(chr(b) for b in range(0xA0, 0xC0))
# A lead byte of UTF-8 (0xC2-0xF4) read as Windows-1252, then the continuation bytes read the same way.
MOJIBAKE_RE = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATION)}]{{1,3}}")


def _byte(char: str) -> int:
    return _CP1252.get(char, ord(char))


def mojibake(text: str) -> list[tuple[int, str, str]]:
    """(index, garbled, meant) for each piece of UTF-8 text that was read as Windows-1252 on the way."""
    found = []
    for match in MOJIBAKE_RE.finditer(text):
        garbled = match.group()
        lead = ord(garbled[0])
        size = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        if len(garbled) < size:
            continue
        garbled = garbled[:size]
        try:
            meant = bytes(_byte(char) for char in garbled).decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            continue
        found.append((match.start(), garbled, meant))
    return found


def char_name(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"


def prescan(lines: list[str]) -> list[Slip]:
    """Slips that break a file in ways YAML would misreport: garbled text, zero-width and odd spaces."""
    found: list[Slip] = []
    for number, text in enumerate(lines, start=1):
        for index, garbled, meant in mojibake(text):
            found.append(
                Slip(
                    number,
                    index + 1,
                    f"`{garbled}` is garbled text: it is how `{meant}` looks after it was copied with the wrong encoding",
                    f"type `{meant}` in place of `{garbled}`; if there are many, copy the text again from where it came"
                    " from, or save it there as UTF-8",
                    "not-utf8",
                )
            )
        invisible = ZERO_WIDTH_RE.search(text)
        if invisible:
            after = re.match(r"[^\s:]{1,20}", text[invisible.end() :].lstrip())
            where = f"just before `{after.group()}`" if after else "at the end of the line"
            found.append(
                Slip(
                    number,
                    invisible.start() + 1,
                    f"the line holds the invisible character {char_name(invisible.group())}",
                    f"delete it: it sits {where}; it cannot be seen, but it makes the text differ from what it looks"
                    " like (it often comes with text copied from a web page or a chat)",
                    "control-character",
                )
            )
    return found


def odd_spaces(lines: list[str]) -> list[Slip]:
    """Non-breaking (and other look-alike) spaces where YAML needs a real one: in the indentation,
    after `field:`, after a list's `-`."""
    found: list[Slip] = []
    blocks = block_scalar_lines(lines) if any(_ODD_SPACE_RE.search(line) for line in lines) else set()
    for number, text in enumerate(lines, start=1):
        if not _ODD_SPACE_RE.search(text) or number - 1 in blocks:
            continue
        lead = re.match(f"[ \t{ODD_SPACE}]*", text)
        assert lead is not None
        odd = _ODD_SPACE_RE.search(lead.group())
        if odd and text[lead.end() :].strip():
            found.append(
                Slip(
                    number,
                    odd.start() + 1,
                    f"the indentation holds a {_space_name(odd.group())}, which only looks like a space",
                    "indent with ordinary spaces: delete the spaces at the start of the line and type them again"
                    " (2 for each level)",
                    "tab-indent",
                )
            )
            continue
        separator = re.match(f"^ *(?:- +)*(?:(?P<key>[A-Za-z_][\\w-]*):|(?P<dash>-))(?P<odd>[{ODD_SPACE}])", text)
        if separator:
            what = f"`{separator['key']}:`" if separator["key"] else "the `-` of this list item"
            found.append(
                Slip(
                    number,
                    separator.start("odd") + 1,
                    f"a {_space_name(separator['odd'])} follows {what}, so the line is not read as it looks",
                    f"delete the space after {what} and type an ordinary space",
                )
            )
    return found


def _space_name(char: str) -> str:
    return "non-breaking space" if char in "\u00a0\u202f\u2007" else f"look-alike space ({char_name(char)})"


# --- after a syntax error: what the editor most likely did, at the line where the fix goes -------------------


def diagnose_syntax(lines: list[str], line: int, column: int, what: str) -> Slip | None:
    """The slip that explains a YAML syntax error at (line, column), or None for the generic message."""
    if not lines or line < 1:
        return None
    index = min(line, len(lines)) - 1
    candidates = [index]
    number = index - 1
    while number >= 0 and len(candidates) < 4:  # the error often shows on the line after the slip
        if lines[number].strip() and not lines[number].lstrip().startswith("#"):
            candidates.append(number)
        number -= 1
    for checker in (_curly_quotes, _apostrophe_in_single_quotes, _no_space_after_colon):
        slip = checker(lines, index, column, what)
        if slip:
            return slip
    for number in candidates:
        for line_checker in (_pasted_bullet, _missing_dash, _unindented_text):
            slip = line_checker(lines, number, index, what)
            if slip:
                return slip
    slip = _special_start(lines, index, column, what)
    if slip:
        return slip
    if "mapping values are not allowed" in what:
        return _colon_in_text(lines, index, column)
    if "expected '-' indicator" in what or ("expected <block end>" in what and line_parts(lines[index]).key):
        return _field_among_items(lines, index)
    return None


def _curly_quotes(lines: list[str], index: int, column: int, what: str) -> Slip | None:
    text = lines[index]
    line = line_parts(text)
    value = line.value
    if value[:1] in CURLY_OPENING and "mapping values" in what:
        inner = value.strip()
        return Slip(
            index + 1,
            line.value_column,
            "the curly quotes around this text do not count as quotes (a word processor typed them), so the colon"
            " inside it breaks the line",
            f"type straight quotes instead: {_prefix(text, line)}{straightened(inner)}",
        )
    if value[:1] in "\"'" and "quoted scalar" in what and "end of stream" in what:
        stripped = value.rstrip()
        if stripped[-1:] in CURLY_CLOSING:
            close = len(text.rstrip()) if text.rstrip().endswith(stripped[-1]) else line.value_column
            return Slip(
                index + 1,
                close,
                f"the quote that opens this text is closed with a curly `{stripped[-1]}`, which does not count as a quote",
                f"type a straight `{value[0]}` in place of the closing `{stripped[-1]}`:"
                f" {_prefix(text, line)}{value[0]}{stripped[1:-1]}{value[0]}",
            )
    return None


def _prefix(text: str, line: LineParts) -> str:
    """What comes before the value on a line, as the editor typed it (`owns: `, `- `)."""
    return text[: line.value_column - 1].lstrip()


def _apostrophe_in_single_quotes(lines: list[str], index: int, column: int, what: str) -> Slip | None:
    text = lines[index]
    line = line_parts(text)
    if not line.value.startswith("'") or "did not find expected" not in what and "expected <block end>" not in what:
        return None
    close = text.find("'", line.value_column)  # the apostrophe that ended the quoted text
    if close < 0 or close + 1 >= len(text) or not text[close + 1].isalpha():
        return None
    inner = line.value.strip()[1:-1] if line.value.rstrip().endswith("'") else line.value.strip()[1:]
    word = re.search(r"\w*'\w*$", text[: close + 2])
    return Slip(
        index + 1,
        close + 1,
        f"the apostrophe in `{word.group() if word else inner}` ends the quoted text too early",
        f"inside single quotes, type the apostrophe twice (''), or use double quotes: {_prefix(text, line)}{quoted(inner)}",
    )


def _no_space_after_colon(lines: list[str], index: int, column: int, what: str) -> Slip | None:
    for number in range(index, max(index - 3, -1), -1):
        match = re.match(r"^( *(?:- +)*)([A-Za-z_][\w-]*):(?=[^\s:/])(.*)$", lines[number])
        if match and match[2] in field_names():
            return Slip(
                number + 1,
                match.end(2) + 2,
                f"`{match[2]}:` needs a space after the colon to be read as a field",
                f"type a space after the colon: {match[1].lstrip()}{match[2]}: {match[3].strip()}",
            )
    return None


def _pasted_bullet(lines: list[str], number: int, error: int, what: str) -> Slip | None:
    found = bullet(lines[number])
    if not found or not found["rest"]:
        return None
    owner = governing_key(lines, number)
    if owner is None and not sibling_item(lines, number):
        return None
    marker = found["bullet"]
    name = f" of `{owner[0]}`" if owner else ""
    return Slip(
        number + 1,
        found.start("bullet") + 1,
        f"this item{name} starts with {bullet_name(marker)}, not with the hyphen a list item needs",
        f"type a hyphen and a space in place of `{marker}`: - {found['rest'].strip()}",
    )


def _missing_dash(lines: list[str], number: int, error: int, what: str) -> Slip | None:
    text = lines[number]
    line = line_parts(text)
    if line.dash or line.key or bullet(text) or not text.strip():
        return None
    if sibling_item(lines, number) is None:
        return None
    owner = governing_key(lines, number)
    name = f" of `{owner[0]}`" if owner else ""
    if text.strip().startswith("-"):
        return Slip(
            number + 1,
            line.indent + 1,
            f"this item{name} has no space after its `-`",
            f"type a space after the hyphen: - {text.strip()[1:].strip()}",
        )
    return Slip(
        number + 1,
        line.indent + 1,
        f"this line is among the items{name} but does not start with `- `",
        f"if it is an item of its own, start it with a hyphen and a space: - {text.strip()}",
    )


def _unindented_text(lines: list[str], number: int, error: int, what: str) -> Slip | None:
    """A text continued on the next line without indentation: `summary: Leads the` / `team.`"""
    text = lines[number]
    line = line_parts(text)
    if line.key or line.dash or not text.strip() or number == 0 or "could not find expected ':'" not in what:
        return None
    previous = next((n for n in range(number - 1, -1, -1) if lines[n].strip()), None)
    if previous is None:
        return None
    above = line_parts(lines[previous])
    if above.key is None or above.indent < line.indent:
        return None
    continued = bool(above.value.strip())
    return Slip(
        number + 1,
        line.indent + 1,
        f"this line starts no field and is not indented, so it is not read as part of `{above.key}` above",
        f"if it is the text of `{above.key}`, indent it by {spaces(above.indent + 2 - line.indent)}"
        + (f" (or join it to line {previous + 1})" if continued else ""),
    )


def _colon_in_text(lines: list[str], index: int, column: int) -> Slip | None:
    text = lines[index]
    line = line_parts(text)
    key_colon = line.indent + len(line.dash) + len(line.key or "") + 1
    if line.key and column == key_colon:
        # `name:` on a line indented more than the field above: read as a continuation of that field's text
        previous = next((n for n in range(index - 1, -1, -1) if lines[n].strip()), None)
        above = line_parts(lines[previous]) if previous is not None else None
        if previous is None or above is None or above.key is None or line.indent <= above.indent:
            return None
        if line.key in field_names():
            extra = line.indent - above.indent
            return Slip(
                index + 1,
                line.indent + 1,
                f"`{line.key}:` is indented more than `{above.key}:` on line {previous + 1}, so it is read as part of"
                f" the text of `{above.key}`",
                f"if `{line.key}` is a field of its own, remove {spaces(extra)} before it so it lines up with `{above.key}:`",
            )
        return Slip(
            index + 1,
            column,
            f"the colon in `{shortened(text.strip())}` makes the text of `{above.key}` look like it holds another field",
            f"put the whole text of `{above.key}` in straight double quotes, from line {previous + 1} to line {index + 1}",
        )
    value = line.value.split(" #", 1)[0].strip()
    prefix = _prefix(text, line)
    if line.dash and line.key and line.key not in field_names():  # `- Note: runs: the review` is one text
        value = text[line.indent + len(line.dash) :].split(" #", 1)[0].strip()
        prefix, line = line.dash, LineParts(line.indent, line.dash, None, value, line.indent + len(line.dash) + 1)
    if not line.key and not line.dash or not value or value[0] in "\"'" or column < line.value_column:
        return None
    owner = governing_key(lines, index) if not line.key else None
    where = f"`{line.key}`" if line.key else f"this item of `{owner[0]}`" if owner else "this item"
    return Slip(
        index + 1,
        column,
        f"the colon in `{shortened(value)}` makes {where} look like it holds another field",
        f"put the whole text in straight double quotes: {prefix}{quoted(value)}",
    )


def _special_start(lines: list[str], index: int, column: int, what: str) -> Slip | None:
    """`summary: *Leads* the team`, `owner: @sales`: a text starting with a sign YAML keeps for itself."""
    if not any(word in what for word in ("scanning an alias", "scanning an anchor", "cannot start any token")):
        return None
    text = lines[index]
    line = line_parts(text)
    value = line.value.split(" #", 1)[0].strip()
    if not value or column != line.value_column or value[0] not in "*&@`%!":
        return None
    return Slip(
        index + 1,
        column,
        f"a text that starts with `{value[0]}` must be in quotes",
        f"put the whole text in straight double quotes: {_prefix(text, line)}{quoted(value)}",
    )


def _field_among_items(lines: list[str], index: int) -> Slip | None:
    text = lines[index]
    line = line_parts(text)
    owner = governing_key(lines, index)
    if line.key is None or owner is None:
        return None
    previous = next((n for n in range(index - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")), None)
    above = line_parts(lines[previous]) if previous is not None else None
    if (
        previous is not None
        and above
        and above.key
        and above.indent + len(above.dash) > line.indent
        and line.key in field_names()
    ):
        # a field of a list item (`- id: a` / `title: A`) written less indented than the item's fields
        depth = above.indent + len(above.dash)
        return Slip(
            index + 1,
            line.indent + 1,
            f"`{line.key}:` is not lined up with the fields of the item above it",
            f"if it belongs to that item, indent it by {spaces(depth - line.indent)} more so it lines up with"
            f" `{above.key}:` on line {previous + 1}",
        )
    extra = line.indent - owner[2]
    if extra <= 0:
        return None
    return Slip(
        index + 1,
        line.indent + 1,
        f"`{line.key}:` is indented like the items of `{owner[0]}` above",
        f"if `{line.key}` is a field of its own, remove {spaces(extra)} before it so it lines up with `{owner[0]}:`"
        f" (line {owner[1] + 1})",
    )


def shortened(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


# --- after parsing: a list that came out as one text ------------------------------------------------------


def list_slip(lines: list[str], line: int, column: int, name: str) -> Slip | None:
    """Why the value of list field `name` at (line, column) came out as text: pasted bullets, no `- `."""
    index = line - 1
    if not 0 <= index < len(lines):
        return None
    text = lines[index]
    found = bullet(text)
    if found and found["rest"] and found.start("bullet") + 1 == column:
        marker = found["bullet"]
        return Slip(
            line,
            column,
            f"the items of `{name}` start with {bullet_name(marker)}, so they are read as one text, not as a list",
            f"start each item with a hyphen and a space in place of `{marker}`: - {found['rest'].strip()}",
            "wrong-type",
        )
    start = text[column - 1 :].strip()
    key_line = line_parts(text).key is not None and line_parts(text).value_column == column
    if key_line or not start:
        return None
    if start.startswith("-") and not start.startswith("- "):
        return Slip(
            line,
            column,
            f"the items of `{name}` have no space after their `-`, so they are read as one text, not as a list",
            f"type a space after each hyphen: - {start[1:].strip()}",
            "wrong-type",
        )
    return Slip(
        line,
        column,
        f"`{name}` must be a list, and this line does not start with `- `",
        f"start each item on its own line with a hyphen and a space: - {start}",
        "wrong-type",
    )


def merged_item(lines: list[str], first: int, last: int) -> tuple[int, int, str] | None:
    """In an unquoted text on 0-based lines first..last, a continuation line that starts like a list item
    (`- `, `– `, `1. `): (0-based line, 0-based column, its marker)."""
    for number in range(first + 1, min(last, len(lines) - 1) + 1):
        text = lines[number]
        stripped = text.lstrip()
        marker = "-" if stripped.startswith("- ") else None
        found = bullet(text)
        if found and found["rest"]:
            marker = found["bullet"]
        if marker:
            return number, len(text) - len(stripped), marker
    return None
