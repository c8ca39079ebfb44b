"""Since your last visit: a fingerprint per page of the definitions it shows, for the reader's own
browser to compare with the ones it saw (site/assets/playbook.js; localStorage, nothing sent anywhere).

A page's fingerprint hashes what it reads of the playbook, from the reference graph (`content.refs`):
the whole definition (the fields readers see) of the entities it is about, and only the name of those
it names in passing. A role page is about the role and the KPIs, lead stages and checklist steps it
takes part in (it shows their formulas, targets, hand-off times and cadences); a list page is about
the entities it lists; the responsibility matrix shows names and who takes part in what. Editors'
notes, approvers and review dates change no fingerprint; neither do results.

The fingerprints reach the browser as data: `SCRIPT`, a file of the site loaded as a script (the page's
policy allows the site's own files; it works from disk too), which sets one JSON value. It holds page
paths, hex digests and the version's label, as JSON with `<`, `>` and every non-ASCII character
escaped: the only text of the content in it is that label, which the script shows as text.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from ..content.kinds import PLAYBOOK
from ..content.refs import field_references
from ..content.schema import ENTITY_MODELS, Playbook, PlaybookMeta, display_name, meta_of
from . import matrix
from .onboarding import site_key
from .pages import CHANGES_PAGE, Page, PageSpec
from .paths import url_of

SCRIPT = "assets/playbook/since.js"  # the fingerprints of every page, as data; loaded before playbook.js
Key = tuple[str, str]  # (kind, id); (PLAYBOOK, "") for playbook.yml
DEFINES = ("kpi", "lead", "step")  # what a role page shows in full of the entities it takes part in
# What the roles list and the home page's "Start here" show of each role (templates roles.html.j2, home.html.j2).
ROLE_LISTED = ("name", "abbreviation", "summary", "owns", "function", "reports_to", "status")


def _hidden_fields(model: Any) -> set[str]:
    return {name for name in model.model_fields if (meta := meta_of(model, name)) is not None and not meta.reader}


_HIDDEN = {kind: _hidden_fields(model) for kind, model in {**ENTITY_MODELS, PLAYBOOK: PlaybookMeta}.items()}
_HIDDEN[PLAYBOOK] |= {"version", "repository"}  # a version's label and where the files are kept define nothing


class Graph:
    """Each entity's definition digest and its neighbours (what it names and what names it)."""

    def __init__(self, playbook: Playbook) -> None:
        self.playbook = playbook
        self.near: dict[Key, set[Key]] = defaultdict(set)
        for ref in field_references(playbook):  # the fields that name entities; a link in text shows its own words
            targets = [(kind, found.id) for kind, found in playbook.find(ref.target_id)] if ref.target_kind == "*" else []
            for target in targets or [(ref.target_kind, ref.target_id)]:
                self.near[(ref.kind, ref.id)].add(target)
                self.near[target].add((ref.kind, ref.id))
        self._digests: dict[Key, str] = {}

    def entity(self, key: Key) -> Any:
        return self.playbook.meta if key[0] == PLAYBOOK else self.playbook.collection(key[0]).get(key[1])

    def digest(self, key: Key) -> str:
        """The definition as readers see it (notes, approvers and review dates aside), hashed once."""
        if key not in self._digests:
            entity = self.entity(key)
            data = entity.model_dump(mode="json", exclude=_HIDDEN.get(key[0], set())) if entity is not None else None
            self._digests[key] = hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()
        return self._digests[key]

    def listed(self, kind: str, fields: tuple[str, ...]) -> list[str]:
        """What a list shows of each entity of a kind: these fields, as lines."""
        return [
            f"{kind}:{entity_id}|" + json.dumps([str(getattr(entity, name, None)) for name in fields])
            for entity_id, entity in self.playbook.collection(kind).items()
        ]

    def name(self, key: Key) -> str:
        entity = self.entity(key)
        if entity is None or key[0] == PLAYBOOK:
            return ""
        return f"{display_name(entity)}\n{getattr(entity, 'abbreviation', None) or ''}\n{getattr(entity, 'status', '')}"

    def neighbours(self, keys: Iterable[Key]) -> set[Key]:
        return {near for key in keys for near in self.near.get(key, ())}

    def of_kinds(self, kinds: Iterable[str]) -> set[Key]:
        return {(kind, entity_id) for kind in kinds for entity_id in self.playbook.collection(kind)}


