"""No text within the file-size limit stalls `validate` or the build (issue 12, "linear time").

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


def cpu_seconds(argv: list[str], cwd: Path) -> float:
    """CPU time (user + system) of a child process: steadier than wall time on a shared machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=900)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
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
