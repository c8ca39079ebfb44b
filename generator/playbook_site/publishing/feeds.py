"""What each published version changed, for subscribers: Atom feeds and the announcement text.

Every publish, alias and retraction rewrites the feeds at the root of the `gh-pages` branch from what
the branch then holds: `feeds/playbook.xml` (one entry per published version) and
`feeds/roles/ROLE.xml` (one entry per published version that has the role). Each version's changes
are the change report's plain words (`publishing.changes.release_of`, compared with the version it
was compared with when it was published, both read from their `playbook.json`); nothing is kept
beside them, so a retracted version leaves the feeds with it.

Atom (RFC 4287) is written with the standard library's ElementTree. The content of an entry is HTML
made here, every content text escaped, carried as `type="html"` (so escaped once more in the XML):
a feed reader shows the text and the links, and nothing of the content becomes markup. Ids are
`urn:uuid:` names derived from the site's address (or the repository's first commit), stable across
publishes.

The announcement is Markdown for a chat channel or an email: what changed, for whom, a link per
change, with no mention or issue reference (`review.chat_text`).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from urllib.parse import quote

from ..content.exports import playbook_from_dict
from ..content.release import ReaderChange, Release
from ..content.schema import Playbook, display_name
from ..review import chat_text
from ..site.paths import anchor_of, page_of, url_of
from .changes import PreviousVersion, release_of
from .git import branch_tip, first_commit
from .versions import Site, published_export

ATOM = "http://www.w3.org/2005/Atom"
FEEDS_DIR = "feeds"
PLAYBOOK_FEED = f"{FEEDS_DIR}/playbook.xml"
EMPTY_SITEMAP = b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'


def role_feed(role_id: str) -> str:
    return f"{FEEDS_DIR}/roles/{role_id}.xml"


@dataclass(frozen=True)
class VersionNews:
    """A published version as its subscribers learn of it."""

    version: str
    title: str
    day: str  # YYYY-MM-DD; "" when the version was published without the date
    release: Release | None  # None: it has no playbook.json this tool can read
    roles: dict[str, str] = field(default_factory=dict)  # role id -> "Account Executive (AE)", in that version

    @property
    def name(self) -> str:
        """ "version 1.1 (Q4 2026)"."""
        return f"version {self.version}" + (f" ({self.title})" if self.title and self.title != self.version else "")

    @property
    def heading(self) -> str:
        """ "Version 1.1 (Q4 2026)"."""
        return "V" + self.name[1:]

    def whom(self) -> dict[tuple[str, str], list[str]]:
        """(kind, id) of each change -> the names of the roles it touches."""
        found: dict[tuple[str, str], list[str]] = {}
        for role_id, items in self.release.for_roles if self.release else ():
            for item in items:
                found.setdefault((item.kind, item.id), []).append(self.roles.get(role_id, role_id))
        return found


def _read(site: Site, version: str, root: Path) -> tuple[dict[str, object] | None, Playbook | None]:
    """A version's playbook.json and the playbook it holds; (export, None) when this tool cannot read it."""
    export = published_export(site, version, root)
    if export is None:
        return None, None
    try:
        return export, playbook_from_dict(export)
    except (ValueError, KeyError, TypeError, AttributeError):  # pydantic's ValidationError is a ValueError
        return export, None


def version_news(site: Site, root: Path) -> list[VersionNews]:
    """Every version on the branch, newest first, with the changes its "What changed" page lists."""
    found = []
    for published in site.versions:
        playbook = _read(site, published.version, root)[1]
        day = published.published or ""
        if playbook is None:
            found.append(VersionNews(published.version, published.title, day, None))
            continue
        before = site.find(published.compared_with) if published.compared_with else None
        previous = PreviousVersion(before.version, before.title, published_export(site, before.version, root)) if before else None
        when = date.fromisoformat(day) if day else date(1970, 1, 1)
        release = release_of(playbook, version=published.version, title=published.title, day=when, previous=previous)
        roles = {role_id: display_name(role) for role_id, role in playbook.roles.items()}
        found.append(VersionNews(published.version, published.title, day, release, roles))
    return found


