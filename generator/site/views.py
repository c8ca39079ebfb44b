"""HTML-producing views placed in the Markdown pages: the self-assessment form,
the onboarding checklist and the site-wide abbreviation definitions.

The form and the checklist are HTML blocks with Python-Markdown's `md_in_html`
(`markdown="span"`), so the content inside them is still Markdown: escaped by
`render.inline_markdown` like any other text, its links resolved and rewritten
by MkDocs, its abbreviations given their tooltips. Only the structure around it
is HTML, and every value placed in an attribute is escaped for HTML. Text that
scripts read (the assessment's bands and next steps) is plain text in JSON,
escaped so that no HTML parser can read markup or entities into it.
"""

from __future__ import annotations

import hashlib
import json
import re
from html import escape, unescape
from typing import Any

from ..content.kinds import ABBREVIATED
from ..content.markup import LINK_RE
from ..content.schema import Playbook, Role
from .inline import inline_markdown

_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")


def plain_text(text: str) -> str:
    """Inline Markdown reduced to its words: links keep their label, emphasis marks and escapes go."""
    text = " ".join(str(text).split())
    text = LINK_RE.sub(lambda m: m.group(1), text)
    text = _EMPHASIS.sub(lambda m: m.group(2), text)
    return _MARKDOWN_ESCAPE.sub(r"\1", text)


