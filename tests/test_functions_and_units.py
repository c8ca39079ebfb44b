"""The organization's own functions (playbook.yml `functions:`) and KPI units that read right:
a currency with its ISO code, targets without a period, ratios as "3x"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINIMAL, write_content
from playbook_site.content import load
from playbook_site.content.jsonschema import schema_files
from playbook_site.content.units import amount, target_amount
from playbook_site.errors import ContentError
from playbook_site.review import compare
from playbook_site.site.funnel import colours, funnel_svg
from playbook_site.site.project import build_project

FUNCTIONS = """
    title: Test Playbook
    organization: Example Co
    summary: A small playbook for tests.
    alignment:
      current: defined
      target: aligned
    functions:
      - id: sales
        name: Sales
      - id: partnerships
        name: Partnerships
        colour: "#00838F"
      - id: solutions
        name: Solutions Engineering
"""


def problems(root: Path) -> list[tuple[str, int, str, str, str]]:
    with pytest.raises(ContentError) as caught:
        load(root)
    return [(p.path.split("/content/", 1)[-1], p.line, p.code, p.message, p.hint) for p in caught.value.problems]


def with_functions(tmp_path: Path, **files: str) -> Path:
    return write_content(
        tmp_path / "content",
        {
            "playbook.yml": FUNCTIONS,
            "roles/marketing-manager.yml": MINIMAL["roles/marketing-manager.yml"].replace(
                "function: marketing", "function: partnerships"
            ),
            **files,
        },
    )


def test_the_playbooks_functions_replace_the_built_in_ones(tmp_path: Path) -> None:
    playbook = load(with_functions(tmp_path))
    assert [(f.id, f.name) for f in playbook.functions().values()] == [
        ("sales", "Sales"),
        ("partnerships", "Partnerships"),
        ("solutions", "Solutions Engineering"),
    ]
    # The navigation groups roles by these functions, in their order; empty ones are left out.
    roles = next(item["Roles"] for item in build_project(playbook).nav() if "Roles" in item)
    assert [next(iter(group)) for group in roles[1:]] == ["Sales", "Partnerships"]
    # The funnel colours a box by its owner's function: the declared colour, or one of the palette.
    palette = colours(playbook)
    assert palette["partnerships"] == ("#e0f7fa", "#00838f")
    assert palette["sales"][1] not in ("#00838f", palette["solutions"][1])
    svg = funnel_svg(playbook)
    assert 'stroke="#00838f"' in svg and "(Partnerships)" in svg and "(Marketing)" not in svg


def test_a_function_the_playbook_does_not_have_is_refused_with_the_closest_one(tmp_path: Path) -> None:
    root = with_functions(
        tmp_path,
        **{"roles/sales-manager.yml": MINIMAL["roles/sales-manager.yml"].replace("function: sales", "function: partnership")},
    )
    assert problems(root) == [
        (
            "roles/sales-manager.yml",
            2,
            "bad-value",
            "`partnership` is not an allowed value for `function`",
            "did you mean `partnerships`? use one of: `sales`, `partnerships` or `solutions` (the functions listed in playbook.yml)",
        )
    ]


def test_the_built_in_functions_apply_without_a_list_and_say_how_to_add_one(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {"roles/sales-manager.yml": MINIMAL["roles/sales-manager.yml"].replace("function: sales", "function: partnerships")},
    )
    [(_, _, code, message, hint)] = problems(root)
    assert (code, message) == ("bad-value", "`partnerships` is not an allowed value for `function`")
    assert hint.endswith("to use other functions, list them under `functions:` in playbook.yml")


def test_a_function_listed_twice_and_a_colour_that_is_not_one_are_refused(tmp_path: Path) -> None:
    more = "      - id: finance\n        name: Finance\n        colour: red\n"
    found = problems(with_functions(tmp_path, **{"playbook.yml": FUNCTIONS + more}))
    assert [(path, line, code) for path, line, code, _, _ in found] == [("playbook.yml", 17, "bad-value")]
    assert found[0][3] == "`red` is not a colour"
    twice = "      - id: sales\n        name: Sales again\n"
    found = problems(with_functions(tmp_path / "twice", **{"playbook.yml": FUNCTIONS + twice}))
    assert [(line, code, message) for _, line, code, message, _ in found] == [
        (15, "duplicate-id", "function `sales` is listed twice (first on line 8)")
    ]


def test_the_editor_schema_lists_the_playbooks_functions(tmp_path: Path) -> None:
    role = json.loads(schema_files(load(with_functions(tmp_path)))["role.schema.json"])
    assert role["properties"]["function"]["enum"] == ["sales", "partnerships", "solutions"]
    default = json.loads(schema_files()["role.schema.json"])
    assert default["properties"]["function"]["enum"] == [
        "marketing",
        "sales",
        "customer-success",
        "revenue-operations",
        "leadership",
    ]


# --- units ----------------------------------------------------------------------------------------

REVENUE = """
    name: New revenue
    definition: New annual recurring revenue.
    formula: Sum of first-year ARR
    unit: currency
    currency: EUR
    direction: higher
    owner: sales-manager
    target:
      value: 400000
      period: quarter
