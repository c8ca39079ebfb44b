"""What a reader sees, proven in headless Chromium against the built site on 127.0.0.1."""

from __future__ import annotations

import pytest

from generator.load import load

from .conftest import SCREENSHOTS, Site, Watch, new_page

PAGE_TYPES = {
    "home": "",
    "roles": "roles/",
    "role": "roles/account-executive/",
    "leads": "leads/",
    "kpis": "kpis/",
    "checklist": "checklist/",
    "alignment": "alignment/",
    "glossary": "glossary/",
    "responsibilities": "responsibilities/",
    "not-found": "no-such-page/",
}


def search(page: object, site: Site, query: str) -> list[str]:
    """Type into Material's search box; the result links in order, relative to the site."""
    page.goto(site.url)
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    # Results update as each key arrives: wait until they stop changing.
    links: list[str] = []
    for _ in range(40):
        current = page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.href)")
        if current and current == links:
            break
        links = current
        page.wait_for_timeout(250)
    return [link.removeprefix(site.url).split("?")[0] + ("#" + link.split("#", 1)[1] if "#" in link else "") for link in links]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("MQL", "leads/#marketing-qualified-lead"),
        ("SAL", "leads/#sales-accepted-lead"),
        ("SQL", "leads/#sales-qualified-lead"),
        ("Win rate", "kpis/#win-rate"),
        ("customer acquisition cost", "kpis/#customer-acquisition-cost"),
        ("mutual action plan", "roles/account-executive/"),  # a phrase from a responsibility
        ("sales-development-rep", "roles/sales-development-rep/"),  # a hyphenated id
        ("account-executive", "roles/account-executive/"),
        ("baton zone", "glossary/#baton-zone"),
    ],
)
def test_search_finds_the_entity(page: object, default_site: Site, query: str, expected: str) -> None:
    links = search(page, default_site, query)
    assert expected in [link.split("?")[0] for link in links[:6]], f"{query!r}: {links[:6]}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Messekontakt", "leads/#messekontakt"), ("KAM", "roles/key-account-manager/"), ("Angebotsfrist", "glossary/#angebotsfrist")],
)
def test_search_on_another_playbook(page: object, foreign_site: Site, query: str, expected: str) -> None:
    links = search(page, foreign_site, query)
    assert expected in links[:6], f"{query!r}: {links[:6]}"


def test_abbreviation_tooltip_shows_its_definition(page: object, default_site: Site) -> None:
    page.goto(default_site.url + "roles/account-executive/")
    abbreviation = page.locator("p abbr, li abbr").filter(has_text="SQL").first
    abbreviation.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.inner_text().startswith("Sales Qualified Lead: A lead the SDR has qualified")
    link = page.locator("a.pb-abbr", has=page.locator("abbr", has_text="SQL")).first
    link.click()
    page.wait_for_url("**/leads/#sales-qualified-lead")


def answer_all(page: object, questions: list[str], scores: list[int]) -> None:
    for question, score in zip(questions, scores, strict=True):
        page.locator(f'input[name="pb-q-{question}"][value="{score}"]').check()


def expected_stage(site: Site, total: int) -> tuple[str, list[str]]:
    playbook = load(site.content)
    stage = next(s for s in playbook.alignment.stages if s.score[0] <= total <= s.score[1])
    return stage.id, stage.next_steps


@pytest.mark.parametrize("which", ["default_site", "foreign_site"])
def test_self_assessment_scores_into_the_stage_whose_band_holds_the_total(page: object, which: str, request: pytest.FixtureRequest) -> None:
    site: Site = request.getfixturevalue(which)
    questions = [q.id for q in load(site.content).alignment.questions]
    count = len(questions)
    middle = [1 + (i * 7) % 5 for i in range(count)]  # a spread of answers
    for scores in ([1] * count, [5] * count, middle):
        page.goto(site.url + "alignment/")
        result = page.locator("#pb-assessment-result")
        assert "Answer all" in result.inner_text()
        answer_all(page, questions[:-1], scores[:-1])
        assert result.get_attribute("data-stage") is None
        assert "1 statement left" in result.inner_text()
        answer_all(page, questions[-1:], scores[-1:])
        stage_id, next_steps = expected_stage(site, sum(scores))
        assert result.get_attribute("data-stage") == stage_id, f"total {sum(scores)}"
        assert f"Your total is {sum(scores)} of {count * 5}." in result.inner_text()
        shown = result.locator("li").all_inner_texts()
        assert shown == [step.strip() for step in next_steps]


