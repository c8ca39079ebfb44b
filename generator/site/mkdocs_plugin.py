"""The MkDocs adapter: validates the content, adds the rendered pages in memory.

Validation runs in `on_config`, before MkDocs cleans the site directory, so a
bad edit never wipes the last good site. Pages are added with
`File.generated`; `content/` and the templates are watched by `mkdocs serve`.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from ..clock import today
from ..content import Loaded, Playbook, load_all
from ..content.exports import export_files
from ..content.release import Release, release_problems, released, source_locate
from ..errors import ContentError
from .paths import CHANGES_PAGE, anchor_of, page_of
from .render import default_templates_dir, pages_for, render
from .scaling import NAV_GROUP_SIZE, AbbreviationIndex, PageCache, group_alphabetically
from .views import abbreviation_definitions, abbreviations, mark_abbreviations, markdown_can_mark

log = logging.getLogger("mkdocs.plugins.playbook")

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
ASSETS = ("playbook.css", "playbook.js")
REQUIRED_EXTENSIONS = ("abbr", "attr_list", "md_in_html", "tables")


class PlaybookPluginConfig(base.Config):
    content = c.Type(str, default="content")
    templates = c.Optional(c.Type(str))
    nav = c.Type(bool, default=True)
    release = c.Type(bool, default=False)  # a release build: drafts left out (`playbook publish` sets `release_info`)


class PlaybookPlugin(BasePlugin[PlaybookPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.playbook: Playbook | None = None
        self.content_dir = Path("content")
        self.templates_dir = default_templates_dir()
        self.exports: dict[str, str] = {}
        self.abbreviations: dict[str, tuple[str, str, str]] = {}
        self.abbreviation_markdown = ""
        self.abbreviation_index = AbbreviationIndex("")
        self.unmarkable: dict[str, str] = {}  # abbreviation -> tooltip, for those `abbr` cannot see
        self._urls: tuple[Files | None, dict[str, str]] = (None, {})
        self.generated_nav = False
        self.files: Files | None = None
        self.page_cache: PageCache | None = None
        # The version being published, set on the loaded config by `playbook publish` before it builds.
        self.release_info: Release | None = None
        self.preloaded: Loaded | None = None  # content loaded and checked already (by `playbook publish`)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Having this hook keeps the instance across `mkdocs serve` rebuilds (MkDocs 1.4+), and with it
        the page cache: a rebuild converts again only the pages whose Markdown changed."""
        self.page_cache = PageCache() if command == "serve" else None

    def on_pre_page(self, page: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.page_cache is not None:
            page.render = functools.partial(self.page_cache.render, page)
        return page

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.page_cache is not None and self.files is not None:
            self.page_cache.forget_except(file.src_uri for file in self.files.documentation_pages())
            log.debug(f"page cache: {self.page_cache.hits} pages reused, {self.page_cache.misses} converted")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = base_dir / self.config.content
        self.templates_dir = (base_dir / self.config.templates) if self.config.templates else default_templates_dir()
        try:
            loaded = self.preloaded if self.preloaded is not None else load_all(self.content_dir, today=today())
        except ContentError as error:
            for problem in error.problems:
                log.error(str(problem))
            raise PluginError(
                f"the playbook content has {len(error.problems)} problem(s); nothing was built and the site directory"
                " was left as it was. Run `playbook validate` for details."
            ) from None
        for problem in loaded.warnings:
            # A passed review date must not break tomorrow's strict build: it is shown, not counted.
            (log.info if problem.code in ("stale", "stale-results", "no-results", "overdue-step") else log.warning)(str(problem))
        playbook, release_info = self._release(loaded, config)
        self.playbook = playbook
        # The contract: playbook.yml's title is the site title. Material prints site_name unescaped in some
        # attributes and escaped in others; a Markup value is escaped once and never twice.
        config.site_name = Markup.escape(playbook.meta.title)
        self.pages = render(playbook, self.templates_dir, today=today())
        self.generated_nav = bool(self.config.nav and not config.nav)
        if self.generated_nav:
            config.nav = build_nav(playbook)
            if release_info is not None and release_info.changes_markdown:
                config.nav.append({"What changed": CHANGES_PAGE})
        if "assets/playbook/playbook.css" not in config.extra_css:
            config.extra_css.append("assets/playbook/playbook.css")
        if "assets/playbook/playbook.js" not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append("assets/playbook/playbook.js")
        # The pages need these: `abbr` for the tooltips, `md_in_html` for Markdown inside the
        # onboarding checklist and the self-assessment form, `attr_list` for the anchors.
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        self.exports = export_files(playbook)
        self.abbreviations = abbreviations(playbook)
        self.abbreviation_markdown = abbreviation_definitions(playbook)
        self.abbreviation_index = AbbreviationIndex(self.abbreviation_markdown)
        if release_info is not None and release_info.changes_markdown:
            changes = release_info.changes_markdown
            used = self.abbreviation_index.used_in(changes)
            self.pages[CHANGES_PAGE] = changes + ("\n" + used + "\n" if used else "")
        self.unmarkable = {
            short: tooltip for short, (_kind, _id, tooltip) in self.abbreviations.items() if not markdown_can_mark(short)
        }
        return config

    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        """Hand-written pages in docs/ get the abbreviations too (generated pages carry them already)."""
        if page.file.src_uri in self.pages or not self.abbreviation_markdown:
            return markdown
        used = self.abbreviation_index.used_in(markdown)  # only those it uses: linear builds
        return markdown + "\n\n" + used.lstrip("\n") + "\n" if used else markdown

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        generated = [File.generated(config, path, content=markdown) for path, markdown in self.pages.items()]
        # A hand-written page that would land where a generated one does (docs/kpis.md, or docs/README.md,
        # which MkDocs publishes as the home page) would be lost: say so, and keep the generated one.
        taken = {file.dest_uri: file.src_uri for file in generated}
        for existing in [file for file in files if file.dest_uri in taken]:
            log.warning(
                f"docs/{existing.src_uri} is replaced by the page generated from the playbook content"
                f" ({taken[existing.dest_uri]}): move it to another name"
            )
            files.remove(existing)
        for file in generated:
            files.append(file)
        for asset in ASSETS:
            files.append(File.generated(config, f"assets/playbook/{asset}", abs_src_path=str(ASSETS_DIR / asset)))
        for path, text in self.exports.items():
            files.append(File.generated(config, path, content=text))
        if self.generated_nav:
            self._add_hand_written_pages(files, config)
        self.files = files
        return files

    def _add_hand_written_pages(self, files: Files, config: MkDocsConfig) -> None:
        """Pages written by hand in docs/ join the generated navigation, after the playbook's own pages
        (before "What changed"): those at the top of docs/ first, then those in folders, each in the
        order of their paths and titled by its first heading. `not_in_nav` patterns are respected."""
        not_in_nav = config.get("not_in_nav")
        extra = sorted(
            (
                file.src_uri
                for file in files.documentation_pages()
                if file.src_uri not in self.pages and not (not_in_nav and not_in_nav.match_file(file.src_uri))
            ),
            key=lambda uri: (uri.count("/"), uri),
        )
        if not extra:
            return
        nav = list(config.nav or [])
        at = next((i for i, item in enumerate(nav) if isinstance(item, dict) and CHANGES_PAGE in item.values()), len(nav))
        config.nav = nav[:at] + extra + nav[at:]

    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        """Every abbreviation in running text links to its definition (its tooltip comes from `abbr`)."""
        if not self.abbreviations:
            return html
        # Only the abbreviations on this page (and the few `abbr` cannot see): the work per page does
        # not grow with the number of abbreviations in the playbook.
        urls = self._definition_urls(files)
        shown = {unescape(short) for short in _ABBR_TEXT.findall(html)} | self.unmarkable.keys()
        hrefs = {short: _relative(urls[short], page.url) for short in shown if short in urls}
        return mark_abbreviations(html, hrefs, self.unmarkable)

    def _definition_urls(self, files: Files) -> dict[str, str]:
        """Each abbreviation's definition URL, computed once per build."""
        if self._urls[0] is files:
            return self._urls[1]
        urls = {}
        for short, (kind, entity_id, _tooltip) in self.abbreviations.items():
            file = files.get_file_from_path(page_of(kind, entity_id))
            if file is not None:
                anchor = anchor_of(kind, entity_id)
                urls[short] = file.url + (f"#{anchor}" if anchor else "")
        self._urls = (files, urls)
        return urls

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.content_dir))
        server.watch(str(self.templates_dir))
        return server

    def _release(self, loaded: Loaded, config: MkDocsConfig) -> tuple[Playbook, Release | None]:
        """In a release build (`playbook publish`, or `release: true`): the playbook without drafts;
        refused when a published definition refers to a draft. Otherwise as loaded."""
        info = self.release_info
        if not (self.config.release or info is not None):
            return loaded.playbook, None
        shown = os.path.relpath(self.content_dir)
        problems = release_problems(loaded.playbook, source_locate(loaded.playbook, loaded.sources, lambda rel: f"{shown}/{rel}"))
        if problems:
            for problem in problems:
                log.error(str(problem))
            raise PluginError(
                f"this playbook cannot be published: {len(problems)} problem(s) with drafts; nothing was built."
                " A published definition may not refer to a draft one."
            )
        _release_theme(config, info)
        return released(loaded.playbook, info), info


