"""Printed pages on each engine's site (issue 23): every page names the playbook, its version, its
date and its own address (a line the build writes and only print shows; no script), and the funnel
prints legibly in black and white: black words and lines, each box naming its function, hand-offs
solid and recycle paths dashed. Screenshots: role-print-line.png, leads-print.png (with -zensical before
.png for the Zensical site)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import TODAY
from playbook_site.content import load
from playbook_site.site.render import long_date

from .conftest import Site, Watch, new_page, screenshot
from .test_narrow import _pages

pytestmark = pytest.mark.browser

A4 = {"width": 794, "height": 1123}  # an A4 sheet at 96 px to the inch


@pytest.fixture
def printed(browser: object) -> Any:
    page = new_page(browser, Watch(), viewport=A4)
    yield page
    page.context.close()


def test_every_printed_page_names_the_playbook_version_date_and_address(printed: Any, default_site: Site) -> None:
    playbook = load(default_site.content)
    title = " ".join(str(playbook.meta.title).split())
    # The bundled playbook has no version of its own and is no published version: it says so, and
    # the day it was built (PLAYBOOK_TODAY in the tests).
    version = f"version {playbook.meta.version}" if playbook.meta.version else "no version number"
    built = f"built {long_date(date.fromisoformat(TODAY))}"
    for path in _pages(default_site):
        printed.goto(default_site.url + path)
        line = printed.locator("article .pb-print-meta")
        assert line.count() == 1, path
        assert not line.is_visible(), f"{path}: the print line shows on the screen"
        printed.emulate_media(media="print")
        assert line.is_visible(), f"{path}: no print line in print"
        text = " ".join(line.inner_text().split())
        printed.emulate_media(media="screen")
        assert text == f"{title} · {version} · {built} · /{path}", (path, text)
    printed.goto(default_site.url + "roles/account-executive/")
    printed.emulate_media(media="print")
    screenshot(printed, default_site.shot("role-print-line"), full_page=False)
    assert printed.pdf(format="A4").startswith(b"%PDF")


def test_the_funnel_prints_in_black_and_white_by_words_and_line_styles(printed: Any, default_site: Site) -> None:
    playbook = load(default_site.content)
    printed.goto(default_site.url + "leads/")
    printed.emulate_media(media="print")
    svg = printed.locator("figure.pb-funnel svg >> visible=true")  # print shows the wide drawing (the narrow one is for phones)
    fills = svg.locator("text").evaluate_all("ts => [...new Set(ts.map(t => getComputedStyle(t).fill))]")
    assert fills == ["rgb(0, 0, 0)"], fills
    arrows = svg.locator(".pb-funnel__arrow, .pb-funnel__recycle").evaluate_all(
        "es => es.map(e => [e.getAttribute('class'), getComputedStyle(e).stroke, getComputedStyle(e).strokeDasharray])"
    )
    assert {stroke for _, stroke, _ in arrows} == {"rgb(0, 0, 0)"}
    assert all(dashes == "none" for kind, _, dashes in arrows if kind == "pb-funnel__arrow")
    assert all(dashes != "none" for kind, _, dashes in arrows if kind == "pb-funnel__recycle")
    assert any(kind == "pb-funnel__recycle" for kind, _, _ in arrows)
    # Each box names its owner's function in words: colour is never the only cue.
    for lead in playbook.leads.values():
        function = playbook.function_name(playbook.roles[lead.owner].function)
        words = " ".join(svg.locator(f'g[data-stage="{lead.id}"] text').evaluate_all("ts => ts.map(t => t.textContent)"))
        assert function in " ".join(words.split()), (lead.id, words)
    svg.scroll_into_view_if_needed()
    screenshot(printed, default_site.shot("leads-print"), full_page=False)
