"""Since your last visit, on the server's side (site/since.py): what changes a page's fingerprint, and
the data script that carries them (issue 23). The browser's side is tests/browser/test_since_last_visit.py."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from conftest import MINIMAL, write_content
from playbook_site.content import load
from playbook_site.site.project import Options, build_project
from playbook_site.site.since import SCRIPT


def fingerprints(tmp_path: Path, files: dict[str, str]) -> dict[str, str]:
    project = build_project(load(write_content(tmp_path / "content", files)), Options())
    data = project.generated[SCRIPT].split("window.__pbSince = ", 1)[1].rstrip().removesuffix(";")
    return {path: entry["fp"] for path, entry in json.loads(data)["pages"].items()}


def edited(rel: str, old: str, new: str) -> dict[str, str]:
    text = textwrap.dedent(MINIMAL[rel])
    assert old in text
    return {rel: text.replace(old, new)}


def test_what_only_editors_see_changes_no_fingerprint(tmp_path: Path) -> None:
    before = fingerprints(tmp_path / "a", {})
    after = fingerprints(
        tmp_path / "b",
        edited(
            "kpis/win-rate.yml",
            "unit: percent",
            "unit: percent\nnotes: ask finance\napprovers: ['@org/finance']\nreview_by: 2027-01-31",
        ),
    )
    assert after == before


def test_a_name_changes_the_pages_that_name_it_and_a_responsibility_only_its_own(tmp_path: Path) -> None:
    before = fingerprints(tmp_path / "a", {})
    renamed = fingerprints(tmp_path / "b", edited("roles/sales-manager.yml", "name: Sales Manager", "name: Sales Lead"))
    reworded = fingerprints(
        tmp_path / "c", edited("roles/sales-manager.yml", "- Coaches the team.", "- Coaches the team weekly.")
    )
    changed_by_name = {path for path in before if before[path] != renamed[path]}
    changed_by_text = {path for path in before if before[path] != reworded[path]}
    # Its responsibilities are on its own page only (the lists show its name, summary and what it owns).
    assert changed_by_text == {"roles/sales-manager.md"}
    # Its name is everywhere it is named: the KPI it owns, the step it owns, the roles reporting to it.
    assert {"kpis.md", "checklist.md", "roles/account-executive.md", "responsibilities.md"} <= changed_by_name
    assert {"roles/index.md", "index.md"} <= changed_by_name
    assert "glossary.md" not in changed_by_name and "alignment.md" not in changed_by_name
    kpi_renamed = fingerprints(tmp_path / "d", edited("kpis/win-rate.yml", "name: Win rate", "name: Close rate"))
    assert kpi_renamed["roles/index.md"] == before["roles/index.md"] and kpi_renamed["index.md"] == before["index.md"]


def test_the_data_script_is_data_whatever_the_version_label_says(tmp_path: Path) -> None:
    label = 'Q4 < 5 days & "quoted" \\ é > 3'  # what the content lets through: a `<` with a space after it
    meta = textwrap.dedent(MINIMAL["playbook.yml"]) + f"version: {json.dumps(label)}\n"
    project = build_project(load(write_content(tmp_path / "content", {"playbook.yml": meta})), Options())
    script = project.generated[SCRIPT]
    assert "<" not in script and ">" not in script and "é" not in script
    head, _, data = script.partition("window.__pbSince = ")
    assert head.startswith("/*") and head.rstrip().endswith("*/") and data.endswith(";\n")
    assert json.loads(data.rstrip().removesuffix(";"))["version"] == label
