"""Every page type in headless Chromium on a desktop (the light scheme), on the site of each engine:
no request to another host, no script error, no broken asset, one Content-Security-Policy that
blocks nothing, no serious or critical axe-core violation, and a full-page screenshot
(tests/screenshots/<page type>-desktop[-zensical].png). The foreign playbook's pages too.

One page load per page type does all the checks, to keep the suite fast.
"""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, Site, Watch, new_page, screenshot
from .pages import PAGE_TYPES, assert_no_violations, check_page, expected_failures, search, serious, violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_on_a_desktop(browser: object, default_site: Site, name: str) -> None:
    """Loads with requests only to 127.0.0.1:<port>, no script error, no serious/critical axe violation."""
    from axe_playwright_python.sync_playwright import Axe

    watch = Watch()
    page = new_page(browser, watch, viewport=DESKTOP)
    try:
        check_page(page, watch, default_site, name, PAGE_TYPES[name])
        screenshot(page, default_site.shot(f"{name}-desktop"))
        # axe-core 4.x is bundled with axe-playwright-python (axe.min.js) and injected by evaluate:
        # running it makes no request. All rules run; none is filtered out.
        violations = Axe().run(page).response["violations"]
    finally:
        page.context.close()  # type: ignore[attr-defined]
    assert watch.requests, "the watch saw the page's requests"
    assert default_site.search_index in watch.requests, "requests from the search worker are seen"
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
            assert search(page, "Messekontakt"), "the search found something"
            page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
            assert_no_violations(page, watch)
            screenshot(page, foreign_site.shot("foreign-search-desktop"), full_page=False)
    finally:
        page.context.close()  # type: ignore[attr-defined]
    assert watch.foreign_hosts(foreign_site.url) == []
    assert watch.failures == [] and watch.errors == []
    assert serious(violations) == []


def test_the_policy_blocks_an_inline_script_and_the_check_sees_it(page: object, watch: Watch, default_site: Site) -> None:
    """The CSP checks are not empty: a script the page's policy does not name by its hash (one added
    after the page loaded, as an injected one would be) does not run, and the recorder reports it."""
    page.goto(default_site.url + "roles/account-executive/")  # type: ignore[attr-defined]
    assert violations(page) == []
    page.evaluate(  # type: ignore[attr-defined]
        "() => { const s = document.createElement('script'); s.textContent = 'window.__pbRan = true'; document.head.append(s); }"
    )
    page.wait_for_function("() => window.__pbCsp.length > 0")  # type: ignore[attr-defined]
    assert page.evaluate("() => window.__pbRan === undefined")  # type: ignore[attr-defined]
    (blocked,) = violations(page)
    assert blocked.startswith("script-src-elem blocked inline on "), blocked
    for _ in range(20):  # the binding's call reaches the test between the page's events
        if watch.csp:
            break
        page.wait_for_timeout(50)  # type: ignore[attr-defined]
    assert watch.csp == [blocked]
