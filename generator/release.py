"""What a published version holds, and its "What changed" page. Pure: no I/O.

A published version is what leadership agreed. `draft` entities never ship: `without_drafts`
removes them. A definition that ships and refers to a draft would be incomplete (a link to
nothing, an owner nobody can read about), so `release_problems` lists every such reference, naming
both entities, and publishing refuses until they are fixed. `proposed` entities ship, with their
badge. In an ordinary build none of this applies: drafts are shown with their badge.

The MkDocs plugin applies this in a *release build*: when the environment variable
`PLAYBOOK_RELEASE` is `1` (or the plugin option `release: true`), or when
`PLAYBOOK_RELEASE_INFO` names a release description written by `playbook publish`:

    {"version": "2.0", "title": "2.0", "date": "2026-11-23", "current": ["latest"],
     "previous": {"version": "1.0", "title": "1.0", "export": {... playbook.json ...} | null} | null}

With a description the plugin adds `changes.md` ("What changed"), made by `changes_page`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from .checks import field_references
from .errors import Problem
from .load import iter_strings
from .model import _LINK_RE, ENTITY_LINK_RE, KIND_LABELS, Alignment, Checklist, Glossary, Playbook, display_name

RELEASE_ENV = "PLAYBOOK_RELEASE"
RELEASE_INFO_ENV = "PLAYBOOK_RELEASE_INFO"
CHANGES_PAGE = "changes.md"

# (kind, entity id, location inside the entity) -> (path, line, column) of a problem
Locate = Callable[[str, str, tuple[Any, ...]], tuple[str, int, int]]
PLAYBOOK = "playbook"  # the kind used here for playbook.yml itself

# Where the items of the list kinds sit in their file.
_LIST_KEYS = {"step": "steps", "stage": "stages", "question": "questions", "term": "terms"}
_LABELS = {**KIND_LABELS, PLAYBOOK: "playbook"}


# --- what ships --------------------------------------------------------------------------------


def without_drafts(playbook: Playbook) -> Playbook:
    """The playbook as it is published: every `draft` entity left out (the rest keeps its order)."""

    def keep(items: Mapping[str, Any]) -> dict[str, Any]:
        return {entity_id: entity for entity_id, entity in items.items() if entity.status != "draft"}

    def kept(items: list[Any]) -> list[Any]:
        return [item for item in items if item.status != "draft"]

    released = Playbook(
        meta=playbook.meta,
        roles=keep(playbook.roles),
        leads=keep(playbook.leads),
        kpis=keep(playbook.kpis),
        checklist=Checklist.model_construct(steps=kept(playbook.checklist.steps)),
        alignment=Alignment.model_construct(stages=kept(playbook.alignment.stages), questions=kept(playbook.alignment.questions)),
        glossary=Glossary.model_construct(terms=kept(playbook.glossary.terms)),
    )
    released.sources = {
        (kind, entity_id): path for (kind, entity_id), path in playbook.sources.items() if entity_id in released.collection(kind)
    }
    return released


def drafts(playbook: Playbook) -> list[tuple[str, str]]:
    """(kind, id) of every draft entity: what a published version leaves out."""
    return [(kind, entity.id) for kind, entity in playbook.entities() if entity.status == "draft"]


# --- what stops a release ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """One entity refers to another (a field such as `owner`, a `see_also`, a link in text)."""

    kind: str  # "playbook" for playbook.yml
    id: str
    loc: tuple[Any, ...]  # inside the entity, as in its YAML: ("handoff", "to"), ("kpis", 1)
    target_kind: str
    target_id: str
    via: str  # how: "`owner`", "a link in `definition`"


def _field_name(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc if not isinstance(part, int))


def references(playbook: Playbook) -> Iterator[Reference]:
    """Every reference in the playbook: fields that name an entity, `see_also`, the alignment position
    in playbook.yml and `[text](kind:id)` links inside text."""
    for kind, entity, loc, target_kind, ref in field_references(playbook):
        field_name = ".".join(part for part in loc if isinstance(part, str))
        yield Reference(kind, entity.id, loc, target_kind, ref, f"`{field_name}`")
    for which in ("current", "target"):
        ref = getattr(playbook.meta.alignment, which)
        if ref is not None:
            yield Reference(PLAYBOOK, "", ("alignment", which), "stage", ref, f"`alignment.{which}`")
    for term in playbook.glossary.terms:
        for index, ref in enumerate(term.see_also):
            for target_kind, target in playbook.find(ref):
                yield Reference("term", term.id, ("see_also", index), target_kind, target.id, "`see_also`")
    owners: list[tuple[str, str, Any]] = [(PLAYBOOK, "", playbook.meta)]
    owners += [(kind, entity.id, entity) for kind, entity in playbook.entities()]
    for kind, entity_id, entity in owners:
        for loc, text in iter_strings(entity.model_dump(mode="python", exclude={"id", "notes"})):
            if "](" not in text:
                continue
            for match in _LINK_RE.finditer(text):
                link = ENTITY_LINK_RE.match(match.group(2))
                if link:
                    yield Reference(kind, entity_id, loc, link.group(1), link.group(2), f"a link in `{_field_name(loc)}`")


def _describe(playbook: Playbook, kind: str, entity_id: str) -> str:
    if kind == PLAYBOOK:
        return "the playbook (playbook.yml)"
    entity = playbook.collection(kind)[entity_id]
    return f"{entity.status} {_LABELS[kind]} `{entity_id}` ({display_name(entity)})"


def default_locate(playbook: Playbook, content_dir: str = "content") -> Locate:
    """Problems placed at the entity's file (no line): for a playbook without its YAML sources."""

    def locate(kind: str, entity_id: str, loc: tuple[Any, ...]) -> tuple[str, int, int]:
        path = "playbook.yml" if kind == PLAYBOOK else playbook.sources.get((kind, entity_id), "")
        return (f"{content_dir}/{path}" if path else content_dir), 0, 0

    return locate


