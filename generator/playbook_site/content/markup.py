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


# A text made only of plain words and simple links `[label](target)` has the links this reads, as the
# parser would find them (tests/test_markup_links.py holds the two against each other): no brackets,
# escapes, code or `<` besides, a label of plain words, a target of URL characters that the parser's
# normalizing leaves as they are, with a scheme it accepts. Any other text is parsed (issue 27: most
# texts with a link are of this shape, and `validate` then needs no parser at all).
_SIMPLE_LINK = r"\[([^\[\]\\`<>&!*_]+)\]\(((?:https?://|mailto:|(?:" + "|".join(KIND_NAMES) + r"):)[A-Za-z0-9._~:/?#@!$+,;=-]+)\)"
_SIMPLE_LINKS_RE = re.compile(r"(?:[^\[\]\\`<]|" + _SIMPLE_LINK + r")*")
_ONE_SIMPLE_LINK_RE = re.compile(_SIMPLE_LINK)


def _simple_links(collapsed: str) -> list[Link] | None:
    """The links of a text of plain words and simple links, or None for any other text."""
    if "![" in collapsed or not _SIMPLE_LINKS_RE.fullmatch(collapsed):
        return None
    return [Link(match.group(2), match.group(1)) for match in _ONE_SIMPLE_LINK_RE.finditer(collapsed)]


def links(text: str) -> list[Link]:
    """Every link of a text, as the renderer will write it."""
    if "](" not in text:
        return []
    simple = _simple_links(" ".join(text.split()))
    if simple is not None:
        return simple
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
        try:
            misleading = _misleading(link)
        except _UserInfo as userinfo:
            raise PydanticCustomError(
                "misleading_link",
                "a link address with a user name before `@` is not allowed (`{found}`): its host is what follows the `@`",
                {
                    "found": userinfo.address,
                    "hint": "write the address without `name@` before its host ([the forecast](https://wiki.example.com/...))",
                },
            ) from None
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
#
# The text is read as a browser would read it as an address: NFKC first (fullwidth letters, colons and
# stops become ASCII, as UTS-46 maps them) and the ideographic stops become dots. Then every word of it
# that reads as an address or a domain must name the link's host: a URL, `www.` a host, a host and a
# path, an email address, or `name.tld` whose last part is letters and not a common file extension
# (`README.md`, `data.csv`, `v2.1` are no domains; `ASP.NET` is one, as asp.net is a real host).
# A user name before `@` (`https://wiki.example@evil.example/`) is refused in the text and the target.
# Hosts are compared strictly: lower case, without a final dot or `www.`, punycode labels decoded by
# punycode alone, then the same string; no IDNA mapping (Python's IDNA 2003 maps `ß` to `ss` and `ς`
# to `σ`, browsers' UTS-46 does not), so a non-ASCII host matches only the same letters.

_LABEL = r"[^\W_](?:[\w-]{0,62}[^\W_])?"  # one name of a host (Unicode letters and digits, inner hyphens)
_TLD = r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})"
_HOST_RE = re.compile(rf"^(?:{_LABEL}\.)+{_TLD}\.?$", re.I)
# Last parts that name a file, not a domain, when a word stands alone (`README.md`, `forecast.xlsx`).
_FILE_EXTENSIONS = frozenset("md txt yml yaml json csv pdf docx xlsx pptx html htm py js css png jpg jpeg gif svg zip".split())
_SPLIT_RE = re.compile(r"[\s()\[\]<>{}\"'“”‘’«»,;!*`|]+")
_STOPS_RE = re.compile(r"[\u3002\uff0e\uff61]")  # the full stops UTS-46 maps to `.`
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_MAILTO_RE = re.compile(r"mailto:", re.I)
# A domain inside a word: labels and a top-level domain, not glued to more letters, digits, dots or hyphens.
_DOMAIN_IN_RE = re.compile(rf"(?<![\w.-])(?:{_LABEL}\.)+{_TLD}(?![\w-])\.?", re.I)
_MAIL_HEADERS_ALLOWED = frozenset({"subject", "body"})
_EDGES = "()[]<>{}\"'“”‘’«»,;:!?*_`"


class _UserInfo(Exception):
    """An address with a user name before `@`: its host is not what a reader reads first."""

    def __init__(self, address: str) -> None:
        super().__init__(address)
        self.address = address


def _authority(rest: str) -> tuple[str, str]:
    """(authority, what follows it) of an address after its `scheme://`, split where a browser splits."""
    match = re.search(r"[/\\?#]", rest)
    return (rest[: match.start()], rest[match.start() :]) if match else (rest, "")


def _web_host(authority: str, address: str) -> str:
    if "@" in authority:
        raise _UserInfo(address)
    return re.sub(r":\d*$", "", authority)


