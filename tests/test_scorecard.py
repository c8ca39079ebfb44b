"""The numbers on the site (issue 16): the Scorecard page, each KPI's chart and results table, a role's
"Your numbers", the home page's summary, the checklist's record and the hand-offs' SLA compliance.

The health shown is checked against what a person works out by hand from the CSV rows, the target
and the direction (the comments say how), on NUMBERS below (every period form, both directions, on and
off target, no target, stale, partial, no results, a retired KPI), on the bundled playbook and on the
foreign one with results added; in the rendered pages and in the HTML of a real `mkdocs build --strict`.
A playbook without results has no Scorecard and pages exactly as before."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, FOREIGN_CONTENT, make_site_project, write_content
from playbook_site.content import load
from playbook_site.content.exports import export_files
from playbook_site.site.charts import MAX_MARKS
from playbook_site.site.pages import Page
from playbook_site.site.project import build_project
from playbook_site.site.render import render
from playbook_site.site.scorecard import RECENT_ROWS, Numbers, Summary

TODAY = date(2026, 11, 23)  # a Monday; tests/conftest.py sets PLAYBOOK_TODAY to it for builds
GOLDEN = Path(__file__).resolve().parent / "golden" / "minimal"
SVG = "{http://www.w3.org/2000/svg}"


def kpi_file(name: str, unit: str, direction: str, owner: str, *extra: str) -> str:
    lines = [
        f"name: {name}",
        f"definition: {name}, as agreed.",
        f"formula: {name} in the period",
        f"unit: {unit}",
        f"direction: {direction}",
        f"owner: {owner}",
        *extra,
    ]
    return "\n".join(lines) + "\n"


HOSTILE_NOTE = '"**x** and [a link](https://example.com/?a=1&b=2) and a < b & c > d {{ 7*7 }}"'

# Every period form (year, quarter, month, week, day), higher and lower is better, on and off target,
# no target, stale, partial, no results, a share of hand-offs within the SLA, and a retired KPI.
NUMBERS = {
    "roles/account-executive.yml": """
        name: Account Executive
        abbreviation: AE
        function: sales
        summary: Closes deals.
        responsibilities:
          - Runs discovery calls.
        reports_to: sales-manager
        kpis: [win-rate, deals-closed, csat]
    """,
    # Quarters, higher is better: 2026-Q3 is the latest; 24 < 27, so off target by 27 - 24 = 3 points.
    "results/win-rate.csv": f"period,value,note\n2026-Q3,24,{HOSTILE_NOTE}\n2026-Q1,23.5,\n2026-Q2,25,\n",
    # Months, higher is better: 2026-10 is the latest; 455 >= 400: on target (55 above).
    "kpis/mql-volume.yml": kpi_file(
        "MQL volume", "count", "higher", "marketing-manager", "target:", "  value: 400", "  period: month"
    ),
    "results/mql-volume.csv": "period,value\n2026-08,380\n2026-10,455\n2026-09,410\n",
    # ISO weeks, lower is better: 2026-W47 is the latest; 3.6 <= 4: on target. It measures the MQL
    # stage in hours: the MQL hand-off to the AE has 24 hours, 3.6 is within them.
    "kpis/response-hours.yml": kpi_file(
        "Response hours",
        "hours",
        "lower",
        "sales-manager",
        "target:",
        "  value: 4",
        "cadence: weekly",
        "stages: [marketing-qualified-lead]",
    ),
    "results/response-hours.csv": "period,value\n2026-W45,4.1\n2026-W46,3.8\n2026-W47,3.6\n",
    # Years, lower is better: 2025 is the latest; 45,500 > 42,000: off target by EUR 3,500.
    "kpis/cac.yml": kpi_file(
        "Acquisition cost",
        "currency",
        "lower",
        "marketing-manager",
        "currency: EUR",
        "target:",
        "  value: 42000",
        "  period: year",
    ),
    "results/cac.csv": "period,value\n2025,45500\n2024,44000\n",
    # Days, higher is better: 2026-11-22 (yesterday) is the latest; 4 < 5: off target by 1.
    "kpis/deals-closed.yml": kpi_file("Deals closed", "count", "higher", "sales-manager", "target:", "  value: 5"),
    "results/deals-closed.csv": "period,value\n2026-11-20,6\n2026-11-22,4\n2026-11-21,3\n",
    # No target: the latest value (3.1x in 2026-10), no verdict.
    "kpis/pipeline-coverage.yml": kpi_file("Pipeline coverage", "ratio", "higher", "sales-manager"),
    "results/pipeline-coverage.csv": "period,value\n2026-09,2.8\n2026-10,3.1\n",
    # Stale: reviewed quarterly, by 2026-11-23 the last full quarter is 2026-Q3, so the year 2025 is
    # due; the latest result is 2024 (108.2 < 110: off target by 1.8 points).
    "kpis/nrr.yml": kpi_file(
        "Net retention",
        "percent",
        "higher",
        "marketing-manager",
        "target:",
        "  value: 110",
        "  period: year",
        "cadence: quarterly",
    ),
    "results/nrr.csv": "period,value\n2023,104.5\n2024,108.2\n",
    # Partial: 2026-Q4 is not over on 2026-11-23; so far 1,100,000 >= 1,000,000: on target.
    "kpis/bookings.yml": kpi_file(
        "Bookings",
        "currency",
        "higher",
        "account-executive",
        "currency: USD",
        "target:",
        "  value: 1000000",
        "  period: quarter",
    ),
    "results/bookings.csv": "period,value\n2026-Q3,900000\n2026-Q4,1100000\n",
    # No results at all.
    "kpis/csat.yml": kpi_file("Customer satisfaction", "score", "higher", "account-executive", "target:", "  value: 8"),
    # A share of hand-offs within the SLA: 92% < 95%, the MQL hand-off misses its target.
    "kpis/handoff-sla.yml": kpi_file(
        "Hand-off SLA compliance",
        "percent",
        "higher",
        "sales-manager",
        "target:",
        "  value: 95",
        "  period: month",
        "stages: [marketing-qualified-lead]",
    ),
    "results/handoff-sla.csv": "period,value\n2026-09,96\n2026-10,92\n",
    # Retired: its results stay on the KPI page, not on the Scorecard nor in the summary.
    "kpis/old-metric.yml": kpi_file("Old metric", "count", "higher", "sales-manager", "status: retired"),
    "results/old-metric.csv": "period,value\n2025,10\n",
    "checklist.yml": """
        steps:
          - id: joint-meetings
            title: Joint meetings
            description: Meet every week.
            owner: sales-manager
            participants: [marketing-manager]
            cadence: monthly
            kpis: [win-rate]
          - id: joint-planning
            title: Joint planning
            description: Plan the quarter together.
            owner: marketing-manager
            cadence: quarterly
          - id: shared-wiki
            title: Shared wiki
            description: Keep one wiki.
            owner: marketing-manager
            cadence: ongoing
          - id: win-loss
            title: Win-loss review
            description: Review the wins and losses.
            owner: sales-manager
            cadence: weekly
    """,
    # joint-meetings: monthly, last on 2026-10-12: due 2026-11-12, overdue by 11 days.
    # joint-planning: quarterly, last on 2026-09-30: next due 2026-12-30.
    # win-loss: weekly, never recorded: overdue.
    "activity.yml": """
        entries:
          - step: joint-meetings
            date: 2026-09-14
          - step: joint-meetings
            date: 2026-10-12
            note: "**x** and [a link](https://example.com/?a=1&b=2) and a < b & c > d {{ 7*7 }}"
            link: https://wiki.example.com/meeting?id=12&part=2
          - step: joint-planning
            date: 2026-09-30
            note: Plan agreed.
          - step: shared-wiki
            date: 2026-06-01
    """,
}


_BLOCK = re.compile(r"</?(?:p|li|ul|ol|td|th|tr|table|thead|tbody|caption|figure|figcaption|h[1-6]|br)\b[^>]*>")


def text_of(fragment: str) -> str:
    """What a reader sees: the tags out (a block's edge is a space), entities read, spaces collapsed;
    an SVG's text and the headings' permalinks left out."""
    shown = re.sub(r"<svg.*?</svg>|<a class=\"headerlink\".*?</a>", " ", fragment, flags=re.S)
    shown = re.sub(r"<[^>]+>", "", _BLOCK.sub(" ", shown))
    return " ".join(html.unescape(shown).split())


def section(page: str, anchor: str) -> str:
    """The HTML of the section under the heading whose id is `anchor`, up to the next heading of its
    level or above (the heading itself left out)."""
    start = re.search(rf'<h([1-6]) id="{re.escape(anchor)}">.*?</h\1>', page, re.S)
    assert start is not None, f"no heading #{anchor}"
    level = int(start.group(1))
    rest = page[start.end() :]
    end = re.search(rf"<h[1-{level}] ", rest)
    return rest[: end.start()] if end else rest


def table_row(page: str, anchor: str) -> str:
    """The text of the table row that links to `#anchor`."""
    match = re.search(rf'<tr>\s*<td><a href="[^"]*#{re.escape(anchor)}">.*?</tr>', page, re.S)
    assert match is not None, f"no row for #{anchor}"
    return text_of(match.group(0))


@pytest.fixture(scope="module")
def numbers_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_content(tmp_path_factory.mktemp("numbers") / "content", NUMBERS)


@pytest.fixture(scope="module")
def numbers_pages(numbers_content: Path) -> dict[str, Page]:
    return render(load(numbers_content, today=TODAY), today=TODAY)


@pytest.fixture(scope="module")
def numbers_site(numbers_content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """NUMBERS built by a real `mkdocs build --strict`: the site folder."""
    project = make_site_project(tmp_path_factory.mktemp("numbers-site") / "repo", numbers_content)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return project / "site"


def built(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


# (KPI id, its function's section, the Scorecard's sentence, the table's Latest and Health cells).
HAND_COMPUTED = [
    (
        "win-rate",
        "sales",
        "24% in 2026-Q3: off target by 3 percentage points. Target 27% per quarter; higher is better."
        " Up from 23.5% to 24% over the last 3 quarters (better).",
        "24% (2026-Q3)",
        "off target by 3 percentage points",
    ),
    (
        "mql-volume",
        "marketing",
        "455 in 2026-10: on target. Target 400 per month; higher is better. Up from 380 to 455 over the last 3 months (better).",
        "455 (2026-10)",
        "on target",
    ),
    (
        "response-hours",
        "sales",
        "3.6 hours in 2026-W47: on target. Target 4 hours; lower is better."
        " Down from 4.1 hours to 3.6 hours over the last 3 weeks (better).",
        "3.6 hours (2026-W47)",
        "on target",
    ),
    (
        "cac",
        "marketing",
        "EUR 45,500 in 2025: off target by EUR 3,500. Target EUR 42,000 per year; lower is better."
        " Up from EUR 44,000 to EUR 45,500 over the last 2 years (worse).",
        "EUR 45,500 (2025)",
        "off target by EUR 3,500",
    ),
    (
        "deals-closed",
        "sales",
        "4 in 2026-11-22: off target by 1. Target 5; higher is better. Down from 6 to 4 over the last 3 days (worse).",
        "4 (2026-11-22)",
        "off target by 1",
    ),
    (
        "pipeline-coverage",
        "sales",
        "3.1x in 2026-10: no target. No target set; higher is better. Up from 2.8x to 3.1x over the last 2 months (better).",
        "3.1x (2026-10)",
        "no target",
    ),
    (
        "nrr",
        "marketing",
        "108.2% in 2024: off target by 1.8 percentage points, stale: no result yet for 2025."
        " Target 110% per year; higher is better. Up from 104.5% to 108.2% over the last 2 years (better).",
        "108.2% (2024)",
        "off target by 1.8 percentage points, stale: no result yet for 2025",
    ),
    (
        "bookings",
        "sales",
        "USD 1,100,000 in 2026-Q4 so far: on target. Target USD 1,000,000 per quarter; higher is better."
        " Up from USD 900,000 to USD 1,100,000 over the last 2 quarters (better).",
        "USD 1,100,000 (2026-Q4, so far)",
        "on target",
    ),
]


@pytest.mark.parametrize(("kpi_id", "function", "sentence", "latest", "health"), HAND_COMPUTED, ids=[c[0] for c in HAND_COMPUTED])
def test_the_scorecard_shows_the_health_a_person_computes(
    numbers_pages: dict[str, Page], numbers_site: Path, kpi_id: str, function: str, sentence: str, latest: str, health: str
) -> None:
    for page in (numbers_pages["scorecard.md"].html, built(numbers_site, "scorecard")):
        shown = text_of(section(page, kpi_id))
        assert shown.startswith(sentence), shown
        assert kpi_id in section(page, function), f"{kpi_id} is under its owner's function"
        row = table_row(section(page, function), kpi_id)
        assert f" {latest} " in f" {row} " and row.endswith(health), row


def test_a_kpi_without_results_and_a_retired_one(numbers_pages: dict[str, Page], numbers_site: Path) -> None:
    for page in (numbers_pages["scorecard.md"].html, built(numbers_site, "scorecard")):
        assert text_of(section(page, "csat")).startswith(
            "no results: nothing is recorded in results/csat.csv yet. Target 8 points; higher is better."
        )
        assert table_row(page, "csat").endswith("– 8 points; higher is better no results")
        assert 'id="old-metric"' not in page  # retired: not reviewed any more
    kpis = numbers_pages["kpis.md"].html
    assert 'id="old-metric-results"' in kpis and "pb-chart-old-metric-title" in kpis  # its results stay on the KPI page


def test_the_scorecard_groups_by_function_in_the_playbooks_order(numbers_pages: dict[str, Page]) -> None:
    page = numbers_pages["scorecard.md"]
    assert [(h.level, h.id) for h in page.headings if h.level == 2] == [(2, "marketing"), (2, "sales")]
    marketing = section(page.html, "marketing")
    assert [m for m in re.findall(r'<h3 id="([^"]+)"', marketing)] == ["cac", "mql-volume", "nrr"]
    assert page.title == "Scorecard"


def test_the_home_page_says_how_many_kpis_are_on_target(numbers_pages: dict[str, Page], numbers_site: Path) -> None:
    # By hand: 10 KPIs are not retired; on target: MQL volume, response hours, bookings (3); periods
    # differ, so "at their latest result"; one has no target, one no results, one is stale.
    expected = (
        "The numbers on 23 November 2026: 3 of 10 KPIs on target at their latest result"
        " (1 without a target, 1 without results yet, 1 stale). See the scorecard."
    )
    for page in (numbers_pages["index.md"].html, built(numbers_site, "")):
        assert expected in text_of(page)
    assert '<a href="scorecard/">Scorecard</a>' in numbers_pages["index.md"].html
    assert 'href="exports/results.csv"' in numbers_pages["index.md"].html
    assert 'href="exports/activity.csv"' in numbers_pages["index.md"].html


def test_one_period_for_every_kpi_is_said_as_that_period(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"results/win-rate.csv": "period,value\n2026-Q2,25\n2026-Q3,28\n"})
    pages = render(load(root, today=TODAY), today=TODAY)
    assert "1 of 1 KPI on target in 2026-Q3" in text_of(pages["index.md"].html)


@pytest.mark.parametrize(
    ("counts", "period", "text"),
    [
        ((9, 6, 3, 0, 0, 0), "2026-Q3", "6 of 9 KPIs on target in 2026-Q3"),
        ((9, 4, 5, 0, 0, 1), "", "4 of 9 KPIs on target at their latest result (1 stale)"),
        ((1, 0, 0, 0, 1, 0), "", "0 of 1 KPI on target at its latest result (1 without results yet)"),
        ((3, 1, 0, 2, 0, 0), "", "1 of 3 KPIs on target at their latest result (2 without a target)"),
    ],
)
def test_the_summary_in_words(counts: tuple[int, ...], period: str, text: str) -> None:
    assert Summary(*counts, period=period).text == text  # type: ignore[arg-type]


def test_the_kpi_page_has_each_kpis_chart_and_recent_results(numbers_pages: dict[str, Page], numbers_site: Path) -> None:
    for page in (numbers_pages["kpis.md"].html, built(numbers_site, "kpis")):
        results = section(page, "win-rate")
        latest = text_of(results[results.index('<p id="win-rate-results">') :])
        assert latest.startswith(
            "Results Latest: 24% in 2026-Q3, off target by 3 percentage points;"
            " up from 23.5% to 24% over the last 3 quarters (better). On the scorecard."
        )
        figure = re.search(r'<figure class="pb-chart" tabindex="0">(<svg.*?</svg>)<figcaption>', results, re.S)
        assert figure is not None
        svg = ET.fromstring(figure.group(1))
        assert svg.findtext(f"{SVG}title") == "Win rate: results by quarter against a target of 27% per quarter"
        assert [c.get("data-period") for c in svg.findall(f"{SVG}circle")] == ["2026-Q1", "2026-Q2", "2026-Q3"]
        # The table: the same numbers, oldest first, the latest last.
        rows = re.findall(
            r'<tr>\s*<td>(20\d\d-Q\d)[^<]*</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td class="pb-key">([^<]*)</td>', results
        )
        assert rows == [
            ("2026-Q1", "23.5%", "27% per quarter", "off target by 3.5 percentage points"),
            ("2026-Q2", "25%", "27% per quarter", "off target by 2 percentage points"),
            ("2026-Q3", "24%", "27% per quarter", "off target by 3 percentage points"),
        ]
        assert "<caption>3 results, oldest first</caption>" in results
    kpis = numbers_pages["kpis.md"].html
    mql = section(kpis, "mql-volume")
    assert '<td>2026-10</td>\n<td>455</td>\n<td>400 per month</td>\n<td class="pb-key">on target (+55)</td>' in mql
    assert "<td>2026-Q4 (so far)</td>" in section(kpis, "bookings")
    assert '<td>3.1x</td>\n<td>–</td>\n<td class="pb-key">–</td>' in section(kpis, "pipeline-coverage")  # no target
    assert "no results: nothing is recorded in results/csat.csv yet." in text_of(section(kpis, "csat"))


def test_the_kpi_page_shows_the_latest_eight_of_many_results(tmp_path: Path) -> None:
    weeks = "".join(f"2026-W{week:02d},{20 + week / 10}\n" for week in range(30, 48))
    root = write_content(tmp_path / "content", {"results/win-rate.csv": "period,value\n" + weeks})
    # win-rate's target counts per quarter: a file of weeks would not validate; make its target weekly.
    (root / "kpis" / "win-rate.yml").write_text(
        (root / "kpis" / "win-rate.yml").read_text(encoding="utf-8").replace("period: quarter", "period: week"), encoding="utf-8"
    )
    page = render(load(root, today=TODAY), today=TODAY)["kpis.md"].html
    assert "<caption>The latest 8 of 18 results, oldest first</caption>" in page
    assert "the target dashed; the table below holds the latest of the same numbers.</figcaption>" in page
    assert "The table shows the latest 8 of 18 results; every result is in the results CSV and in playbook.json." in text_of(page)
    periods = re.findall(r"<tr>\s*<td>(2026-W\d\d)", page)
    assert periods == [f"2026-W{week}" for week in range(40, 48)]
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg is not None and len(ET.fromstring(svg.group(0)).findall(f"{SVG}circle")) == 18  # the chart has them all


def test_ten_years_of_daily_results_show_bounded_charts_and_tables_and_export_every_result(tmp_path: Path) -> None:
    """Issue 27 (issue 21, finding 14): the KPI page's table shows the latest periods and says where the
    whole series is, each chart draws a bounded number of marks, no page grows with the series, and
    the CSV export and playbook.json keep every result."""
    first = date(2016, 11, 23)
    days = [first + timedelta(days=number) for number in range((date(2026, 11, 22) - first).days + 1)]
    rows = "".join(f"{day.isoformat()},{number % 9}\n" for number, day in enumerate(days))
    root = write_content(tmp_path / "content", {**NUMBERS, "results/deals-closed.csv": "period,value\n" + rows})
    playbook = load(root, today=TODAY)
    assert len(playbook.results["deals-closed"]) == len(days) == 3_652
    pages = render(playbook, today=TODAY)
    deals = section(pages["kpis.md"].html, "deals-closed")
    table = re.search(r"<table>.*?</table>", deals, re.S)
    assert table is not None and table.group(0).count("<tr>") == 1 + RECENT_ROWS  # the header and the latest eight
    assert re.findall(r"<tr>\s*<td>(\d{4}-\d\d-\d\d)", table.group(0)) == [day.isoformat() for day in days[-RECENT_ROWS:]]
    assert f"<caption>The latest {RECENT_ROWS} of 3,652 results, oldest first</caption>" in deals
    assert "The table shows the latest 8 of 3,652 results; every result is in the results CSV and in playbook.json." in text_of(
        deals
    )
    assert 'href="../exports/results.csv"' in deals and 'href="../playbook.json"' in deals
    assert f"drawn from {MAX_MARKS} of the 3,652 results to keep the line's shape; the table below holds the latest." in deals
    scorecard = text_of(re.sub(r"<svg.*?</svg>", "", section(pages["scorecard.md"].html, "deals-closed"), flags=re.S))
    assert f"Deals closed, 3,652 results, {MAX_MARKS} of them drawn to keep the line's shape" in scorecard
    # Each chart (the KPI page's, the Scorecard's) draws at most MAX_MARKS results.
    for page in ("kpis.md", "scorecard.md"):
        svg = re.search(r'<svg[^>]*data-kpi="deals-closed".*?</svg>', pages[page].html, re.S)
        assert svg is not None, page
        marks = [dot for dot in ET.fromstring(svg.group(0)).iter(f"{SVG}circle") if "pb-chart__point" in (dot.get("class") or "")]
        assert len(marks) == MAX_MARKS, page
    # No page grows with the series: each is within a few tens of kilobytes of the page without it.
    without = render(load(write_content(tmp_path / "short", NUMBERS), today=TODAY), today=TODAY)
    growth = {path: len(page.html.encode()) - len(without[path].html.encode()) for path, page in pages.items()}
    assert max(growth.values()) < 50_000, growth
    # The exports keep the whole series.
    exported = export_files(playbook)
    assert [json.loads(exported["playbook.json"])["results"]["deals-closed"][index]["period"] for index in (0, -1)] == [
        days[0].isoformat(),
        days[-1].isoformat(),
    ]
    assert len(json.loads(exported["playbook.json"])["results"]["deals-closed"]) == 3_652
    assert sum(line.startswith('"deals-closed",') for line in exported["exports/results.csv"].splitlines()) == 3_652


def test_numbers_the_validator_accepts_build(tmp_path: Path) -> None:
    """Issue 21, finding 11: results 0 and 5e-324 without a target ended `mkdocs build` in `math domain
    error`; a target of 1e-300 on a score a grid line outside the chart. Every value that validates builds."""
    root = write_content(
        tmp_path / "content",
        {
            **NUMBERS,
            "results/pipeline-coverage.csv": "period,value\n2026-08,0\n2026-09,5e-324\n",
            "kpis/csat.yml": kpi_file(
                "Customer satisfaction", "score", "higher", "account-executive", "target:", "  value: 1e-300"
            ),
            "results/csat.csv": "period,value\n2026-09,1e-300\n2026-10,-5e-324\n",
        },
    )
    project = make_site_project(tmp_path / "repo", root)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    for page in ("kpis", "scorecard"):
        for kpi_id in ("pipeline-coverage", "csat"):
            svg = re.search(rf'<svg[^>]*data-kpi="{kpi_id}".*?</svg>', built(project / "site", page), re.S)
            assert svg is not None, (page, kpi_id)
            ys = [float(y) for y in re.findall(r' (?:y|y1|y2|cy)="([^"]+)"', svg.group(0))]
            assert ys and all(0 <= y <= 230 for y in ys), (page, kpi_id)


def test_a_role_page_shows_your_numbers(numbers_pages: dict[str, Page], numbers_site: Path) -> None:
    for page in (numbers_pages["roles/account-executive.md"].html, built(numbers_site, "roles/account-executive")):
        numbers = section(page, "your-numbers")
        assert '<a href="../../scorecard/#win-rate">Win rate</a>' in numbers
        rows = [text_of(row) for row in re.findall(r"<tr>\s*<td>.*?</tr>", numbers, re.S)]
        assert rows == [
            "Bookings owns USD 1,100,000 (2026-Q4, so far) on target",
            "Customer satisfaction owns, measured on – no results",
            "Deals closed measured on 4 (2026-11-22) off target by 1",
            "Win rate measured on 24% (2026-Q3) off target by 3 percentage points",
        ]


def test_the_checklist_shows_each_steps_last_activity_next_due_date_and_overdue(
    numbers_pages: dict[str, Page], numbers_site: Path
) -> None:
    for page in (numbers_pages["checklist.md"].html, built(numbers_site, "checklist")):
        meetings = section(page, "joint-meetings")
        said = text_of(meetings)
        # Monthly, last on 12 October 2026: due a month later, on 12 November, 11 days before today.
        assert "Last happened: 12 October 2026 (recorded 2 times; the record): x and a link and a < b & c > d {{ 7*7 }}" in said
        assert "Next due: 12 November 2026 overdue by 11 days" in said
        assert '<a href="https://wiki.example.com/meeting?id=12&amp;part=2">the record</a>' in meetings
        planning = text_of(section(page, "joint-planning"))
        assert "Last happened: 30 September 2026: Plan agreed." in planning and "Next due: 30 December 2026" in planning
        assert "overdue" not in planning
        wiki = text_of(section(page, "shared-wiki"))
        assert "Last happened: 1 June 2026" in wiki and "Next due" not in wiki  # ongoing: never due
        never = text_of(section(page, "win-loss"))
        assert "Last happened: not recorded yet" in never and "Next due: now (weekly, never recorded) overdue" in never
        overview = page[: page.index('id="joint-meetings"')]
        assert overview.count('<span class="pb-badge pb-badge--overdue">overdue</span>') == 2


def test_the_funnel_and_the_lead_stages_show_sla_compliance(numbers_pages: dict[str, Page], numbers_site: Path) -> None:
    for page in (numbers_pages["leads.md"].html, built(numbers_site, "leads")):
        mql = text_of(section(page, "marketing-qualified-lead"))
        # The MQL hand-off to the AE has 24 hours: 3.6 hours is within them; 92% of hand-offs within
        # them is short of the 95% target.
        assert (
            "SLA compliance: kept Response hours, 2026-W47: 3.6 hours, within the 24-hour SLA of the hand-off to"
            " Account Executive (on the scorecard)"
        ) in mql
        assert (
            "SLA compliance: missed Hand-off SLA compliance, 2026-10: 92% of hand-offs within the 24-hour SLA of the"
            " hand-off to Account Executive (target 95%: off target by 3 percentage points) (on the scorecard)"
        ) in mql
        svg = ET.fromstring(re.search(r'<svg[^>]*class="pb-funnel__svg".*?</svg>', page, re.S).group(0))  # type: ignore[union-attr]
        kept = [
            " ".join(span.text or "" for span in text.iter(f"{SVG}tspan"))
            for text in svg.iter(f"{SVG}text")
            if text.get("class") == "pb-funnel__compliance"
        ]
        assert kept == [  # in the order of the KPIs, as on the page
            "Hand-off SLA compliance, 2026-10: 92% within the SLA (target 95%) Response hours, 2026-W47: 3.6 h, within the SLA"
        ]
        assert "Response hours, 2026-W47: 3.6 hours, within the 24-hour SLA" in (svg.findtext(f"{SVG}desc") or "")
        assert "how the latest results keep them" in page


def test_hostile_notes_are_text_or_allowed_markup_only(numbers_pages: dict[str, Page], numbers_site: Path) -> None:
    expected = (
        '<strong>x</strong> and <a href="https://example.com/?a=1&amp;b=2">a link</a> and a &lt; b &amp; c &gt; d {{ 7*7 }}'
    )
    for kpis, checklist in (
        (numbers_pages["kpis.md"].html, numbers_pages["checklist.md"].html),
        (built(numbers_site, "kpis"), built(numbers_site, "checklist")),
    ):
        assert f"<td>{expected}</td>" in section(kpis, "win-rate")  # the results table's note
        assert f": {expected}</li>" in section(checklist, "joint-meetings")  # the activity's note
        assert "49" not in text_of(section(checklist, "joint-meetings"))  # never evaluated as a template
        # In the chart, the note is plain text inside the dot's <title>, escaped.
        assert "2026-Q3: 24% (off target by 3 percentage points); x and a link and a &lt; b &amp; c &gt; d {{ 7*7 }}" in kpis
        for page in (kpis, checklist):
            assert "<script>alert" not in page and "**x**" not in page


def test_an_activity_link_that_is_not_https_stays_text(numbers_content: Path) -> None:
    """The loader refuses such a link; were one to get through, the page would still not link it."""
    from dataclasses import replace

    from playbook_site.content.schema import ActivityEntry

    playbook = load(numbers_content, today=TODAY)
    sneaked = ActivityEntry.model_construct(step="joint-planning", date=date(2026, 10, 1), note=None, link="javascript:alert(1)")
    page = render(replace(playbook, activity=(*playbook.activity, sneaked)), today=TODAY)["checklist.md"].html
    assert "javascript:" not in page
    assert "Last happened: 1 October 2026 (recorded 2 times; the record)" in text_of(section(page, "joint-planning"))


def test_a_playbook_without_results_has_no_scorecard_and_unchanged_pages(tmp_path: Path) -> None:
    playbook = load(write_content(tmp_path / "content"), today=TODAY)
    pages = render(playbook, today=TODAY)
    assert "scorecard.md" not in pages
    for path, page in pages.items():
        assert page.html == (GOLDEN / (path[: -len(".md")] + ".html")).read_text(encoding="utf-8"), path
    assert "Scorecard" not in [next(iter(item)) for item in build_project(playbook).nav()]
    assert Numbers(playbook, TODAY).handoffs() == {}


def test_activity_without_results_changes_only_the_checklist_and_the_home_pages_exports(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"activity.yml": "entries:\n  - step: joint-meetings\n    date: 2026-11-02\n"})
    pages = render(load(root, today=TODAY), today=TODAY)
    assert "scorecard.md" not in pages
    changed = {path for path, page in pages.items() if page.html != (GOLDEN / (path[: -len(".md")] + ".html")).read_text()}
    assert changed == {"checklist.md", "index.md"}
    assert "Last happened: 2 November 2026" in text_of(pages["checklist.md"].html)
    assert "scorecard" not in pages["index.md"].html and 'href="exports/activity.csv"' in pages["index.md"].html


def test_search_finds_the_definitions_not_every_number(numbers_site: Path) -> None:
    """The charts and the KPI page's results change every period: they stay out of the search index
    (Material's `data-search-exclude`), so that a search for a KPI finds its definition first."""
    index = json.loads((numbers_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "Share of deals won." in text and "MQL volume, as agreed." in text  # the definitions
    assert "results by quarter" not in text and "2026-Q1: 23.5%" not in text  # a chart's title and description
    assert "off target by 3.5 percentage points" not in text  # the KPI page's results table
    scorecard = [doc for doc in index["docs"] if doc["location"].startswith("scorecard/")]
    assert scorecard and "off target by 3 percentage points" in " ".join(doc["text"] for doc in scorecard)


def test_the_built_site_links_the_scorecard_in_its_navigation_after_kpis(numbers_site: Path) -> None:
    page = built(numbers_site, "scorecard")
    pages = [href for href in re.findall(r'href="([^"#]*)" class="md-nav__link', page) if not href.startswith("../roles/")]
    assert pages[:6] == ["..", "../leads/", "../kpis/", "./", "../checklist/", "../alignment/"], pages  # ./ is this page
    assert 'http-equiv="Content-Security-Policy"' in page and "<script>" not in page.split("</header>")[1].split("</article>")[0]
    assert " style=" not in page[page.index("<article") : page.index("</article>")]  # the CSP's promise: classes only


# --- the bundled playbook ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_pages() -> dict[str, Page]:
    return render(load(DEFAULT_CONTENT, today=TODAY), today=TODAY)


def test_the_bundled_playbook_shows_every_state(default_pages: dict[str, Page]) -> None:
    scorecard = default_pages["scorecard.md"].html
    # content/results/win-rate.csv ends with 2026-Q3,24: below the target of 27, higher is better.
    assert text_of(section(scorecard, "win-rate")).startswith("24% in 2026-Q3: off target by 3 percentage points.")
    # sales-cycle-length.csv ends with 2026-Q3,74: under the 75 days, lower is better.
    assert text_of(section(scorecard, "sales-cycle-length")).startswith("74 days in 2026-Q3: on target.")
    # net-revenue-retention.csv ends with 2024; reviewed quarterly, the year 2025 is due.
    assert "stale: no result yet for 2025" in text_of(section(scorecard, "net-revenue-retention"))
    assert [h.id for h in default_pages["scorecard.md"].headings if h.level == 2] == [
        "marketing",
        "sales",
        "customer-success",
        "leadership",
    ]
    assert "4 of 9 KPIs on target at their latest result (1 stale)" in text_of(default_pages["index.md"].html)
    checklist = text_of(section(default_pages["checklist.md"].html, "united-approach"))
    assert "Next due: 21 October 2026 overdue by 33 days" in checklist
    assert "Your numbers" in text_of(default_pages["roles/sales-manager.md"].html)


# --- another playbook: the foreign one with results and activity ---------------------------------------

FOREIGN_NUMBERS = {
    # Lower is better, EUR per quarter: 2026-Q3 is the latest; 172 <= 180: on target.
    "results/cost-per-lead.csv": "period,value\n2026-Q2,195\n2026-Q3,172\n",
    # No target, months.
    "results/lead-to-deal.csv": "period,value,note\n2026-09,12.5,Messe Hannover\n2026-10,14,\n",
    # Reviewed quarterly, no target: by 2026-11-23 2026-Q3 is due; the latest is 2026-Q2: stale.
    "results/renewal-rate.csv": "period,value\n2026-Q1,88\n2026-Q2,91\n",
    "kpis/reaktionszeit.yaml": kpi_file(
        "Reaktionszeit",
        "hours",
        "lower",
        "inside-sales-rep",
        "target:",
        "  value: 24",
        "stages: [messekontakt]",
    ),
    # Weeks, lower is better: 2026-W47 took 52 hours, 28 over the target of 24, and 4 over the
    # 48-hour SLA of the Messekontakt hand-off.
    "results/reaktionszeit.csv": "period,value\n2026-W46,30\n2026-W47,52\n",
    "activity.yaml": "entries:\n  - step: lead-review\n    date: 2026-10-05\n    note: Lead-Review < Messe & **Nachfassen**\n",
}


@pytest.fixture(scope="module")
def foreign_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    root = tmp_path_factory.mktemp("foreign") / "content"
    shutil.copytree(FOREIGN_CONTENT, root)
    for rel, text in FOREIGN_NUMBERS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    return render(load(root, today=TODAY), today=TODAY)


def test_another_playbook_shows_its_numbers(foreign_pages: dict[str, Page]) -> None:
    scorecard = foreign_pages["scorecard.md"].html
    assert [h.id for h in foreign_pages["scorecard.md"].headings if h.level == 2] == ["marketing", "sales"]
    assert text_of(section(scorecard, "cost-per-lead")).startswith(
        "EUR 172 in 2026-Q3: on target. Target EUR 180 per quarter; lower is better."
        " Down from EUR 195 to EUR 172 over the last 2 quarters (better)."
    )
    assert text_of(section(scorecard, "lead-to-deal")).startswith("14% in 2026-10: no target. No target set; higher is better.")
    assert text_of(section(scorecard, "renewal-rate")).startswith("91% in 2026-Q2: no target, stale: no result yet for 2026-Q3.")
    assert text_of(section(scorecard, "reaktionszeit")).startswith("52 hours in 2026-W47: off target by 28 hours.")
    # 1 of 4 on target (cost per lead); periods differ.
    assert "1 of 4 KPIs on target at their latest result (2 without a target, 1 stale)" in text_of(foreign_pages["index.md"].html)
    leads = text_of(section(foreign_pages["leads.md"].html, "messekontakt"))
    assert "SLA compliance: missed Reaktionszeit, 2026-W47: 52 hours, over the 48-hour SLA of the hand-off to" in leads
    review = section(foreign_pages["checklist.md"].html, "lead-review")
    assert "Last happened:</strong> 5 October 2026: Lead-Review &lt; Messe &amp; <strong>Nachfassen</strong></li>" in review
    assert "Next due: 5 November 2026 overdue by 18 days" in text_of(review)
    key_account = section(foreign_pages["roles/key-account-manager.md"].html, "your-numbers")
    assert "91% (2026-Q2) no target, stale: no result yet for 2026-Q3" in text_of(key_account)
