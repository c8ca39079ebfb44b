"""What keeps large playbooks fast does not change what readers get.

- large role sections are split into alphabetical navigation groups (generator/playbook_site/site/nav.py), URLs unchanged;
- every abbreviation in a page still gets its tooltip;
- a `serve` rebuild (the plugin and its caches kept) gives the same HTML as a fresh build, and an edit shows up.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import make_site_project
from playbook_site.site.nav import GROUP_SIZE as NAV_GROUP_SIZE
from playbook_site.site.nav import group_alphabetically

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import synth  # noqa: E402

# --- navigation groups ------------------------------------------------------------------------


def test_groups_hold_every_item_once_in_order_and_none_is_too_big() -> None:
    items = [(f"Account Executive, Region {n:03d}", f"roles/ae-{n}.md") for n in range(130)]
    items += [(f"Sales Engineer, Region {n:03d}", f"roles/se-{n}.md") for n in range(95)]
    groups = group_alphabetically(items)
    assert 1 < len(groups) <= NAV_GROUP_SIZE
    flat: list[str] = []
    for group in groups:
        ((label, members),) = group.items()
        assert 0 < len(members) <= NAV_GROUP_SIZE
        assert " – " in label
        flat.extend(next(iter(member.values())) for member in members)
    assert sorted(flat) == sorted(target for _title, target in items)
    titles = [title for title, _target in sorted(items)]
    assert [next(iter(m.keys())) for g in groups for m in next(iter(g.values()))] == titles


def test_group_labels_are_guide_words_that_tell_neighbours_apart() -> None:
    names = [f"Account Executive, {city}" for city in ("Berlin", "Boston", "Cairo", "Delhi", "Dublin", "Lima")]
    names.append("Sales Engineer, Oslo")
    groups = group_alphabetically([(name, name) for name in names], size=3)
    labels = [next(iter(group)) for group in groups]
    assert labels == [
        "Account Executive, Berlin – Account Executive, Cairo",
        "Account Executive, Delhi – Account Executive, Lima",
        "Sales",
    ]


def test_many_groups_are_grouped_again() -> None:
    items = [(f"Role {n:05d}", f"roles/r{n}.md") for n in range(NAV_GROUP_SIZE * NAV_GROUP_SIZE + 5)]
    groups = group_alphabetically(items)
    assert len(groups) <= NAV_GROUP_SIZE

    def depth(entry: object) -> int:
        if isinstance(entry, dict):
            ((_label, value),) = entry.items()
            return 1 + max(depth(child) for child in value) if isinstance(value, list) else 0
        return 0

    assert max(depth(group) for group in groups) == 2


def test_small_sections_are_left_as_they_are() -> None:
    from playbook_site.content import load
    from playbook_site.site.project import build_project

    nav = build_project(load(REPO / "content")).nav()
    roles = next(entry["Roles"] for entry in nav if "Roles" in entry)
    for section in roles[1:]:
        ((_function, members),) = section.items()
        assert all(str(next(iter(member.values()))).startswith("roles/") for member in members)


# --- real builds ------------------------------------------------------------------------------


def _nav_links(page: str) -> list[str]:
    nav = page.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>\n", 1)[0]
    return re.findall(r'<a href="([^"]+)" class="md-nav__link', nav)


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A playbook of 600 entities (about 230 roles, over 90 of them in Sales), built strictly."""
    from playbook_site.publishing.build import build_site

    root = tmp_path_factory.mktemp("big")
    project = make_site_project(root / "repo")
    synth.generate(project / "content", 600)
    build_site(project / "mkdocs.yml", site_dir=root / "site", strict=True)
    return root / "site"