"""


@pytest.mark.parametrize(
    ("value", "unit", "currency", "shown"),
    [
        (31, "percent", None, "31%"),
        (18.5, "percent", None, "18.5%"),
        (400000, "currency", "EUR", "EUR 400,000"),
        (1, "hours", None, "1 hour"),
        (24, "hours", None, "24 hours"),
        (3, "ratio", None, "3x"),
        (2.5, "ratio", None, "2.5x"),
        (1250, "count", None, "1,250"),
        (45, "score", None, "45 points"),
        (30, "days", None, "30 days"),
    ],
)
def test_amounts_read_as_people_write_them(value: float, unit: str, currency: str | None, shown: str) -> None:
    assert amount(value, unit, currency) == shown


def test_a_currency_kpi_shows_its_code_and_a_ratio_needs_no_period(tmp_path: Path) -> None:
    ratio = REVENUE.replace("unit: currency\n    currency: EUR", "unit: ratio").replace("      period: quarter\n", "")
    ratio = ratio.replace("value: 400000", "value: 3").replace("New revenue", "Pipeline coverage")
    playbook = load(write_content(tmp_path / "content", {"kpis/new-revenue.yml": REVENUE, "kpis/pipeline-coverage.yml": ratio}))
    assert target_amount(playbook.kpis["new-revenue"]) == "EUR 400,000 per quarter"
    assert target_amount(playbook.kpis["pipeline-coverage"]) == "3x"


@pytest.mark.parametrize(
    ("edit", "line", "code", "message", "hint"),
    [
        (
            ("    currency: EUR\n", ""),
            4,
            "missing-field",
            "a KPI with `unit: currency` needs `currency`",
            "add the ISO 4217 code of the currency, e.g. `currency: EUR` or `currency: USD`",
        ),
        (
            ("currency: EUR", "currency: eur"),
            5,
            "bad-value",
            "`eur` is not an ISO 4217 currency code",
            "did you mean `EUR`? write the three-letter code, e.g. EUR, USD, GBP",
        ),
        (
            ("currency: EUR", "currency: EURO"),
            5,
            "bad-value",
            "`EURO` is not an ISO 4217 currency code",
            "did you mean `EUR`? write the three-letter code, e.g. EUR, USD, GBP",
        ),
        (
            ("unit: currency", "unit: count"),
            5,
            "bad-value",
            "`currency` is only for a KPI with `unit: currency` (this one is in count)",
            "remove `currency`, or set `unit: currency`",
        ),
    ],
)
def test_currency_mistakes_are_located(
    tmp_path: Path, edit: tuple[str, str], line: int, code: str, message: str, hint: str
) -> None:
    root = write_content(tmp_path / "content", {"kpis/new-revenue.yml": REVENUE.replace(*edit)})
    assert problems(root) == [("kpis/new-revenue.yml", line, code, message, hint)]


# --- numbers inside wording are changes to the definition ----------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "summary"),
    [
        ("Calls back within four business hours.", "Calls back within two business hours.", "numbers change: four → two"),
        ("Calls back within 4 hours.", "Calls back within 2 hours.", "numbers change: 4 → 2"),
        ("Reviewed by 31 March.", "Reviewed by 30 April.", "numbers change: 31, march → 30, april"),
        ("Reviewed quarterly.", "Reviewed quarterly, within 10 days.", "numbers added: 10"),
    ],
)
def test_a_changed_number_in_wording_alters_the_definition(tmp_path: Path, before: str, after: str, summary: str) -> None:
    lead = MINIMAL["leads/marketing-qualified-lead.yml"]
    old = load(
        write_content(
            tmp_path / "old", {"leads/marketing-qualified-lead.yml": lead.replace("A lead that fits the profile.", before)}
        )
    )
    new = load(
        write_content(
            tmp_path / "new", {"leads/marketing-qualified-lead.yml": lead.replace("A lead that fits the profile.", after)}
        )
    )
    [change] = compare(old, new).entities
    assert change.impact == "definition"
    assert change.summary == f"definition: {summary}"


def test_rewording_without_a_number_stays_minor(tmp_path: Path) -> None:
    lead = MINIMAL["leads/marketing-qualified-lead.yml"]
    old = load(write_content(tmp_path / "old"))
    new = load(
        write_content(
            tmp_path / "new", {"leads/marketing-qualified-lead.yml": lead.replace("fits the profile", "matches our profile")}
        )
    )
    [change] = compare(old, new).entities
    assert (change.impact, change.summary) == ("minor", "definition reworded")
