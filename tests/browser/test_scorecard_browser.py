"""The numbers as a reader sees them in headless Chromium (issue 16): the Scorecard's charts on a
desktop, in the dark scheme, in print and on a 360 px phone; the KPI page's chart and table, a role's
"Your numbers", the home page's summary, the checklist's overdue badge and the funnel's SLA
compliance; no script error, no Content-Security-Policy violation, no request to another host, and
axe-core finds nothing serious. Expected values come from the content through `playbook_site.load`.

Screenshots (tests/screenshots/): scorecard-desktop.png (the whole page, light), scorecard-dark.png,
scorecard-print.png, scorecard-phone.png (360 px, dark),
scorecard-kpis-desktop.png, scorecard-checklist-desktop.png, scorecard-leads-desktop.png,
scorecard-foreign-desktop.png."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from conftest import FOREIGN_CONTENT, make_site_project
from playbook_site.content import load
from playbook_site.content.health import kpi_health, step_activity, verdict
from playbook_site.site.scorecard import Numbers

from .conftest import DESKTOP, SCREENSHOTS, Site, Watch, build, new_page, serve, stop
from .pages import CLIPPED, serious

pytestmark = pytest.mark.browser

TODAY = date(2026, 11, 23)  # PLAYBOOK_TODAY in tests/conftest.py: the builds use it too
SMALL_PHONE = {"width": 360, "height": 780}

# Content-Security-Policy violations, reported by the browser as events (they need no console).
CSP_WATCH = """
window.__pbCsp = [];
document.addEventListener('securitypolicyviolation', e => window.__pbCsp.push(e.violatedDirective + ' ' + e.blockedURI));
"""

# The colour a chart is drawn on: the first ancestor with a background that is not transparent.
BACKGROUND = """
el => { for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
        if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; }
"""


def rgb(colour: str) -> tuple[float, float, float]:
    parts = colour[colour.index("(") + 1 : colour.index(")")].replace("/", " ").replace(",", " ").split()
    return float(parts[0]), float(parts[1]), float(parts[2])


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed colours."""

    def luminance(colour: str) -> float:
        channels = [c / 255 for c in rgb(colour)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def open_page(browser: object, site: Site, path: str, **options: Any) -> tuple[Any, Watch]:
    watch = Watch()
    page = new_page(browser, watch, **{"viewport": DESKTOP, **options})
    page.add_init_script(CSP_WATCH)  # type: ignore[attr-defined]
    response = page.goto(site.url + path, wait_until="networkidle")  # type: ignore[attr-defined]
    assert response is not None and response.status == 200
    return page, watch


def assert_clean(page: Any, watch: Watch, site: Site) -> None:
    """No script error or console.error, no CSP violation, no request elsewhere, nothing failed."""
    assert watch.errors == []
    assert page.evaluate("window.__pbCsp") == []
    assert watch.foreign_hosts(site.url) == []
    assert watch.failures == []


def shot(page: Any, name: str, **options: Any) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), **options)


def expected(site: Site) -> Numbers:
    return Numbers(load(site.content, today=TODAY), TODAY)


def test_the_scorecard_draws_every_kpis_chart_with_its_title(browser: object, default_site: Site) -> None:
    from axe_playwright_python.sync_playwright import Axe

    numbers = expected(default_site)
    page, watch = open_page(browser, default_site, "scorecard/")
    try:
        assert page.locator("h1").first.inner_text().startswith("Scorecard")
        charted = [item for item in numbers.counted if item.results]
        assert page.locator("figure.pb-chart svg").count() == len(charted)
        for item in charted:
            svg = page.locator(f'svg[data-kpi="{item.kpi.id}"]')
            svg.scroll_into_view_if_needed()
            assert svg.is_visible()
            box = svg.bounding_box()
            assert box is not None and box["width"] >= 400 and box["height"] >= 200, box
            title = svg.locator("title").first.text_content()
            assert title is not None and title.startswith(f"{item.kpi.name}: results by")
            assert svg.get_attribute("aria-labelledby") == f"pb-chart-{item.kpi.id}-title pb-chart-{item.kpi.id}-desc"
            # One dot a result; the section above the chart says the verdict computed from the content.
            assert svg.locator("circle.pb-chart__point").count() == len(item.results)
            health = kpi_health(item.kpi, item.results, TODAY)
            section = page.locator(f"h3#{item.kpi.id} + p, h3#{item.kpi.id} + p + p").all_text_contents()  # as written
            assert any(verdict(item.kpi, health) in text for text in section), section
        summary = numbers.summary.text
        assert summary in page.locator("article").inner_text()
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, "scorecard-desktop", full_page=True)
        violations = Axe().run(page).response["violations"]
        assert_clean(page, watch, default_site)
    finally:
        page.context.close()
    assert serious(violations) == []


