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
        misleading = _misleading(link)
        if misleading is not None:
            named, goes = misleading
            raise PydanticCustomError(
                "misleading_link",
                "the link's text names `{named}` but the link goes to `{goes}`",
                {
                    "named": named,
                    "goes": goes,
                    "target": link.href,
                    "hint": "a link goes where its text says: make the text name the place the link goes to,"
                    " or write words instead of an address ([the forecast](https://...))",
                },
            )
    return value


# --- a link goes where its text says ---------------------------------------------------------------

_LABEL = r"[^\W_](?:[\w-]{0,62}[^\W_])?"  # one name of a host (Unicode letters and digits, inner hyphens)
_TLD = r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})"
_HOST_RE = re.compile(rf"^(?:{_LABEL}\.)+{_TLD}\.?$", re.I)
# Top-level domains common enough that `name.tld` alone reads as an address (two dots always do).
_COMMON_TLDS = frozenset(
    "com net org io co ai app dev edu gov info biz me us uk de fr eu ca au ch nl es it be at se no dk fi ie nz in jp"
    " cn ru br example test local".split()
)
_EDGES = "()[]<>{}\"'“”‘’«»,;:!?*_`"


def _named_places(label: str) -> list[tuple[str, str]]:
    """What a link's text names as a place: ("web", host) or ("mail", address), for each word of it
    that reads as an address (a URL, `www.` a host, a host and a path, an email address), or the
    whole text when it is a domain."""
    from urllib.parse import urlsplit

    words = label.split()
    found: list[tuple[str, str]] = []
    for raw in words:
        word = raw.strip(_EDGES).rstrip(".,;:!?)")
        lowered = word.lower()
        if lowered.startswith("mailto:"):
            found.append(("mail", word[7:].split("?")[0]))
        elif re.match(r"^[a-z][a-z0-9+.-]*://", lowered):
            try:
                host = urlsplit(word).hostname or ""
            except ValueError:
                host = ""
            found.append(("web", host))
        elif "@" in word and "/" not in word:
            local, _, domain = word.rpartition("@")
            if local and _HOST_RE.match(domain):
                found.append(("mail", word))
        else:
            host = re.split(r"[/?#]", word, maxsplit=1)[0]
            host = re.sub(r":\d+$", "", host)
            if not _HOST_RE.match(host):
                continue
            dots = host.rstrip(".").count(".")
            bare = host == word
            if (
                lowered.startswith("www.")
                or not bare
                or (len(words) == 1 and (dots >= 2 or host.rstrip(".").rsplit(".", 1)[-1].lower() in _COMMON_TLDS))
            ):
                found.append(("web", host))
    return found


def _host_key(host: str) -> str:
    """A host as a browser compares it: lower case, no root dot, IDNA (punycode), without `www.`."""
    host = host.strip().rstrip(".").lower()
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return host[4:] if host.startswith("www.") else host


def _misleading(link: Link) -> tuple[str, str] | None:
    """(what the text names, where the link goes) when a link's text names another place."""
    from urllib.parse import urlsplit

    named = _named_places(link.label)
    if not named:
        return None
    href = link.href
    if href.lower().startswith("mailto:"):
        goes: tuple[str, str] = ("mail", href[7:].split("?")[0])
    elif entity_link(href):
        goes = ("entity", href)
    else:
        try:
            goes = ("web", urlsplit(href).hostname or "")
        except ValueError:
            goes = ("web", "")
    for kind, place in named:
        if kind != goes[0]:
            return place, goes[1] or href
        if kind == "web" and _host_key(place) != _host_key(goes[1]):
            return place, goes[1]
        if kind == "mail":
            local, _, domain = place.rpartition("@")
            target_local, _, target_domain = goes[1].rpartition("@")
            if local.lower() != target_local.lower() or _host_key(domain) != _host_key(target_domain):
                return place, goes[1]
    return None
