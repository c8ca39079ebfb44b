"""The navigation of a playbook site: sections that keep each page's navigation small as it grows.

Roles are grouped by function; a function with more than `GROUP_SIZE` roles is split into
alphabetical groups titled like a dictionary's guide words, so that with Material's
`navigation.prune` a role page carries its group and the group titles, never every role. Titles are
plain text escaped once for HTML, quotes included, as the theme prints them.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..content.schema import Playbook
from .pages import PageSpec

GROUP_SIZE = 40  # with navigation.prune a page shows its group's links and the group titles


def group_alphabetically(items: list[tuple[str, Any]], size: int = GROUP_SIZE) -> list[Any]:
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


def _escaped(nav: Any) -> Any:
    """Every title in a nav escaped once for HTML, quotes included (the theme prints nav titles as they
    are, in text and, as a page's title, in attributes)."""
    if isinstance(nav, list):
        return [_escaped(item) for item in nav]
    if isinstance(nav, dict):
        return {escape(" ".join(str(title).split())): _escaped(value) for title, value in nav.items()}
    return nav


def build_nav(playbook: Playbook, specs: list[PageSpec], *, extra: list[Any] | None = None) -> list[Any]:
    """The generated pages as MkDocs `nav`, then `extra` (pages written by hand, "What changed")."""
    nav: list[Any] = []
    matrix_parts = [spec for spec in specs if spec.path.startswith("responsibilities/")]
    part_paths = {part.path for part in matrix_parts}
    for spec in specs:
        if spec.path == "roles/index.md":
            nav.append({"Roles": _roles_section(playbook)})
        elif spec.path.startswith("roles/") or spec.path in part_paths:
            continue
        elif spec.path == "responsibilities.md" and matrix_parts:
            groups = group_alphabetically([(part.nav_title, part.path) for part in matrix_parts])
            nav.append({spec.nav_title: [spec.path, *groups]})
        else:
            nav.append({spec.nav_title: spec.path})
    escaped: list[Any] = _escaped(nav)
    return escaped + list(extra or [])


def _roles_section(playbook: Playbook) -> list[Any]:
    section: list[Any] = ["roles/index.md"]
    for function_id, function in playbook.functions().items():
        members = [(str(role.name), f"roles/{role.id}.md") for role in playbook.roles.values() if role.function == function_id]
        if not members:
            continue
        if len(members) > GROUP_SIZE:  # with navigation.prune a page lists its group, not the function
            section.append({function.name: group_alphabetically(members)})
        else:
            section.append({function.name: [{title: path} for title, path in members]})
    return section
