"""The MkDocs adapter: with `fences`, the only code of the site that imports MkDocs.

It hands MkDocs the site project (`site.project`) in memory: the pages as generated files whose
HTML is taken as it is (MkDocs' Markdown is given nothing of them to convert), the navigation, the assets and
exports, and the theme and Markdown settings the pages need. The content is validated in
`on_config`, before MkDocs cleans the site directory, so a bad edit never wipes the last good site;
under `serve` a bad edit shows its problems on every page instead, until it is fixed.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path
from typing import Any, cast
from urllib.parse import urljoin

from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from ..clock import today
from ..content import Loaded, load_all
from ..content.cache import FileCache
from ..content.release import Release, release_problems, source_locate
from ..errors import ContentError, Problem
from ..text import plural
from . import csp, fences, mdext
from .errors_page import error_pages
from .incremental import Memo
from .pages import Page
from .portable import to_markdown
from .project import ASSETS, FEATURES, OVERRIDES_DIR, PALETTE, SEARCH_SEPARATOR, Options, Project, build_project
from .provenance import Origin
from .render import repository_templates
from .serve_cache import PageCache
from .theme_cache import MemoryBytecodeCache, NavMemo, OutputCache, wrap_search

log = logging.getLogger("mkdocs.plugins.playbook")

ENGINES = ("mkdocs", "zensical")


class PlaybookPluginConfig(base.Config):  # type: ignore[no-untyped-call]  # MkDocs types its configs loosely
    content = c.Type(str, default="content")
    templates = c.Optional(c.Type(str))
    nav = c.Type(bool, default=True)
    release = c.Type(bool, default=False)  # a release build: drafts left out (`playbook publish` sets `release_info`)
    engine = c.Choice(ENGINES, default="mkdocs")  # which engine `playbook build`, `serve` and `publish` use
    offline = c.Type(bool, default=False)  # a site read from disk (file://): `playbook build --offline`


class PlaybookPlugin(BasePlugin[PlaybookPluginConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.project: Project | None = None
        self.content_dir = Path("content")
        self.templates_dir: Path | None = None
        self.files: Files | None = None
        self.serving = False
        self.page_cache: PageCache | None = None
        self.nav_memo = NavMemo()  # the navigation's parts rendered once per folder (every build)
        self.output_cache: OutputCache | None = None  # under serve: theme output and search entries kept
        self.file_cache: FileCache | None = None  # under serve: each content file's own check, kept
        self.bytecode: MemoryBytecodeCache | None = None  # under serve: the theme's compiled templates
        self.memo: Memo | None = None  # under serve: the last render's pages and what each read (site.incremental)
        self.nav: Any = None
        self.generated_nav = False
        # The version being published and content checked already, set on the loaded config by
        # `playbook publish` before it builds.
        self.release_info: Release | None = None
        self.preloaded: Loaded | None = None
        self.offline = False  # set by `playbook build --offline` (or `offline: true`)
        # Where the content is kept and when each file last changed, read from git by `playbook build`
        # and `publish` (publishing.history); a build without it names no dates.
        self.origin: Origin | None = None
        self.broken: list[Problem] = []  # under serve: the problems the open pages show
        self.skip_render = False  # the `page-render` fence is open (site.fences): checked once a build

    # --- configuration ------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Having this hook keeps the instance across `mkdocs serve` rebuilds (MkDocs 1.4+), and with it
        the caches: a rebuild converts again only the pages written by hand whose Markdown changed."""
        self.serving = command == "serve"
        self.page_cache = PageCache() if self.serving else None
        self.output_cache = OutputCache() if self.serving else None
        self.file_cache = FileCache(persist=False) if self.serving else None
        self.bytecode = MemoryBytecodeCache() if self.serving else None
        self.memo = Memo() if self.serving else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = base_dir / self.config.content
        self.templates_dir = repository_templates(base_dir, self.config.templates)  # overrides beside mkdocs.yml
        self.offline = self.offline or self.config.offline
        if self.offline:
            config.use_directory_urls = False  # file:// serves no folder's index.html
        _refuse_other_hosts(config)
        _theme_settings(config)
        loaded = self._load()
        release = self._release(loaded, config) if loaded is not None else None
        if loaded is not None:
            self._build_project(loaded, release, config, base_dir)
        assert self.project is not None  # the first build of a `serve` needs valid content (checked before)
        config.site_name = Markup(self.project.site_name)  # escaped once; never twice
        self.generated_nav = bool(self.config.nav and not config.nav)
        if self.generated_nav:
            config.nav = self.project.nav()
        for key, value in self.project.extra().items():
            config.extra.setdefault(key, value)
        if release is not None and release.version and config.site_url:
            # Each version lives in its own folder: canonical links and the sitemap (which Material's
            # selector reads to keep the reader on the same page) say so, as mike's own plugin does.
            config.site_url = urljoin(config.site_url.rstrip("/") + "/", release.version + "/")
        for asset in ASSETS:
            if asset.endswith(".css") and asset not in config.extra_css:
                config.extra_css.append(asset)
        for script in self.project.scripts:  # the data before the behaviour that reads it
            if script not in [str(named) for named in config.extra_javascript]:
                config.extra_javascript.append(script)
        _markdown_settings(config, self.project)
        _add_search(config)
        return config

    def _build_project(self, loaded: Loaded, release: Release | None, config: MkDocsConfig, base_dir: Path) -> None:
        """The site project of the content (under `serve`, only the pages whose reads changed are rendered)."""
        options = Options(
            directory_urls=bool(config.use_directory_urls),
            templates_dir=self.templates_dir,
            today=today(),
            release=release,
            tooltips="content.tooltips" in config.theme.get("features", []),
            offline=self.offline,
            origin=self.origin or Origin(Path(os.path.relpath(self.content_dir, base_dir)).as_posix()),
            memo=self.memo,
        )
        self.project = build_project(loaded.playbook, options)
        if self.memo is not None:
            log.info(self.memo.summary(len(self.project.pages)))
        for problem in self.project.problems:
            log.warning(str(problem))

    def _load(self) -> Loaded | None:
        """The content, validated; under `serve`, None after a bad edit (its pages show the problems)."""
        try:
            loaded = (
                self.preloaded if self.preloaded is not None else load_all(self.content_dir, today=today(), cache=self.file_cache)
            )
        except ContentError as error:
            for problem in error.problems:
                log.error(str(problem))
            if self.serving and self.project is not None:
                self.broken = error.problems
                log.warning(
                    f"the playbook content has {plural(len(error.problems), 'problem')}: the open pages show"
                    f" {'it' if len(error.problems) == 1 else 'them'} until {'it is' if len(error.problems) == 1 else 'they are'} fixed"
                )
                return None
            raise PluginError(
                f"the playbook content has {plural(len(error.problems), 'problem')}; nothing was built and the site directory"
                " was left as it was. Run `playbook validate` for details."
            ) from None
        self.broken = []
        for problem in loaded.warnings:
            # A passed review date must not break tomorrow's strict build: it is shown, not counted.
            (log.info if problem.code in ("stale", "stale-results", "no-results", "overdue-step") else log.warning)(str(problem))
        return loaded

    def _release(self, loaded: Loaded, config: MkDocsConfig) -> Release | None:
        """In a release build (`playbook publish`, or `release: true`): refused when a published
        definition refers to a draft; the release described, or one without a version."""
        if not (self.config.release or self.release_info is not None):
            return None
        shown = os.path.relpath(self.content_dir)
        problems = release_problems(loaded.playbook, source_locate(loaded.playbook, loaded.sources, lambda rel: f"{shown}/{rel}"))
        if problems:
            for problem in problems:
                log.error(str(problem))
            raise PluginError(
                f"this playbook cannot be published: {plural(len(problems), 'problem')} with drafts; nothing was built."
                " A published definition may not refer to a draft one."
            )
        return self.release_info or Release("", "", today())

    # --- files and pages ----------------------------------------------------------------------

    def _pages(self) -> dict[str, Page]:
        assert self.project is not None
        return error_pages(self.project, self.broken) if self.broken else self.project.pages

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.project is not None
        generated = [File.generated(config, path, content=to_markdown(page)) for path, page in self._pages().items()]
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
        for path, source in self.project.assets.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        for path, text in {**self.project.exports, **self.project.generated}.items():
            files.append(File.generated(config, path, content=text))
        if self.generated_nav:
            config.nav = self.project.nav(_hand_written_pages(files, config, self._pages()))
        self.files = files
        return files

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.nav = nav
        self.skip_render = fences.is_open(fences.PAGE_RENDER, fences.page_render_parts)  # before the pages
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """The theme's environment for this build: the navigation memo, and under `serve` the cache
        of pages' output and search entries (site.theme_cache)."""
        self.nav_memo.install(env)
        if self.bytecode is not None:
            env.bytecode_cache = self.bytecode
        if self.output_cache is not None and self.nav is not None:
            self.output_cache.begin(config, self.nav, files)
            self.output_cache.wrap_env(env)
        search = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(search, "search_index", None)
        if index is not None and type(index).__module__ == "material.plugins.search.plugin":
            wrap_search(index, self.output_cache)
        return env

    def on_pre_page(self, page: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.skip_render and page.file.src_uri in self._pages():
            page.render = partial(_nothing_to_convert, page)  # the `page-render` fence (site.fences)
        return page

    @event_priority(-100)  # last: other plugins see the page's Markdown as it is
    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        """A generated page has nothing to convert (its HTML is handed over in `on_page_content`); under
        `serve`, neither has a page written by hand whose Markdown is unchanged (site.serve_cache)."""
        if page.file.src_uri in self._pages():
            return ""
        mdext.CURRENT_PAGE_URL[0] = page.url  # the abbreviations of a page written by hand link from here
        return self.page_cache.before(page, markdown, config, files) if self.page_cache is not None else markdown

    @event_priority(100)  # first: other plugins see the page's HTML as it is
    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        mdext.CURRENT_PAGE_URL[0] = None
        generated = self._pages().get(page.file.src_uri)
        if generated is not None:
            return _take(page, generated)
        return self.page_cache.after(page, html, files) if self.page_cache is not None else html

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        unknown = csp.unknown_scripts(output)
        if unknown:  # a warning: `--strict` stops the build
            log.warning(csp.unknown_message(page.file.src_uri, unknown))
        return csp.add_policy(output, frames=self.offline)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The theme's pages that are no page of the site (404.html) get the policy too."""
        return csp.add_policy(output_content, frames=self.offline) if template_name.endswith(".html") else output_content

    @event_priority(-100)  # after the search plugin has written its index (it may come after this plugin)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.offline:
            _inline_search_index(Path(config.site_dir))
        if self.page_cache is not None and self.files is not None:
            self.page_cache.forget_except(file.src_uri for file in self.files.documentation_pages())
        if self.output_cache is not None and self.files is not None:
            self.output_cache.forget_except({file.src_uri for file in self.files.documentation_pages()})

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.content_dir))
        server.watch(str(self.templates_dir or _templates_in_use()))
        return server


