"""The alignment self-assessment: what the browser needs to score the form (site/assets/playbook.js).

The form itself is the template `templates/_assessment.html.j2`. Its DOM contract (the browser tests
rely on it): `#pb_self_assessment`; per statement a `fieldset[data-question=<id>]` with five radios
`name="pb-q-<id>"` valued 1..5, each in a `<label>`; the result in `#pb_assessment_result`
(aria-live), which gets `data-stage`. The ids hold an underscore, which no content id can, so no
section of the page can take them over.
"""

from __future__ import annotations

import json
from typing import Any

from ..content.markup import plain_text
from ..content.schema import Playbook
from ..content.survey_numbers import public_rounds

SCALE = ("strongly disagree", "disagree", "neither", "agree", "strongly agree")


def script_json(value: Any) -> str:
    """JSON with no `<`, `>` or `&` (written as \\u003c, \\u003e, \\u0026): unchanged by HTML parsers
    that unescape entities in an attribute, and safe inside a `<script>` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def assessment_data(playbook: Playbook) -> dict[str, Any]:
    """The bands, stages and next steps, as plain text: the script inserts them with textContent."""
    alignment = playbook.alignment
    stages = {stage.id: stage for stage in alignment.stages}

    def reference(stage_id: str | None) -> dict[str, str] | None:
        if stage_id is None or stage_id not in stages:
            return None
        return {"id": stage_id, "name": plain_text(stages[stage_id].name)}

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
        "current": reference(_current(playbook)),
        "target": reference(playbook.meta.alignment.target),
    }


def _current(playbook: Playbook) -> str | None:
    """Where the teams stand: the latest survey round's stage when there is one, else the hand-typed `current`."""
    views = public_rounds(playbook)
    overall = views[-1].overall if views else None
    return overall.stage if overall is not None and overall.stage else playbook.meta.alignment.current


def assessment_json(playbook: Playbook) -> str:
    # In an attribute of the form, not a <script type="application/json">: Material's instant
    # navigation re-runs every <script> in the page content as JavaScript, which breaks on JSON.
    return script_json(assessment_data(playbook))