# --- addresses ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Links:
    """Absolute addresses on the published site; none without its address (mkdocs.yml's site_url)."""

    site_url: str | None
    directory_urls: bool = True

    def __post_init__(self) -> None:
        url = self.site_url
        if url is not None and not (url.startswith(("https://", "http://")) and url.isprintable() and " " not in url):
            object.__setattr__(self, "site_url", None)  # an address a reader could not follow: no links
        elif url is not None and not url.endswith("/"):
            object.__setattr__(self, "site_url", url + "/")

    def at(self, path: str) -> str | None:
        return f"{self.site_url}{quote(path, safe='/#.-_~')}" if self.site_url else None

    def page(self, version: str, page: str) -> str | None:
        return self.at(f"{version}/{url_of(page, self.directory_urls)}")

    def entity(self, version: str, item: ReaderChange) -> str | None:
        if item.change == "removed" or item.kind == "playbook":
            return None
        anchor = anchor_of(item.kind, item.id)
        return self.at(f"{version}/{url_of(page_of(item.kind, item.id), self.directory_urls)}" + (f"#{anchor}" if anchor else ""))


def sentence(item: ReaderChange) -> str:
    """What changed, after the entity's name: "(KPI): target rises from 27% to 30% per quarter."."""
    if item.change == "added":
        return f": new {item.kind_label}."
    if item.change == "removed":
        return f": {item.kind_label} removed."
    text = "; ".join(item.sentences)
    end = "" if text.endswith((".", ".”", "!", "?")) else "."
    return (f"({item.kind_label}): " if item.kind != "playbook" else ": ") + text + end


def _title_of(item: ReaderChange) -> str:
    return "The playbook" if item.kind == "playbook" else item.title


# --- Atom ---------------------------------------------------------------------------------------


def _html_list(news: VersionNews, items: Iterable[ReaderChange], links: Links, whom: bool) -> str:
    """The changes as HTML, every content text escaped (quotes too)."""
    touched = news.whom() if whom else {}
    lines = []
    for item in items:
        url = links.entity(news.version, item)
        name = escape(_title_of(item))
        name = f'<a href="{escape(url)}">{name}</a>' if url else name
        roles = touched.get((item.kind, item.id))
        for_whom = f"<br>For: {escape(', '.join(roles))}." if roles else ""
        lines.append(
            f"<li><strong>{name}</strong>{' ' if sentence(item).startswith('(') else ''}{escape(sentence(item))}{for_whom}</li>"
        )
    return "<ul>" + "".join(lines) + "</ul>" if lines else ""


def _entry_html(news: VersionNews, items: tuple[ReaderChange, ...] | None, links: Links, whom: bool) -> str:
    release = news.release
    page = links.page(news.version, "changes.md")
    more = f' <a href="{escape(page)}">What changed in version {escape(news.version)}</a>' if page else ""
    if release is None or release.compared in ("no-export", "unreadable"):
        return f"<p>{escape(news.heading)} was published; its changes cannot be listed here.{more}</p>"
    if release.compared == "first":
        return f"<p>{escape(news.heading)} is the first published version.{more}</p>"
    head = f"<p>{escape(news.heading)}, compared with version {escape(release.previous_version)}.{more}</p>"
    if not items:
        return head + "<p>Nothing here changed.</p>"
    return head + _html_list(news, items, links, whom)


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _updated(day: str) -> str:
    return f"{day or '1970-01-01'}T00:00:00Z"


@dataclass(frozen=True)
class FeedSpec:
    path: str  # on the branch: feeds/playbook.xml
    title: str
    author: str
    key: str  # what the ids are derived from