def test_the_dark_scheme_keeps_the_charts_visible(browser: object, default_site: Site) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, watch = open_page(browser, default_site, "scorecard/", color_scheme="dark")
    try:
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        figure = page.locator("figure.pb-chart").first
        figure.scroll_into_view_if_needed()
        background = figure.evaluate(BACKGROUND)
        colours = {
            name: page.locator(f"figure.pb-chart {selector}").first.evaluate("e => getComputedStyle(e).stroke")
            for name, selector in (
                ("line", ".pb-chart__line"),
                ("target", ".pb-chart__target"),
                ("grid", ".pb-chart__grid"),
                ("off", ".pb-chart__point--off"),
            )
        }
        label = page.locator("figure.pb-chart .pb-chart__period").first.evaluate("e => getComputedStyle(e).fill")
        # The line, the target, the dots and the labels stand out from the dark background (3:1 is
        # WCAG's ratio for graphics); the line is drawn in the scheme's light text colour.
        for name, colour in {**colours, "label": label}.items():
            if name == "grid":
                continue  # the grid is faint on purpose (18% opacity)
            assert contrast(colour, background) >= 3, (name, colour, background)
        assert rgb(colours["line"])[0] > 150, colours["line"]  # light, not the black of the light scheme
        assert colours["target"] != colours["line"]
        page.evaluate("window.scrollTo(0, 0)")
        page.locator("h3#win-rate").scroll_into_view_if_needed()
        shot(page, "scorecard-dark")
        violations = (
            Axe().run(page, options={"runOnly": ["color-contrast"], "resultTypes": ["violations"]}).response["violations"]
        )
        assert_clean(page, watch, default_site)
    finally:
        page.context.close()
    assert serious(violations) == []


def test_print_shows_the_charts_in_black(browser: object, default_site: Site) -> None:
    page, watch = open_page(browser, default_site, "scorecard/")
    try:
        page.emulate_media(media="print")
        assert not page.locator(".md-sidebar--primary").first.is_visible()
        charts = page.locator("figure.pb-chart svg")
        assert charts.count() > 0
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 150, box
        strokes = page.locator("figure.pb-chart .pb-chart__line, figure.pb-chart .pb-chart__target").evaluate_all(
            "es => [...new Set(es.map(e => getComputedStyle(e).stroke))]"
        )
        assert strokes == ["rgb(0, 0, 0)"], strokes
        assert charts.first.bounding_box()["width"] <= 14 / 2.54 * 96 + 1, "at most 14 cm wide on paper"
        shot(page, "scorecard-print", full_page=True)
        assert page.pdf(format="A4").startswith(b"%PDF")
        assert_clean(page, watch, default_site)
    finally:
        page.context.close()


def test_a_phone_shows_the_whole_chart_with_legible_labels(browser: object, default_site: Site) -> None:
    """At 360 px the chart fits its column whole (issue 23: scrolling it in its box left the latest
    result off the screen): nothing scrolls, the latest dot is on the screen, the labels stay legible."""
    page, watch = open_page(
        browser,
        default_site,
        "scorecard/",
        viewport=SMALL_PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        color_scheme="dark",
    )
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"], "the page scrolls sideways"
        figures = page.locator("figure.pb-chart")
        figure = figures.first
        figure.scroll_into_view_if_needed()
        assert figure.bounding_box()["width"] <= SMALL_PHONE["width"]
        assert figure.evaluate("f => f.scrollWidth <= f.clientWidth"), "the chart scrolls inside its box"
        # The drawing keeps a legible size: an 11-unit label at 10 CSS pixels or more.
        svg = figure.locator("svg")
        scale = svg.evaluate("s => s.getBoundingClientRect().width / s.viewBox.baseVal.width")
        assert 11 * scale >= 10, scale
        latest = svg.locator("circle[class^='pb-chart__point']").last.bounding_box()
        assert latest is not None and latest["x"] + latest["width"] <= SMALL_PHONE["width"]
        caption = figure.locator("figcaption").bounding_box()
        assert caption is not None and caption["x"] + caption["width"] <= SMALL_PHONE["width"]
        assert page.evaluate(CLIPPED, SMALL_PHONE["width"]) == []  # no text runs off the screen
        page.locator("h3#win-rate").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -60)")
        shot(page, "scorecard-phone")
        assert_clean(page, watch, default_site)
    finally:
        page.context.close()


