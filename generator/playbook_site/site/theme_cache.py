"""The theme's work, done once where its output cannot differ: part of the MkDocs adapter.

- `NavMemo`: Material renders the whole navigation into every page, one macro call per item. A part
  of the navigation that holds neither the page being built nor any page below the page's own
  folder renders the same for every page of the same parent folder (its links are relative to the
  page, and only the page's parent folder decides them). The memo keeps such parts by (item, place,
  level, parent folder) and gives the same HTML back; everything else is rendered by Material's
  own macro as before. Material's template is used as it is, with its `render` macro renamed and a
  `render` in front of it that asks the memo, and only when the template is the very one the memo
  was written for (the `nav-memo` fence, site.fences): otherwise the memo is not used.
- `OutputCache` (under `playbook serve`): a page's finished output (the theme's HTML) and its
  search entries, kept by everything they are made from: the page's HTML, table of contents,
  title, metadata, URL, its neighbours (previous, next, parents), the whole navigation, the
  site's configuration and the theme's template files. A page whose key is unchanged since the
  last build is not rendered or indexed again.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from . import fences

NAV_ITEM = "partials/nav-item.html"
_MACRO = "{% macro render(nav_item, path, level, parent) %}"
_RENAMED = "{% macro _playbook_render(nav_item, path, level, parent) %}"
_FRONT = (
    "{% macro render(nav_item, path, level, parent) %}"
    "{{ playbook_nav_memo(_playbook_render, nav_item, path, level, parent, page) }}"
    "{% endmacro %}"
)


def _norm_parts(path: str) -> tuple[str, ...]:
    """A URL's parts as MkDocs' `get_relative_url` reads them (mkdocs.utils._norm_parts)."""
    if not path.startswith("/"):
        path = "/" + path
    path = posixpath.normpath(path)[1:]
    return tuple(path.split("/")) if path else ()


def _page_folder(url: str) -> tuple[str, ...]:
    """The parts of the folder that MkDocs makes a page's links relative to."""
    folder, _, basename = url.rpartition("/")
    return _norm_parts(folder if "." in basename else url)


class _RewritingLoader(jinja2.BaseLoader):
    """The theme's loader, with Material's navigation macro put behind the memo."""

    def __init__(self, loader: jinja2.BaseLoader) -> None:
        self.loader = loader
        self.rewritten = False

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        if template == NAV_ITEM and source.count(_MACRO) == 1 and "_playbook_render" not in source:
            source = source.replace(_MACRO, _RENAMED) + _FRONT
            self.rewritten = True
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


class NavMemo:
    """The navigation parts of one build, rendered once per parent folder (see the module's text)."""

    def __init__(self) -> None:
        self.parts: dict[tuple[Any, ...], Any] = {}
        self.below: dict[int, frozenset[tuple[str, ...]]] = {}  # nav item -> the folders of its links
        self.hits = self.misses = 0

    def install(self, env: jinja2.Environment) -> None:
        """For one build: its environment's navigation macro asks this memo."""
        self.parts.clear()
        self.below.clear()
        self.hits = self.misses = 0
        loader = env.loader
        if loader is None or isinstance(loader, _RewritingLoader):
            return
        if not fences.is_open(fences.NAV_MEMO, lambda: fences.nav_item_parts(loader.get_source(env, NAV_ITEM)[0])):
            return  # Material's template as it is, for every page
        env.loader = _RewritingLoader(loader)
        env.globals["playbook_nav_memo"] = self

    def _folders(self, item: Any) -> frozenset[tuple[str, ...]]:
        """Every folder (and folder prefix) of the URLs in `item` and below it."""
        key = id(item)
        found = self.below.get(key)
        if found is None:
            folders: set[tuple[str, ...]] = set()
            url = getattr(item, "url", None)
            if isinstance(url, str):
                parts = _norm_parts(url)
                folders.update(parts[:end] for end in range(len(parts) + 1))
            for child in getattr(item, "children", None) or ():
                folders |= self._folders(child)
            found = self.below[key] = frozenset(folders)
        return found

    def __call__(self, macro: Any, nav_item: Any, path: Any, level: Any, parent: Any, page: Any) -> Any:
        url = getattr(page, "url", None)
        if not isinstance(url, str):
            return macro(nav_item, path, level, parent)
        folder = _page_folder(url)
        if not folder or folder in self._folders(nav_item):
            return macro(nav_item, path, level, parent)  # the page, or a link below its folder: as it is
        parent_active = None if isinstance(parent, jinja2.Undefined) else bool(getattr(parent, "active", False))
        key = (id(nav_item), str(path), level, parent_active, folder[:-1])
        found = self.parts.get(key)
        if found is None:
            self.misses += 1
            found = self.parts[key] = macro(nav_item, path, level, parent)
        else:
            self.hits += 1
        return found


