"""Every place where the MkDocs adapter reaches into MkDocs' or Material's internals, fenced.

The adapter uses MkDocs' public plugin hooks wherever they do the job (a generated page's HTML,
table of contents and anchors are handed over in `on_page_markdown` and `on_page_content`; `serve`'s
cache of hand-written pages works through the same hooks). Five reaches into internals are kept
because they are worth their speed (see BENCHMARKS.md); each lives here, behind a fence:

- `page-render`: a generated page's `render` does nothing but give it empty content (the public
  path, MkDocs' conversion of the empty Markdown `on_page_markdown` hands it, sets up a Markdown
  converter for every page: about 0.3 ms a page, 0.13 s of a 411-page build, more of a `serve`
  rebuild). Expected: the signature and source of MkDocs' `Page.render` (MkDocs 1.6.0, 1.6.1).
- `nav-memo`: Material's `partials/nav-item.html` is rewritten so that the parts of the navigation
  that cannot differ are rendered once per folder (`theme_cache.NavMemo`). Expected: the template's
  source, byte for byte (a SHA-256 of it; Material 9.7.0 to 9.8.2 ship the same file).
- `search-reader`: the search index's `add_entry_from_context` reads a page with a quicker tokenizer
  that follows Material's `Parser` rule for rule (`theme_cache.fast_sections`), and under `serve`
  keeps an unchanged page's entries. Expected: the source of Material's `Parser`, `Element`,
  `Section` and `SearchIndex.add_entry_from_context` (the rules the tokenizer copies).
- `output-cache` (`serve` only): the theme environment's `get_template` gives templates whose
  output is kept by everything it is made from (`theme_cache.OutputCache`). Expected: Jinja's
  `Environment.get_template` signature, and the source of MkDocs' `get_context`, `_build_page` and
  `_build_template` (what a page's output is made from, and how it is rendered).
- `live-reload` (`playbook serve` only): MkDocs' `LiveReloadServer._inject_js_into_html` is wrapped
  so the page's Content-Security-Policy names the reload script it injects. Expected: the
  method's signature and source.

At the start of a build (or of `serve`), each fence checks that what it replaces is what it was
written against. If it is not (an upstream release changed it, or a theme override replaced the
template), the fence stays shut: the public path is used (Material's own template, Material's own
parser, every page rendered, no reload script allowed), and the adapter says so once, naming the
fence and what differs. Setting the environment variable `PLAYBOOK_FENCES=off` shuts every fence.
The checks cost about 20 ms once per process (each source is read once). When a new MkDocs or
Material release changes what a fence relies on, read the change, adapt the code behind the fence
if needed, and add the new fingerprint to `EXPECTED` (tests/test_fences.py holds it to what is
installed, and shows each fence shut giving the same site).

The notice is logged at INFO level through MkDocs' logger (`mkdocs.plugins.playbook`), not as a
warning: a shut fence gives the same, correct site, only slower (or, for `live-reload`, a page
reloaded by hand), and `mkdocs build --strict` counts every warning as a failure. A notice that
failed the strict build of every company the day an upstream release changed a template would
turn a slower build into a broken one. This follows the adapter's rule for passed review dates:
shown, not counted.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("mkdocs.plugins.playbook")

ENV = "PLAYBOOK_FENCES"

PAGE_RENDER = "page-render"
NAV_MEMO = "nav-memo"
SEARCH_READER = "search-reader"
OUTPUT_CACHE = "output-cache"
LIVE_RELOAD = "live-reload"

# What each fence was written against (computed by `fingerprint`; a test holds them to the installed
# packages, so a new release that changes one fails the project's own tests first).
EXPECTED = {
    PAGE_RENDER: frozenset({"3c41be169af91d3e6a275532f9bc37077fea787f8136e1481d2efc5fecd3be7f"}),  # MkDocs 1.6.0, 1.6.1
    NAV_MEMO: frozenset({"6a6a86aeeb5098c29dfa3c51c8594a52c74a4e9b6e87882e31d7ccbdfbdcb699"}),  # Material 9.7.0 to 9.8.2
    SEARCH_READER: frozenset({"43b32191b90c1937f0ed91fcee951e3669c653a560609cc1f5c4196f91252f75"}),  # Material 9.7.0 to 9.8.2
    OUTPUT_CACHE: frozenset(
        {"01f175b78cdd47df21b75c03f7428e8e9de0da1d3dc200b377665728f5a64170"}
    ),  # MkDocs 1.6.0, 1.6.1; Jinja 3.1
    LIVE_RELOAD: frozenset({"3e136cb16d9301b5d3f9be7ed45184f34649851e9ca92ac03afa09b3642745ed"}),  # MkDocs 1.6.0, 1.6.1
}

# What the site loses while a fence is shut, for the notice.
LOST = {
    PAGE_RENDER: "each generated page goes through MkDocs' Markdown conversion, with nothing to convert (slower builds)",
    NAV_MEMO: "the navigation is rendered by Material for every page (slower builds)",
    SEARCH_READER: "the search index is made by Material's own parser (slower builds)",
    OUTPUT_CACHE: "`serve` renders every page's theme output again after each edit",
    LIVE_RELOAD: "an open page does not reload by itself after a save: reload it by hand",
}

WHAT = {
    PAGE_RENDER: "MkDocs' Page.render",
    NAV_MEMO: "Material's partials/nav-item.html",
    SEARCH_READER: "Material's search parser (material.plugins.search.plugin)",
    OUTPUT_CACHE: "MkDocs' page rendering (mkdocs.commands.build) or Jinja's Environment.get_template",
    LIVE_RELOAD: "MkDocs' LiveReloadServer._inject_js_into_html",
}

_noticed: set[tuple[str, str]] = set()


def forced_off() -> bool:
    """`PLAYBOOK_FENCES=off` (or 0, false, no): every fence shut, the public path everywhere."""
    return os.environ.get(ENV, "").strip().lower() in ("off", "0", "false", "no")


def fingerprint(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


_sources: dict[Any, str] = {}


def sources(*objects: Any) -> list[str]:
    """The source text of each object (a function, a class), read once per object; OSError or
    TypeError when unreadable. A replaced function or class is another object: read again."""
    found = []
    for item in objects:
        text = _sources.get(item)
        if text is None:
            text = _sources[item] = inspect.getsource(item)
        found.append(text)
    return found


def signature_of(function: Any) -> str:
    return ", ".join(inspect.signature(function).parameters)


def is_open(name: str, found: Callable[[], Iterable[str]]) -> bool:
    """Whether fence `name` may reach into what `found` describes (the parts it fingerprints). When
    not, the reason is noticed once per process and the caller takes the public path."""
    if forced_off():
        return False
    try:
        seen = fingerprint(found())
    except Exception as error:  # noqa: BLE001 - whatever an unexpected upstream shape raises, the fence stays shut
        return _shut(name, f"it could not be read ({type(error).__name__}: {error})")
    if seen in EXPECTED[name]:
        return True
    return _shut(name, "it is not the version this fence was written for")


def _shut(name: str, reason: str) -> bool:
    if (name, reason) not in _noticed:
        _noticed.add((name, reason))
        log.info(
            f"playbook: {WHAT[name]} is not what the `{name}` speed-up expects ({reason}): it is used as it is, and"
            f" {LOST[name]}. The site is the same. Upgrading playbook-site may bring the speed-up back."
        )
    return False


# --- the fences' expectations, read from what is installed ------------------------------------------


def page_render_parts() -> list[str]:
    from mkdocs.structure.pages import Page

    return [signature_of(Page.render)] + sources(Page.render)


def nav_item_parts(source: str) -> list[str]:
    return [source]


def search_parts() -> list[str]:
    from material.plugins.search import plugin as search

    return [signature_of(search.SearchIndex.add_entry_from_context)] + sources(
        search.SearchIndex.add_entry_from_context, search.Parser, search.Element, search.Section
    )


def output_cache_parts() -> list[str]:
    import jinja2
    from mkdocs.commands import build

    return [signature_of(jinja2.Environment.get_template)] + sources(build.get_context, build._build_page, build._build_template)


def live_reload_parts() -> list[str]:
    from mkdocs.livereload import LiveReloadServer

    method = LiveReloadServer._inject_js_into_html
    return [signature_of(method)] + sources(method)


# --- live reload under `playbook serve` ----------------------------------------------------------------


def allow_live_reload(rewrite: Callable[[bytes, bytes], bytes]) -> bool:
    """Wrap MkDocs' `LiveReloadServer._inject_js_into_html` once per process so that each page it
    serves goes through `rewrite(content, served)`; False (and a notice) when the fence is shut."""
    from mkdocs.livereload import LiveReloadServer

    original: Callable[[Any, bytes, int], bytes] = LiveReloadServer._inject_js_into_html
    if getattr(original, "_playbook", False):
        return True
    if not is_open(LIVE_RELOAD, live_reload_parts):
        return False

    def inject(self: Any, content: bytes, epoch: int) -> bytes:
        return rewrite(content, original(self, content, epoch))

    inject._playbook = True  # type: ignore[attr-defined]
    LiveReloadServer._inject_js_into_html = inject  # type: ignore[method-assign]
    return True
