"""The views that make the playbook useful (issue 6), checked on playbooks that are not the default one:
the foreign fixture (German names, 4 roles, 3 stages, 12 steps, 10 statements) and VARIANT below
(other roles, 4 stages with a forward and a self recycle, 3 statements, 2 alignment stages), in the
generated Markdown and in the HTML of a real `mkdocs build --strict`."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FOREIGN_CONTENT, MINIMAL, make_site_project, run_cli, write_content
from playbook_site.content import load
from playbook_site.content.exports import export_files, kpis_csv, leads_csv, playbook_from_dict, playbook_to_dict
from playbook_site.content.markup import plain_text
from playbook_site.site.abbreviations import Abbreviation, Finder, abbreviations, mark_html
from playbook_site.site.assessment import script_json
from playbook_site.site.funnel import funnel_svg, funnel_svg_narrow, text_width, wrap
from playbook_site.site.onboarding import onboarding_keys, site_key
from playbook_site.site.render import render

SVG = "{http://www.w3.org/2000/svg}"

VARIANT = {
    "playbook.yml": """
        title: Partner Revenue Handbook
        organization: Acme & Söhne
        summary: How partners, growth and renewals share one number.
        version: "2027.1"
        notes: "Internal: never publish this note."
        alignment:
          current: apart
          target: together
    """,
    "roles/head-of-revenue.yml": """
        name: Head of Revenue
        abbreviation: HoR
        function: leadership
        summary: Owns the revenue number for partners, growth and renewals.
        responsibilities:
          - Chairs the weekly sync and the R&D review.
    """,
    "roles/growth-marketer.yml": """
        name: Growth Marketer
        abbreviation: GM
        function: marketing
        summary: Turns product signals into conversations.
        owns: the signal model
        responsibilities:
          - Scores product signals every day.
        not_responsible_for:
          - Partner contracts.
        reports_to: head-of-revenue
        kpis: [pipeline-velocity]
        onboarding:
          - Read the [lead stages](lead:signal) and the **PQL** rules.
          - Shadow a PE call.
          - Shadow a PE call.
    """,
    "roles/partner-engineer.yml": """
        name: Partner Engineer
        abbreviation: PE
        function: sales
        summary: Works each PQL with the partner who brought it.
        responsibilities:
          - Calls every PQL within half an hour.
        reports_to: head-of-revenue
        onboarding:
          - Pair with a GM for a week.
    """,
    "roles/renewals-specialist.yml": """
        name: Renewals Specialist
        function: customer-success
        summary: Keeps customers who are at risk.
        responsibilities:
          - Calls every churn risk.
        kpis: [net-expansion]
    """,
    "leads/signal.yml": """
        name: Product signal
        order: 1
        definition: A user did something that predicts buying.
        owner: growth-marketer
        entry_criteria: [Three sessions in a week.]
        handoff:
          to: partner-engineer
          sla_hours: 12
    """,
    "leads/product-qualified-lead.yml": """
        name: Product Qualified Lead
        abbreviation: PQL
        order: 2
        definition: A signal a PE has confirmed.
        owner: partner-engineer
        entry_criteria: [A call happened.]
        handoff:
          to: renewals-specialist
          sla_hours: 0.5
        recycle_to: signal
    """,
    "leads/expansion.yml": """
        name: Expansion
        order: 3
        definition: A customer buying more.
        owner: renewals-specialist
        entry_criteria: [A quote was sent.]
        recycle_to: expansion
    """,
    "leads/churn-risk.yml": """
        name: Churn risk
        order: 4
        definition: A customer likely to leave.
        owner: renewals-specialist
        entry_criteria: [Health score below 40.]
        handoff:
          to: head-of-revenue
          sla_hours: 96
        recycle_to: product-qualified-lead
    """,
    "kpis/pipeline-velocity.yml": """
        name: Pipeline velocity
        abbreviation: PV
        definition: How fast value moves through the funnel.
        formula: "=SUM(A1:A9) / days"
        unit: currency
        currency: USD
        direction: higher
        owner: head-of-revenue
        shared_with: [growth-marketer, partner-engineer]
        target:
          value: 1500
          period: month
        cadence: weekly
        stages: [signal, product-qualified-lead]
    """,
    "kpis/net-expansion.yml": """
        name: Net expansion
        definition: Expansion minus contraction.
        formula: "@expansion - contraction"
        unit: percent
        direction: higher
        owner: renewals-specialist
        target:
          value: -5
          period: quarter
    """,
    "checklist.yml": """
        steps:
          - id: weekly-sync
            title: Weekly sync
            description: The whole revenue team meets.
            owner: head-of-revenue
            participants: [growth-marketer, partner-engineer, renewals-specialist]
            cadence: weekly
          - id: partner-review
            title: Partner review
            description: Partners and PE review the PQL list.
            owner: partner-engineer
            participants: [head-of-revenue]
            cadence: monthly
          - id: churn-watch
            title: Churn watch
            description: Renewals looks at every risk.
            owner: renewals-specialist
    """,
    "alignment.yml": """
        stages:
          - id: apart
            name: Apart
            score: [3, 8]
            description: "Each team for itself & its own numbers (< 3 shared)."
            next_steps: [Agree on one PQL definition., Meet every week.]
          - id: together
            name: Together
            score: [9, 15]
            description: One team.
            next_steps: [Share one target.]
        questions:
          - id: one-definition
            text: Everyone uses one PQL definition.
            theme: language
          - id: one-target
            text: We share one target.
          - id: one-meeting
            text: We meet every week.
    """,
    "glossary.yml": """
        terms:
          - id: research-and-development
            term: Research and development
            abbreviation: R&D
            definition: 'Where "labs" & prototypes live; teams < 5 people.'
            notes: "Editors only: budget is secret."
    """,
}
# A hand-written page in docs/: the abbreviations reach it too.
HANDWRITTEN = "# Partner notes\n\nEvery PQL goes to a PE; see [the funnel](leads.md).\n"


def build(project: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def foreign() -> object:
    return load(FOREIGN_CONTENT)


@pytest.fixture(scope="module")
def variant_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_content(tmp_path_factory.mktemp("variant") / "content", base=VARIANT)


@pytest.fixture(scope="module")
def variant(variant_dir: Path) -> object:
    return load(variant_dir)


@pytest.fixture(scope="module")
def variant_pages(variant: object) -> dict[str, str]:
    return render(variant)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(make_site_project(tmp_path_factory.mktemp("views") / "repo", FOREIGN_CONTENT))


@pytest.fixture(scope="module")
def variant_site(tmp_path_factory: pytest.TempPathFactory, variant_dir: Path) -> Path:
    project = make_site_project(tmp_path_factory.mktemp("views-variant") / "repo", variant_dir)
    (project / "docs" / "partner-notes.md").write_text(HANDWRITTEN, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:  # the generated nav leaves it out
        config.write("\nnot_in_nav: |\n  /partner-notes.md\n")
    return build(project)


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def article(page_html: str) -> str:
    """The page's own content, without Material's navigation."""
    return page_html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


def abbrs(page_html: str) -> list[tuple[str, str]]:
    """(text, title) of every <abbr>, the title as a reader sees it: the browser decodes the attribute,
    and Material's tooltip puts that into the page as HTML, which decodes it once more."""
    return [
        (html.unescape(text), html.unescape(html.unescape(title)))
        for title, text in re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', page_html)
    ]


