"""The lead lifecycle as one server-side SVG: no script, no network, prints well.

Stages run top to bottom in funnel order, each box narrower than the one
above, coloured by the function of the owning role (with the function's name
in the box, so colour is never the only cue). Hand-offs with their SLA sit
between the boxes; recycle paths are drawn on the right.
"""

from __future__ import annotations

from html import escape

from .model import Playbook
from .render import FUNCTION_LABELS, format_number

COLOURS = {  # fill, stroke: readable in print and for common colour-vision deficiencies
    "marketing": ("#e3f2fd", "#1565c0"),
    "sales": ("#fff3e0", "#e65100"),
    "customer-success": ("#e8f5e9", "#2e7d32"),
    "revenue-operations": ("#f3e5f5", "#6a1b9a"),
    "leadership": ("#eceff1", "#37474f"),
}
BOX_HEIGHT = 58
GAP = 44
TOP = 10
WIDTH = 760
MAX_BOX = 520
MIN_BOX = 300
CENTRE = 330


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def funnel_svg(playbook: Playbook) -> str:
    """The funnel as an inline `<svg>` element, on one line group with no blank lines (a Markdown HTML block)."""
    stages = list(playbook.leads.values())
    if not stages:
        return ""
    count = len(stages)
    step = (MAX_BOX - MIN_BOX) / max(count - 1, 1)
    position = {lead.id: index for index, lead in enumerate(stages)}
    used_functions: list[str] = []  # in order of first appearance, for the legend
    parts: list[str] = []
    recycle_x = CENTRE + MAX_BOX / 2 + 30
    for index, lead in enumerate(stages):
        owner = playbook.roles.get(lead.owner)
        function = owner.function if owner else "leadership"
        if function not in used_functions:
            used_functions.append(function)
        fill, stroke = COLOURS[function]
        width = MAX_BOX - step * index
        x = CENTRE - width / 2
        y = TOP + index * (BOX_HEIGHT + GAP)
        label = f"{lead.order}. {lead.name}" + (f" ({lead.abbreviation})" if lead.abbreviation else "")
        owner_name = owner.name if owner else lead.owner
        parts.append(
            f'<g class="pb-funnel__stage" data-stage="{_text(lead.id)}">'
            f"<title>{_text(label)}: owned by {_text(owner_name)}</title>"
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BOX_HEIGHT}" rx="8" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
            f'<text x="{CENTRE}" y="{y + 24}" text-anchor="middle" font-weight="700" font-size="15" fill="#1a1a1a">{_text(label)}</text>'
            f'<text x="{CENTRE}" y="{y + 44}" text-anchor="middle" font-size="12" fill="#1a1a1a">'
            f"{_text(owner_name)} · {_text(FUNCTION_LABELS[function])}</text></g>"
        )
        if index + 1 < count:
            arrow_top, arrow_bottom = y + BOX_HEIGHT, y + BOX_HEIGHT + GAP
            parts.append(
                f'<line x1="{CENTRE}" y1="{arrow_top + 2}" x2="{CENTRE}" y2="{arrow_bottom - 4}" '
                'stroke="#455a64" stroke-width="2" marker-end="url(#pb-arrow)"/>'
            )
            if lead.handoff:
                receiver = playbook.roles.get(lead.handoff.to)
                receiver_name = receiver.name if receiver else lead.handoff.to
                parts.append(
                    f'<text x="{CENTRE - 10}" y="{arrow_top + GAP / 2 - 2}" text-anchor="end" font-size="12" class="pb-funnel__handoff">'
                    f'<tspan x="{CENTRE - 10}">hand-off to {_text(receiver_name)}</tspan>'
                    f'<tspan x="{CENTRE - 10}" dy="14">within {_text(format_number(lead.handoff.sla_hours))} h</tspan></text>'
                )
        elif lead.handoff:
            receiver = playbook.roles.get(lead.handoff.to)
            parts.append(
                f'<text x="{CENTRE}" y="{y + BOX_HEIGHT + 20}" text-anchor="middle" font-size="12" class="pb-funnel__handoff">'
                f"hand-off to {_text(receiver.name if receiver else lead.handoff.to)} within "
                f"{_text(format_number(lead.handoff.sla_hours))} h</text>"
            )
        if lead.recycle_to and lead.recycle_to in position:
            target = position[lead.recycle_to]
            y_from = y + BOX_HEIGHT / 2
            y_to = TOP + target * (BOX_HEIGHT + GAP) + BOX_HEIGHT / 2
            x_from = CENTRE + width / 2
            x_to = CENTRE + (MAX_BOX - step * target) / 2
            lane = recycle_x + 14 * (index % 4)
            parts.append(
                f'<path d="M{x_from:.1f},{y_from} H{lane:.1f} V{y_to} H{x_to + 4:.1f}" fill="none" stroke="#8d6e63" '
                'stroke-width="1.5" stroke-dasharray="5 4" marker-end="url(#pb-arrow-recycle)"/>'
                f'<text x="{lane + 6:.1f}" y="{(y_from + y_to) / 2:.1f}" font-size="11" fill="#5d4037">recycle</text>'
            )
    height = TOP + count * (BOX_HEIGHT + GAP) - GAP + 30
    legend_y = height
    legend = []
    for index, used in enumerate(used_functions):
        fill, stroke = COLOURS[used]
        x = 10 + index * 150
        legend.append(
            f'<rect x="{x}" y="{legend_y}" width="16" height="16" rx="3" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
            f'<text x="{x + 22}" y="{legend_y + 13}" font-size="12">{_text(FUNCTION_LABELS[used])}</text>'
        )
    total_height = legend_y + 30
    description = ", then ".join(lead.name for lead in stages)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total_height}" width="100%" '
        f'role="img" aria-labelledby="pb-funnel-title" font-family="system-ui, sans-serif" fill="currentColor">'
        f'<title id="pb-funnel-title">The lead lifecycle: {_text(description)}</title>'
        "<defs>"
        '<marker id="pb-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#455a64"/></marker>'
        '<marker id="pb-arrow-recycle" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8d6e63"/></marker>'
        "</defs>" + "".join(parts) + "".join(legend) + "</svg>"
    )
