""" "What changed" for readers of a published version: plain sentences, no field names. Pure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..content.kinds import PLAYBOOK
from ..content.release import ReaderChange, ReaderNumber
from ..content.schema import Playbook
from ..text import escape_plain
from .compare import ChangeSet
from .numbers import SURVEY_NAME, ActivityChange, ResultChange


def reader_changes(changes: ChangeSet) -> tuple[ReaderChange, ...]:
    """What a reader sees change: entities added or removed, and the changes readers see (no
    approvals, editor notes or review dates), definition changes first."""
    found: list[ReaderChange] = []
    for entity in changes.definition_changes + changes.minor_changes:
        if entity.change in ("added", "removed"):
            found.append(ReaderChange(entity.kind, entity.id, entity.title, entity.kind_label, entity.change))
            continue
        sentences = tuple(f.sentence for f in entity.reader_fields())
        if sentences:
            found.append(ReaderChange(entity.kind, entity.id, entity.title, entity.kind_label, "changed", sentences))
    return tuple(found)


def _roles_of(kind: str, entity: Any, playbook: Playbook, entity_id: str) -> set[str]:
    """The roles an entity touches: a role itself; a KPI's owner and the roles measured on it; a lead
    stage's owner and the role it hands off to; a checklist step's owner and participants."""
    if kind == "role":
        return {entity_id}
    if kind == "kpi":
        return {entity.owner} | {role.id for role in playbook.roles.values() if entity_id in role.kpis}
    if kind == "lead":
        return {entity.owner} | ({entity.handoff.to} if entity.handoff is not None else set())
    if kind == "step":
        return {entity.owner, *entity.participants}
    return set()


def roles_touched(old: Playbook, new: Playbook, kind: str, entity_id: str) -> set[str]:
    """Every role a change to an entity touches, on either side: a KPI whose owner moves from one role
    to another touches both."""
    if kind == PLAYBOOK:
        return set()
    found: set[str] = set()
    for playbook in (old, new):
        entity = playbook.collection(kind).get(entity_id)
        if entity is not None:
            found |= _roles_of(kind, entity, playbook, entity_id)
    return found


def role_changes(
    old: Playbook, new: Playbook, changes: tuple[ReaderChange, ...]
) -> tuple[tuple[str, tuple[ReaderChange, ...]], ...]:
    """(role id, the changes that touch it) for each role of `new` that a change touches, in the
    order of `new`'s roles; each role's changes in the order of `changes`."""
    touched: dict[str, list[ReaderChange]] = {}
    for item in changes:
        for role_id in roles_touched(old, new, item.kind, item.id):
            touched.setdefault(role_id, []).append(item)
    return tuple((role_id, tuple(touched[role_id])) for role_id in new.roles if role_id in touched)


def format_reader_markdown(
    changes: ChangeSet,
    *,
    heading: str = "What changed",
    level: int = 2,
    link: Callable[[str, str], str | None] | None = None,
) -> str:
    """A plain-language section in Markdown, or "" when nothing a reader sees changed (for other tools;
    the site renders `reader_changes` itself). `link(kind, id)` may give the URL of an entity's page."""
    lines: list[str] = []
    for item in reader_changes(changes):
        name = f"**{escape_plain(item.title)}**"
        if link is not None and item.change != "removed" and item.kind != PLAYBOOK:
            url = link(item.kind, item.id)
            if url:
                name = f"**[{escape_plain(item.title)}]({url})**"
        if item.kind == PLAYBOOK:
            name = "The playbook"
        if item.change == "added":
            lines.append(f"- New {item.kind_label}: {name}.")
            continue
        if item.change == "removed":
            lines.append(f"- Removed {item.kind_label}: {name}.")
            continue
        kind_note = "" if item.kind == PLAYBOOK else f" ({item.kind_label})"
        text = "; ".join(escape_plain(sentence) for sentence in item.sentences)
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
    ("Team survey", "survey", "added"),
    ("Team survey", "survey", "changed"),
)


_READER_KINDS = {"results": "kpi", "activity": "step", "survey": "stage"}  # a round links nowhere: no stage has its id


def reader_numbers(changes: ChangeSet) -> tuple[tuple[str, tuple[ReaderNumber, ...]], ...]:
    """The results and practices a reader learns of, by section ("New results", ...); empty sections left out."""
    out: list[tuple[str, tuple[ReaderNumber, ...]]] = []
    for title, kind, change in _READER_SECTIONS:
        items: list[ReaderNumber] = []
        for group in changes.numbers:
            if group.kind != kind:
                continue
            entries: list[ResultChange | ActivityChange] = [*group.results, *group.activity]
            for item in entries:
                if item.change == change:
                    when = item.period if isinstance(item, ResultChange) else item.date
                    title_of = SURVEY_NAME if kind == "survey" else group.title
                    items.append(ReaderNumber(_READER_KINDS[kind], group.id, title_of, str(when), item.what))
        if items and out and out[-1][0] == title:  # a round added and a round changed: one section
            out[-1] = (title, out[-1][1] + tuple(items))
        elif items:
            out.append((title, tuple(items)))
    return tuple(out)


def _numbers_lines(changes: ChangeSet, level: int, link: Callable[[str, str], str | None] | None) -> list[str]:
    out: list[str] = []
    for title, items in reader_numbers(changes):
        out += ["", f"{'#' * level} {title}", ""]
        for item in items:
            url = link(item.kind, item.id) if link is not None else None
            name = f"**[{escape_plain(item.title)}]({url})**" if url else f"**{escape_plain(item.title)}**"
            text = escape_plain(f"{item.when}: {item.what}")
            out.append(f"- {name}, {text}" + ("" if text.endswith((".", "!", "?")) else "."))
    return out
