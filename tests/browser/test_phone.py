"""Phone-sized screens (375 x 812) in headless Chromium, on each engine's site: the menu opens, pages
and tables stay readable, and every page type, in the dark scheme, makes no request elsewhere, has
no script error, blocks nothing under its policy and has enough contrast. Screenshots:
<page type>-phone.png (the first screen), menu-phone.png, table-scrolled-phone.png (with
-zensical before .png for the Zensical site)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from playbook_site.content import load

from .conftest import PHONE, Site, Watch, new_page, screenshot
from .pages import CLIPPED, PAGE_TYPES, check_page, expected_failures, serious

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_on_a_phone_in_the_dark_scheme(browser: object, default_site: Site, name: str) -> None:
    """375 px wide, the reader's system set to dark (Material's slate palette): nothing wider than
    the screen, no text running off it, readable type, enough contrast (axe-core), and the same
    privacy and errors. Screenshots: <page type>-phone.png, dark."""
    from axe_playwright_python.sync_playwright import Axe

    watch = Watch()
    page = new_page(browser, watch, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, color_scheme="dark")
    try:
        check_page(page, watch, default_site, name, PAGE_TYPES[name])
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"  # type: ignore[attr-defined]
        width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        clipped = page.evaluate(CLIPPED, PHONE["width"])  # type: ignore[attr-defined]
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article.md-typeset')).fontSize)")  # type: ignore[attr-defined]
        screenshot(page, default_site.shot(f"{name}-phone"), full_page=False)  # the first screen, as a phone shows it
        # The full rule set ran on this page type on the desktop; what the dark palette and the
        # narrow layout change is contrast, so only that rule runs here (a third of the time).
        violations = (
            Axe().run(page, options={"runOnly": ["color-contrast"], "resultTypes": ["violations"]}).response["violations"]
        )
    finally:
        page.context.close()  # type: ignore[attr-defined]
    assert width <= PHONE["width"], f"{name} is {width}px wide on a {PHONE['width']}px screen"
    assert clipped == []
    assert font >= 14, f"body text is {font}px"
    assert watch.foreign_hosts(default_site.url) == []
    assert set(watch.failures) == expected_failures(name, default_site, PAGE_TYPES[name])
    assert [e for e in watch.errors if not (name == "not-found" and "404" in e)] == []
    assert serious(violations) == []


@pytest.fixture
def phone_page(browser: object) -> Iterator[tuple[Any, Watch]]:
    watch = Watch()
    page = new_page(browser, watch, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield page, watch
    page.context.close()  # type: ignore[attr-defined]


def test_phone_menu_opens_from_the_menu_button(phone_page: tuple[Any, Watch], default_site: Site) -> None:
    phone, watch = phone_page
    phone.goto(default_site.url + "roles/account-executive/")
    drawer = phone.locator("nav.md-nav--primary").first

    def on_screen() -> bool:
        box = drawer.bounding_box()
        return box is not None and box["x"] >= 0 and box["x"] < PHONE["width"]

    assert not on_screen(), "the navigation starts hidden"
    phone.locator("label.md-header__button[for='__drawer']").click()
    phone.wait_for_function("() => document.querySelector('nav.md-nav--primary').getBoundingClientRect().left >= 0")
    assert on_screen()
    # On a phone Material opens the drawer at the reader's section: the other roles.
    other = load(default_site.content).roles["sales-manager"].name
    link = drawer.locator("a.md-nav__link", has_text=other).first
    link.wait_for(state="visible")
    screenshot(phone, default_site.shot("menu-phone"), full_page=False)
    link.click()
    phone.wait_for_url("**/roles/sales-manager/")
    assert phone.locator("h1").first.inner_text().startswith(other)
    assert watch.errors == []


def test_phone_table_scrolls_inside_its_wrapper(phone_page: tuple[Any, Watch], default_site: Site) -> None:
    """A wide table (the responsibility matrix) scrolls sideways in its own box; the page does not."""
    phone, _ = phone_page
    phone.goto(default_site.url + "responsibilities/")
    boxes = phone.locator("article .md-typeset__scrollwrap").evaluate_all("ws => ws.map(w => [w.scrollWidth, w.clientWidth])")
    wide = [i for i, (inner, outer) in enumerate(boxes) if inner > outer]
    assert wide, f"the matrix is wider than a phone: {boxes}"
    wrapper = phone.locator("article .md-typeset__scrollwrap").nth(wide[0])
    assert wrapper.locator("table").count() == 1
    assert wrapper.evaluate("w => getComputedStyle(w).overflowX") in ("auto", "scroll")
    assert wrapper.bounding_box()["width"] <= PHONE["width"]
    scrolled = wrapper.evaluate("w => { w.scrollLeft = 200; return w.scrollLeft; }")
    assert scrolled > 0, "the table's wrapper scrolls sideways"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page itself does not"
    screenshot(phone, default_site.shot("table-scrolled-phone"), full_page=False)