def test_self_assessment_with_the_keyboard(page: object, default_site: Site) -> None:
    page.goto(default_site.url + "alignment/")
    first = page.locator("fieldset[data-question] input[type=radio]").first
    first.focus()
    page.keyboard.press("Space")  # selects 1
    page.keyboard.press("ArrowRight")  # moves to and selects 2
    page.keyboard.press("ArrowRight")
    name = first.get_attribute("name")
    assert page.locator(f'input[name="{name}"]:checked').get_attribute("value") == "3"
    assert "19 statements left" in page.locator("#pb-assessment-result").inner_text()


def test_self_assessment_after_navigating_from_another_page(page: object, default_site: Site) -> None:
    page.goto(default_site.url)
    page.locator("a[href='alignment/#diagnostic']").first.click()
    page.wait_for_url("**/alignment/#diagnostic")
    questions = [q.id for q in load(default_site.content).alignment.questions]
    answer_all(page, questions, [5] * len(questions))
    assert page.locator("#pb-assessment-result").get_attribute("data-stage") == "integrated"


def test_onboarding_ticks_persist(page: object, default_site: Site) -> None:
    page.goto(default_site.url + "roles/account-executive/")
    boxes = page.locator("input[type=checkbox][data-pb-onboarding]")
    assert boxes.count() == len(load(default_site.content).roles["account-executive"].onboarding)
    boxes.nth(1).check()
    page.reload()
    assert boxes.nth(1).is_checked() and not boxes.nth(0).is_checked()


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_requests_nothing_elsewhere_and_has_no_script_error(
    browser: object, watch: Watch, default_site: Site, name: str
) -> None:
    page = new_page(browser, watch, viewport={"width": 1280, "height": 900})
    try:
        page.goto(default_site.url + PAGE_TYPES[name], wait_until="networkidle")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    finally:
        page.context.close()
    assert watch.requests, "the page made requests"
    assert watch.foreign_hosts(default_site.url) == []
    assert [e for e in watch.errors if name != "not-found" or "404" not in e] == []


@pytest.mark.parametrize("name", [n for n in PAGE_TYPES if n != "not-found"])
def test_accessibility_no_serious_or_critical_violations(page: object, default_site: Site, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(default_site.url + PAGE_TYPES[name], wait_until="networkidle")
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_phone_menu_opens_and_pages_fit(phone: object, default_site: Site) -> None:
    phone.goto(default_site.url + "roles/account-executive/")
    drawer = phone.locator("nav.md-nav--primary")
    assert not drawer.is_visible() or drawer.bounding_box()["x"] < 0
    phone.locator("label.md-header__button[for='__drawer']").click()
    phone.wait_for_timeout(400)
    assert phone.locator("#__drawer").is_checked()
    box = drawer.bounding_box()
    assert box is not None and box["x"] >= 0 and drawer.locator("a", has_text="Lead definitions").first.is_visible()
    for path in ("roles/account-executive/", "kpis/", "responsibilities/", "leads/", "alignment/"):
        phone.goto(default_site.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide on a 375px screen"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / f"{path.strip('/').replace('/', '-')}-phone.png"), full_page=False)
    phone.goto(default_site.url + "responsibilities/")
    wrapper = phone.locator(".md-typeset__table").first
    assert wrapper.evaluate("e => getComputedStyle(e.closest('.md-typeset__scrollwrap') || e).overflowX") in ("auto", "scroll")
