"""The change report in three forms: Markdown for a pull-request comment, text for a terminal,
JSON for other tools. Pure: a `ChangeSet` in, text out.

Both human forms are drawn from one outline (`_rows`): what each field change shows, in order;
only the markup differs.

    format_markdown(changes, base="origin/main", head="the working tree", content_dir="content")
    format_text(changes, base=..., head=..., content_dir=...)
    to_json(changes, base=..., head=..., content_dir=...)

JSON (`to_json`, schema 1): {"schema": 1, "base", "head", "content", "summary": {"entities",
"definition", "minor", "added", "removed", "renamed", "changed"}, "approvals": [{"approvers",
"default", "entities"}], "changes": [{"kind", "kind_label", "id", "name", "old_name", "change",
"impact", "file", "summary", "approvers", "default_approvers", "used_by": [{"relation", "kind",
"id", "name"}], "fields": [{"field", "label", "impact", "reader_visible", "old", "new", "before",
"after", "added", "removed", "summary"}]}]}; when the change touches the numbers, also "numbers":
{"results", "activity"} (counts), "results": [{"kpi", "name", "period", "change", "old", "new",
"old_note", "new_note", "sentence", "file", "impact", "approvers", "default_approvers"}] and
"activity": [{"step", "name", "date", "change", "note", "link", "sentence", "file", "impact",
"approvers", "default_approvers"}], and approvals name them `results:<kpi-id>`, `activity:<step-id>`.
"approvers" are always the BASE revision's (GitHub asks the base's CODEOWNERS); when the proposal
changes an entity's approvers, that change carries "proposed_approvers": {"approvers", "default"}
and the report "approver_changes": [{"entity", "from", "to"}] (a proposal the base's approvers decide on).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..content.schema import DEFINITION
from ..text import collapse, plural
from .compare import ChangeSet, EntityChange, FieldChange, UsedBy
from .numbers import NumbersChange, numbers_headline, sections

# --- shared pieces -----------------------------------------------------------------------------


def headline(changes: ChangeSet) -> str:
    numbers = numbers_headline(changes.numbers)
    if not changes.entities:
        return "No definitions changed; " + numbers
    return _entities_headline(changes) + (" " + numbers[:1].upper() + numbers[1:] if numbers else "")


def _entities_headline(changes: ChangeSet) -> str:
    definition, minor = len(changes.definition_changes), len(changes.minor_changes)
    parts = []
    if definition:
        parts.append(f"{definition} {'changes an agreed definition' if definition == 1 else 'change agreed definitions'}")
    if minor:
        parts.append(f"{minor} {'is' if minor == 1 else 'are'} minor (wording only)")
    return f"{plural(len(changes.entities), 'entity', 'entities')} changed: " + ", ".join(parts) + "."


_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def word_diff(old: str, new: str) -> list[tuple[str, str, bool]]:
    """(op, text, space before) runs of a word-level diff; op is "=", "-" or "+".

    Words and punctuation are compared one by one, so "(won + lost)" to "(won + lost + no decision)"
    is one insertion, not a changed word; the text of each run keeps its own spacing.
    """
    spans_a = [m.span() for m in _TOKEN_RE.finditer(old)]
    spans_b = [m.span() for m in _TOKEN_RE.finditer(new)]
    a, b = [old[i:j] for i, j in spans_a], [new[i:j] for i, j in spans_b]

    def run(op: str, text: str, spans: list[tuple[int, int]], first: int, last: int) -> tuple[str, str, bool]:
        start = spans[first][0]
        return (op, text[start : spans[last - 1][1]], start > 0 and text[start - 1].isspace())

    runs: list[tuple[str, str, bool]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(run("=", new, spans_b, j1, j2))
            continue
        if i2 > i1:
            runs.append(run("-", old, spans_a, i1, i2))
        if j2 > j1:
            runs.append(run("+", new, spans_b, j1, j2))
    return runs


def _join_runs(runs: list[tuple[str, str, bool]], keep: str, mark: Callable[[str, str], str]) -> str:
    """One side of a word diff as text: the equal runs and the `keep` runs ("-" or "+"), marked."""
    out = ""
    for op, text, space in runs:
        if op in ("=", keep):
            out += (" " if space and out else "") + mark(op, text)
    return out


def _approval_line(handles: tuple[str, ...], default: bool, code: Callable[[str], str]) -> str:
    if not handles:
        return "nobody is named (add `approvers` to the entity or to playbook.yml)"
    names = " or ".join(code(h) for h in handles) if len(handles) <= 2 else "one of " + ", ".join(code(h) for h in handles)
    return names + (" (the playbook's default approvers)" if default else "")


# Who must approve is the base revision's answer (GitHub asks the owners the base branch's CODEOWNERS
# names); approvers a proposal adds or removes are shown apart, as a change those approvers decide on.
_PROPOSED_APPROVERS = (
    "Proposed change of approvers (it takes effect only once merged: the approvers above decide on it, like any other change)"
)


def _approver_change(entity: EntityChange, code: Callable[[str], str]) -> str:
    after = entity.proposed_approvers or ((), False)
    return f"from {_approval_line(entity.approvers, entity.default_approvers, code)} to {_approval_line(*after, code)}"


def _group_refs(references: Iterable[UsedBy], escape: Callable[[str], str]) -> list[str]:
    groups: dict[str, list[str]] = {}
    for ref in references:
        groups.setdefault(ref.relation, []).append(escape(ref.name))
    return [f"{relation}: {', '.join(names)}" for relation, names in groups.items()]


def _what(entity: EntityChange) -> str:
    return {"added": "new", "removed": "removed"}.get(
        entity.change, "definition change" if entity.impact == DEFINITION else "minor"
    )


def _entity_label(entity: EntityChange | NumbersChange) -> str:
    return "KPI" if entity.kind == "kpi" else entity.kind_label[:1].upper() + entity.kind_label[1:]


@dataclass(frozen=True)
class _Row:
    """One line of an entity's details: `kind` is value | removed | added | words | reordered."""

    kind: str
    label: str
    before: str = ""
    after: str = ""


