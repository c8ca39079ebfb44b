"""What keeps `serve` fast: work from the previous build reused while its inputs are unchanged."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any


class PageCache:
    """Converted HTML of the previous build, by page, reused while its inputs are unchanged.

    `mkdocs serve` converts every page's Markdown again after any edit. A page's HTML depends on its
    Markdown, on the site's files (links are resolved against them) and on the Markdown settings; the
    key holds all three (and the page's front matter, which may title it), so an edit converts again
    only the pages whose Markdown changed, and adding, removing or renaming a page, or changing
    `markdown_extensions`, converts every page. Besides the HTML, a cached page gets back what MkDocs'
    own conversion records: the table of contents, the title, its anchors and its links to anchors
    elsewhere (checked after the build).

    It works through MkDocs' public plugin hooks: `before` runs last of the `on_page_markdown`
    handlers and, for an unchanged page, hands MkDocs nothing to convert; `after` runs first of the
    `on_page_content` handlers and gives the page back what the conversion made last time.
    """

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, dict[str, Any]]] = {}  # src_uri -> (key, what the conversion made)
        self.pending: dict[str, tuple[str, dict[str, Any] | None]] = {}  # src_uri -> (key, saved entry on a hit)
        self.hits = 0
        self.misses = 0
        self._fingerprint: tuple[Any, str] = (None, "")

    def fingerprint(self, files: Any, config: Any) -> str:
        """The site's files and Markdown settings, once per build (the Files object is new each build)."""
        if self._fingerprint[0] is not files:
            digest = hashlib.sha256()
            for file in sorted(files, key=lambda f: f.src_uri):
                digest.update(f"{file.src_uri}\0{file.url}\0".encode())
            settings = (config.markdown_extensions, config.mdx_configs, config.use_directory_urls, config.site_url)
            digest.update(repr(settings).encode())
            self._fingerprint = (files, digest.hexdigest())
            self.hits = self.misses = 0
        return self._fingerprint[1]

    def before(self, page: Any, markdown: str, config: Any, files: Any) -> str:
        """In `on_page_markdown`: the Markdown MkDocs is to convert, "" when the last conversion holds."""
        meta = repr(sorted((str(k), repr(v)) for k, v in (page.meta or {}).items()))
        key = hashlib.sha256(markdown.encode("utf-8", "surrogatepass")).hexdigest() + self.fingerprint(files, config)
        key += hashlib.sha256(meta.encode("utf-8", "surrogatepass")).hexdigest()
        entry = self.entries.get(page.file.src_uri)
        if entry is not None and entry[0] == key:
            self.hits += 1
            self.pending[page.file.src_uri] = (key, entry[1])
            return ""
        self.misses += 1
        self.pending[page.file.src_uri] = (key, None)
        return markdown

    def after(self, page: Any, html: str, files: Any) -> str:
        """In `on_page_content`: the page's HTML, with what the conversion recorded on the page."""
        key, saved = self.pending.pop(page.file.src_uri, ("", None))
        if not key:
            return html
        if saved is not None:
            page.toc = saved["toc"]
            page.title = saved["title"]
            page.present_anchor_ids = set(saved["anchors"])
            if saved["links"] is not None:
                targets = {uri: files.get_file_from_path(uri) for uri in saved["links"]}
                page.links_to_anchors = {
                    targets[uri]: dict(links) for uri, links in saved["links"].items() if targets[uri] is not None
                }
            return str(saved["content"])
        links = getattr(page, "links_to_anchors", None)
        self.entries[page.file.src_uri] = (
            key,
            {
                "content": html,
                "toc": page.toc,
                "title": page.title,
                "anchors": frozenset(page.present_anchor_ids or ()),
                "links": None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()},
            },
        )
        return html

    def forget_except(self, src_uris: Iterable[str]) -> None:
        """Drop the pages that are no longer in the site."""
        keep = set(src_uris)
        for uri in [uri for uri in self.entries if uri not in keep]:
            del self.entries[uri]
