"""What keeps `serve` fast: work from the previous build reused while its inputs are unchanged."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any


class PageCache:
    """Converted HTML of the previous build, by page, reused while its inputs are unchanged.

    `mkdocs serve` converts every page's Markdown again after any edit. A page's HTML depends on its
    Markdown, on the site's files (links are resolved against them) and on the Markdown settings; the
    key holds all three, so an edit converts again only the pages whose Markdown changed, and adding,
    removing or renaming a page, or changing `markdown_extensions`, converts every page. Besides the
    HTML, a cached page gets back what MkDocs' own conversion records: the table of contents, the
    title, its anchors and its links to anchors elsewhere (checked after the build).
    """

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, dict[str, Any]]] = {}  # src_uri -> (key, what render set)
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

    def render(self, page: Any, config: Any, files: Any) -> None:
        """Stands in for `page.render(config, files)`: the cached result, or MkDocs' conversion."""
        from mkdocs.structure.pages import Page

        key = hashlib.sha256(page.markdown.encode()).hexdigest() + self.fingerprint(files, config)
        entry = self.entries.get(page.file.src_uri)
        if entry is not None and entry[0] == key:
            self.hits += 1
            saved = entry[1]
            page.content = saved["content"]
            page.toc = saved["toc"]
            page._title_from_render = saved["title"]
            page.present_anchor_ids = set(saved["anchors"])
            if saved["links"] is not None:
                targets = {uri: files.get_file_from_path(uri) for uri in saved["links"]}
                page.links_to_anchors = {
                    targets[uri]: dict(links) for uri, links in saved["links"].items() if targets[uri] is not None
                }
            return
        self.misses += 1
        Page.render(page, config, files)
        links = getattr(page, "links_to_anchors", None)
        self.entries[page.file.src_uri] = (
            key,
            {
                "content": page.content,
                "toc": page.toc,
                "title": page._title_from_render,
                "anchors": frozenset(page.present_anchor_ids or ()),
                "links": None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()},
            },
        )

    def forget_except(self, src_uris: Iterable[str]) -> None:
        """Drop the pages that are no longer in the site."""
        keep = set(src_uris)
        for uri in [uri for uri in self.entries if uri not in keep]:
            del self.entries[uri]
