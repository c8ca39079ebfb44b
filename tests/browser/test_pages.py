"""Every page type in headless Chromium: no request to another host, no script error, no broken
asset, no serious or critical axe-core violation, nothing wider than a phone, and screenshots
(tests/screenshots/<page type>-desktop.png and -phone.png) for people to look at.

One page load per page type and screen size does all the checks, to keep the suite fast.
"""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE, Site, Watch, new_page, screenshot

pytestmark = pytest.mark.browser

# Every page type the generator writes, and Material's 404 page (served as a static host does).
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

# Elements that make the browser fetch something, or prepare to (preconnect, prefetch): all must
# point at the site itself. Requests are caught as they happen; this also catches hints and
# resources a browser might load later (on hover, on print, on another screen size).
_FETCHING = """
() => Array.from(document.querySelectorAll(
  'link[href]:not([rel~="canonical"]):not([rel~="alternate"]):not([rel~="license"]), script[src], img[src], ' +
  'img[srcset], source[src], source[srcset], iframe[src], video[src], audio[src], embed[src], object[data], ' +
  'image[href], use[href]'
)).flatMap(e => [e.href && e.href.baseVal !== undefined ? e.href.baseVal : (e.href || ''), e.src || '', e.data || '',
                 ...(e.srcset || '').split(',').map(s => s.trim().split(' ')[0])])
  .filter(u => u && !u.startsWith('#')).map(u => new URL(u, document.baseURI).href)
"""

# CSS that would fetch from elsewhere: @import and url() in every stylesheet the page uses.
_CSS_URLS = """
() => Array.from(document.styleSheets).flatMap(sheet => {
  let rules = [];
  try { rules = Array.from(sheet.cssRules); } catch (e) { return ['unreadable stylesheet ' + sheet.href]; }
  return rules.flatMap(rule => Array.from(rule.cssText.matchAll(/url\\(\\s*['"]?([^'")]+)/g)).map(m => new URL(m[1], sheet.href || document.baseURI).href));
}).filter(u => !u.startsWith('data:'))
"""

# Text-bearing elements of the article that end beyond the right edge of the screen; a table's
# cells may, inside the wrapper that scrolls them.
_CLIPPED = """
width => Array.from(document.querySelectorAll('article :is(p, li, h1, h2, h3, h4, dt, dd, td, th, figcaption, legend, label)'))
  .filter(e => !e.closest('.md-typeset__scrollwrap, .md-typeset__table, pre, .pb-funnel'))
  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1)
  .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 60))
"""


def _own(site: Site, urls: list[str]) -> list[str]:
    return [url for url in urls if not url.startswith(site.url) and not url.startswith(("data:", "blob:"))]


def _expected_failures(name: str, site: Site, path: str) -> set[str]:
    """The not-found page is itself a 404; nothing else may fail."""
    if name != "not-found":
        return set()
    return {f"{site.url}{path}: HTTP 404"}


def _serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def _check_page(page: object, watch: Watch, site: Site, name: str, path: str) -> None:
    response = page.goto(site.url + path, wait_until="networkidle")  # type: ignore[attr-defined]
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200)
    assert page.locator("h1").first.is_visible(), "the page has a visible heading"  # type: ignore[attr-defined]
    if name == "not-found":
        assert "404" in page.locator("article").inner_text()  # type: ignore[attr-defined] # Material's page, not the server's
    assert page.locator("link[href*='assets/stylesheets/main']").count() == 1  # type: ignore[attr-defined]
    assert _own(site, page.evaluate(_FETCHING)) == []  # type: ignore[attr-defined]
    assert _own(site, page.evaluate(_CSS_URLS)) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_on_a_desktop(browser: object, default_site: Site, name: str) -> None:
    """Loads with requests only to 127.0.0.1:<port>, no script error, no serious/critical axe violation."""
    from axe_playwright_python.sync_playwright import Axe

    watch = Watch()
    page = new_page(browser, watch, viewport=DESKTOP)
    try:
        _check_page(page, watch, default_site, name, PAGE_TYPES[name])
        screenshot(page, f"{name}-desktop")
        # axe-core 4.x is bundled with axe-playwright-python (axe.min.js) and injected by evaluate:
        # running it makes no request. All rules run; none is filtered out.
        violations = Axe().run(page).response["violations"]
    finally:
        page.context.close()  # type: ignore[attr-defined]
    assert watch.requests, "the watch saw the page's requests"
    assert any(url.endswith("/search/search_index.json") for url in watch.requests), "requests from the search worker are seen"
    assert watch.foreign_hosts(default_site.url) == []
    assert set(watch.failures) == _expected_failures(name, default_site, PAGE_TYPES[name])
    assert [e for e in watch.errors if not (name == "not-found" and "404" in e)] == []
    assert _serious(violations) == []


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_on_a_phone_in_the_dark_scheme(browser: object, default_site: Site, name: str) -> None:
    """375 px wide, the reader's system set to dark (Material's slate palette): nothing wider than
    the screen, no text running off it, readable type, enough contrast (axe-core), and the same
    privacy and errors. Screenshots: <page type>-phone.png, dark."""
    from axe_playwright_python.sync_playwright import Axe

    watch = Watch()
    page = new_page(browser, watch, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, color_scheme="dark")
    try:
        _check_page(page, watch, default_site, name, PAGE_TYPES[name])
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"  # type: ignore[attr-defined]
        width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        clipped = page.evaluate(_CLIPPED, PHONE["width"])  # type: ignore[attr-defined]
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article.md-typeset')).fontSize)")  # type: ignore[attr-defined]
        screenshot(page, f"{name}-phone", full_page=False)  # the first screen, as a phone shows it
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
    assert set(watch.failures) == _expected_failures(name, default_site, PAGE_TYPES[name])
    assert [e for e in watch.errors if not (name == "not-found" and "404" in e)] == []
    assert _serious(violations) == []


@pytest.mark.parametrize("path", ["", "alignment/", "roles/key-account-manager/"])
def test_another_playbook_requests_nothing_elsewhere(browser: object, foreign_site: Site, path: str) -> None:
    """The foreign playbook (German words, other ids, .yaml files): same privacy, errors and
    accessibility; a search there stays on the site too."""
    from axe_playwright_python.sync_playwright import Axe

    watch = Watch()
    page = new_page(browser, watch, viewport=DESKTOP)
    try:
        _check_page(page, watch, foreign_site, "foreign", path)
        violations = Axe().run(page).response["violations"]
        if path == "":
            page.locator("input.md-search__input").click()  # type: ignore[attr-defined]
            page.keyboard.type("Messekontakt")  # type: ignore[attr-defined]
            page.wait_for_selector(".md-search-result__item", timeout=15_000)  # type: ignore[attr-defined]
            page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
            screenshot(page, "foreign-search-desktop", full_page=False)
    finally:
        page.context.close()  # type: ignore[attr-defined]
    assert watch.foreign_hosts(foreign_site.url) == []
    assert watch.failures == [] and watch.errors == []
    assert _serious(violations) == []
