"""The whole site project of a playbook: everything an engine needs to build its site.

`build_project` turns a `Playbook` into its pages (finished HTML), the navigation, the site's name,
the assets and exports to publish, and the theme and Markdown settings the pages need. The MkDocs
plugin hands this to MkDocs in memory; `playbook generate --out DIR` writes it as a complete project
(mkdocs.yml included) that Zensical or plain MkDocs builds as it is. No feature lives in an engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..clock import today as clock_today
from ..content.exports import export_files
from ..content.release import Release, released
from ..content.schema import Playbook
from ..errors import Problem
from . import since
from .abbreviations import Abbreviation, abbreviations
from .incremental import Memo
from .nav import build_nav
from .pages import CHANGES_TITLE, Page, PageSpec, pages_for
from .paths import CHANGES_PAGE, url_of
from .provenance import Origin
from .relations import Relations
from .render import long_date, render_specs

SITE = Path(__file__).resolve().parent
ASSETS_DIR = SITE / "assets"
OVERRIDES_DIR = SITE / "overrides"
ASSETS = {f"assets/playbook/{name}": ASSETS_DIR / name for name in ("playbook.css", "playbook.js", "versions.js")}
# From a file:// address a browser starts no Worker: Material's search then runs in an iframe (`--offline`).
OFFLINE_SHIM = "assets/playbook/iframe-worker.js"

# What the pages need from the theme: sections and indexes in the navigation, `prune` so that a large
# playbook's navigation stays small, tooltips for abbreviations, search suggestions and highlights.
FEATURES = (
    "navigation.sections",
    "navigation.prune",
    "navigation.indexes",
    "navigation.top",
    "navigation.footer",
    "search.highlight",
    "search.suggest",
    "toc.follow",
    "content.tooltips",
)
PALETTE = [
    {
        "media": "(prefers-color-scheme: light)",
        "scheme": "default",
        "primary": "indigo",
        "accent": "indigo",
        "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"},
    },
    {
        "media": "(prefers-color-scheme: dark)",
        "scheme": "slate",
        "primary": "indigo",
        "accent": "indigo",
        "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"},
    },
]
# Search splits words at hyphens and punctuation, so that `sales-development-rep`, `MQL-to-SQL` and
# "(MQL)" are found by their parts.
SEARCH_SEPARATOR = r'[\s\-,:!=\[\]()"/]+'


@dataclass(frozen=True)
class Options:
    directory_urls: bool = True
    templates_dir: Path | None = None
    today: date | None = None
    release: Release | None = None  # a release build: drafts left out, "What changed", the version selector
    tooltips: bool = True  # Material's content.tooltips (on unless the site turns it off)
    offline: bool = False  # a site read from disk (file://): no directory URLs, search without a server
    origin: Origin | None = None  # where the content is kept and when each file last changed (git), when known
    memo: Memo | None = field(default=None, compare=False)  # under serve: the last render, its pages and their reads


@dataclass
class Project:
    playbook: Playbook  # what the site shows (drafts left out in a release build)
    pages: dict[str, Page]
    specs: list[PageSpec]
    # Escaped once, quotes included: the theme prints it as it is in text and in attributes
    # (`aria-label="{{ config.site_name }}"`); Markup, so that Jinja's `| e` leaves it as it is.
    site_name: Markup
    abbreviations: dict[str, Abbreviation]
    exports: dict[str, str]
    release: Release | None = None
    offline: bool = False
    problems: list[Problem] = field(default_factory=list)  # links between generated pages that lead nowhere
    generated: dict[str, str] = field(default_factory=dict)  # files of the site written from the content (since.SCRIPT)
    printed: dict[str, str] = field(default_factory=dict)  # what a printed page says of its version (`printed_as`)

    @property
    def scripts(self) -> list[str]:
        """The site's own scripts in the order the pages load them: the data first, then the behaviour."""
        return [path for path in self.generated if path.endswith(".js")] + [path for path in ASSETS if path.endswith(".js")]

    @property
    def assets(self) -> dict[str, Path]:
        assets = dict(ASSETS)
        if self.offline:
            assets[OFFLINE_SHIM] = ASSETS_DIR / "iframe-worker.js"
        return assets

    def nav(self, hand_written: list[str] | None = None) -> list[Any]:
        """The navigation: the playbook's pages, then pages written by hand, then "What changed"."""
        extra: list[Any] = list(hand_written or [])
        if CHANGES_PAGE in self.pages:
            extra.append({CHANGES_TITLE: CHANGES_PAGE})
        return build_nav(self.playbook, [spec for spec in self.specs if spec.path != CHANGES_PAGE], extra=extra)

    def extra(self) -> dict[str, Any]:
        """Theme `extra` settings: in a release build Material's version selector (it reads the
        versions.json mike writes; an ordinary site has none to read); offline, the Worker shim."""
        extra: dict[str, Any] = {}
        if self.release is not None:
            current = self.release.current or ("latest",)
            # Material reads each entry as a regular expression matched against a version's names, and
            # shows its "earlier version" banner on any version that `latest` is not (a newer version
            # too, after a roll-back). A version is never outdated by that test here: assets/versions.js
            # shows the banner on versions older than the one `latest` points to (`playbook`).
            own = (self.release.version,) if self.release.version else ()
            extra["version"] = {"provider": "mike", "default": [f"^{re.escape(name)}$" for name in (*current, *own)]}
            if self.release.version:
                extra["version"]["playbook"] = {"version": self.release.version, "current": list(current)}
        if self.offline:
            extra["polyfills"] = [OFFLINE_SHIM]
        if self.printed:
            extra["playbook_print"] = dict(self.printed)
        return extra


