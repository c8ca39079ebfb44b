"""Render a `Playbook` into finished HTML pages through the Jinja templates (`templates/`).

Content is data. Templates render with `StrictUndefined` and HTML autoescaping; every `{{ value }}`
that is text is written by `html.Writer` (escaped, abbreviations marked), and text fields go
through the `inline` filter (inline Markdown by one parser, then an allowlist sanitizer). A page is
HTML plus what the theme needs around it: its title, its table of contents and its anchors. No
engine parses a generated page again.

A playbook repository may override templates file by file: a `templates/` folder beside mkdocs.yml
(or the folder the plugin's `templates:` option names) is searched first, then the bundled templates
(`default_templates_dir`), so `templates/role.html.j2` there replaces the role page and nothing else;
the partials (`_assessment.html.j2`, `_onboarding.html.j2`) are found the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, pass_context
from markdown.extensions.toc import slugify
from markupsafe import Markup, escape

from ..clock import today as clock_today
from ..content.kinds import KIND_LABELS
from ..content.release import Release
from ..content.schema import DIRECTION_LABELS, FILE_MODELS, Playbook, display_name
from ..content.units import amount, target_amount
from ..text import format_number, plural
from . import assessment, funnel, matrix, onboarding, provenance
from .abbreviations import Finder, abbreviations
from .charts import RESULTS_TABLE_HEADER, RESULTS_TABLE_KEY
from .html import Writer
from .incremental import ANY, Key, Memo, Reads, Recording, shape
from .pages import PAGES, Heading, Page, PageSpec, pages_for
from .paths import anchor_of, relative_url, url_of
from .relations import Relations
from .scorecard import Numbers
from .survey import SurveyView


def default_templates_dir() -> Path:
    package = Path(__file__).resolve().parent.parent  # playbook_site/: an installed wheel has playbook_site/templates
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if (candidate / "role.html.j2").is_file():
            return candidate
    raise FileNotFoundError("the playbook templates were not found next to the generator package")


@dataclass
class PageState:
    """What a page collects while it renders: its headings (the table of contents) and its ids."""

    path: str
    reserved: set[str] = field(default_factory=set)  # the entity anchors of the page, which links point at
    headings: list[Heading] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def new_id(self, wanted: str, *, explicit: bool) -> str:
        """A unique id: an entity's anchor as it is, a heading's slug with a suffix when taken."""
        if explicit:
            self.ids.add(wanted)
            return wanted
        candidate, number = wanted or "section", 1
        while candidate in self.ids or candidate in self.reserved:
            candidate = f"{wanted}_{number}"
            number += 1
        self.ids.add(candidate)
        return candidate


@pass_context
def _finalize(context: Any, value: Any) -> Any:
    """Every `{{ value }}`: Markup as it is, numbers as people read them, text escaped with its
    abbreviations marked. Nothing from the content reaches the page unescaped."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return format_number(value)
    return Markup(context["writer"].plain(str(value), context["page"].path))


REPOSITORY_TEMPLATES = "templates"  # the folder beside mkdocs.yml whose templates win over the bundled ones


def repository_templates(config_dir: Path, option: str | None = None) -> Path | None:
    """The playbook repository's own templates folder: the plugin's `templates:` option (relative to
    mkdocs.yml) when set, else `templates/` beside mkdocs.yml when there is one, else None."""
    if option:
        return config_dir / option
    folder = config_dir / REPOSITORY_TEMPLATES
    return folder if folder.is_dir() else None


def template_dirs(templates_dir: Path | None = None) -> tuple[Path, ...]:
    """Where templates are looked up, the first folder that has a file winning: the repository's own
    folder (when given and it is not the bundled one), then the bundled templates."""
    bundled = default_templates_dir().resolve()
    own = templates_dir.resolve() if templates_dir is not None else None
    return (own, bundled) if own is not None and own != bundled else (bundled,)


def make_environment(templates_dir: Path | None = None) -> Environment:
    """The Jinja environment: `templates_dir` (a playbook repository's overrides) first, then the
    bundled templates."""
    return _make_environment(template_dirs(templates_dir))


