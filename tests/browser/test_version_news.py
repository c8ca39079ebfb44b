"""Issue 23 in Chromium: the version selector's number and title, the "earlier version" banner after a
roll-back, the feeds linked from the site, and a feed entry rendered as a feed reader renders it.

A temporary repository publishes 1.0, 1.1 and 1.2 with the real `playbook publish --engine ENGINE`
(1.1 carries hostile text that validation lets through), then rolls `latest` back to 1.1 with
`playbook alias 1.1 latest`. The `gh-pages` tree is served on 127.0.0.1 as GitHub Pages serves it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import DEFAULT_CONTENT, init_repo, make_site_project, run_cli

from .conftest import DESKTOP, Watch, new_page, serve, stop
from .test_versions import assert_clean, export_branch, git, selector_versions

pytestmark = pytest.mark.browser

SITE_URL = "https://playbook.example.com/"  # never requested
A = "{http://www.w3.org/2005/Atom}"
# What validation lets through (tests/hostile.py), and what would run if a feed reader decoded it once more.
HOSTILE = (
    "&lt;script&gt;window.__pwned=1&lt;/script&gt; &lt;img src=x onerror=window.__pwned=2&gt;"
    " \"quoted\" 'quoted' @everyone #123 &lt;a href=javascript&#58;window.__pwned=3&gt;go&lt;/a&gt;"
)


@dataclass
class Rolled:
    root: Path
    url: str


def _edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git("commit", "-q", "-am", f"Edit {rel}", cwd=repo)


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[Rolled]:
    base = tmp_path_factory.mktemp(f"version-news-{engine}")
    repo = make_site_project(base / "repo", DEFAULT_CONTENT)
    config = repo / "mkdocs.yml"
    config.write_text(f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    init_repo(repo, user="Browser Test")
    quoted = HOSTILE.replace("'", "''")
    steps = [
        ("1.0", "Q3 2026", None),
        ("1.1", "Q4 2026", ("roles/sales-development-rep.yml", "owns: the first conversation", f"owns: '{quoted}'")),
        ("1.2", "Q1 2027", ("leads/sales-accepted-lead.yml", "sla_hours: 8", "sla_hours: 4")),
    ]
    for version, title, edit in steps:
        if edit:
            _edit(repo, *edit)
        result = run_cli("publish", version, "--title", title, "--engine", engine, cwd=repo)
        assert result.exit_code == 0, result.output
    rollback = run_cli("alias", "1.1", "latest", cwd=repo)
    assert rollback.exit_code == 0, rollback.output
    root = export_branch(repo, "gh-pages", base / "served")
    server, url = serve(root)
    try:
        yield Rolled(root, url)
    finally:
        stop(server)


@pytest.fixture
def reader(browser: object) -> Iterator[tuple[Any, Watch]]:
    watch = Watch()
    page = new_page(browser, watch, viewport=DESKTOP)
    yield page, watch
    page.context.close()


def _outdated(page: Any, url: str) -> bool:
    """Whether the banner shows, once the playbook's script has read versions.json."""
    page.goto(url)
    page.wait_for_selector("html[data-pb-outdated]", state="attached", timeout=15_000)
    return bool(page.locator('[data-md-component="outdated"]').is_visible())


def test_the_selector_shows_each_versions_number_and_title(reader: tuple[Any, Watch], rolled: Rolled) -> None:
    page, watch = reader
    page.goto(rolled.url + "1.1/")
    current, entries = selector_versions(page)
    assert current == "1.1 · Q4 2026"
    assert [title for title, _ in entries] == ["1.2 · Q1 2027", "1.1 · Q4 2026", "1.0 · Q3 2026"]
    assert_clean(watch, rolled.url)


def test_after_a_roll_back_only_older_versions_carry_the_banner(reader: tuple[Any, Watch], rolled: Rolled) -> None:
    page, watch = reader
    page.goto(rolled.url)
    page.wait_for_url(rolled.url + "1.1/", timeout=15_000)  # latest -> 1.1 after the roll-back
    assert _outdated(page, rolled.url + "1.2/roles/account-executive/") is False  # newer than latest: no banner
    assert _outdated(page, rolled.url + "1.1/") is False
    assert _outdated(page, rolled.url + "1.0/leads/") is True
    banner = page.locator('[data-md-component="outdated"]')
    assert "This is an earlier version of the playbook" in banner.inner_text()
    assert _outdated(page, rolled.url + "1.2/") is False  # and not from what the session remembered
    assert_clean(watch, rolled.url)


def test_the_site_links_its_feeds_and_asks_no_other_host(reader: tuple[Any, Watch], rolled: Rolled) -> None:
    page, watch = reader
    page.goto(rolled.url + "1.1/roles/sales-development-rep/")
    head = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert head.count() == 1
    assert page.evaluate("() => document.querySelector('link[rel=alternate][type=\"application/atom+xml\"]').href") == (
        rolled.url + "feeds/playbook.xml"
    )
    link = page.get_by_role("link", name="this role's feed")
    assert link.get_attribute("href") == "../../../feeds/roles/sales-development-rep.xml"
    response = page.request.get(rolled.url + "feeds/roles/sales-development-rep.xml")
    assert response.ok and ET.fromstring(response.body()).tag == A + "feed"
    assert_clean(watch, rolled.url)


def test_a_feed_reader_showing_the_entries_runs_no_script(browser: Any, rolled: Rolled) -> None:
    watch = Watch()
    page = new_page(browser, watch, viewport=DESKTOP)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for feed in ("feeds/playbook.xml", "feeds/roles/sales-development-rep.xml"):
            entries = ET.fromstring((rolled.root / feed).read_bytes()).findall(A + "entry")
            assert len(entries) == 3
            shown = []
            for entry in entries:
                content = entry.find(A + "content")
                assert content is not None and content.get("type") == "html"
                # A feed reader puts the entry's HTML into its page: here, a page of its own, no policy.
                page.set_content(f"<!doctype html><html><body><article>{content.text}</article></body></html>")
                assert page.evaluate("() => window.__pwned") is None
                assert page.evaluate("() => document.querySelectorAll('script, img, iframe, svg').length") == 0
                assert (
                    page.evaluate(
                        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
                        ".filter(n => n.startsWith('on')).length"
                    )
                    == 0
                )
                hrefs = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
                assert all(href.startswith(SITE_URL) for href in hrefs), hrefs
                shown.append(page.locator("article").inner_text())
            # The hostile words are shown as they were written, entities and all (1.1's entry).
            assert any("&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text and "@everyone" in text for text in shown), shown
        assert dialogs == []
        assert watch.errors == []
    finally:
        page.context.close()
