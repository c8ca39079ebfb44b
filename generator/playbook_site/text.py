"""Text helpers shared by every layer: numbers as people read them, and escaping for Markdown."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# The one list of characters that no reader lets into the content (YAML files, results CSV files, the
# survey rounds and the importers' spreadsheets), even written as an escape ("\e", "\u202e"): terminal
# control characters (tab and line feed aside; a reader that allows carriage returns turns them into
# line feeds first), the bidirectional overrides of "Trojan Source" that make text read differently from
# what it is, and the invisible characters that make text differ from what it looks like: the
# zero-width space, left-to-right and right-to-left marks, the word joiner and invisible operators, a
# byte-order mark inside text, and Unicode tag characters (a hidden message no one sees).
HIDDEN_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u2060-\u2064\u180e\ufeff\U000e0000-\U000e007f]"
)
# What a spreadsheet runs as a formula when a cell starts with it (OWASP, "CSV Injection"): no text that
# lands in a CSV file people open (a results note, a survey's team) starts with one.
FORMULA_START = ("=", "+", "-", "@")
_CONTROL_NAMES = {"\x00": "NULL", "\x07": "BELL", "\x1b": "ESCAPE"}


def char_name(char: str) -> str:
    """U+200B (ZERO WIDTH SPACE): how a message names a character no one can see."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "a control character")
    return f"U+{ord(char):04X} ({name})"


def format_number(value: float | int) -> str:
    """1,250 · 27 · 3.5 · 0.25: thousands separated, at most two decimals, no trailing zeros; from a
    billion billion (1e18) on, in scientific notation (1.7e308), never a line of digits."""
    if abs(value) >= 1e18:
        return f"{value:.6g}".replace("e+", "e")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def collapse(text: Any) -> str:
    """Runs of whitespace (line breaks included) as one space, trimmed."""
    return " ".join(str(text).split())


def plural(number: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 entity", "3 entities"."""
    return f"{number} {singular if number == 1 else (plural_form or singular + 's')}"


def html_escape(text: str) -> str:
    """`&`, `<` and `>` as entities (text content; attributes need quotes escaped too)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Python-Markdown's escapable characters (`|` added by the tables extension).
_PLAIN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|])")
_BLOCK_START = re.compile(r"^([-*+])(?=\s|$)|^(\d+)([.)])")


def no_block_start(text: str) -> str:
    """A value never starts a list, quote or heading where it lands."""
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text, count=1)


def escape_plain(text: Any) -> str:
    """Text shown exactly as written in the site's Markdown: no Markdown, no HTML."""
    return no_block_start(_PLAIN_SPECIALS.sub(r"\\\1", html_escape(collapse(text))))


def undecodable(raw: bytes, error: UnicodeDecodeError) -> tuple[int, int, int]:
    """(line, column, byte) of the byte that `raw.decode("utf-8-sig")` could not decode, counted as the
    decoded text's lines are: a byte-order mark set aside (the codec counts from after it), lines ending
    in \\n, \\r\\n or a lone \\r."""
    body = raw.removeprefix(b"\xef\xbb\xbf")
    before = body[: error.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
    return before.count(b"\n") + 1, column, body[error.start]
