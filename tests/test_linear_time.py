"""No text within the file-size limit stalls `validate` or the build (issue 12, "linear time"), and no
shape of content does either (issue 27: unknown fields, long lists, many files, deep references).

Each shape below is what makes a Markdown parser backtrack or rescan (unbalanced parentheses and
brackets, runs of emphasis characters, backticks, entities, escapes), written into a role's
responsibilities as ~300 KB of text. Its `playbook validate` and `playbook build` run in a child
process, and their CPU time is compared with the same commands on ordinary prose of the same size.
A parser that went quadratic on one of these would take hundreds of times longer (the old link
pattern took 3 s to over 100 s on 150 KB); the bound is "a few times", not a speed target.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, make_site_project

SIZE = 300_000  # characters of text in one file: well inside the 2 MiB limit
ITEM = 3_000  # characters per responsibility (a list of 100 items)
BOUND = 5.0  # "a few times slower" than ordinary text of the same size

SHAPES = {
    "open-parentheses": "(",
    "open-brackets": "[",
    "link-openers": "[](",
    "unclosed-links": "[x](https://a.example/(",
    "emphasis-stars": "*",
    "emphasis-underscores": "_",
    "mixed-emphasis": "*_**__",
    "backticks": "`",
    "backtick-staircase": "`a``b```c",
    "entities": "&amp;",
    "entity-openers": "&#",
    "escapes": "\\*",
    "less-than-space": "< ",
    "abbreviation-lookalikes": "SQL MQL SAL ",
}
ORDINARY = "Runs the weekly pipeline review with Marketing and records every decision. "


def role_with(text: str) -> str:
    items = [text[i : i + ITEM] for i in range(0, len(text), ITEM)]
    lines = [
        "name: Pathological Role",
        "function: sales",
        "summary: A role whose duties are one long shape.",
        "responsibilities:",
    ]
    lines += [f"  - {json.dumps(item)}" for item in items]
    return "\n".join(lines) + "\n"


def cpu_seconds(argv: list[str], cwd: Path, *, exit_codes: tuple[int, ...] = (0,), output: list[str] | None = None) -> float:
    """CPU time (user + system) of a child process: steadier than wall time on a shared machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=900)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert result.returncode in exit_codes, result.stdout[-2000:] + result.stderr[-2000:]
    if output is not None:
        output.append(result.stdout + result.stderr)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def project_with(root: Path, text: str) -> Path:
    project = make_site_project(root, DEFAULT_CONTENT)
    (project / "content" / "roles" / "pathological-role.yml").write_text(role_with(text), encoding="utf-8")
    return project


def playbook(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("playbook")), *args]


