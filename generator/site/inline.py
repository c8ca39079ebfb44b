"""Content text as safe Markdown for the site's pages: inline formatting kept, links resolved,
everything else escaped so that no later Markdown or HTML parser reads more into it."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from ..content.markup import ENTITY_LINK_RE, LINK_RE
from ..text import escape_plain, format_number, html_escape, no_block_start
from .paths import link_target

_BACKTICKS_RE = re.compile(r"`+")
# Keeps * and _ for emphasis. Backticks are escaped too: only the code spans `_code_spans` found are
# written with live backticks, so Markdown cannot pair a stray one into a different span.
_INLINE_SPECIALS = re.compile(r"([\\`{}\[\]()#+!|])")


def _escape_segment(text: str) -> str:
    return _INLINE_SPECIALS.sub(r"\\\1", html_escape(text))


def _code_spans(text: str) -> list[tuple[int, int, None]]:
    """Code spans as Python-Markdown pairs them: a run of n backticks closes at the next run of
    exactly n; a run with no partner is literal text. Linear time, whatever the backticks."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(text)]
    partner: list[int | None] = [None] * len(runs)
    next_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        partner[index] = next_of_length.get(length)
        next_of_length[length] = index
    spans = []
    index = 0
    while index < len(runs):
        closer = partner[index]
        if closer is None:
            index += 1
        else:
            spans.append((runs[index][0], runs[closer][1], None))
            index = closer + 1
    return spans


def inline_markdown(text: str, from_page: str) -> str:
    """Inline Markdown from content, made safe: links resolved, the rest escaped."""
    text = " ".join(str(text).split())
    out: list[str] = []
    position = 0
    tokens: list[tuple[int, int, str, re.Match[str] | None]] = sorted(
        [(start, end, "code", match) for start, end, match in _code_spans(text)]
        + [(m.start(), m.end(), "link", m) for m in LINK_RE.finditer(text)],
        key=lambda token: (token[0], token[1], token[2]),
    )
    for start, end, _kind, match in tokens:
        if start < position:
            continue  # a link inside a code span, or the reverse: the first one wins
        out.append(_escape_segment(text[position:start]))
        if match is None:
            out.append(text[start:end])  # a code span: Markdown shows it literally
        else:
            label, target = match.group(1), match.group(2)
            entity = ENTITY_LINK_RE.match(target)
            url = link_target(entity.group(1), entity.group(2), from_page) if entity else target
            out.append(f"[{_escape_segment(label)}]({url})")
        position = end
    out.append(_escape_segment(text[position:]))
    return no_block_start("".join(out))


def finalize(value: Any) -> Any:
    if isinstance(value, Markup) or value is None:
        return value if value is not None else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return format_number(value)
    return escape_plain(value)
