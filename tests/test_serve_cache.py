"""`playbook serve` reuses the theme's output and the search entries of unchanged pages, and the
navigation is rendered once per folder in every build: none of it may change a byte of the site.

A serve session is run in this process as `mkdocs serve` runs it (the plugin instance and its caches
kept across rebuilds, the configuration loaded again for each); after each kind of edit its site is
compared file by file with a build of the same files from scratch.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import DEFAULT_CONTENT, make_site_project
from conftest import mkdocs_build_in_process as _build
from conftest import site_differences as _differences


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # the sitemap's dates and its gzip header


class Session:
    """A serve session, and a build from scratch to hold each of its rebuilds against."""

    def __init__(self, project: Path, work: Path) -> None:
        self.project, self.work = project, work
        self.plugin = _build(project, work / "served", startup="serve")

    def rebuild_matches_a_full_build(self) -> Any:
        plugin = _build(self.project, self.work / "served", startup=None)
        kept = (plugin.page_cache, plugin.output_cache, plugin.serving)
        fresh = self.work / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        _build(self.project, fresh, startup="serve")  # the same instance, new caches: nothing reused
        plugin.page_cache, plugin.output_cache, plugin.serving = kept
        assert _differences(self.work / "served", fresh) == []
        return kept[1]


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    (project / "docs" / "extra.md").write_text("# Extra notes\n\nWritten by hand, with an ICP.\n", encoding="utf-8")
    yield Session(project, tmp_path)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _new_role(content: Path) -> None:
    source = (content / "roles" / "account-executive.yml").read_text(encoding="utf-8")
    (content / "roles" / "deal-strategist.yml").write_text(
        source.replace("name: Account Executive", "name: Deal Strategist").replace("abbreviation: AE", "abbreviation: DST"),
        encoding="utf-8",
    )


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    (
        "a summary (one page and the pages that list it)",
        lambda p: _edit(p / "content" / "roles" / "account-executive.yml", "summary: ", "summary: Edited in a serve session. "),
    ),
    (
        "a role's name (the navigation of every page)",
        lambda p: _edit(p / "content" / "roles" / "sales-manager.yml", "name: Sales Manager", "name: Sales Team Manager"),
    ),
    ("a role added", lambda p: _new_role(p / "content")),
    ("a role removed", lambda p: (p / "content" / "roles" / "deal-strategist.yml").unlink()),
    (
        "a glossary abbreviation (used across pages)",
        lambda p: _edit(p / "content" / "glossary.yml", "abbreviation: ICP", "abbreviation: IPC"),
    ),
    ("a page written by hand", lambda p: _edit(p / "docs" / "extra.md", "Written by hand", "Rewritten by hand")),
    (
        "a page written by hand added",
        lambda p: (p / "docs" / "more.md").write_text("# More\n\nAnother page.\n", encoding="utf-8"),
    ),
    ("mkdocs.yml (the theme's settings)", lambda p: _edit(p / "mkdocs.yml", "primary: indigo", "primary: teal")),
]


def test_each_serve_rebuild_is_byte_identical_to_a_full_build(session: Session) -> None:
    cache = session.rebuild_matches_a_full_build()
    assert cache.hits > 0 and cache.misses == 0, "a rebuild with nothing changed renders nothing again"
    assert cache.search_hits > 0 and cache.search_misses == 0
    for name, edit in EDITS:
        edit(session.project)
        cache = session.rebuild_matches_a_full_build()
        assert cache.hits + cache.misses > 0, name
    # The first edit changes few pages: most pages came from the cache.
    _edit(session.project / "content" / "roles" / "account-executive.yml", "Edited in a serve session.", "Edited again.")
    cache = session.rebuild_matches_a_full_build()
    assert cache.hits > cache.misses > 0, (
        f"hits {cache.hits}, misses {cache.misses}, search {cache.search_hits}/{cache.search_misses}"
    )


@pytest.mark.source  # the benchmark's generator (bench/synth.py) is not in an installed wheel
def test_the_navigation_memo_and_the_search_reader_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site built with Material's own navigation macro and search parser for every page is the same,
    byte for byte, at a size where the navigation is grouped and the matrix split."""
    import sys

    from playbook_site.site import mkdocs_plugin, theme_cache

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import synth

    project = make_site_project(tmp_path / "repo")
    synth.generate(project / "content", 320)
    plugin = _build(project, tmp_path / "fast", startup="build")
    assert plugin.nav_memo.hits > plugin.nav_memo.misses > 0
    monkeypatch.setattr(theme_cache.NavMemo, "install", lambda self, env: None)
    monkeypatch.setattr(mkdocs_plugin, "wrap_search", lambda index, cache=None: None)
    _build(project, tmp_path / "plain", startup="build")
    assert _differences(tmp_path / "fast", tmp_path / "plain") == []