@pytest.fixture(scope="module")
def ordinary(tmp_path_factory: pytest.TempPathFactory) -> tuple[float, float]:
    """CPU seconds of validate and build on ordinary prose of the same size (the better of two runs)."""
    project = project_with(tmp_path_factory.mktemp("ordinary") / "repo", (ORDINARY * (SIZE // len(ORDINARY) + 1))[:SIZE])
    validate = min(cpu_seconds(playbook("validate"), project) for _ in range(2))
    build = min(cpu_seconds(playbook("build"), project) for _ in range(2))
    return validate, build


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_costly_shape_validates_and_builds_in_linear_time(tmp_path: Path, shape: str, ordinary: tuple[float, float]) -> None:
    unit = SHAPES[shape]
    project = project_with(tmp_path / "repo", (unit * (SIZE // len(unit) + 1))[:SIZE])
    validated = cpu_seconds(playbook("validate"), project)
    built = cpu_seconds(playbook("build"), project)
    page = (project / "site" / "roles" / "pathological-role" / "index.html").read_text(encoding="utf-8")
    assert page.count("<li>") >= SIZE // ITEM  # every item was rendered, not dropped
    print(
        f"{shape}: validate {validated:.2f} s (ordinary {ordinary[0]:.2f} s), build {built:.2f} s (ordinary {ordinary[1]:.2f} s)"
    )
    assert validated <= BOUND * ordinary[0], f"validate took {validated:.2f} s against {ordinary[0]:.2f} s for ordinary text"
    assert built <= BOUND * ordinary[1], f"build took {built:.2f} s against {ordinary[1]:.2f} s for ordinary text"
    shutil.rmtree(project / "site")


# Shapes of content, each ~SIZE bytes more than the default playbook, that a check looking through
# every other problem, entity or id for each one would make quadratic (the old check of unknown fields
# took 3 s for 5,000 keys, 42 s for 20,000 and 247 s for 49,000). Each is validated and its CPU time
# compared with ordinary text of the same size; what the shape must report is checked too (the shape
# is what it says), as is the cap: at most 100 problems of one kind per file, then `more-problems`.
KEYS = SIZE // 25  # twelve thousand lines of 25 characters
# Thousands of files cost something each (opened, parsed, a model each): linear, but more than one file
# of the same size. The old suggestions made these 58 times slower than ordinary text.
BOUND_FILES = 8.0


def _unknown_keys(content: Path) -> str:
    role = content / "roles" / "account-executive.yml"
    role.write_text(role.read_text(encoding="utf-8") + "".join(f"unknown_field_{i:05d}: abc\n" for i in range(KEYS)))
    return "unknown-field"


def _nested_unknown_keys(content: Path) -> str:
    """Unknown fields inside a known block (a KPI's `target:`), and a mapping of them under an unknown field."""
    kpi = content / "kpis" / "win-rate.yml"
    text = kpi.read_text(encoding="utf-8").replace(
        "target:\n", "target:\n" + "".join(f"  unknown_{i:05d}: abc\n" for i in range(KEYS * 2 // 3))
    )
    text += "unknown:\n" + "".join(f"  deeper_{i:05d}:\n    deepest: abc\n" for i in range(KEYS // 3))
    kpi.write_text(text, encoding="utf-8")
    return "unknown-field"


def _long_list_of_bad_items(content: Path) -> str:
    """A long list whose every item has an unknown field (activity.yml's entries)."""
    activity = content / "activity.yml"
    entry = "  - step: joint-meetings\n    date: 2026-02-10\n    unknown_{i:05d}: abc\n"
    activity.write_text(
        activity.read_text(encoding="utf-8") + "".join(entry.format(i=i) for i in range(SIZE // len(entry))), encoding="utf-8"
    )
    return "unknown-field"


def _long_list_of_dangling_references(content: Path) -> str:
    """A glossary of terms each naming an entity that does not exist (a suggestion looks through every id)."""
    glossary = content / "glossary.yml"
    term = "  - id: term-{i:05d}\n    term: Term {i}\n    definition: A word.\n    see_also: [nothing-{i:05d}]\n"
    glossary.write_text(
        glossary.read_text(encoding="utf-8") + "".join(term.format(i=i) for i in range(SIZE // len(term))), encoding="utf-8"
    )
    return "dangling-reference"


ROLE_FILE = "name: Role {i}\nfunction: sales\nsummary: A role.\nreports_to: {boss}\nresponsibilities:\n  - Works.\n"


def _many_files(content: Path) -> str:
    """Thousands of role files, each naming a manager who does not exist."""
    for i in range(SIZE // len(ROLE_FILE)):
        (content / "roles" / f"role-{i:05d}.yml").write_text(ROLE_FILE.format(i=i, boss=f"nobody-{i:05d}"), encoding="utf-8")
    return "dangling-reference"


def _deep_reference_chain(content: Path) -> str:
    """Thousands of roles, each reporting to the next: one chain as deep as the playbook is large."""
    count = SIZE // len(ROLE_FILE)
    for i in range(count):
        boss = f"role-{i + 1:05d}" if i + 1 < count else "chief-revenue-officer"
        (content / "roles" / f"role-{i:05d}.yml").write_text(ROLE_FILE.format(i=i, boss=boss), encoding="utf-8")
    return ""


def _many_valid_files(content: Path) -> str:
    """Thousands of valid role files, each reporting to the chief: every reference resolves."""
    for i in range(SIZE // len(ROLE_FILE)):
        (content / "roles" / f"role-{i:05d}.yml").write_text(
            ROLE_FILE.format(i=i, boss="chief-revenue-officer"), encoding="utf-8"
        )
    return ""


LINKED_ROLE = (
    "name: Role {i}\nfunction: sales\nsummary: Hands over to [the next role](role:{next}).\nresponsibilities:\n  - Works.\n"
)


def _deep_text_links(content: Path) -> str:
    """Thousands of roles, each one's summary linking to the next: a chain of entity links in text."""
    count = SIZE // len(LINKED_ROLE)
    for i in range(count):
        after = f"role-{i + 1:05d}" if i + 1 < count else "chief-revenue-officer"
        (content / "roles" / f"role-{i:05d}.yml").write_text(LINKED_ROLE.format(i=i, next=after), encoding="utf-8")
    return ""


def _long_list_of_valid_references(content: Path) -> str:
    """A glossary of thousands of terms, the first one's `see_also` naming every other: one long list of
    references that all resolve (a check of each against the list, or of the list for repeats, is quadratic)."""
    term = "  - id: term-{i:05d}\n    term: Term {i}\n    definition: A word.\n"
    count = SIZE // (len(term) + 16)
    see_also = "    see_also:\n" + "".join(f"      - term-{i:05d}\n" for i in range(1, count))
    terms = term.format(i=0) + see_also + "".join(term.format(i=i) for i in range(1, count))
    glossary = content / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + terms, encoding="utf-8")
    return ""


def _long_results_series(content: Path) -> str:
    """A KPI's results, one a day for decades (a CRM's ordinary export, only longer): every row read and checked."""
    kpi = content / "kpis" / "lead-response-time.yml"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("  period: week\n", ""), encoding="utf-8")
    row = "2000-01-01,5.5\n"
    first = date(2025, 1, 1) - timedelta(days=SIZE // len(row))
    days = (first + timedelta(days=n) for n in range(SIZE // len(row)))
    (content / "results" / "lead-response-time.csv").write_text(
        "period,value\n" + "".join(f"{day.isoformat()},{5 + day.day / 10:.1f}\n" for day in days), encoding="utf-8"
    )
    return ""


CONTENT_SHAPES = {
    "unknown-keys": _unknown_keys,
    "nested-unknown-keys": _nested_unknown_keys,
    "long-list-of-bad-items": _long_list_of_bad_items,
    "long-list-of-dangling-references": _long_list_of_dangling_references,
    "long-list-of-valid-references": _long_list_of_valid_references,
    "long-results-series": _long_results_series,
    "many-files": _many_files,
    "many-valid-files": _many_valid_files,
    "deep-reference-chain": _deep_reference_chain,
    "deep-text-links": _deep_text_links,
}
MANY_FILES = ("many-files", "many-valid-files", "deep-reference-chain", "deep-text-links")


@pytest.mark.parametrize("shape", list(CONTENT_SHAPES))
def test_a_costly_content_shape_validates_in_linear_time(tmp_path: Path, shape: str, ordinary: tuple[float, float]) -> None:
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    added = -sum(f.stat().st_size for f in (project / "content").rglob("*") if f.is_file())
    code = CONTENT_SHAPES[shape](project / "content")
    added += sum(f.stat().st_size for f in (project / "content").rglob("*") if f.is_file())
    assert SIZE * 0.9 <= added <= SIZE * 1.5, added  # the same size as the ordinary text, give or take
    output: list[str] = []
    validated = cpu_seconds(playbook("validate"), project, exit_codes=(1,) if code else (0,), output=output)
    print(f"{shape}: validate {validated:.2f} s (ordinary {ordinary[0]:.2f} s)")
    bound = BOUND_FILES if shape in MANY_FILES else BOUND
    assert validated <= bound * ordinary[0], f"validate took {validated:.2f} s against {ordinary[0]:.2f} s for ordinary text"
    if code:
        assert f"[{code}]" in output[0]
        if shape != "many-files":  # there, one problem a file
            assert output[0].count(f"[{code}]") <= 100 and "[more-problems]" in output[0]


def test_a_long_link_text_validates_in_linear_time(tmp_path: Path, ordinary: tuple[float, float]) -> None:
    """Issue 21 (misleading links): every word of a link's text is searched for an address or a domain.
    A text made only of characters a scheme or a domain may hold (`a.a.a.…1`, not an address) is where a
    search from each of its starts would be quadratic; one link of a quarter of SIZE in one field."""
    project = project_with(tmp_path / "repo", (ORDINARY * (SIZE // len(ORDINARY) + 1))[: SIZE // 2])
    role = project / "content" / "roles" / "pathological-role.yml"
    label = "a." * (SIZE // 8) + "1"
    text = role.read_text(encoding="utf-8").replace(
        "summary: A role whose duties are one long shape.", "summary: " + json.dumps(f"[{label}](https://a.example/)")
    )
    role.write_text(text, encoding="utf-8")
    validated = cpu_seconds(playbook("validate"), project)
    print(f"long link text: validate {validated:.2f} s (ordinary {ordinary[0]:.2f} s)")
    assert validated <= BOUND * ordinary[0], f"validate took {validated:.2f} s against {ordinary[0]:.2f} s for ordinary text"
