"""The results chart (server-side SVG) and the results table, standalone: valid XML, escaped content,
a text alternative with every value, the target drawn where its value is, nothing outside itself."""

from __future__ import annotations

import math
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import DEFAULT_CONTENT
from playbook_site.content import load
from playbook_site.content.health import kpi_health
from playbook_site.content.periods import Result, parse_period
from playbook_site.content.schema import Kpi, Target
from playbook_site.site.charts import (
    DESCRIBED,
    MAX_MARKS,
    RESULTS_TABLE_HEADER,
    results_chart_svg,
    results_table,
    shape_keeping,
    value_axis,
)

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 11, 23)


def kpi(**fields: Any) -> Kpi:
    base: dict[str, Any] = {
        "id": "win-rate",
        "name": "Win rate",
        "definition": "Share of deals won.",
        "formula": "Won ÷ (won + lost) × 100",
        "unit": "percent",
        "direction": "higher",
        "owner": "sales-manager",
        "target": {"value": 27, "period": "quarter"},
    }
    base.update(fields)
    return Kpi.model_validate({key: value for key, value in base.items() if value is not None})


def results(*rows: tuple[str, float] | tuple[str, float, str]) -> list[Result]:
    return [Result(parse_period(row[0]), row[1], row[2] if len(row) > 2 else None) for row in rows]  # type: ignore[misc]


WIN_RATE = results(("2026-Q2", 25), ("2025-Q4", 22), ("2026-Q1", 27), ("2026-Q3", 24, "Two losses on price"))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_the_chart_is_valid_svg_with_a_text_alternative_of_every_value() -> None:
    win_rate = kpi()
    svg = results_chart_svg(win_rate, WIN_RATE, kpi_health(win_rate, WIN_RATE, TODAY))
    root = parse(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert (
        root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}" == "pb-chart-win-rate-title pb-chart-win-rate-desc"
    )
    assert title.text == "Win rate: results by quarter against a target of 27% per quarter"
    assert desc.text == (
        "2025-Q4: 22%; 2026-Q1: 27%; 2026-Q2: 25%; 2026-Q3: 24%. Target: 27% per quarter, higher is better."
        " Latest, 2026-Q3: 24%, off target by 3 percentage points. Down from 27% to 24% over the last 3 quarters."
    )
    # One dot a result in period order, filled on target, hollow off it, each with its own words.
    dots = root.findall(f"{SVG}circle")
    assert [dot.get("data-period") for dot in dots] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert [dot.get("fill") for dot in dots] == ["none", "currentColor", "none", "none"]
    assert [dot.findtext(f"{SVG}title") for dot in dots][
        -1
    ] == "2026-Q3: 24% (off target by 3 percentage points); Two losses on price"
    assert root.find(f"{SVG}polyline") is not None
    assert [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "pb-chart__period"] == [
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]


def test_the_target_line_is_drawn_where_its_value_is() -> None:
    win_rate = kpi()
    root = parse(results_chart_svg(win_rate, WIN_RATE))
    target = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "pb-chart__target")
    assert target.get("y1") == target.get("y2") and target.get("stroke-dasharray")
    dots = [dot for dot in root.iter(f"{SVG}circle") if "pb-chart__point" in (dot.get("class") or "")]
    on_target = next(dot for dot in dots if dot.get("data-value") == "27")
    assert float(target.get("y1", "")) == float(on_target.get("cy", ""))  # the result equal to the target sits on it
    # And the value axis maps linearly: the ticks' grid lines agree with the dots.
    low, high, ticks = value_axis([22, 27, 25, 24])
    grid = {float(line.get("y1", "")) for line in root.iter(f"{SVG}line") if line.get("class") == "pb-chart__grid"}
    assert len(grid) == len(ticks) and ticks[0] <= 22 and ticks[-1] >= 27 and (low, high) == (ticks[0], ticks[-1])
    bottom, top = max(grid), min(grid)
    for dot in dots:
        value = float(dot.get("data-value", ""))
        expected = bottom - (value - low) / (high - low) * (bottom - top)
        assert abs(float(dot.get("cy", "")) - expected) < 0.15
    label = next(text for text in root.iter(f"{SVG}text") if text.get("class") == "pb-chart__target-label")
    assert label.text == "target 27%"