# --- role pages: the onboarding path -------------------------------------------------------------


def test_role_page_is_an_onboarding_path(foreign: object, site: Path) -> None:
    page = render(foreign)["roles/key-account-manager.md"].html
    assert '<li><strong>Reports to:</strong> <a href="../vertriebsleiterin/">Vertriebsleiterin</a></li>' in page
    assert "<li><strong>Owns:</strong> the relationship with strategic accounts</li>" in page
    assert (
        '<td><a href="../../kpis/#renewal-rate">Renewal rate</a> </td>\n<td>owns, measured on</td>\n'
        "<td>Renewed contracts ÷ contracts up for renewal × 100</td>"
    ) in page
    assert '<li><a href="../../leads/#auftrag">Auftrag</a>: A signed order.</li>' in page  # the stage it owns
    assert (
        '<li><a href="../../leads/#qualifizierter-kontakt">Qualifizierter Kontakt</a> from'
        ' <a href="../inside-sales-rep/">Inside Sales Representative</a>: act within <strong>24 hours</strong></li>'
    ) in page
    boss = render(foreign)["roles/vertriebsleiterin.md"].html
    assert (
        '<li><strong>Direct reports:</strong> <a href="../field-marketer/">Field Marketer</a>, <a href="../inside-sales-rep/">'
        'Inside Sales Representative</a>, <a href="../key-account-manager/">Key-Account-Manager</a></li>'
    ) in boss
    assert '<li><a href="../../checklist/#gemeinsame-messeplanung">Gemeinsame Messeplanung</a>: owns it, monthly</li>' in boss
    html_page = article(read(site, "roles/key-account-manager/index.html"))
    boxes = re.findall(r'<input type="checkbox" data-pb-onboarding="([^"]+)">', html_page)
    assert boxes == onboarding_keys(foreign, foreign.roles["key-account-manager"])
    assert '<span class="pb-onboarding__text">Read the last two QBR decks of every account you inherit.</span>' in html_page
    isr = article(read(site, "roles/inside-sales-rep/index.html"))
    assert 'takes part (owner: <a href="../vertriebsleiterin/">Vertriebsleiterin</a>), monthly' in isr
    assert "<h2" in isr and "Onboarding" not in isr  # a role without onboarding steps has no empty section


def test_role_kpis_say_measured_on_owns_or_shares(variant_pages: dict[str, str]) -> None:
    def row(page: str) -> list[str]:
        found = re.search(
            r'<tr>\n<td><a href="../../kpis/#pipeline-velocity">Pipeline velocity</a> </td>\n(.*?)</tr>', page, re.S
        )
        assert found, page
        return re.findall(r"<td>(.*?)</td>", found.group(1))

    gm = row(variant_pages["roles/growth-marketer.md"].html)
    assert gm == ["measured on", "=SUM(A1:A9) / days", "USD 1,500 per month; higher is better", "weekly"]
    assert row(variant_pages["roles/partner-engineer.md"].html)[0] == "shares"
    hor = variant_pages["roles/head-of-revenue.md"].html
    assert row(hor)[0] == "owns"
    assert (
        "<strong>Makes</strong>" not in hor
        and (
            '<a href="../../leads/#churn-risk">Churn risk</a> from <a href="../renewals-specialist/">Renewals Specialist</a>:'
            " act within <strong>96 hours</strong>"
        )
        in hor
    )
    assert (
        '<a href="../../leads/#product-qualified-lead">Product Qualified Lead</a> to'
        ' <a href="../renewals-specialist/">Renewals Specialist</a>, who acts within <strong>0.5 hours</strong>'
    ) in variant_pages["roles/partner-engineer.md"].html


