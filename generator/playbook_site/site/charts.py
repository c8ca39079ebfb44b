"""A KPI's results as a small server-side SVG line chart, and the same numbers as table rows. Pure.

The chart draws every result in period order, the target as a dashed line with its value written
at its end, the value axis with round ticks and the periods under it. It works without a script and
refers to nothing outside itself; it is drawn in `currentColor` (black in print, light in the dark
scheme) with CSS classes (`pb-chart__*`) for a stylesheet to colour, and meaning never rests on
colour: the target is dashed, a result on target is a filled dot and one off target a hollow one,
and a legend says so. `<title>` and `<desc>` give the text alternative: every value, the target and
the verdict. A `viewBox` with `width="100%"` scales it to the column's width: it is drawn 360 wide, so
on a 360 px phone it fits whole, the latest result inside the screen, and its text stays legible.
Every piece of content is XML-escaped.

    results_chart_svg(kpi, results, health) -> str       # "" without results
    results_table(kpi, results, health) -> list[ResultRow]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal
from html import escape

from ..content.health import Health, difference_text, meets_target, trend_text, value_verdict, verdict
from ..content.markup import plain_text
from ..content.periods import Result, period_form_name
from ..content.schema import DIRECTION_LABELS, Kpi
from ..content.units import amount, target_amount
from ..text import format_number

WIDTH, HEIGHT = 360, 230  # 360 px on a phone: the labels keep 10 px and more (26rem on a desktop: 16 px)
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 26, 58  # the plot's margins: value labels, target label, unit, periods, legend
TICK_SIZE, LABEL_SIZE = 11, 11
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
MAX_MARKS = 120  # results a chart draws at most: a longer series is drawn by `shape_keeping`
DESCRIBED = 60  # results the chart's description says one by one; a longer series is summarised
SUMMARY_LATEST = 8  # the latest results a summarised description still says
UNIT_CAPTIONS = {"percent": "%", "hours": "hours", "days": "days", "ratio": "ratio (x)", "score": "points", "count": "count"}


def _x(value: object) -> str:
    """Text or attribute value, escaped for XML."""
    return escape(str(value), quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# --- the value axis ------------------------------------------------------------------------------


# The axis is worked out in decimal arithmetic, from each number as written (its shortest repr), so
# that it is total over every finite float: a span of 5e-324 does not underflow to zero, a target of
# 1.7e308 does not overflow a tick to infinity, and the ticks are the round numbers they look like.
_DECIMAL = Context(prec=40, Emin=-999_999, Emax=999_999)
_ROUND_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def _decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def _nice_step(span: Decimal, count: int = 4) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` into about `count` parts."""
    raw = _DECIMAL.divide(span, count) if span > 0 else Decimal(1)
    power = Decimal(1).scaleb(raw.adjusted(), _DECIMAL)  # 10 ** floor(log10(raw)), exactly
    return next(_DECIMAL.multiply(step, power) for step in _ROUND_STEPS if _DECIMAL.multiply(step, power) >= raw)


def _axis(values: Sequence[float]) -> tuple[Decimal, Decimal, list[Decimal]]:
    """`value_axis` in decimals: (low, high, ticks), low < high, every value within them."""
    numbers = [_decimal(value) for value in values]
    low, high = min(numbers), max(numbers)
    if low >= 0 and low <= _DECIMAL.multiply(_DECIMAL.subtract(high, low), Decimal("1.5")):
        low = Decimal(0)
    if high == low:
        pad = _DECIMAL.multiply(abs(high), Decimal("0.1")) or Decimal(1)
        low, high = (_DECIMAL.subtract(low, pad) if low != 0 else Decimal(0)), _DECIMAL.add(high, pad)
    step = _nice_step(_DECIMAL.subtract(high, low))
    first = _DECIMAL.multiply(_DECIMAL.divide(low, step).to_integral_value(ROUND_FLOOR, _DECIMAL), step)
    last = _DECIMAL.multiply(_DECIMAL.divide(high, step).to_integral_value(ROUND_CEILING, _DECIMAL), step)
    count = int(_DECIMAL.divide(_DECIMAL.subtract(last, first), step)) + 1
    return first, last, [_DECIMAL.add(first, _DECIMAL.multiply(index, step)) for index in range(count)]


