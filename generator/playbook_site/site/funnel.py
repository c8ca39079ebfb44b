"""The lead lifecycle as one server-side SVG: no script, no network, prints well.

Stages run top to bottom in funnel order, each box narrower than the one above,
coloured by the function of the owning role, with the owner and the function
written in the box, so colour is never the only cue. Hand-offs and their time
limits label the arrows between the boxes; recycle paths are dashed arrows on
the right, each in its own lane and labelled with where it goes. Text never
comes from a font measurement (there is none on the server): widths are
estimated generously, long names wrap, and a line that still does not fit is
squeezed to its box with `textLength`.

Every piece of content is XML-escaped; the SVG refers to nothing outside itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from ..content.health import HandoffCompliance
from ..content.markup import plain_text
from ..content.schema import LeadStage, Playbook
from ..text import format_number
from . import palette


def colours(playbook: Playbook) -> dict[str, tuple[str, str]]:
    """(fill, stroke) of each of the playbook's functions: a function without a colour of its own
    gets one told apart from every other function's (`palette.function_colours`)."""
    functions = list(playbook.functions().values())
    strokes = palette.function_colours([function.colour for function in functions])
    return {function.id: (palette.tint(stroke), stroke) for function, stroke in zip(functions, strokes, strict=True)}


ARROW = "#455a64"
RECYCLE = "#8d6e63"
RECYCLE_TEXT = "#5d4037"
TEXT = "#1a1a1a"

LEFT = 8  # margin
CENTRE = 320  # the boxes' centre line; hand-off labels sit left of it
MAX_BOX = 480
MIN_BOX = 290
PAD = 12  # inside a box, left and right
TITLE_SIZE, TITLE_LINE = 15, 19
OWNER_SIZE, OWNER_LINE = 12, 16
NOTE_SIZE, NOTE_LINE = 12, 14
RECYCLE_SIZE, RECYCLE_LINE = 11, 13
MIN_GAP = 40
LANE_STEP = 16
RECYCLE_LABEL_MAX = 190