def source_locate(playbook: Playbook, sources: Mapping[str, Any], display: Callable[[str], str]) -> Locate:
    """Problems placed at the line and column of the reference, from the loader's `sources`
    (content-relative path -> `load.Source`); `display` turns a content-relative path into the path shown."""
    fallback = default_locate(playbook)
    positions = {
        (kind, item.id): (key, index)
        for kind, key in _LIST_KEYS.items()
        for index, item in enumerate(playbook.collection(kind).values())
    }

    def locate(kind: str, entity_id: str, loc: tuple[Any, ...]) -> tuple[str, int, int]:
        if kind == PLAYBOOK:
            rel = next((name for name in ("playbook.yml", "playbook.yaml") if name in sources), "")
            prefix: tuple[Any, ...] = ()
        else:
            rel = playbook.sources.get((kind, entity_id), "")
            prefix = positions.get((kind, entity_id), ())
        source = sources.get(rel)
        if source is None:
            return fallback(kind, entity_id, loc)
        line, column = source.at(prefix + tuple(loc))
        return display(rel), line, column

    return locate


def draft_references(playbook: Playbook, locate: Locate | None = None) -> list[Problem]:
    """A problem for every entity that would be published (not a draft) and refers to a draft one."""
    locate = locate or default_locate(playbook)
    problems = []
    seen: set[tuple[Any, ...]] = set()
    for ref in references(playbook):
        source = playbook.meta if ref.kind == PLAYBOOK else playbook.collection(ref.kind).get(ref.id)
        target = playbook.collection(ref.target_kind).get(ref.target_id)
        if source is None or target is None or source.status == "draft" or target.status != "draft":
            continue
        key = (ref.kind, ref.id, ref.loc, ref.target_kind, ref.target_id)
        if key in seen:
            continue
        seen.add(key)
        path, line, column = locate(ref.kind, ref.id, ref.loc)
        target_path = locate(ref.target_kind, ref.target_id, ("status",))[0]
        target_label = _LABELS[ref.target_kind]
        problems.append(
            Problem(
                path,
                line,
                column,
                "draft-reference",
                f"{_describe(playbook, ref.kind, ref.id)} refers to draft {target_label} `{ref.target_id}`"
                f" ({display_name(target)}) in {ref.via}; drafts are left out of a published version,"
                " so this definition would be incomplete",
                f"agree the {target_label} first (`status: proposed` or `agreed` in {target_path}), or remove the"
                " reference; then commit and publish again",
            )
        )
    return problems


def release_problems(playbook: Playbook, locate: Locate | None = None) -> list[Problem]:
    """Everything that stops the playbook from being published (each an error, in file order)."""
    locate = locate or default_locate(playbook)
    problems = []
    if playbook.meta.status == "draft":
        path, line, column = locate(PLAYBOOK, "", ("status",))
        problems.append(
            Problem(
                path,
                line,
                column,
                "draft-playbook",
                "the playbook itself is a draft (`status: draft` in playbook.yml), so there is nothing to publish",
                "set `status: proposed` or `agreed` (or remove `status`), commit, and publish again",
            )
        )
    problems += draft_references(playbook, locate)
    problems += _diagnostic_problems(playbook, locate)
    return sorted(problems)