def _make_environment(dirs: tuple[Path, ...]) -> Environment:
    loaders: list[BaseLoader] = [FileSystemLoader(str(folder)) for folder in dirs]
    env = Environment(
        loader=loaders[0] if len(loaders) == 1 else ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["inline"] = _inline
    env.filters["number"] = lambda value: format_number(value)
    env.filters["counted"] = plural  # {{ n | counted("role") }}: "1 role", "9 roles"
    env.globals.update(
        heading=_heading,
        link=_link,
        url=_url,
        badges=_badges,
        badge_line=_badge_line,
        provenance=_provenance,
        in_use=in_use,
        census=census,
        amount=amount,
        target_text=target_text,
        funnel_svg=lambda playbook, compliance=None: Markup(funnel.funnel_svg(playbook, compliance)),
        funnel_svg_narrow=lambda playbook, compliance=None: Markup(funnel.funnel_svg_narrow(playbook, compliance)),
        chart_svg=_chart_svg,
        health_badge=_health_badge,
        health=_health,
        sla_badge=_sla_badge,
        overdue_badge=_overdue_badge,
        external_link=_external_link,
        results_header=RESULTS_TABLE_HEADER,
        results_key=RESULTS_TABLE_KEY,
        page_url=_page_url,
        page_link=_page_link,
        cell=matrix.cell,
        columns=matrix.COLUMNS,
        scale=assessment.SCALE,
        zip=zip,
        long_date=long_date,
        assessment_json=lambda playbook: assessment.assessment_json(playbook),
        onboarding_keys=onboarding.onboarding_keys,
        schema_kinds=list(FILE_MODELS),
        kind_label=KIND_LABELS,
        display_name=display_name,
        anchor_of=anchor_of,
    )
    return env


@pass_context
def _inline(context: Any, text: Any, link: bool = True) -> Markup:
    return Markup(context["writer"].inline(str(text), context["page"].path, link))


@pass_context
def _heading(context: Any, level: int, text: Any, anchor: str | None = None, *, toc: bool = True) -> Markup:
    """`<hN id>` with its permalink, recorded in the page's table of contents. `text` is plain text (a
    name), its abbreviations get a tooltip but no link; `anchor` is an entity's anchor."""
    state: PageState = context["page"]
    writer: Writer = context["writer"]
    plain = " ".join(str(text).split())
    shown = Markup(writer.plain(plain, state.path, False))
    ident = state.new_id(anchor if anchor else slugify(plain, "-"), explicit=bool(anchor))
    if toc:
        state.headings.append(Heading(level, ident, plain))
    # Markup.format's result, written out (it is a third of the rendering time): each value escaped.
    level_html, ident_html = escape(level), escape(ident)
    permalink = f'<a class="headerlink" href="#{ident_html}" title="Permanent link">&para;</a>'
    return Markup(f'<h{level_html} id="{ident_html}">{shown}{permalink}</h{level_html}>')


@pass_context
def _link(context: Any, kind: str, entity_id: str, label: Any = None) -> Markup:
    text = label
    if label is None:  # the entity's name: under `serve` the page reads that and nothing else of it
        source = context["playbook"]
        entity = source.named(kind, entity_id) if isinstance(source, Recording) else source.collection(kind).get(entity_id)
        text = display_name(entity) if entity is not None else entity_id
    writer: Writer = context["writer"]
    href = writer.url(kind, entity_id, context["page"].path)
    return Markup(f'<a href="{escape(href)}">{writer.plain(str(text), context["page"].path, False)}</a>')


@pass_context
def _page_url(context: Any, path: str, anchor: str | None = None) -> str:
    """A page (docs-relative .md path) or a published file (playbook.json) as seen from this page,
    at `anchor` when given."""
    writer: Writer = context["writer"]
    target = url_of(path, writer.directory_urls) if path.endswith(".md") else path
    return relative_url(target + (f"#{anchor}" if anchor else ""), url_of(context["page"].path, writer.directory_urls))


@pass_context
def _page_link(context: Any, path: str, anchor: str | None, label: Any) -> Markup:
    """A link to a page of the site (at `anchor`), its label plain text whose abbreviations get a
    tooltip but no link of their own (no link inside a link)."""
    writer: Writer = context["writer"]
    href = _page_url(context, path, anchor)
    return Markup('<a href="{0}">{1}</a>').format(href, Markup(writer.plain(str(label), context["page"].path, False)))


def _chart_svg(numbers: Any) -> Markup:
    """A KPI's results chart: SVG built by `site.charts` from the numbers, every text in it escaped."""
    return Markup(numbers.chart)


def _health_badge(numbers: Any) -> Markup:
    """The health of a KPI as a badge: on target, off target, no target, no results."""
    return Markup('<span class="pb-badge pb-health pb-health--{0}">{1}</span>').format(numbers.state, numbers.label)


def _health(numbers: Any) -> Markup:
    """A KPI's health in a few words: its badge, how far off target, and "stale" with the period a
    result is due for ("off target by 3 percentage points, stale: no result yet for 2025")."""
    shown = _health_badge(numbers)
    if numbers.by:
        shown += Markup(" by {0}").format(numbers.by)
    if numbers.due:
        shown += Markup(', <span class="pb-badge pb-health pb-health--stale">stale</span>: no result yet for {0}').format(
            numbers.due
        )
    return shown


def _sla_badge(measure: Any) -> Markup:
    """Whether a hand-off keeps its SLA by one KPI: "kept" or "missed" for a time in hours against
    the limit; for a share within the limit, the KPI's own health against its target."""
    if measure.measure == "hours":
        kept = bool(measure.within)
    elif measure.health.on_target is not None:
        kept = bool(measure.health.on_target)
    else:
        return Markup("")
    state = "on-target" if kept else "off-target"
    return Markup('<span class="pb-badge pb-health pb-health--{0}">{1}</span>').format(state, "kept" if kept else "missed")


def _overdue_badge() -> Markup:
    return Markup('<span class="pb-badge pb-badge--overdue">overdue</span>')


@pass_context
def _external_link(context: Any, href: str, label: Any) -> Markup:
    """A link to another site (an activity's https:// record, checked when it was loaded): the address
    escaped for its attribute, the label written as plain text; anything but https:// stays text."""
    writer: Writer = context["writer"]
    shown = Markup(writer.plain(str(label), context["page"].path, False))
    if not str(href).startswith("https://"):
        return shown
    return Markup('<a href="{0}">{1}</a>').format(href, shown)


@pass_context
def _url(context: Any, kind: str, entity_id: str) -> str:
    return str(context["writer"].url(kind, entity_id, context["page"].path))


@pass_context
def _badges(context: Any, entity: Any, before: str = "") -> Markup:
    """Status other than `agreed`, and "due for review" once `review_by` has passed (not when retired,
    as `validate` does not warn about a retired definition either); `before` goes first when there is one."""
    parts = []
    if entity.status != "agreed":
        parts.append(Markup('<span class="pb-badge pb-badge--{0}">{0}</span>').format(entity.status))
    if provenance.is_due(entity, context["today"]):
        parts.append(provenance.due_badge())
    return Markup(before) + Markup(" ").join(parts) if parts else Markup("")


@pass_context
def _provenance(context: Any, kind: str, entity: Any) -> Markup:
    """Under an entity's heading: its last agreed change, its review date, the links to propose a change."""
    return provenance.line(context["playbook"], context["origin"], kind, entity, long_date)


@pass_context
def _badge_line(context: Any, entity: Any) -> Markup:
    found = _badges(context, entity)
    return Markup("<p>{0}</p>\n").format(found) if found else Markup("")


# Statuses kept out of what is meant for a new reader ("Start here", an onboarding path) and counted
# apart: a draft is not agreed yet, a retired definition no longer applies.
NOT_IN_USE = ("draft", "retired")


def in_use(entities: Iterable[Any]) -> list[Any]:
    """The entities a new reader is pointed to: neither draft nor retired, in their order."""
    return [entity for entity in entities if entity.status not in NOT_IN_USE]


def census(entities: Iterable[Any], noun: str, plural_form: str | None = None) -> str:
    """A count that says what it counts: "6 roles" when every one is in use, else "5 active roles, 1
    retired" or "4 active roles, 1 draft and 1 retired"."""
    every = list(entities)
    active = len(in_use(every))
    if active == len(every):
        return plural(active, noun, plural_form)
    apart = [f"{count} {status}" for status in NOT_IN_USE if (count := sum(e.status == status for e in every))]
    counted = plural(active, f"active {noun}", f"active {plural_form}" if plural_form else None)
    return f"{counted}, {' and '.join(apart)}"


_MONTHS = "January February March April May June July August September October November December".split()


def long_date(day: date) -> str:
    """23 November 2026: the same words whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def target_text(kpi: Any) -> str:
    """ "31% per quarter; higher is better" style summary of a KPI target."""
    direction = DIRECTION_LABELS[kpi.direction]
    return f"{target_amount(kpi)}; {direction}" if kpi.target is not None else f"no target set; {direction}"


@functools.lru_cache(maxsize=8)
def _cached_environment(dirs: tuple[Path, ...], stamp: tuple[tuple[str, int, int], ...]) -> Environment:
    return _make_environment(dirs)


def _environment(templates_dir: Path | None) -> Environment:
    """Templates compiled once per process and per set of folders (`auto_reload` is off). A
    repository's own folder is also keyed by its files' names, sizes and modification times, read
    once per render: a template saved there under `serve` is compiled again at the next rebuild,
    with no check per page. The bundled templates change only with the tool (see `clear_templates`)."""
    dirs = template_dirs(templates_dir)
    return _cached_environment(dirs, _stamp(dirs[0]) if templates_dir is not None else ())


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    try:
        for path in sorted(folder.rglob("*")):
            info = path.stat()
            found.append((path.relative_to(folder).as_posix(), info.st_mtime_ns, info.st_size))
    except OSError:  # a folder being saved into, or gone: compiled again next time
        return (("", -1, -1),)
    return tuple(found)


def clear_templates() -> None:
    """Forget the compiled templates (after a template was edited under `serve`)."""
    _cached_environment.cache_clear()


_WRITERS: dict[Any, Writer] = {}


def writer_for(playbook: Playbook, *, directory_urls: bool = True, tooltips: bool = True) -> Writer:
    """The writer for a playbook's abbreviations: the last one again when they are the same (its
    memo of written texts is then still right, which is most of a `serve` rebuild's rendering)."""
    known = abbreviations(playbook)
    key = (tuple(sorted(known.items())), directory_urls, tooltips)
    writer = _WRITERS.get(key)
    if writer is None:
        _WRITERS.clear()
        writer = _WRITERS[key] = Writer(Finder(known), directory_urls=directory_urls, tooltips=tooltips)
    return writer


def render_specs(
    playbook: Playbook,
    templates_dir: Path | None = None,
    *,
    today: date | None = None,
    only: Iterable[str] | None = None,
    directory_urls: bool = True,
    tooltips: bool = True,
    release: Release | None = None,
    origin: provenance.Origin | None = None,
    memo: Memo | None = None,
) -> tuple[list[PageSpec], dict[str, Page]]:
    """Every page as (its declaration, in the navigation's order; {docs-relative path: Page}).
    Deterministic for the same input. With a `memo` (`playbook serve`), a page whose recorded reads
    did not change since the last render is the last render's (site.incremental)."""
    env = _environment(templates_dir)
    relations = Relations(playbook)
    found = pages_for(playbook, relations, release)
    reads = Reads()
    day = today or clock_today()
    seen: Any = Recording(playbook, reads) if memo is not None else playbook  # what the templates read
    shared: dict[str, Any] = {
        "playbook": seen,
        "relations": _recording_relations(relations, playbook, reads) if memo is not None else relations,
        "numbers": Numbers(playbook, day),
        "survey": SurveyView(playbook),  # the survey's rounds are part of the shape (site.incremental): unrecorded
        "writer": writer_for(playbook, directory_urls=directory_urls, tooltips=tooltips),
        "today": today,
        "release": release,
        "origin": origin,
    }
    # Each page's title, and the entities its context hands it (which of them a matrix part shows).
    titled = [(spec, spec.page_title(playbook, **extra), _context_keys(extra)) for spec, extra in found]
    changes = _plan(memo, playbook, titled, (env, day, directory_urls, tooltips, release, origin))
    wanted = set(only) if only is not None else None
    out: dict[str, Page] = {}
    for (spec, extra), (_, title, _keys) in zip(found, titled, strict=True):
        if wanted is not None and spec.path not in wanted:
            continue
        kept = _kept(memo, changes, spec.path)
        if kept is not None:
            out[spec.path] = kept
            continue
        with reads.capture() as keys:
            if memo is not None:  # its own numbers, read through the recording playbook (they are kept once made)
                shared["numbers"] = Numbers(seen, day)
            out[spec.path] = _render_page(env, spec, extra, title, playbook, shared)
        if memo is not None:
            memo.rendered.append(spec.path)
            memo.pages[spec.path] = (frozenset(keys.union(_context_keys(extra))), out[spec.path])
    return [spec for spec, _ in found], out


def _kept(memo: Memo | None, changes: set[Key] | None, path: str) -> Page | None:
    """The last render's page, when it read nothing that changed since."""
    kept = memo.pages.get(path) if memo is not None and changes is not None else None
    return kept[1] if kept is not None and changes is not None and not Memo.stale(kept[0], changes) else None


def _plan(memo: Memo | None, playbook: Playbook, titled: list[Any], settings: tuple[Any, ...]) -> set[Key] | None:
    """The keys changed since the memo's render (None: every page renders), the memo readied for this one."""
    if memo is None:
        return None
    now = shape(playbook, titled, settings)
    release = settings[4]  # a release's pages read what changed since the last version: never attributed
    changes = memo.plan(playbook, now) if release is None else None
    if changes is None:
        memo.pages.clear()
    memo.playbook, memo.shape, memo.rendered, memo.full = playbook, now, [], changes is None
    return changes


def _recording_relations(relations: Relations, playbook: Playbook, reads: Reads) -> Relations:
    """The back-links as they are (the references are part of the site's shape), the entities their
    methods hand out read through the recording playbook."""
    relations.step_order()
    relations.playbook = Recording(playbook, reads)  # type: ignore[assignment]
    return relations


def _context_keys(extra: dict[str, Any]) -> tuple[Key, ...]:
    """What a page's own context hands its template, in order: a role page its role, a part of the
    responsibility matrix its roles, steps and stages (the index, those of every part); anything else
    is not attributed (a release), so the page renders every time."""
    keys: list[Key] = []
    for name, value in extra.items():
        if name == "role":
            keys.append(("role", value.id))
        elif name in ("part", "parts"):
            for part in value if name == "parts" else [value]:
                keys += [(kind, each.id) for kind in ("role", "step", "lead") for each in getattr(part, kind + "s")]
        else:
            keys.append(ANY)
    return tuple(keys)


def _render_page(
    env: Environment, spec: PageSpec, extra: dict[str, Any], title: str, playbook: Playbook, shared: dict[str, Any]
) -> Page:
    state = PageState(spec.path, reserved=set(spec.anchors(playbook)))
    context = {**shared, "page": state, "title": spec.title or title, **extra}
    html = env.get_template(spec.template).render(context)
    return Page(spec.path, str(escape(title)), html, tuple(state.headings), spec.hide)


def render(
    playbook: Playbook,
    templates_dir: Path | None = None,
    *,
    today: date | None = None,
    only: Iterable[str] | None = None,
    directory_urls: bool = True,
    tooltips: bool = True,
) -> dict[str, Page]:
    """Every page as {docs-relative path: Page}. Deterministic for the same input."""
    return render_specs(playbook, templates_dir, today=today, only=only, directory_urls=directory_urls, tooltips=tooltips)[1]


__all__ = [
    "PAGES",
    "REPOSITORY_TEMPLATES",
    "Page",
    "default_templates_dir",
    "make_environment",
    "render",
    "render_specs",
    "repository_templates",
    "target_text",
    "template_dirs",
    "writer_for",
]
