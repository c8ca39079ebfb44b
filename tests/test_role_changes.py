""" "What changed for you" on each role page and "Changes by role" on a version's What changed page
(issue 23), from real versions published with `playbook publish` in a real git repository.

Ten edits across roles, KPIs, lead stages and checklist steps (and one glossary edit that touches no
role) are published as 1.1 over 1.0. The roles each edit touches are worked out here from the YAML
itself (a role's own file; a KPI's owner and the roles whose `kpis` list it; a stage's owner and the
role it hands off to; a step's owner and participants), on both sides of the change; each role page
must list exactly those edits.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run_cli
from test_publish import commit_all, new_repo, show

pytestmark = pytest.mark.slow

Edit = tuple[str, str]  # (kind, id)


def _load(repo: Path) -> dict[str, Any]:
    """The content as plain YAML data: roles, kpis, leads by id; steps by id; terms by id."""
    content = repo / "content"

    def folder(name: str) -> dict[str, Any]:
        return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((content / name).glob("*.yml"))}

    steps = yaml.safe_load((content / "checklist.yml").read_text(encoding="utf-8"))["steps"]
    return {"role": folder("roles"), "kpi": folder("kpis"), "lead": folder("leads"), "step": {s["id"]: s for s in steps}}


def _edit_yaml(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _edit_step(repo: Path, step_id: str, change: Any) -> None:
    def each(data: dict[str, Any]) -> None:
        change(next(step for step in data["steps"] if step["id"] == step_id))

    _edit_yaml(repo / "content" / "checklist.yml", each)


NEW_KPI = {
    "name": "Meetings booked",
    "definition": "Discovery meetings the SDRs book with an Account Executive.",
    "formula": "Count of discovery meetings booked in the period",
    "unit": "count",
    "direction": "higher",
    "owner": "revenue-operations-manager",
    "cadence": "monthly",
}


def _ten_edits(repo: Path) -> list[Edit]:
    """Ten edits across roles, KPIs, stages and steps; returns (kind, id) of each."""
    c = repo / "content"
    _edit_yaml(c / "roles/sales-development-rep.yml", lambda d: d.update(owns="the first conversation and the SAL"))
    _edit_yaml(c / "roles/account-executive.yml", lambda d: d["responsibilities"].append("Keeps the forecast current."))
    _edit_yaml(c / "kpis/win-rate.yml", lambda d: d["target"].update(value=30))
    _edit_yaml(c / "kpis/lead-response-time.yml", lambda d: d.update(formula="Median hours from routing to first touch"))
    _edit_yaml(c / "kpis/sales-cycle-length.yml", lambda d: d.update(owner="chief-revenue-officer"))
    _edit_yaml(c / "leads/sales-accepted-lead.yml", lambda d: d["handoff"].update(sla_hours=4))
    _edit_yaml(c / "leads/opportunity.yml", lambda d: d["exit_criteria"].append("The deal is marked closed in the CRM."))
    _edit_step(repo, "reduce-bureaucracy", lambda s: s.update(cadence="monthly"))
    _edit_step(repo, "united-approach", lambda s: s["participants"].remove("account-executive"))
    (c / "kpis/meetings-booked.yml").write_text(yaml.safe_dump(NEW_KPI, sort_keys=False), encoding="utf-8")
    # And one that touches no role: a glossary term's wording.
    glossary = c / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("200 to 5,000", "200 to 6,000", 1), encoding="utf-8")
    return [
        ("role", "sales-development-rep"),
        ("role", "account-executive"),
        ("kpi", "win-rate"),
        ("kpi", "lead-response-time"),
        ("kpi", "sales-cycle-length"),
        ("lead", "sales-accepted-lead"),
        ("lead", "opportunity"),
        ("step", "reduce-bureaucracy"),
        ("step", "united-approach"),
        ("kpi", "meetings-booked"),
    ]


def _roles_in(data: dict[str, Any], kind: str, entity_id: str) -> set[str]:
    """Who an entity concerns, read from the YAML of one side."""
    entity = data[kind].get(entity_id)
    if entity is None:
        return set()
    if kind == "role":
        return {entity_id}
    if kind == "kpi":
        return {entity["owner"]} | {rid for rid, role in data["role"].items() if entity_id in role.get("kpis", [])}
    if kind == "lead":
        return {entity["owner"]} | ({entity["handoff"]["to"]} if entity.get("handoff") else set())
    return {entity["owner"], *entity.get("participants", [])}


def _title(data: dict[str, Any], kind: str, entity_id: str) -> str:
    entity = data[kind][entity_id]
    name = entity.get("name") or entity.get("title")
    return f"{name} ({entity['abbreviation']})" if entity.get("abbreviation") else str(name)


def _items(html: str, heading_id: str, stop: str) -> list[str]:
    """The bold names of the list items after the heading `heading_id`, up to the next `stop` tag."""
    start = html.index(f'id="{heading_id}"')
    end = html.find(stop, start + 1)
    part = html[start : end if end != -1 else len(html)]
    return [unescape(re.sub(r"<[^>]+>", "", name)) for name in re.findall(r"<li>[^<]*<strong>(.*?)</strong>", part)]


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], dict[str, Any], list[Edit]]:
    repo = new_repo(tmp_path_factory.mktemp("role-changes") / "repo")
    before = _load(repo)
    assert run_cli("publish", "1.0", "--title", "Q3 2026", cwd=repo).exit_code == 0
    edits = _ten_edits(repo)
    commit_all(repo, "Ten edits")
    result = run_cli("publish", "1.1", "--title", "Q4 2026", cwd=repo)
    assert result.exit_code == 0, result.output
    return repo, before, _load(repo), edits


def _expected(before: dict[str, Any], after: dict[str, Any], edits: list[Edit]) -> dict[str, list[str]]:
    expected: dict[str, list[str]] = {role_id: [] for role_id in after["role"]}
    for kind, entity_id in edits:
        for role_id in _roles_in(before, kind, entity_id) | _roles_in(after, kind, entity_id):
            expected[role_id].append(_title(after, kind, entity_id))
    return expected


def test_each_role_page_lists_exactly_the_edits_that_touch_it(versions: Any) -> None:
    repo, before, after, edits = versions
    expected = _expected(before, after, edits)
    assert sum(1 for names in expected.values() if names) >= 7  # the edits reach most roles, not one
    assert not all(expected.values())  # ... and at least one role is touched by none
    for role_id, names in expected.items():
        page = show(repo, f"1.1/roles/{role_id}/index.html")
        assert 'id="what-changed-for-you"' in page, role_id
        shown = _items(page, "what-changed-for-you", "<h2")
        assert sorted(shown) == sorted(names), role_id
        if not names:
            assert "Nothing that touches this role changed in version 1.1" in page


def test_the_glossary_edit_is_on_the_what_changed_page_but_no_role_page(versions: Any) -> None:
    repo, *_ = versions
    page = show(repo, "1.1/changes/index.html")
    assert "Ideal customer profile" in re.sub(r"<[^>]+>", "", page)
    for role_id in _load(repo)["role"]:
        assert "Ideal customer profile" not in _items(
            show(repo, f"1.1/roles/{role_id}/index.html"), "what-changed-for-you", "<h2"
        )


def test_the_what_changed_page_groups_the_same_changes_by_role(versions: Any) -> None:
    repo, before, after, edits = versions
    expected = _expected(before, after, edits)
    page = show(repo, "1.1/changes/index.html")
    assert 'id="changes-by-role"' in page
    for role_id, names in expected.items():
        role = after["role"][role_id]
        heading = "For " + role["name"] + (f" ({role['abbreviation']})" if role.get("abbreviation") else "")
        headings = {
            unescape(re.sub(r"<[^>]+>", "", text)).replace("¶", "").strip(): ident
            for ident, text in re.findall(r'<h3 id="([^"]+)"[^>]*>(.*?)</h3>', page)
        }
        if not names:
            assert heading not in headings, role_id
            continue
        assert heading in headings, (heading, headings)
        assert sorted(_items(page, headings[heading], "<h3")) == sorted(names), role_id


def test_the_changes_link_to_their_definitions_and_the_first_version_has_none(versions: Any) -> None:
    repo, *_ = versions
    page = show(repo, "1.1/roles/account-executive/index.html")
    part = page[page.index('id="what-changed-for-you"') : page.index("<h2", page.index('id="what-changed-for-you"'))]
    assert 'href="../../leads/#sales-accepted-lead"' in part
    assert 'href="../../changes/"' in part
    assert 'id="what-changed-for-you"' not in show(repo, "1.0/roles/account-executive/index.html")
