"""The reaches into MkDocs' and Material's internals are fenced (site.fences): with every fence shut
the site is the same, byte for byte; and when what a fence replaces is not what it was written for
(an upstream release, a theme override), the fence stays shut, says so once, and the site is right.

Each upstream change is simulated the way a release would make it: a different template text, a
different parser, a different function building a page's context, a method with another signature.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import DEFAULT_CONTENT, make_site_project
from conftest import mkdocs_build_in_process as _build
from conftest import site_differences as _differences


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook_site.site import fences

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # the sitemap's dates and its gzip header
    monkeypatch.delenv(fences.ENV, raising=False)
    monkeypatch.setattr(fences, "_noticed", set())  # each test sees its own notices


class Notices(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def fences(self) -> list[logging.LogRecord]:
        return [record for record in self.records if "speed-up expects" in record.getMessage()]


@pytest.fixture
def notices() -> Iterator[Notices]:
    handler = Notices()
    logger = logging.getLogger("mkdocs.plugins.playbook")
    level = logger.level
    logger.setLevel(logging.INFO)  # as `mkdocs build` shows it
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def _project(root: Path) -> Path:
    project = make_site_project(root, DEFAULT_CONTENT)
    (project / "docs" / "extra.md").write_text(
        "# Extra notes\n\nWritten by hand, with an ICP.\n\n## More\n\nText.\n", encoding="utf-8"
    )
    return project


def _shut_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook_site.site import fences

    monkeypatch.setenv(fences.ENV, "off")


# --- the fences as installed -----------------------------------------------------------------------------


def test_every_fence_is_open_with_the_installed_mkdocs_and_material() -> None:
    """The fingerprints the fences expect are those of the installed packages (a new release that
    changes one fails here first, so the expectation is updated only after the code is checked)."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.livereload import LiveReloadServer

    from playbook_site.site import fences
    from playbook_site.site.theme_cache import NAV_ITEM

    material = Path(sys.modules[SearchIndex.__module__].__file__ or "").parents[2]
    nav_item = (material / "templates" / NAV_ITEM).read_text(encoding="utf-8")
    assert fences.fingerprint(fences.nav_item_parts(nav_item)) in fences.EXPECTED[fences.NAV_MEMO]
    assert fences.fingerprint(fences.page_render_parts()) in fences.EXPECTED[fences.PAGE_RENDER]
    assert fences.fingerprint(fences.search_parts()) in fences.EXPECTED[fences.SEARCH_READER]
    assert fences.fingerprint(fences.output_cache_parts()) in fences.EXPECTED[fences.OUTPUT_CACHE]
    if not getattr(LiveReloadServer._inject_js_into_html, "_playbook", False):
        assert fences.fingerprint(fences.live_reload_parts()) in fences.EXPECTED[fences.LIVE_RELOAD]


def test_a_build_with_every_fence_open_uses_them_and_says_nothing(tmp_path: Path, notices: Notices) -> None:
    plugin = _build(_project(tmp_path / "repo"), tmp_path / "site")
    assert plugin.nav_memo.hits > 0
    assert notices.fences() == []


# --- every fence shut: the same site --------------------------------------------------------------------


def test_a_build_with_every_fence_shut_gives_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Notices
) -> None:
    project = _project(tmp_path / "repo")
    plugin = _build(project, tmp_path / "open")
    assert plugin.nav_memo.hits > 0
    _shut_everything(monkeypatch)
    plugin = _build(project, tmp_path / "shut")
    assert plugin.nav_memo.hits == plugin.nav_memo.misses == 0, "the memo was not used"
    assert not plugin.skip_render
    assert _differences(tmp_path / "open", tmp_path / "shut") == []
    assert len(list((tmp_path / "open").rglob("*.html"))) >= 15
    assert notices.fences() == []  # shut on purpose: nothing to say