def reads(spec: PageSpec, extra: dict[str, Any], graph: Graph) -> tuple[set[Key], set[Key], list[str]]:
    """What a page shows: (entities in full, entities by name, anything else it shows, as lines)."""
    if "role" in extra and spec.template == "role.html.j2":
        role: Key = ("role", extra["role"].id)
        full = {role} | {key for key in graph.neighbours([role]) if key[0] in DEFINES}
        return full, graph.neighbours(full) - full, []
    if "part" in extra and spec.template == "responsibilities.html.j2":
        return set(), *_matrix(extra["part"], extra.get("parts") or [])
    if spec.path in ("index.md", "roles/index.md"):  # the roles as listed (their names name the roles they report to)
        full = {(PLAYBOOK, "")} if spec.path == "index.md" else set()
        return full, graph.neighbours(full), graph.listed("role", ROLE_LISTED)
    full = graph.of_kinds(spec.kinds)
    return full, graph.neighbours(full) - full, []


def _matrix(part: Any, parts: list[Any]) -> tuple[set[Key], list[str]]:
    """A responsibility matrix shows names and, in each cell, who takes part in what (`matrix.cell`);
    the index of a playbook's several matrices, the parts' titles and roles."""
    if parts:
        return {("role", role.id) for each in parts for role in each.roles}, [each.title for each in parts]
    rows = [("step", row) for row in part.steps] + [("lead", row) for row in part.leads]
    named = {("role", role.id) for role in part.roles} | {(kind, row.id) for kind, row in rows}
    cells = [f"{kind}:{row.id}|{role.id}|{matrix.cell(row, role)}" for kind, row in rows for role in part.roles]
    return named, cells


def fingerprint(graph: Graph, full: set[Key], named: set[Key], shown: list[str]) -> str:
    lines = [f"{kind}:{entity_id}={graph.digest((kind, entity_id))}" for kind, entity_id in sorted(full)]
    lines += [f"{kind}:{entity_id}~{graph.name((kind, entity_id))}" for kind, entity_id in sorted(named)]
    return hashlib.sha256("\n".join(lines + shown).encode("utf-8")).hexdigest()[:16]


def fingerprints(playbook: Playbook, pages: Iterable[tuple[PageSpec, dict[str, Any]]]) -> dict[str, str]:
    """{page path: fingerprint} of every page but "What changed" (a version's own page)."""
    graph = Graph(playbook)
    return {spec.path: fingerprint(graph, *reads(spec, extra, graph)) for spec, extra in pages if spec.path != CHANGES_PAGE}


def script(playbook: Playbook, found: dict[str, str], version: str, directory_urls: bool) -> str:
    """The data file: the site's storage key, the version, and each page's address and fingerprint."""
    data = {
        "site": site_key(playbook),
        "version": version,
        "pages": {path: {"url": url_of(path, directory_urls), "fp": digest} for path, digest in sorted(found.items())},
    }
    text = json.dumps(data, ensure_ascii=True, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e")
    return f"/* Written by playbook-site: what each page shows, as fingerprints (data only). */\nwindow.__pbSince = {text};\n"


def marked(page: Page, digest: str) -> Page:
    """The page with the place the reader's browser fills when it changed since their last visit: after
    the title, carrying the page's path and fingerprint (hidden until the script shows it)."""
    from dataclasses import replace

    marker = Markup('<div class="pb-since" data-pb-page="{0}" data-pb-fingerprint="{1}" hidden></div>\n').format(
        page.path, digest
    )
    at = page.html.find("</h1>")
    at = page.html.find("\n", at) + 1 if at >= 0 else 0
    return replace(page, html=page.html[:at] + str(marker) + page.html[at:])


__all__ = ["SCRIPT", "fingerprints", "marked", "script"]
