"""A Content-Security-Policy on every page: only the site's own scripts, styles, images, fonts and
connections, and the theme's inline scripts by their hash.

The policy is a `<meta http-equiv>` as the first thing after the page's charset, so it covers every
script and style that follows. It is computed from the finished page (the engine's output), because
the theme's inline scripts differ from page to page (the path to the site's root is in them).

Only the inline scripts the theme writes get a hash: each page's inline script is compared, with the
path to the site's root set aside, with the known scripts of the pinned Material and Zensical
(`THEME_SCRIPTS`). Any other inline script, whatever put it there, is left without a hash, so the
browser refuses to run it, and the build is told (`unknown_scripts`). Hashing every inline script
of the finished page would whitelist a script that content had smuggled in.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from ..text import plural

_INLINE = re.compile(r"<(script|style)(\s[^>]*)?>(.*?)</\1\s*>", re.S | re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
# Styles the theme's scripts add at run time (Zensical's search in its shadow root).
RUNTIME_STYLES = ("'sha256-NwSx/R2V/U4jnW0Tq5pQ53Y/rzPVJ4dqE7D6UTA/J1k='",)


# The only part of the theme's inline scripts that differs from page to page: the path to the root.
# Relative ("../..") or, on a page such as Zensical's 404.html, absolute ("/REPOSITORY/1.0").
_ROOT_LITERAL = re.compile(r'"(?:\.\./)*\.\.?/?"|"/[A-Za-z0-9._~%/-]*"')

# The shape (sha256 of the script with its root paths set aside) of every inline script the theme
# writes: Material for MkDocs 9.7 (scope and storage, palette, tabbed anchors), Zensical 0.0.73
# (its scope and storage), and the outdated-version banner of overrides/partials. A theme upgrade
# that changes them shows up as `unknown_scripts` in the build and in tests/test_csp.py.
THEME_SCRIPTS = frozenset(
    {
        "722b2a1164fc48fd0c8f598380e5f4cbbef992e7ebc96b388bef0818b80e359e",  # Material: __md_scope, __md_get
        "9e3a6dcdc810b3832dbf0632895e2c03b2c45e682fc60426bca452539f780388",  # Zensical: __md_scope, __md_get
        "0eb10c249dbdb0beef225a10ce5cbe55418cc4a7014cc208f8e7d6ed8f00906e",  # both: the saved colour palette
        "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f",  # both: a tab opened by the address
        "acc91638f35c10fb948076c538cd92ec305da9ee9104e365c8cff95de44bde05",  # overrides: the outdated-version banner
    }
)


def shape(script: str) -> str:
    """A script's text with the paths to the site's root set aside, hashed."""
    return hashlib.sha256(_ROOT_LITERAL.sub('"ROOT"', script).encode("utf-8")).hexdigest()


def _inline_scripts(html: str) -> list[str]:
    """The bodies of the page's inline scripts that a browser would run (not data such as __config)."""
    return list(_scripts_of(html))


@functools.lru_cache(maxsize=2)  # a page is read twice after its build: `unknown_scripts`, then `policy`
def _scripts_of(html: str) -> tuple[str, ...]:
    found = []
    for tag, attributes, body in _INLINE.findall(html):
        attributes = attributes or ""
        if tag.lower() != "script" or re.search(r"\ssrc\s*=", attributes, re.I):
            continue
        kind = _TYPE.search(attributes)
        if (kind.group(1).lower() if kind else "") in _JS_TYPES:
            found.append(body)
    return tuple(found)


def unknown_scripts(html: str) -> list[str]:
    """Inline scripts on the page that are not the theme's: refused by the policy (never hashed)."""
    return [body for body in _inline_scripts(html) if shape(body) not in THEME_SCRIPTS]


def unknown_message(page: str, unknown: list[str]) -> str:
    first = " ".join(unknown[0].split())[:80]
    return (
        f"{page}: {plural(len(unknown), 'inline script')} that {'is' if len(unknown) == 1 else 'are'} not the theme's"
        " would be blocked by the page's"
        f" Content-Security-Policy (the first begins `{first}`); a script of your own belongs in a file"
        " under docs/, listed in extra_javascript"
    )


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


_SHIM = Path(__file__).resolve().parent / "assets" / "iframe-worker.js"


