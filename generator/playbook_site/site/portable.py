"""A finished page as a Markdown file that any engine builds as it is (`playbook generate`).

    ---
    title: "Account Executive (AE)"
    ---
    <!-- playbook:html -->
    <div class="pb-page">...the page's HTML...</div>

The front matter gives the engine the page's title (escaped once, as the theme prints it) and what
to hide; the marker tells the playbook's Markdown extension (`site.mdext`) to take the HTML as it
is and to read the table of contents from its headings. Without the extension, Python-Markdown
passes the HTML through as one raw HTML block.
"""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from .pages import Page, toc_tokens

MARKER = "<!-- playbook:html -->"
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)<a class="headerlink"', re.S)
_TAG = re.compile(r"<[^>]+>")


def to_markdown(page: Page) -> str:
    meta = [f"title: {json.dumps(page.title, ensure_ascii=False)}"]
    if page.hide:
        meta.append(f"hide: {json.dumps(list(page.hide))}")
    return "---\n" + "\n".join(meta) + "\n---\n" + MARKER + '\n<div class="pb-page">\n' + page.html.rstrip("\n") + "\n</div>\n"


def headings_of(html: str) -> list[dict[str, Any]]:
    """The table of contents of a finished page, as Python-Markdown's `toc` gives it (`toc_tokens`)."""
    return toc_tokens(
        (int(level), ident, unescape(_TAG.sub("", inner)).strip()) for level, ident, inner in _HEADING.findall(html)
    )
