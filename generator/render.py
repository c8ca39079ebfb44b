"""Render a `Playbook` into Markdown pages through the Jinja templates.

Content is data. Templates render with `StrictUndefined`; every `{{ value }}`
that is not explicitly marked safe is escaped for Markdown by `finalize`, so a
template that forgets a filter still cannot let content through as HTML or
as Markdown syntax. Text fields go through `inline`, which keeps inline
Markdown (bold, italics, code, links) and escapes everything else.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from .model import _LINK_RE, ENTITY_LINK_RE, FILE_MODELS, KIND_LABELS, Playbook, display_name
from .scaling import TEMPLATE_CACHE

# --- where entities live ----------------------------------------------------------------

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


# --- escaping for Markdown ------------------------------------------------------------------

_BACKTICKS_RE = re.compile(r"`+")
# Python-Markdown's escapable characters (`|` added by the tables extension).
_PLAIN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|])")
# Keeps * and _ for emphasis. Backticks are escaped too: only the code spans `_code_spans` found are
# written with live backticks, so Markdown cannot pair a stray one into a different span.
_INLINE_SPECIALS = re.compile(r"([\\`{}\[\]()#+!|])")
_BLOCK_START = re.compile(r"^([-*+])(?=\s|$)|^(\d+)([.)])")


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _no_block_start(text: str) -> str:
    """A value never starts a list, quote or heading where it lands."""
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text, count=1)


def escape_plain(text: Any) -> str:
    """Text shown exactly as written: no Markdown, no HTML."""
    text = " ".join(str(text).split())
    return _no_block_start(_PLAIN_SPECIALS.sub(r"\\\1", _html_escape(text)))


def _escape_segment(text: str) -> str:
    return _INLINE_SPECIALS.sub(r"\\\1", _html_escape(text))


def _code_spans(text: str) -> list[tuple[int, int, None]]:
    """Code spans as Python-Markdown pairs them: a run of n backticks closes at the next run of
    exactly n; a run with no partner is literal text. Linear time, whatever the backticks."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(text)]
    partner: list[int | None] = [None] * len(runs)
    next_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        partner[index] = next_of_length.get(length)
        next_of_length[length] = index
    spans = []
    index = 0
    while index < len(runs):
        closer = partner[index]
        if closer is None:
            index += 1
        else:
            spans.append((runs[index][0], runs[closer][1], None))
            index = closer + 1
    return spans


def inline_markdown(text: str, from_page: str) -> str:
    """Inline Markdown from content, made safe: links resolved, the rest escaped."""
    text = " ".join(str(text).split())
    out: list[str] = []
    position = 0
    tokens: list[tuple[int, int, str, re.Match[str] | None]] = sorted(
        [(start, end, "code", match) for start, end, match in _code_spans(text)]
        + [(m.start(), m.end(), "link", m) for m in _LINK_RE.finditer(text)],
        key=lambda token: (token[0], token[1], token[2]),
    )
    for start, end, _kind, match in tokens:
        if start < position:
            continue  # a link inside a code span, or the reverse: the first one wins
        out.append(_escape_segment(text[position:start]))
        if match is None:
            out.append(text[start:end])  # a code span: Markdown shows it literally
        else:
            label, target = match.group(1), match.group(2)
            entity = ENTITY_LINK_RE.match(target)
            url = link_target(entity.group(1), entity.group(2), from_page) if entity else target
            out.append(f"[{_escape_segment(label)}]({url})")
        position = end
    out.append(_escape_segment(text[position:]))
    return _no_block_start("".join(out))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or value is None:
        return value if value is not None else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return format_number(value)
    return escape_plain(value)


def format_number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# --- derived views ----------------------------------------------------------------------------


