"""`playbook preview` in headless Chromium: the published versions as readers meet them, read from git.

A real repository publishes a small playbook as 1.0 and a change as 2.0; the preview serves its
gh-pages branch on 127.0.0.1 straight from the object database (no export, no checkout). The
address leads to the current version, the version selector lists both and switches to the same page
of the other version, and a missing address gets the site's 404 page with its links.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import init_repo, make_site_project, run_cli, write_content
from playbook_site.publishing.preview import PreviewServer, PublishedBranch, make_server

from .conftest import DESKTOP, Watch, new_page

pytestmark = pytest.mark.browser

SITE_URL = "https://playbook.example.com/"  # never requested: canonical links and sitemaps carry it


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    repo = make_site_project(tmp_path_factory.mktemp("preview") / "repo")
    write_content(repo / "content")
    config = repo / "mkdocs.yml"
    config.write_text(f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    init_repo(repo, user="Browser Test")
    assert run_cli("publish", "1.0", "--title", "Autumn agreed", cwd=repo).exit_code == 0
    lead = repo / "content" / "leads" / "marketing-qualified-lead.yml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("sla_hours: 24", "sla_hours: 12"), encoding="utf-8")
    subprocess.run(["git", "commit", "-q", "-am", "Faster MQL hand-off"], cwd=repo, check=True)
    result = run_cli("publish", "2.0", "--title", "Winter agreed", cwd=repo)
    assert result.exit_code == 0, result.output
    server: PreviewServer = make_server(PublishedBranch(repo), "127.0.0.1:0")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def reader(browser: object) -> Iterator[tuple[Any, Watch]]:
    watch = Watch()
    page = new_page(browser, watch, viewport=DESKTOP)
    yield page, watch
    page.context.close()


def mql_handoff(page: Any) -> str:
    return page.locator("#marketing-qualified-lead").locator("xpath=following::*[contains(., 'Hand-off')][1]").inner_text()


def test_the_selector_switches_versions_in_the_preview(reader: tuple[Any, Watch], preview: str) -> None:
    page, watch = reader
    page.goto(preview)
    page.wait_for_url(preview + "2.0/", timeout=15_000)  # / -> latest/ -> 2.0/
    page.wait_for_selector(".md-version__current", timeout=15_000)
    assert page.locator(".md-version__current").inner_text().strip() == "2.0 · Winter agreed"
    entries = page.locator(".md-version__link").evaluate_all("links => links.map(a => [a.textContent.trim(), a.href])")
    assert [tuple(entry) for entry in entries] == [
        ("2.0 · Winter agreed", preview + "2.0/"),
        ("1.0 · Autumn agreed", preview + "1.0/"),
    ]
    page.goto(preview + "2.0/leads/")
    assert "within 12 hours" in mql_handoff(page)
    page.locator(".md-version").hover()
    link = page.locator(".md-version__link", has_text="1.0 · Autumn agreed")
    link.wait_for(state="visible", timeout=5_000)
    link.click()
    page.wait_for_url(preview + "1.0/leads/", timeout=15_000)  # the same page, in the other version
    assert "within 24 hours" in mql_handoff(page)
    banner = page.locator('[data-md-component="outdated"]')
    banner.wait_for(state="visible", timeout=5_000)
    assert preview + "1.0/sitemap.xml" in watch.requests
    assert watch.foreign_hosts(preview) == []
    assert watch.errors == []
    assert [failure for failure in watch.failures if not failure.endswith("net::ERR_ABORTED")] == []


def test_a_missing_page_in_the_preview_offers_the_current_version(reader: tuple[Any, Watch], preview: str) -> None:
    page, watch = reader
    response = page.goto(preview + "1.0/roles/no-such-role/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    page.get_by_role("link", name="Read the current version of the playbook").click()
    page.wait_for_url(preview + "2.0/", timeout=15_000)
    assert watch.foreign_hosts(preview) == []