def script_json(value: Any) -> str:
    """JSON with no `<`, `>` or `&` (written as \\u003c, \\u003e, \\u0026): safe inside a `<script>`
    element, and unchanged by HTML parsers that unescape entities in an attribute."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _inline(text: str, page_path: str) -> str:
    return inline_markdown(text, page_path)


# --- the alignment self-assessment ------------------------------------------------------------

SCALE = ("strongly disagree", "disagree", "neither", "agree", "strongly agree")


def self_assessment_html(playbook: Playbook, page_path: str) -> str:
    """The diagnostic as a form scored in the browser (generator/assets/playbook.js).

    DOM contract (browser tests rely on it): `#pb-self-assessment`; per statement a
    `fieldset[data-question=<id>]` with five radios `name="pb-q-<id>"` valued 1..5, each in a
    `<label>`; the result in `#pb-assessment-result` (aria-live), which gets `data-stage`.
    """
    alignment = playbook.alignment
    count = len(alignment.questions)
    # The bands, stages and next steps travel as JSON in an attribute of the form, not in a
    # <script type="application/json">: Material's instant navigation re-runs every <script> in the
    # page content as JavaScript (dropping its type and id), which breaks on JSON and loses the data.
    data = escape(script_json(assessment_data(playbook)), quote=True)
    lines = [
        '<form id="pb-self-assessment" class="pb-assessment" novalidate markdown="1"'
        f' aria-describedby="pb-assessment-how" data-questions="{count}" data-pb-assessment="{data}">',
        f'<p id="pb-assessment-how" class="pb-assessment__how">Answer each of the {count} statements from'
        " 1 (strongly disagree) to 5 (strongly agree). Your answers stay in this page: nothing is sent anywhere.</p>",
    ]
    for number, question in enumerate(alignment.questions, start=1):
        qid = escape(question.id)
        theme = f' <span class="pb-assessment__theme">({_inline(question.theme, page_path)})</span>' if question.theme else ""
        lines.append(f'<fieldset data-question="{qid}" markdown="1">')
        lines.append(
            f'<legend markdown="span"><span class="pb-assessment__number">{number}.</span> '
            f"{_inline(question.text, page_path)}{theme}</legend>"
        )
        lines.append(
            '<div class="pb-assessment__scale">'
            + "".join(
                f'<label><input type="radio" name="pb-q-{qid}" value="{score}"> <span class="pb-assessment__score">{score}</span>'
                f' <span class="pb-assessment__word">{label}</span></label>'
                for score, label in enumerate(SCALE, start=1)
            )
            + "</div>"
        )
        lines.append("</fieldset>")
    lines.append(
        '<div id="pb-assessment-result" class="pb-assessment__result" aria-live="polite">'
        f"<p>Answer all {count} statements to see your stage.</p></div>"
    )
    lines.append('<p class="pb-assessment__actions"><button type="reset" class="md-button">Clear my answers</button></p>')
    lines.append("</form>")
    return "\n".join(lines)


def assessment_data(playbook: Playbook) -> dict[str, Any]:
    """What the browser needs to score the form: the bands, stages and next steps, as plain text."""
    alignment = playbook.alignment
    stages = {stage.id: stage for stage in alignment.stages}
    return {
        "questions": [q.id for q in alignment.questions],
        "stages": [
            {
                "id": stage.id,
                "name": plain_text(stage.name),
                "low": stage.score[0],
                "high": stage.score[1],
                "description": plain_text(stage.description),
                "next_steps": [plain_text(step) for step in stage.next_steps],
            }
            for stage in alignment.stages
        ],
        "current": _stage_ref(stages, playbook.meta.alignment.current),
        "target": _stage_ref(stages, playbook.meta.alignment.target),
    }


def _stage_ref(stages: dict[str, Any], stage_id: str | None) -> dict[str, str] | None:
    if stage_id is None or stage_id not in stages:
        return None
    return {"id": stage_id, "name": plain_text(stages[stage_id].name)}


# --- the onboarding checklist ----------------------------------------------------------------


def _short_hash(text: str, length: int = 10) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def site_key(playbook: Playbook) -> str:
    """Tells two playbooks apart on one host; the same across published versions of one playbook."""
    return _short_hash(f"{playbook.meta.organization}\n{playbook.meta.title}", 8)


def onboarding_keys(playbook: Playbook, role: Role) -> list[str]:
    """A storage key per onboarding step: site, role and a hash of the step's text.

    Keyed by text, not position, so reordering the steps keeps the reader's ticks and rewording a
    step clears its tick (it is a different step now). A repeated step gets a numbered key.
    """
    site = site_key(playbook)
    keys: list[str] = []
    for step in role.onboarding:
        key = f"{site}/{role.id}/{_short_hash(' '.join(step.split()))}"
        repeat = sum(1 for existing in keys if existing == key or existing.startswith(key + "-"))
        keys.append(f"{key}-{repeat + 1}" if repeat else key)
    return keys


def onboarding_html(playbook: Playbook, role: Role, page_path: str) -> str:
    """The onboarding steps as a printable checklist; ticks persist in the reader's browser."""
    items = [
        f'<li markdown="span"><label><input type="checkbox" data-pb-onboarding="{escape(key)}"> '
        f'<span class="pb-onboarding__text">{_inline(step, page_path)}</span></label></li>'
        for key, step in zip(onboarding_keys(playbook, role), role.onboarding, strict=True)
    ]
    return "\n".join([f'<ul class="pb-onboarding" data-pb-role="{escape(role.id)}" markdown="1">', *items, "</ul>"])


# --- abbreviations ------------------------------------------------------------------------------

# Python-Markdown's `*[ABBR]: title` cannot hold `]` or a backslash in ABBR, and its `abbr` extension
# never sees `&`, `<` or `>` in text (they are stashed as entities first): such abbreviations (R&D, P&L)
# are marked in the HTML by `mark_abbreviations` instead.
_ABBREVIATION_OK = re.compile(r"^[^\[\]\\\n&<>]{1,40}$")
TOOLTIP_LENGTH = 220


