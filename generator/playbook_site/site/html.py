"""Content text into HTML, once: the tokens of `content.markup`, written by hand into a few allowed
elements, then checked by an allowlist sanitizer (nh3).

What a text can become: text, `<strong>`, `<em>`, `<code>`, links to http(s), mailto and other
pages of the site, and abbreviations (`<abbr title>`, inside a link to their definition). Nothing
else gets through: no element, attribute or URL scheme outside the allowlist, whatever a later
change to this module writes. Every entity link is resolved to the final URL of its page, so the
engine never parses or rewrites the HTML.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from html import escape

import nh3

from ..content.markup import entity_link, is_plain, parse
from .abbreviations import Abbreviation, Finder, abbr_html
from .paths import link_target

_TAGS = {"a", "abbr", "strong", "em", "code"}
_ATTRIBUTES = {"a": {"href", "class"}, "abbr": {"title"}}
_SCHEMES = {"http", "https", "mailto"}
_OPEN = {"strong_open": "<strong>", "strong_close": "</strong>", "em_open": "<em>", "em_close": "</em>"}


def sanitize(html: str) -> str:
    """Only the allowed elements, attributes and URL schemes (relative links stay)."""
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel=None, strip_comments=True)


@dataclass
class Writer:
    """Writes content text as HTML for one site: its abbreviations, its URL style, its tooltips."""

    finder: Finder = field(default_factory=lambda: Finder({}))
    directory_urls: bool = True
    tooltips: bool = True  # Material's `content.tooltips`: titles are shown as HTML (see title_attribute)

    def __post_init__(self) -> None:
        self.inline = functools.lru_cache(maxsize=65536)(self._inline)  # the same text on the same page: once
        self.plain = functools.lru_cache(maxsize=65536)(self._plain)

    def url(self, kind: str, entity_id: str, page: str) -> str:
        return link_target(kind, entity_id, page, self.directory_urls)

    def _abbreviation_href(self, abbreviation: Abbreviation, page: str) -> str:
        return self.url(abbreviation.kind, abbreviation.id, page)

    def marked(self, text: str, page: str, *, link: bool) -> str:
        """Plain text, escaped, with its abbreviations marked (linked to their definition when `link`)."""
        out: list[str] = []
        position = 0
        for start, end, abbreviation in self.finder.spans(text):
            out.append(escape(text[position:start], quote=False))
            href = self._abbreviation_href(abbreviation, page) if link else None
            out.append(abbr_html(escape(text[start:end], quote=False), abbreviation, href, tooltips=self.tooltips))
            position = end
        out.append(escape(text[position:], quote=False))
        return "".join(out)

    def _plain(self, text: str, page: str, link: bool = True) -> str:
        """A value shown exactly as written (a name, a number with its unit): no Markdown."""
        collapsed = " ".join(str(text).split())
        marked = self.marked(collapsed, page, link=link)
        if collapsed.isascii() and "<" not in marked:
            # Escaped ASCII text and nothing marked: what the sanitizer gives back, character for
            # character (a test holds the two against each other).
            return marked
        return sanitize(marked)

    def _inline(self, text: str, page: str, link: bool = True) -> str:
        """A text field: inline Markdown, entity links resolved, abbreviations marked. (The text is
        collapsed onto one line first, so it has no line breaks to write.)"""
        collapsed = " ".join(str(text).split())
        if is_plain(collapsed):
            return self._plain(collapsed, page, link)
        out: list[str] = []
        in_link = False
        for token in parse(collapsed):
            kind = token.type
            if kind in ("text", "text_special"):
                out.append(self.marked(token.content, page, link=link and not in_link))
            elif kind == "code_inline":
                out.append(f"<code>{escape(token.content, quote=False)}</code>")
            elif kind in _OPEN:
                out.append(_OPEN[kind])
            elif kind == "link_open":
                out.append(f'<a href="{escape(self._href(str(token.attrs.get("href", "")), page), quote=True)}">')
                in_link = True
            elif kind == "link_close":
                out.append("</a>")
                in_link = False
        return sanitize("".join(out))

    def _href(self, href: str, page: str) -> str:
        target = entity_link(href)
        return self.url(target[0], target[1], page) if target else href
