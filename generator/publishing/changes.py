"""The "What changed" page of a published version, against the version readers had before it.

The previous version is read from its own `playbook.json` on the `gh-pages` branch, so no tags are
needed; the comparison is the change report's engine in reader's words (`review.reader`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..content import Playbook
from ..content.exports import playbook_from_dict
from ..review import compare, format_reader_markdown
from ..site.paths import CHANGES_PAGE, link_target
from ..text import escape_plain

_MONTHS = ("January February March April May June July August September October November December").split()


@dataclass(frozen=True)
class PreviousVersion:
    version: str
    title: str
    export: dict[str, Any] | None  # its playbook.json; None when it has none


def long_date(day: date) -> str:
    """23 November 2026: the same words whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _version_name(version: str, title: str) -> str:
    # Escaped as one phrase: a name such as "2.0" is only a list marker at the start of a line.
    name = escape_plain(f"version {version}")
    return f"{name} ({escape_plain(title)})" if title and title != version else name


def changes_page(playbook: Playbook, *, version: str, title: str, day: date, previous: PreviousVersion | None) -> str:
    """The page: the version and date, then what changed since the previous published version, in
    words a reader understands. `playbook` is what this version publishes (drafts left out)."""
    lines = [
        "# " + escape_plain(f"What changed in version {version}"),
        "",
        f"This is {_version_name(version, title)} of the playbook, published on {long_date(day)}.",
        "",
    ]
    if previous is None:
        lines += [
            "It is the first published version: there is no earlier version to compare it with.",
            "Every definition in it is new.",
        ]
        return "\n".join(lines) + "\n"
    before = _version_name(previous.version, previous.title)
    old = _readable_export(previous)
    if isinstance(old, str):
        lines.append(f"The previous published version is {before}. {old}")
        return "\n".join(lines) + "\n"
    # The version label is not a change to the definitions.
    old = replace(old, meta=old.meta.model_copy(update={"version": None}))
    new = replace(playbook, meta=playbook.meta.model_copy(update={"version": None}))
    section = format_reader_markdown(
        compare(old, new),
        heading=f"Changes since version {previous.version}",
        level=2,
        link=lambda kind, entity_id: link_target(kind, entity_id, CHANGES_PAGE),
    )
    lines += [f"It is compared here with the previous published version, {before}.", ""]
    if section:
        lines.append(section.rstrip("\n"))
    else:
        lines.append(escape_plain(f"Nothing a reader sees changed since version {previous.version}."))
    return "\n".join(lines) + "\n"


def _readable_export(previous: PreviousVersion) -> Playbook | str:
    """The previous version's playbook, or the sentence that says why it cannot be compared."""
    if previous.export is None:
        return (
            "It was published without its machine-readable export (`playbook.json`), so the changes since then"
            " cannot be listed here."
        )
    try:
        return playbook_from_dict(previous.export)
    except (ValueError, KeyError, TypeError, AttributeError):  # pydantic's ValidationError is a ValueError
        return (
            "Its machine-readable export (`playbook.json`) is in a form this version of the tool cannot read, so"
            " the changes since then cannot be listed here."
        )
