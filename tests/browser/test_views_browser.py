"""Issue 6's views as a reader sees them in headless Chromium, on each engine's site: the funnel's
text inside its boxes, the onboarding ticks and their storage keys, the self-assessment's result,
reset and instant navigation (under the pages' Content-Security-Policy), and the print handout.
Screenshots go to tests/screenshots/views-*.png (views-*-zensical.png for Zensical)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import DEFAULT_CONTENT, make_site_project
from playbook_site.content import load
from playbook_site.site.onboarding import onboarding_keys

from .conftest import SCREENSHOTS, Site, Watch, build, serve
from .pages import assert_no_violations


def shot(page: object, name: str, **options: object) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # type: ignore[attr-defined]  # else the sticky header lands mid-page
    page.wait_for_timeout(200)  # type: ignore[attr-defined]
    page.screenshot(path=str(SCREENSHOTS / f"views-{name}.png"), **options)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def instant_site(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[Site]:
    """The default playbook with the theme's instant navigation on (it needs `site_url`: the server's URL)."""
    project = make_site_project(tmp_path_factory.mktemp(f"browser-instant-{engine}") / "repo", DEFAULT_CONTENT)
    (project / "site").mkdir()
    server, url = serve(project / "site")  # serves whatever is in site/ when a request arrives
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "    - navigation.sections\n", "    - navigation.instant\n    - navigation.sections\n", 1
    )
    config.write_text(text + f"\nsite_url: {url}\n", encoding="utf-8")
    build(project, engine)
    yield Site(project / "site", url, project / "content", engine)
    server.shutdown()


# Every text in a stage's group, and the group's box, in screen pixels.
_FUNNEL_BOXES = """
svg => Array.from(svg.querySelectorAll('g.pb-funnel__stage')).map(g => {
  const r = g.querySelector('rect').getBoundingClientRect();
  return {stage: g.dataset.stage, box: [r.left, r.top, r.right, r.bottom],
          texts: Array.from(g.querySelectorAll('tspan')).map(t => {
            const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.top, b.right, b.bottom]; })};
})
"""


def _funnel_text_inside(svg: object, site: Site) -> None:
    """Every stage's words inside its box, every label inside the drawing."""
    assert svg.is_visible()  # type: ignore[attr-defined]
    stages = svg.evaluate(_FUNNEL_BOXES)  # type: ignore[attr-defined]
    assert [s["stage"] for s in stages] == list(load(site.content).leads)
    for stage in stages:
        left, top, right, bottom = stage["box"]
        for text, t_left, t_top, t_right, t_bottom in stage["texts"]:
            assert left + 2 <= t_left and t_right <= right - 2 and top <= t_top and t_bottom <= bottom, (stage["stage"], text)
    figure = svg.bounding_box()  # type: ignore[attr-defined]
    for label in svg.locator("text").all():  # type: ignore[attr-defined]
        box = label.bounding_box()
        assert box["x"] >= figure["x"] - 1 and box["x"] + box["width"] <= figure["x"] + figure["width"] + 1, label.inner_text()


@pytest.mark.parametrize("which", ["default_site", "foreign_site"])
def test_funnel_text_stays_inside_its_boxes_and_the_figure(
    page: object, engine: str, which: str, request: pytest.FixtureRequest
) -> None:
    site: Site = request.getfixturevalue(which)  # built by `engine`
    for width in (360, 1280):  # the narrow drawing a phone shows, then the wide one
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site.url + "leads/")
        _funnel_text_inside(page.locator("figure.pb-funnel svg >> visible=true"), site)
    if which == "default_site":
        page.locator("figure.pb-funnel").scroll_into_view_if_needed()
        page.locator("figure.pb-funnel").screenshot(path=str(SCREENSHOTS / f"{site.shot('views-funnel')}.png"))