def test_content_is_escaped_and_nothing_outside_the_svg_is_referenced() -> None:
    # The models refuse HTML in a name; the chart escapes whatever it is given all the same.
    hostile = kpi(id="x").model_copy(update={"name": 'Win <rate> & "share" </svg><script>alert(1)</script>'})
    svg = results_chart_svg(hostile, results(("2026-Q3", 24, "<img src=x onerror=alert(1)> & 'quotes'"), ("2026-Q2", 25)))
    root = parse(svg)  # well-formed: nothing broke out of its element
    assert "<script" not in svg and "<img" not in svg and "onerror=alert" not in svg.replace("onerror=alert(1)&gt;", "")
    assert root.findtext(f"{SVG}title", "").startswith('Win <rate> & "share" </svg><script>')  # shown as text
    assert [
        element.tag for element in root.iter() if element.tag.endswith(("script", "foreignObject", "image", "a", "use"))
    ] == []
    attributes = [(name, value) for element in root.iter() for name, value in element.attrib.items()]
    assert not [name for name, _ in attributes if name.split("}")[-1] in ("href", "src", "style") or name.startswith("on")]
    assert not [value for _, value in attributes if re.search(r"(?i)url\(|https?:|javascript:", value)]


def test_print_dark_scheme_and_phone() -> None:
    svg = results_chart_svg(kpi(), WIN_RATE)
    root = parse(svg)
    # Drawn in currentColor (black in print, light text colour in the dark scheme); no fixed colour anywhere.
    colours = {value for element in root.iter() for name in ("fill", "stroke") if (value := element.get(name))}
    assert colours <= {"currentColor", "none"}
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", svg)
    # Scales to the container (a phone's width) and keeps its proportions.
    assert root.get("width") == "100%" and root.get("height") is None
    # Colour is never the only cue: the target is dashed, the legend names every mark.
    legend = root.find(f"{SVG}g[@class='pb-chart__legend']")
    assert legend is not None and [t.text for t in legend.iter(f"{SVG}text")] == ["result", "target", "on target", "off target"]
    # Each swatch has the class of its mark's key, so a stylesheet that colours the target or the dots
    # colours their keys alike (assets/playbook.css).
    swatches = [element.get("class") for element in legend if element.tag != f"{SVG}text"]
    assert swatches == [f"pb-chart__key pb-chart__key--{mark}" for mark in ("result", "target", "on", "off")]


def test_many_weekly_results_are_labelled_without_overlap_and_one_result_draws_one_dot() -> None:
    response = kpi(id="lrt", name="Lead response time", unit="hours", direction="lower", target={"value": 4})
    weekly = load(DEFAULT_CONTENT, today=TODAY).results["lead-response-time"]
    root = parse(results_chart_svg(response, weekly))
    assert len(root.findall(f"{SVG}circle")) == 52
    labels = [(float(t.get("x", "")), t.text) for t in root.iter(f"{SVG}text") if t.get("class") == "pb-chart__period"]
    assert labels[-1][1] == "2026-W47" and 3 <= len(labels) <= 8
    gaps = [b[0] - a[0] for a, b in zip(labels, labels[1:], strict=False)]
    assert min(gaps) > 8 * 11 * 0.62  # wider than a label
    single = parse(results_chart_svg(kpi(), results(("2026-Q3", 24))))
    assert len(single.findall(f"{SVG}circle")) == 1 and single.find(f"{SVG}polyline") is None
    assert results_chart_svg(kpi(), []) == ""


def test_a_kpi_without_a_target_and_large_amounts() -> None:
    pipeline = kpi(id="pipeline", name="Pipeline", unit="currency", currency="USD", target=None)
    root = parse(results_chart_svg(pipeline, results(("2026-Q2", 6_310_000), ("2026-Q3", 5_780_000))))
    assert not [line for line in root.iter(f"{SVG}line") if line.get("class") == "pb-chart__target"]
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "pb-chart__tick"]
    assert ticks == ["5.6M", "5.8M", "6M", "6.2M", "6.4M"]  # round steps around the values, short enough for the axis
    assert root.findtext(f"{SVG}desc", "").startswith(
        "2026-Q2: USD 6,310,000; 2026-Q3: USD 5,780,000. No target; higher is better."
    )


def test_the_table_rows_hold_the_numbers_of_the_chart() -> None:
    rows = results_table(kpi(), WIN_RATE)
    assert RESULTS_TABLE_HEADER == ("Period", "Result", "Target", "Against the target", "Note")
    assert [(r.period, r.shown, r.target, r.verdict, r.difference, r.on_target, r.latest) for r in rows] == [
        ("2025-Q4", "22%", "27% per quarter", "off target by 5 percentage points", "-5 percentage points", False, False),
        ("2026-Q1", "27%", "27% per quarter", "on target", "±0 percentage points", True, False),
        ("2026-Q2", "25%", "27% per quarter", "off target by 2 percentage points", "-2 percentage points", False, False),
        ("2026-Q3", "24%", "27% per quarter", "off target by 3 percentage points", "-3 percentage points", False, True),
    ]
    assert rows[-1].note == "Two losses on price" and (rows[0].start, rows[0].end) == (date(2025, 10, 1), date(2025, 12, 31))
    lower = results_table(kpi(unit="days", direction="lower", target={"value": 75}), results(("2026-Q3", 74)))
    assert (lower[0].verdict, lower[0].difference) == ("on target", "-1 day")