@functools.lru_cache(maxsize=1)
def frame_script() -> str:
    """The inline script the search-from-disk shim (assets/iframe-worker.js) writes into its frame: the
    same on every page, built from the shim's own two functions as the browser prints them."""
    shim = _SHIM.read_text(encoding="utf-8")
    post = re.search(r'function c\(s,n\)\{parent\.postMessage\(s,n\|\|"\*"\)\}', shim)
    imports = re.search(r"function d\(\.\.\.s\)\{.*?Promise\.resolve\(\)\)\}", shim)
    assert post and imports, "assets/iframe-worker.js changed: update csp.frame_script"
    return (
        f"postMessage={post.group()};importScripts={imports.group()};"
        'addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent("error",{filename:document.body.dataset.url,error}))})'
    )


def inline_blocks(html: str) -> list[str]:
    """The bodies of every inline script and style in a page or template, in order."""
    return [body for _tag, _attributes, body in _INLINE.findall(html)]


def policy(html: str, *, frames: bool = False, own: tuple[str, ...] = ()) -> str:
    """The policy for a page: the theme's inline scripts by hash, everything else from the site only
    (`frames`: the site's own frames, which search from disk needs; `own`: the bodies of the tool's
    own inline script and style, taken from its template's source, never from the page)."""
    scripts: list[str] = [_hash(body) for body in own if body.strip()]
    for body in _inline_scripts(html):
        digest = _hash(body)
        if shape(body) in THEME_SCRIPTS and digest not in scripts:
            scripts.append(digest)
    if frames:
        scripts.append(_hash(frame_script()))  # search from disk: the shim's frame, which inherits this policy
    # No other inline <style> on a page is allowed: the theme writes none.
    styles: list[str] = [*RUNTIME_STYLES, *(_hash(body) for body in own if body.strip())]
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(["'self'", *scripts]),
            "style-src " + " ".join(["'self'", *styles]),
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "base-uri 'self'",
            "form-action 'none'",
            "frame-src 'self'" if frames else "frame-src 'none'",
            "object-src 'none'",
        ]
    )


class _Head(HTMLParser):
    """Where a page's <head> begins and what its first child is, as a browser parses the page:
    comments, scripts and attribute values are never mistaken for tags, whatever text they hold."""

    class Found(Exception):
        pass

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.lines = [0]  # where each line starts (getpos counts \n), found up to the lines the parser reached
        self.head_end: int | None = None  # just after the <head ...> start tag
        self.after_charset: int | None = None  # just after a <meta charset> that is head's first child
        self.policy: tuple[int, int] | None = None  # an existing policy <meta> where ours goes

    def _span(self) -> tuple[int, int]:
        line, column = self.getpos()
        while len(self.lines) < line:  # the parser stops at the head's first child: the rest is never counted
            self.lines.append(self.html.index("\n", self.lines[-1]) + 1)
        start = self.lines[line - 1] + column
        return start, start + len(self.get_starttag_text() or "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.head_end is None:
            if tag == "head":
                self.head_end = self._span()[1]
            elif tag in ("body", "meta", "title", "script", "style", "link", "base"):
                raise self.Found  # no <head> tag of its own: nothing to anchor the policy to
            return
        start, end = self._span()
        names = {name.lower(): (value or "") for name, value in attrs}
        if tag == "meta" and "charset" in names and self.after_charset is None:
            self.after_charset = end  # the charset stays first: it must be within the first 1024 bytes
            return
        if tag == "meta" and names.get("http-equiv", "").lower() == "content-security-policy":
            self.policy = (start, end)
        raise self.Found

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if self.head_end is not None:
            raise self.Found  # </head> with no child


def add_policy(html: str, *, frames: bool = False, own: tuple[str, ...] = ()) -> str:
    """The page with its policy as the first child of its <head> (after the charset declaration, which
    must come first), before any script or style; a page without <head> as it is.

    The place is found by parsing the page, never by searching its text: a title or a field holding
    the words of a policy changes nothing. A page whose head already starts with a policy (a page
    built twice) has it replaced, so each page has exactly one."""
    head = _Head(html)
    try:
        head.feed(html)
        head.close()
    except _Head.Found:
        pass
    if head.head_end is None:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, frames=frames, own=own)}">'
    if head.policy is not None:
        start, end = head.policy
        return html[:start] + meta + html[end:]
    at = head.after_charset if head.after_charset is not None else head.head_end
    return html[:at] + "\n    " + meta + html[at:]