def _rows(entity: EntityChange, change: FieldChange) -> list[_Row]:
    """What the details show for one field change, whatever the markup."""
    if entity.change == "added":
        return [_Row("added", change.label, after=item) for item in change.added or (change.after,)]
    if change.added or change.removed:
        return [_Row("removed", change.label, before=item) for item in change.removed] + [
            _Row("added", change.label, after=item) for item in change.added
        ]
    if change.prose and change.before and change.after:
        return [_Row("words", change.label, change.before, change.after)]
    if not change.before and not change.after:
        return [_Row("reordered", change.label)]
    return [_Row("value", change.label, change.before, change.after)]


# --- Markdown for a pull-request comment ----------------------------------------------------------


# GitHub turns `@user` and `@org/team` in a comment into mentions and notifies them, and an email reply
# can quote a comment as plain text, where a code span no longer protects it. A zero-width space after
# every `@` of content text (written `&#8203;`, as Renovate does; Dependabot inserts the character)
# breaks every mention and reads the same (see `_NO_REFERENCE`). A text that is only handles (an `approvers` value) is shown as code instead.
_HANDLE = r"@[A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?|[^@\s`|<>&\\;,]+@[^@\s`|<>&\\;,]+\.[^@\s`|<>&\\;,]+"
_HANDLES = re.compile(rf"(?:{_HANDLE})(?:; (?:{_HANDLE}))*")
# GitHub also links `#123`, `owner/repo#123` and `GH-123` to issues and pull requests, and an address it
# autolinks (`https://…`, `www.…`), an issue's included, adds a "mentioned this" event to that issue. The
# same zero-width space breaks each of them, placed so that no joining of escaped pieces can make one:
# the word diff escapes each run of a changed text on its own and puts them side by side, so a `#` at
# the end of one run and `30` at the start of the next must not become `#30`. Hence after EVERY `#` and
# `@`, whatever follows; after `GH`, `www` and `:` when the next character is `-`, `.` or `/`, or when
# they end the piece (the next piece may start with it). No address of the content becomes a link.
_ZWSP = "&#8203;"
_NO_REFERENCE = re.compile(r"[#@]|\bGH(?=-|\Z)|\bwww(?=\.|\Z)|:(?=/|\Z)", re.IGNORECASE)