def test_onboarding_ticks_are_stored_per_site_role_and_step(page: object, watch: Watch, default_site: Site) -> None:
    playbook = load(default_site.content)
    page.goto(default_site.url + "roles/sales-development-rep/")
    boxes = page.locator("input[type=checkbox][data-pb-onboarding]")
    expected = onboarding_keys(playbook, playbook.roles["sales-development-rep"])
    assert [boxes.nth(i).get_attribute("data-pb-onboarding") for i in range(boxes.count())] == expected
    boxes.nth(0).check()
    boxes.nth(2).check()
    boxes.nth(2).uncheck()
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pb-onboarding:')).sort()")
    assert stored == ["pb-onboarding:" + expected[0]]
    assert_no_violations(page, watch)  # the ticks' script runs under the page's policy
    page.reload()
    assert [boxes.nth(i).is_checked() for i in range(3)] == [True, False, False]
    # Another role's list is its own: nothing ticked there.
    page.goto(default_site.url + "roles/account-executive/")
    assert page.locator("input[data-pb-onboarding]:checked").count() == 0
    # An abbreviation inside a step shows its tooltip and links to its definition; the rest of the label ticks.
    link = page.locator("ul.pb-onboarding a.pb-abbr", has=page.locator("abbr", has_text="SDR")).first
    assert link.get_attribute("href") == "../sales-development-rep/"
    page.locator("ul.pb-onboarding label").nth(0).click(position={"x": 40, "y": 8})
    assert page.locator("input[data-pb-onboarding]").nth(0).is_checked()
    assert_no_violations(page, watch)
    shot(page, default_site.shot("role"), full_page=True)


