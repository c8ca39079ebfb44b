"""`playbook serve` renders again only the pages whose inputs changed (site/incremental.py, issue 27).

The pages a render keeps from the last one must be the pages a render from scratch makes: random
one-field edits of real content files, on the bundled playbook and on a generated one, each followed by
an incremental render compared byte for byte with a full one."""

from __future__ import annotations

import random
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from playbook_site.content import load_all
from playbook_site.errors import ContentError
from playbook_site.site.incremental import Memo
from playbook_site.site.project import Options, build_project

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import synth  # noqa: E402

DAY = date(2026, 12, 8)


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where a scalar is, in a YAML document: text and numbers (ids and references included: such an
    edit is refused by the loader, or changes the site's shape)."""
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list):
        return [leaf for index, value in enumerate(node) for leaf in _leaves(value, (*path, index))]
    return [path] if isinstance(node, (str, int, float)) and not isinstance(node, bool) else []


def _edit_yaml(rng: random.Random, file: Path) -> str:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    leaves = _leaves(data)
    if not leaves:
        return ""
    where = rng.choice(leaves)
    parent = data
    for step in where[:-1]:
        parent = parent[step]
    value = parent[where[-1]]
    parent[where[-1]] = value + rng.choice([1, 7]) if isinstance(value, (int, float)) else value + rng.choice([" edited", "s"])
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return f"{file.name}:{'/'.join(map(str, where))}"


def _edit_csv(rng: random.Random, file: Path) -> str:
    lines = file.read_text(encoding="utf-8").splitlines()
    if len(lines) < 2:
        return ""
    row = rng.randrange(1, len(lines))
    cells = lines[row].split(",")
    try:
        cells[-1] = str(float(cells[-1]) + 1)
    except ValueError:
        return ""
    lines[row] = ",".join(cells)
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"{file.name}:{row}"


def one_edit(rng: random.Random, content: Path) -> str:
    files = sorted(path for path in content.rglob("*") if path.suffix in (".yml", ".csv"))
    file = rng.choice(files)
    return _edit_csv(rng, file) if file.suffix == ".csv" else _edit_yaml(rng, file)


def _html(project: Any) -> dict[str, str]:
    return {path: page.html + "\0" + page.title + "\0" + repr(page.toc_tokens()) for path, page in project.pages.items()}


def check_edits(content: Path, edits: int, seed: int) -> tuple[int, int]:
    """`edits` random edits; after each that loads, the incremental render equals a full one. Returns
    (edits that loaded, those rendered without rendering every page)."""
    rng = random.Random(seed)
    memo = Memo()
    build_project(load_all(content, today=DAY).playbook, Options(today=DAY, memo=memo))
    loaded_edits = partial = 0
    for _ in range(edits):
        keep = {path: path.read_bytes() for path in content.rglob("*") if path.is_file()}
        what = one_edit(rng, content)
        try:
            playbook = load_all(content, today=DAY).playbook
        except ContentError:
            for path, data in keep.items():
                path.write_bytes(data)
            continue
        loaded_edits += 1
        incremental = build_project(playbook, Options(today=DAY, memo=memo))
        partial += not memo.full
        full = build_project(load_all(content, today=DAY).playbook, Options(today=DAY))
        assert _html(incremental) == _html(full), f"after editing {what}: {sorted(memo.rendered)}"
        assert incremental.generated == full.generated
    return loaded_edits, partial