def _x(value: object) -> str:
    """Text or attribute value, escaped for XML."""
    return escape(str(value), quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# --- text measurement (an estimate: there is no font on the server) -----------------------------

_NARROW = set("ilIjtfr.,:;'|!()[]{} ")
_WIDE = set("MWmw@%&")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the rendered width in a sans-serif font (within a few per cent of
    DejaVu Sans for Latin text; macOS and Windows system fonts are narrower)."""
    units = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            units += 1.0
        elif char in _NARROW:
            units += 0.34
        elif char in _WIDE:
            units += 0.95
        elif char.isupper() or char.isdigit():
            units += 0.68
        else:
            units += 0.6
    # Calibrated on DejaVu Sans, the widest common fallback, plus a margin of 6 %.
    return units * size * (1.12 if bold else 1.0) * 1.06


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to `width`; a single word longer than the width stays on its own line."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines


def _text_lines(lines: list[str], x: float, y: float, size: float, line_height: float, width: float, **attributes: str) -> str:
    """`<text>` with one `<tspan>` a line; a line wider than `width` is squeezed to fit."""
    extra = "".join(f' {name.rstrip("_").replace("_", "-")}="{_x(value)}"' for name, value in attributes.items())
    spans = []
    for index, line in enumerate(lines):
        fit = ""
        if text_width(line, size, attributes.get("font_weight") == "700") > width:
            fit = f' textLength="{_n(width)}" lengthAdjust="spacingAndGlyphs"'
        spans.append(f'<tspan x="{_n(x)}" y="{_n(y + index * line_height)}"{fit}>{_x(line)}</tspan>')
    return f'<text font-size="{_n(size)}"{extra}>{"".join(spans)}</text>'


# --- layout ---------------------------------------------------------------------------------


@dataclass
class _Box:
    lead: LeadStage
    index: int
    width: float
    function: str
    owner_name: str
    title_lines: list[str]
    owner_lines: list[str]
    top: float = 0.0
    height: float = 0.0
    attach: list[tuple[str, int]] = field(default_factory=list)  # ("out" | "in", edge index), top to bottom
    attach_y: dict[tuple[str, int], float] = field(default_factory=dict)

    @property
    def left(self) -> float:
        return CENTRE - self.width / 2

    @property
    def right(self) -> float:
        return CENTRE + self.width / 2


@dataclass
class _Recycle:
    source: int
    target: int
    label_lines: list[str]
    lane: int = 0


def _short_name(lead: LeadStage) -> str:
    return plain_text(lead.abbreviation or lead.name)


def _assign_lanes(edges: list[_Recycle]) -> None:
    """Shorter paths on inner lanes; paths whose spans touch never share a lane."""
    taken: list[list[tuple[int, int]]] = []
    for edge in sorted(edges, key=lambda e: (abs(e.source - e.target), min(e.source, e.target))):
        low, high = sorted((edge.source, edge.target))
        for lane, spans in enumerate(taken):
            if all(high < a or low > b for a, b in spans):
                edge.lane = lane
                spans.append((low, high))
                break
        else:
            edge.lane = len(taken)
            taken.append([(low, high)])


def _attach_order(index: int, item: tuple[str, int], recycles: list[_Recycle]) -> tuple[int, int]:
    """Where a path meets a box, top to bottom, so that no path crosses another one's lane there.

    Paths that leave upwards attach above those that leave downwards; among upward paths the inner
    lanes attach higher, among downward paths the outer lanes do.
    """
    kind, number = item
    edge = recycles[number]
    other = edge.target if kind == "out" else edge.source
    upwards = other < index or (other == index and kind == "out")
    return (0, edge.lane) if upwards else (1, -edge.lane)


def _owner_lines(owner_name: str, function_label: str, width: float) -> list[str]:
    """ "Owner · Function" on one line when it fits, else the function on a line of its own."""
    together = f"{owner_name} · {function_label}"
    if text_width(together, OWNER_SIZE) <= width:
        return [together]
    return [*wrap(owner_name, width, OWNER_SIZE), function_label]


def _handoff_lines(playbook: Playbook, lead: LeadStage) -> list[str]:
    assert lead.handoff is not None
    receiver = playbook.roles.get(lead.handoff.to)
    name = plain_text(receiver.name if receiver else lead.handoff.to)
    lines = wrap(f"hand-off to {name}", CENTRE - LEFT - 14, NOTE_SIZE)
    return [*lines, f"within {format_number(lead.handoff.sla_hours)} h"]


def _compliance_lines(measures: Sequence[HandoffCompliance], playbook: Playbook) -> list[str]:
    """Under a hand-off's time limit, how the latest result keeps it, one KPI after the other, each
    on two lines: "Lead response time, 2026-W47:" then "3.6 h, within the SLA" (or "30 h, 6 h over
    the SLA"; for a share, "92% within the SLA (target 95%)")."""
    lines: list[str] = []
    for measure in measures:
        kpi = playbook.kpis[measure.kpi_id]
        name = plain_text(kpi.abbreviation or kpi.name)
        value = format_number(measure.latest.value)
        if measure.measure == "hours":
            over = format_number(measure.latest.value - measure.sla_hours)
            said = f"{value} h, within the SLA" if measure.within else f"{value} h, {over} h over the SLA"
        else:
            target = f" (target {format_number(measure.health.target)}%)" if measure.health.target is not None else ""
            said = f"{value}% within the SLA{target}"
        lines += wrap(f"{name}, {measure.latest.period.text}:", CENTRE - LEFT - 14, NOTE_SIZE)
        lines += wrap(said, CENTRE - LEFT - 14, NOTE_SIZE)
    return lines


@dataclass
class _Layout:
    """Where everything of the funnel goes: the boxes top to bottom, the recycle paths in their lanes,
    each hand-off's label (and how it keeps its SLA), and the drawing's width."""

    playbook: Playbook
    stages: list[LeadStage]
    palette: dict[str, tuple[str, str]]
    function_names: dict[str, str]
    boxes: list[_Box]
    recycles: list[_Recycle]
    handoffs: dict[int, list[str]]  # box index -> "hand-off to X" lines, then "within N h"
    measured: dict[int, list[str]]  # box index -> the SLA compliance lines under the time limit
    sentences: dict[int, list[str]]  # box index -> the compliance in words, for the title and description
    width: float = 0.0
    lanes_start: float = 0.0

    @property
    def position(self) -> dict[str, int]:
        return {lead.id: index for index, lead in enumerate(self.stages)}


def _boxes(playbook: Playbook, stages: list[LeadStage], palette: dict[str, tuple[str, str]], names: dict[str, str]) -> list[_Box]:
    """One box a stage, each narrower than the one above, its title and owner wrapped to fit."""
    step = (MAX_BOX - MIN_BOX) / max(len(stages) - 1, 1)
    boxes: list[_Box] = []
    for index, lead in enumerate(stages):
        owner = playbook.roles.get(lead.owner)
        function = owner.function if owner and owner.function in palette else next(iter(palette))
        width = MAX_BOX - step * index
        title = f"{lead.order}. {plain_text(lead.name)}" + (f" ({plain_text(lead.abbreviation)})" if lead.abbreviation else "")
        owner_name = plain_text(owner.name) if owner else lead.owner
        inner = width - 2 * PAD
        boxes.append(
            _Box(
                lead=lead,
                index=index,
                width=width,
                function=function,
                owner_name=owner_name,
                title_lines=wrap(title, inner, TITLE_SIZE, bold=True),
                owner_lines=_owner_lines(owner_name, names[function], inner),
            )
        )
    return boxes


def _recycles(stages: list[LeadStage], boxes: list[_Box]) -> list[_Recycle]:
    """The recycle paths, each in a lane of its own, attached to their boxes top to bottom."""
    position = {lead.id: index for index, lead in enumerate(stages)}
    recycles: list[_Recycle] = []
    for index, lead in enumerate(stages):
        if lead.recycle_to and lead.recycle_to in position:
            recycle_target = stages[position[lead.recycle_to]]
            label = wrap(f"recycled to {_short_name(recycle_target)}", RECYCLE_LABEL_MAX, RECYCLE_SIZE)
            recycles.append(_Recycle(index, position[lead.recycle_to], label))
    _assign_lanes(recycles)
    for number, edge in enumerate(recycles):
        boxes[edge.source].attach.append(("out", number))
        boxes[edge.target].attach.append(("in", number))
    for box in boxes:
        box.attach.sort(key=lambda item: _attach_order(box.index, item, recycles))
    return recycles


def _place_vertically(layout: _Layout) -> None:
    """Each box tall enough for its text and its recycle attachments; each gap tall enough for its
    hand-off label. Then the width: the boxes, the recycle labels and the lanes."""
    y = 10.0
    count = len(layout.boxes)
    for box in layout.boxes:
        text_height = 12 + len(box.title_lines) * TITLE_LINE + len(box.owner_lines) * OWNER_LINE + 4
        needs = [(len(layout.recycles[n].label_lines) * RECYCLE_LINE + 6) if kind == "out" else 12 for kind, n in box.attach]
        box.top = y
        box.height = max(56.0, text_height, sum(needs) + 12)
        spare = (box.height - sum(needs)) / (len(needs) + 1) if needs else 0
        cursor = box.top
        for item, need in zip(box.attach, needs, strict=True):
            cursor += spare + need
            box.attach_y[item] = cursor - (0 if item[0] == "out" else need / 2)
        handoff_label = layout.handoffs.get(box.index)
        label_lines = len(handoff_label) + len(layout.measured.get(box.index, [])) if handoff_label else 0
        gap = max(MIN_GAP, label_lines * NOTE_LINE + 14) if handoff_label else MIN_GAP
        y = box.top + box.height + (gap if box.index + 1 < count or handoff_label else 0)
    label_right = max(
        (layout.boxes[e.source].right + 6 + max(text_width(t, RECYCLE_SIZE) for t in e.label_lines) for e in layout.recycles),
        default=0,
    )
    layout.lanes_start = max(CENTRE + MAX_BOX / 2 + 16, label_right + 12)
    lanes = max((e.lane for e in layout.recycles), default=-1) + 1
    layout.width = (
        max(CENTRE + MAX_BOX / 2 + LEFT, layout.lanes_start + lanes * LANE_STEP + LEFT)
        if layout.recycles
        else CENTRE + MAX_BOX / 2 + LEFT
    )


def _layout(playbook: Playbook, compliance: Mapping[str, Sequence[HandoffCompliance]] | None) -> _Layout:
    stages = list(playbook.leads.values())
    palette = colours(playbook)
    names = {function.id: plain_text(function.name) for function in playbook.functions().values()}
    boxes = _boxes(playbook, stages, palette, names)
    recycles = _recycles(stages, boxes)
    handoffs = {box.index: _handoff_lines(playbook, box.lead) for box in boxes if box.lead.handoff}
    kept = {
        box.index: compliance[box.lead.id] for box in boxes if box.lead.handoff and compliance and compliance.get(box.lead.id)
    }
    layout = _Layout(
        playbook,
        stages,
        palette,
        names,
        boxes,
        recycles,
        handoffs,
        measured={index: _compliance_lines(measures, playbook) for index, measures in kept.items()},
        sentences={index: [m.sentence for m in measures] for index, measures in kept.items()},
    )
    _place_vertically(layout)
    return layout


def _draw_stage(layout: _Layout, box: _Box) -> list[str]:
    """A stage's box with its title and owner, and the arrow and hand-off label below it."""
    fill, stroke = layout.palette[box.function]
    lead = box.lead
    handoff_label = layout.handoffs.get(box.index)
    summary = (
        f"{box.title_lines and ' '.join(box.title_lines)}: owned by {box.owner_name} ({layout.function_names[box.function]})"
    )
    if lead.handoff and handoff_label is not None:
        summary += "; " + " ".join(handoff_label)
        summary += "".join(f"; {sentence}" for sentence in layout.sentences.get(box.index, []))
    parts = [
        f'<g class="pb-funnel__stage" data-stage="{_x(lead.id)}"><title>{_x(summary)}</title>'
        f'<rect x="{_n(box.left)}" y="{_n(box.top)}" width="{_n(box.width)}" height="{_n(box.height)}" rx="8" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
    ]
    text_top = box.top + (box.height - (len(box.title_lines) * TITLE_LINE + len(box.owner_lines) * OWNER_LINE)) / 2
    inner = box.width - 2 * PAD
    parts.append(
        _text_lines(
            box.title_lines, CENTRE, text_top + TITLE_SIZE, TITLE_SIZE, TITLE_LINE, inner,
            text_anchor="middle", font_weight="700", fill=TEXT,
        )
    )  # fmt: skip
    parts.append(
        _text_lines(
            box.owner_lines, CENTRE, text_top + len(box.title_lines) * TITLE_LINE + OWNER_SIZE + 2, OWNER_SIZE, OWNER_LINE,
            inner, text_anchor="middle", fill=TEXT, class_="pb-funnel__owner",
        )
    )  # fmt: skip
    parts.append("</g>")
    bottom = box.top + box.height
    has_next = box.index + 1 < len(layout.boxes)
    if has_next or handoff_label:
        next_top = layout.boxes[box.index + 1].top if has_next else bottom + MIN_GAP
        parts.append(
            f'<line class="pb-funnel__arrow" x1="{CENTRE}" y1="{_n(bottom + 2)}" x2="{CENTRE}" y2="{_n(next_top - 4)}" '
            f'stroke="{ARROW}" stroke-width="2" marker-end="url(#pb-arrow)"/>'
        )
    if handoff_label:
        parts += _draw_handoff(layout, box, handoff_label)
    return parts


def _draw_handoff(layout: _Layout, box: _Box, label: list[str]) -> list[str]:
    """Left of the arrow: "hand-off to X", the time limit in bold, then how the results keep it."""
    bottom = box.top + box.height
    has_next = box.index + 1 < len(layout.boxes)
    middle = (bottom + (layout.boxes[box.index + 1].top if has_next else bottom + MIN_GAP)) / 2
    kept = layout.measured.get(box.index, [])
    first = middle - (len(label) + len(kept) - 1) * NOTE_LINE / 2 + NOTE_SIZE / 3
    width = CENTRE - LEFT - 14
    handoff = _text_lines(
        label[:-1], CENTRE - 10, first, NOTE_SIZE, NOTE_LINE, width, text_anchor="end", class_="pb-funnel__handoff"
    )
    sla = _text_lines(
        label[-1:], CENTRE - 10, first + (len(label) - 1) * NOTE_LINE, NOTE_SIZE, NOTE_LINE, width,
        text_anchor="end", font_weight="700", class_="pb-funnel__sla",
    )  # fmt: skip
    parts = [handoff + sla]
    if kept:
        parts.append(
            _text_lines(
                kept, CENTRE - 10, first + len(label) * NOTE_LINE, NOTE_SIZE, NOTE_LINE, width,
                text_anchor="end", font_style="italic", class_="pb-funnel__compliance",
            )
        )  # fmt: skip
    return parts


def _draw_recycles(layout: _Layout) -> list[str]:
    """Dashed paths on the right, each in its lane, labelled where it leaves its box."""
    parts: list[str] = []
    for number, edge in enumerate(layout.recycles):
        source, target = layout.boxes[edge.source], layout.boxes[edge.target]
        lane_x = layout.lanes_start + edge.lane * LANE_STEP
        y_from = source.attach_y[("out", number)]
        y_to = target.attach_y[("in", number)]
        parts.append(
            f'<path class="pb-funnel__recycle" d="M{_n(source.right)},{_n(y_from)} H{_n(lane_x)} V{_n(y_to)} '
            f'H{_n(target.right + 3)}" fill="none" stroke="{RECYCLE}" stroke-width="1.5" stroke-dasharray="5 4" '
            'marker-end="url(#pb-arrow-recycle)"/>'
        )
        lines = edge.label_lines
        parts.append(
            _text_lines(
                lines, source.right + 6, y_from - 4 - (len(lines) - 1) * RECYCLE_LINE, RECYCLE_SIZE, RECYCLE_LINE,
                RECYCLE_LABEL_MAX + 10, fill=RECYCLE_TEXT, class_="pb-funnel__recycle-label",
            )
        )  # fmt: skip
    return parts


def _legend(layout: _Layout) -> tuple[list[str], float]:
    """Every function shown, and what the two kinds of arrow mean; and the drawing's total height."""
    boxes = layout.boxes
    height = max(box.top + box.height for box in boxes)
    if layout.stages[-1].handoff:
        height += MIN_GAP
    height += 24
    used: list[str] = []
    for box in boxes:
        if box.function not in used:
            used.append(box.function)
    entries: list[tuple[str, str]] = []
    for used_function in used:
        fill, stroke = layout.palette[used_function]
        swatch = f'<rect x="{{x}}" y="{{y}}" width="16" height="16" rx="3" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
        entries.append((swatch, layout.function_names[used_function]))
    entries.append(
        (
            f'<line class="pb-funnel__arrow" x1="{{x}}" y1="{{mid}}" x2="{{x2}}" y2="{{mid}}" stroke="{ARROW}" stroke-width="2" '
            'marker-end="url(#pb-arrow)"/>',
            "next stage, hand-off time limit",
        )
    )
    if layout.recycles:
        entries.append(
            (
                f'<line class="pb-funnel__recycle" x1="{{x}}" y1="{{mid}}" x2="{{x2}}" y2="{{mid}}" stroke="{RECYCLE}" '
                'stroke-width="1.5" stroke-dasharray="5 4" marker-end="url(#pb-arrow-recycle)"/>',
                "recycled (rejected leads go back)",
            )
        )
    legend: list[str] = []
    x, row = float(LEFT + 2), height
    for swatch, text in entries:
        swatch_width = 16 if swatch.startswith("<rect") else 30
        item_width = swatch_width + 6 + text_width(text, 12) + 22
        if x > LEFT + 2 and x + item_width > layout.width - LEFT:
            x, row = LEFT + 2, row + 24
        legend.append(swatch.format(x=_n(x), y=_n(row), mid=_n(row + 8), x2=_n(x + swatch_width - 4)))
        legend.append(
            f'<text x="{_n(x + swatch_width + 6)}" y="{_n(row + 13)}" font-size="12" class="pb-funnel__legend">{_x(text)}</text>'
        )
        x += item_width
    return legend, row + 28


def _description(layout: _Layout) -> str:
    """The whole funnel in words, for the SVG's `<desc>` (what a screen reader says)."""
    position = layout.position
    return "; ".join(
        f"{' '.join(box.title_lines)}, owned by {box.owner_name} ({layout.function_names[box.function]})"
        + (f", {' '.join(layout.handoffs[box.index])}" if box.index in layout.handoffs else "")
        + "".join(f" ({sentence})" for sentence in layout.sentences.get(box.index, []))
        + (
            f", recycled to {plain_text(layout.stages[position[box.lead.recycle_to]].name)}"
            if box.lead.recycle_to in position
            else ""
        )
        for box in layout.boxes
    )


def funnel_svg(playbook: Playbook, compliance: Mapping[str, Sequence[HandoffCompliance]] | None = None) -> str:
    """The funnel as one inline `<svg>` element on a single line (a Markdown HTML block). With
    `compliance` ({lead stage id: how its hand-off keeps its SLA}, from `content.health`), each
    hand-off's label says how the latest results keep its time limit."""
    if not playbook.leads:
        return ""
    layout = _layout(playbook, compliance)
    parts = [part for box in layout.boxes for part in _draw_stage(layout, box)] + _draw_recycles(layout)
    legend, total_height = _legend(layout)
    names = ", then ".join(plain_text(lead.name) for lead in layout.stages)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(layout.width)} {_n(total_height)}" width="100%" '
        f'role="img" aria-labelledby="pb-funnel-title pb-funnel-desc" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
        f'fill="currentColor" class="pb-funnel__svg">'
        f'<title id="pb-funnel-title">The lead lifecycle: {_x(names)}</title>'
        f'<desc id="pb-funnel-desc">{_x(_description(layout))}.</desc>'
        "<defs>"
        '<marker id="pb-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path class="pb-funnel__head" d="M0,0 L10,5 L0,10 z" fill="{ARROW}"/></marker>'
        '<marker id="pb-arrow-recycle" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path class="pb-funnel__head--recycle" d="M0,0 L10,5 L0,10 z" fill="{RECYCLE}"/></marker>'
        "</defs>" + "".join(parts) + "".join(legend) + "</svg>"
    )