def value_axis(values: Sequence[float]) -> tuple[float, float, list[float]]:
    """(low, high, ticks) of an axis that holds every value: round ticks, zero included when every
    value is at least zero and the lowest is near it. (Beyond the largest float, a tick is infinite
    here; the chart itself places everything by the decimal axis.)"""
    low, high, ticks = _axis(values)
    return float(low), float(high), [float(tick) for tick in ticks]


def _compact(value: Decimal, step: Decimal, unit: str) -> str:
    """A tick label that fits beside the axis: 6M, 42k, 18.5%, 3x; 0.005 and 2.5e-9 for small steps,
    1.5e308 for huge values."""
    suffix = {"percent": "%", "ratio": "x"}.get(unit, "")
    size = abs(value)
    if value == 0:
        return "0" + suffix
    if size >= Decimal("1e12") or step < Decimal("1e-6"):
        return f"{value.normalize(_DECIMAL):e}".replace("e+", "e") + suffix
    if step < Decimal("0.01"):
        return f"{value.normalize(_DECIMAL):f}" + suffix
    number = float(value)
    if size >= Decimal("1e9"):
        shown = f"{format_number(round(number / 1e9, 2))}bn"
    elif size >= Decimal("1e6"):
        shown = f"{format_number(round(number / 1e6, 2))}M"
    elif size >= Decimal("1e4"):
        shown = f"{format_number(round(number / 1e3, 1))}k"
    else:
        shown = format_number(round(number, 2))
    return shown + suffix


# --- the chart ---------------------------------------------------------------------------------


def _text_width(text: str, size: float) -> float:
    return len(text) * size * 0.62  # generous for digits and capitals in a sans-serif font


def _labelled(count: int, spacing: float, widest: float) -> list[int]:
    """Which of `count` periods, `spacing` apart, get a label under the axis: evenly spaced, counted
    back from the last, which always has one."""
    every = max(1, math.ceil((widest + 8) / spacing)) if spacing > 0 else 1
    return list(range(count - 1, -1, -every))[::-1]


def _target_label_at(
    width: float, line_y: float, points: list[tuple[float, float]], frame: tuple[float, float, float, float]
) -> tuple[float, float, str]:
    """(x, y, anchor) of the target's label: at an end of its line, above or below it, where no dot is;
    above the plot when a dense line leaves no such place. `frame` is the plot's (left, right, top,
    bottom). A place that would leave the drawing at the top, or reach below the axis into the
    periods' labels, is never taken."""
    left, right, top, bottom = frame
    candidates = [
        (right, line_y - 5, "end"),
        (right, line_y + TICK_SIZE + 3, "end"),
        (left + 4, line_y - 5, "start"),
        (left + 4, line_y + TICK_SIZE + 3, "start"),
    ]

    def crowding(candidate: tuple[float, float, str]) -> int:
        x, y, anchor = candidate
        low, high = (x - width, x) if anchor == "end" else (x, x + width)
        if y - TICK_SIZE < top - 14 or y + 3 > bottom - 1:
            return 1000  # would leave the drawing at the top, or cross the axis into the periods
        return sum(low - 6 <= px <= high + 6 and y - TICK_SIZE - 6 <= py <= y + 6 for px, py in points)

    best = min(candidates, key=crowding)
    if crowding(best) > 0 and len(points) > 24:
        # A dense line leaves no free end: the label goes above the plot, at its right, where no mark is.
        return right, top - 12, "end"
    return best


