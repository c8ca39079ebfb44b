"""HTML-producing views placed in the Markdown pages: the self-assessment form,
the onboarding checklist and the site-wide abbreviation definitions.

Content lands here inside HTML, so it is reduced to plain text and escaped
for HTML (never passed through); JSON for scripts is escaped so that it
cannot close its `<script>` element.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

from .model import Playbook, Role

_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def plain_text(text: str) -> str:
    """Inline Markdown reduced to its words: links keep their label, emphasis marks go."""
    text = " ".join(str(text).split())
    text = _LINK.sub(lambda m: m.group(1), text)
    return _EMPHASIS.sub(lambda m: m.group(2), text)


def script_json(value: Any) -> str:
    """JSON safe inside a `<script type="application/json">` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace("\u2028", "\\u2028")


SCALE = ("strongly disagree", "disagree", "neither", "agree", "strongly agree")


def self_assessment_html(playbook: Playbook) -> str:
    """The diagnostic as a form scored in the browser (generator/assets/playbook.js)."""
    alignment = playbook.alignment
    lines = ['<form id="pb-self-assessment" class="pb-assessment" novalidate>']
    for number, question in enumerate(alignment.questions, start=1):
        qid = escape(question.id)
        theme = f' <span class="pb-assessment__theme">({escape(plain_text(question.theme))})</span>' if question.theme else ""
        lines.append(
            f'<fieldset data-question="{qid}"><legend><span class="pb-assessment__number">{number}.</span> '
            f'{escape(plain_text(question.text))}{theme}</legend><div class="pb-assessment__scale">'
        )
        lines.append(
            "".join(
                f'<label><input type="radio" name="pb-q-{qid}" value="{score}"> <span class="pb-assessment__score">{score}</span> '
                f'<span class="pb-assessment__word">{label}</span></label>'
                for score, label in enumerate(SCALE, start=1)
            )
        )
        lines.append("</div></fieldset>")
    count = len(alignment.questions)
    lines.append(
        f'<div id="pb-assessment-result" class="pb-assessment__result" aria-live="polite">'
        f"Answer all {count} statements to see your stage.</div>"
    )
    lines.append("</form>")
    stages = {stage.id: stage for stage in alignment.stages}
    data = {
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
    lines.append(f'<script type="application/json" id="pb-assessment-data">{script_json(data)}</script>')
    return "\n".join(lines)


def _stage_ref(stages: dict[str, Any], stage_id: str | None) -> dict[str, str] | None:
    if stage_id is None or stage_id not in stages:
        return None
    return {"id": stage_id, "name": plain_text(stages[stage_id].name)}


def onboarding_html(role: Role) -> str:
    """The onboarding steps as a printable checklist; ticks persist in the reader's browser."""
    items = "".join(
        f'<li><label><input type="checkbox" data-pb-onboarding="{escape(role.id)}:{index}"> '
        f"{escape(plain_text(step))}</label></li>"
        for index, step in enumerate(role.onboarding, start=1)
    )
    return f'<ul class="pb-onboarding" data-pb-role="{escape(role.id)}">{items}</ul>'


_ABBREVIATION_OK = re.compile(r"^[^\[\]\\\n]{1,40}$")


def abbreviations(playbook: Playbook) -> dict[str, tuple[str, str, str]]:
    """{abbreviation: (kind, id, tooltip)} for every abbreviation defined in the content."""
    found: dict[str, tuple[str, str, str]] = {}
    for kind in ("role", "lead", "kpi", "term"):
        for entity in playbook.collection(kind).values():
            short = entity.abbreviation
            if not short or not _ABBREVIATION_OK.match(short):
                continue
            name = entity.term if kind == "term" else entity.name
            about = entity.summary if kind == "role" else entity.definition
            tooltip = f"{plain_text(name)}: {plain_text(about)}"
            if len(tooltip) > 220:
                tooltip = tooltip[:217].rsplit(" ", 1)[0] + "..."
            found[short] = (kind, entity.id, tooltip)
    return found


def abbreviation_definitions(playbook: Playbook) -> str:
    """Python-Markdown `abbr` definitions appended to every generated page."""
    return "".join(f"\n*[{short}]: {tooltip}" for short, (_k, _i, tooltip) in abbreviations(playbook).items())
