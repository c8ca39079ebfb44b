"""The MkDocs adapter: validates the content, adds the rendered pages in memory.

Validation runs in `on_config`, before MkDocs cleans the site directory, so a
bad edit never wipes the last good site. Pages are added with
`File.generated`; `content/` and the templates are watched by `mkdocs serve`.
"""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .errors import ContentError
from .load import load_all
from .model import Playbook
from .render import FUNCTION_LABELS, default_templates_dir, pages_for, render

log = logging.getLogger("mkdocs.plugins.playbook")

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
ASSETS = ("playbook.css",)


def today() -> date:
    """Today, or PLAYBOOK_TODAY (YYYY-MM-DD) for reproducible builds and tests."""
    fixed = os.environ.get("PLAYBOOK_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


class PlaybookPluginConfig(base.Config):
    content = c.Type(str, default="content")
    templates = c.Optional(c.Type(str))
    nav = c.Type(bool, default=True)


class PlaybookPlugin(BasePlugin[PlaybookPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.playbook: Playbook | None = None
        self.content_dir = Path("content")
        self.templates_dir = default_templates_dir()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = base_dir / self.config.content
        self.templates_dir = (base_dir / self.config.templates) if self.config.templates else default_templates_dir()
        try:
            loaded = load_all(self.content_dir, today=today())
        except ContentError as error:
            for problem in error.problems:
                log.error(str(problem))
            raise PluginError(
                f"the playbook content has {len(error.problems)} problem(s); nothing was built and the site directory"
                " was left as it was. Run `playbook validate` for details."
            ) from None
        for problem in loaded.warnings:
            # A passed review date must not break tomorrow's strict build: it is shown, not counted.
            (log.info if problem.code == "stale" else log.warning)(str(problem))
        self.playbook = loaded.playbook
        # The contract: playbook.yml's title is the site title. Material prints site_name unescaped in some
        # attributes and escaped in others; a Markup value is escaped once and never twice.
        config.site_name = Markup.escape(loaded.playbook.meta.title)
        self.pages = render(loaded.playbook, self.templates_dir, today=today())
        if self.config.nav and not config.nav:
            config.nav = build_nav(loaded.playbook)
        for asset in ASSETS:
            if f"assets/playbook/{asset}" not in config.extra_css:
                config.extra_css.append(f"assets/playbook/{asset}")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for path, markdown in self.pages.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                log.warning(f"docs/{path} is replaced by the page generated from the playbook content")
                files.remove(existing)
            files.append(File.generated(config, path, content=markdown))
        for asset in ASSETS:
            files.append(File.generated(config, f"assets/playbook/{asset}", abs_src_path=str(ASSETS_DIR / asset)))
        return files

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.content_dir))
        server.watch(str(self.templates_dir))
        return server


def build_nav(playbook: Playbook) -> list[Any]:
    """Sections that keep each page's navigation small as the playbook grows."""
    titles = {
        "index.md": "Home",
        "leads.md": "Lead definitions",
        "kpis.md": "KPIs",
        "checklist.md": "Alignment checklist",
        "alignment.md": "Alignment model",
        "glossary.md": "Glossary",
    }
    nav: list[Any] = []
    for path, _template, _extra in pages_for(playbook):
        if path in titles:
            nav.append({titles[path]: path})
        elif path == "roles/index.md":
            section: list[Any] = ["roles/index.md"]
            for function, label in FUNCTION_LABELS.items():
                members = [{role.name: f"roles/{role.id}.md"} for role in playbook.roles.values() if role.function == function]
                if members:
                    section.append({label: members})
            nav.append({"Roles": section})
    return nav
