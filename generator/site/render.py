"""Render a `Playbook` into Markdown pages through the Jinja templates.

Content is data. Templates render with `StrictUndefined`; every `{{ value }}`
that is not explicitly marked safe is escaped for Markdown by `finalize`, so a
template that forgets a filter still cannot let content through as HTML or
as Markdown syntax. Text fields go through `inline`, which keeps inline
Markdown (bold, italics, code, links) and escapes everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from ..content.kinds import KIND_LABELS
from ..content.schema import DIRECTION_LABELS, FILE_MODELS, Playbook, display_name
from ..content.units import target_amount
from ..text import escape_plain, format_number
from . import funnel, views
from .inline import finalize, inline_markdown
from .paths import anchor_of, link_target
from .relations import Relations
from .scaling import TEMPLATE_CACHE, AbbreviationIndex

# --- the environment and the pages ------------------------------------------------------------


def default_templates_dir() -> Path:
    package = Path(__file__).resolve().parent.parent  # generator/: an installed wheel has generator/templates
    for candidate in (package / "templates", package.parent / "templates"):
        if (candidate / "role.md.j2").is_file():
            return candidate
    raise FileNotFoundError("the playbook templates were not found next to the generator package")


def make_environment(templates_dir: Path | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir or default_templates_dir())),
        undefined=StrictUndefined,
        autoescape=False,  # output is Markdown: `finalize` escapes for it instead
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=TEMPLATE_CACHE,  # compiled once per process, not at every render
    )

    @pass_context
    def inline(context: Any, text: Any) -> Markup:
        return Markup(inline_markdown(str(text), context["page_path"]))

    @pass_context
    def link(context: Any, kind: str, entity_id: str, label: Any = None) -> Markup:
        entity = context["playbook"].collection(kind).get(entity_id)
        text = label if label is not None else (display_name(entity) if entity is not None else entity_id)
        return Markup(f"[{escape_plain(text)}]({link_target(kind, entity_id, context['page_path'])})")

    @pass_context
    def url(context: Any, kind: str, entity_id: str) -> Markup:
        return Markup(link_target(kind, entity_id, context["page_path"]))

    def anchor(kind: str, entity_id: str) -> Markup:
        return Markup("{ #" + anchor_of(kind, entity_id) + " }")

    def raw_id(value: str) -> Markup:
        return Markup(escape_plain(value))

    def badges(entity: Any) -> Markup:
        """Status other than `agreed`, and "needs review" once `review_by` has passed (not when retired,
        as `validate` does not warn about a retired definition either)."""
        parts = []
        if entity.status != "agreed":
            parts.append(f'<span class="pb-badge pb-badge--{entity.status}">{entity.status}</span>')
        stale = today_of(env) and entity.review_by is not None and entity.review_by < today_of(env)
        if stale and entity.status != "retired":
            parts.append('<span class="pb-badge pb-badge--stale">needs review</span>')
        return Markup(" ".join(parts))

    def badge_line(entity: Any) -> Markup:
        found = badges(entity)
        return Markup(found + "\n\n") if found else Markup("")

    env.globals["funnel_svg"] = lambda playbook: Markup(funnel.funnel_svg(playbook))

    @pass_context
    def self_assessment(context: Any, playbook: Playbook) -> Markup:
        return Markup(views.self_assessment_html(playbook, context["page_path"]))

    @pass_context
    def onboarding(context: Any, role: Any) -> Markup:
        return Markup(views.onboarding_html(context["playbook"], role, context["page_path"]))

    env.globals["self_assessment"] = self_assessment
    env.globals["schema_kinds"] = list(FILE_MODELS)  # one JSON Schema a kind, published under schema/
    env.globals["onboarding"] = onboarding
    env.globals["badges"] = badges
    env.globals["badge_line"] = badge_line
    env.filters["inline"] = inline
    env.filters["number"] = lambda value: Markup(escape_plain(format_number(value)))
    env.globals.update(
        target_text=target_text,
    )
    env.globals.update(link=link, url=url, anchor=anchor, raw_id=raw_id, kind_label=KIND_LABELS, display_name=display_name)
    return env


def today_of(env: Environment) -> date | None:
    return env.globals.get("today")  # type: ignore[return-value]


def target_text(kpi: Any) -> str:
    """ "31% per quarter; higher is better" style summary of a KPI target."""
    direction = DIRECTION_LABELS[kpi.direction]
    return f"{target_amount(kpi)}; {direction}" if kpi.target is not None else f"no target set; {direction}"


def pages_for(playbook: Playbook) -> list[tuple[str, str, dict[str, Any]]]:
    """(page path, template name, extra context) of every page, in nav order."""
    pages: list[tuple[str, str, dict[str, Any]]] = [("index.md", "home.md.j2", {})]
    if playbook.roles:
        pages.append(("roles/index.md", "roles.md.j2", {}))
        pages.extend((f"roles/{role_id}.md", "role.md.j2", {"role": role}) for role_id, role in playbook.roles.items())
    if playbook.leads:
        pages.append(("leads.md", "leads.md.j2", {}))
    if playbook.kpis:
        pages.append(("kpis.md", "kpis.md.j2", {}))
    if playbook.checklist.steps:
        pages.append(("checklist.md", "checklist.md.j2", {}))
    if playbook.alignment.stages or playbook.alignment.questions:
        pages.append(("alignment.md", "alignment.md.j2", {}))
    if playbook.glossary.terms:
        pages.append(("glossary.md", "glossary.md.j2", {}))
    if playbook.roles and (playbook.checklist.steps or playbook.leads):
        pages.append(("responsibilities.md", "responsibilities.md.j2", {}))
    return pages


def render(
    playbook: Playbook,
    templates_dir: Path | None = None,
    *,
    today: date | None = None,
    only: Iterable[str] | None = None,
) -> dict[str, str]:
    """Every page as {docs-relative path: Markdown}. Deterministic for the same input."""
    env = make_environment(templates_dir)
    env.globals["today"] = today
    relations = Relations(playbook)
    # Each page carries the abbreviation definitions it uses, not all of them: linear builds.
    abbreviations = AbbreviationIndex(views.abbreviation_definitions(playbook))
    wanted = set(only) if only is not None else None
    out: dict[str, str] = {}
    for path, template_name, extra in pages_for(playbook):
        if wanted is not None and path not in wanted:
            continue
        template = env.get_template(template_name)
        context = {"playbook": playbook, "relations": relations, "page_path": path, "today": today, **extra}
        markdown = template.render(context)
        used = abbreviations.used_in(markdown)
        out[path] = markdown + ("\n" + used + "\n" if used else "")
    return out
