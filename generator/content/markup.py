"""What a text field may hold: inline Markdown, never raw HTML or an unsafe link.

`check_text` is the validator every text field runs; the patterns here are the
ones the rest of the tool uses to find links in text.
"""

from __future__ import annotations

import re

from pydantic_core import PydanticCustomError

from .kinds import KIND_NAMES

_HTML_RE = re.compile(r"<(?:/?[A-Za-z]|[!?])")  # what a browser would read as markup; `< 5` is text
# Possessive quantifiers and a target that stops at `[`/`]` keep this linear: a pull request cannot
# stall validation or the build with text such as "[](" repeated (catastrophic backtracking).
LINK_RE = re.compile(r"\[((?:[^\[\]]++|\[[^\[\]]*+\])*+)\]\(\s*+([^)\s\[\]]*+)(?:\s++\"[^\"]*+\")?+\s*+\)")
_DANGEROUS_SCHEME_RE = re.compile(r"(?i)\b(?:javascript|vbscript)\s*:|\bdata:\S")
ENTITY_LINK_RE = re.compile(r"^(" + "|".join(KIND_NAMES) + r"):([^\s#]+)$")
# No quotes, angle brackets, backticks, braces, pipes or backslashes in a URL: each could end the link
# early in Markdown, open a code span or split a table cell. Percent-encode them instead.
_URL_CHARS = r"[^\s<>\"`{}|\\^\[\]\x00-\x1f\x7f]+"
_ALLOWED_URL_RE = re.compile(r"(?i)^(https?://" + _URL_CHARS + r"|mailto:" + _URL_CHARS + r")$")


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
    scheme = _DANGEROUS_SCHEME_RE.search(value)
    if scheme:
        raise PydanticCustomError(
            "unsafe_url",
            "`javascript:`, `vbscript:` and `data:` URLs are not allowed",
            {"found": scheme.group(), "hint": "link only to https://, http://, mailto: or another entity (`[text](role:id)`)"},
        )
    for match in LINK_RE.finditer(value):
        target = match.group(2)
        if not (_ALLOWED_URL_RE.match(target) or ENTITY_LINK_RE.match(target)):
            hint = (
                'percent-encode the characters a URL may not hold as they are: ` as %60, " as %22,'
                " < as %3C, > as %3E, { as %7B, } as %7D, | as %7C, \\ as %5C, ^ as %5E"
                if re.match(r"(?i)(https?://|mailto:)", target)
                else "use https://..., http://..., mailto:... or a link to an entity such as"
                " [Account Executive](role:account-executive); kinds: " + ", ".join(KIND_NAMES)
            )
            raise PydanticCustomError("bad_link", "link target `{target}` is not allowed", {"target": target, "hint": hint})
    return value