def _gfm(text: str, zwsp: str = _ZWSP) -> str:
    """Content as literal text in GitHub-flavoured Markdown (a comment, a table cell): no markup, no
    HTML, no mention, no issue reference or autolink, even when pieces of it are joined; handles
    (`@org/team`, `@user`, emails, as `approvers` hold them) as code. `zwsp` is what breaks a mention."""
    text = collapse(text)
    if _HANDLES.fullmatch(text):
        return "; ".join(_code(handle) for handle in text.split("; "))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Parentheses, `#`, `+` and `!` are only special at the start of a line or after `]`, which content never is.
    text = re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)
    # One pass, so the `#` of an inserted `&#8203;` is never itself matched.
    return _NO_REFERENCE.sub(lambda match: match[0] + zwsp, text)


def chat_text(text: str) -> str:
    """Content as literal text in Markdown for a chat channel or an email (`playbook publish`'s
    announcement): as in a pull-request comment, but a mention, `#123` or an address is broken by the
    zero-width space itself, since a chat client or a plain-text email shows `&#8203;` as it is."""
    return _gfm(text, "\u200b")


def _code(text: str) -> str:
    """Text as a code span (GitHub never makes a mention or a link inside one); as escaped text when it holds a backtick."""
    return f"`{text}`" if "`" not in text else _gfm(text)


def _md_entity(entity: EntityChange | NumbersChange) -> str:
    return f"{_entity_label(entity)} {_gfm(entity.title)}"


def _md_row(row: _Row, added_entity: bool) -> str:
    if added_entity:
        return f"| {_gfm(row.label)} | {_gfm(row.after)} |"
    if row.kind == "removed":
        return f"| {_gfm(row.label + ': removed')} | {_gfm(row.before)} | – |"
    if row.kind == "added":
        return f"| {_gfm(row.label + ': added')} | – | {_gfm(row.after)} |"
    if row.kind == "words":
        runs = word_diff(row.before, row.after)
        marks = {"=": "{}", "-": "~~{}~~", "+": "**{}**"}
        before = _join_runs(runs, "-", lambda op, text: marks[op].format(_gfm(text)))
        after = _join_runs(runs, "+", lambda op, text: marks[op].format(_gfm(text)))
        return f"| {_gfm(row.label)} | {before} | {after} |"
    if row.kind == "reordered":
        return f"| {_gfm(row.label)} |  | reordered |"
    return f"| {_gfm(row.label)} | {_gfm(row.before) or '–'} | {_gfm(row.after) or '–'} |"