def abbreviations(playbook: Playbook) -> dict[str, tuple[str, str, str]]:
    """{abbreviation: (kind, id, tooltip)} for every abbreviation in the content, and its plural.

    The tooltip starts with the full name ("Marketing Qualified Lead: A lead that ..."). A plural
    written with a lower-case s (MQLs) is matched too, as abbreviations are matched as whole words.
    """
    found: dict[str, tuple[str, str, str]] = {}
    for kind in ABBREVIATED:
        for entity in playbook.collection(kind).values():
            short = " ".join(str(entity.abbreviation or "").split())
            if not short or len(short) > 40:
                continue
            name = entity.term if kind == "term" else entity.name
            about = entity.summary if kind == "role" else entity.definition
            tooltip = f"{plain_text(name)}: {plain_text(about)}"
            if len(tooltip) > TOOLTIP_LENGTH:
                tooltip = tooltip[: TOOLTIP_LENGTH - 3].rsplit(" ", 1)[0] + "..."
            found[short] = (kind, entity.id, tooltip)
    taken = {short.lower() for short in found}
    plurals = {
        short + "s": value for short, value in found.items() if short[-1:].isupper() and (short + "s").lower() not in taken
    }
    return {**found, **plurals}


def markdown_can_mark(short: str) -> bool:
    """Whether Python-Markdown's `abbr` extension can find this abbreviation in text."""
    return bool(_ABBREVIATION_OK.match(short))


def abbreviation_definitions(playbook: Playbook) -> str:
    """Python-Markdown `abbr` definitions, appended to every page (any engine with `abbr` uses them)."""
    return "".join(
        f"\n*[{short}]: {tooltip}" for short, (_k, _i, tooltip) in abbreviations(playbook).items() if markdown_can_mark(short)
    )


# Tokens of the HTML of a page's content: an <abbr> made by the `abbr` extension, a tag, or text.
_TOKENS = re.compile(r'<abbr title="[^"<>]*">[^<]*</abbr>|<[^>]*>|[^<]+')
_ABBR = re.compile(r'<abbr title="[^"<>]*">([^<]*)</abbr>')
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
# Text inside these is never marked; inside the second set an abbreviation gets its tooltip but no
# link: no link in a link, none in a heading (its own definition's heading, or a heading that is a
# link target itself), none in the self-assessment form (a click would leave the page and lose the
# answers).
_NO_MARK = frozenset({"code", "pre", "kbd", "samp", "script", "style", "svg", "textarea", "title"})
_NO_LINK = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "form"})


def mark_abbreviations(html: str, hrefs: dict[str, str], tooltips: dict[str, str]) -> str:
    """Link every `<abbr>` in running text to its definition (`hrefs`: abbreviation -> URL relative
    to the page), and mark the abbreviations the `abbr` extension cannot see (`tooltips`)."""
    extra = sorted((short for short in tooltips if not markdown_can_mark(short)), key=len, reverse=True)
    pattern = (
        re.compile(r"(?<![\w&])(" + "|".join(re.escape(escape(short, quote=False)) for short in extra) + r")(?!\w)")
        if extra
        else None
    )
    by_html = {escape(short, quote=False): short for short in extra}
    depth: dict[str, int] = {}
    out: list[str] = []

    def linked(short: str, element: str) -> str:
        if short in hrefs and not any(depth.get(name) for name in _NO_LINK):
            return f'<a class="pb-abbr" href="{escape(hrefs[short])}">{element}</a>'
        return element

    def mark(match: re.Match[str]) -> str:
        short = by_html[match.group(1)]
        return linked(short, f'<abbr title="{escape(tooltips[short])}">{match.group(1)}</abbr>')

    for token in _TOKENS.findall(html):
        if token.startswith("<abbr "):
            abbr = _ABBR.match(token)
            short = unescape(abbr.group(1)) if abbr else ""
            out.append(linked(short, token) if not any(depth.get(name) for name in _NO_MARK) else token)
        elif token.startswith("<"):
            tag = _TAG.match(token)
            if tag and not token.endswith("/>"):
                name = tag.group(2).lower()
                if name in _NO_MARK or name in _NO_LINK:
                    depth[name] = max(0, depth.get(name, 0) + (-1 if tag.group(1) else 1))
            out.append(token)
        elif pattern is not None and not any(depth.get(name) for name in _NO_MARK):
            out.append(pattern.sub(mark, token))
        else:
            out.append(token)
    return "".join(out)
