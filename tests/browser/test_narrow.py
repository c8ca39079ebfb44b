"""A 360 px phone, the narrowest common screen, on every page of the bundled playbook and on each
engine's site (issue 23): nothing is wider than the screen, the latest result of every chart is on
it, and a KPI table keeps its Health column in view. Screenshots: narrow-chart.png,
narrow-scorecard.png, narrow-funnel.png (with -zensical before .png for the Zensical site)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Site, Watch, new_page, screenshot

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}

# Every element that reaches past either edge of the screen. Left out: what the theme keeps off the
# screen on purpose until it is opened (the navigation drawer, the closed search overlay) and what
# scrolls inside a table's own wrapper (the wrapper itself is checked).
OVERFLOW = """
width => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('.md-sidebar, .md-search, .md-typeset__table, .pb-scroll')) continue;  // boxes that scroll sideways
    const r = e.getBoundingClientRect();
    if (!r.width || getComputedStyle(e).visibility === 'hidden') continue;
    if (r.right > width + 0.5 || r.left < -0.5 || r.width > width + 0.5) {
      const name = e.tagName.toLowerCase() + (e.getAttribute('class') ? '.' + e.getAttribute('class').split(' ')[0] : '');
      out.push(`${name} ${Math.round(r.left)}..${Math.round(r.right)}: ${(e.textContent || '').trim().slice(0, 40)}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, out};
}
"""

# Each chart: its KPI, the latest result's dot (the last drawn: the results are drawn oldest first)
# and the drawing itself, as boxes on the screen.
LATEST = """
() => Array.from(document.querySelectorAll('svg.pb-chart__svg')).map(svg => {
  const dots = svg.querySelectorAll('circle[class^="pb-chart__point"]');
  const last = dots[dots.length - 1].getBoundingClientRect();
  const whole = svg.getBoundingClientRect();
  return {kpi: svg.dataset.kpi, period: dots[dots.length - 1].dataset.period, dot: [last.left, last.right],
          svg: [whole.left, whole.right], drawn: dots.length};
})
"""

# The most important column of each table that has one (`th.pb-key`: Health, "Against the target").
KEY_COLUMNS = """
() => Array.from(document.querySelectorAll('article th.pb-key')).map(th => {
  const r = th.getBoundingClientRect();
  return [th.textContent.trim(), r.left, r.right];
})
"""


def _pages(site: Site) -> list[str]:
    """Every page the build wrote (a folder with an index.html), the theme's own files left out."""
    found = []
    for index in sorted(site.root.rglob("index.html")):
        folder = index.parent.relative_to(site.root).as_posix()
        if folder.split("/")[0] in ("assets", "search", "schema", "exports"):
            continue
        found.append("" if folder == "." else folder + "/")
    return found


@pytest.fixture
def narrow(browser: object) -> Any:
    page = new_page(browser, Watch(), viewport=NARROW, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


def test_no_page_is_wider_than_a_360_px_phone(narrow: Any, default_site: Site) -> None:
    """Every page of the bundled playbook: the document no wider than the screen and no element
    reaching past its edges; every chart's latest result on the screen; every key column in view."""
    pages = _pages(default_site)
    assert {"", "leads/", "kpis/", "scorecard/", "roles/account-executive/"} <= set(pages)
    wide: dict[str, Any] = {}
    charts = 0
    for path in pages:
        narrow.goto(default_site.url + path)
        found = narrow.evaluate(OVERFLOW, NARROW["width"])
        assert found["inner"] == NARROW["width"], f"{path}: the phone zoomed out to fit a page wider than the screen: {found}"
        if found["scroll"] > found["inner"] or found["out"]:
            wide[path] = found
        for chart in narrow.evaluate(LATEST):
            charts += 1
            left, right = chart["dot"]
            assert 0 <= left and right <= NARROW["width"], (
                f"{path}: the latest result of {chart['kpi']} is off the screen: {chart}"
            )
            assert 0 <= chart["svg"][0] and chart["svg"][1] <= NARROW["width"], f"{path}: {chart}"
        for name, left, right in narrow.evaluate(KEY_COLUMNS):
            assert 0 <= left and right <= NARROW["width"] + 0.5, f"{path}: the {name} column is off the screen ({left}..{right})"
    assert wide == {}
    assert charts >= 2 * 9  # the bundled playbook's nine KPIs, on the KPI page and the scorecard


def test_a_chart_the_funnel_and_a_health_column_on_a_360_px_phone(narrow: Any, default_site: Site) -> None:
    """The screenshots to look at; and the Health column of the scorecard's table in view beside the
    KPI's name while the table scrolls sideways under it."""
    narrow.goto(default_site.url + "scorecard/")
    figure = narrow.locator("figure.pb-chart").first
    figure.scroll_into_view_if_needed()
    screenshot(narrow, default_site.shot("narrow-chart"), full_page=False)
    table = narrow.locator("article table").first
    table.scroll_into_view_if_needed()
    health = table.locator("th.pb-key")
    assert health.inner_text() == "Health"
    wrapper = narrow.locator("article .md-typeset__scrollwrap").first
    before = health.bounding_box()
    scrolled = wrapper.evaluate("w => { w.scrollLeft = 60; return w.scrollLeft; }")
    after = health.bounding_box()
    screenshot(narrow, default_site.shot("narrow-scorecard"), full_page=False)
    assert before is not None and after is not None
    assert before["x"] + before["width"] <= NARROW["width"] + 0.5
    assert after["x"] >= 0 and after["x"] + after["width"] <= NARROW["width"] + 0.5
    if scrolled:  # the table is wider than the screen: the rest moves under it, the Health column stays
        assert abs(after["x"] - before["x"]) < scrolled / 4, (before, after, scrolled)
    narrow.goto(default_site.url + "leads/")
    funnel = narrow.locator("figure.pb-funnel svg >> visible=true")
    funnel.scroll_into_view_if_needed()
    box = funnel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
    screenshot(narrow, default_site.shot("narrow-funnel"), full_page=False)


def test_the_function_colours_are_the_same_in_the_light_and_the_dark_scheme(browser: object, default_site: Site) -> None:
    """The distance between two functions' colours (tests/test_palette.py) holds in both schemes: the
    dark scheme changes no box's fill or stroke, and no legend swatch's."""
    seen = {}
    for scheme in ("light", "dark"):
        page = new_page(browser, Watch(), viewport=NARROW, color_scheme=scheme)
        try:
            page.goto(default_site.url + "leads/")
            seen[scheme] = page.locator("figure.pb-funnel svg rect").evaluate_all(
                "rs => rs.map(r => [r.getAttribute('fill'), r.getAttribute('stroke'), getComputedStyle(r).fill,"
                " getComputedStyle(r).stroke])"
            )
        finally:
            page.context.close()

    def rgb(colour: str) -> str:
        return f"rgb({int(colour[1:3], 16)}, {int(colour[3:5], 16)}, {int(colour[5:7], 16)})"

    assert seen["light"] and seen["light"] == seen["dark"]
    for fill, stroke, drawn_fill, drawn_stroke in seen["dark"]:
        assert (drawn_fill, drawn_stroke) == (rgb(fill), rgb(stroke))
