"""The views that make the playbook useful, checked on a playbook that is not the default one."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FOREIGN_CONTENT, make_site_project, run_cli, write_content

from generator.export import kpis_csv, leads_csv, playbook_from_dict, playbook_to_dict
from generator.funnel import funnel_svg
from generator.load import load
from generator.render import render
from generator.views import plain_text, script_json


@pytest.fixture(scope="module")
def foreign() -> object:
    return load(FOREIGN_CONTENT)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_site_project(tmp_path_factory.mktemp("views") / "repo", FOREIGN_CONTENT)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return project / "site"


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_role_page_is_an_onboarding_path(foreign: object, site: Path) -> None:
    page = render(foreign)["roles/key-account-manager.md"]
    assert "- **Reports to:** [Vertriebsleiterin](vertriebsleiterin.md)" in page
    assert "[Renewal rate](../kpis.md#renewal-rate)" in page and "owns, measured on" in page
    assert "- [Auftrag](../leads.md#auftrag)" in page  # the stage it owns
    assert "[Qualifizierter Kontakt](../leads.md#qualifizierter-kontakt) leads from [Inside Sales Representative](inside-sales-rep.md): act within **24 hours**" in page
    html = read(site, "roles/key-account-manager/index.html")
    boxes = re.findall(r'<input type="checkbox" data-pb-onboarding="([^"]+)">', html)
    assert boxes == ["key-account-manager:1"]
    assert "Read the last two QBR decks of every account you inherit." in html
    isr = read(site, "roles/inside-sales-rep/index.html")
    assert "Gemeinsame Messeplanung" in isr and "takes part" in isr  # checklist duties


def test_funnel_shows_every_stage_in_order_with_handoffs_and_recycling(foreign: object, site: Path) -> None:
    svg = funnel_svg(foreign)
    assert re.findall(r'data-stage="([^"]+)"', svg) == ["messekontakt", "qualifizierter-kontakt", "auftrag"]
    assert '>hand-off to Inside Sales Representative</tspan><tspan x="320" dy="14">within 48 h</tspan>' in svg
    assert '>hand-off to Key-Account-Manager</tspan><tspan x="320" dy="14">within 24 h</tspan>' in svg
    assert svg.count(">recycle</text>") == 1  # qualifizierter-kontakt -> messekontakt
    assert "Marketing</text>" in svg and "Sales</text>" in svg  # legend names the functions, not only colours
    html = read(site, "leads/index.html")
    assert '<figure class="pb-funnel"><svg' in html
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing to fetch


def test_funnel_escapes_content(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"leads/marketing-qualified-lead.yml": """
        name: "MQL & < friends"
        order: 1
        definition: d
        owner: marketing-manager
        entry_criteria: [x]
    """})
    svg = funnel_svg(load(root))
    assert "MQL &amp; &lt; friends" in svg and "< friends" not in svg


def test_responsibility_matrix(foreign: object, site: Path) -> None:
    page = render(foreign)["responsibilities.md"]
    rows = [line for line in page.splitlines() if line.startswith("| [")]
    assert len(rows) == 12 + 3  # every checklist step and every lead stage
    header = next(line for line in page.splitlines() if line.startswith("| Step |"))
    assert header.count("](") == 4  # one column per role
    messe = next(row for row in rows if "messekontakt" in row)
    assert "**A**" in messe and "H 48 h" in messe
    assert "responsibilities/index.html" in {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


def test_abbreviations_show_a_tooltip_and_link_to_their_definition(site: Path) -> None:
    html = read(site, "roles/inside-sales-rep/index.html")
    assert ('<a class="pb-abbr" href="../key-account-manager/"><abbr title="Key-Account-Manager: Owns the five largest customers'
            ' per region and every renewal conversation with them.">KAM</abbr></a>') in html
    assert ('<a class="pb-abbr" href="../../leads/#qualifizierter-kontakt"><abbr title="Qualifizierter Kontakt: A contact the inside'
            ' sales team has spoken to, with a project and a budget.">QK</abbr></a>') in html
    kpis = read(site, "kpis/index.html")
    assert '<a class="pb-abbr" href="#cost-per-lead"><abbr' in kpis.split('<h2 id="cost-per-lead">')[0]  # same page: an anchor
    glossary = read(site, "glossary/index.html")
    heading = re.search(r'<h2 id="angebotsfrist">(.*?)</h2>', glossary, re.S)
    assert heading and "pb-abbr" not in heading.group(1)  # not linked inside its own heading


def test_self_assessment_form_and_data(foreign: object, site: Path) -> None:
    html = read(site, "alignment/index.html")
    fieldsets = re.findall(r'<fieldset data-question="([^"]+)">', html)
    assert fieldsets == [f"frage-{i}" for i in range(1, 11)]
    for qid in fieldsets:
        assert re.findall(rf'name="pb-q-{qid}" value="(\d)"', html) == ["1", "2", "3", "4", "5"]
    data = json.loads(re.search(r'<script type="application/json" id="pb-assessment-data">(.*?)</script>', html, re.S).group(1))
    assert [(s["id"], s["low"], s["high"]) for s in data["stages"]] == [("getrennt", 10, 19), ("definiert", 20, 29), ("abgestimmt", 30, 39), ("integriert", 40, 50)]
    assert data["current"] == {"id": "abgestimmt", "name": "Abgestimmt"} and data["target"]["id"] == "integriert"
    assert 'id="pb-assessment-result"' in html and 'aria-live="polite"' in html
    assert "assets/playbook/playbook.js" in html


def test_script_json_cannot_close_its_script_element() -> None:
    text = script_json({"a": "</script><script>alert(1)</script> & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script> & \u2028"}


def test_plain_text_keeps_words_only() -> None:
    assert plain_text("**Bold** and *it* and [AE](role:account-executive) `code`") == "Bold and it and AE code"


def test_exports_are_published_with_the_site(foreign: object, site: Path) -> None:
    exported = json.loads(read(site, "playbook.json"))
    assert exported["format"] == 1
    assert [role["id"] for role in exported["roles"]] == sorted(foreign.roles)
    assert playbook_to_dict(playbook_from_dict(exported)) == exported  # stable round trip
    kpis = list(csv.DictReader(io.StringIO(read(site, "exports/kpis.csv"))))
    assert [k["id"] for k in kpis] == ["cost-per-lead", "lead-to-deal", "renewal-rate"]
    assert kpis[0]["target_value"] == "180" and kpis[0]["shared_with"] == "inside-sales-rep"
    leads = list(csv.DictReader(io.StringIO(read(site, "exports/leads.csv"))))
    assert [(row["order"], row["id"], row["handoff_sla_hours"]) for row in leads] == [("1", "messekontakt", "48"), ("2", "qualifizierter-kontakt", "24"), ("3", "auftrag", "")]
    assert json.loads(read(site, "schema/role.schema.json"))["title"] == "content/roles/<id>.yml"
    home = read(site, "index.html")
    assert 'href="playbook.json"' in home and 'href="exports/kpis.csv"' in home


def test_csv_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"kpis/win-rate.yml": """
        name: Win rate
        definition: "=HYPERLINK(\\"https://evil.example\\")"
        formula: "+1+1"
        unit: percent
        direction: higher
        owner: sales-manager
    """})
    rows = list(csv.DictReader(io.StringIO(kpis_csv(load(root)))))
    assert rows[0]["definition"].startswith("'=HYPERLINK") and rows[0]["formula"] == "'+1+1"
    assert leads_csv(load(root)).splitlines()[0].startswith("order,id,name")


def test_export_command(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("export", "--format", "csv", "--out", str(out), "--content", str(FOREIGN_CONTENT))
    assert result.exit_code == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*")) == ["exports/kpis.csv", "exports/leads.csv"]
    result = run_cli("export", "--format", "json", "--out", str(out), "--content", str(FOREIGN_CONTENT))
    assert json.loads((out / "playbook.json").read_text(encoding="utf-8"))["playbook"]["organization"] == "Müller & Søn AG"


def test_print_stylesheet_hides_navigation() -> None:
    css = (Path(__file__).resolve().parents[1] / "generator" / "assets" / "playbook.css").read_text(encoding="utf-8")
    block = css.split("@media print", 1)[1]
    assert ".md-sidebar" in block and ".md-header" in block and ".pb-onboarding input" in block
