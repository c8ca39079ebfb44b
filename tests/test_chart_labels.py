"""A results chart's labels never overlap: the target's label against the periods under the axis,
the value axis' ticks, the unit and the legend, and every label inside the drawing (issue 23).

The extreme cases: the target below every value, above every value, one point, a lower-is-better
KPI whose target is the lowest value. Each is checked twice: with boxes computed from the SVG's own
attributes (a generous width per character, the font's ascent and descent) and in Chromium, where
`getBBox` measures the text as the browser's font draws it."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pytest

from playbook_site.content.health import kpi_health
from playbook_site.content.periods import Result, parse_period
from playbook_site.content.schema import Kpi
from playbook_site.site.charts import HEIGHT, WIDTH, results_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 11, 23)
Box = tuple[float, float, float, float]  # left, top, right, bottom


def kpi(unit: str, direction: str, target: float | None) -> Kpi:
    fields: dict[str, Any] = {
        "id": "measured",
        "name": "Measured",
        "definition": "A number.",
        "formula": "Counted",
        "unit": unit,
        "direction": direction,
        "owner": "sales-manager",
    }
    if target is not None:
        fields["target"] = {"value": target, "period": "quarter"} if unit == "count" else {"value": target}
    if unit == "currency":
        fields["currency"] = "USD"
    return Kpi.model_validate(fields)


def quarters(*values: float) -> list[Result]:
    return [Result(parse_period(f"{2024 + index // 4}-Q{index % 4 + 1}"), value, None) for index, value in enumerate(values)]


def months(*values: float) -> list[Result]:
    return [Result(parse_period(f"{2020 + index // 12}-{index % 12 + 1:02d}"), value, None) for index, value in enumerate(values)]


EXTREMES = {
    # higher is better, the target below every value: its line on the axis, under the lowest dot
    "target-below-every-value": (kpi("count", "higher", 900), quarters(1000, 1040, 1100, 1060, 1090)),
    "target-zero-below-every-value": (kpi("percent", "higher", 0), quarters(5, 8, 6, 10)),
    # the target above every value: its line at the top of the plot
    "target-above-every-value": (kpi("percent", "higher", 40), quarters(10, 14, 12, 20, 18)),
    "target-far-above-every-value": (kpi("currency", "higher", 9_000_000), quarters(1_200_000, 1_500_000, 1_350_000)),
    "one-point": (kpi("percent", "higher", 27), quarters(24)),
    "one-point-on-its-target": (kpi("hours", "lower", 4), quarters(4)),
    # lower is better and the target is the lowest value: a dot on the target's line, on the axis
    "lower-is-better-target-is-the-lowest-value": (kpi("hours", "lower", 100), quarters(130, 100, 115, 122, 108)),
    # ... with dots near the line at both ends, where the label would go above it
    "lower-is-better-target-lowest-dots-at-both-ends": (kpi("hours", "lower", 100), quarters(102, 100, 125, 130, 101)),
    "target-zero-below-dots-at-both-ends": (kpi("percent", "higher", 0), quarters(2.6, 93.6, 0.6)),
    "higher-is-better-target-lowest-dots-at-both-ends": (kpi("percent", "higher", 54.2), months(58.7, 54.2, 54.8)),
    "lower-is-better-target-at-zero": (kpi("count", "lower", 0), months(*(3, 0, 2, 5, 1, 0, 4, 2, 0, 1, 3, 2))),
    "lower-is-better-many-points-target-lowest": (kpi("days", "lower", 20), months(*[20 + (i * 7) % 13 for i in range(40)])),
}


def _texts(svg: str) -> list[tuple[str, ET.Element]]:
    root = ET.fromstring(svg)
    return [(text.get("class") or "legend", text) for text in root.iter(f"{SVG}text")]


def _estimated_box(text: ET.Element) -> Box:
    """The box a `<text>` can fill: 0.66 em a character (wider than a sans-serif's digits and capitals),
    from 0.85 em above its baseline to 0.25 em below it."""
    size = float(text.get("font-size") or 11)
    x, y = float(text.get("x") or 0), float(text.get("y") or 0)
    width = len("".join(text.itertext())) * size * 0.66
    anchor = text.get("text-anchor") or "start"
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return left, y - 0.85 * size, left + width, y + 0.25 * size


def _meet(one: Box, other: Box) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def _overlaps(labelled: list[tuple[str, Box, str]]) -> list[str]:
    """Every pair of labels whose boxes meet, where one of them is the target's label or two are of
    different kinds (a period on a tick); and every label that leaves the drawing."""
    found = []
    for index, (kind, box, words) in enumerate(labelled):
        if box[0] < 0 or box[1] < 0 or box[2] > WIDTH or box[3] > HEIGHT:
            found.append(f"{kind} {words!r} {box} leaves the drawing")
        for other_kind, other, other_words in labelled[index + 1 :]:
            if (kind != other_kind or "target" in kind) and _meet(box, other):
                found.append(f"{kind} {words!r} {box} meets {other_kind} {other_words!r} {other}")
    return found


@pytest.mark.parametrize("case", list(EXTREMES))
def test_the_labels_boxes_computed_from_the_svg_never_meet(case: str) -> None:
    measured, series = EXTREMES[case]
    svg = results_chart_svg(measured, series, kpi_health(measured, series, TODAY))
    labelled = [(kind, _estimated_box(text), "".join(text.itertext())) for kind, text in _texts(svg)]
    assert any(kind == "pb-chart__target-label" for kind, _, _ in labelled) == (measured.target is not None)
    assert _overlaps(labelled) == []


def test_random_targets_at_the_edges_keep_their_label_clear() -> None:
    """Two hundred random series whose target is their lowest value, their highest, below or above
    them all, either direction, one to 150 points: the target's label meets no other label."""
    rng = random.Random(23)
    for _ in range(200):
        values = [round(rng.uniform(50, 150), 1) for _ in range(rng.choice([1, 2, 3, 6, 12, 30, 150]))]
        target = rng.choice([min(values), max(values), min(values) / 2, max(values) * 2, 0])
        measured = kpi(rng.choice(["hours", "percent", "count"]), rng.choice(["higher", "lower"]), target)
        svg = results_chart_svg(measured, months(*values))
        labelled = [(kind, _estimated_box(text), "".join(text.itertext())) for kind, text in _texts(svg)]
        target_label = [item for item in labelled if item[0] == "pb-chart__target-label"]
        others = [item for item in labelled if item[0] != "pb-chart__target-label"]
        assert _overlaps(target_label + others) == [], (values, target, measured.direction)


# getBBox of every `<text>` of each chart, in the drawing's own units, as Chromium lays it out.
_BOXES = """
() => Array.from(document.querySelectorAll('svg')).map(svg => Array.from(svg.querySelectorAll('text')).map(t => {
  const b = t.getBBox();
  return [t.getAttribute('class') || 'legend', [b.x, b.y, b.x + b.width, b.y + b.height], t.textContent];
}))
"""


@pytest.mark.browser
def test_the_labels_never_meet_as_chromium_draws_them(browser: Any) -> None:
    """The same extreme cases in headless Chromium, at a phone's width (360 px) and a desktop's."""
    charts = [results_chart_svg(measured, series) for measured, series in EXTREMES.values()]
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.set_content("<!doctype html><body>" + "".join(f"<div>{svg}</div>" for svg in charts) + "</body>")
        drawn = page.evaluate(_BOXES)
    finally:
        page.close()
    assert len(drawn) == len(EXTREMES)
    found = {}
    for case, labels in zip(EXTREMES, drawn, strict=True):
        # getBBox is the glyphs' full em box: shrink it by a pixel each side, so two lines of text
        # written one under the other (ascent to descent) count only when their letters meet.
        boxes = [(kind, (box[0] + 1, box[1] + 1, box[2] - 1, box[3] - 1), words) for kind, box, words in labels]
        if problems := _overlaps(boxes):
            found[case] = problems
    assert found == {}