def test_random_edits_of_the_bundled_playbook_render_as_a_full_render(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    loaded, partial = check_edits(content, 60, seed=27)
    assert loaded >= 20 and partial >= 10  # the edits were mostly valid, and most spared pages


def test_random_edits_of_a_generated_playbook_render_as_a_full_render(tmp_path: Path) -> None:
    content = tmp_path / "content"
    synth.generate(content, 100)
    loaded, partial = check_edits(content, 40, seed=8)
    assert loaded >= 15 and partial >= 8


# --- how many pages a one-field edit renders, on both engines ------------------------------------------


def pages_showing_kpi(content: Path, kpi_id: str) -> set[str]:
    """The pages that show more of a KPI than its name, read from the content: the pages of the roles
    measured on it, owning or sharing it; the KPI list, the scorecard and the home page's summary (every
    KPI); the lead definitions when it measures a stage; the glossary when a term's "see also" names it
    (the template looks the id up in every kind, which counts as reading the KPI). Not the checklist: a
    step shows its KPIs as links, by name; nor the responsibility matrix (steps and stages by roles)."""
    playbook = load_all(content, today=DAY).playbook
    kpi = playbook.kpis[kpi_id]
    roles = {role.id for role in playbook.roles.values() if kpi_id in role.kpis} | {kpi.owner, *kpi.shared_with}
    found = {f"roles/{role}.md" for role in roles} | {"kpis.md", "scorecard.md", "index.md"}
    if kpi.stages:
        found.add("leads.md")
    if any(kpi_id in [str(name).split(":")[-1] for name in term.see_also] for term in playbook.glossary.terms):
        found.add("glossary.md")
    assert any(kpi_id in step.kpis for step in playbook.checklist.steps)  # a page that only links to it
    return found


def _edit_target(content: Path) -> None:
    kpi = content / "kpis" / "win-rate.yml"
    text = kpi.read_text(encoding="utf-8")
    assert "  value: 27\n" in text
    kpi.write_text(text.replace("  value: 27\n", "  value: 28\n"), encoding="utf-8")


def test_a_kpi_target_edit_renders_the_pages_that_show_it_on_mkdocs(tmp_path: Path) -> None:
    from conftest import DEFAULT_CONTENT, make_site_project
    from conftest import mkdocs_build_in_process as build

    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    plugin = build(project, tmp_path / "served", startup="serve")
    assert plugin.memo.full and len(plugin.memo.rendered) == len(plugin.project.pages)
    _edit_target(project / "content")
    plugin = build(project, tmp_path / "served", startup=None)  # the serve session's next rebuild
    expected = pages_showing_kpi(project / "content", "win-rate")
    assert not plugin.memo.full
    assert sorted(plugin.memo.rendered) == sorted(expected), (sorted(plugin.memo.rendered), sorted(expected))
    assert len(expected) < len(plugin.project.pages) - 5
    assert "28%" in (tmp_path / "served" / "kpis" / "index.html").read_text(encoding="utf-8")


def test_a_kpi_target_edit_renders_the_pages_that_show_it_on_zensical(tmp_path: Path) -> None:
    from conftest import DEFAULT_CONTENT, make_site_project
    from playbook_site.publishing.serving import ZensicalServer

    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    reports: list[str] = []
    server = ZensicalServer(project / "mkdocs.yml", dev_addr="127.0.0.1:0", today=lambda: DAY, report=reports.append)
    server.refresh()
    _edit_target(project / "content")
    synced = server.refresh()
    expected = pages_showing_kpi(project / "content", "win-rate")
    assert sorted(server.memo.rendered) == sorted(expected)
    assert server.project is not None
    assert reports[-2] == f"Pages rendered: {len(expected)} of {len(server.project.pages)} (the rest read nothing that changed)."
    # Zensical is handed only the files whose bytes changed: pages among those rendered, and the data files.
    pages = {name.removeprefix("docs/") for name in synced.written if name.startswith("docs/") and name.endswith(".md")}
    assert pages and pages <= expected, synced.written


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_serve_shows_a_target_edit_having_rendered_the_pages_that_show_it(tmp_path: Path, engine: str) -> None:
    from conftest import DEFAULT_CONTENT, make_site_project
    from test_serve import start_serving, wait_for

    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    expected = pages_showing_kpi(project / "content", "win-rate")
    server, port, log = start_serving(project, tmp_path, "--engine", engine)
    try:
        url = f"http://127.0.0.1:{port}/kpis/"
        assert wait_for(url, "Win rate", 90), log.read_text()
        _edit_target(project / "content")
        assert wait_for(url, "28% per quarter", 60), log.read_text()
        shown = log.read_text()
        assert f"ages rendered: {len(expected)} of " in shown, shown  # the edit's render, as serve reports it
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_what_every_page_may_read_renders_every_page(tmp_path: Path) -> None:
    """A role's name (the navigation, every link to it), a new role, playbook.yml, a template: every page."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    templates = tmp_path / "templates"
    memo = Memo()

    def render(templates_dir: Path | None = None) -> bool:
        build_project(load_all(content, today=DAY).playbook, Options(today=DAY, memo=memo, templates_dir=templates_dir))
        return memo.full

    def edit(rel: str, old: str, new: str) -> None:
        path = content / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    assert render()
    edit("roles/account-executive.yml", "owns: the relationship", "owns: the whole relationship")
    assert not render() and "roles/account-executive.md" in memo.rendered
    edit("roles/account-executive.yml", "summary: >-\n", "summary: >-\n  Edited.\n")  # the tooltip of "AE"
    assert render()
    edit("roles/account-executive.yml", "name: Account Executive", "name: Account Lead")
    assert render()
    shutil.copy(content / "roles" / "account-executive.yml", content / "roles" / "deal-desk.yml")
    edit("roles/deal-desk.yml", "abbreviation: AE", "abbreviation: DD")
    assert render()
    edit("playbook.yml", "title: ", "title: The ")
    assert render()
    assert not render()  # nothing changed: nothing rendered
    assert memo.rendered == []
    templates.mkdir()
    (templates / "role.html.j2").write_text("<p>{{ role.name }}</p>\n", encoding="utf-8")
    assert render(templates)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_random_edits_served_as_a_fresh_build_makes_them(tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random one-field edits under each engine's serve session: the MkDocs site and the Zensical project
    the session keeps are, file for file, those a fresh build of the same content makes."""
    from conftest import DEFAULT_CONTENT, make_site_project, site_differences
    from conftest import mkdocs_build_in_process as build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    rng, spared = random.Random(2027), 0
    if engine == "mkdocs":
        build(project, tmp_path / "served", startup="serve")
    else:
        from playbook_site.publishing.engines import raw_config, settings_of, standalone
        from playbook_site.publishing.serving import ZensicalServer

        config = project / "mkdocs.yml"
        server = ZensicalServer(config, dev_addr="127.0.0.1:0", today=lambda: DAY, report=lambda _m: None)
        server.refresh()
    for _ in range(20):
        keep = {path: path.read_bytes() for path in (project / "content").rglob("*") if path.is_file()}
        one_edit(rng, project / "content")
        try:
            load_all(project / "content", today=DAY)
        except ContentError:
            for path, data in keep.items():
                path.write_bytes(data)
            continue
        if engine == "mkdocs":
            plugin = build(project, tmp_path / "served", startup=None)  # the session's next rebuild
            spared += not plugin.memo.full
            kept = (plugin.page_cache, plugin.output_cache, plugin.memo)
            shutil.rmtree(tmp_path / "fresh", ignore_errors=True)
            build(project, tmp_path / "fresh", startup="serve")  # the same instance, new caches: nothing reused
            plugin.page_cache, plugin.output_cache, plugin.memo = kept
            assert site_differences(tmp_path / "served", tmp_path / "fresh") == []
            continue
        server.refresh()
        spared += not server.memo.full
        base = raw_config(config)
        expected = standalone(settings_of(config, base), base, load_all(settings_of(config, base).content, today=DAY), today=DAY)[
            1
        ]
        found = {name: (server.project_dir / name).read_bytes() for name in expected if (server.project_dir / name).is_file()}
        assert found == expected
    assert spared >= 8