def printed_as(playbook: Playbook, release: Release | None, today: date) -> dict[str, str]:
    """The version and the date a printed page names (overrides/main.html, shown by print CSS only):
    a published version's number, title and date; else the playbook's `version` and the build's date."""
    if release is not None and release.version:
        title = " ".join(release.title.split()).removeprefix(f"{release.version} · ")
        title = "" if title == release.version else title  # the selector's "1.1 · title": the number once
        return {"version": f"version {release.version}" + (f" · {title}" if title else ""), "date": long_date(release.date)}
    version = f"version {playbook.meta.version}" if playbook.meta.version else "no version number"
    return {"version": version, "date": f"built {long_date(today)}"}


def build_project(playbook: Playbook, options: Options = Options()) -> Project:
    """Everything the site shows, made once from a validated playbook."""
    shown = released(playbook, options.release) if options.release is not None else playbook
    specs, pages = render_specs(
        shown,
        options.templates_dir,
        today=options.today,
        directory_urls=options.directory_urls,
        tooltips=options.tooltips,
        release=options.release,
        origin=options.origin,
        memo=options.memo,
    )
    project = Project(
        playbook=shown,
        pages=pages,
        specs=specs,
        site_name=escape(" ".join(str(shown.meta.title).split())),
        abbreviations=abbreviations(shown),
        exports=export_files(shown),
        release=options.release,
        offline=options.offline,
        printed=printed_as(shown, options.release, options.today or clock_today()),
    )
    project.problems = broken_links(project, options.directory_urls)
    _since_last_visit(project, options)
    return project


def _since_last_visit(project: Project, options: Options) -> None:
    """Each page's fingerprint of the definitions it shows, in the page and in the site's data script."""
    shown = project.playbook
    found = since.fingerprints(shown, pages_for(shown, Relations(shown), options.release))
    for path, digest in found.items():
        if path in project.pages:
            project.pages[path] = since.marked(project.pages[path], digest)
    version = (options.release.version if options.release is not None else "") or str(shown.meta.version or "")
    project.generated[since.SCRIPT] = since.script(shown, found, version, options.directory_urls)


_TEMPLATE_HINT = (
    "a template links to a page or section the site does not have: fix the template (a templates/ folder beside"
    " mkdocs.yml overrides the bundled one), or report it as a bug in the tool"
)
_HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')


def broken_links(project: Project, directory_urls: bool) -> list[Problem]:
    """Links between the generated pages that lead to no page or no anchor: a bug in a template,
    never the content's fault (entity references are checked when the content is loaded)."""
    import posixpath
    from html import unescape

    by_url = {url_of(path, directory_urls): page for path, page in project.pages.items()}
    published = set(project.exports) | set(ASSETS)
    problems: list[Problem] = []
    for path, page in project.pages.items():
        base = url_of(path, directory_urls)
        folder = base if base.endswith("/") or not base else posixpath.dirname(base)
        for href in {unescape(h) for h in _HREF.findall(page.html)}:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href):
                continue  # another site, or mailto:
            target, _, anchor = href.partition("#")
            resolved = posixpath.normpath(posixpath.join(folder, target)) if target else base
            resolved = "" if resolved == "." else resolved
            if resolved == ".." or resolved.startswith("../"):
                continue  # beside the published version, at the root of its branch: the feeds
            if target.endswith("/") and resolved:
                resolved += "/"
            page_found = by_url.get(resolved)
            if page_found is None and resolved not in published:
                problems.append(
                    Problem(f"site/{path}", 0, 0, "broken-link", f"the link `{href}` on {path} leads to no page", _TEMPLATE_HINT)
                )
            elif page_found is not None and anchor and anchor not in page_found.anchors:
                problems.append(
                    Problem(
                        f"site/{path}",
                        0,
                        0,
                        "broken-link",
                        f"the link `{href}` on {path} leads to no section `{anchor}`",
                        _TEMPLATE_HINT,
                    )
                )
    return problems
