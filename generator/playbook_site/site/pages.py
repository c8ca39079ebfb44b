"""The pages of a playbook site: which exist, their titles, and what a rendered page carries.

Each kind of page is declared once here (its path, template, title and the entity anchors it
holds); the navigation, the templates' headings and the theme's titles all read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from ..content.kinds import KINDS
from ..content.release import Release
from ..content.schema import Playbook
from . import matrix
from .paths import CHANGES_PAGE, PAGE_FOR_KIND
from .relations import Relations


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str  # plain text


@dataclass(frozen=True)
class Page:
    """A finished page: its HTML (what goes inside the theme's article) and what the theme needs."""

    path: str  # docs-relative, e.g. roles/account-executive.md
    title: str  # plain text escaped once for HTML: what the theme prints in <title>, the nav, the header
    html: str
    headings: tuple[Heading, ...] = ()
    hide: tuple[str, ...] = ()  # parts of the theme to hide on this page (Material's `hide:`: "toc")

    @cached_property
    def anchors(self) -> frozenset[str]:
        """Every id on the page, found once (the links between pages are checked against it)."""
        return frozenset({heading.id for heading in self.headings} | _ids_in(self.html))

    def toc_tokens(self) -> list[dict[str, Any]]:
        """The table of contents as Python-Markdown's `toc` extension gives it (`md.toc_tokens`)."""
        return toc_tokens((heading.level, heading.id, heading.text) for heading in self.headings)


def toc_tokens(headings: Iterable[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """(level, id, plain text) of a page's headings nested by level, each a dict with `level`, `id`,
    `name` (the text escaped once), `html`, `data-toc-label` and `children`: what MkDocs and
    Zensical read from Python-Markdown's `md.toc_tokens`."""
    from html import escape

    root: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for level, ident, text in headings:
        name = escape(text)  # quotes too: the theme prints it in an attribute as well
        token: dict[str, Any] = {"level": level, "id": ident, "name": name, "html": name, "data-toc-label": "", "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def _ids_in(html: str) -> set[str]:
    import re

    return set(re.findall(r'\sid="([^"]+)"', html))


@dataclass(frozen=True)
class PageSpec:
    path: str
    template: str
    title: str  # the page's heading and title ("" for pages titled by their content)
    nav_title: str
    exists: Callable[[Playbook], bool]
    kinds: tuple[str, ...] = ()  # the kinds whose entities have an anchor on this page
    titled: Callable[..., str] | None = None  # the title of a page titled by its content
    hide: tuple[str, ...] = ()

    def anchors(self, playbook: Playbook) -> Iterator[str]:
        for kind in self.kinds:
            yield from playbook.collection(kind)
        if "question" in self.kinds:
            yield "diagnostic"

    def page_title(self, playbook: Playbook, **extra: Any) -> str:
        return self.titled(playbook, **extra) if self.titled is not None else self.title


def _kinds_on(page: str) -> tuple[str, ...]:
    return tuple(kind for kind in KINDS if PAGE_FOR_KIND.get(kind) == page)


def has_results(playbook: Playbook) -> bool:
    """The playbook has at least one KPI result (results/<kpi-id>.csv with a row)."""
    return any(playbook.results.values())


def _role_title(playbook: Playbook, role: Any) -> str:
    return f"{role.name} ({role.abbreviation})" if role.abbreviation else str(role.name)


PAGES: dict[str, PageSpec] = {
    spec.path: spec
    for spec in (
        PageSpec("index.md", "home.html.j2", "", "Home", lambda p: True, titled=lambda playbook, **_: str(playbook.meta.title)),
        PageSpec("roles/index.md", "roles.html.j2", "Roles", "Roles", lambda p: bool(p.roles)),
        PageSpec("roles/{id}.md", "role.html.j2", "", "", lambda p: bool(p.roles), titled=_role_title),
        PageSpec(
            "leads.md", "leads.html.j2", "Lead definitions", "Lead definitions", lambda p: bool(p.leads), _kinds_on("leads.md")
        ),
        PageSpec("kpis.md", "kpis.html.j2", "KPIs", "KPIs", lambda p: bool(p.kpis), _kinds_on("kpis.md")),
        # Only with a result to show: a playbook without results builds as it did before they existed.
        # Each KPI's section is at its id, as on the KPI page.
        PageSpec("scorecard.md", "scorecard.html.j2", "Scorecard", "Scorecard", has_results, ("kpi",)),
        PageSpec(
            "checklist.md",
            "checklist.html.j2",
            "Alignment checklist",
            "Alignment checklist",
            lambda p: bool(p.checklist.steps),
            _kinds_on("checklist.md"),
        ),
        PageSpec(
            "alignment.md",
            "alignment.html.j2",
            "Alignment model",
            "Alignment model",
            lambda p: bool(p.alignment.stages or p.alignment.questions),
            _kinds_on("alignment.md"),
        ),
        PageSpec(
            "glossary.md", "glossary.html.j2", "Glossary", "Glossary", lambda p: bool(p.glossary.terms), _kinds_on("glossary.md")
        ),
        PageSpec(
            "responsibilities.md",
            "responsibilities.html.j2",
            "Responsibility matrix",
            "Responsibility matrix",
            lambda p: bool(p.roles and (p.checklist.steps or p.leads)),
            titled=lambda playbook, part, **_: "Responsibility matrix" + (f": {part.title}" if part.title else ""),
            hide=("toc",),
        ),
    )
}
CHANGES_TITLE = "What changed"


CHANGES = PageSpec(
    CHANGES_PAGE,
    "changes.html.j2",
    "",
    CHANGES_TITLE,
    lambda p: True,
    titled=lambda playbook, release, **_: f"What changed in version {release.version}",
)


def pages_for(playbook: Playbook, relations: Relations, release: Release | None = None) -> list[tuple[PageSpec, dict[str, Any]]]:
    """(page, extra template context) of every page, in the navigation's order; "What changed" last,
    in a release build."""
    found: list[tuple[PageSpec, dict[str, Any]]] = []
    for spec in PAGES.values():
        if not spec.exists(playbook):
            continue
        if spec.path == "roles/{id}.md":
            for role_id, role in playbook.roles.items():
                page = replace(spec, path=f"roles/{role_id}.md", nav_title=str(role.name))
                found.append((page, {"role": role}))
        elif spec.path == matrix.PAGE:
            found += _matrix_pages(spec, playbook, relations)
        else:
            found.append((spec, {}))
    if release is not None and release.version:
        found.append((CHANGES, {"release": release}))
    return found


def _matrix_pages(spec: PageSpec, playbook: Playbook, relations: Relations) -> list[tuple[PageSpec, dict[str, Any]]]:
    """One matrix page, or an index of the parts and a page for each (site/matrix.py)."""
    parts = matrix.parts(playbook, relations)
    if len(parts) == 1:
        return [(spec, {"part": parts[0], "parts": []})]
    index = matrix.Part(matrix.PAGE, "", (), (), ())
    pages = [(spec, {"part": index, "parts": parts})]
    pages += [(replace(spec, path=part.path, nav_title=part.title), {"part": part, "parts": []}) for part in parts]
    return pages


__all__ = ["CHANGES_PAGE", "CHANGES_TITLE", "PAGES", "Heading", "Page", "PageSpec", "has_results", "pages_for"]