HTML_CASES = {
    "preface before a heading": '<p>Intro</p><h2 id="a">A<a class="headerlink" href="#a">&para;</a></h2><p>x</p>',
    "nested heading in a block": '<div class="x"><h2 id="b">B</h2><ul><li>one</li><li> </li></ul></div><p>after</p>',
    "entities and spaces": '<h1 id="t">T &amp; U</h1><p>a &lt; b\n c</p>  \n  <p>   </p><li><p></p></li>',
    "void and self-closing": '<p>a<br>b<br/>c<input type="checkbox" checked></p><svg><line x="1"/><title>t</title></svg>',
    "lists in lists": "<ul><li>a<ul><li>b</li></ul></li><li><code>c</code></li></ul><ol><li></li></ol>",
    "headings without ids": '<h2>No id</h2><p>t</p><h3 id="x">X</h3><h4 id="y"><em>Y</em></h4>',
    "attributes": '<p data-a="1 &gt; 2" hidden>x</p><a href="a?b=1&amp;c=2">l</a><span title="a > b">z</span>',
}


@pytest.mark.parametrize("name", list(HTML_CASES))
def test_the_search_reader_divides_a_page_as_material_does(name: str) -> None:
    from material.plugins.search import plugin as search

    from playbook_site.site.theme_cache import fast_sections

    html = HTML_CASES[name]
    parser = search.Parser()
    parser.feed(html)
    parser.close()
    fast = fast_sections(html, search)
    assert fast is not None
    shape = lambda sections: [(s.el.tag, s.id, s.depth, s.title, s.text) for s in sections]  # noqa: E731
    assert shape(fast) == shape(parser.data)


@pytest.mark.parametrize(
    "html",
    ["<pre>code</pre>", "<script>x</script>", "<p data-search-exclude>x</p>", "<!-- c --><p>x</p>", "<p a='1'>x</p>", "a < b"],
)
def test_the_search_reader_leaves_what_it_does_not_read_to_material(html: str) -> None:
    from material.plugins.search import plugin as search

    from playbook_site.site.theme_cache import fast_sections

    assert fast_sections(html, search) is None


def test_a_cached_page_is_written_as_the_theme_wrote_it(session: Session) -> None:
    """The output cache keeps the theme's own output: a page read from it is that output."""
    served = session.work / "served"
    page = served / "roles" / "account-executive" / "index.html"
    before = page.read_bytes()
    session.rebuild_matches_a_full_build()
    assert page.read_bytes() == before
    assert os.path.getsize(page) > 1000


def test_escaped_ascii_text_is_what_the_sanitizer_gives_back() -> None:
    """site.html skips the sanitizer for escaped ASCII text with nothing marked: it must be a no-op."""
    import random
    import string
    from html import escape

    from playbook_site.site.html import sanitize

    alphabet = string.ascii_letters + string.digits + string.punctuation + " " * 8
    chance = random.Random(17)
    for _ in range(20000):
        text = " ".join("".join(chance.choice(alphabet) for _ in range(chance.randint(0, 40))).split())
        assert sanitize(escape(text, quote=False)) == escape(text, quote=False), text
    for text in ("&amp; &lt;b&gt; \"q\" 'a' `c` a<b a>b &#x26; &nbsp;", "<script>x</script>", "]]> <!-- -->"):
        assert sanitize(escape(text, quote=False)) == escape(text, quote=False), text


def test_zensical_serve_refresh_writes_what_a_fresh_project_holds(tmp_path: Path) -> None:
    """The Zensical server keeps each file's check and the compiled templates between saves: after
    edits to the content and to a template, its project is the one written from scratch."""
    from datetime import date

    from playbook_site.content import load_all
    from playbook_site.publishing.engines import raw_config, settings_of, standalone
    from playbook_site.publishing.serving import ZensicalServer
    from playbook_site.site.render import default_templates_dir

    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    shutil.copytree(default_templates_dir(), project / "templates")
    _edit(project / "mkdocs.yml", "content: content", "content: content\n      templates: templates")
    config = project / "mkdocs.yml"
    server = ZensicalServer(config, dev_addr="127.0.0.1:0", today=lambda: date(2026, 11, 23), report=lambda _m: None)

    def fresh() -> dict[str, bytes]:
        base = raw_config(config)
        loaded = load_all(settings_of(config, base).content, today=date(2026, 11, 23))
        return standalone(settings_of(config, base), base, loaded, today=date(2026, 11, 23))[1]

    def served() -> dict[str, bytes]:
        folder = server.project_dir
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file() and ".playbook" not in p.name
        }

    def check() -> None:
        server.refresh()
        expected = fresh()
        found = served()
        assert {name: found.get(name) for name in expected} == expected

    check()
    _edit(project / "content" / "roles" / "account-executive.yml", "summary: ", "summary: Edited under Zensical. ")
    check()
    assert server.file_cache.hits > server.file_cache.misses
    _edit(project / "content" / "glossary.yml", "abbreviation: ICP", "abbreviation: IPC")
    check()
    role_template = project / "templates" / "role.html.j2"
    role_template.write_text(role_template.read_text(encoding="utf-8") + "\n<p>Template edited.</p>\n", encoding="utf-8")
    check()
    assert b"Template edited." in served()["docs/roles/account-executive.md"]
