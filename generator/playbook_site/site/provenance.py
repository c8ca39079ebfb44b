"""Beside each entity: when its definition was last agreed, when it is due for review, and the way
to propose a change to it (its file in the host's web editor, a new issue naming it).

The dates of the last agreed changes come from the git history at build time (`publishing.history`
reads it and hands it over as an `Origin`); without one (a build outside a git repository, `mkdocs
build` run by hand) nothing is said about them, never a wrong date. The links are built from
playbook.yml's `repository` (`content.repository`); nothing on the page asks the host anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from ..content.kinds import KIND_LABELS
from ..content.schema import Playbook, display_name

DUE = "due for review"


@dataclass(frozen=True)
class Origin:
    """Where the content is kept in its repository, and when each file last changed there."""

    folder: str = "content"  # the content folder's path from the repository's root ("" at the root)
    changed: Mapping[str, date] = field(default_factory=dict)  # content-relative path -> day of its last commit

    def repository_path(self, rel: str) -> str:
        return f"{self.folder.strip('/')}/{rel}" if self.folder.strip("/") else rel


def is_due(entity: Any, today: date | None) -> bool:
    """Past its `review_by` date (never a retired definition: `validate` does not warn about one either)."""
    review_by = getattr(entity, "review_by", None)
    return bool(today and review_by is not None and review_by < today and entity.status != "retired")


def due_badge() -> Markup:
    return Markup('<span class="pb-badge pb-badge--stale">{0}</span>').format(DUE)


def _issue_text(playbook: Playbook, kind: str, entity: Any, path: str) -> tuple[str, str]:
    """The new issue's title and body: the entity by its name, kind and id, and its file. The body holds
    no text of the content (a name could hold an @mention); the title is plain text to the host."""
    label = KIND_LABELS.get(kind, kind)
    title = f"Suggested change to the {label} {' '.join(str(display_name(entity)).split())}"
    body = (
        f"A suggested change to the {label} `{entity.id}` of {' '.join(str(playbook.meta.title).split())},"
        f" defined in `{path}`.\n\nWhat should change, and why:\n\n"
    )
    return title, body


def line(playbook: Playbook, origin: Origin | None, kind: str, entity: Any, long_date: Any) -> Markup:
    """The line under an entity's heading: last agreed change, review date (due or not), the links to
    propose a change. Empty when there is nothing to say."""
    rel = playbook.sources.get((kind, entity.id))
    parts: list[Markup] = []
    changed = origin.changed.get(rel) if origin is not None and rel else None
    if changed is not None:
        parts.append(
            Markup('<span class="pb-changed">Last agreed change: <time datetime="{0}">{1}</time></span>').format(
                changed.isoformat(), long_date(changed)
            )
        )
    if getattr(entity, "review_by", None) is not None and entity.status != "retired":
        # Past it, the badge line above says "due for review" (render's `badges`, in the lists too).
        parts.append(
            Markup('<span class="pb-review-by">Review by: <time datetime="{0}">{1}</time></span>').format(
                entity.review_by.isoformat(), long_date(entity.review_by)
            )
        )
    repository = playbook.meta.repository
    if repository is not None and rel:
        path = (origin or Origin()).repository_path(rel)
        proposals = repository.proposals
        title, body = _issue_text(playbook, kind, entity, path)
        parts.append(Markup('<a class="pb-edit" href="{0}">Edit this definition</a>').format(proposals.edit_url(path)))
        parts.append(Markup('<a class="pb-suggest" href="{0}">Suggest a change</a>').format(proposals.issue_url(title, body)))
    if not parts:
        return Markup("")
    return Markup('<p class="pb-provenance">{0}</p>\n').format(Markup(" · ").join(parts))


__all__ = ["DUE", "Origin", "due_badge", "is_due", "line"]
