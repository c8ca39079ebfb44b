"""What keeps a large playbook fast: work per page that does not grow with the playbook.

- `AbbreviationIndex`: each page carries only the `*[ABBR]: ...` definitions it uses. Appending every
  definition to every page made the build quadratic (Python-Markdown re-scans the remaining block of
  definitions once per definition: 1,000 entities took minutes).
- `group_alphabetically`: a navigation section of hundreds of roles is split into alphabetical groups,
  so that with Material's `navigation.prune` each page carries a few dozen links, not every role.
- `PageCache`: `mkdocs serve` rebuilds every page after an edit; the HTML of a page whose Markdown and
  the site's files are unchanged is taken from the previous build instead of being converted again.
- `TEMPLATE_CACHE`: compiled Jinja templates kept for the process, so a second render (every `serve`
  rebuild) does not compile the templates again.

Measured by `bench/run.py` (see BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

_WORD = re.compile(r"\w+")


class AbbreviationIndex:
    """The abbreviation definitions of a playbook, and which of them one page needs.

    `definitions` is the text `views.abbreviation_definitions` returns: one `\\n*[ABBR]: tooltip` line
    an abbreviation. Python-Markdown's `abbr` matches an abbreviation as a whole word, so a page needs
    a definition only if the abbreviation occurs in it: a word lookup for abbreviations made of word
    characters, a substring test for the few others (`B2B-SaaS`). Both can only keep too many, never
    drop one the page uses. Linear in the page's length.
    """

    def __init__(self, definitions: str) -> None:
        self.lines: list[str] = []
        self.words: dict[str, int] = {}  # abbreviation of word characters -> index of its line
        self.others: list[tuple[str, int]] = []
        for line in definitions.split("\n"):
            if not line.startswith("*[") or "]: " not in line:
                continue
            short = line[2 : line.index("]: ")]
            index = len(self.lines)
            self.lines.append("\n" + line)
            if _WORD.fullmatch(short):
                self.words.setdefault(short, index)
            else:
                self.others.append((short, index))

    def __bool__(self) -> bool:
        return bool(self.lines)

    def used_in(self, markdown: str) -> str:
        """The definitions `markdown` uses, in the playbook's order, as text to append (or "")."""
        if not self.lines:
            return ""
        found = {self.words[word] for word in set(_WORD.findall(markdown)) if word in self.words}
        found.update(index for short, index in self.others if short in markdown)
        return "".join(self.lines[index] for index in sorted(found))


# --- compiled templates ----------------------------------------------------------------------


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's compiled templates, in memory. Jinja checks each entry against the template's source
    checksum, so an edited template (under `serve`) is compiled again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = MemoryBytecodeCache()


# --- navigation ------------------------------------------------------------------------------

NAV_GROUP_SIZE = 40  # with navigation.prune a page shows its group's links and the group titles


def group_alphabetically(items: list[tuple[str, Any]], size: int = NAV_GROUP_SIZE) -> list[Any]:
    """`[{title: target}]` sorted by title; above `size` items, split into groups titled like a
    dictionary's guide words ("Account Executive, B – Account Executive, I"), each of at most `size`.

    Groups themselves are grouped again when there are more than `size` of them, so no level of the
    navigation holds more than `size` entries at any playbook size.
    """
    ordered = sorted(items, key=lambda item: (item[0].casefold(), item[0]))
    entries: list[tuple[str, str, Any]] = [(title, title, {title: target}) for title, target in ordered]
    while len(entries) > size:
        chunks = [entries[start : start + size] for start in range(0, len(entries), size)]
        grouped: list[tuple[str, str, Any]] = []
        for number, chunk in enumerate(chunks):
            first, last = chunk[0][0], chunk[-1][1]
            before = chunks[number - 1][-1][1] if number else ""
            after = chunks[number + 1][0][0] if number + 1 < len(chunks) else ""
            if first == last:
                label = _guide_word(first, before, after)
            else:
                label = f"{_guide_word(first, before, last)} – {_guide_word(last, after, first)}"
            grouped.append((first, last, {label: [entry for _first, _last, entry in chunk]}))
        entries = grouped
    return [entry for _first, _last, entry in entries]


def _guide_word(title: str, *neighbours: str) -> str:
    """The shortest start of `title` (to the end of a word, where short) that tells it from its neighbours."""
    folded = title.casefold()
    common = 0
    for other in (neighbour.casefold() for neighbour in neighbours):
        shared = 0
        while shared < min(len(folded), len(other)) and folded[shared] == other[shared]:
            shared += 1
        common = max(common, shared)
    end = common + 1
    space = title.find(" ", end)
    word_end = len(title) if space < 0 else space
    if word_end - end <= 12:
        end = word_end
    return title[:end].rstrip(" ,;:-") or title[:1]


# --- the serve page cache ---------------------------------------------------------------------


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