def _as_read(label: str) -> str:
    import unicodedata

    return _STOPS_RE.sub(".", unicodedata.normalize("NFKC", label))


def _named_places(label: str) -> list[tuple[str, str]]:
    """What a link's text names as a place: ("web", host) or ("mail", address), for each word of it
    that reads as an address or a domain, wherever it stands in the word (`see:https://…`)."""
    found: list[tuple[str, str]] = []
    for raw in _SPLIT_RE.split(_as_read(label)):
        word = raw.strip(_EDGES).rstrip(".,;:!?)")
        scheme = _scheme(word)
        mailto = _MAILTO_RE.search(word)
        if mailto and (not scheme or mailto.start() < scheme[0]):
            found += _plain_places(word[: mailto.start()])
            found.append(("mail", word[mailto.end() :].split("?")[0]))
        elif scheme:
            found += _plain_places(word[: scheme[0]])
            authority, _ = _authority(word[scheme[1] :])
            found.append(("web", _web_host(authority, word[scheme[0] :])))
        else:
            found += _plain_places(word)
    return found


def _scheme(word: str) -> tuple[int, int] | None:
    """Where the first `scheme://` of a word is (`x=https://…` included), found in linear time: each `://`
    is looked up once and its scheme read backwards (a regex search would rescan the word from each start)."""
    at = word.find("://")
    while at >= 0:
        start = at
        while start > 0 and word[start - 1] in _SCHEME_CHARS:
            start -= 1
        while start < at and not word[start].isalpha():
            start += 1
        if start < at:
            return start, at + 3
        at = word.find("://", at + 3)
    return None


def _plain_places(word: str) -> list[tuple[str, str]]:
    """The places a word without a scheme names: an email address, a host and a path, `www.` a host,
    or a domain anywhere in it (`see:northwind.com`) whose last part is no file extension."""
    authority, path = _authority(word)
    if "@" in authority:
        local, _, domain = authority.rpartition("@")
        if path:
            raise _UserInfo(word)  # `wiki.example@evil.example/login`
        if local and _HOST_RE.match(domain):
            return [("mail", authority)]
    found: list[tuple[str, str]] = []
    for match in _DOMAIN_IN_RE.finditer(authority):
        host = match.group()
        last = host.rstrip(".").rsplit(".", 1)[-1].lower()
        hosts_a_path = bool(path) and re.fullmatch(r"(?::\d*)?", authority[match.end() :]) is not None
        if host.lower().startswith("www.") or hosts_a_path or last not in _FILE_EXTENSIONS:
            found.append(("web", host))
    return found


def _host_key(host: str) -> str:
    """A host compared strictly: lower case, no root dot, punycode labels decoded, without `www.`."""
    labels = []
    for label in host.strip().rstrip(".").lower().split("."):
        if label.startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode").lower()
            except UnicodeError:
                pass
        labels.append(label)
    key = ".".join(labels)
    return key[4:] if key.startswith("www.") else key


def _mail_target(href: str) -> tuple[str, str | None]:
    """(the one address a `mailto:` link writes to, or the whole target when it writes to more)."""
    from urllib.parse import parse_qsl, unquote

    addresses, _, query = href[7:].partition("?")
    address = unquote(addresses)
    if re.search(r"[,;\s]", address):
        return address, None
    for key, _value in parse_qsl(query, keep_blank_values=True):
        if key.strip().lower() not in _MAIL_HEADERS_ALLOWED:
            return address, None
    return address, address


def _misleading(link: Link) -> tuple[str, str] | None:
    """(what the text names, where the link goes) when a link's text names another place; raises
    `_UserInfo` for an address with a user name."""
    href = link.href
    lowered = href.lower()
    goes: tuple[str, str | None]
    if lowered.startswith(("http://", "https://")):
        authority, _ = _authority(href.split("://", 1)[1])
        goes = ("web", _web_host(authority, href))
    named = _named_places(link.label)
    if not named:
        return None
    if lowered.startswith("mailto:"):
        _address, single = _mail_target(href)
        goes = ("mail", single)
        if single is None:
            return named[0][1], href
    elif entity_link(href):
        goes = ("entity", href)
    elif not lowered.startswith(("http://", "https://")):
        goes = ("other", href)
    for kind, place in named:
        target = goes[1] or ""
        if kind != goes[0]:
            return place, target or href
        if kind == "web" and _host_key(place) != _host_key(target):
            return place, target
        if kind == "mail":
            local, _, domain = place.rpartition("@")
            target_local, _, target_domain = target.rpartition("@")
            if local.lower() != target_local.lower() or _host_key(domain) != _host_key(target_domain):
                return place, target
    return None
