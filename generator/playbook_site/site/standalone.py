"""The site project as files: a complete project (mkdocs.yml, pages, assets, exports, template
overrides) that an engine builds as it is. `playbook generate --out DIR` writes it, and the Zensical
runner builds it.

    mkdocs.yml                       the settings the pages need, the navigation, the site's own settings
    docs/<page>.md                   each generated page: finished HTML (see `portable`)
    docs/assets/playbook/*           the playbook's CSS and JavaScript
    docs/playbook.json, exports/...  the exports the site publishes
    docs/<hand-written pages>        as the playbook repository's docs/ has them
    overrides/                       the playbook's template overrides (`theme.custom_dir`)
    .playbook/abbreviations.json     what the Markdown extension marks on pages written by hand

Pure: the files as {path: bytes}; writing them is the caller's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from . import mdext
from .portable import to_markdown
from .project import FEATURES, OVERRIDES_DIR, PALETTE, SEARCH_SEPARATOR, Project

ABBREVIATIONS_FILE = ".playbook/abbreviations.json"
MANIFEST_FILE = ".playbook/manifest.json"
# The site's own settings carried over from its mkdocs.yml (the rest is the playbook's).
CARRIED = (
    "site_url",
    "site_description",
    "site_author",
    "copyright",
    "use_directory_urls",
    "exclude_docs",
    "not_in_nav",
    "extra_templates",
)


def config_of(project: Project, base: dict[str, Any], hand_written: list[str]) -> dict[str, Any]:
    """The mkdocs.yml of the standalone project: the playbook's pages, navigation and settings, and
    the site's own settings from `base` (the playbook repository's mkdocs.yml as data)."""
    theme_base: dict[str, Any] = base["theme"] if isinstance(base.get("theme"), dict) else {}
    features = list(theme_base.get("features") or [])
    theme: dict[str, Any] = {
        "name": "material",
        # Zensical's look: `classic` is Material's, the one the playbook's palette and pages are made
        # and checked for (its default, `modern`, draws the current page's navigation link in the
        # indigo accent on a tint of it: 3.75:1, below WCAG AA's 4.5:1). Material ignores the key.
        "variant": theme_base.get("variant", "classic"),
        "custom_dir": "overrides",
        "language": theme_base.get("language", "en"),
        "font": False,
        "features": features + [feature for feature in FEATURES if feature not in features],
        "palette": theme_base.get("palette") or PALETTE,
    }
    for key in ("logo", "favicon", "icon"):
        if key in theme_base:
            theme[key] = theme_base[key]
    directory_urls = bool(base.get("use_directory_urls", True))
    config: dict[str, Any] = {
        "site_name": str(project.site_name),  # escaped with its quotes (YAML writes no Markup)
        "docs_dir": "docs",
        "site_dir": "site",
        **{key: base[key] for key in CARRIED if key in base},
        "theme": theme,
        "plugins": [{"search": {"separator": SEARCH_SEPARATOR}}],
        "markdown_extensions": [
            {"toc": {"permalink": True}},
            "tables",
            "attr_list",
            {"playbook_site.site.mdext": {"abbreviations": ABBREVIATIONS_FILE, "directory_urls": directory_urls}},
        ],
        "extra_css": [path for path in project.assets if path.endswith(".css")] + list(base.get("extra_css") or []),
        "extra_javascript": [path for path in project.generated if path.endswith(".js")]
        + [path for path in project.assets if path.endswith(".js")]
        + list(base.get("extra_javascript") or []),
        "nav": base.get("nav") or project.nav(hand_written),
    }
    extra: dict[str, Any] = {**(base["extra"] if isinstance(base.get("extra"), dict) else {}), **project.extra()}
    if extra:
        config["extra"] = extra
    if project.release is not None and project.release.version and config.get("site_url"):
        config["site_url"] = str(config["site_url"]).rstrip("/") + f"/{project.release.version}/"
    return config


def project_files(
    project: Project, *, base: dict[str, Any] | None = None, hand_written: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    """Every file of the standalone project, by its path in the project."""
    hand_written = dict(hand_written or {})
    for path in project.pages:
        hand_written.pop(path, None)  # a generated page wins over a hand-written one at the same place
    files: dict[str, bytes] = {}
    pages = [path for path in hand_written if path.endswith(".md")]
    config = config_of(project, base or {}, sorted(pages, key=lambda uri: (uri.count("/"), uri)))
    files["mkdocs.yml"] = (
        "# Written by `playbook generate` from the playbook's content: build it with `zensical build` or `mkdocs build`.\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
    ).encode("utf-8")
    for path, page in project.pages.items():
        files[f"docs/{path}"] = to_markdown(page).encode("utf-8")
    for path, source in project.assets.items():
        files[f"docs/{path}"] = source.read_bytes()
    for path, text in {**project.exports, **project.generated}.items():
        files[f"docs/{path}"] = text.encode("utf-8")
    for path, data in hand_written.items():
        files[f"docs/{path}"] = data
    for source in sorted(OVERRIDES_DIR.rglob("*")):
        if source.is_file():
            files[f"overrides/{source.relative_to(OVERRIDES_DIR).as_posix()}"] = source.read_bytes()
    files[ABBREVIATIONS_FILE] = mdext.dump_abbreviations(project.abbreviations).encode("utf-8")
    return files


def hand_written_pages(docs_dir: Path) -> dict[str, bytes]:
    """The files of a playbook repository's docs/ folder (pages written by hand, their images)."""
    if not docs_dir.is_dir():
        return {}
    return {
        path.relative_to(docs_dir).as_posix(): path.read_bytes()
        for path in sorted(docs_dir.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(docs_dir).parts)
    }