# --- serve: a page's theme output and search entries, kept by what they are made from ----------------


def _digest(*parts: Any) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(
            repr(part).encode("utf-8", "surrogatepass") if not isinstance(part, str) else part.encode("utf-8", "surrogatepass")
        )
        digest.update(b"\0")
    return digest.hexdigest()


def _toc(toc: Any) -> list[Any]:
    return [(item.level, item.id, item.title, _toc(item.children)) for item in toc or ()]


def _nav_shape(items: Any) -> list[Any]:
    shape = []
    for item in items or ():
        shape.append(
            (
                type(item).__name__,
                str(getattr(item, "title", "")),
                getattr(item, "url", None),
                bool(getattr(item, "is_index", False)),
                sorted((str(k), repr(v)) for k, v in (getattr(item, "meta", None) or {}).items()),
                _nav_shape(getattr(item, "children", None)),
            )
        )
    return shape


def theme_files(dirs: list[str]) -> str:
    """A fingerprint of the theme's template folders (every file's path, size and time); the folders
    of installed packages (Material's own templates and icons) by their path alone."""
    entries: list[tuple[str, int, int]] = []
    for folder in dirs:
        if "site-packages" in Path(folder).parts or "dist-packages" in Path(folder).parts:
            entries.append((folder, 0, 0))
            continue
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                entries.append((path, stat.st_size, stat.st_mtime_ns))
    return _digest(sorted(entries))


def _config_key(config: Any) -> str:
    """The configuration as the theme reads it (plugins and Markdown extension objects aside)."""
    skip = {"plugins", "nav", "markdown_extensions"}
    values = {key: config[key] for key in config if key not in skip}
    theme = config["theme"]
    values["theme"] = (theme.name, dict(theme.items()) if hasattr(theme, "items") else repr(theme), list(theme.dirs))
    values["markdown_extensions"] = [e if isinstance(e, str) else type(e).__name__ for e in config["markdown_extensions"]]
    return _digest(sorted((key, repr(value)) for key, value in values.items()))


