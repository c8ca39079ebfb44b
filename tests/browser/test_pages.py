"""Every page type in headless Chromium on a desktop (the light scheme): no request to another
host, no script error, no broken asset, no serious or critical axe-core violation, and a full-page
screenshot (tests/screenshots/<page type>-desktop.png). The foreign playbook's pages too.

One page load per page type does all the checks, to keep the suite fast.
"""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, Site, Watch, new_page, screenshot
from .pages import PAGE_TYPES, check_page, expected_failures, serious

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_on_a_desktop(browser: object, default_site: Site, name: str) -> None:
    """Loads with requests only to 127.0.0.1:<port>, no script error, no serious/critical axe violation."""
    from axe_playwright_python.sync_playwright import Axe

    watch = Watch()
    page = new_page(browser, watch, viewport=DESKTOP)
    try:
        check_page(page, watch, default_site, name, PAGE_TYPES[name])
        screenshot(page, f"{name}-desktop")
        # axe-core 4.x is bundled with axe-playwright-python (axe.min.js) and injected by evaluate:
        # running it makes no request. All rules run; none is filtered out.
        violations = Axe().run(page).response["violations"]
    finally:
        page.context.close()  # type: ignore[attr-defined]
    assert watch.requests, "the watch saw the page's requests"
    assert any(url.endswith("/search/search_index.json") for url in watch.requests), "requests from the search worker are seen"
    assert watch.foreign_hosts(default_site.url) == []
    assert set(watch.failures) == expected_failures(name, default_site, PAGE_TYPES[name])
    assert [e for e in watch.errors if not (name == "not-found" and "404" in e)] == []
    assert serious(violations) == []


@pytest.mark.parametrize("path", ["", "alignment/", "roles/key-account-manager/"])
def test_another_playbook_requests_nothing_elsewhere(browser: object, foreign_site: Site, path: str) -> None:
    """The foreign playbook (German words, other ids, .yaml files): same privacy, errors and
    accessibility; a search there stays on the site too."""
    from axe_playwright_python.sync_playwright import Axe

    watch = Watch()
    page = new_page(browser, watch, viewport=DESKTOP)
    try:
        check_page(page, watch, foreign_site, "foreign", path)
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
    assert serious(violations) == []
