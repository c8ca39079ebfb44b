"""A site built with the least configuration, and one opened from disk (issue 13).

- A two-line `mkdocs.yml` (`site_name` and the plugin; with `theme: material` or without a theme)
  builds the full site, and a reader's browser requests nothing from another host: no Google
  Fonts, nothing but the site's own files.
- `playbook build --offline` (what the pull-request preview artifact is) works from `file://`:
  navigation leads to pages (not directory listings) and search finds entities, with no server.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import DEFAULT_CONTENT

from .conftest import DESKTOP, Site, Watch, new_page, playbook_command, screenshot, serve, stop

pytestmark = pytest.mark.browser

TWO_LINES = {
    "material": "site_name: Northwind Playbook\ntheme: material\nplugins: [playbook]\n",
    "no-theme": "site_name: Northwind Playbook\nplugins: [playbook]\n",
}


def build_in(project: Path, *args: str) -> Path:
    result = subprocess.run([*playbook_command(), "build", *args], cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="module", params=list(TWO_LINES))
def two_line_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    project = tmp_path_factory.mktemp(f"two-lines-{request.param}")
    shutil.copytree(DEFAULT_CONTENT, project / "content")
    (project / "mkdocs.yml").write_text(TWO_LINES[request.param], encoding="utf-8")
    server, url = serve(build_in(project))
    try:
        yield Site(project / "site", url, project / "content")
    finally:
        stop(server)


@pytest.mark.parametrize("path", ["", "roles/account-executive/", "leads/", "kpis/", "alignment/"])
def test_a_two_line_mkdocs_yml_builds_a_site_that_requests_nothing_elsewhere(
    browser: object, two_line_site: Site, path: str
) -> None:
    watch = Watch()
    page: Any = new_page(browser, watch, viewport=DESKTOP)
    try:
        page.goto(two_line_site.url + path, wait_until="networkidle")
        assert page.locator("input.md-search__input").count() == 1, "Material's search is there"
        assert page.locator("nav.md-nav--primary a.md-nav__link").count() > 5, "the generated navigation is there"
        fonts = page.evaluate("() => [...document.querySelectorAll('link[href]')].map(l => l.href)")
        page.locator("input.md-search__input").click()
        page.keyboard.type("MQL")
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
    finally:
        page.context.close()
    assert not [href for href in fonts if "fonts.googleapis" in href or "fonts.gstatic" in href]
    assert watch.requests and watch.foreign_hosts(two_line_site.url) == []
    assert watch.errors == [] and watch.csp == []


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("offline")
    shutil.copytree(DEFAULT_CONTENT, project / "content")
    (project / "mkdocs.yml").write_text(TWO_LINES["material"], encoding="utf-8")
    return build_in(project, "--offline", "-d", "preview").parent / "preview"


def test_the_offline_build_navigates_and_searches_from_disk(browser: object, offline_site: Path) -> None:
    watch = Watch()
    page: Any = new_page(browser, watch, viewport=DESKTOP)
    try:
        page.goto((offline_site / "index.html").as_uri(), wait_until="load")
        page.locator("nav.md-nav--primary a.md-nav__link", has_text="Lead definitions").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/leads.html") or page.url.endswith("/leads/index.html"), page.url
        assert page.locator("article h1").inner_text().startswith("Lead definitions")
        page.locator("input.md-search__input").click()
        page.keyboard.type("Win rate", delay=10)
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        link = page.locator(".md-search-result__item a.md-search-result__link").first
        href = link.get_attribute("href") or ""
        screenshot(page, "offline-search-from-disk", full_page=False)
        link.click()
        page.wait_for_load_state("load")
        shown = page.locator("article").inner_text()
    finally:
        page.context.close()
    assert "kpis" in href and href.split("#")[0].split("?")[0].endswith(".html"), href
    assert "Win rate" in shown
    assert not [url for url in watch.requests if not url.startswith(("file:", "data:", "blob:", "about:"))], watch.requests
    assert watch.errors == [] and watch.csp == []