OVERRIDES_DIR = Path(__file__).resolve().parent / "overrides"


def _release_theme(config: MkDocsConfig, info: Release | None) -> None:
    """Material's version selector (reads the versions.json mike writes) and, on a version that is
    no longer the current one, a banner linking to the current one. Only in release builds: an
    ordinary site has no versions.json to read."""
    extra = config.extra
    if "version" not in extra:
        current = info.current if info and info.current else ("latest",)
        # Material reads each entry as a regular expression matched against a version's names.
        extra["version"] = {"provider": "mike", "default": [f"^{re.escape(name)}$" for name in current]}
    if info is not None and config.site_url:
        # Each version lives in its own folder: canonical links and the sitemap (which Material's
        # selector reads to keep the reader on the same page) say so, as mike's own plugin does.
        config.site_url = urljoin(config.site_url.rstrip("/") + "/", info.version + "/")
    dirs = config.theme.dirs
    if str(OVERRIDES_DIR) not in dirs:
        material = next((i for i, d in enumerate(dirs) if Path(d).parts[-2:] == ("material", "templates")), len(dirs))
        dirs.insert(material, str(OVERRIDES_DIR))  # after the site's own custom_dir, before Material's


_ABBR_TEXT = re.compile(r'<abbr title="[^"<>]*">([^<]*)</abbr>')