def chart_ids(kpi: Kpi) -> tuple[str, str]:
    """The ids of the chart's `<title>` and `<desc>` (unique on a page: one chart a KPI)."""
    return f"pb-chart-{kpi.id}-title", f"pb-chart-{kpi.id}-desc"


def shape_keeping(points: Sequence[tuple[float, float]], count: int) -> list[int]:
    """The indexes of `count` of `points` (x ascending) that keep the line's shape: Steinarsson's
    largest-triangle-three-buckets (2013). The first and the last point are always kept; the points
    between are cut into `count - 2` buckets of about equal length, and from each the point kept is
    the one making the largest triangle with the point kept before it and the average of the next
    bucket. Every index when there are at most `count` points. Linear in the number of points."""
    total = len(points)
    if count >= total or count < 3:
        return list(range(total))
    every = (total - 2) / (count - 2)
    kept, previous = [0], 0
    for bucket in range(count - 2):
        start, end = int(bucket * every) + 1, int((bucket + 1) * every) + 1
        following = points[end : min(int((bucket + 2) * every) + 1, total)]
        mean_x = sum(x for x, _ in following) / len(following)
        mean_y = sum(y for _, y in following) / len(following)
        from_x, from_y = points[previous]
        best, largest = start, -1.0
        for index in range(start, end):
            x, y = points[index]
            area = abs((from_x - mean_x) * (y - from_y) - (from_x - x) * (mean_y - from_y))
            if area > largest:
                best, largest = index, area
        kept.append(best)
        previous = best
    kept.append(total - 1)
    return kept


def describe(kpi: Kpi, results: Sequence[Result], health: Health | None, drawn: int | None = None) -> tuple[str, str]:
    """The chart's title and its description: the values, the target, its direction and the verdict.
    Up to DESCRIBED results every value is said; a longer series is summarised (how many results from
    when to when, the lowest and the highest, the latest few) and the description says how many the
    chart draws (`drawn`) and where the whole series is."""
    name = plain_text(kpi.name)
    kinds = {result.period.kind for result in results}
    by = period_form_name(next(iter(kinds))) if len(kinds) == 1 else "period"
    title = f"{name}: results by {by}"
    if kpi.target is not None:
        title += f" against a target of {target_amount(kpi)}"

    def said(result: Result) -> str:
        return f"{result.period.text}: {amount(result.value, kpi.unit, kpi.currency)}"

    if len(results) <= DESCRIBED:
        parts = ["; ".join(said(result) for result in results) + "."]
    else:
        lowest = min(results, key=lambda result: result.value)
        highest = max(results, key=lambda result: result.value)
        parts = [
            f"{format_number(len(results))} results from {results[0].period.text} to {results[-1].period.text};"
            f" lowest {said(lowest)}; highest {said(highest)}."
            f" The latest {SUMMARY_LATEST}: {'; '.join(said(result) for result in results[-SUMMARY_LATEST:])}."
        ]
        if drawn is not None and drawn < len(results):
            parts.append(
                f"The chart draws {format_number(drawn)} of them, chosen to keep the line's shape;"
                " every result is in the CSV export and in playbook.json."
            )
    if kpi.target is not None:
        parts.append(f"Target: {target_amount(kpi)}, {DIRECTION_LABELS[kpi.direction]}.")
    else:
        parts.append(f"No target; {DIRECTION_LABELS[kpi.direction]}.")
    if health is not None and health.latest is not None:
        latest = f"Latest, {health.latest.period.text}: {amount(health.latest.value, kpi.unit, kpi.currency)}"
        if health.on_target is not None:
            latest += f", {verdict(kpi, health)}"
        parts.append(latest + ".")
        if health.trend is not None:
            parts.append(trend_text(kpi, health.trend)[:1].upper() + trend_text(kpi, health.trend)[1:] + ".")
        if health.stale and health.due is not None:
            parts.append(f"No result yet for {health.due.text}.")
    return title, " ".join(parts)