def test_role_urls_stay_and_each_page_carries_a_bounded_navigation(big_site: Path) -> None:
    from playbook_site.content import load

    playbook = load(big_site.parent / "repo" / "content")
    sales = [role for role in playbook.roles.values() if role.function == "sales"]
    assert len(sales) > 2 * NAV_GROUP_SIZE
    for role in sales[:: max(1, len(sales) // 10)]:
        page = (big_site / "roles" / role.id / "index.html").read_text(encoding="utf-8")
        assert html.escape(role.name, quote=False) in page
        links = _nav_links(page)
        # its group (at most NAV_GROUP_SIZE roles), the group and section titles, the top-level pages
        assert len(links) < NAV_GROUP_SIZE + 40, len(links)
        assert any(link.endswith(f"../{role.id}/") or link in ("./", "#") for link in links)
    for kind_page in ("kpis", "leads", "checklist", "alignment", "glossary", "roles"):
        assert (big_site / kind_page / "index.html").is_file()


def test_every_abbreviation_in_a_page_still_gets_its_tooltip(big_site: Path) -> None:
    from playbook_site.content import load
    from playbook_site.site.abbreviations import abbreviations

    playbook = load(big_site.parent / "repo" / "content")
    defined = abbreviations(playbook)
    page = (big_site / "kpis" / "index.html").read_text(encoding="utf-8")
    main = page.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
    shown = set(re.findall(r'<abbr title="[^"]*">([^<]+)</abbr>', main))
    assert shown, "the KPI page uses abbreviations"
    text = re.sub(r"<abbr[^>]*>[^<]*</abbr>", " ", main)
    text = re.sub(r"<[^>]+>", " ", text)
    # no abbreviation is left bare in the running text of the page
    for short in defined:
        if re.fullmatch(r"\w+", short):
            assert not re.search(rf"(?<![\w#/-]){re.escape(short)}(?![\w-])", text), short


def _html_pages(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): path.read_text(encoding="utf-8") for path in site.rglob("*.html") if path.name != "404.html"
    }


@pytest.fixture
def request_cleanup() -> object:
    """MkDocs keeps one instance of a plugin with `on_startup` per process: leave it without a cache."""
    done: list[object] = []
    yield done
    for action in done:
        action()  # type: ignore[operator]


def test_serve_rebuild_gives_the_same_site_and_shows_an_edit(tmp_path: Path, request_cleanup: list[object]) -> None:
    """Two builds as `mkdocs serve` runs them (plugin kept): the second reuses the hand-written page's
    HTML, the edit shows, and every page is the same as in a fresh build of the edited content."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from playbook_site.site.serve_cache import PageCache

    project = make_site_project(tmp_path / "repo")
    synth.generate(project / "content", 120)
    (project / "docs" / "notes.md").write_text("# Notes\n\nA page written by hand.\n", encoding="utf-8")
    role = sorted((project / "content" / "roles").glob("*.yml"))[3]

    def serve_build(site: Path, *, first: bool) -> object:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        if first:
            config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        return config.plugins["playbook"]

    plugin = serve_build(tmp_path / "serve1", first=True)
    cache = plugin.page_cache  # type: ignore[attr-defined]
    request_cleanup.append(lambda: plugin.on_startup(command="build", dirty=False))  # type: ignore[attr-defined]
    assert isinstance(cache, PageCache) and cache.misses > 0 and cache.hits == 0
    role.write_text(
        role.read_text(encoding="utf-8").replace("summary: >-\n", "summary: >-\n  Changed while serving.\n", 1), encoding="utf-8"
    )
    plugin_again = serve_build(tmp_path / "serve2", first=False)
    assert plugin_again is plugin, "MkDocs keeps a plugin with on_startup across serve rebuilds"
    assert cache.hits == 1 and cache.misses == 0, (cache.hits, cache.misses)  # the page written by hand, unchanged
    served = _html_pages(tmp_path / "serve2")
    assert "Changed while serving." in served[f"roles/{role.stem}/index.html"]

    fresh_config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "fresh"))
    fresh_config.plugins.on_startup(command="build", dirty=False)
    build(fresh_config)
    assert fresh_config.plugins["playbook"].page_cache is None  # only `serve` caches
    fresh = _html_pages(tmp_path / "fresh")
    assert served.keys() == fresh.keys()
    for path, page in fresh.items():
        assert served[path] == page, f"{path} differs between the cached rebuild and a fresh build"
    shutil.rmtree(tmp_path / "serve1", ignore_errors=True)


def test_no_search_entry_grows_with_the_playbook(big_site: Path) -> None:
    """The overviews that list every role, KPI or lead stage are left out of search (each entity is found by its
    own section): Zensical refuses any entry over 64 KiB, which the home page's list of roles passed at 5,000
    entities. At 600 entities no entry comes near a tenth of that."""
    import json

    index = json.loads((big_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    sizes = {doc["location"]: len(doc["text"].encode("utf-8")) for doc in index["docs"]}
    assert max(sizes.values()) < 6_500, sorted(sizes.items(), key=lambda item: -item[1])[:3]
    for overview in ("#start-here", "kpis/", "roles/#sales", "leads/"):
        assert sizes[overview] < 1_000, (overview, sizes[overview])