def format_markdown(
    changes: ChangeSet,
    *,
    base: str | None = None,
    head: str | None = None,
    content_dir: str = "content",
    title: str = "Playbook change report",
) -> str:
    """A pull-request comment: the summary first, who must approve, then collapsible details."""
    out = [f"## {title}", ""]
    compared = (
        f"Comparing {_code(base)} with {head if head and head.startswith('the ') else _code(head or 'HEAD')}. " if base else ""
    )
    if changes.is_empty:
        out.append(f"{compared}No changes to the playbook's content.")
        return "\n".join(out) + "\n"
    out.append(compared + headline(changes))
    for heading, group in (
        ("Changes to agreed definitions", changes.definition_changes),
        ("Minor changes (wording only)", changes.minor_changes),
    ):
        if group:
            out += ["", f"### {heading}", ""]
            out += [f"- **{_md_entity(e)}**: {_gfm(e.summary)}" for e in group]
    for heading, items in sections(changes.numbers):
        out += ["", f"### {heading}", ""]
        out += [f"- {_gfm(item.sentence)}" for item in items[:MARKDOWN_ROWS]]
        out += _more(len(items), heading.lower())
    out += [
        "",
        "### Who must approve",
        "",
        "One approval from each line (from the `approvers` fields, as in `.github/CODEOWNERS`):",
        "",
    ]
    for handles, default, members in changes.approval_groups():
        out.append(f"- {_approval_line(handles, default, _code)}: {', '.join(_md_entity(e) for e in members)}")
    if proposals := changes.approver_changes():
        out += ["", f"{_PROPOSED_APPROVERS}:", ""]
        out += [f"- {_md_entity(e)}: {_approver_change(e, _code)}" for e in proposals]
    out += ["", "<details>", "<summary>Details: every field that changed, and what refers to it</summary>", ""]
    for _kind, heading, entities in changes.by_kind():
        out += [f"### {heading}", ""]
        for entity in entities:
            out += [f"#### {_gfm(entity.title)} ({_what(entity)})", ""]
            meta = [f"`{content_dir}/{entity.file}`"] if entity.file else []
            meta.append(f"id `{entity.id}`")
            if entity.old_name:
                meta.append(f"was {_gfm(entity.old_name)}")
            meta.append("approval: " + _approval_line(entity.approvers, entity.default_approvers, _code))
            if entity.proposed_approvers is not None:
                meta.append("proposed approvers: " + _approval_line(*entity.proposed_approvers, _code))
            out += [" · ".join(meta), ""]
            rows = [row for change in entity.fields for row in _rows(entity, change)]
            if rows:
                added = entity.change == "added"
                out += ["| field | value |", "| --- | --- |"] if added else ["| field | before | after |", "| --- | --- | --- |"]
                out += [_md_row(row, added) for row in rows]
                out.append("")
            if entity.used_by:
                prefix = "Was used by" if entity.change == "removed" else "Used by"
                out += [f"{prefix}: " + "; ".join(_group_refs(entity.used_by, _gfm)) + ".", ""]
    out += _md_numbers(changes.numbers, content_dir)
    out += ["</details>"]
    return "\n".join(out) + "\n"


def _numbers_rows(group: NumbersChange) -> list[tuple[str, str, str]]:
    """(period or date, before, after) of each change in a group, for the details."""
    if group.kind == "results":
        return [(item.period, item.before, item.after) for item in group.results]
    return [
        (item.date, item.what if item.change == "removed" else "", item.what if item.change == "added" else "")
        for item in group.activity
    ]


def _md_numbers(numbers: tuple[NumbersChange, ...], content_dir: str) -> list[str]:
    if not numbers:
        return []
    out = ["### Results and activity", ""]
    for group in numbers:
        what = group.kind  # results | activity | survey
        out += [f"#### {_gfm(group.title)} ({what})", ""]
        out += [
            f"`{content_dir}/{group.file}` · id `{group.id}` · approval: "
            + _approval_line(group.approvers, group.default_approvers, _code),
            "",
        ]
        first = {"results": "period", "survey": "round"}.get(group.kind, "date")
        out += [f"| {first} | before | after |", "| --- | --- | --- |"]
        rows = _numbers_rows(group)
        out += [f"| {when} | {_gfm(before) or '–'} | {_gfm(after) or '–'} |" for when, before, after in rows[:MARKDOWN_ROWS]]
        out += ["", *_more(len(rows), "changes in this file")] if len(rows) > MARKDOWN_ROWS else []
        out.append("")
    return out


# The Markdown report goes to a pull-request comment and the run's summary, which GitHub cuts at 65,536
# characters and 1 MiB: a year of daily results imported at once lists its first rows and counts the rest
# (the text and JSON reports, read locally, list every one).
MARKDOWN_ROWS = 50