@dataclass(frozen=True)
class _Frame:
    """Where a chart's results go: the value axis (low, its span, its ticks) and the periods' x."""

    ordered: list[Result]
    low: Decimal
    span: Decimal
    ticks: list[Decimal]
    widest: float  # the widest period label
    first_x: float
    step: float
    left: float = LEFT
    right: float = WIDTH - RIGHT
    top: float = TOP
    bottom: float = HEIGHT - BOTTOM

    @property
    def count(self) -> int:
        return len(self.ordered)

    def height_of(self, value: float | Decimal) -> float:
        """Where `value` stands between the axis' low (0) and high (1): always finite, within [0, 1]."""
        number = value if isinstance(value, Decimal) else _decimal(value)
        return min(1.0, max(0.0, float(_DECIMAL.divide(_DECIMAL.subtract(number, self.low), self.span))))

    def y_of(self, value: float | Decimal) -> float:
        return self.bottom - self.height_of(value) * (self.bottom - self.top)

    def x_of(self, index: int) -> float:
        return self.first_x + index * self.step if self.count > 1 else (self.left + self.right) / 2


def _frame(kpi: Kpi, ordered: list[Result]) -> _Frame:
    """The axis holds every result and the target; the first and the last dot sit far enough in for
    their period's label to stay inside the drawing."""
    target = kpi.target.value if kpi.target is not None else None
    low, high, ticks = _axis(
        [min(result.value for result in ordered), max(result.value for result in ordered)]
        + ([target] if target is not None else [])
    )
    widest = max(_text_width(result.period.text, LABEL_SIZE) for result in ordered)
    first_x, last_x = max(LEFT + 8, widest / 2 + 2), min(WIDTH - RIGHT - 8, WIDTH - 2 - widest / 2)
    step = (last_x - first_x) / max(len(ordered) - 1, 1)
    return _Frame(ordered, low, _DECIMAL.subtract(high, low), ticks, widest, first_x, step)


def _value_axis(frame: _Frame, kpi: Kpi) -> list[str]:
    """The grid and the value axis' ticks, the unit above them, the axis line."""
    parts: list[str] = []
    tick_step = frame.ticks[1] - frame.ticks[0] if len(frame.ticks) > 1 else frame.span
    for tick in frame.ticks:
        y = frame.y_of(tick)
        parts.append(
            f'<line class="pb-chart__grid" x1="{frame.left}" y1="{_n(y)}" x2="{frame.right}" y2="{_n(y)}" '
            'stroke="currentColor" stroke-opacity="0.18" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="pb-chart__tick" x="{frame.left - 6}" y="{_n(y + TICK_SIZE / 3)}" font-size="{TICK_SIZE}" '
            f'text-anchor="end">{_x(_compact(tick, tick_step, kpi.unit))}</text>'
        )
    caption = kpi.currency if kpi.unit == "currency" and kpi.currency else UNIT_CAPTIONS.get(kpi.unit, kpi.unit)
    parts.append(
        f'<text class="pb-chart__unit" x="{frame.left - 6}" y="{TOP - 12}" font-size="{TICK_SIZE}" text-anchor="end">{_x(caption)}</text>'
    )
    parts.append(
        f'<line class="pb-chart__axis" x1="{frame.left}" y1="{frame.bottom}" x2="{frame.right}" y2="{frame.bottom}" '
        'stroke="currentColor" stroke-width="1"/>'
    )
    return parts


def _periods(frame: _Frame) -> list[str]:
    """The periods under the axis, as many as fit."""
    return [
        f'<text class="pb-chart__period" x="{_n(frame.x_of(index))}" y="{frame.bottom + 16}" font-size="{LABEL_SIZE}" '
        f'text-anchor="middle">{_x(frame.ordered[index].period.text)}</text>'
        for index in _labelled(frame.count, frame.step if frame.count > 1 else 0, frame.widest)
    ]


