"""Where each entity lives on the site, and the links between pages.

Pages are named by their docs-relative Markdown path (`roles/account-executive.md`); what a reader's
browser sees is the page's URL, which depends on `use_directory_urls` (`roles/account-executive/` or
`roles/account-executive.html`). The pages are HTML made here, so their links are final URLs,
relative to the page, exactly as the engine would have written them.
"""

from __future__ import annotations

import functools
import posixpath

CHANGES_PAGE = "changes.md"  # "What changed", in a published version

PAGE_FOR_KIND = {
    "lead": "leads.md",
    "kpi": "kpis.md",
    "step": "checklist.md",
    "stage": "alignment.md",
    "question": "alignment.md",
    "term": "glossary.md",
}


def page_of(kind: str, entity_id: str) -> str:
    """Docs-relative Markdown path of the page holding an entity."""
    if kind == "role":
        return f"roles/{entity_id}.md"
    return PAGE_FOR_KIND[kind]


def anchor_of(kind: str, entity_id: str) -> str:
    """The id of the entity's section on its page ("" for a page of its own)."""
    if kind == "role":
        return ""
    if kind == "question":
        return "diagnostic"  # statements are items of one list under this heading
    return entity_id


@functools.lru_cache(maxsize=65536)
def url_of(page: str, directory_urls: bool = True) -> str:
    """A page's URL relative to the site root, as MkDocs and Zensical write it."""
    stem = page[: -len(".md")] if page.endswith(".md") else page
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@functools.lru_cache(maxsize=65536)
def relative_url(target: str, from_page_url: str) -> str:
    """`target` (a URL relative to the site root) as seen from the page at `from_page_url`."""
    base = from_page_url if from_page_url.endswith("/") or not from_page_url else posixpath.dirname(from_page_url) + "/"
    path, _, anchor = target.partition("#")
    if path == from_page_url and anchor:
        return "#" + anchor
    relative = posixpath.relpath(path or ".", base.rstrip("/") or ".")
    if path.endswith("/") or path == "":
        relative = relative.rstrip("/") + "/" if relative != "." else "./"
    return relative + ("#" + anchor if anchor else "")


def link_target(kind: str, entity_id: str, from_page: str, directory_urls: bool = True) -> str:
    """The URL of an entity as written on the page `from_page` (a docs-relative path)."""
    anchor = anchor_of(kind, entity_id)
    target = url_of(page_of(kind, entity_id), directory_urls) + (f"#{anchor}" if anchor else "")
    return relative_url(target, url_of(from_page, directory_urls))
