"""What a text field may hold, read by one parser: inline CommonMark (markdown-it-py), nothing more.

Text fields take inline Markdown: `**bold**`, `*italics*`, `` `code` ``, and links to `https://`,
`http://`, `mailto:` or another entity (`[AE](role:account-executive)`). The same parse serves
validation (which links a text holds), the site (`site.html` renders these tokens, and no engine
parses them again) and plain text for tooltips and the search index.

Raw HTML is refused, never parsed: the parser runs with HTML off, and `check_text` refuses any `<`
a browser would read as markup. Entities are not decoded (`&lt;` is shown as written), images and
autolinks are off, so a text can neither embed anything nor smuggle markup past validation. The
parser's rules are linear in the length of the text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic_core import PydanticCustomError

from .kinds import KIND_NAMES

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """The parser, made when a text first needs it (`validate` from the cache parses no text)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
        ["image", "html_inline", "autolink", "entity"]
    )


HTML_RE = _HTML_RE = re.compile(r"<(?:[/!?A-Za-z])")  # what a browser reads as a tag, an end tag or a comment; `< 5` is text
_DANGEROUS_SCHEME_RE = re.compile(r"(?i)\b(?:javascript|vbscript)\s*:|\bdata:\S")
ENTITY_LINK_RE = re.compile(r"^(" + "|".join(KIND_NAMES) + r"):([^\s#/?]+)$")
_ALLOWED_URL_RE = re.compile(r"(?i)^(?:https?://[^\s/?#]+[^\s]*|mailto:[^\s]+)$")
_MARKUP_CHARS = re.compile(r"[*_`\[\\]")  # a text without these is plain text: no need to parse it


@functools.lru_cache(maxsize=65536)
def parse(text: str) -> tuple[Token, ...]:
    """The inline tokens of a text (whitespace runs collapsed first, as everywhere on the site)."""
    from markdown_it.token import Token

    collapsed = " ".join(text.split())
    if not _MARKUP_CHARS.search(collapsed):
        return (Token("text", "", 0, content=collapsed),)
    children = _parser().parseInline(collapsed)[0].children or []
    return tuple(children)


def is_plain(text: str) -> bool:
    """A text with no inline formatting at all."""
    return not _MARKUP_CHARS.search(text)


@dataclass(frozen=True)
class Link:
    href: str  # as the parser resolved it: what the browser will follow
    label: str  # the link's text, formatting dropped


def links(text: str) -> list[Link]:
    """Every link of a text, as the renderer will write it."""
    if "](" not in text:
        return []
    found: list[Link] = []
    label: list[str] | None = None
    href = ""
    for token in parse(text):
        if token.type == "link_open":
            href, label = str(token.attrs.get("href", "")), []
        elif token.type == "link_close" and label is not None:
            found.append(Link(href, "".join(label)))
            label = None
        elif label is not None and token.type in ("text", "code_inline", "text_special"):
            label.append(token.content)
    return found


def entity_link(href: str) -> tuple[str, str] | None:
    """(kind, id) when a link's target is an entity (`role:account-executive`)."""
    match = ENTITY_LINK_RE.match(href)
    return (match.group(1), match.group(2)) if match else None


def plain_text(text: str) -> str:
    """A text's words without its formatting: what a tooltip or the search index shows."""
    return "".join(
        token.content for token in parse(text) if token.type in ("text", "code_inline", "text_special", "softbreak")
    ).strip()


def _excerpt(value: str, start: int) -> str:
    end = value.find(">", start)
    return value[start : end + 1] if 0 <= end - start < 40 else value[start : start + 20]


def check_text(value: str) -> str:
    """Refuse what a text field may never carry: raw HTML and unsafe links."""
    html = _HTML_RE.search(value)
    if html:
        raise PydanticCustomError(
            "raw_html",
            "raw HTML is not allowed in text (found `{found}`)",
            {
                "found": _excerpt(value, html.start()),
                "hint": "write plain text or Markdown: **bold**, *italics*, [text](https://...);"
                " for a link write [text](https://...) instead of <https://...>;"
                " to show a less-than sign put a space after it (`< 5 days`)",
            },
        )
    if "<" in value and _MARKUP_CHARS.search(value):
        # The words a reader sees (formatting and escapes gone) are what Material's tooltips and other
        # scripts read back as HTML: `<*img* ...>` or `<\!--` must not become a tag there either.
        shown = plain_text(value)
        hidden = _HTML_RE.search(shown)
        if hidden:
            raise PydanticCustomError(
                "raw_html",
                "text that reads as HTML once its formatting is removed is not allowed (it shows `{found}`)",
                {
                    "found": _excerpt(shown, hidden.start()),
                    "hint": "put a space after the `<` (`< 5 days`), or leave out the formatting right after it",
                },
            )
    scheme = _DANGEROUS_SCHEME_RE.search(value)
    if scheme:
        raise PydanticCustomError(
            "unsafe_url",
            "`javascript:`, `vbscript:` and `data:` URLs are not allowed",
            {"found": scheme.group(), "hint": "link only to https://, http://, mailto: or another entity (`[text](role:id)`)"},
        )
    for link in links(value):
        if not (_ALLOWED_URL_RE.match(link.href) or entity_link(link.href)):
            raise PydanticCustomError(
                "bad_link",
                "link target `{target}` is not allowed",
                {
                    "target": link.href,
                    "hint": "use https://..., http://..., mailto:... or a link to an entity such as"
                    " [Account Executive](role:account-executive); kinds: " + ", ".join(KIND_NAMES),
                },
            )
    return value