# --- the narrow drawing: the same funnel stacked for a phone -------------------------------------

NARROW_WIDTH = 340  # drawn at about its own size on a 360 px phone, so its text reads at 12-15 px
NARROW_TEXT = NARROW_WIDTH - 2 * LEFT - 2 * PAD
NARROW_NOTE_X = LEFT + 30  # hand-off words sit right of the arrow


def _narrow_stage(layout: _Layout, box: _Box, y: float) -> tuple[list[str], float]:
    """A full-width box (title, owner, where rejected leads go, in words); then the arrow down with
    the hand-off, its time limit and how the results keep it beside it. Returns the parts and the
    next stage's top."""
    fill, stroke = layout.palette[box.function]
    title = wrap(" ".join(box.title_lines), NARROW_TEXT, TITLE_SIZE, bold=True)
    owner = _owner_lines(box.owner_name, layout.function_names[box.function], NARROW_TEXT)
    position = layout.position
    recycle = (
        wrap(f"rejected leads recycled to {_short_name(layout.stages[position[box.lead.recycle_to]])}", NARROW_TEXT, OWNER_SIZE)
        if box.lead.recycle_to in position
        else []
    )
    height = 12 + len(title) * TITLE_LINE + (len(owner) + len(recycle)) * OWNER_LINE + 4
    centre = NARROW_WIDTH / 2
    parts = [
        f'<g class="pb-funnel__stage" data-stage="{_x(box.lead.id)}">'
        f'<rect x="{LEFT}" y="{_n(y)}" width="{NARROW_WIDTH - 2 * LEFT}" height="{_n(height)}" rx="8" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="2"/>',
        _text_lines(title, centre, y + 8 + TITLE_SIZE, TITLE_SIZE, TITLE_LINE, NARROW_TEXT, text_anchor="middle", font_weight="700", fill=TEXT),
        _text_lines(
            owner, centre, y + 8 + len(title) * TITLE_LINE + OWNER_SIZE + 2, OWNER_SIZE, OWNER_LINE, NARROW_TEXT,
            text_anchor="middle", fill=TEXT, class_="pb-funnel__owner",
        ),
    ]  # fmt: skip
    if recycle:
        parts.append(
            _text_lines(
                recycle, centre, y + 8 + len(title) * TITLE_LINE + len(owner) * OWNER_LINE + OWNER_SIZE + 2, OWNER_SIZE,
                OWNER_LINE, NARROW_TEXT, text_anchor="middle", fill=RECYCLE_TEXT, class_="pb-funnel__recycle-label",
            )
        )  # fmt: skip
    parts.append("</g>")
    bottom = y + height
    below, gap = _narrow_handoff(layout, box, bottom)
    return parts + below, bottom + gap


