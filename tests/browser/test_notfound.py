"""The published site's root 404 page links only to the site itself (issue 21, finding 10).

Its script found the site's folder from the address: `https://ORG.github.io//evil.example/1.0/x`
made "Read the current version" point to `//evil.example/latest/`, another host. The page is
rendered by `publishing.notfound.root_404_html`, served on 127.0.0.1 the way GitHub Pages serves it
(every missing address gets it) and opened in Chromium at addresses whose path names another host
(`//host`, `/\\host`, encoded and nested forms): every link must stay on the site's origin. The
ordinary addresses, a user site and a project site under /playbook/, still get the right links.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from playbook_site.publishing.notfound import root_404_html
from playbook_site.publishing.versions import PublishedVersion, Site

from .conftest import DESKTOP, Watch, _SiteHandler, new_page, serve, stop

pytestmark = pytest.mark.browser

SITE = Site(
    "gh-pages",
    "0" * 40,
    (PublishedVersion("2.0", "Q4 2026 agreed", ("latest",)), PublishedVersion("1.0", "Q3 2026 agreed", ())),
    "latest",
)

HOSTILE = [
    "//evil.example/1.0/x",
    "//evil.example/latest/",
    "/\\evil.example/1.0/x",
    "/\\/evil.example/2.0/x",
    "///evil.example/1.0/x",
    "//evil.example:8080/playbook/1.0/x",
    "/%2F%2Fevil.example/1.0/x",
    "/%5Cevil.example/1.0/x",
    "//127.0.0.2/1.0/x",
    "//user@evil.example/1.0/",
]


class _Everywhere(_SiteHandler):
    """Every address that is no file gets the root 404.html (GitHub Pages' user site)."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("notfound")
    (root / "404.html").write_bytes(root_404_html(SITE, title="Northwind Playbook"))
    server, url = serve(root, _Everywhere)
    try:
        yield url
    finally:
        stop(server)


def links(page: Any) -> list[str]:
    return list(page.locator("a").evaluate_all("links => links.map(a => a.href)"))


@pytest.mark.parametrize("path", HOSTILE)
def test_no_address_makes_the_404_page_link_to_another_host(browser: object, served: str, path: str) -> None:
    watch = Watch()
    page: Any = new_page(browser, watch, viewport=DESKTOP)
    try:
        origin = served.rstrip("/")
        page.goto(origin + path)
        assert page.locator("h1").inner_text() == "Page not found"
        found = links(page)
    finally:
        page.context.close()
    assert len(found) == 3
    own = urlsplit(served).netloc
    assert [href for href in found if urlsplit(href).netloc != own or urlsplit(href).scheme != "http"] == []
    assert all(urlsplit(href).path.startswith("/") and not urlsplit(href).path.startswith("//") for href in found)
    assert watch.foreign_hosts(served) == []


@pytest.mark.parametrize(("path", "base"), [("/1.0/roles/x/", "/"), ("/playbook/1.0/roles/x/", "/playbook/")])
def test_the_404_page_still_finds_a_project_sites_folder(browser: object, served: str, path: str, base: str) -> None:
    watch = Watch()
    page: Any = new_page(browser, watch, viewport=DESKTOP)
    try:
        page.goto(served.rstrip("/") + path)
        found = links(page)
    finally:
        page.context.close()
    origin = served.rstrip("/")
    assert found == [origin + base + "latest/", origin + base + "2.0/", origin + base + "1.0/"]
    assert watch.csp == []
