"""What the browser tests share: the page types, the checks every page load gets (its references,
its Content-Security-Policy), and search as a reader uses it on either engine's site."""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from playbook_site.content import load

from .conftest import Site, Watch

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
CLIPPED = """
width => Array.from(document.querySelectorAll('article :is(p, li, h1, h2, h3, h4, dt, dd, td, th, figcaption, legend, label)'))
  .filter(e => !e.closest('.md-typeset__scrollwrap, .md-typeset__table, pre, .pb-funnel'))
  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1)
  .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 60))
"""


def _own(site: Site, urls: list[str]) -> list[str]:
    return [url for url in urls if not url.startswith(site.url) and not url.startswith(("data:", "blob:"))]


def expected_failures(name: str, site: Site, path: str) -> set[str]:
    """The not-found page is itself a 404; nothing else may fail."""
    if name != "not-found":
        return set()
    return {f"{site.url}{path}: HTTP 404"}


def serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def check_page(page: Any, watch: Watch, site: Site, name: str, path: str) -> None:
    """Load `path` (networkidle: late requests too) and check its status, heading, references and
    Content-Security-Policy (one, first in the head, and nothing it blocked)."""
    response = page.goto(site.url + path, wait_until="networkidle")
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200), response.status
    assert page.locator("h1").first.is_visible(), "the page has a visible heading"
    if name == "not-found":
        assert "404" in page.locator("article").inner_text()  # the theme's page, not the server's
    # The theme's stylesheet: assets/stylesheets/main.*.css (Material), .../modern/main.*.css (Zensical).
    assert page.locator("link[rel=stylesheet][href*='assets/stylesheets/'][href*='main.']").count() == 1
    elsewhere = _own(site, page.evaluate(_FETCHING)) + _own(site, page.evaluate(_CSS_URLS))
    assert elsewhere == [], elsewhere
    broken = broken_links(page, site)
    assert broken == [], broken
    check_title(page, site, path)
    check_policy(page)
    assert_no_violations(page, watch)


@functools.lru_cache(maxsize=8)
def site_title(content: Path) -> str:
    return str(load(content).meta.title)


def check_title(page: Any, site: Site, path: str) -> None:
    """The window's title: the playbook's alone on the home page and the not-found page, else the
    page's, a dash and the playbook's (as the reader sees it: entities decoded, once)."""
    title, playbook = page.title(), site_title(site.content)
    if path in ("", "no-such-page/"):
        assert title == playbook, title
    else:
        assert title.endswith(f" - {playbook}") and title.removesuffix(f" - {playbook}") not in ("", playbook), title


def broken_links(page: Any, site: Site) -> list[str]:
    """The article's links to the site that lead nowhere: no page at the address the browser resolved,
    or no element with the link's anchor there. (Zensical rewrites the links of a page's HTML as if
    they were written relative to its Markdown file: without the playbook's care they point a folder
    too high, which the browser quietly clamps at the site's root, so only some of them 404.)"""
    texts: dict[Path, str] = {}
    broken = []
    for href in sorted(set(page.locator("article a[href]").evaluate_all("links => links.map(a => a.href)"))):
        if not href.startswith(site.url):
            continue
        path, _, anchor = href.removeprefix(site.url).partition("#")
        path = unquote(path.partition("?")[0])
        file = site.root / path / "index.html" if path == "" or path.endswith("/") else site.root / path
        if not file.is_file():
            broken.append(f"{href}: nothing at {path or '/'}")
            continue
        if anchor:
            text = texts.setdefault(file, file.read_text(encoding="utf-8", errors="replace"))
            if f'id="{html.escape(unquote(anchor))}"' not in text:
                broken.append(f"{href}: no #{unquote(anchor)} on {path or '/'}")
    return broken


# --- The Content-Security-Policy --------------------------------------------------------------

# The page's policies and where they stand: a <meta http-equiv> applies only in <head>, and only to
# what comes after it, so it must come before every script, style and stylesheet of the page.
_POLICY = """
() => {
  const metas = Array.from(document.querySelectorAll('meta[http-equiv]'))
    .filter(m => m.httpEquiv.toLowerCase() === 'content-security-policy');
  const first = metas[0];
  const before = first ? Array.from(document.querySelectorAll('script, style, link[rel~="stylesheet"]'))
    .filter(e => !(first.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING))
    .map(e => e.outerHTML.slice(0, 80)) : [];
  return {count: metas.length, inHead: !!first && first.parentElement === document.head,
          policy: first ? first.content : '', before, scripts: document.scripts.length};
}
"""
_SOURCE_ALLOWED = ("'self'", "'none'", "data:")