def test_onboarding_checklist_keeps_markdown_links_and_abbreviations(variant: object, variant_site: Path) -> None:
    page = article(read(variant_site, "roles/growth-marketer/index.html"))
    items = re.findall(r"<li>(<label><input type=\"checkbox\" data-pb-onboarding=.*?</label>)</li>", page, re.S)
    assert len(items) == 3
    assert '<a href="../../leads/#signal">lead stages</a>' in items[0]  # an entity link, rewritten by MkDocs
    assert (
        '<strong><a class="pb-abbr" href="../../leads/#product-qualified-lead"><abbr title="Product Qualified Lead: ' in items[0]
    )
    assert '<a class="pb-abbr" href="../partner-engineer/"><abbr title="Partner Engineer: Works each PQL' in items[1]
    assert 'class="pb-onboarding" data-pb-role="growth-marketer"' in page


def test_onboarding_keys_are_site_role_and_step_text(variant: object, foreign: object, tmp_path: Path) -> None:
    role = variant.roles["growth-marketer"]
    keys = onboarding_keys(variant, role)
    site = site_key(variant)
    assert [key.split("/")[:2] for key in keys] == [[site, "growth-marketer"]] * 3
    assert keys[1] != keys[2] and keys[2] == keys[1] + "-2"  # the repeated step gets its own tick
    assert len(set(keys)) == 3 and site != site_key(foreign)
    # Reordering keeps each step's key; rewording a step changes only that step's key.
    reordered = role.model_copy(update={"onboarding": [role.onboarding[1], role.onboarding[0]]})
    assert onboarding_keys(variant, reordered) == [keys[1], keys[0]]
    reworded = role.model_copy(update={"onboarding": [role.onboarding[0], "Shadow two PE calls."]})
    assert onboarding_keys(variant, reworded)[0] == keys[0] and onboarding_keys(variant, reworded)[1] not in keys
    # Another title is another site: the same steps get other keys; the same playbook gives the same keys.
    other = load(
        write_content(
            tmp_path / "c", {"playbook.yml": VARIANT["playbook.yml"].replace("Partner Revenue", "Partner Sales")}, base=VARIANT
        )
    )
    other_keys = onboarding_keys(other, other.roles["growth-marketer"])
    assert [key.split("/", 1)[1] for key in other_keys] == [key.split("/", 1)[1] for key in keys]
    assert not set(other_keys) & set(keys)
    assert onboarding_keys(load(tmp_path / "c"), role) == other_keys


# --- the funnel --------------------------------------------------------------------------------


def svg_tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def texts(element: ET.Element) -> list[str]:
    return [" ".join("".join(t.itertext()).split()) for t in element.iter(f"{SVG}text")]


def test_funnel_shows_every_stage_in_order_with_owner_handoffs_and_recycling(foreign: object, site: Path) -> None:
    svg = funnel_svg(foreign)
    tree = svg_tree(svg)
    stages = [g for g in tree.iter(f"{SVG}g") if g.get("class") == "pb-funnel__stage"]
    assert [g.get("data-stage") for g in stages] == ["messekontakt", "qualifizierter-kontakt", "auftrag"]
    assert texts(stages[1])[:2] == ["2. Qualifizierter Kontakt (QK)", "Inside Sales Representative · Sales"]
    all_text = texts(tree)
    assert "hand-off to Inside Sales Representative" in all_text and "within 48 h" in all_text
    assert "hand-off to Key-Account-Manager" in all_text and "within 24 h" in all_text
    assert all_text.count("recycled to Messekontakt") == 1  # qualifizierter-kontakt -> messekontakt
    recycles = [p for p in tree.iter(f"{SVG}path") if p.get("class") == "pb-funnel__recycle"]
    assert len(recycles) == 1 and recycles[0].get("stroke-dasharray")
    # The legend names the functions and the arrows: colour is never the only cue.
    assert {"Marketing", "Sales", "next stage, hand-off time limit", "recycled (rejected leads go back)"} <= set(all_text)
    assert tree.find(f"{SVG}title").text.startswith("The lead lifecycle: Messekontakt, then Qualifizierter Kontakt, then Auftrag")
    assert (
        "Messekontakt, owned by Field Marketer (Marketing), hand-off to Inside Sales Representative within 48 h"
        in tree.find(f"{SVG}desc").text
    )
    assert not re.search(r'(href|src)="(?!#)', svg) and "url(#pb-arrow" in svg  # refers to nothing outside itself
    page = read(site, "leads/index.html")
    assert '<figure class="pb-funnel" tabindex="0" data-search-exclude><svg' in page and "<figcaption>" in page