class OutputCache:
    """The theme's output and the search entries of the pages of the last builds (see the module's text)."""

    def __init__(self) -> None:
        self.outputs: dict[str, tuple[str, str]] = {}  # page src_uri -> (key, output)
        self.entries: dict[str, tuple[str, list[dict[str, Any]]]] = {}  # page src_uri -> (key, search entries)
        self.site_key = ""
        self.hits = self.misses = 0
        self.search_hits = self.search_misses = 0

    def begin(self, config: Any, nav: Any, files: Any) -> None:
        """At the start of a build's pages: what every page's output depends on besides the page."""
        pages = sorted((file.src_uri, file.url) for file in files.documentation_pages())
        self.site_key = _digest(_config_key(config), _nav_shape(nav.items), pages, theme_files(list(config["theme"].dirs)))
        self.hits = self.misses = self.search_hits = self.search_misses = 0

    def page_key(self, page: Any) -> str:
        def neighbour(other: Any) -> Any:
            return None if other is None else (getattr(other, "url", None), str(getattr(other, "title", "")))

        parents = []
        parent = getattr(page, "parent", None)
        while parent is not None:
            parents.append(str(parent.title))
            parent = parent.parent
        return _digest(
            self.site_key,
            page.url,
            page.canonical_url,
            page.edit_url,
            str(page.title),
            page.is_homepage,
            sorted((str(k), repr(v)) for k, v in (page.meta or {}).items()),
            _toc(page.toc),
            neighbour(page.previous_page),
            neighbour(page.next_page),
            parents,
            page.content or "",
        )

    def search_key(self, page: Any) -> str:
        return _digest(
            page.url,
            str(page.title),
            sorted((str(k), repr(v)) for k, v in (page.meta or {}).items()),
            _toc(page.toc),
            page.content or "",
        )

    # --- search entries --------------------------------------------------------------------------

    def wrap_search(self, index: Any) -> None:
        """Material's search index takes a page's entries from this cache when the page is unchanged."""
        wrap_search(index, self)

    # --- theme output ----------------------------------------------------------------------------

    def wrap_env(self, env: jinja2.Environment) -> None:
        """Pages rendered from `main.html` take their output from this cache when their key is unchanged
        (while the `output-cache` fence is open: see site.fences)."""
        if not fences.is_open(fences.OUTPUT_CACHE, fences.output_cache_parts):
            return
        original = env.get_template
        cache = self

        class CachedTemplate:
            def __init__(self, template: jinja2.Template) -> None:
                self.template = template

            def __getattr__(self, name: str) -> Any:
                return getattr(self.template, name)

            def render(self, *args: Any, **kwargs: Any) -> str:
                context = dict(*args, **kwargs)
                page = context.get("page")
                if page is None or getattr(page, "file", None) is None:
                    return self.template.render(context)
                key = cache.page_key(page)
                saved = cache.outputs.get(page.file.src_uri)
                if saved is not None and saved[0] == key:
                    cache.hits += 1
                    return saved[1]
                cache.misses += 1
                output = self.template.render(context)
                cache.outputs[page.file.src_uri] = (key, output)
                return output

        class CachedStatic(CachedTemplate):
            """404.html, sitemap.xml: no page; kept by the site, their folder and the pages' dates."""

            def __init__(self, template: jinja2.Template, name: str) -> None:
                super().__init__(template)
                self.name = name

            def render(self, *args: Any, **kwargs: Any) -> str:
                context = dict(*args, **kwargs)
                if context.get("page") is not None:
                    return self.template.render(context)
                pages = [
                    (f.page.canonical_url, f.page.abs_url, f.page.update_date, f.page.is_link)
                    for f in context.get("pages") or ()
                    if getattr(f, "page", None) is not None
                ]
                key = _digest(cache.site_key, self.name, context.get("base_url"), pages)
                saved = cache.outputs.get("\0" + self.name)
                if saved is not None and saved[0] == key:
                    return saved[1]
                output = self.template.render(context)
                cache.outputs["\0" + self.name] = (key, output)
                return output

        def get_template(name: Any, *args: Any, **kwargs: Any) -> Any:
            template = original(name, *args, **kwargs)
            if name == "main.html":
                return CachedTemplate(template)
            if isinstance(name, str) and name in STATIC_TEMPLATES:
                return CachedStatic(template, name)
            return template

        env.get_template = get_template  # type: ignore[method-assign]

    def forget_except(self, src_uris: set[str]) -> None:
        for store in (self.outputs, self.entries):
            for uri in [uri for uri in store if uri not in src_uris and not uri.startswith("\0")]:
                del store[uri]


