"""The root 404 page of the published site: every missing address gets it on GitHub Pages."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..site import csp
from .versions import Site, published_export

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def root_404_html(site: Site, *, title: str, base_path: str = "/") -> bytes:
    """A page that needs nothing from anywhere: it links to the current version and lists every
    version, under `base_path` (the site's own base, from site_url). A small script adds the folders
    the address sits under (a project site lives under /REPOSITORY/ when site_url does not say so),
    each a plain name, on the page's own origin: no address makes a link to another host."""
    env = Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    names = [name for v in site.versions for name in (v.version, *v.aliases)]
    page = env.get_template("404.html").render(
        title=title,
        versions=site.versions,
        current=site.default or (site.versions[0].version if site.versions else ""),
        base_path=base_path,
        names_json=json.dumps(names),
    )
    # Its style and script by their hashes: the bodies as the template holds them (they hold no
    # variable), so nothing a playbook or a version title says can add to what the policy allows.
    own = tuple(csp.inline_blocks((_TEMPLATES / "404.html").read_text(encoding="utf-8")))
    return csp.add_policy(page, own=own).encode("utf-8")


def base_path(site_url: str | None) -> str:
    """The path the site lives under: "/" for a user site, "/REPOSITORY/" for a project site."""
    path = urlsplit(site_url).path if site_url else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def site_title(site: Site, root: Path) -> str:
    """The playbook's title, from the newest version's playbook.json that has one."""
    for version in site.versions:
        data = published_export(site, version.version, root)
        title = data.get("playbook", {}).get("title") if data else None
        if isinstance(title, str) and title:
            return title
    return "this playbook"
