"""Where each entity lives on the site: its page and its anchor, and links between pages."""

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
    if kind == "role":
        return ""
    if kind == "question":
        return "diagnostic"  # statements are items of one list under this heading
    return entity_id


@functools.lru_cache(maxsize=16384)
def _relative_path(page: str, from_dir: str) -> str:
    return posixpath.relpath(page, from_dir)  # slow (abspath of both) and called for every link


def link_target(kind: str, entity_id: str, from_page: str) -> str:
    page = page_of(kind, entity_id)
    rel = _relative_path(page, posixpath.dirname(from_page) or ".")
    anchor = anchor_of(kind, entity_id)
    return f"{rel}#{anchor}" if anchor else rel
