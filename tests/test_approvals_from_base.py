"""Who must approve is the BASE revision's answer, never the pull request's (issue 21, finding 4).

GitHub asks the owners the base branch's CODEOWNERS names; the report must name the same people. A
pull request that adds `approvers: ["@mallory"]` to an entity (or changes the playbook's default
approvers, or names approvers on a new entity) while changing it does not choose its own approver:
the report names the base's approvers, and shows the new approvers as a proposed change of
approvers, which the base's approvers must approve like any other change. Real git repositories,
the real `playbook diff` (markdown and JSON).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import MINIMAL, run_cli, write_content
from playbook_site.content import load
from playbook_site.review import compare

BASE = {
    **MINIMAL,
    "playbook.yml": MINIMAL["playbook.yml"].rstrip() + "\n" + '        approvers: ["@example/revenue-council"]\n',
    "leads/sales-qualified-lead.yml": MINIMAL["leads/sales-qualified-lead.yml"].rstrip()
    + "\n"
    + '        approvers: ["@example/sales-leads"]\n',
}
MQL = "leads/marketing-qualified-lead.yml"
SQL = "leads/sales-qualified-lead.yml"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def repository(tmp_path: Path, change: dict[str, str | None]) -> Path:
    repo = tmp_path / "playbook"
    write_content(repo / "content", base=BASE)
    git(repo, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Tests"), ("user.email", "t@example.com"), ("commit.gpgsign", "false")):
        git(repo, "config", key, value)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    write_content(repo / "content", change, base={})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the pull request")
    return repo


def diff(repo: Path, fmt: str) -> str:
    result = run_cli("diff", "HEAD~1", "HEAD", "--format", fmt, cwd=repo)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def approval_section(markdown: str) -> str:
    return markdown.split("### Who must approve\n", 1)[1].split("<details>", 1)[0]


SELF_APPROVED_MQL = {
    MQL: MINIMAL[MQL].replace("sla_hours: 24", "sla_hours: 8").rstrip() + "\n" + '        approvers: ["@mallory"]\n'
}


def test_a_pull_request_naming_its_own_approver_gets_the_bases_approvers(tmp_path: Path) -> None:
    repo = repository(tmp_path, SELF_APPROVED_MQL)
    section = approval_section(diff(repo, "markdown"))
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert lines[0] == (
        "- `@example/revenue-council` (the playbook's default approvers): Lead stage Marketing Qualified Lead (MQL)"
    )
    assert "Proposed change of approvers" in section
    proposal = [line for line in lines if "@mallory" in line]
    assert proposal == [
        "- Lead stage Marketing Qualified Lead (MQL): from `@example/revenue-council` (the playbook's default approvers)"
        " to `@mallory`"
    ]
    data = json.loads(diff(repo, "json"))
    assert data["approvals"] == [
        {"approvers": ["@example/revenue-council"], "default": True, "entities": ["lead:marketing-qualified-lead"]}
    ]
    (change,) = data["changes"]
    assert (change["approvers"], change["default_approvers"]) == (["@example/revenue-council"], True)
    assert change["proposed_approvers"] == {"approvers": ["@mallory"], "default": False}
    assert data["approver_changes"] == [
        {
            "entity": "lead:marketing-qualified-lead",
            "from": {"approvers": ["@example/revenue-council"], "default": True},
            "to": {"approvers": ["@mallory"], "default": False},
        }
    ]


def test_replacing_an_entitys_own_approvers_and_the_defaults(tmp_path: Path) -> None:
    """Variants: an entity's own approvers replaced; the playbook's default approvers replaced; a new
    entity that names its own approvers (the base's default owners own the new file)."""
    change = {
        SQL: BASE[SQL].replace('["@example/sales-leads"]', '["@mallory"]').replace("Budget confirmed.", "Budget known."),
        "playbook.yml": BASE["playbook.yml"].replace("@example/revenue-council", "@mallory"),
        MQL: MINIMAL[MQL].replace("sla_hours: 24", "sla_hours: 8"),
        "roles/solutions-engineer.yml": """
            name: Solutions Engineer
            function: sales
            summary: Proves the product fits.
            responsibilities:
              - Runs the demo.
            approvers: ["@mallory"]
        """,
    }
    repo = repository(tmp_path, change)
    data = json.loads(diff(repo, "json"))
    approved = {e: group["approvers"] for group in data["approvals"] for e in group["entities"]}
    assert approved == {
        "lead:sales-qualified-lead": ["@example/sales-leads"],
        "lead:marketing-qualified-lead": ["@example/revenue-council"],
        "playbook:playbook": ["@example/revenue-council"],
        "role:solutions-engineer": ["@example/revenue-council"],
    }
    assert "@mallory" not in json.dumps(data["approvals"])
    proposals = {p["entity"]: p["to"]["approvers"] for p in data["approver_changes"]}
    assert proposals == {
        "lead:sales-qualified-lead": ["@mallory"],
        "lead:marketing-qualified-lead": ["@mallory"],  # it names none: the new defaults would own it
        "playbook:playbook": ["@mallory"],
        "role:solutions-engineer": ["@mallory"],
    }
    section = approval_section(diff(repo, "markdown"))
    before_proposals = section.split("Proposed change of approvers", 1)[0]
    assert "@mallory" not in before_proposals


def test_the_api_reports_the_bases_approvers_for_results_too(tmp_path: Path) -> None:
    """The numbers (a KPI's results) follow the same rule: the KPI's base approvers."""
    base = write_content(
        tmp_path / "base",
        {"kpis/win-rate.yml": MINIMAL["kpis/win-rate.yml"].rstrip() + "\n" + '        approvers: ["@example/revops"]\n'},
        base=BASE,
    )
    head = write_content(
        tmp_path / "head",
        {
            "kpis/win-rate.yml": MINIMAL["kpis/win-rate.yml"].rstrip() + "\n" + '        approvers: ["@mallory"]\n',
            "results/win-rate.csv": "period,value\n2026-Q1,23\n",
        },
        base=BASE,
    )
    changes = compare(load(base), load(head))
    (numbers,) = changes.numbers
    assert (numbers.approvers, numbers.default_approvers) == (("@example/revops",), False)
    kpi = next(e for e in changes.entities if e.id == "win-rate")
    assert (kpi.approvers, kpi.proposed_approvers) == (("@example/revops",), (("@mallory",), False))