def _target(frame: _Frame, kpi: Kpi, target: float, drawn: list[int]) -> list[str]:
    """The target: a dashed line across the plot, its value written at an end of it."""
    y = frame.y_of(target)
    text = "target " + amount(target, kpi.unit, kpi.currency)
    dots = [(frame.x_of(index), frame.y_of(frame.ordered[index].value)) for index in drawn]
    place = (frame.left, frame.right, frame.top, frame.bottom)
    label_x, label_y, anchor = _target_label_at(_text_width(text, TICK_SIZE), y, dots, place)
    return [
        f'<line class="pb-chart__target" x1="{frame.left}" y1="{_n(y)}" x2="{frame.right}" y2="{_n(y)}" '
        'stroke="currentColor" stroke-width="1.5" stroke-dasharray="6 4" data-value="' + _x(format_number(target)) + '"/>',
        f'<text class="pb-chart__target-label" x="{_n(label_x)}" y="{_n(label_y)}" font-size="{TICK_SIZE}" '
        f'text-anchor="{anchor}">{_x(text)}</text>',
    ]


def _marks(frame: _Frame, kpi: Kpi, heights: list[float], drawn: list[int]) -> list[str]:
    """A line through the results and a dot each (filled on target, hollow off it), each with its words."""
    parts: list[str] = []
    plot_height = frame.bottom - frame.top
    if len(drawn) > 1:
        points = " ".join(f"{_n(frame.x_of(index))},{_n(frame.bottom - heights[index] * plot_height)}" for index in drawn)
        parts.append(f'<polyline class="pb-chart__line" points="{points}" fill="none" stroke="currentColor" stroke-width="2"/>')
    radius = 3.5 if len(drawn) <= 24 else 2.5 if len(drawn) <= 60 else 1.5
    for index in drawn:
        result = frame.ordered[index]
        good = meets_target(kpi, result.value)
        state = "" if good is None else (" pb-chart__point--on" if good else " pb-chart__point--off")
        fill = "none" if good is False else "currentColor"
        said = f"{result.period.text}: {amount(result.value, kpi.unit, kpi.currency)}"
        if good is not None:
            said += f" ({value_verdict(kpi, result.value)})"
        if result.note:
            said += f"; {plain_text(result.note)}"
        parts.append(
            f'<circle class="pb-chart__point{state}" cx="{_n(frame.x_of(index))}" cy="{_n(frame.bottom - heights[index] * plot_height)}" r="{radius}" '
            f'fill="{fill}" stroke="currentColor" stroke-width="1.5" data-period="{_x(result.period.text)}" '
            f'data-value="{_x(format_number(result.value))}"><title>{_x(said)}</title></circle>'
        )
    return parts


def results_chart_svg(kpi: Kpi, results: Iterable[Result], health: Health | None = None) -> str:
    """The results of `kpi` as one inline `<svg>` on a single line; "" when there are none. At most
    MAX_MARKS results are drawn, whatever the series' length (`shape_keeping`)."""
    ordered = sorted(results, key=lambda result: result.period)
    if not ordered:
        return ""
    frame = _frame(kpi, ordered)
    heights = [frame.height_of(result.value) for result in ordered]
    drawn = shape_keeping(list(enumerate(heights)), MAX_MARKS)
    parts = _value_axis(frame, kpi) + _periods(frame)
    if kpi.target is not None:
        parts += _target(frame, kpi, kpi.target.value, drawn)
    parts += _marks(frame, kpi, heights, drawn)
    parts.append(_legend(kpi.target is not None))
    title, description = describe(kpi, ordered, health, len(drawn))
    title_id, desc_id = chart_ids(kpi)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="{FONT}" fill="currentColor" class="pb-chart__svg" '
        f'data-kpi="{_x(kpi.id)}">'
        f'<title id="{title_id}">{_x(title)}</title><desc id="{desc_id}">{_x(description)}</desc>' + "".join(parts) + "</svg>"
    )