STATIC_TEMPLATES = frozenset({"404.html", "sitemap.xml"})


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """The theme's compiled templates, kept across `serve` rebuilds (MkDocs makes a new environment
    for each build). Jinja checks each template's source against the checksum it was compiled from."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


# --- search: the same sections as Material's parser, without Python's HTMLParser ----------------------

# What the fast path leaves to Material's own parser: anything its skip rules or `pre` handling act on,
# and markup this tokenizer does not read (comments, declarations, single-quoted or bare attributes).
_UNUSUAL = re.compile(r"<(?:script|style|object|pre|textarea|!|\?)|data-search-exclude|linenodiv", re.I)
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*"[^"]*")?)*)\s*(/?)>')
_ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?')
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))


def fast_sections(html: str, search: Any) -> list[Any] | None:
    """Material's `Parser(...).feed(html).data` for HTML as the playbook writes it, or None when the
    page holds something only Material's parser handles as it should (then that parser is used).

    The rules are Material's (material/plugins/search/plugin.py, `Parser`), followed step by step:
    sections start at headings with an id, the kept tags (`p`, `li`, lists, `code`, `sub`, `sup`)
    are written around their text and dropped when empty, whitespace is collapsed, the permalink
    is left out of a heading's title. Only the bookkeeping is quicker: the skip list can never
    match (pages with what it skips are not taken here), so only the attributes of headings and
    links are read, and "is an element of this tag open" is a count instead of a scan. Tests check
    the result against Material's parser."""
    if _UNUSUAL.search(html):
        return None
    from html import escape, unescape

    Element, Section, void = search.Element, search.Section, search.void
    keep = _KEEP
    headings = _HEADINGS
    data: list[Any] = []
    section: Any = None
    context: list[str] = []  # the tags of the open elements, as Material's parser keeps them
    links: list[bool] = []  # for each open <a>: is it a permalink (class="headerlink")
    open_tags: dict[str, int] = {}
    headerlinks = 0
    current = ""  # the tag of the current section's heading ("hx" for the preface)

    def new_section(el: Any, depth: Any = 0) -> None:
        nonlocal section, current
        section = Section(el) if depth == 0 else Section(el, depth)
        current = el.tag
        data.append(section)

    position = 0
    length = len(html)
    find = html.find
    match_tag = _TAG.match
    while position < length:
        lt = find("<", position)
        chunk = html[position:] if lt < 0 else html[position:lt]
        if chunk:
            if "&" in chunk:
                chunk = unescape(chunk)
            space = chunk.isspace()
            chunk = " " if space else chunk.replace("\n", " ")
            if section is None:
                new_section(Element("hx"))
            if open_tags.get(current, 0) > 0:
                if not headerlinks:
                    section.title.append(escape(chunk, quote=False))
            elif space:
                if not section.text or not section.text[-1].isspace():
                    section.text.append(chunk)
            else:
                section.text.append(escape(chunk, quote=False))
        if lt < 0:
            break
        match = match_tag(html, lt)
        if match is None:
            return None  # a `<` that is not a tag this reader knows: Material's parser decides
        closing, tag, attributes, self_closing = match.groups()
        position = match.end()
        tag = tag.lower()
        if not closing:
            if tag in void:
                continue
            attrs: dict[str, str | None] = {}
            if attributes and (tag in headings or tag == "a"):
                for found in _ATTR.finditer(attributes):
                    value = found.group(2)
                    attrs.setdefault(found.group(1).lower(), unescape(value) if value is not None else None)
            context.append(tag)
            open_tags[tag] = open_tags.get(tag, 0) + 1
            if tag == "a":
                permalink = attrs.get("class") == "headerlink"
                links.append(permalink)
                headerlinks += permalink
            if tag in headings and "id" in attrs:
                depth = len(context)
                if tag != "h1" and not data:
                    new_section(Element("hx"), depth)
                el = Element(tag, attrs)
                had = bool(data)
                new_section(el, depth)
                if had:
                    section.id = attrs["id"]
            if section is None:
                new_section(Element("hx"))
            if tag in keep:
                (section.title if open_tags.get(current, 0) > 0 else section.text).append(f"<{tag}>")
            if not self_closing:
                continue
        # an end tag (or the end of a self-closing one)
        if not context or context[-1] != tag:
            continue
        if section.depth > len(context):
            for candidate in reversed(data):
                if candidate.depth <= len(context):
                    section.depth = float("inf")
                    section = candidate
                    current = candidate.el.tag
                    break
        context.pop()
        open_tags[tag] -= 1
        if tag == "a":
            headerlinks -= links.pop()
        if tag in keep:
            target = section.title if open_tags.get(current, 0) > 0 else section.text
            index = target.index(f"<{tag}>")
            for i in range(index + 1, len(target)):
                if not target[i].isspace():
                    index = len(target)
                    break
            if len(target) > index:
                del target[index:]
            else:
                target.append(f"</{tag}>")
    return data


_KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})


def wrap_search(index: Any, cache: OutputCache | None = None) -> None:
    """Material's search index for one build: a page's sections read by `fast_sections` (Material's
    own parser where that declines), and under `serve` the entries of an unchanged page from `cache`."""
    if getattr(index, "_playbook_wrapped", False):
        return
    from material.plugins.search import plugin as search

    if type(index) is not search.SearchIndex or not fences.is_open(fences.SEARCH_READER, fences.search_parts):
        return  # Material's own parser for every page (see site.fences)

    def add_entry_from_context(page: Any) -> None:
        key = ""
        if cache is not None:
            key = cache.search_key(page)
            saved = cache.entries.get(page.file.src_uri)
            if saved is not None and saved[0] == key:
                cache.search_hits += 1
                index.entries.extend(dict(entry) for entry in saved[1])
                return
            cache.search_misses += 1
        before = len(index.entries)
        meta_search = page.meta.get("search") or {}
        sections = None if meta_search.get("exclude") else fast_sections(page.content or "", search)
        if sections is None:
            search.SearchIndex.add_entry_from_context(index, page)
        else:
            for section in sections:
                if not section.is_excluded():
                    index.create_entry_for_section(section, page.toc, page.url, page)
        if cache is not None:
            cache.entries[page.file.src_uri] = (key, [dict(entry) for entry in index.entries[before:]])

    index.add_entry_from_context = add_entry_from_context
    index._playbook_wrapped = True