def _narrow_handoff(layout: _Layout, box: _Box, bottom: float) -> tuple[list[str], float]:
    """Below a stage of the narrow drawing: the arrow down with "hand-off to X", the time limit in
    bold and how the results keep it right of the arrow; and the gap it takes (none after the last
    stage without a hand-off)."""
    parts: list[str] = []
    label = layout.handoffs.get(box.index, [])
    notes = [wrap(line, NARROW_WIDTH - NARROW_NOTE_X - LEFT, NOTE_SIZE) for line in label[:-1]]
    said = [line for lines in notes for line in lines]
    kept = [
        line for text in layout.measured.get(box.index, []) for line in wrap(text, NARROW_WIDTH - NARROW_NOTE_X - LEFT, NOTE_SIZE)
    ]
    gap = max(MIN_GAP, (len(said) + len(label[-1:]) + len(kept)) * NOTE_LINE + 16)
    if box.index + 1 < len(layout.boxes) or label:
        parts = [
            f'<line class="pb-funnel__arrow" x1="{LEFT + 14}" y1="{_n(bottom + 2)}" x2="{LEFT + 14}" y2="{_n(bottom + gap - 4)}" '
            f'stroke="{ARROW}" stroke-width="2" marker-end="url(#pb-arrow-n)"/>'
        ]
    if label:
        width, first = NARROW_WIDTH - NARROW_NOTE_X - LEFT, bottom + 8 + NOTE_SIZE
        parts.append(_text_lines(said, NARROW_NOTE_X, first, NOTE_SIZE, NOTE_LINE, width, class_="pb-funnel__handoff"))
        first += len(said) * NOTE_LINE
        parts.append(
            _text_lines(label[-1:], NARROW_NOTE_X, first, NOTE_SIZE, NOTE_LINE, width, font_weight="700", class_="pb-funnel__sla")
        )
        if kept:
            parts.append(
                _text_lines(kept, NARROW_NOTE_X, first + NOTE_LINE, NOTE_SIZE, NOTE_LINE, width, font_style="italic", class_="pb-funnel__compliance")
            )  # fmt: skip
    return parts, (gap if box.index + 1 < len(layout.boxes) or label else 0)


def funnel_svg_narrow(playbook: Playbook, compliance: Mapping[str, Sequence[HandoffCompliance]] | None = None) -> str:
    """The same funnel stacked for a narrow screen: every stage a full-width box top to bottom, each
    hand-off an arrow down with its words and time limit beside it, recycle paths said in words. The
    page shows it instead of `funnel_svg` below a width (playbook.css); it is named by the wide
    drawing's title and description, so the page has one accessible description."""
    if not playbook.leads:
        return ""
    layout = _layout(playbook, compliance)
    parts: list[str] = []
    y = 10.0
    for box in layout.boxes:
        drawn, y = _narrow_stage(layout, box, y)
        parts += drawn
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {NARROW_WIDTH} {_n(y + 10)}" width="100%" role="img" '
        'aria-labelledby="pb-funnel-title pb-funnel-desc" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
        'fill="currentColor" class="pb-funnel__svg pb-funnel__svg--narrow">'
        '<defs><marker id="pb-arrow-n" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path class="pb-funnel__head" d="M0,0 L10,5 L0,10 z" fill="{ARROW}"/></marker></defs>' + "".join(parts) + "</svg>"
    )
