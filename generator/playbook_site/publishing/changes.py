"""A version's "What changed", against the version readers had before it.

The previous version is read from its own `playbook.json` on the `gh-pages` branch, so no tags are
needed; the comparison is the change report's engine in reader's words (`review.reader`). The site
renders the page (templates/changes.html.j2).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..content import Playbook
from ..content.exports import playbook_from_dict
from ..content.release import Release
from ..review import compare, reader_changes, reader_numbers, role_changes


@dataclass(frozen=True)
class PreviousVersion:
    version: str
    title: str
    export: dict[str, Any] | None  # its playbook.json; None when it has none


def release_of(
    playbook: Playbook, *, version: str, title: str, day: date, current: tuple[str, ...] = (), previous: PreviousVersion | None
) -> Release:
    """The version being published and what changed since `previous`. `playbook` is what this version
    publishes (drafts left out)."""
    release = Release(version, title, day, current)
    if previous is None:
        return release
    release = replace(release, previous_version=previous.version, previous_title=previous.title)
    if previous.export is None:
        return replace(release, compared="no-export")
    try:
        old = playbook_from_dict(previous.export)
    except (ValueError, KeyError, TypeError, AttributeError):  # pydantic's ValidationError is a ValueError
        return replace(release, compared="unreadable")
    # The version label is not a change to the definitions.
    old = replace(old, meta=old.meta.model_copy(update={"version": None}))
    new = replace(playbook, meta=playbook.meta.model_copy(update={"version": None}))
    changes = compare(old, new)
    words = reader_changes(changes)
    return replace(
        release,
        compared="compared",
        changes=words,
        numbers=reader_numbers(changes),
        for_roles=role_changes(old, new, words),
    )
