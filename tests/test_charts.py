"""The results chart (server-side SVG) and the results table, standalone: valid XML, escaped content,
a text alternative with every value, the target drawn where its value is, nothing outside itself."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

from conftest import DEFAULT_CONTENT
from playbook_site.content import load
from playbook_site.content.health import kpi_health
from playbook_site.content.periods import Result, parse_period
from playbook_site.content.schema import Kpi
from playbook_site.site.charts import RESULTS_TABLE_HEADER, results_chart_svg, results_table, value_axis

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
