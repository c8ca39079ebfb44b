"""Abbreviations (MQL, SDR, ARR, R&D): found in text, shown with their full name as a tooltip and
linked to their definition.

Generated pages mark them while their text is rendered (`site.html`); pages written by hand get the
same through the Markdown extension (`site.mdext`), which marks them in the HTML an engine made.
Finding one is a word lookup, so the work per text does not grow with the number of abbreviations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape

from ..content.kinds import ABBREVIATED
from ..content.markup import plain_text
from ..content.schema import Playbook

TOOLTIP_LENGTH = 220
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Abbreviation:
    short: str  # as written: "SQL", or its plural "SQLs"
    kind: str
    id: str
    tooltip: str  # "Sales Qualified Lead: A lead the SDR has qualified ..."


def abbreviations(playbook: Playbook) -> dict[str, Abbreviation]:
    """Every abbreviation in the content, and its plural, by how it is written.

    The tooltip starts with the full name ("Marketing Qualified Lead: A lead that ..."). A plural
    written with a lower-case s (MQLs) is matched too, as abbreviations are matched as whole words.
    """
    found: dict[str, Abbreviation] = {}
    for kind in ABBREVIATED:
        for entity in playbook.collection(kind).values():
            short = " ".join(str(entity.abbreviation or "").split())
            if not short or len(short) > 40:
                continue
            name = entity.term if kind == "term" else entity.name
            about = entity.summary if kind == "role" else entity.definition
            tooltip = f"{plain_text(name)}: {plain_text(about)}"
            if len(tooltip) > TOOLTIP_LENGTH:
                tooltip = tooltip[: TOOLTIP_LENGTH - 3].rsplit(" ", 1)[0] + "..."
            found[short] = Abbreviation(short, kind, entity.id, tooltip)
    taken = {short.lower() for short in found}
    plurals = {
        short + "s": Abbreviation(short + "s", value.kind, value.id, value.tooltip)
        for short, value in found.items()
        if short[-1:].isupper() and (short + "s").lower() not in taken
    }
    return {**found, **plurals}


class Finder:
    """Where the abbreviations are in a text: whole words only, linear in the text's length.

    Abbreviations made of word characters are looked up word by word; the few others (R&D, B2B-SaaS)
    are found by one pattern of just those.
    """

    def __init__(self, known: dict[str, Abbreviation]) -> None:
        self.known = known
        self.words = {short for short in known if _WORD.fullmatch(short)}
        others = sorted((short for short in known if short not in self.words), key=len, reverse=True)
        self.others = re.compile(r"(?<![\w&])(" + "|".join(map(re.escape, others)) + r")(?!\w)") if others else None

    def __bool__(self) -> bool:
        return bool(self.known)

    def spans(self, text: str) -> list[tuple[int, int, Abbreviation]]:
        """(start, end, abbreviation) of every abbreviation in `text`, in order, never overlapping."""
        if not self.known:
            return []
        found = [(m.start(), m.end(), self.known[m.group()]) for m in _WORD.finditer(text) if m.group() in self.words]
        if self.others is not None:
            found += [(m.start(), m.end(), self.known[m.group()]) for m in self.others.finditer(text)]
            found.sort(key=lambda span: (span[0], -span[1]))
        spans: list[tuple[int, int, Abbreviation]] = []
        for span in found:
            if not spans or span[0] >= spans[-1][1]:
                spans.append(span)
        return spans


def title_attribute(text: str, *, tooltips: bool = True) -> str:
    """Plain text for a `title` attribute. Material's tooltips (`content.tooltips`) put the title into
    the page as HTML, so with them the text is escaped once for that and once for the attribute:
    what the reader sees is exactly the text, whatever it holds."""
    once = escape(text, quote=False)
    return escape(once if tooltips else text, quote=True)


def abbr_html(shown_html: str, abbreviation: Abbreviation, href: str | None, *, tooltips: bool = True) -> str:
    """`<abbr>` with its tooltip, inside a link to the definition when `href` is given."""
    element = f'<abbr title="{title_attribute(abbreviation.tooltip, tooltips=tooltips)}">{shown_html}</abbr>'
    return f'<a class="pb-abbr" href="{escape(href, quote=True)}">{element}</a>' if href is not None else element


# --- abbreviations in HTML an engine made (pages written by hand) ----------------------------------

_TOKENS = re.compile(r"<[^>]*>|[^<]+")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
# Text inside these is never marked; inside the second set an abbreviation gets its tooltip but no
# link: no link in a link, none in a heading, none in a form (a click would leave the page and lose
# the answers of the self-assessment).
_NO_MARK = frozenset({"code", "pre", "kbd", "samp", "script", "style", "svg", "textarea", "title", "abbr"})
_NO_LINK = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "form", "button", "label"})


def mark_html(html: str, finder: Finder, href: dict[str, str], *, tooltips: bool = True) -> str:
    """The abbreviations in the text of `html` marked: `href` maps an abbreviation to its definition's
    URL from this page. Tags, attributes, code and existing abbreviations are left as they are."""
    if not finder:
        return html
    depth: dict[str, int] = {}
    out: list[str] = []
    for token in _TOKENS.findall(html):
        if token.startswith("<"):
            tag = _TAG.match(token)
            if tag and not token.endswith("/>"):
                name = tag.group(2).lower()
                if name in _NO_MARK or name in _NO_LINK:
                    depth[name] = max(0, depth.get(name, 0) + (-1 if tag.group(1) else 1))
            out.append(token)
            continue
        if any(depth.get(name) for name in _NO_MARK):
            out.append(token)
            continue
        linkable = not any(depth.get(name) for name in _NO_LINK)
        text = unescape(token)
        position = 0
        pieces: list[str] = []
        for start, end, abbreviation in finder.spans(text):
            pieces.append(escape(text[position:start], quote=False))
            target = href.get(abbreviation.short) if linkable else None
            pieces.append(abbr_html(escape(text[start:end], quote=False), abbreviation, target, tooltips=tooltips))
            position = end
        if position == 0:
            out.append(token)
        else:
            pieces.append(escape(text[position:], quote=False))
            out.append("".join(pieces))
    return "".join(out)
