""" "What changed" for readers of a published version: plain sentences, no field names. Pure."""

from __future__ import annotations

from collections.abc import Callable

from ..content.kinds import PLAYBOOK
from ..text import escape_plain
from .compare import ChangeSet


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
    if not lines:
        return ""
    return "\n".join([f"{'#' * level} {escape_plain(heading)}", "", *lines]) + "\n"
