"""The Content-Security-Policy of every page (generator/playbook_site/site/csp.py), in real builds by both engines.

The policy lets run only the site's own script files and the theme's inline scripts, by hash; an
inline script that is not the theme's (however it got into the page) gets no hash, and the build
says so (a strict build stops). The browser side, that search, the self-assessment, the onboarding
ticks and the version selector work under it, is in tests/browser.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, make_site_project
from playbook_site.site import csp

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).with_name("playbook")
    return subprocess.run([str(command), "build", *args], cwd=project, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_site_project(tmp_path_factory.mktemp(f"csp-{request.param}") / "repo", DEFAULT_CONTENT)
    result = build(project, "--engine", request.param)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def pages(site: Path) -> list[Path]:
    found = [page for page in site.rglob("*.html") if "assets" not in page.parts]
    assert len(found) >= 15
    return found


def test_every_page_has_the_policy_before_any_script_or_style(built: Path) -> None:
    for page in pages(built):
        html = page.read_text(encoding="utf-8")
        match = META.search(html)
        assert match, page
        first_script = min(
            (i for i in (html.find("<script"), html.find("<style"), html.find("<link")) if i >= 0), default=len(html)
        )
        assert match.start() < first_script, page
        policy = dict(part.strip().split(" ", 1) for part in match.group(1).split(";"))
        assert policy["default-src"] == "'none'"
        assert policy["connect-src"] == "'self'" and policy["img-src"] == "'self' data:"
        assert "'unsafe-inline'" not in match.group(1) and "'unsafe-eval'" not in match.group(1)
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'self'"
        assert not re.search(r"https?:", match.group(1)), "no other host is allowed anything"


def test_every_inline_script_the_theme_writes_is_known_and_hashed(built: Path) -> None:
    """Fails after a theme upgrade that changes its inline scripts: update THEME_SCRIPTS then."""
    hashed = 0
    for page in pages(built):
        html = page.read_text(encoding="utf-8")
        assert csp.unknown_scripts(html) == [], page
        policy = META.search(html)
        assert policy is not None
        for body in csp._inline_scripts(html):
            assert csp._hash(body) in policy.group(1), page
            hashed += 1
    assert hashed >= 2 * len(pages(built))


def test_a_script_that_is_not_the_themes_gets_no_hash() -> None:
    """Hashing every inline script of the finished page would let a smuggled script run."""
    theme = '__md_scope=new URL("..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0)'
    page = (
        '<html><head><meta charset="utf-8"><script>var target=document.getElementById(location.hash.slice(1));'
        'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))</script></head>'
        f"<body><h1>Role</h1><script>alert(1)</script><script>{theme}</script></body></html>"
    )
    policy = csp.policy(page)
    assert csp._hash("alert(1)") not in policy
    assert csp.unknown_scripts(page) == ["alert(1)", theme]  # this shape of the scope script is not Material's own
    known = csp._inline_scripts(page)[0]
    assert csp._hash(known) in policy


def test_the_themes_script_for_another_depth_is_still_known() -> None:
    """The path to the root differs from page to page; nothing else may."""
    body = 'var el=document.querySelector("[data-md-component=outdated]"),base=new URL("{}",location),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)'
    for root in (".", "..", "../..", "../../.."):
        assert csp.shape(body.format(root)) in csp.THEME_SCRIPTS, root
    assert csp.shape(body.format("https://evil.example/")) not in csp.THEME_SCRIPTS


def test_an_inline_script_in_a_hand_written_page_stops_a_strict_build(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    (project / "docs" / "welcome.md").write_text("# Welcome\n\n<script>document.title = 'x'</script>\n", encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "welcome.md: 1 inline script that is not the theme's" in result.stderr + result.stdout
    assert "extra_javascript" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_an_inline_script_in_a_hand_written_page_stops_a_zensical_build(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    (project / "docs" / "welcome.md").write_text("# Welcome\n\n<script>document.title = 'x'</script>\n", encoding="utf-8")
    result = build(project, "--engine", "zensical")
    assert result.returncode != 0
    assert "welcome/index.html: 1 inline script that is not the theme's" in result.stderr + result.stdout
    assert not (project / "site").exists()


# --- where the policy goes: found by parsing the page, never by searching its text (issue 21, finding 2) ---

WORDS = 'http-equiv="Content-Security-Policy" content="default-src *"'


def head_children(html: str) -> list[str]:
    """The start tags of <head>'s children in order (`meta[policy]`, `meta[charset]`, ...), as parsed."""
    from html.parser import HTMLParser

    class Head(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inside, self.depth, self.children = False, 0, []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            if tag == "head":
                self.inside = True
            elif tag == "body":
                self.inside = False
            elif self.inside:
                kind = "[policy]" if (values.get("http-equiv") or "").lower() == "content-security-policy" else ""
                self.children.append(tag + ("[charset]" if "charset" in values else kind))

        def handle_endtag(self, tag: str) -> None:
            if tag == "head":
                self.inside = False

    parser = Head()
    parser.feed(html)
    return parser.children


@pytest.mark.parametrize(
    "page",
    [
        f'<!doctype html><html><head><meta charset="utf-8"><title>Acme {WORDS}</title></head><body>{WORDS}</body></html>',
        f"<html><head><title>x</title></head><body><p>{WORDS}</p></body></html>",
        f'<html><!-- <head><meta charset="x"> {WORDS} --><head>\n<meta charset="utf-8">\n<title>x</title></head><body></body></html>',
        f'<html>\r\n<HEAD lang="en">\r\n<META CHARSET="utf-8">\r\n<script>var s = "<head><meta charset=x>";</script></HEAD><body>{WORDS}</body></html>',
        '<html><head><meta charset="utf-8"><header><meta charset="x"></header></head><body></body></html>',
        "<html>\n<head>\n\u2028<meta charset='utf-8'><link rel=stylesheet href=a.css></head><body></body></html>",
    ],
)
def test_the_policy_is_the_first_child_of_head_whatever_the_page_says(page: str) -> None:
    with_policy = csp.add_policy(page)
    children = head_children(with_policy)
    assert children.count("meta[policy]") == 1, children
    before = children[: children.index("meta[policy]")]
    assert before in ([], ["meta[charset]"]), children
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', with_policy)
    assert meta is not None
    assert with_policy.replace("\n    " + meta.group(), "", 1) == page  # nothing else changed


def test_a_page_with_its_policy_already_keeps_exactly_one() -> None:
    page = '<html><head><meta charset="utf-8"><title>x</title></head><body><script>alert(1)</script></body></html>'
    once = csp.add_policy(page)
    twice = csp.add_policy(once)
    assert head_children(twice).count("meta[policy]") == 1
    assert twice == once


def test_a_page_without_head_is_left_as_it_is() -> None:
    assert csp.add_policy("<p>no head</p>") == "<p>no head</p>"
    assert csp.add_policy(f"<p>{WORDS}</p>") == f"<p>{WORDS}</p>"


def test_the_policy_is_placed_without_reading_the_whole_page() -> None:
    """Issue 27: placing the policy counted every line of every page (a third of a serve rebuild's own
    work at 1,000 entities); the parser stops at the head's first child, and so does the counting."""
    page = "<!doctype html>\n<html>\n<head>\n<meta charset=utf-8>\n<title>x</title>\n</head>\n<body>\n" + "<p>x</p>\n" * 50_000
    head = csp._Head(page)
    try:
        head.feed(page)
    except csp._Head.Found:
        pass
    assert head.after_charset is not None and len(head.lines) <= 6
    placed = csp.add_policy(page)
    assert (
        placed.index('<meta http-equiv="Content-Security-Policy"')
        == page.index("<meta charset=utf-8>") + len("<meta charset=utf-8>") + 5
    )
