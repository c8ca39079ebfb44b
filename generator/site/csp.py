"""A Content-Security-Policy on every page: only the site's own scripts, styles, images, fonts and
connections, and the theme's inline scripts by their hash.

The policy is a `<meta http-equiv>` as the first thing after the page's charset, so it covers every
script and style that follows. It is computed from the finished page (the engine's output), because
the theme's inline scripts differ from page to page (the path to the site's root is in them).
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE = re.compile(r"<(script|style)(\s[^>]*)?>(.*?)</\1\s*>", re.S | re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
_HEAD = re.compile(r"<head[^>]*>", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
# Styles the theme's scripts add at run time (Zensical's search in its shadow root).
RUNTIME_STYLES = ("'sha256-NwSx/R2V/U4jnW0Tq5pQ53Y/rzPVJ4dqE7D6UTA/J1k='",)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(html: str, *, frames: bool = False) -> str:
    """The policy for a page: its inline scripts and styles by hash, everything else from the site only
    (`frames`: the site's own frames, which search from disk needs)."""
    scripts: list[str] = []
    styles: list[str] = list(RUNTIME_STYLES)
    for tag, attributes, body in _INLINE.findall(html):
        attributes = attributes or ""
        if tag.lower() == "script":
            if re.search(r"\ssrc\s*=", attributes, re.I):
                continue
            kind = _TYPE.search(attributes)
            if (kind.group(1).lower() if kind else "") not in _JS_TYPES:
                continue  # data, such as Material's __config JSON: never run
            found = scripts
        else:
            found = styles
        digest = _hash(body)
        if digest not in found:
            found.append(digest)
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


def add_policy(html: str, *, frames: bool = False) -> str:
    """The page with its policy, placed before any script or style; a page without <head> as it is."""
    if 'http-equiv="Content-Security-Policy"' in html:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, frames=frames)}">'
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        return html
    return html[: anchor.end()] + "\n    " + meta + html[anchor.end() :]