def test_funnel_of_another_shape(variant: object, variant_site: Path) -> None:
    tree = svg_tree(funnel_svg(variant))
    all_text = texts(tree)
    assert [g.get("data-stage") for g in tree.iter(f"{SVG}g")] == ["signal", "product-qualified-lead", "expansion", "churn-risk"]
    assert "within 0.5 h" in all_text and "within 96 h" in all_text  # the last stage's hand-off is drawn too
    assert sorted(t for t in all_text if t.startswith("recycled to ")) == [
        "recycled to Expansion",
        "recycled to PQL",
        "recycled to Product signal",
    ]
    assert {"Marketing", "Sales", "Customer Success"} <= set(all_text) and "Leadership" not in all_text  # only the functions used
    lane = {  # recycle paths in order of their source stage: the x of each one's vertical segment
        source: float(p.get("d").split(" H")[1].split(" ")[0])
        for source, p in zip(
            ["product-qualified-lead", "expansion", "churn-risk"],
            (p for p in tree.iter(f"{SVG}path") if p.get("class") == "pb-funnel__recycle"),
            strict=True,
        )
    }
    # churn-risk -> product-qualified-lead overlaps both others, so it has a lane of its own;
    # product-qualified-lead -> signal and expansion -> expansion do not overlap and share the inner lane.
    assert lane["churn-risk"] > lane["product-qualified-lead"] == lane["expansion"]
    width = float(tree.get("viewBox").split()[2])
    for rect in tree.iter(f"{SVG}rect"):
        assert float(rect.get("x")) >= 0 and float(rect.get("x")) + float(rect.get("width")) <= width
    assert "<svg" in read(variant_site, "leads/index.html")


def test_funnel_escapes_content_and_fits_long_names(tmp_path: Path) -> None:
    long_name = "MQL & < friends with a name far too long to fit on one line of the narrowest box"
    root = write_content(
        tmp_path / "content",
        {
            "leads/marketing-qualified-lead.yml": f"""
        name: "{long_name}"
        order: 1
        definition: d
        owner: marketing-manager
        entry_criteria: [x]
    """
        },
    )
    svg = funnel_svg(load(root))
    assert "MQL &amp; &lt; friends" in svg and "< friends" not in svg
    tree = svg_tree(svg)
    stage = next(g for g in tree.iter(f"{SVG}g") if g.get("data-stage") == "marketing-qualified-lead")
    title = stage.findall(f"{SVG}text")[0]
    lines = ["".join(span.itertext()) for span in title]
    assert len(lines) >= 2 and " ".join(lines) == "1. " + long_name  # wrapped, nothing lost
    rect = stage.find(f"{SVG}rect")
    for line in lines:
        assert text_width(line, 15, bold=True) <= float(rect.get("width")) - 20


def test_wrap_and_measure() -> None:
    assert wrap("a b c", 1000, 12) == ["a b c"]
    assert wrap("Antidisestablishmentarianism short", 40, 12) == ["Antidisestablishmentarianism", "short"]
    assert text_width("漢字", 12) > text_width("ab", 12)  # wide characters count double


# --- the responsibility matrix -----------------------------------------------------------------


def matrix_rows(page: str) -> dict[str, list[str]]:
    """{row's id: its cells}: the matrix as a reader sees it."""
    rows = {}
    for row in re.findall(r"<tr>\n<td><a href=\"[^\"]*#([a-z0-9-]+)\">.*?</td>\n(.*?)</tr>", page, re.S):
        rows[row[0]] = re.findall(r'<td class="pb-center">(.*?)</td>', row[1])
    return rows


def test_responsibility_matrix(foreign: object, site: Path) -> None:
    page = render(foreign)["responsibilities.md"]
    assert page.hide == ("toc",)
    rows = matrix_rows(page.html)
    assert len(rows) == 12 + 3  # every checklist step and every lead stage
    header = page.html.split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r'<a href="../roles/[^"]+/">(?:<abbr[^>]*>)?([^<]+)', header) == ["FM", "ISR", "KAM", "Vertriebsleiterin"]
    assert rows["messekontakt"][:2] == ["<strong>A</strong>", "R\u00a048\u00a0h"]  # owner, then the role it is handed to
    assert rows["lead-review"][:4] == ["R", "R", "", "<strong>A</strong>"]
    assert "<strong>A</strong>: <em>Accountable</em>" in page.html and "not <em>C</em> (consulted)" in page.html
    built = article(read(site, "responsibilities/index.html"))
    assert built.count('<div class="pb-matrix">') == 2 and "R\u00a048\u00a0h" in built


def test_responsibility_matrix_for_other_roles(variant_pages: dict[str, str], variant_site: Path) -> None:
    page = variant_pages["responsibilities.md"].html
    header = page.split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r'<a href="../roles/[^"]+/">(?:<abbr[^>]*>)?([^<]+)', header) == ["GM", "PE", "Renewals Specialist", "HoR"]
    rows = matrix_rows(page)
    assert rows["weekly-sync"] == ["R", "R", "R", "<strong>A</strong>"]
    assert rows["churn-watch"] == ["", "", "<strong>A</strong>", ""]
    assert rows["product-qualified-lead"] == ["", "<strong>A</strong>", "R\u00a00.5\u00a0h", ""]
    assert rows["churn-risk"] == ["", "", "<strong>A</strong>", "R\u00a096\u00a0h"]
    home = read(variant_site, "index.html")
    assert 'href="responsibilities/"' in home  # in the home page's table and in the navigation
    assert re.search(
        r'<a href="responsibilities/" class="md-nav__link">\s*<span class="md-ellipsis">\s*Responsibility matrix', home
    )