def _nothing_to_convert(page: Any, config: MkDocsConfig, files: Files) -> None:
    """Stands in for MkDocs' `Page.render` of a generated page, whose Markdown `on_page_markdown` made
    empty: what that conversion would give (its table of contents, anchors and title do not count:
    `on_page_content` sets the first two, the front matter gives the title)."""
    page.content = ""


def _take(page: Any, generated: Page) -> str:
    """A generated page's HTML as it is, with its table of contents and anchors (its title is in its
    front matter: `portable.to_markdown`)."""
    page.toc = get_toc(generated.toc_tokens())  # type: ignore[arg-type]  # the same keys as toc's tokens
    page.present_anchor_ids = set(generated.anchors)
    page.links_to_anchors = {}
    return generated.html


def _inline_search_index(site: Path) -> None:
    """From disk, Material's search reads its index from a script (search/search_index.js), not a fetch."""
    index = site / "search" / "search_index.json"
    if index.is_file():
        (site / "search" / "search_index.js").write_text("var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8")


def _templates_in_use() -> Path:
    from .render import default_templates_dir

    return default_templates_dir()


def _hand_written_pages(files: Files, config: MkDocsConfig, generated: dict[str, Page]) -> list[str]:
    """Pages written by hand in docs/ join the generated navigation, after the playbook's own pages
    (before "What changed"): those at the top of docs/ first, then those in folders, each in the
    order of their paths and titled by its first heading. `not_in_nav` patterns are respected."""
    not_in_nav = config.get("not_in_nav")
    return sorted(
        (
            file.src_uri
            for file in files.documentation_pages()
            if file.src_uri not in generated and not (not_in_nav and not_in_nav.match_file(file.src_uri))
        ),
        key=lambda uri: (uri.count("/"), uri),
    )