def test_serve_with_every_fence_shut_gives_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `serve`, a rebuild with the caches (open) and one without them (shut) write the same site."""
    project = _project(tmp_path / "repo")
    plugin = _build(project, tmp_path / "open", startup="serve")
    plugin = _build(project, tmp_path / "open", startup=None)
    assert plugin.output_cache.hits > 0 and plugin.output_cache.search_hits > 0 and plugin.page_cache.hits > 0
    _shut_everything(monkeypatch)
    plugin = _build(project, tmp_path / "shut", startup="serve")
    plugin = _build(project, tmp_path / "shut", startup=None)
    assert plugin.output_cache.hits == plugin.output_cache.misses == plugin.output_cache.search_hits == 0
    assert _differences(tmp_path / "open", tmp_path / "shut") == []


# --- an upstream change behind each fence: a notice, and the right site -------------------------------------


def test_a_changed_navigation_template_shuts_the_memo(tmp_path: Path, notices: Notices) -> None:
    """A nav-item.html whose items show something of the page (here its URL) must not be memoised:
    each page's navigation names that page, and the site is the one built with every fence shut."""
    from material.plugins.search.plugin import SearchIndex

    material = Path(sys.modules[SearchIndex.__module__].__file__ or "").parents[2]
    source = (material / "templates" / "partials" / "nav-item.html").read_text(encoding="utf-8")
    macro = "{% macro render(nav_item, path, level, parent) %}"
    assert source.count(macro) == 1
    changed = source.replace(macro, macro + "<!-- nav for {{ page.url }} -->")
    project = _project(tmp_path / "repo")
    (project / "overrides" / "partials").mkdir(parents=True)
    (project / "overrides" / "partials" / "nav-item.html").write_text(changed, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "theme:\n  name: material\n" in config
    (project / "mkdocs.yml").write_text(
        config.replace("theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"), encoding="utf-8"
    )

    plugin = _build(project, tmp_path / "site")
    for page in (tmp_path / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        shown = set(re.findall(r"<!-- nav for (.*?) -->", html))
        url = page.relative_to(tmp_path / "site").as_posix().removesuffix("index.html")
        if shown and url != "404.html":  # the 404 page is no page of the site (its URL is empty)
            assert shown == {url}, f"{url}: the navigation of another page"
    assert sum(1 for page in (tmp_path / "site").rglob("*.html") if "<!-- nav for" in page.read_text(encoding="utf-8")) >= 15
    assert plugin.nav_memo.hits == 0
    (notice,) = notices.fences()
    assert notice.levelno == logging.INFO and "`nav-memo`" in notice.getMessage()


def test_a_changed_page_render_is_used_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Notices) -> None:
    """MkDocs' conversion of a page changes (here it records each page it converts): generated pages
    go through it too, and the site is the one built with every fence shut."""
    from mkdocs.structure.pages import Page

    original = Page.render
    converted: list[str] = []

    def render(self: Any, config: Any, files: Any) -> None:
        converted.append(self.file.src_uri)
        original(self, config, files)

    project = _project(tmp_path / "repo")
    plugin = _build(project, tmp_path / "open")
    assert plugin.skip_render
    monkeypatch.setattr(Page, "render", render)
    _build(project, tmp_path / "site")
    assert "roles/account-executive.md" in converted and "extra.md" in converted
    assert _differences(tmp_path / "open", tmp_path / "site") == []
    (notice,) = notices.fences()
    assert "`page-render`" in notice.getMessage()


def test_a_changed_search_parser_shuts_the_quick_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Notices
) -> None:
    """Material's parser read differently (here: text kept in capitals): the index is the changed
    parser's, not the quick reader's copy of the old rules."""
    from material.plugins.search import plugin as search

    class ChangedParser(search.Parser):  # type: ignore[misc]
        def handle_data(self, data: str) -> None:
            super().handle_data(data.upper())

    monkeypatch.setattr(search, "Parser", ChangedParser)
    project = _project(tmp_path / "repo")
    _build(project, tmp_path / "site")
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [re.sub(r"<[^>]*>|&[a-z]+;", "", doc["text"]) for doc in index["docs"]]
    assert sum(1 for text in texts if re.search("[A-Z]{3}", text)) > 20
    assert [text for text in texts if re.search("[a-z]", text)] == []
    (notice,) = notices.fences()
    assert "`search-reader`" in notice.getMessage()
    _shut_everything(monkeypatch)
    _build(project, tmp_path / "shut")
    assert _differences(tmp_path / "site", tmp_path / "shut") == []


def test_a_changed_page_context_shuts_the_output_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Notices) -> None:
    """MkDocs puts something new into a page's context (here: a build number in `mkdocs_version`,
    which Material prints): a `serve` rebuild must show the new build's value on every page."""
    from mkdocs.commands import build

    original = build.get_context
    builds = [0]

    def get_context(*args: Any, **kwargs: Any) -> Any:
        context = original(*args, **kwargs)
        context["mkdocs_version"] = f"{context['mkdocs_version']}+build{builds[0]}"
        return context

    monkeypatch.setattr(build, "get_context", get_context)
    project = _project(tmp_path / "repo")
    _build(project, tmp_path / "site", startup="serve")
    builds[0] = 1
    _build(project, tmp_path / "site", startup=None)
    pages = [page for page in (tmp_path / "site").rglob("*.html") if "mkdocs-1." in page.read_text(encoding="utf-8")]
    assert len(pages) >= 15
    for page in pages:
        assert "+build1," in page.read_text(encoding="utf-8"), f"{page}: the output of the build before"
    (notice,) = notices.fences()
    assert "`output-cache`" in notice.getMessage()


def test_a_changed_reload_method_is_left_alone(monkeypatch: pytest.MonkeyPatch, notices: Notices) -> None:
    """MkDocs' server injects its script some other way: the server is left as it is (pages reload by hand)."""
    from mkdocs.livereload import LiveReloadServer

    from playbook_site.publishing.live_reload import allow_live_reload

    def changed(self: Any, content: bytes, epoch: int, nonce: str = "") -> bytes:
        return content.replace(b"</body>", b'<script nonce="' + nonce.encode() + b'">reload()</script></body>')

    monkeypatch.setattr(LiveReloadServer, "_inject_js_into_html", changed)
    assert allow_live_reload() is False
    assert allow_live_reload() is False
    assert LiveReloadServer._inject_js_into_html is changed
    (notice,) = notices.fences()
    assert "`live-reload`" in notice.getMessage() and "reload it by hand" in notice.getMessage()


def test_a_shut_fence_does_not_fail_a_strict_build(tmp_path: Path) -> None:
    """A real `mkdocs build --strict` with Material's navigation template overridden: the notice is
    shown, the build succeeds (a shut fence gives a correct site)."""
    project = _project(tmp_path / "repo")
    (project / "overrides" / "partials").mkdir(parents=True)
    (project / "overrides" / "partials" / "nav-item.html").write_text(
        "{% macro render(nav_item, path, level, parent) %}<li>{{ nav_item.title }}</li>{% endmacro %}\n", encoding="utf-8"
    )
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"), encoding="utf-8"
    )
    env = {key: value for key, value in os.environ.items() if key != "PLAYBOOK_FENCES"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "INFO" in result.stderr and "`nav-memo` speed-up expects" in result.stderr
    assert result.stderr.count("speed-up expects") == 1
