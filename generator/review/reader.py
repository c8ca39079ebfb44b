""" "What changed" for readers of a published version: plain sentences, no field names. Pure."""

from __future__ import annotations

from collections.abc import Callable

from ..content.kinds import PLAYBOOK
from ..text import escape_plain
from .compare import ChangeSet
from .numbers import ActivityChange, ResultChange


def format_reader_markdown(
    changes: ChangeSet,
    *,
    heading: str = "What changed",
    level: int = 2,
    link: Callable[[str, str], str | None] | None = None,
) -> str:
    """A plain-language section for the published site, or "" when nothing a reader sees changed.

    No approvals, no editor notes or review dates, no YAML field names. Content is escaped for the
    site's Markdown; `link(kind, id)` may give the URL of an entity's page (not used for removed ones).
    """
    lines: list[str] = []
    for entity in changes.definition_changes + changes.minor_changes:
        name = f"**{escape_plain(entity.title)}**"
        if link is not None and entity.change != "removed" and entity.kind != PLAYBOOK:
            url = link(entity.kind, entity.id)
            if url:
                name = f"**[{escape_plain(entity.title)}]({url})**"
        if entity.kind == PLAYBOOK:
            name = "The playbook"
        label = entity.kind_label
        if entity.change == "added":
            lines.append(f"- New {label}: {name}.")
            continue
        if entity.change == "removed":
            lines.append(f"- Removed {label}: {name}.")
            continue
        sentences = [escape_plain(f.sentence) for f in entity.reader_fields()]
        if not sentences:
            continue
        kind_note = "" if entity.kind == PLAYBOOK else f" ({label})"
        text = "; ".join(sentences)
        lines.append(f"- {name}{kind_note}: {text}" + ("" if text.endswith((".", ".”", "!", "?")) else "."))
    numbers = _numbers_lines(changes, level + 1, link)
    if not lines and not numbers:
        return ""
    if numbers and not lines:
        numbers = numbers[1:]  # no blank line twice under the heading
    return "\n".join([f"{'#' * level} {escape_plain(heading)}", "", *lines, *numbers]) + "\n"


# What readers learn of the numbers: the results added since the previous version, the ones corrected,
# and the practices recorded (a removed result or entry is an editor's correction, not news).
_READER_SECTIONS = (
    ("New results", "results", "added"),
    ("Corrected results", "results", "changed"),
    ("Practices recorded", "activity", "added"),
)


def _numbers_lines(changes: ChangeSet, level: int, link: Callable[[str, str], str | None] | None) -> list[str]:
    out: list[str] = []
    for title, kind, change in _READER_SECTIONS:
        items: list[str] = []
        for group in changes.numbers:
            if group.kind != kind:
                continue
            url = link("kpi" if kind == "results" else "step", group.id) if link is not None else None
            name = f"**[{escape_plain(group.title)}]({url})**" if url else f"**{escape_plain(group.title)}**"
            entries: list[ResultChange | ActivityChange] = [*group.results, *group.activity]
            for item in entries:
                if item.change == change:
                    when = item.period if isinstance(item, ResultChange) else item.date
                    text = escape_plain(f"{when}: {item.what}")
                    items.append(f"- {name}, {text}" + ("" if text.endswith((".", "!", "?")) else "."))
        if items:
            out += ["", f"{'#' * level} {title}", "", *items]
    return out