def _more(count: int, what: str) -> list[str]:
    if count <= MARKDOWN_ROWS:
        return []
    return [f"- … and {count - MARKDOWN_ROWS:,} more {what}: `playbook diff` (text or `--format json`) lists every one."]


def _text_numbers(numbers: tuple[NumbersChange, ...], content_dir: str) -> list[str]:
    if not numbers:
        return []
    out = ["", "Results and activity"]
    for group in numbers:
        what = group.kind  # results | activity | survey
        out.append(f"  ~ {collapse(group.title)} [{group.id}] ({what})  {content_dir}/{group.file}")
        out += [
            f"      {when}: {collapse(before) or '(none)'} -> {collapse(after) or '(none)'}"
            for when, before, after in _numbers_rows(group)
        ]
    return out


# --- plain text for terminals ------------------------------------------------------------------


def _text_entity(entity: EntityChange | NumbersChange) -> str:
    return f"{_entity_label(entity)} {collapse(entity.title)}"


def _text_row(row: _Row) -> list[str]:
    if row.kind == "words":
        marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
        text = ""
        for op, run_text, space in word_diff(row.before, row.after):
            text += (" " if space and text else "") + marks[op].format(run_text)
        return [f"      {row.label}: {collapse(text)}"]
    if row.kind == "reordered":
        return [f"      {row.label}: reordered"]
    return [f"      {row.label}: {collapse(row.before) or '(none)'} -> {collapse(row.after) or '(none)'}"]


def _text_rows(entity: EntityChange) -> list[str]:
    out: list[str] = []
    for change in entity.fields:
        rows = _rows(entity, change)
        if entity.change == "added" and not change.added:
            out.append(f"      {change.label}: {collapse(change.after)}")
        elif rows[0].kind in ("added", "removed"):
            out.append(f"      {change.label}:")
            out += [f"        {'-' if r.kind == 'removed' else '+'} {collapse(r.before or r.after)}" for r in rows]
        else:
            out += _text_row(rows[0])
    return out


def format_text(changes: ChangeSet, *, base: str | None = None, head: str | None = None, content_dir: str = "content") -> str:
    """The report for a terminal: summary, approvals, then every field change."""
    out = []
    if base:
        out.append(f"Playbook changes from {base} to {head or 'HEAD'}")
    if changes.is_empty:
        out.append("No changes to the playbook's content.")
        return "\n".join(out) + "\n"
    out.append(headline(changes))
    for heading, group in (
        ("Changes to agreed definitions", changes.definition_changes),
        ("Minor changes (wording only)", changes.minor_changes),
    ):
        if group:
            out += ["", heading + ":"]
            out += [f"  * {_text_entity(e)}: {collapse(e.summary)}" for e in group]
    for heading, items in sections(changes.numbers):
        out += ["", heading + ":"]
        out += [f"  * {collapse(item.sentence)}" for item in items]
    out += ["", "Who must approve (one approval from each line):"]
    for handles, default, members in changes.approval_groups():
        out.append(f"  {_approval_line(handles, default, str)}: " + ", ".join(_text_entity(e) for e in members))
    if proposals := changes.approver_changes():
        out += ["", f"{_PROPOSED_APPROVERS}:"]
        out += [f"  {_text_entity(e)}: {_approver_change(e, str)}" for e in proposals]
    for _kind, heading, entities in changes.by_kind():
        out += ["", heading]
        for entity in entities:
            mark = {"added": "+", "removed": "-"}.get(entity.change, "~")
            where = f"  {content_dir}/{entity.file}" if entity.file else ""
            out.append(f"  {mark} {collapse(entity.title)} [{entity.id}] ({_what(entity)}){where}")
            out += _text_rows(entity)
            if entity.used_by:
                prefix = "was used by" if entity.change == "removed" else "used by"
                out.append(f"      {prefix}: " + "; ".join(_group_refs(entity.used_by, collapse)))
    out += _text_numbers(changes.numbers, content_dir)
    return "\n".join(out) + "\n"