def _legend(with_target: bool) -> str:
    """What the line, the dashes and the two dots mean, in one row under the periods."""
    y = HEIGHT - 14
    # Each swatch has the class of what it stands for (`pb-chart__key--target` for the target line),
    # so that a stylesheet colouring the marks colours their keys alike.
    items = [
        (
            '<line class="pb-chart__key pb-chart__key--result" x1="{x}" y1="{y}" x2="{x2}" y2="{y}" stroke="currentColor" '
            'stroke-width="2"/>',
            "result",
            18,
        ),
    ]
    if with_target:
        items.append(
            (
                '<line class="pb-chart__key pb-chart__key--target" x1="{x}" y1="{y}" x2="{x2}" y2="{y}" stroke="currentColor" '
                'stroke-width="1.5" stroke-dasharray="6 4"/>',
                "target",
                18,
            )
        )
        items.append(
            (
                '<circle class="pb-chart__key pb-chart__key--on" cx="{cx}" cy="{y}" r="3.5" fill="currentColor" '
                'stroke="currentColor" stroke-width="1.5"/>',
                "on target",
                8,
            )
        )
        items.append(
            (
                '<circle class="pb-chart__key pb-chart__key--off" cx="{cx}" cy="{y}" r="3.5" fill="none" stroke="currentColor" '
                'stroke-width="1.5"/>',
                "off target",
                8,
            )
        )
    out, x = [], 8.0  # from the left edge: the legend is wider than the plot on a narrow drawing
    for swatch, text, width in items:
        out.append(swatch.format(x=_n(x), x2=_n(x + width), cx=_n(x + 4), y=_n(y)))
        out.append(f'<text x="{_n(x + width + 5)}" y="{_n(y + 4)}" font-size="{TICK_SIZE}">{_x(text)}</text>')
        x += width + 5 + _text_width(text, TICK_SIZE) + 12
    return f'<g class="pb-chart__legend">{"".join(out)}</g>'


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """One row of a results table, in the words of the site."""

    period: str  # 2026-Q3
    start: date
    end: date
    value: float
    shown: str  # 24%
    target: str  # 27% per quarter; "" without a target
    verdict: str  # on target | off target by 3 percentage points | ""
    on_target: bool | None
    difference: str  # "-3 percentage points", "+USD 200,000"; "" without a target
    note: str  # as written (inline Markdown: render it through the inline filter)
    latest: bool


RESULTS_TABLE_HEADER = ("Period", "Result", "Target", "Against the target", "Note")
RESULTS_TABLE_KEY = RESULTS_TABLE_HEADER[3]  # the column a phone keeps in view while the table scrolls


def results_table(kpi: Kpi, results: Iterable[Result], health: Health | None = None) -> list[ResultRow]:
    """The rows of a results table, oldest first (as the chart reads): the numbers of the chart."""
    ordered = sorted(results, key=lambda result: result.period)
    target = target_amount(kpi)
    rows = []
    for index, result in enumerate(ordered):
        good = meets_target(kpi, result.value)
        difference = ""
        if kpi.target is not None:
            gap = result.value - kpi.target.value
            difference = ("+" if gap > 0 else "-" if gap < 0 else "±") + difference_text(kpi, gap)
        rows.append(
            ResultRow(
                result.period.text,
                result.period.start,
                result.period.end,
                result.value,
                amount(result.value, kpi.unit, kpi.currency),
                target,
                value_verdict(kpi, result.value),
                good,
                difference,
                result.note or "",
                index == len(ordered) - 1,
            )
        )
    return rows


__all__ = [
    "DESCRIBED",
    "MAX_MARKS",
    "RESULTS_TABLE_HEADER",
    "RESULTS_TABLE_KEY",
    "ResultRow",
    "chart_ids",
    "describe",
    "results_chart_svg",
    "results_table",
    "shape_keeping",
    "value_axis",
]