def test_self_assessment_result_reset_and_enter(page: object, watch: Watch, default_site: Site) -> None:
    playbook = load(default_site.content)
    questions = [q.id for q in playbook.alignment.questions]
    page.goto(default_site.url + "alignment/")
    result = page.locator("#pb_assessment_result")
    assert "Defined today, aiming for Aligned" in result.inner_text()  # before any answer
    scores = [4] * len(questions)  # 80: Integrated, two stages above Defined
    for question, score in zip(questions, scores, strict=True):
        page.locator(f'input[name="pb-q-{question}"][value="{score}"]').check()
    stage = next(s for s in playbook.alignment.stages if s.score[0] <= sum(scores) <= s.score[1])
    assert result.get_attribute("data-stage") == stage.id
    text = result.inner_text()
    assert f"Stage: {stage.name}" in text and stage.description.split(".")[0] in text
    current = [s.id for s in playbook.alignment.stages].index(playbook.meta.alignment.current)
    gap = [s.id for s in playbook.alignment.stages].index(stage.id) - current
    assert f"Your answers place you {gap} stages above that." in text
    form = page.locator("#pb_self_assessment")
    page.set_viewport_size({"width": 1280, "height": int(form.bounding_box()["height"]) + 300})  # all of it, no sticky header
    form.screenshot(path=str(SCREENSHOTS / f"{default_site.shot('views-self-assessment')}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    # Enter on a radio button never submits the form (which would reload the page and lose the answers).
    page.locator(f'input[name="pb-q-{questions[0]}"][value="4"]').focus()
    page.evaluate("window.__pbStillHere = true")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pbStillHere === true") and result.get_attribute("data-stage") == stage.id
    page.get_by_role("button", name="Clear my answers").click()
    page.wait_for_function(
        "() => document.querySelector('#pb_assessment_result').textContent.includes('Answer all')"
    )  # a function, not a string to eval: the page's CSP allows no eval
    assert result.get_attribute("data-stage") is None and page.locator("#pb_self_assessment input:checked").count() == 0
    assert_no_violations(page, watch)


def test_self_assessment_under_instant_navigation(page: object, watch: Watch, instant_site: Site) -> None:
    questions = [q.id for q in load(instant_site.content).alignment.questions]
    page.goto(instant_site.url)
    page.wait_for_function("() => window.document$ !== undefined")
    page.evaluate("window.__pbSamePage = true")  # survives only if the next page arrives without a reload
    page.locator("article a[href$='/alignment/#diagnostic']").first.click()  # instant navigation makes links absolute
    page.wait_for_url("**/alignment/#diagnostic")
    page.wait_for_selector("#pb_self_assessment[data-pb-ready]")
    assert page.evaluate("window.__pbSamePage === true"), "instant navigation reloaded the page"
    for question in questions:
        page.locator(f'input[name="pb-q-{question}"][value="1"]').check()
    assert page.locator("#pb_assessment_result").get_attribute("data-stage") == "undefined"
    # Away and back again, still without a reload: the new copy of the form works too.
    page.locator("a.md-nav__link[href$='/leads/']").first.click()
    page.wait_for_url("**/leads/")
    # The address can change before the new page's content arrives (Zensical's instant loading does
    # that): wait until the form has gone, else going back would find the first copy still there.
    page.locator("#pb_self_assessment").wait_for(state="detached")
    page.go_back()
    page.wait_for_selector("#pb_self_assessment[data-pb-ready]")
    page.locator(f'input[name="pb-q-{questions[0]}"][value="5"]').check()
    assert page.evaluate("window.__pbSamePage === true")
    left = len(questions) - 1  # a fresh copy of the form: the answers before leaving are gone, the new one counts
    assert page.locator("#pb_assessment_result").inner_text().startswith(f"{left} statements left to answer.")
    assert watch.errors == []  # e.g. no JSON re-run as a script by the instant loader
    assert_no_violations(page, watch)  # nor a page's inline script, whose hash the first page's policy lacks


@pytest.mark.parametrize("path", ["roles/account-executive/", "checklist/"])
def test_role_page_and_checklist_print_as_a_handout(page: object, default_site: Site, path: str) -> None:
    page.goto(default_site.url + path)
    if path.startswith("roles/"):
        page.locator("input[data-pb-onboarding]").nth(0).check()
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator("h1").first.is_visible()
    colour = page.locator(".md-typeset a").first.evaluate("a => getComputedStyle(a).color")
    assert colour == "rgb(0, 0, 0)"
    if path.startswith("roles/"):
        boxes = page.locator("ul.pb-onboarding input")
        assert boxes.first.is_visible() and boxes.first.evaluate("b => getComputedStyle(b).borderTopStyle") == "solid"
        assert page.locator("ul.pb-onboarding").evaluate("u => getComputedStyle(u).listStyleType") == "none"
        shot(page, default_site.shot("role-print"), full_page=True)
    pdf = page.pdf(format="A4")  # Chromium's own print path runs with the print styles without an error
    assert pdf.startswith(b"%PDF")


FUNNEL_TEXT_SIZES = """f => [...f.querySelectorAll('svg')].map(svg => {
    const shown = getComputedStyle(svg).display !== 'none';
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [svg.getAttribute('class'), shown,
            [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale)];
})"""


def test_funnel_fits_a_phone_and_its_hand_offs_read_in_full_size_words(phone: object, default_site: Site) -> None:
    """At 360 px the page shows the funnel's stacked drawing, whole, every word of it at 10 px or
    more (issue 23: the wide drawing scaled to the screen wrote its words at 5-7 px); the wide one is
    not displayed (so no screen reader reads it twice). On a desktop it is the other way round."""
    phone.set_viewport_size({"width": 360, "height": 800})
    phone.goto(default_site.url + "leads/")
    figure = phone.locator("figure.pb-funnel")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert figure.evaluate("f => f.scrollWidth <= f.clientWidth"), "the funnel scrolls in its figure"
    drawings = figure.evaluate(FUNNEL_TEXT_SIZES)
    assert [(css, shown) for css, shown, _ in drawings] == [
        ("pb-funnel__svg", False),
        ("pb-funnel__svg pb-funnel__svg--narrow", True),
    ]
    sizes = drawings[1][2]
    assert len(sizes) >= 3 * 3 and min(sizes) >= 10, sizes
    box = figure.locator("svg >> visible=true").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert "within 24 h" in (figure.locator("svg >> visible=true").text_content() or "")
    shot(phone, default_site.shot("funnel-360"), full_page=True)
    cell = phone.locator("article table td.pb-key").nth(1)  # the lead stages' table keeps the MQL's time limit in view
    cell_box = cell.bounding_box()
    assert cell.inner_text() == "24 h" and cell_box is not None and cell_box["x"] + cell_box["width"] <= 360 + 0.5
    phone.set_viewport_size({"width": 1280, "height": 900})
    drawings = figure.evaluate(FUNNEL_TEXT_SIZES)
    assert [shown for _, shown, _ in drawings] == [True, False]
    assert min(drawings[0][2]) >= 10, drawings[0][2]
    shot(phone, default_site.shot("funnel-desktop"))