# --- abbreviations -----------------------------------------------------------------------------


def test_abbreviations_show_a_tooltip_and_link_to_their_definition(site: Path) -> None:
    page = read(site, "roles/inside-sales-rep/index.html")
    assert (
        '<a class="pb-abbr" href="../key-account-manager/"><abbr title="Key-Account-Manager: Owns the five largest customers'
        ' per region and every renewal conversation with them.">KAM</abbr></a>'
    ) in page
    assert (
        '<a class="pb-abbr" href="../../leads/#qualifizierter-kontakt"><abbr title="Qualifizierter Kontakt: A contact the inside'
        ' sales team has spoken to, with a project and a budget.">QK</abbr></a>'
    ) in page
    kpis = read(site, "kpis/index.html")
    assert '<a class="pb-abbr" href="#cost-per-lead"><abbr' in kpis.split('<h2 id="cost-per-lead">')[0]  # same page: an anchor
    glossary = read(site, "glossary/index.html")
    heading = re.search(r'<h2 id="angebotsfrist">(.*?)</h2>', glossary, re.S)
    assert heading and "<abbr" in heading.group(1) and "pb-abbr" not in heading.group(1)  # not linked inside its own heading


def test_every_abbreviation_in_running_text_has_its_tooltip_and_a_link(variant: object, variant_site: Path) -> None:
    defined = abbreviations(variant)
    assert {"HoR", "GM", "PE", "PQL", "PV", "R&D", "PQLs", "PEs", "HoRs", "R&Ds"} == set(defined) - {"GMs", "PVs"}
    seen = set()
    for page in variant_site.rglob("index.html"):
        content = article(page.read_text(encoding="utf-8"))
        for text, title in abbrs(content):
            found = defined[text]
            entity = variant.collection(found.kind)[found.id]
            full_name = entity.term if found.kind == "term" else entity.name
            assert title == found.tooltip and title.startswith(full_name + ": "), (page, text)
            seen.add(text)
        # In running text (not in headings, not in the form) every abbreviation sits inside a link.
        prose = re.sub(r"<h[1-6]\b.*?</h[1-6]>|<form id=\"pb_self_assessment\".*?</form>", "", content, flags=re.S)
        for match in re.finditer(r"<abbr title=", prose):
            before = prose[: match.start()]
            assert before.rfind("<a ") > before.rfind("</a>"), (page, prose[match.start() : match.start() + 80])
    assert {"PQL", "PE", "GM", "PV", "R&D", "HoR"} <= seen


def test_tooltip_text_is_escaped_for_its_attribute(variant_site: Path) -> None:
    glossary = read(variant_site, "glossary/index.html")
    titles = dict(abbrs(glossary))  # as the reader sees it: the browser decodes the attribute, Material's tooltip its HTML
    assert titles["R&D"] == 'Research and development: Where "labs" & prototypes live; teams < 5 people.'
    assert (
        'title="Research and development: Where &quot;labs&quot; &amp;amp; prototypes live; teams &amp;lt; 5 people."' in glossary
    )


def test_abbreviations_markdown_cannot_see_are_marked_in_the_html(variant_site: Path) -> None:
    page = article(read(variant_site, "roles/head-of-revenue/index.html"))
    assert (
        '<li>Chairs the weekly sync and the <a class="pb-abbr" href="../../glossary/#research-and-development"><abbr title="Research'
        ' and development: Where &quot;labs&quot; &amp;amp; prototypes live; teams &amp;lt; 5 people.">R&amp;D</abbr></a> review.</li>'
    ) in page


def test_mark_abbreviations_only_in_running_text() -> None:
    rd = Abbreviation("R&D", "term", "rd", 'R and D: "x" & y')
    finder = Finder(
        {"R&D": rd, "R&Ds": Abbreviation("R&Ds", "term", "rd", rd.tooltip), "PQL": Abbreviation("PQL", "lead", "pql", "z")}
    )
    hrefs = {"R&D": "../glossary/#rd", "R&Ds": "../glossary/#rd", "PQL": "#pql"}
    source = (
        "<p>Our R&amp;D and R&amp;Ds, not AR&amp;D or R&amp;DX; PQL</p>"
        '<h2 id="rd">R&amp;D PQL</h2>'
        '<p><a href="x">R&amp;D PQL</a> <code>R&amp;D</code></p>'
        '<form id="f"><legend>R&amp;D</legend></form><svg><text>R&amp;D</text></svg><p>R&amp;D</p>'
    )
    marked = mark_html(source, finder, hrefs)
    tip = 'title="R and D: &quot;x&quot; &amp;amp; y"'
    assert marked.startswith(
        f'<p>Our <a class="pb-abbr" href="../glossary/#rd"><abbr {tip}>R&amp;D</abbr></a> and'
        f' <a class="pb-abbr" href="../glossary/#rd"><abbr {tip}>R&amp;Ds</abbr></a>, not AR&amp;D or R&amp;DX;'
        ' <a class="pb-abbr" href="#pql"><abbr title="z">PQL</abbr></a></p>'
    )
    assert f'<h2 id="rd"><abbr {tip}>R&amp;D</abbr> <abbr title="z">PQL</abbr></h2>' in marked  # no link in a heading
    assert f'<a href="x"><abbr {tip}>R&amp;D</abbr> <abbr title="z">PQL</abbr></a> <code>R&amp;D</code>' in marked
    assert f'<form id="f"><legend><abbr {tip}>R&amp;D</abbr></legend></form><svg><text>R&amp;D</text></svg>' in marked
    assert marked.endswith(f'<p><a class="pb-abbr" href="../glossary/#rd"><abbr {tip}>R&amp;D</abbr></a></p>')  # depth restored