# --- every number the validator accepts draws (issue 21, finding 11) ---------------------------

_COORDINATES = ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r")


def assert_drawn_inside(svg: str) -> ET.Element:
    """The chart is well-formed XML and every coordinate in it is a finite number inside its viewBox."""
    root = parse(svg)
    _, _, width, height = (float(part) for part in root.get("viewBox", "").split())
    for element in root.iter():
        found = [float(element.get(name, "")) for name in _COORDINATES if element.get(name) is not None]
        for pair in (element.get("points") or "").split():
            found.extend(float(part) for part in pair.split(","))
        for value in found:
            assert math.isfinite(value), (element.tag, element.attrib)
            assert 0 <= value <= max(width, height), (element.tag, element.attrib)
        for name in ("x", "x1", "x2", "cx"):
            if element.get(name) is not None:
                assert 0 <= float(element.get(name, "")) <= width, (element.tag, element.attrib)
        for name in ("y", "y1", "y2", "cy"):
            if element.get(name) is not None:
                assert 0 <= float(element.get(name, "")) <= height, (element.tag, element.attrib)
    return root


def monthly(values: Sequence[float]) -> list[Result]:
    return [Result(parse_period(f"{2000 + index // 12}-{index % 12 + 1:02d}"), value, None) for index, value in enumerate(values)]


FINITE = st.floats(allow_nan=False, allow_infinity=False)
UNITS = st.sampled_from(["percent", "count", "currency", "hours", "days", "ratio", "score"])


@settings(max_examples=300, deadline=None)
@given(
    unit=UNITS,
    direction=st.sampled_from(["higher", "lower"]),
    target=st.none() | FINITE,
    values=st.lists(FINITE, min_size=1, max_size=40),
)
@example(unit="count", direction="higher", target=None, values=[0.0, 5e-324])  # the finding: math domain error
@example(unit="count", direction="higher", target=None, values=[5e-324])
@example(unit="count", direction="higher", target=None, values=[0.0])
@example(unit="count", direction="higher", target=1.7e308, values=[5.0])  # the finding: OverflowError
@example(unit="score", direction="lower", target=-1.7e308, values=[1e15, -1e15])
@example(unit="score", direction="lower", target=sys.float_info.max, values=[-sys.float_info.max])
@example(unit="percent", direction="higher", target=None, values=[-5e-324, 5e-324])
@example(unit="percent", direction="higher", target=50.0, values=[1.0] * 30)  # target above every value
@example(unit="percent", direction="lower", target=-50.0, values=[1.0, 2.0, 3.0])  # below every value
@example(unit="ratio", direction="higher", target=1e-300, values=[1e-300])  # all equal, the target too
def test_every_finite_number_draws_inside_the_chart(unit: str, direction: str, target: float | None, values: list[float]) -> None:
    """Tiny and huge numbers, zero ranges, negative values, single points, all-equal values, a target
    below or above every value: the chart, its text alternative and the table are total over every
    finite number, and every mark is drawn at finite coordinates inside the drawing."""
    measured = kpi(unit=unit, direction=direction, currency="EUR" if unit == "currency" else None, target=None)
    if target is not None:
        measured = measured.model_copy(update={"target": Target(value=target)})
    series = monthly(values)
    health = kpi_health(measured, series, TODAY)
    root = assert_drawn_inside(results_chart_svg(measured, series, health))
    assert len([dot for dot in root.iter(f"{SVG}circle") if "pb-chart__point" in (dot.get("class") or "")]) == len(values)
    rows = results_table(measured, series, health)
    assert [row.value for row in rows] == values
    drawn = values + ([target] if target is not None else [])
    low, high, ticks = value_axis(drawn)  # as floats: a tick beyond the largest float is infinite here
    assert low <= min(drawn) <= max(drawn) <= high and low <= ticks[0] <= ticks[-1] <= high
    # In the drawing: at least two distinct grid lines, and every dot between the lowest and the highest.
    grid = {float(line.get("y1", "")) for line in root.iter(f"{SVG}line") if line.get("class") == "pb-chart__grid"}
    assert len(grid) >= 2
    dots = [float(dot.get("cy", "")) for dot in root.iter(f"{SVG}circle") if "pb-chart__point" in (dot.get("class") or "")]
    assert all(min(grid) <= cy <= max(grid) for cy in dots)


# --- a long series draws a bounded number of marks (issue 27, issue 21 finding 14) ----------------


def daily(first: date, last: date, value: Callable[[int], float]) -> list[Result]:
    days = (last - first).days + 1
    return [Result(parse_period((first + timedelta(days=number)).isoformat()), value(number), None) for number in range(days)]


