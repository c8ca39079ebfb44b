"""The team survey (issue 24): what the site says equals what a test computes from the CSV by itself,
and nothing of a group below the privacy threshold reaches any file of the built site or its exports."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from html import unescape
from pathlib import Path

import pytest
import yaml

from conftest import DEFAULT_CONTENT, make_site_project, mkdocs_build_in_process, site_differences
from playbook_site.content import load
from playbook_site.site.render import render

# --- the test's own arithmetic: csv, fractions and alignment.yml's bands, nothing of the tool --------


def tenths(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)  # (28 digits: enough for a mean of answers)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def diagnostic(content: Path) -> tuple[list[str], list[tuple[str, str, int, int]]]:
    data = yaml.safe_load((content / "alignment.yml").read_text(encoding="utf-8"))
    questions = [question["id"] for question in data["questions"]]
    bands = [(stage["id"], stage["name"], stage["score"][0], stage["score"][1]) for stage in data["stages"]]
    return questions, bands


def own_group(rows: list[dict[str, str]], questions: list[str], bands: list[tuple[str, str, int, int]]) -> dict[str, object]:
    means = {}
    for question in questions:
        answers = [int(row[question]) for row in rows if row.get(question, "").strip()]
        if answers:
            means[question] = Fraction(sum(answers), len(answers))
    score = sum(means.values(), Fraction(0)) / len(means) * len(questions)
    whole = int(score + Fraction(1, 2)) if score >= 0 else None  # half up
    stage = next(name for _id, name, low, high in bands if low <= whole <= high)
    return {"count": len(rows), "means": means, "score": score, "stage": stage}


def own_round(text: str, questions: list[str], bands: list[tuple[str, str, int, int]]) -> dict[str, dict[str, object]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    groups = {"Everyone": own_group(rows, questions, bands)}
    names = {"marketing": "Marketing", "sales": "Sales", "customer-success": "Customer Success"}
    for function_id, name in names.items():
        mine = [row for row in rows if row["function"] == function_id]
        if mine:
            groups[name] = own_group(mine, questions, bands)
    return groups


def generated_round(rng: random.Random, counts: dict[str, int], bias: dict[str, float], questions: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["function", "team", *questions])
    for function_id, count in counts.items():
        for index in range(count):
            answers = []
            for number, _question in enumerate(questions):
                mean = bias[function_id] + (0.9 if function_id == "marketing" and number < 3 else 0)
                answer = min(5, max(1, round(mean + rng.gauss(0, 0.8))))
                answers.append("" if rng.random() < 0.02 else str(answer))
            writer.writerow([function_id, f"{function_id} team {index % 2}", *answers])
    return out.getvalue()


def page_text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<svg.*?</svg>|<[^>]+>", " ", html, flags=re.S)))


@pytest.fixture
def forty(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, content)
    shutil.rmtree(content / "survey")
    (content / "survey").mkdir()
    questions, _bands = diagnostic(content)
    rng = random.Random(40)
    counts = {"marketing": 14, "sales": 16, "customer-success": 10}
    before = generated_round(rng, counts, {"marketing": 2.6, "sales": 2.3, "customer-success": 2.8}, questions)
    after = generated_round(rng, counts, {"marketing": 3.3, "sales": 2.4, "customer-success": 2.9}, questions)
    (content / "survey" / "2026-Q2.csv").write_text(before, encoding="utf-8")
    (content / "survey" / "2026-Q3.csv").write_text(after, encoding="utf-8")
    text = (content / "playbook.yml").read_text(encoding="utf-8")
    (content / "playbook.yml").write_text(text.replace("  current: defined\n", ""), encoding="utf-8")
    return content


def test_forty_respondents_stage_gaps_and_moves_equal_the_tests_own_arithmetic(forty: Path) -> None:
    questions, bands = diagnostic(forty)
    before = own_round((forty / "survey" / "2026-Q2.csv").read_text(encoding="utf-8"), questions, bands)
    after = own_round((forty / "survey" / "2026-Q3.csv").read_text(encoding="utf-8"), questions, bands)
    assert after["Everyone"]["count"] == 40
    texts = {q["id"]: q["text"] for q in yaml.safe_load((forty / "alignment.yml").read_text(encoding="utf-8"))["questions"]}
    page = page_text(render(load(forty), only=["alignment.md"])["alignment.md"].html)

    # Where the teams stand: a row per group, everyone first.
    for name, group in after.items():
        assert f" {name} {group['count']} {tenths(group['score'])} {group['stage']} " in page, name  # type: ignore[arg-type]
    assert f"Everyone together is at {after['Everyone']['stage']} , with a score of {tenths(after['Everyone']['score'])}" in page  # type: ignore[arg-type]

    # Where they disagree: the three largest gaps between the functions' means, lowest first.
    functions = [name for name in after if name != "Everyone"]
    spreads = []
    for question in questions:
        means = sorted(((after[name]["means"][question], name) for name in functions), key=lambda pair: pair[0])  # type: ignore[index]
        spreads.append((means[-1][0] - means[0][0], question, means))
    spreads.sort(key=lambda item: -item[0])
    for _gap, question, means in spreads[:3]:
        said = f"{means[0][1]} scores it {tenths(means[0][0])}; " + "; ".join(
            f"{name} {tenths(mean)}" for mean, name in means[1:]
        )
        assert f"{texts[question]} {said}." in page, said
    fourth = spreads[3]
    assert f"{texts[fourth[1]]} {fourth[2][0][1]} scores it" not in page

    # What moved: each group's stage and score, before and after.
    moved = 0
    for name in after:
        old, new = before[name], after[name]
        scores = f"({tenths(old['score'])} to {tenths(new['score'])})"  # type: ignore[arg-type]
        if old["stage"] != new["stage"]:
            moved += 1
            assert f"{name} moved from {old['stage']} to {new['stage']} {scores}." in page
        else:
            assert f"{name} stayed at {new['stage']} {scores}." in page
    assert moved, "the generated rounds show a move"

    # The export says the same: each group's stage id and score (two decimals).
    from playbook_site.content.exports import playbook_to_dict

    exported = playbook_to_dict(load(forty))["survey"][-1]
    ids = {name: stage_id for stage_id, name, _low, _high in bands}
    groups = {"Everyone": exported["overall"]} | {
        {"marketing": "Marketing", "sales": "Sales", "customer-success": "Customer Success"}[key]: value
        for key, value in exported["functions"].items()
    }
    for name, group in after.items():
        assert groups[name]["stage"] == ids[group["stage"]] and groups[name]["respondents"] == group["count"]  # type: ignore[index]
        assert groups[name]["score"] == round(float(group["score"]), 2)  # type: ignore[arg-type]


def test_the_overall_stage_replaces_the_hand_typed_one_on_the_home_page(forty: Path) -> None:
    questions, bands = diagnostic(forty)
    after = own_round((forty / "survey" / "2026-Q3.csv").read_text(encoding="utf-8"), questions, bands)
    home = page_text(render(load(forty), only=["index.md"])["index.md"].html)
    assert f"Today: {after['Everyone']['stage']} , from the 2026-Q3 survey of 40 respondents" in home


# --- privacy ------------------------------------------------------------------------------------

SECRET_TEAM = "Zanzibar Skunkworks"


def small_groups_round(swap: bool) -> str:
    """40 respondents of Marketing and Sales, and two functions of 4 (Customer Success, Leadership).
    With `swap` the two small functions exchange their answers: every number of everyone and of the
    large functions stays the same, and only a breakdown of a small function could change."""
    rng = random.Random(4)
    questions = ["shared-definition", "shared-target"]
    rows = [["function", "team", *questions]]
    for index in range(40):
        rows.append(["marketing" if index % 2 else "sales", f"Team {index % 2}", str(rng.randint(1, 5)), str(rng.randint(1, 5))])
    small = {"customer-success": ["1", "1"], "leadership": ["5", "4"]}
    if swap:
        small = {"customer-success": small["leadership"], "leadership": small["customer-success"]}
    for function_id, answers in small.items():
        for _ in range(4):
            rows.append([function_id, f"{SECRET_TEAM} {function_id}", *answers])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def built(tmp_path: Path, name: str, swap: bool) -> Path:
    from conftest import write_content

    content = write_content(tmp_path / name / "src", {"survey/2026-Q2.csv": small_groups_round(not swap)})
    (content / "survey" / "2026-Q3.csv").write_text(small_groups_round(swap), encoding="utf-8")
    project = make_site_project(tmp_path / name / "repo", content)
    site = tmp_path / name / "site"
    mkdocs_build_in_process(project, site)
    return site


def test_four_respondents_of_a_function_leave_no_trace_in_any_file(tmp_path: Path) -> None:
    one, other = built(tmp_path, "one", False), built(tmp_path, "other", True)
    assert (one / "alignment" / "index.html").is_file()
    assert not site_differences(one, other), "a small function's answers changed a built file"
    page = (one / "alignment" / "index.html").read_text(encoding="utf-8")
    assert "1 more answer from Customer Success would show its numbers." in page
    assert "Marketing" in page and "Everyone" in page
    for file in one.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert SECRET_TEAM.encode() not in data, file  # a team below the threshold is never named
    exported = json.loads((one / "playbook.json").read_text(encoding="utf-8"))
    latest = exported["survey"][-1]
    assert set(latest["functions"]) == {"marketing", "sales"} and latest["withheld"] == {"customer-success": 1, "leadership": 1}
    assert "customer-success" not in (one / "exports" / "survey.csv").read_text(encoding="utf-8")


# --- everywhere the numbers travel ---------------------------------------------------------------


@pytest.fixture
def before_q3(tmp_path: Path) -> Path:
    content = tmp_path / "before"
    shutil.copytree(DEFAULT_CONTENT, content)
    (content / "survey" / "2026-Q3.csv").unlink()
    return content


def test_the_change_report_says_what_a_new_round_changed(before_q3: Path) -> None:
    from conftest import run_cli

    text = run_cli("diff", str(before_q3), str(DEFAULT_CONTENT))
    assert text.exit_code == 0, text.output
    assert "1 new survey round" in text.output and "Marketing moved from Defined to Aligned" in text.output
    report = json.loads(run_cli("diff", str(before_q3), str(DEFAULT_CONTENT), "--format", "json").stdout)
    assert [(item["round"], item["change"]) for item in report["survey"]] == [("2026-Q3", "added")]
    assert "Marketing moved from Defined to Aligned" in report["survey"][0]["sentence"]
    markdown = run_cli("diff", str(before_q3), str(DEFAULT_CONTENT), "--format", "markdown").stdout
    assert "| 2026-Q3 | – | 43 respondents; everyone at Defined" in markdown


def test_a_versions_what_changed_names_the_round_added_from_the_previous_export(before_q3: Path) -> None:
    from playbook_site.content.exports import playbook_from_dict, playbook_to_dict
    from playbook_site.review import compare, format_reader_markdown, reader_numbers

    new = load(DEFAULT_CONTENT)
    previous = playbook_from_dict(json.loads(json.dumps(playbook_to_dict(load(before_q3)))))
    sections = reader_numbers(compare(previous, new))
    assert [(title, [(item.title, item.when) for item in items]) for title, items in sections] == [
        ("Team survey", [("Team survey", "2026-Q3")])
    ]
    assert "Marketing moved from Defined to Aligned" in format_reader_markdown(compare(previous, new))
    unchanged = playbook_from_dict(json.loads(json.dumps(playbook_to_dict(new))))
    assert reader_numbers(compare(unchanged, new)) == (), "a round read back from playbook.json is the same round"


def test_the_exports_hold_the_rounds_aggregates_never_a_row() -> None:
    from playbook_site.content.exports import export_files

    files = export_files(load(DEFAULT_CONTENT))
    exported = json.loads(files["playbook.json"])["survey"]
    assert [view["round"] for view in exported] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert (
        exported[-1]["functions"]["marketing"]["stage"] == "aligned"
        and exported[-2]["functions"]["marketing"]["stage"] == "defined"
    )
    assert exported[-1]["withheld"] == {"revenue-operations": 2, "leadership": 1}
    rows = list(csv.DictReader(io.StringIO(files["exports/survey.csv"])))
    assert {row["group_id"] for row in rows if row["group"] == "function"} == {"marketing", "sales", "customer-success"}
    raw = (DEFAULT_CONTENT / "survey" / "2026-Q3.csv").read_text(encoding="utf-8").splitlines()[1]
    assert raw not in files["playbook.json"] and raw not in files["exports/survey.csv"]


def test_a_published_version_keeps_the_rounds() -> None:
    from playbook_site.content.release import without_drafts
    from playbook_site.content.survey_numbers import public_rounds

    playbook = load(DEFAULT_CONTENT)
    shipped = without_drafts(playbook)
    assert public_rounds(shipped) == public_rounds(playbook) and len(public_rounds(shipped)) == 3
    assert shipped.sources[("survey", "2026-Q3")] == "survey/2026-Q3.csv"


def test_the_default_playbook_shows_a_gap_linked_to_what_it_is_about_and_ranked_next_steps() -> None:
    playbook = load(DEFAULT_CONTENT)
    html = render(playbook, only=["alignment.md"])["alignment.md"].html
    gaps = html[html.index("pb-survey__gaps") : html.index("</ul>", html.index("pb-survey__gaps"))]
    first = gaps[: gaps.index("</li>")]
    assert "Sales and Marketing use one written definition of a qualified lead" in first
    assert "Sales scores it 1.5" in page_text(first) and "Marketing 4.3" in page_text(first)
    assert 'href="../leads/#marketing-qualified-lead"' in first and 'href="../kpis/#mql-to-sql-conversion"' in first
    steps = html[html.index("What to do next") :]
    steps = steps[: steps.index("</ol>")]
    listed = re.findall(r"<li>(.*?)</li>", steps, flags=re.S)
    defined = playbook.stages["defined"]

    def squeezed(text: str) -> str:
        return "".join(text.split())

    assert sorted(squeezed(page_text(item).split(" (it speaks to")[0]) for item in listed) == sorted(
        map(squeezed, defined.next_steps)
    )
    scored = [float(m) for m in re.findall(r"scored (\d\.\d) of 5", steps)]
    assert scored == sorted(scored) and scored, "the steps speaking to the lowest-scoring statements come first"
