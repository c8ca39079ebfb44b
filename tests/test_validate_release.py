"""`playbook validate --release` reports what `playbook publish` would refuse, like any other problem.

Each release check (a published definition that refers to a draft, a draft playbook, score bands that
leave gaps without their draft statements) is reported at its file, line and column, in text, GitHub
annotations and JSON; without --release the same content is valid, as an ordinary build shows drafts
with their badge. And what validate --release accepts, publish accepts: the same content is published
from a real git repository.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from conftest import MINIMAL, init_repo, make_site_project, run_cli, write_content

DRAFT_KPI = """
    name: Pipeline velocity
    definition: How fast pipeline turns into revenue.
    formula: Opportunities × win rate × deal size ÷ cycle length
    unit: currency
    currency: USD
    direction: higher
    owner: sales-manager
    status: draft
"""

ROLE_MEASURED_ON_A_DRAFT = MINIMAL["roles/account-executive.yml"].replace(
    "kpis: [win-rate]", "kpis: [win-rate, pipeline-velocity]"
)


def draft_reference(root: Path) -> Path:
    return write_content(root, {"kpis/pipeline-velocity.yml": DRAFT_KPI, "roles/account-executive.yml": ROLE_MEASURED_ON_A_DRAFT})


def line_of(file: Path, text: str) -> int:
    return next(number for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


def test_a_draft_reference_is_fine_for_validate_and_an_error_with_release(tmp_path: Path) -> None:
    content = draft_reference(tmp_path / "content")
    ordinary = run_cli("validate", cwd=tmp_path)
    assert ordinary.exit_code == 0, ordinary.output
    released = run_cli("validate", "--release", cwd=tmp_path)
    assert released.exit_code == 1
    line = line_of(content / "roles" / "account-executive.yml", "kpis:")
    assert released.stderr.startswith(
        f"content/roles/account-executive.yml:{line}:18: error: agreed role `account-executive` (Account Executive)"
        " refers to draft KPI `pipeline-velocity` (Pipeline velocity) in `kpis`; drafts are left out of a published"
        " version, so this definition would be incomplete [draft-reference]\n"
        f"  {line} | kpis: [win-rate, pipeline-velocity]\n"
        "    |                  ^\n"
        "  hint: agree the KPI first (`status: proposed` or `agreed` in content/kpis/pipeline-velocity.yml), or remove the"
        " reference; then commit and publish again\n"
    )
    assert released.stderr.endswith("content: 1 error, 0 warnings\n")


def test_release_problems_as_annotations_and_json(tmp_path: Path) -> None:
    draft_reference(tmp_path / "content")
    github = run_cli("validate", "--release", "--format", "github", cwd=tmp_path)
    assert github.exit_code == 1
    assert github.stdout.splitlines()[0].startswith(
        "::error file=content/roles/account-executive.yml,line=8,col=18,title=draft-reference::agreed role"
    )
    data = json.loads(run_cli("validate", "--release", "--format", "json", cwd=tmp_path).stdout)
    assert (data["ok"], data["errors"], data["warnings"]) == (False, 1, 0)
    assert [(p["path"], p["line"], p["code"]) for p in data["problems"]] == [
        ("content/roles/account-executive.yml", 8, "draft-reference")
    ]


def test_a_draft_playbook_and_broken_bands_are_reported(tmp_path: Path) -> None:
    playbook = textwrap.dedent(MINIMAL["playbook.yml"]).strip("\n") + "\nstatus: draft\n"
    alignment = MINIMAL["alignment.yml"].replace(
        "text: We share one revenue target.", "text: We share one revenue target.\n            status: draft"
    )
    write_content(tmp_path / "content", {"playbook.yml": playbook, "alignment.yml": alignment})
    result = run_cli("validate", "--release", "--format", "json", cwd=tmp_path)
    codes = [(p["path"], p["code"]) for p in json.loads(result.stdout)["problems"]]
    assert codes == [("content/alignment.yml", "draft-diagnostic"), ("content/playbook.yml", "draft-playbook")]
    assert run_cli("validate", cwd=tmp_path).exit_code == 0


def test_a_playbook_ready_to_publish_says_so_and_names_the_drafts_left_out(tmp_path: Path) -> None:
    write_content(tmp_path / "content", {"kpis/pipeline-velocity.yml": DRAFT_KPI})
    result = run_cli("validate", "--release", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("content: valid and ready to publish (3 roles, 2 lead stages, 2 KPIs,")
    assert lines[1] == "A published version would leave out 1 draft: kpi `pipeline-velocity`."
    # validate --release and publish agree: the same content is published.
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content", {"kpis/pipeline-velocity.yml": DRAFT_KPI})
    (project / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    init_repo(project)
    published = run_cli("publish", "1.0", cwd=project)
    assert published.exit_code == 0, published.output
    assert "Left out 1 draft: kpi `pipeline-velocity`." in published.stdout


def test_what_validate_release_refuses_publish_refuses(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo")
    draft_reference(project / "content")
    (project / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    init_repo(project)
    checked = run_cli("validate", "--release", "--format", "json", cwd=project)
    refused = run_cli("publish", "1.0", cwd=project)
    assert refused.exit_code == 1
    first = json.loads(checked.stdout)["problems"][0]
    assert f"{first['path']}:{first['line']}:{first['column']}: error: {first['message']}" in refused.stderr
