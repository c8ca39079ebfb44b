"""Since your last visit (issue 23), in Chromium on both engines: a reader who saw version 1.0 and then
opens 1.1 sees exactly the pages whose definitions changed marked, in the navigation and on the page,
until "Mark as read"; nothing leaves the browser (every request goes to the site on 127.0.0.1, and
only to read it), under the Content-Security-Policy; from disk too (`playbook build --offline`).

The two versions are real builds of a playbook before and after four edits, served side by side
(/1.0/, /1.1/) as a host serves published versions. Which pages must be marked is worked out from
the content: the pages that show the edited definitions.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import MINIMAL, make_site_project, write_content

from .conftest import DESKTOP, ENGINES, Watch, build, new_page, playbook_command, require_engine, screenshot, serve, stop

BEFORE = {**MINIMAL, "playbook.yml": MINIMAL["playbook.yml"].rstrip() + "\n        version: '1.0'\n"}
EDITS = {
    "playbook.yml": ("version: '1.0'", "version: '1.1'"),  # a new label is no new definition
    "kpis/win-rate.yml": ("value: 27", "value: 30"),  # a KPI's target
    "leads/marketing-qualified-lead.yml": ("sla_hours: 24", "sla_hours: 8"),  # a hand-off's time limit
    "glossary.yml": ("The companies we sell to.", "The companies we sell to, and why."),  # a term's definition
    "leads/sales-qualified-lead.yml": ("recycle_to:", "notes: for editors only\nrecycle_to:"),  # readers see no note
}


def after() -> dict[str, str]:
    files = dict(BEFORE)
    for rel, (old, new) in EDITS.items():
        text = textwrap.dedent(files[rel])
        assert old in text, rel
        files[rel] = text.replace(old, new)
    return files


def roles_named_by(files: dict[str, str], rel: str) -> set[str]:
    """The roles an entity names, and for a KPI the roles measured on it: their pages show its definition."""
    data = yaml.safe_load(textwrap.dedent(files[rel]))
    named = {data.get("owner"), *(data.get("shared_with") or []), (data.get("handoff") or {}).get("to")}
    kpi = Path(rel).stem
    for path, text in files.items():
        if path.startswith("roles/") and kpi in (yaml.safe_load(textwrap.dedent(text)).get("kpis") or []):
            named.add(Path(path).stem)
    return {f"roles/{role}.md" for role in named if role}


def expected_changes() -> set[str]:
    """The KPIs page and the pages of the roles that take part in Win rate; the lead definitions, the
    roles of the MQL hand-off and the responsibility matrix (its cells give the hand-off's hours); the
    glossary. Not the home page (a version label is no definition), nor anything for a note."""
    files = after()
    return (
        {"kpis.md", "leads.md", "glossary.md", "responsibilities.md"}
        | roles_named_by(files, "kpis/win-rate.yml")
        | roles_named_by(files, "leads/marketing-qualified-lead.yml")
    )


def page_paths(site: Path) -> dict[str, str]:
    """{page path (roles/x.md): its file under the version's folder} of every page of a built site."""
    found: dict[str, str] = {}
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel == "404.html" or rel.startswith(("search/", "assets/")):
            continue
        if rel == "index.html" or rel == "roles/index.html":
            found[rel[: -len(".html")] + ".md"] = rel
        elif rel.endswith("/index.html"):
            found[rel[: -len("/index.html")] + ".md"] = rel
        else:
            found[rel[: -len(".html")] + ".md"] = rel
    return found


def two_versions(root: Path, engine: str, *, offline: bool = False) -> Path:
    """Versions 1.0 and 1.1 built (by the real `playbook build`) into root/site/1.0 and root/site/1.1."""
    import subprocess

    served = root / "served"
    for version, files in (("1.0", BEFORE), ("1.1", after())):
        project = make_site_project(root / f"repo-{version}")
        write_content(project / "content", files, base={})
        if offline:
            argv = [*playbook_command(), "build", "--offline"]
            result = subprocess.run(argv, cwd=project, capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, result.stderr
            site = project / "site"
        else:
            site = build(project, engine)
        shutil.copytree(site, served / version)
    return served


@pytest.fixture(scope="module", params=ENGINES, ids=ENGINES)
def versions(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_engine(request.param)
    served = two_versions(tmp_path_factory.mktemp(f"since-{request.param}"), request.param)
    server, url = serve(served)
    try:
        yield url, served
    finally:
        stop(server)


def marks(page: Any) -> set[str]:
    """The addresses of the navigation links marked "changed"."""
    found = page.eval_on_selector_all(".pb-since-mark", "marks => marks.map(m => m.closest('a').href)")
    return {str(href).split("#")[0] for href in found}


def noted(page: Any) -> bool:
    return bool(page.locator(".pb-since:not([hidden])").count())


def visit_every_page(page: Any, base: str, paths: dict[str, str]) -> tuple[set[str], set[str]]:
    """(pages showing the note, addresses marked in the navigation on any of them)."""
    with_note, marked = set(), set()
    for path, rel in paths.items():
        page.goto(base + rel, wait_until="load")
        page.wait_for_function("() => window.__pbSince !== undefined")
        if noted(page):
            with_note.add(path)
        marked |= marks(page)
    return with_note, marked


def test_a_reader_who_saw_1_0_sees_exactly_the_changed_pages_of_1_1_marked(browser: object, versions: tuple[str, Path]) -> None:
    url, served = versions
    watch = Watch()
    methods: list[str] = []
    page: Any = new_page(browser, watch, viewport=DESKTOP)
    page.context.on("request", lambda request: methods.append(request.method))
    paths = page_paths(served / "1.1")
    expected = expected_changes()
    assert expected < set(paths), (expected, paths)  # every changed page exists, and some did not change
    try:
        # Version 1.0, first visit: nothing is marked, anywhere.
        first_notes, first_marks = visit_every_page(page, url + "1.0/", page_paths(served / "1.0"))
        assert first_notes == set() and first_marks == set()
        # Version 1.1: exactly the changed pages, on the page and in the navigation.
        with_note, marked = visit_every_page(page, url + "1.1/", paths)
        assert with_note == expected
        assert marked == {url + "1.1/" + paths[path].removesuffix("index.html") for path in expected}
        page.goto(url + "1.1/" + paths["kpis.md"], wait_until="load")
        note = page.locator(".pb-since:not([hidden])")
        assert "Changed since your last visit" in note.inner_text() and "version 1.0" in note.inner_text()
        screenshot(page, f"since-last-visit-{'zensical' if 'zensical' in str(served) else 'mkdocs'}", full_page=False)
        # "Mark as read": the note goes, the page is no longer marked; the other pages still are.
        note.get_by_role("button", name="Mark as read").click()
        assert not noted(page)
        kpis_address = url + "1.1/" + paths["kpis.md"].removesuffix("index.html")
        assert kpis_address not in marks(page)
        page.goto(url + "1.1/" + paths["glossary.md"], wait_until="load")
        assert noted(page) and kpis_address not in marks(page)
        page.goto(url + "1.1/" + paths["kpis.md"], wait_until="load")
        assert not noted(page)
        # Back on 1.0, nothing the reader has seen is marked.
        assert visit_every_page(page, url + "1.0/", page_paths(served / "1.0")) == (set(), set())
        stored = page.evaluate("() => Object.keys(window.localStorage)")
    finally:
        page.context.close()
    own = urlsplit(url).netloc
    assert [request for request in watch.requests if urlsplit(request).netloc != own] == []
    assert set(methods) == {"GET"}  # reads only: nothing is sent
    assert any(key.startswith("pb-since:") for key in stored)
    assert watch.errors == [] and watch.csp == []
    # Only loads cut short by the next page (the search worker of a page left at once) fail.
    assert [failure for failure in watch.failures if "ERR_ABORTED" not in failure] == []


def test_from_disk_too(browser: object, tmp_path: Path) -> None:
    served = two_versions(tmp_path, "mkdocs", offline=True)
    watch = Watch()
    page: Any = new_page(browser, watch, viewport=DESKTOP)
    try:
        page.goto((served / "1.0" / "kpis.html").as_uri(), wait_until="load")
        assert not noted(page)
        page.goto((served / "1.1" / "kpis.html").as_uri(), wait_until="load")
        assert noted(page)
        assert any(href.endswith("/1.1/glossary.html") for href in marks(page))
        assert not any(href.endswith("/1.1/checklist.html") for href in marks(page))
    finally:
        page.context.close()
    assert not [url for url in watch.requests if not url.startswith(("file:", "data:", "blob:", "about:"))], watch.requests
    assert watch.errors == [] and watch.csp == []