def test_abbreviations_reach_hand_written_pages_and_plurals(variant_site: Path) -> None:
    notes = article(read(variant_site, "partner-notes/index.html"))
    assert '<a class="pb-abbr" href="../leads/#product-qualified-lead"><abbr title="Product Qualified Lead: ' in notes
    assert '<a class="pb-abbr" href="../roles/partner-engineer/"><abbr title="Partner Engineer: ' in notes
    role = article(read(variant_site, "roles/partner-engineer/index.html"))
    assert '<abbr title="Product Qualified Lead: A signal a PE has confirmed.">PQL</abbr>' in role


def test_abbreviations_are_not_linked_inside_links_or_the_self_assessment(variant_site: Path) -> None:
    matrix = article(read(variant_site, "responsibilities/index.html"))
    assert '<a href="../roles/growth-marketer/"><abbr title="Growth Marketer: ' in matrix  # already a link: no link in a link
    assert "pb-abbr" not in matrix.split("<thead>")[1].split("</thead>")[0]
    form = article(read(variant_site, "alignment/index.html")).split('<form id="pb_self_assessment"', 1)[1].split("</form>")[0]
    assert '<abbr title="Product Qualified Lead: ' in form and "pb-abbr" not in form  # tooltip, but no link that leaves the page


# --- the self-assessment -----------------------------------------------------------------------


def assessment_data(page_html: str) -> dict:
    """The form's data: JSON in its `data-pb-assessment` attribute, read as a browser reads it."""
    found = re.search(r'<form [^>]*data-pb-assessment="([^"]*)"', page_html)
    assert found
    return json.loads(html.unescape(found.group(1)))


def test_self_assessment_form_and_data(foreign: object, site: Path) -> None:
    page = read(site, "alignment/index.html")
    fieldsets = re.findall(r'<fieldset data-question="([^"]+)">', page)
    assert fieldsets == [f"frage-{i}" for i in range(1, 11)]
    for qid in fieldsets:
        assert re.findall(rf'<label><input type="radio" name="pb-q-{qid}" value="(\d)">', page) == ["1", "2", "3", "4", "5"]
    data = assessment_data(page)
    assert [(s["id"], s["low"], s["high"]) for s in data["stages"]] == [
        ("getrennt", 10, 19),
        ("definiert", 20, 29),
        ("abgestimmt", 30, 39),
        ("integriert", 40, 50),
    ]
    assert data["current"] == {"id": "abgestimmt", "name": "Abgestimmt"} and data["target"]["id"] == "integriert"
    assert re.search(
        r'<div id="pb_assessment_result" class="pb-assessment__result" aria-live="polite"><p>Answer all 10 statements', page
    )
    assert 'id="pb_self_assessment"' in page and "assets/playbook/playbook.js" in page


def test_self_assessment_of_another_shape(variant: object, variant_site: Path) -> None:
    page = read(variant_site, "alignment/index.html")
    assert re.findall(r'<fieldset data-question="([^"]+)">', page) == ["one-definition", "one-target", "one-meeting"]
    assert re.search(
        r"<legend><span class=\"pb-assessment__number\">1\.</span> Everyone uses one <abbr[^>]*>PQL</abbr> definition\."
        r' <span class="pb-assessment__theme">\(language\)</span></legend>',
        page,
    )
    data = assessment_data(page)
    assert data["questions"] == ["one-definition", "one-target", "one-meeting"]
    assert data["stages"][0] == {
        "id": "apart",
        "name": "Apart",
        "low": 3,
        "high": 8,
        "description": "Each team for itself & its own numbers (< 3 shared).",
        "next_steps": ["Agree on one PQL definition.", "Meet every week."],
    }
    raw = re.search(r'data-pb-assessment="([^"]*)"', page).group(1)
    assert "<" not in raw and ">" not in raw and "\\u003c 3" in raw and "\\u0026" in raw
    assert set(re.findall(r"&[a-z#0-9]+;", raw)) == {"&#34;"}  # the only entity (a quote): no markup or entity from the content
    assert "<script" not in article(page).split('id="pb_self_assessment"')[1]  # nothing for instant navigation to re-run
    assert data["current"] == {"id": "apart", "name": "Apart"} and data["target"] == {"id": "together", "name": "Together"}


def test_self_assessment_without_a_current_stage(tmp_path: Path) -> None:
    playbook = MINIMAL["playbook.yml"].replace("alignment:\n          current: defined\n          target: aligned\n", "")
    pages = render(load(write_content(tmp_path / "content", {"playbook.yml": playbook})))
    data = assessment_data(pages["alignment.md"].html)
    assert data["current"] is None and data["target"] is None and len(data["questions"]) == 2