def atom(spec: FeedSpec, entries: list[tuple[VersionNews, str]], links: Links) -> bytes:
    """An Atom feed: one entry per (version, its content as HTML), newest first."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"{spec.key}#{spec.path}")
    feed = ET.Element("feed", {"xmlns": ATOM})
    _text(feed, "id", namespace.urn)
    _text(feed, "title", spec.title)
    _text(feed, "updated", max((_updated(news.day) for news, _ in entries), default=_updated("")))
    author = ET.SubElement(feed, "author")
    _text(author, "name", spec.author)
    ET.SubElement(
        feed, "link", {"rel": "self", "type": "application/atom+xml", "href": links.at(spec.path) or spec.path.rsplit("/", 1)[-1]}
    )
    home = links.at("") or ("../" * spec.path.count("/"))
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": home})
    for news, html in entries:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", uuid.uuid5(namespace, f"version/{news.version}").urn)
        _text(entry, "title", news.heading)
        _text(entry, "updated", _updated(news.day))
        page = links.page(news.version, "changes.md")
        if page:
            ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": page})
        _text(entry, "content", html, type="html")
    ET.indent(feed)
    written: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return written + b"\n"


def feed_files(news: list[VersionNews], links: Links, *, title: str, author: str, key: str) -> dict[str, bytes]:
    """{path on the branch: Atom}: the playbook's feed and one per role any version has."""
    files = {
        # Material reads the sitemap.xml beside every <link rel="alternate"> of a page (for its language
        # selector): an empty one answers it, instead of a "404 Not Found" in the reader's console.
        f"{FEEDS_DIR}/sitemap.xml": EMPTY_SITEMAP,
        PLAYBOOK_FEED: atom(
            FeedSpec(PLAYBOOK_FEED, f"{title}: what changed", author, key),
            [(item, _entry_html(item, item.release.changes if item.release else None, links, True)) for item in news],
            links,
        ),
    }
    names: dict[str, str] = {}
    for item in reversed(news):  # the newest version's name of a role wins
        names.update(item.roles)
    for role_id, name in sorted(names.items()):
        entries = [
            (item, _entry_html(item, item.release.changes_for(role_id) if item.release else None, links, False))
            for item in news
            if role_id in item.roles
        ]
        spec = FeedSpec(role_feed(role_id), f"{title}: what changed for {name}", author, key)
        files[spec.path] = atom(spec, entries, links)
    return files


def branch_feeds(site: Site, root: Path, links: Links) -> tuple[dict[str, bytes], list[VersionNews]]:
    """The feeds for what `site` (a branch, after a change) holds, and each version's news."""
    news = version_news(site, root)
    title, author = "Playbook", "Playbook"
    for published in site.versions:  # the newest version's title and organisation
        playbook = _read(site, published.version, root)[1]
        if playbook is not None:
            title, author = str(playbook.meta.title), str(playbook.meta.organization)
            break
    tip = branch_tip(site.branch, root)
    key = links.site_url or (f"git:{first_commit(tip, root)}" if tip else "playbook")
    return feed_files(news, links, title=title, author=author, key=key), news


# --- the announcement ---------------------------------------------------------------------------


def _md_line(news: VersionNews, item: ReaderChange, links: Links) -> str:
    url = links.entity(news.version, item)
    name = chat_text(_title_of(item))
    gap = " " if sentence(item).startswith("(") else ""
    return f"- **[{name}]({url})**{gap}{chat_text(sentence(item))}" if url else f"- **{name}**{gap}{chat_text(sentence(item))}"


def announcement(news: VersionNews, links: Links, *, title: str) -> str:
    """Markdown for a chat channel or an email: what changed in a version, for whom, a link per change."""
    page = links.page(news.version, "changes.md")
    lines = [f"**{chat_text(title)}: {chat_text(news.name)} is published**", ""]
    release = news.release
    read = f" Read it: {page}" if page else ""
    if release is None or release.compared != "compared":
        lines.append(f"{chat_text(news.heading)} is published.{read}")
        return "\n".join(lines) + "\n"
    lines.append(f"What changed since version {chat_text(release.previous_version)}, for whom:{read}")
    for role_id, items in release.for_roles:
        lines += ["", f"**For {chat_text(news.roles.get(role_id, role_id))}**", ""]
        lines += [_md_line(news, item, links) for item in items]
    touched = {(item.kind, item.id) for _, items in release.for_roles for item in items}
    rest = [item for item in release.changes if (item.kind, item.id) not in touched]
    if rest:
        lines += ["", "**For everyone**" if not release.for_roles else "**Also changed**", ""]
        lines += [_md_line(news, item, links) for item in rest]
    if not release.changes:
        lines += ["", "No definition changed."]
    return "\n".join(lines) + "\n"


__all__ = [
    "FEEDS_DIR",
    "branch_feeds",
    "PLAYBOOK_FEED",
    "Links",
    "VersionNews",
    "announcement",
    "feed_files",
    "role_feed",
    "version_news",
]
