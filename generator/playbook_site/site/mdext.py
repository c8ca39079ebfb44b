"""A Python-Markdown extension for engines that read the playbook's pages as Markdown files.

`playbook generate --out DIR` writes each page as a Markdown file that holds finished HTML (see
`portable`). Listed in `markdown_extensions` (as `playbook_site.site.mdext`), this extension lets an
engine that builds those files (Zensical, plain MkDocs) take the HTML exactly as it is and gives it
the page's table of contents; without it the HTML still passes through as one raw HTML block.

Pages written by hand get the playbook's abbreviations: tooltips with the full name and links to
the definitions, marked in the HTML the engine made. Options: `abbreviations`, the path of the JSON
file `generate` writes (`.playbook/abbreviations.json`), and `directory_urls` (as in mkdocs.yml).
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .abbreviations import Abbreviation, Finder, mark_html
from .paths import page_of, relative_url, url_of
from .portable import MARKER, headings_of

_STASHED = "playbook_html"


_HOLDER = "PLAYBOOKGENERATEDPAGEHTML"


class _Capture(Preprocessor):
    """Before anything else looks at the lines (Python-Markdown's whitespace normalization would
    change tabs and drop characters): a generated page's HTML is kept aside, whole."""

    def run(self, lines: list[str]) -> list[str]:
        self.md.playbook_page = None  # type: ignore[attr-defined]
        if lines and lines[0].strip() == MARKER:
            self.md.playbook_page = "\n".join(lines[1:]).strip("\n") + "\n"  # type: ignore[attr-defined]
            return [_HOLDER]
        return lines


class _Stash(Preprocessor):
    """After the whitespace normalization: the page stands as one raw HTML block."""

    def run(self, lines: list[str]) -> list[str]:
        html = getattr(self.md, "playbook_page", None)
        return [self.md.htmlStash.store(html)] if html is not None and lines == [_HOLDER] else lines


class _Restore(Postprocessor):
    """Last: the page is its HTML, byte for byte, whatever the other extensions did around it (under
    Zensical with its links relative to the page's file: see `for_zensical`)."""

    def run(self, text: str) -> str:
        html = getattr(self.md, "playbook_page", None)
        if html is None:
            return text
        page = _zensical_page(self.md)
        return for_zensical(html, str(page.url), str(page.path)) if page is not None else html


_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_NOT_RELATIVE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|$)")  # a scheme, an absolute path, an anchor, empty


def for_zensical(html: str, page_url: str, source_path: str) -> str:
    """A generated page's HTML for Zensical, which reads every relative link of a page (raw HTML too)
    as relative to the page's Markdown file, as a Markdown link is, and rewrites it for the page's
    URL: `../sales-manager/` on roles/account-executive.md (URL roles/account-executive/) would become
    `../../sales-manager/`. The page's links are relative to its URL (they are final), so here they
    are written relative to its file, and Zensical's rewriting gives them back as they were."""
    url_dir = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    if url_dir == (posixpath.dirname(source_path) + "/").lstrip("/"):
        return html  # index pages, and every page without directory URLs: nothing moves

    def rebase(match: re.Match[str]) -> str:
        url = match.group(2)
        if _NOT_RELATIVE.match(url):
            return match.group(0)
        path, hash_, anchor = url.partition("#")
        path, question, query = path.partition("?")
        target = posixpath.normpath(posixpath.join(url_dir, path))
        target = "" if target == "." else target + ("/" if path.endswith("/") or path in (".", "..") else "")
        rebased = relative_url(target, source_path)
        if question:
            rebased += "?" + query
        return match.group(1) + rebased + hash_ + anchor + match.group(3)

    return _URL_ATTRIBUTE.sub(rebase, html)


class _Toc(Treeprocessor):
    """After the `toc` extension: a generated page's table of contents is the one of its headings."""

    def run(self, root: Any) -> None:
        html = getattr(self.md, "playbook_page", None)
        if html is not None:
            self.md.toc_tokens = headings_of(html)  # type: ignore[attr-defined]