def test_script_json_cannot_close_its_script_element() -> None:
    text = script_json({"a": "</script><script>alert(1)</script> & \u2028 \u2029"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script> & \u2028 \u2029"}


def test_plain_text_keeps_words_only() -> None:
    assert plain_text("**Bold** and *it* and [AE](role:account-executive) `code` 3 \\* 4") == "Bold and it and AE code 3 * 4"


# --- exports -----------------------------------------------------------------------------------


def test_exports_are_published_with_the_site(foreign: object, site: Path) -> None:
    exported = json.loads(read(site, "playbook.json"))
    assert exported["format"] == 1
    assert [role["id"] for role in exported["roles"]] == sorted(foreign.roles)
    assert playbook_to_dict(playbook_from_dict(exported), include_notes=False) == exported  # stable round trip
    kpis = list(csv.DictReader(io.StringIO(read(site, "exports/kpis.csv"))))
    assert [k["id"] for k in kpis] == ["cost-per-lead", "lead-to-deal", "renewal-rate"]
    assert kpis[0]["target_value"] == "180" and kpis[0]["shared_with"] == "inside-sales-rep"
    leads = list(csv.DictReader(io.StringIO(read(site, "exports/leads.csv"))))
    assert [(row["order"], row["id"], row["handoff_sla_hours"]) for row in leads] == [
        ("1", "messekontakt", "48"),
        ("2", "qualifizierter-kontakt", "24"),
        ("3", "auftrag", ""),
    ]
    assert json.loads(read(site, "schema/role.schema.json"))["title"] == "content/roles/<id>.yml"
    home = read(site, "index.html")
    for target in (
        "playbook.json",
        "exports/kpis.csv",
        "exports/leads.csv",
        "schema/role.schema.json",
        "schema/alignment.schema.json",
    ):
        assert f'href="{target}"' in home


def test_playbook_json_has_every_entity_the_version_and_no_editor_notes(variant: object, variant_site: Path) -> None:
    exported = json.loads(read(variant_site, "playbook.json"))
    assert exported["version"] == "2027.1" and exported["playbook"]["organization"] == "Acme & Söhne"
    assert [lead["id"] for lead in exported["leads"]] == ["signal", "product-qualified-lead", "expansion", "churn-risk"]
    assert exported["leads"][1]["handoff"] == {"to": "renewals-specialist", "sla_hours": 0.5}
    assert [step["id"] for step in exported["checklist"]["steps"]] == ["weekly-sync", "partner-review", "churn-watch"]
    assert [q["id"] for q in exported["alignment"]["questions"]] == ["one-definition", "one-target", "one-meeting"]
    assert exported["glossary"]["terms"][0]["abbreviation"] == "R&D"
    text = read(variant_site, "playbook.json")
    assert "never publish" not in text and "budget is secret" not in text and '"notes"' not in text
    assert playbook_to_dict(variant)["playbook"]["notes"] == "Internal: never publish this note."  # the full dump keeps them


def test_csv_cells_cannot_run_as_formulas_but_numbers_stay_numbers(variant: object) -> None:
    kpis = {row["id"]: row for row in csv.DictReader(io.StringIO(kpis_csv(variant)))}
    assert kpis["pipeline-velocity"]["formula"] == "'=SUM(A1:A9) / days"
    assert kpis["net-expansion"]["formula"] == "'@expansion - contraction"
    assert kpis["net-expansion"]["target_value"] == "-5"  # a negative number is not a formula
    assert kpis["pipeline-velocity"]["shared_with"] == "growth-marketer; partner-engineer"
    leads = list(csv.DictReader(io.StringIO(leads_csv(variant))))
    assert [(row["id"], row["handoff_to"], row["handoff_sla_hours"], row["recycle_to"]) for row in leads] == [
        ("signal", "partner-engineer", "12", ""),
        ("product-qualified-lead", "renewals-specialist", "0.5", "signal"),
        ("expansion", "", "", "expansion"),
        ("churn-risk", "head-of-revenue", "96", "product-qualified-lead"),
    ]


def test_csv_guard_covers_every_formula_start(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            "kpis/win-rate.yml": """
        name: "-Win rate"
        definition: "=HYPERLINK(\\"https://evil.example\\")"
        formula: "+1+1"
        unit: percent
        direction: higher
        owner: sales-manager
        source: "@SUM(1)"
    """
        },
    )
    row = next(csv.DictReader(io.StringIO(kpis_csv(load(root)))))
    assert (
        row["definition"].startswith("'=HYPERLINK")
        and row["formula"] == "'+1+1"
        and row["name"] == "'-Win rate"
        and row["source"] == "'@SUM(1)"
    )


def test_export_command_writes_the_published_files(variant_dir: Path, variant_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("export", "--format", "csv", "--out", str(out), "--content", str(variant_dir))
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*")) == ["exports/kpis.csv", "exports/leads.csv"]
    result = run_cli("export", "--format", "json", "--out", str(out / "j"), "--content", str(variant_dir))
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out / "j").as_posix() for p in (out / "j").rglob("*.*"))
    assert written == sorted(path for path in export_files(load(variant_dir)) if path.endswith(".json"))
    assert "schema/role.schema.json" in written and "playbook.json" in written
    for path in ("playbook.json", "schema/lead.schema.json"):
        assert (out / "j" / path).read_bytes() == (variant_site / path).read_bytes()  # the same files as the site
    assert (out / "exports/kpis.csv").read_bytes() == (variant_site / "exports/kpis.csv").read_bytes()