def wave(number: int) -> float:
    """Daily response hours: a weekly wave and a yearly drift, one spike to 30 hours, one dip to 0."""
    return {20_000: 30.0, 30_000: 0.0}.get(number, round(5 + 1.5 * math.sin(number / 1.1) + 1.2 * math.sin(number / 365), 1))


def test_a_long_series_draws_a_bounded_number_of_marks_that_keep_its_shape() -> None:
    response = kpi(id="lrt", name="Lead response time", unit="hours", direction="lower", target={"value": 4})
    since_1900 = daily(date(1900, 1, 1), date(2026, 11, 22), wave)  # the shape of issue 21's finding 14
    assert len(since_1900) == 46_347
    svg = results_chart_svg(response, since_1900, kpi_health(response, since_1900, TODAY))
    root = assert_drawn_inside(svg)
    dots = [dot for dot in root.iter(f"{SVG}circle") if "pb-chart__point" in (dot.get("class") or "")]
    line = root.find(f"{SVG}polyline")
    assert line is not None and len(dots) == len(line.get("points", "").split()) == MAX_MARKS
    drawn = [dot.get("data-period") for dot in dots]
    assert drawn == sorted(drawn) and drawn[0] == "1900-01-01" and drawn[-1] == "2026-11-22"  # in order, both ends
    # The shape is kept: the spike and the dip are drawn, at their values.
    spike, dip = since_1900[20_000], since_1900[30_000]
    assert {spike.period.text: "30", dip.period.text: "0"}.items() <= {
        d.get("data-period"): d.get("data-value") for d in dots
    }.items()
    # The text alternative summarises: how many, from when to when, the extremes, the latest, where the rest is.
    desc = root.findtext(f"{SVG}desc", "")
    assert desc.startswith(
        f"46,347 results from 1900-01-01 to 2026-11-22; lowest {dip.period.text}: 0 hours; highest {spike.period.text}: 30 hours."
    )
    assert f"The chart draws {MAX_MARKS} of them, chosen to keep the line's shape" in desc
    assert "every result is in the CSV export and in playbook.json" in desc and len(desc) < 1500
    assert len(svg) < 60_000  # bytes: about 400 a mark, whatever the series' length
    # Ten times fewer results draw as many marks; a series of at most MAX_MARKS draws every result.
    ten_years = daily(date(2016, 11, 23), date(2026, 11, 22), wave)
    assert len(parse(results_chart_svg(response, ten_years)).findall(f"{SVG}circle")) == MAX_MARKS
    short = since_1900[-MAX_MARKS:]
    assert len(parse(results_chart_svg(response, short)).findall(f"{SVG}circle")) == MAX_MARKS
    described = short[-DESCRIBED:]  # up to DESCRIBED results, the description says every value
    said = parse(results_chart_svg(response, described)).findtext(f"{SVG}desc", "")
    assert said.startswith(f"{described[0].period.text}: ") and said.count(" hours;") == DESCRIBED - 1


def test_shape_keeping_keeps_the_ends_the_extremes_and_the_order() -> None:
    points = [(float(index), math.sin(index / 50)) for index in range(10_000)]
    points[4_321] = (4_321.0, 9.0)  # a peak
    points[7_654] = (7_654.0, -9.0)  # a trough
    kept = shape_keeping(points, 100)
    assert len(kept) == 100 and kept == sorted(set(kept)) and kept[0] == 0 and kept[-1] == 9_999
    assert {4_321, 7_654} <= set(kept)
    assert shape_keeping(points[:50], 100) == list(range(50))  # fewer points than marks: every one
    assert shape_keeping(points[:3], 2) == [0, 1, 2]


@settings(max_examples=40, deadline=None)
@given(
    target=st.none() | FINITE,
    values=st.lists(FINITE, min_size=MAX_MARKS + 1, max_size=4 * MAX_MARKS),
)
def test_any_long_series_of_any_numbers_draws_at_most_max_marks_inside_the_chart(
    target: float | None, values: list[float]
) -> None:
    measured = kpi(unit="score", direction="higher", target=None)
    if target is not None:
        measured = measured.model_copy(update={"target": Target(value=target)})
    series = monthly(values)
    root = assert_drawn_inside(results_chart_svg(measured, series, kpi_health(measured, series, TODAY)))
    dots = [dot for dot in root.iter(f"{SVG}circle") if "pb-chart__point" in (dot.get("class") or "")]
    line = root.find(f"{SVG}polyline")
    assert len(dots) == MAX_MARKS and line is not None and len(line.get("points", "").split()) == MAX_MARKS
    assert [dots[0].get("data-period"), dots[-1].get("data-period")] == [series[0].period.text, series[-1].period.text]