class _Abbreviations(Postprocessor):
    def __init__(self, md: Markdown, finder: Finder, directory_urls: bool) -> None:
        super().__init__(md)
        self.finder = finder
        self.directory_urls = directory_urls

    def run(self, text: str) -> str:
        if getattr(self.md, "playbook_page", None) is not None or not self.finder:
            return text  # a generated page has its abbreviations already
        page_url = _page_url(self.md)
        hrefs: dict[str, str] = {}
        if page_url is not None:
            for short, found in self.finder.known.items():
                anchor = "" if found.kind == "role" else ("diagnostic" if found.kind == "question" else found.id)
                target = url_of(page_of(found.kind, found.id), self.directory_urls) + (f"#{anchor}" if anchor else "")
                hrefs[short] = relative_url(target, page_url)
        return mark_html(text, self.finder, hrefs)


def _zensical_page(md: Markdown) -> Any:
    """The page Zensical is converting (its `url` and `path`), None under any other engine."""
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    context = ContextPreprocessor.from_markdown(md)
    return context.page if context is not None else None


def _page_url(md: Markdown) -> str | None:
    """What the links of the page being converted are relative to: its URL from the MkDocs adapter
    (which sets `current_page_url`), or under Zensical its Markdown file (Zensical rebases every
    relative link of a page from its file to its URL, see `for_zensical`). None when unknown:
    tooltips without links."""
    if CURRENT_PAGE_URL[0] is not None:
        return CURRENT_PAGE_URL[0]
    page = _zensical_page(md)
    return str(page.path) if page is not None else None


CURRENT_PAGE_URL: list[str | None] = [None]  # set by the MkDocs adapter around each hand-written page


def load_abbreviations(path: str | Path) -> dict[str, Abbreviation]:
    """The abbreviations `generate` wrote: {short: {kind, id, tooltip}}."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {short: Abbreviation(short, item["kind"], item["id"], item["tooltip"]) for short, item in data.items()}


def dump_abbreviations(known: dict[str, Abbreviation]) -> str:
    data = {short: {"kind": a.kind, "id": a.id, "tooltip": a.tooltip} for short, a in sorted(known.items())}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


class PlaybookExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "abbreviations": ["", "the JSON file of the playbook's abbreviations (written by `playbook generate`)"],
            "directory_urls": [True, "as `use_directory_urls` in mkdocs.yml"],
        }
        self.known: dict[str, Abbreviation] | None = kwargs.pop("known", None)
        super().__init__(**kwargs)

    def __repr__(self) -> str:
        """Stable for the same settings: `serve`'s page cache keys a page's HTML by the Markdown settings."""
        import hashlib

        known = dump_abbreviations(self.known) if self.known is not None else str(self.getConfig("abbreviations"))
        digest = hashlib.sha256(known.encode("utf-8")).hexdigest()[:16]
        return f"PlaybookExtension({digest}, directory_urls={self.getConfig('directory_urls')})"

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        known = self.known
        if known is None:
            path = self.getConfig("abbreviations")
            known = load_abbreviations(path) if path else {}
        md.preprocessors.register(_Capture(md), "playbook_capture", 1000)  # before normalize_whitespace (30)
        md.preprocessors.register(_Stash(md), "playbook_stash", 29)
        md.treeprocessors.register(_Toc(md), "playbook_toc", 4)  # after toc (5)
        md.postprocessors.register(_Abbreviations(md, Finder(known), bool(self.getConfig("directory_urls"))), "playbook_abbr", 5)
        md.postprocessors.register(_Restore(md), "playbook_restore", 0)


def makeExtension(**kwargs: Any) -> PlaybookExtension:  # noqa: N802 - Python-Markdown's name
    return PlaybookExtension(**kwargs)