def test_export_command_writes_nothing_for_bad_content(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"roles/sales-manager.yml": "name: [unclosed\n"})
    result = run_cli("export", "--out", str(tmp_path / "out"), "--content", str(root))
    assert result.exit_code == 1 and "sales-manager.yml:1:" in result.output
    assert not (tmp_path / "out").exists()


# --- print -------------------------------------------------------------------------------------


def test_print_stylesheet_makes_a_handout() -> None:
    import playbook_site.site

    css = (Path(playbook_site.site.__file__).parent / "assets" / "playbook.css").read_text(encoding="utf-8")
    block = css.split("@media print", 1)[1]
    for selector in (".md-header", ".md-sidebar", ".md-footer", ".headerlink", ".pb-onboarding input", ".pb-assessment__result"):
        assert selector in block, selector
    assert "@page" in css


def test_the_funnel_puts_a_kpis_sla_figure_on_the_one_hand_off_it_measures() -> None:
    """The bundled Lead response time lists the MQL and the SAL stage; its figure is written under
    the MQL's 24-hour hand-off only, never under the SAL's 8-hour one (issue 23)."""
    from datetime import date

    from conftest import DEFAULT_CONTENT
    from playbook_site.content.health import handoff_compliance

    today = date(2026, 11, 23)
    playbook = load(DEFAULT_CONTENT, today=today)
    compliance = {lead_id: handoff_compliance(playbook, lead_id, today) for lead_id in playbook.leads}
    svg = ET.fromstring(funnel_svg(playbook, compliance))
    under: dict[str, str] = {}
    for group in svg.iter(f"{SVG}g"):
        title = group.findtext(f"{SVG}title") or ""
        under[group.get("data-stage") or ""] = title
    name = playbook.kpis["lead-response-time"].name
    assert [stage for stage, title in under.items() if name in title] == ["marketing-qualified-lead"]
    assert "within 8 h" in under["sales-accepted-lead"] and name not in under["sales-accepted-lead"]
    figures = [
        " ".join(span.text or "" for span in text.iter(f"{SVG}tspan"))
        for text in svg.iter(f"{SVG}text")
        if text.get("class") == "pb-funnel__compliance"
    ]
    assert sum(name in figure for figure in figures) == 1, figures


def _words(tree: ET.Element, css_class: str) -> str:
    """All the text of one kind in a drawing, in order, with line wraps undone."""
    spans = [span.text or "" for t in tree.iter(f"{SVG}text") if t.get("class") == css_class for span in t]
    return " ".join(" ".join(spans).split())


def test_the_narrow_funnel_carries_every_stage_hand_off_and_sla_figure_of_the_wide_one(foreign: object) -> None:
    """The stacked drawing a phone shows (issue 23) says what the wide one says: every stage with its
    owner and function, every hand-off with its receiver and time limit, each SLA figure under the
    hand-off its KPI measures, where rejected leads go; the expectation is computed from the content."""
    from datetime import date

    from conftest import DEFAULT_CONTENT
    from playbook_site.content.health import handoff_compliance
    from playbook_site.text import format_number

    today = date(2026, 11, 23)
    for playbook, compliance in [(foreign, None), (load(DEFAULT_CONTENT, today=today), "measure")]:
        measured = {lead_id: handoff_compliance(playbook, lead_id, today) for lead_id in playbook.leads} if compliance else None  # type: ignore[attr-defined]
        wide, narrow = svg_tree(funnel_svg(playbook, measured)), svg_tree(funnel_svg_narrow(playbook, measured))  # type: ignore[arg-type]
        assert narrow.get("aria-labelledby") == "pb-funnel-title pb-funnel-desc" and narrow.find(f"{SVG}desc") is None
        assert float(narrow.get("viewBox").split()[2]) <= 340  # drawn at about its size on a 360 px phone
        stages = [g for g in narrow.iter(f"{SVG}g") if g.get("class") == "pb-funnel__stage"]
        assert [g.get("data-stage") for g in stages] == list(playbook.leads)  # type: ignore[attr-defined]
        handoffs, slas = _words(narrow, "pb-funnel__handoff"), _words(narrow, "pb-funnel__sla")
        for stage, lead in zip(stages, playbook.leads.values(), strict=True):  # type: ignore[attr-defined]
            owner = playbook.roles[lead.owner]  # type: ignore[attr-defined]
            said = " ".join(span.text or "" for span in stage.iter(f"{SVG}tspan"))
            assert plain_text(lead.name) in said and plain_text(owner.name) in said
            assert plain_text(playbook.functions()[owner.function].name) in said  # type: ignore[attr-defined]
            if lead.recycle_to:
                target = playbook.leads[lead.recycle_to]  # type: ignore[attr-defined]
                assert f"recycled to {plain_text(target.abbreviation or target.name)}" in said
            if lead.handoff:
                assert f"hand-off to {plain_text(playbook.roles[lead.handoff.to].name)}" in handoffs  # type: ignore[attr-defined]
                assert f"within {format_number(lead.handoff.sla_hours)} h" in slas
        assert slas == _words(wide, "pb-funnel__sla") and handoffs == _words(wide, "pb-funnel__handoff")
        figures = _words(narrow, "pb-funnel__compliance")
        assert figures == _words(wide, "pb-funnel__compliance")
        for measures in (measured or {}).values():
            for measure in measures:
                assert format_number(measure.latest.value) in figures
        assert bool(figures) == bool(compliance)