def _diagnostic_problems(playbook: Playbook, locate: Locate) -> list[Problem]:
    """Without its draft stages and statements the diagnostic's bands must still cover every total."""
    left_out = [
        (kind, item.id) for kind in ("stage", "question") for item in playbook.collection(kind).values() if item.status == "draft"
    ]
    if not left_out:
        return []
    stages = [stage for stage in playbook.alignment.stages if stage.status != "draft"]
    count = sum(1 for question in playbook.alignment.questions if question.status != "draft")
    if not stages or not count:
        return []
    expected = count
    for stage in sorted(stages, key=lambda s: s.score[0]):
        if stage.score[0] != expected:
            break
        expected = stage.score[1] + 1
    if expected == count * 5 + 1:
        return []
    kind, entity_id = left_out[0]
    path, line, column = locate(kind, entity_id, ("status",))
    names = ", ".join(f"{_LABELS[k]} `{i}`" for k, i in left_out)
    return [
        Problem(
            path,
            line,
            column,
            "draft-diagnostic",
            f"without its drafts ({names}) the published self-assessment's score bands would not cover every"
            f" total from {count} to {count * 5}",
            "agree the draft stages and statements (`status: proposed` or `agreed`), or change the bands of the"
            " others so that they cover every total without them",
        )
    ]


# --- the release description and the "What changed" page ---------------------------------------


@dataclass(frozen=True)
class PreviousVersion:
    version: str
    title: str
    export: dict[str, Any] | None  # its playbook.json; None when it has none


@dataclass(frozen=True)
class ReleaseInfo:
    version: str
    title: str
    date: date
    current: tuple[str, ...] = ()  # the aliases that mark the current version ("latest")
    previous: PreviousVersion | None = None

    def to_json(self) -> str:
        previous = None
        if self.previous is not None:
            previous = {"version": self.previous.version, "title": self.previous.title, "export": self.previous.export}
        data = {
            "version": self.version,
            "title": self.title,
            "date": self.date.isoformat(),
            "current": list(self.current),
            "previous": previous,
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ReleaseInfo:
        data = json.loads(text)
        previous = data.get("previous")
        return cls(
            version=str(data["version"]),
            title=str(data.get("title") or data["version"]),
            date=date.fromisoformat(data["date"]),
            current=tuple(str(name) for name in data.get("current") or ()),
            previous=PreviousVersion(
                str(previous["version"]), str(previous.get("title") or previous["version"]), previous.get("export")
            )
            if previous
            else None,
        )


def released(playbook: Playbook, info: ReleaseInfo | None) -> Playbook:
    """The playbook a release build renders: without drafts, labelled with the published version."""
    result = without_drafts(playbook)
    if info is not None:
        result = replace(result, meta=result.meta.model_copy(update={"version": info.version}))
    return result


_MONTHS = ("January February March April May June July August September October November December").split()


def long_date(day: date) -> str:
    """23 November 2026: the same words whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _version_name(version: str, title: str) -> str:
    from .render import escape_plain

    # Escaped as one phrase: a name such as "2.0" is only a list marker at the start of a line.
    name = escape_plain(f"version {version}")
    return f"{name} ({escape_plain(title)})" if title and title != version else name


def changes_page(playbook: Playbook, info: ReleaseInfo) -> str:
    """The "What changed" page of a published version: the version and date, then what changed since
    the previous published version, in words a reader understands. `playbook` is what this version
    publishes (drafts left out)."""
    from .diff import compare, format_reader_markdown
    from .export import playbook_from_dict
    from .render import escape_plain, link_target

    lines = [
        "# " + escape_plain(f"What changed in version {info.version}"),
        "",
        f"This is {_version_name(info.version, info.title)} of the playbook, published on {long_date(info.date)}.",
        "",
    ]
    previous = info.previous
    if previous is None:
        lines += [
            "It is the first published version: there is no earlier version to compare it with.",
            "Every definition in it is new.",
        ]
        return "\n".join(lines) + "\n"
    before = _version_name(previous.version, previous.title)
    if previous.export is None:
        lines += [
            f"The previous published version is {before}. It was published without its machine-readable"
            " export (`playbook.json`), so the changes since then cannot be listed here.",
        ]
        return "\n".join(lines) + "\n"
    try:
        old = playbook_from_dict(previous.export)
    except (ValueError, KeyError, TypeError, AttributeError):  # pydantic's ValidationError is a ValueError
        lines += [
            f"The previous published version is {before}. Its machine-readable export (`playbook.json`) is in a"
            " form this version of the tool cannot read, so the changes since then cannot be listed here.",
        ]
        return "\n".join(lines) + "\n"
    # The version label is not a change to the definitions.
    old = replace(old, meta=old.meta.model_copy(update={"version": None}))
    new = replace(playbook, meta=playbook.meta.model_copy(update={"version": None}))
    changes = compare(old, new)
    section = format_reader_markdown(
        changes,
        heading=f"Changes since version {previous.version}",
        level=2,
        link=lambda kind, entity_id: link_target(kind, entity_id, CHANGES_PAGE),
    )
    lines.append(f"It is compared here with the previous published version, {before}.")
    lines.append("")
    if section:
        lines.append(section.rstrip("\n"))
    else:
        lines.append(escape_plain(f"Nothing a reader sees changed since version {previous.version}."))
    return "\n".join(lines) + "\n"
