"""The hostile corpus (tests/hostile.py) without a browser: what validation accepts and refuses, and
the built site read the way the theme's scripts read it.

The scripts of Material (and of Zensical, which ships the same code) decode once more what the page
holds: a `title` attribute becomes a tooltip's HTML, the words of a truncated `.md-ellipsis` element
become a `title`, and a search entry's `title` and `text` become HTML in the results. Each of those
must hold no tag, end tag or comment once decoded. tests/browser/test_hostile.py proves the same in
Chromium; this file says exactly where a failure would land, and runs in a second.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, write_content
from hostile import ACCEPTED, REFUSED, TITLE, hostile_playbook
from playbook_site.content import load
from playbook_site.errors import ContentError
from test_theme_text import parsed, policy_problems

MARKUP = re.compile(r"<[/!?A-Za-z]")
# What a search entry may hold when Material writes it as HTML: the page's own inline formatting.
SEARCH_TAGS = {"code", "strong", "em", "abbr", "a", "mark", "p", "li", "ul", "ol", "table", "tr", "td", "th", "thead", "tbody"}


class DecodedConsumers(HTMLParser):
    """A page as the browser parses it (entities decoded once), with what the theme's scripts read back."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.stack: list[tuple[str, bool, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if MARKUP.search(values.get("title", "")):
            self.found.append(f"<{tag} title> holds markup once decoded: {values['title'][:120]!r}")
        self.found += [f"<{tag} {name}=...>" for name in values if name.startswith("on")]
        if tag not in ("br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"):
            self.stack.append((tag, "md-ellipsis" in values.get("class", "").split(), []))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, ellipsis, words = self.stack.pop()
            text = "".join(words)
            if ellipsis and MARKUP.search(text):
                self.found.append(f".md-ellipsis words read as markup: {text.strip()[:120]!r}")
            if self.stack:
                self.stack[-1][2].append(text)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1][2].append(data)


class Fragment(HTMLParser):
    """A string set as innerHTML: the elements and attributes it would create."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, [name for name, _ in attrs]))


def as_inner_html(text: str) -> list[tuple[str, list[str]]]:
    parser = Fragment()
    parser.feed(text)
    parser.close()
    return parser.elements


def test_every_accepted_input_validates_in_every_kind_of_field(tmp_path: Path) -> None:
    root = hostile_playbook(tmp_path / "content")
    try:
        load(root)
    except ContentError as error:
        pytest.fail("\n".join(str(problem) for problem in error.problems if problem.severity == "error"))


@pytest.mark.parametrize(("text", "code"), REFUSED, ids=[f"{code}-{i}" for i, (_, code) in enumerate(REFUSED)])
def test_every_refused_input_is_refused_with_its_code_at_its_place(tmp_path: Path, text: str, code: str) -> None:
    role = f"name: Sales Manager\nfunction: sales\nsummary: {json.dumps(text)}\nresponsibilities:\n  - Coaches.\n"
    root = write_content(tmp_path / "c", {"roles/sales-manager.yml": role})
    with pytest.raises(ContentError) as caught:
        load(root)
    assert [(p.code, p.line) for p in caught.value.problems] == [(code, 3)]


@pytest.fixture(scope="module", params=["mkdocs", "zensical", "offline"])
def corpus_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    import subprocess
    import sys

    project = tmp_path_factory.mktemp(f"corpus-{request.param}")
    hostile_playbook(project / "content")
    (project / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "docs").mkdir()
    command = Path(sys.executable).with_name("playbook")
    result = subprocess.run(
        [str(command), "build", *(["--offline"] if request.param == "offline" else ["--engine", request.param])],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return request.param, project / "site"


def test_no_title_or_truncated_name_reads_as_markup_once_decoded(corpus_site: tuple[str, Path]) -> None:
    _, site = corpus_site
    found: dict[str, list[str]] = {}
    pages = [page for page in site.rglob("*.html") if "assets" not in page.parts]
    assert len(pages) >= 15
    for page in pages:
        parser = DecodedConsumers()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.found:
            found[page.relative_to(site).as_posix()] = parser.found[:5]
    assert found == {}


def test_every_page_has_exactly_one_policy_first_in_its_head(corpus_site: tuple[str, Path]) -> None:
    """Whatever the corpus says (a policy's words in a title, a role's `owns`, a name), each page has
    one policy <meta>, parsed as the browser parses it, before anything but the charset declaration."""
    _, site = corpus_site
    found = {}
    pages = [page for page in site.rglob("*.html") if "assets" not in page.parts]
    assert len(pages) >= 15
    for page in pages:
        problems = policy_problems(parsed(page))
        if problems:
            found[page.relative_to(site).as_posix()] = problems
    assert found == {}


def test_the_title_reads_as_typed_where_the_theme_puts_it_in_attributes(corpus_site: tuple[str, Path]) -> None:
    _, site = corpus_site
    logos = [attrs for tag, attrs in parsed(site / "index.html").elements if tag == "a" and "md-logo" in attrs.get("class", "")]
    assert logos and all(attrs["aria-label"].startswith(TITLE + " ") for attrs in logos)


def test_search_entries_shown_as_html_create_nothing_but_formatting(corpus_site: tuple[str, Path]) -> None:
    engine, site = corpus_site
    index = site / ("search.json" if engine == "zensical" else "search/search_index.json")
    entries = json.loads(index.read_text(encoding="utf-8"))
    docs = entries["items"] if engine == "zensical" and "items" in entries else entries.get("docs", entries)
    assert len(docs) > 50
    bad = []
    for doc in docs:
        for key in ("title", "text", "path"):
            value = doc.get(key)
            for part in value if isinstance(value, list) else [value or ""]:
                for tag, attributes in as_inner_html(str(part)):
                    if tag not in SEARCH_TAGS or any(a.startswith("on") or a in ("src", "srcdoc", "style") for a in attributes):
                        bad.append((doc.get("location"), key, tag, attributes))
    assert bad == []


def test_the_decoder_sees_what_a_tooltip_would_run() -> None:
    """Not vacuous: a title that is escaped once too few, and truncated words that read as a tag, are found."""
    parser = DecodedConsumers()
    parser.feed('<a title="&lt;img src=x onerror=alert(1)&gt;">x</a><span class="md-ellipsis">&lt;svg onload=alert(1)&gt;</span>')
    assert len(parser.found) == 2
    assert as_inner_html("<img src=x onerror=alert(1)>") == [("img", ["src", "onerror"])]
    assert ACCEPTED  # the corpus the site above is built from
