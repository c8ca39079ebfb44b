"""Attack 4 in Chromium: a poisoned localStorage (what another page of the same origin, or an older version
of the site, may have written under the "since your last visit" key) never becomes markup or script, and
nothing leaves the browser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import MINIMAL, make_site_project, write_content

from .conftest import DESKTOP, Watch, build, new_page, serve, stop

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pwned=1">'


def test_a_poisoned_store_shows_as_text_and_runs_nothing(browser: object, tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content", MINIMAL, base={})
    site = build(project, "mkdocs")
    server, url = serve(site)
    watch = Watch()
    page: Any = new_page(browser, watch, viewport=DESKTOP)
    try:
        page.goto(url + "roles/account-executive/", wait_until="load")
        page.wait_for_function("() => window.__pbSince !== undefined")
        key = "pb-since:" + page.evaluate("() => window.__pbSince.site")
        poisoned = {
            "pages": {
                "roles/account-executive.md": {"f": ["0"], "v": HOSTILE},
                "__proto__": {"f": ["0"], "v": HOSTILE},
                "kpis.md": {"f": "not a list", "v": HOSTILE},
                "leads.md": {"f": [{"toString": HOSTILE}], "v": {"toString": HOSTILE}},
            },
            "__proto__": {"polluted": True},
        }
        page.evaluate("([key, value]) => window.localStorage.setItem(key, value)", [key, json.dumps(poisoned)])
        for path in ("roles/account-executive/", "kpis/", "leads/", ""):
            page.goto(url + path, wait_until="load")
            page.wait_for_function("() => window.__pbSince !== undefined")
            assert page.evaluate("() => window.__pwned") is None
            assert page.locator(".pb-since img").count() == 0
            assert page.evaluate("() => ({}).polluted") is None
        page.goto(url + "roles/account-executive/", wait_until="load")
        note = page.locator(".pb-since:not([hidden])")
        assert HOSTILE in note.inner_text()  # shown as the text it is
        note.get_by_role("button", name="Mark as read").click()
        assert page.evaluate("() => window.__pwned") is None
    finally:
        page.context.close()
        stop(server)
    own = urlsplit(url).netloc
    assert [request for request in watch.requests if urlsplit(request).netloc != own] == []
    assert watch.errors == [] and watch.csp == []