def test_the_numbers_on_the_other_pages(browser: object, default_site: Site) -> None:
    """The KPI page's chart and table, a role's numbers, the home summary, the overdue badge and the
    funnel's SLA compliance, each where a reader looks for it."""
    numbers = expected(default_site)
    playbook = numbers.playbook
    win_rate = numbers.kpi("win-rate")

    page, watch = open_page(browser, default_site, "kpis/")
    try:
        chart = page.locator("p#win-rate-results ~ figure.pb-chart svg").first
        chart.scroll_into_view_if_needed()
        assert chart.is_visible()
        table = page.locator("p#win-rate-results ~ table, p#win-rate-results ~ * table").first  # Material wraps tables
        assert table.locator("tbody tr").count() == len(win_rate.recent)
        last = table.locator("tbody tr").last.locator("td").all_inner_texts()
        assert last[:2] == [win_rate.period, win_rate.latest]
        page.locator("p#win-rate-results").scroll_into_view_if_needed()
        shot(page, "scorecard-kpis-desktop")
        assert_clean(page, watch, default_site)
    finally:
        page.context.close()

    page, watch = open_page(browser, default_site, "roles/sales-manager/")
    try:
        section = page.locator("h2#your-numbers ~ table, h2#your-numbers ~ * table").first
        assert section.is_visible()
        assert section.locator("thead th").all_text_contents() == ["KPI", "How this role relates", "Latest", "Health"]
        link = section.locator("a", has_text="Win rate").first
        assert link.get_attribute("href") == "../../scorecard/#win-rate"
        assert section.locator(".pb-health--off-target").count() > 0
        link.click()
        page.wait_for_url("**/scorecard/#win-rate")
        assert page.locator("h3#win-rate").is_visible()
        assert_clean(page, watch, default_site)
    finally:
        page.context.close()

    page, watch = open_page(browser, default_site, "")
    try:
        assert f"{numbers.summary.text}." in page.locator("article").inner_text()
        assert_clean(page, watch, default_site)
    finally:
        page.context.close()

    page, watch = open_page(browser, default_site, "checklist/")
    try:
        overdue = [s.id for s in playbook.checklist.steps if step_activity(s, playbook.activity, TODAY).overdue]
        assert overdue, "the bundled playbook shows an overdue step"
        for step_id in overdue:
            badge = page.locator(f"h2#{step_id} ~ ul .pb-badge--overdue").first
            badge.scroll_into_view_if_needed()
            assert badge.is_visible() and badge.inner_text().lower() == "overdue"
        page.locator(f"h2#{overdue[0]} ~ ul .pb-badge--overdue").first.evaluate("b => b.scrollIntoView({block: 'center'})")
        shot(page, "scorecard-checklist-desktop")
        assert_clean(page, watch, default_site)
    finally:
        page.context.close()

    page, watch = open_page(browser, default_site, "leads/")
    try:
        compliance = numbers.handoffs()
        assert compliance, "a KPI measures a hand-off in the bundled playbook"
        labels = page.locator("figure.pb-funnel svg >> visible=true").locator("text.pb-funnel__compliance")  # the drawing shown
        assert labels.count() == len(compliance)
        assert all(labels.nth(i).is_visible() for i in range(labels.count()))
        page.locator("figure.pb-funnel").screenshot(path=str(SCREENSHOTS / "scorecard-leads-desktop.png"))
        assert_clean(page, watch, default_site)
    finally:
        page.context.close()


FOREIGN_RESULTS = {
    "results/cost-per-lead.csv": "period,value,note\n2026-Q1,210,\n2026-Q2,195,Messe **München**\n2026-Q3,172,\n",
    "results/lead-to-deal.csv": "period,value\n2026-08,11\n2026-09,12.5\n2026-10,14\n",
    "results/renewal-rate.csv": "period,value\n2026-Q1,88\n2026-Q2,91\n",
    "activity.yaml": "entries:\n  - step: lead-review\n    date: 2026-10-05\n    note: Lead-Review < Messe & **Nachfassen**\n",
}


@pytest.fixture(scope="module")
def foreign_numbers_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """tests/fixtures/foreign with results and activity, built with `playbook build` and served."""
    project = make_site_project(tmp_path_factory.mktemp("browser-foreign-numbers") / "repo")
    shutil.copytree(FOREIGN_CONTENT, project / "content")
    for rel, text in FOREIGN_RESULTS.items():
        (project / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / "content" / rel).write_text(text, encoding="utf-8")
    build(project)
    server, url = serve(project / "site")
    try:
        yield Site(project / "site", url, project / "content")
    finally:
        stop(server)


def test_another_playbooks_scorecard(browser: object, foreign_numbers_site: Site) -> None:
    from axe_playwright_python.sync_playwright import Axe

    numbers = expected(foreign_numbers_site)
    page, watch = open_page(browser, foreign_numbers_site, "scorecard/")
    try:
        assert page.locator("figure.pb-chart svg").count() == len([item for item in numbers.counted if item.results])
        for item in numbers.counted:
            svg = page.locator(f'svg[data-kpi="{item.kpi.id}"]')
            assert svg.is_visible() and (svg.locator("title").first.text_content() or "").startswith(item.kpi.name)
        assert numbers.summary.text in page.locator("article").inner_text()
        shot(page, "scorecard-foreign-desktop", full_page=True)
        violations = Axe().run(page).response["violations"]
        assert_clean(page, watch, foreign_numbers_site)
    finally:
        page.context.close()
    assert serious(violations) == []