# --- what the pages need from MkDocs and the theme ------------------------------------------------


def _theme_settings(config: MkDocsConfig) -> None:
    """Material, with the features the pages need, no web fonts, a light and a dark scheme, and the
    playbook's template overrides (after the site's own custom_dir, before Material's)."""
    theme = config.theme
    if theme.name == "mkdocs":  # no theme named: the playbook's site is Material
        from mkdocs.theme import Theme

        theme = config.theme = Theme(name="material")
    if theme.name != "material":
        raise PluginError(
            f"the playbook site is built with Material for MkDocs, not the `{theme.name}` theme: set `theme: material`"
            " (or leave `theme:` out) in mkdocs.yml"
        )
    features = list(theme.get("features") or [])
    theme["features"] = features + [feature for feature in FEATURES if feature not in features]
    theme["font"] = False  # checked in _refuse_other_hosts: a named font would load from Google
    if not theme.get("palette"):
        theme["palette"] = PALETTE
    dirs = theme.dirs
    if str(OVERRIDES_DIR) not in dirs:
        material = next((i for i, d in enumerate(dirs) if Path(d).parts[-2:] == ("material", "templates")), len(dirs))
        dirs.insert(material, str(OVERRIDES_DIR))


def _user_theme(config: MkDocsConfig) -> dict[str, Any]:
    """The `theme:` mapping as mkdocs.yml writes it (not merged with the theme's defaults): {} for
    `theme: material` or no theme at all."""
    written: dict[str, Any] = {}
    for user in getattr(config, "user_configs", []) or []:
        theme = user.get("theme") if isinstance(user, dict) else None
        if isinstance(theme, dict):
            written.update(theme)
    return written


