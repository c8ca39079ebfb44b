"""What keeps a large playbook fast: work per page that does not grow with the playbook.

- `AbbreviationIndex`: each page carries only the `*[ABBR]: ...` definitions it uses. Appending every
  definition to every page made the build quadratic (Python-Markdown re-scans the remaining block of
  definitions once per definition: 1,000 entities took minutes).
- `group_alphabetically`: a navigation section of hundreds of roles is split into alphabetical groups,
  so that with Material's `navigation.prune` each page carries a few dozen links, not every role.
- `PageCache`: `mkdocs serve` rebuilds every page after an edit; the HTML of a page whose Markdown and
  navigation are unchanged is taken from the previous build instead of being converted again.

Measured by `bench/run.py` (see BENCHMARKS.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

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
            label = f"{_guide_word(first, before)} – {_guide_word(last, after)}"
            grouped.append((first, last, {label: [entry for _first, _last, entry in chunk]}))
        entries = grouped
    return [entry for _first, _last, entry in entries]


def _guide_word(title: str, neighbour: str) -> str:
    """The shortest start of `title` (whole words where possible) that tells it from `neighbour`."""
    folded, other = title.casefold(), neighbour.casefold()
    common = 0
    while common < min(len(folded), len(other)) and folded[common] == other[common]:
        common += 1
    end = common + 1
    # extend to the end of the word, unless that makes a very long label
    space = title.find(" ", end)
    word_end = len(title) if space < 0 else space
    if word_end - end <= 12:
        end = word_end
    return title[:end].rstrip(" ,;:-") or title[:1]


# --- the serve page cache ---------------------------------------------------------------------


class PageCache:
    """Converted HTML of the previous build, by page, reused while its inputs are unchanged.

    The key is everything the page's HTML depends on inside MkDocs' Markdown step: the Markdown
    itself (the generated pages are a function of the content files, so an edited role changes its
    own page and the pages that show it) and a fingerprint of the site's files, navigation and
    Markdown settings, so that adding, removing or renaming a page converts every page again.
    """

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, str, Any]] = {}  # src_uri -> (key, html, toc)
        self.hits = 0
        self.misses = 0

    def get(self, src_uri: str, key: str) -> tuple[str, Any] | None:
        entry = self.entries.get(src_uri)
        if entry is not None and entry[0] == key:
            self.hits += 1
            return entry[1], entry[2]
        self.misses += 1
        return None

    def put(self, src_uri: str, key: str, html: str, toc: Any) -> None:
        self.entries[src_uri] = (key, html, toc)

    def forget_except(self, src_uris: Iterable[str]) -> None:
        keep = set(src_uris)
        for uri in [uri for uri in self.entries if uri not in keep]:
            del self.entries[uri]
