"""Published versions as a reader meets them, in headless Chromium, for each engine.

A temporary git repository publishes the bundled playbook as 1.0 and a change (a faster SAL
hand-off) as 2.0 with the real `playbook publish --engine ENGINE`. The `gh-pages` tree is exported with
`git archive` and served on 127.0.0.1 the way GitHub Pages serves it: a missing address gets the
root 404.html. A second server puts the same tree under /playbook/, as a project site.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import DEFAULT_CONTENT, init_repo, make_site_project, run_cli

from .conftest import DESKTOP, Watch, _SiteHandler, new_page, screenshot, serve, stop
from .pages import assert_no_violations, check_policy, search, search_result

pytestmark = pytest.mark.browser

SITE_URL = "https://playbook.example.com/"  # never requested: only canonical links and sitemaps carry it


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)} failed: {result.stderr}"
    return result.stdout


@dataclass
class Published:
    root: Path  # the exported gh-pages tree
    url: str  # served at the root
    project_url: str  # the same tree under /playbook/
    engine: str

    def shot(self, name: str) -> str:
        return name if self.engine == "mkdocs" else f"{name}-{self.engine}"


class _ProjectSiteHandler(_SiteHandler):
    """GitHub Pages for a project site: the tree lives under /playbook/, whose 404.html answers
    every missing address below it."""

    def not_found_page(self) -> Path | None:
        return Path(self.directory) / "playbook" / "404.html" if self.path.startswith("/playbook/") else None


def export_branch(repo: Path, branch: str, dest: Path) -> Path:
    """The branch's files as they are committed (`git archive`), into `dest`."""
    archive = subprocess.run(["git", "archive", "--format=tar", branch], cwd=repo, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[Published]:
    base = tmp_path_factory.mktemp(f"versions-{engine}")
    repo = make_site_project(base / "repo", DEFAULT_CONTENT)
    config = repo / "mkdocs.yml"
    config.write_text(f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    init_repo(repo, user="Browser Test")
    result = run_cli("publish", "1.0", "--title", "Q3 2026 agreed", "--engine", engine, cwd=repo)
    assert result.exit_code == 0, result.output
    sal = repo / "content" / "leads" / "sales-accepted-lead.yml"
    sal.write_text(sal.read_text(encoding="utf-8").replace("sla_hours: 8", "sla_hours: 4"), encoding="utf-8")
    git("commit", "-q", "-am", "Faster SAL hand-off", cwd=repo)
    result = run_cli("publish", "2.0", "--title", "Q4 2026 agreed", "--engine", engine, cwd=repo)
    assert result.exit_code == 0, result.output

    root = export_branch(repo, "gh-pages", base / "served")
    project_root = export_branch(repo, "gh-pages", base / "project" / "playbook").parent
    server, url = serve(root)
    project_server, project_url = serve(project_root, _ProjectSiteHandler)
    try:
        yield Published(root, url, project_url + "playbook/", engine)
    finally:
        stop(server)
        stop(project_server)


@pytest.fixture
def reader(browser: object) -> Iterator[tuple[Any, Watch]]:
    watch = Watch()
    page = new_page(browser, watch, viewport=DESKTOP)
    yield page, watch
    page.context.close()


def selector_versions(page: Any) -> tuple[str, list[tuple[str, str]]]:
    """The version shown in the header and the (title, link) of every entry in Material's selector."""
    page.wait_for_selector(".md-version__current", timeout=15_000)
    current = page.locator(".md-version__current").inner_text().strip()
    entries = page.locator(".md-version__link").evaluate_all("links => links.map(a => [a.textContent.trim(), a.href])")
    return current, [(title, href) for title, href in entries]  # JSON arrays arrive as lists


def choose_version(page: Any, title: str) -> None:
    page.locator(".md-version").hover()
    link = page.locator(".md-version__link", has_text=title)
    link.wait_for(state="visible", timeout=5_000)
    link.click()


def sal_handoff(page: Any) -> str:
    return page.locator("#sales-accepted-lead").locator("xpath=following::*[contains(., 'Hand-off')][1]").inner_text()


def serious_violations(page: Any) -> list[str]:
    """axe-core (bundled with axe-playwright-python, injected locally: no request), every rule."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]


def assert_clean(watch: Watch, url: str) -> None:
    assert watch.foreign_hosts(url) == []
    assert watch.errors == []
    assert watch.csp == []  # the selector's fetch of versions.json and the banner's script under each page's policy
    # A redirect page (the root, latest/) or a click that leaves a page cancels what was still loading:
    # net::ERR_ABORTED, not a broken asset. Anything the server refused shows as "HTTP 4xx".
    assert [failure for failure in watch.failures if not failure.endswith("net::ERR_ABORTED")] == []


def test_the_address_leads_to_the_current_version(reader: tuple[Any, Watch], published: Published) -> None:
    page, watch = reader
    page.goto(published.url)
    page.wait_for_url(published.url + "2.0/", timeout=15_000)  # / -> latest/ -> 2.0/ (redirect pages)
    current, entries = selector_versions(page)
    assert current == "2.0 · Q4 2026 agreed"
    assert entries == [("2.0 · Q4 2026 agreed", published.url + "2.0/"), ("1.0 · Q3 2026 agreed", published.url + "1.0/")]
    assert page.locator('[data-md-component="outdated"]').is_hidden()
    check_policy(page)
    assert_no_violations(page, watch)
    screenshot(page, published.shot("versions-current-desktop"), full_page=False)
    assert published.url + "versions.json" in watch.requests
    assert_clean(watch, published.url)


def test_the_selector_switches_versions_on_the_same_page(reader: tuple[Any, Watch], published: Published) -> None:
    page, watch = reader
    page.goto(published.url + "2.0/leads/")
    assert "within 4 hours" in sal_handoff(page)
    choose_version(page, "1.0 · Q3 2026 agreed")
    page.wait_for_url(published.url + "1.0/leads/", timeout=15_000)
    assert "within 8 hours" in sal_handoff(page)
    assert selector_versions(page)[0] == "1.0 · Q3 2026 agreed"
    banner = page.locator('[data-md-component="outdated"]')
    banner.wait_for(state="visible", timeout=5_000)
    assert "This is an earlier version of the playbook, kept so that anyone can read what was agreed." in banner.inner_text()
    check_policy(page)
    screenshot(page, published.shot("versions-earlier-desktop"), full_page=False)

    choose_version(page, "2.0 · Q4 2026 agreed")
    page.wait_for_url(published.url + "2.0/leads/", timeout=15_000)
    assert "within 4 hours" in sal_handoff(page)
    assert published.url + "1.0/sitemap.xml" in watch.requests  # how Material finds the same page
    assert_clean(watch, published.url)


def test_the_banner_on_an_earlier_version_leads_to_the_current_one(reader: tuple[Any, Watch], published: Published) -> None:
    page, watch = reader
    page.goto(published.url + "1.0/roles/account-executive/")
    banner = page.locator('[data-md-component="outdated"]')
    banner.wait_for(state="visible", timeout=15_000)
    assert serious_violations(page) == []
    banner.get_by_role("link", name="Read the current version.").click()
    page.wait_for_url(published.url + "2.0/", timeout=15_000)
    assert page.locator("article h1").inner_text().strip().rstrip("¶") == "Revenue Alignment Playbook"
    assert_clean(watch, published.url)


def test_what_changed_is_in_the_navigation_of_each_version(reader: tuple[Any, Watch], published: Published) -> None:
    page, watch = reader
    page.goto(published.url + "2.0/")
    page.locator(".md-nav__link", has_text="What changed").first.click()
    page.wait_for_url(published.url + "2.0/changes/", timeout=15_000)
    article = page.locator("article").inner_text()
    assert "What changed in version 2.0" in article
    assert "version 1.0 (Q3 2026 agreed)" in article
    assert "Sales Accepted Lead (SAL) (lead stage): hand-off SLA drops from 8 to 4 hours." in " ".join(article.split())
    page.locator("article a", has_text="Sales Accepted Lead").first.click()
    page.wait_for_url(published.url + "2.0/leads/#sales-accepted-lead", timeout=15_000)

    page.goto(published.url + "1.0/changes/")
    assert "It is the first published version" in page.locator("article").inner_text()
    assert_clean(watch, published.url)


def test_search_under_a_published_version_stays_in_that_version(reader: tuple[Any, Watch], published: Published) -> None:
    page, watch = reader
    page.goto(published.url + "1.0/")
    links = [result.href for result in search(page, "SAL")]
    assert published.url + "1.0/leads/#sales-accepted-lead" in links[:5]
    assert all(link.startswith(published.url + "1.0/") for link in links)
    index = "search.json" if published.engine == "zensical" else "search/search_index.json"
    assert published.url + "1.0/" + index in watch.requests
    assert_no_violations(page, watch)
    search_result(page, "#sales-accepted-lead").click()
    page.wait_for_url(re.compile(re.escape(published.url + "1.0/leads/") + r".*#sales-accepted-lead$"), timeout=15_000)
    assert "within 8 hours" in sal_handoff(page)
    assert_clean(watch, published.url)


@pytest.mark.parametrize("where", ["site", "project site"])
def test_a_missing_page_offers_the_current_version(reader: tuple[Any, Watch], published: Published, where: str) -> None:
    page, watch = reader
    base = published.url if where == "site" else published.project_url
    response = page.goto(base + "1.0/roles/no-such-role/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    check_policy(page)  # the published site's own 404 page, for every version
    assert serious_violations(page) == []
    links = page.locator("a[data-name]").evaluate_all("links => links.map(a => [a.textContent.trim(), a.href])")
    assert [tuple(link) for link in links] == [
        ("Read the current version of the playbook", base + "latest/"),
        ("2.0 · Q4 2026 agreed", base + "2.0/"),
        ("1.0 · Q3 2026 agreed", base + "1.0/"),
    ]
    page.get_by_role("link", name="Read the current version of the playbook").click()
    page.wait_for_url(base + "2.0/", timeout=15_000)
    assert watch.csp == []  # its script set the links under its policy
    assert watch.foreign_hosts(base) == []
    # The browser reports the page's own status; nothing else failed (not even a favicon).
    assert [e.split(": Failed to load resource")[0] for e in watch.errors] == [f"console.error at {base}1.0/roles/no-such-role/"]
    assert [f for f in watch.failures if not f.endswith("net::ERR_ABORTED")] == [f"{base}1.0/roles/no-such-role/: HTTP 404"]