def _refuse_other_hosts(config: MkDocsConfig) -> None:
    """Settings that would make every reader's browser call another host are refused, with the fix."""
    found: list[str] = []
    if _user_theme(config).get("font"):  # Material's own default (Roboto from Google) is turned off below
        found.append(
            "`theme.font` loads the fonts from Google's servers: remove it (or set `font: false`); to use a"
            " font of your own, serve its files from docs/ and name them in extra_css"
        )
    if config.repo_url and config.theme.name in ("material", "mkdocs"):
        found.append(
            "`repo_url` makes Material fetch the repository's stars and forks from the host's API in every"
            " reader's browser: remove it (link to the repository from a page instead)"
        )
    if config.extra.get("analytics"):
        found.append("`extra.analytics` sends every page view to another host: remove it")
    for key in ("extra_css", "extra_javascript"):
        for entry in config[key]:
            if "//" in str(entry):
                found.append(f"`{key}` names `{entry}` on another host: copy the file into docs/ and name it by its path")
    if found:
        raise PluginError(
            "the playbook site requests nothing from other hosts, but mkdocs.yml asks it to:\n  - " + "\n  - ".join(found)
        )


def _markdown_settings(config: MkDocsConfig, project: Project) -> None:
    """Pages written by hand: the table of contents with permalinks, tables, attribute lists, and the
    playbook's abbreviations (site.mdext). The generated pages need none of it."""
    for extension in ("toc", "tables", "attr_list"):
        if extension not in config.markdown_extensions:
            config.markdown_extensions.append(extension)
    config.mdx_configs.setdefault("toc", {}).setdefault("permalink", True)
    known = {short: found for short, found in project.abbreviations.items()}
    config.markdown_extensions = [e for e in config.markdown_extensions if not isinstance(e, mdext.PlaybookExtension)]
    cast(list[Any], config.markdown_extensions).append(
        mdext.PlaybookExtension(known=known, directory_urls=bool(config.use_directory_urls))
    )


def _add_search(config: MkDocsConfig) -> None:
    """Search is part of the playbook site: added when mkdocs.yml names plugins but not search."""
    if "search" in config.plugins or "material/search" in config.plugins:
        return
    from material.plugins.search.plugin import SearchPlugin

    plugin = SearchPlugin()
    errors, warnings = plugin.load_config({"separator": SEARCH_SEPARATOR}, config.config_file_path)
    for _name, warning in warnings:
        log.warning(str(warning))
    # Registered now, its `on_config` runs after this one in the same round (MkDocs appends it to the
    # list of `config` handlers it is going through).
    config.plugins["material/search"] = plugin
