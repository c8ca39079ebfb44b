"""What the page-type tests share: the page types, and the checks every page load gets."""

from __future__ import annotations

from typing import Any

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
    """Load `path` (networkidle: late requests too) and check its status, heading and references."""
    response = page.goto(site.url + path, wait_until="networkidle")
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200)
    assert page.locator("h1").first.is_visible(), "the page has a visible heading"
    if name == "not-found":
        assert "404" in page.locator("article").inner_text()  # Material's page, not the server's
    assert page.locator("link[href*='assets/stylesheets/main']").count() == 1
    assert _own(site, page.evaluate(_FETCHING)) == []
    assert _own(site, page.evaluate(_CSS_URLS)) == []