def _relative(target: str, page_url: str) -> str:
    """A definition's URL from a page: an anchor alone on the same page."""
    path, _, anchor = target.partition("#")
    if path == page_url:
        return "#" + anchor if anchor else "#"
    return get_relative_url(target, page_url)


def build_nav(playbook: Playbook) -> list[Any]:
    """Sections that keep each page's navigation small as the playbook grows."""
    titles = {
        "index.md": "Home",
        "leads.md": "Lead definitions",
        "kpis.md": "KPIs",
        "checklist.md": "Alignment checklist",
        "alignment.md": "Alignment model",
        "glossary.md": "Glossary",
        "responsibilities.md": "Responsibility matrix",
    }
    nav: list[Any] = []
    for path, _template, _extra in pages_for(playbook):
        if path in titles:
            nav.append({titles[path]: path})
        elif path == "roles/index.md":
            section: list[Any] = ["roles/index.md"]
            for function, definition in playbook.functions().items():
                label = definition.name
                members = [{role.name: f"roles/{role.id}.md"} for role in playbook.roles.values() if role.function == function]
                if len(members) > NAV_GROUP_SIZE:  # with navigation.prune a page lists its group, not the function
                    members = group_alphabetically([next(iter(member.items())) for member in members])
                if members:
                    section.append({label: members})
            nav.append({"Roles": section})
    return nav