class Views:
    """Indexes computed once per render, so pages never scan the whole playbook."""

    def __init__(self, playbook: Playbook):
        self.playbook = playbook
        self.reports: dict[str, list[str]] = defaultdict(list)
        self.kpis_owned: dict[str, list[str]] = defaultdict(list)
        self.kpis_shared: dict[str, list[str]] = defaultdict(list)
        self.stages_owned: dict[str, list[str]] = defaultdict(list)
        self.handoffs_in: dict[str, list[str]] = defaultdict(list)
        self.steps_owned: dict[str, list[str]] = defaultdict(list)
        self.steps_joined: dict[str, list[str]] = defaultdict(list)
        self.kpi_steps: dict[str, list[str]] = defaultdict(list)
        self.kpi_roles: dict[str, list[str]] = defaultdict(list)
        self.stage_kpis: dict[str, list[str]] = defaultdict(list)
        self._step_order: dict[str, int] | None = None
        for role in playbook.roles.values():
            if role.reports_to:
                self.reports[role.reports_to].append(role.id)
            for kpi_id in role.kpis:
                self.kpi_roles[kpi_id].append(role.id)
        for kpi in playbook.kpis.values():
            self.kpis_owned[kpi.owner].append(kpi.id)
            for role_id in kpi.shared_with:
                self.kpis_shared[role_id].append(kpi.id)
            for stage_id in kpi.stages:
                self.stage_kpis[stage_id].append(kpi.id)
        for lead in playbook.leads.values():
            self.stages_owned[lead.owner].append(lead.id)
            if lead.handoff:
                self.handoffs_in[lead.handoff.to].append(lead.id)
        for step in playbook.checklist.steps:
            self.steps_owned[step.owner].append(step.id)
            for role_id in step.participants:
                self.steps_joined[role_id].append(step.id)
            for kpi_id in step.kpis:
                self.kpi_steps[kpi_id].append(step.id)

    def roles_by_function(self) -> list[Any]:
        """Roles grouped by function in the navigation's order (Marketing, Sales, ...), then by name."""
        order = {function: index for index, function in enumerate(FUNCTION_LABELS)}
        return sorted(self.playbook.roles.values(), key=lambda role: (order.get(role.function, len(order)), role.name.lower()))

    def role_steps(self, role_id: str) -> list[Any]:
        """The checklist steps a role owns or takes part in, in checklist order (no scan of every step)."""
        ids = set(self.steps_owned[role_id]) | set(self.steps_joined[role_id])
        if not ids:
            return []
        if self._step_order is None:
            self._step_order = {step.id: index for index, step in enumerate(self.playbook.checklist.steps)}
        order = self._step_order
        return [self.playbook.checklist.steps[order[step_id]] for step_id in sorted(ids, key=order.__getitem__)]

    def role_kpis(self, role_id: str) -> list[tuple[str, str]]:
        """(kpi id, relation) for a role: measured on, owns, shares; each KPI once."""
        role = self.playbook.roles[role_id]
        relation: dict[str, str] = {}
        for kpi_id in role.kpis:
            relation[kpi_id] = "measured on"
        for kpi_id in self.kpis_owned[role_id]:
            relation[kpi_id] = "owns" if kpi_id not in relation else "owns, measured on"
        for kpi_id in self.kpis_shared[role_id]:
            relation.setdefault(kpi_id, "shares")
        return sorted(relation.items(), key=lambda item: self.playbook.kpis[item[0]].name.lower())


# --- the environment and the pages ------------------------------------------------------------


def default_templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "role.md.j2").is_file():
            return candidate
    raise FileNotFoundError("the playbook templates were not found next to the generator package")


def make_environment(templates_dir: Path | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir or default_templates_dir())),
        undefined=StrictUndefined,
        autoescape=False,  # output is Markdown: `finalize` escapes for it instead
        finalize=_finalize,
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

    from . import funnel, views  # local: both build on this module's helpers

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
        function_label=FUNCTION_LABELS,
        target_text=target_text,
        unit_labels=UNIT_LABELS,
    )
    env.globals.update(link=link, url=url, anchor=anchor, raw_id=raw_id, kind_label=KIND_LABELS, display_name=display_name)
    return env


def today_of(env: Environment) -> date | None:
    return env.globals.get("today")  # type: ignore[return-value]


FUNCTION_LABELS = {
    "marketing": "Marketing",
    "sales": "Sales",
    "customer-success": "Customer Success",
    "revenue-operations": "Revenue Operations",
    "leadership": "Leadership",
}
UNIT_LABELS = {
    "percent": "%",
    "count": "",
    "currency": "",
    "hours": "hours",
    "days": "days",
    "ratio": "",
    "score": "points",
}


def target_text(kpi: Any) -> str:
    """ "31 % per quarter, higher is better" style summary of a KPI target."""
    direction = "higher is better" if kpi.direction == "higher" else "lower is better"
    if kpi.target is None:
        return f"no target set; {direction}"
    unit = UNIT_LABELS[kpi.unit]
    value = format_number(kpi.target.value)
    amount = f"{value}{unit}" if unit == "%" else (f"{value} {unit}" if unit else value)
    if kpi.unit == "currency":
        amount = f"{value} (currency)"
    return f"{amount} per {kpi.target.period}; {direction}"


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
    views = Views(playbook)
    from .scaling import AbbreviationIndex
    from .views import abbreviation_definitions

    # Each page carries the abbreviation definitions it uses, not all of them: linear builds.
    abbreviations = AbbreviationIndex(abbreviation_definitions(playbook))
    wanted = set(only) if only is not None else None
    out: dict[str, str] = {}
    for path, template_name, extra in pages_for(playbook):
        if wanted is not None and path not in wanted:
            continue
        template = env.get_template(template_name)
        context = {"playbook": playbook, "views": views, "page_path": path, "today": today, **extra}
        markdown = template.render(context)
        used = abbreviations.used_in(markdown)
        out[path] = markdown + ("\n" + used + "\n" if used else "")
    return out


def entity_pages(playbook: Playbook) -> Iterable[tuple[str, str, str]]:
    """(kind, id, page path) for every entity: what a reader must be able to reach."""
    for kind, entity in playbook.entities():
        yield kind, entity.id, page_of(kind, entity.id)