def check_policy(page: Any) -> None:
    """Exactly one policy, in <head> before any script or style, allowing the site itself and the
    hashes of its inline scripts and styles: no other host, no 'unsafe-inline', no 'unsafe-eval'."""
    found = page.evaluate(_POLICY)
    assert found["count"] == 1, f"{found['count']} Content-Security-Policy meta elements"
    assert found["inHead"] and found["before"] == [], f"the policy comes after {found['before']}"
    assert found["scripts"] > 0, "the theme's scripts are on the page"
    directives = {part.split()[0]: part.split()[1:] for part in found["policy"].split(";") if part.strip()}
    assert directives.get("default-src") == ["'none'"], found["policy"]
    for directive, sources in directives.items():
        loose = [s for s in sources if s not in _SOURCE_ALLOWED and not s.startswith("'sha256-")]
        assert loose == [], f"{directive} allows {loose}"


def violations(page: Any) -> list[str]:
    """What the policy blocked on the current page since it loaded (conftest.CSP_RECORDER)."""
    found = page.evaluate("() => window.__pbCsp === undefined ? null : window.__pbCsp")
    return ["the CSP recorder did not run on " + page.url] if found is None else list(found)


def assert_no_violations(page: Any, watch: Watch) -> None:
    """Nothing blocked on this page, nor on any page of its context before it (the Watch keeps those)."""
    assert violations(page) == [] and watch.csp == [], violations(page) + watch.csp


# --- Search ---------------------------------------------------------------------------------
#
# Material for MkDocs (the MkDocs engine) has its search box in the header (`input.md-search__input`)
# and its results in the page (`.md-search-result__item`), one item per page: the page's link, then
# its best sections, the rest folded away ("N more on this page"). Zensical's header has only a
# button (`button.md-search__button`); its dialog, box and results are built by its script in an
# open shadow root of a <div> at the end of <body> (Playwright's CSS selectors pierce it), one
# result per section, each an `a[role=option]` with the section's title (h2) and its path (menu).

_ZENSICAL_DIALOG = 'dialog[aria-label="Search"]'
_ZENSICAL_RESULTS = 'ol[aria-label="Search results"] a[role="option"]'
_MATERIAL_RESULTS = ".md-search-result__item a.md-search-result__link"
_READ_RESULTS = """
links => links.filter(a => a.checkVisibility()).map(a => {
  const title = a.querySelector('h1, h2');
  return [a.href, (title ? title.innerText : a.innerText).replace(/\\s+/g, ' ').trim()];
})
"""


@dataclass(frozen=True)
class Result:
    """One search result as a reader sees it: where it leads and its title."""

    href: str  # absolute, without the ?h= (highlight) parameter
    title: str

    def relative(self, site: Site) -> str:
        return self.href.removeprefix(site.url)


def search_ui(page: Any) -> str:
    """Which search the page has: "material" (a box in the header) or "zensical" (a button that
    opens a dialog)."""
    if page.locator("input.md-search__input").count():
        return "material"
    if page.locator("button.md-search__button").count():
        return "zensical"
    raise AssertionError(f"no search box or button on {page.url}")


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=""))


def search(page: Any, query: str) -> list[Result]:
    """Type `query` into the page's search as a reader does (a key at a time) and read the results
    a reader sees, in order, once they stop changing. Fails if none come."""
    if search_ui(page) == "material":
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("")
        page.keyboard.type(query, delay=10)
        results = page.locator(_MATERIAL_RESULTS)
    else:
        if not page.locator(f"{_ZENSICAL_DIALOG}[open]").count():
            page.locator("button.md-search__button").click()
        box = page.locator(f'{_ZENSICAL_DIALOG} input[role="combobox"]')
        box.wait_for(state="visible", timeout=15_000)
        box.click()
        box.fill("")
        page.keyboard.type(query, delay=10)
        results = page.locator(f"{_ZENSICAL_DIALOG} {_ZENSICAL_RESULTS}")
    results.first.wait_for(state="attached", timeout=15_000)
    # Results change as each key arrives: wait until two readings agree.
    found: list[list[str]] = []
    for _ in range(60):
        page.wait_for_timeout(150)
        current = results.evaluate_all(_READ_RESULTS)
        if current and current == found:
            break
        found = current
    return [Result(_without_query(href), title) for href, title in found]


def search_result(page: Any, href_part: str) -> Any:
    """The locator of the first result whose link contains `href_part` (to click it)."""
    if search_ui(page) == "material":
        return page.locator(f".md-search-result__link[href*='{href_part}']").first
    return page.locator(f"{_ZENSICAL_DIALOG} {_ZENSICAL_RESULTS}[href*='{href_part}']").first