# --- JSON for tools ------------------------------------------------------------------------------


def to_json(changes: ChangeSet, *, base: str | None = None, head: str | None = None, content_dir: str = "content") -> str:
    count = {kind: sum(e.change == kind for e in changes.entities) for kind in ("added", "removed", "renamed", "changed")}
    data: dict[str, Any] = {
        "schema": 1,
        "base": base,
        "head": head,
        "content": content_dir,
        "summary": {
            "entities": len(changes.entities),
            "definition": len(changes.definition_changes),
            "minor": len(changes.minor_changes),
            **count,
        },
        "approvals": [
            {"approvers": list(handles), "default": default, "entities": [f"{e.kind}:{e.id}" for e in entities]}
            for handles, default, entities in changes.approval_groups()
        ],
        "changes": [
            {
                "kind": e.kind,
                "kind_label": e.kind_label,
                "id": e.id,
                "name": e.name,
                "old_name": e.old_name,
                "change": e.change,
                "impact": e.impact,
                "file": e.file,
                "summary": e.summary,
                "approvers": list(e.approvers),
                "default_approvers": e.default_approvers,
                **_proposed_json(e),
                "used_by": [{"relation": r.relation, "kind": r.kind, "id": r.id, "name": r.name} for r in e.used_by],
                "fields": [
                    {
                        "field": f.field,
                        "label": f.label,
                        "impact": f.impact,
                        "reader_visible": f.reader_visible,
                        "old": f.old,
                        "new": f.new,
                        "before": f.before,
                        "after": f.after,
                        "added": list(f.added),
                        "removed": list(f.removed),
                        "summary": f.summary,
                    }
                    for f in e.fields
                ],
            }
            for e in changes.entities
        ],
    }
    if changes.numbers:  # only then: a report without them is what it always was
        data.update(_numbers_json(changes))
    if proposals := changes.approver_changes():  # likewise
        data["approver_changes"] = [
            {
                "entity": f"{e.kind}:{e.id}",
                "from": {"approvers": list(e.approvers), "default": e.default_approvers},
                **_proposed_json(e, "to"),
            }
            for e in proposals
        ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _proposed_json(entity: EntityChange, key: str = "proposed_approvers") -> dict[str, Any]:
    """{key: {"approvers", "default"}} when the proposal changes the entity's approvers, else {}."""
    if entity.proposed_approvers is None:
        return {}
    handles, default = entity.proposed_approvers
    return {key: {"approvers": list(handles), "default": default}}


def _numbers_json(changes: ChangeSet) -> dict[str, Any]:
    results = [
        {
            "kpi": group.id,
            "name": item.name,
            "period": item.period,
            "change": item.change,
            "old": item.old,
            "new": item.new,
            "old_note": item.old_note,
            "new_note": item.new_note,
            "sentence": item.sentence,
            "file": group.file,
            "impact": group.impact,
            "approvers": list(group.approvers),
            "default_approvers": group.default_approvers,
        }
        for group in changes.numbers
        for item in group.results
    ]
    activity = [
        {
            "step": group.id,
            "name": item.name,
            "date": item.date,
            "change": item.change,
            "note": item.note,
            "link": item.link,
            "sentence": item.sentence,
            "file": group.file,
            "impact": group.impact,
            "approvers": list(group.approvers),
            "default_approvers": group.default_approvers,
        }
        for group in changes.numbers
        if group.kind == "activity"
        for item in group.activity
    ]
    survey = [
        {"round": group.id, "change": item.change, "sentence": item.note, "file": group.file, "impact": group.impact}
        for group in changes.numbers
        if group.kind == "survey"
        for item in group.activity
    ]
    counts = {"results": len(results), "activity": len(activity)}
    found: dict[str, Any] = {"numbers": counts, "results": results, "activity": activity}
    if survey:  # only then: a report without a round is what it always was
        found["survey"] = survey
        counts["survey"] = len(survey)
    return found
