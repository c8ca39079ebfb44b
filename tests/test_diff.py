"""`playbook diff` on real git repositories: a series of realistic proposals, each report exact.

Every proposal is a commit in a repository built in a temporary directory; the reports (markdown,
text, json and the readers' "What changed") are compared with golden files in tests/golden/diff/.
After an intended change to a report run `pytest tests/test_diff.py --update-golden` (or
`make golden`): the run ends with the diff of every file it rewrote.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, MINIMAL, REPO, golden_file, run_cli, write_content
from playbook_site.content import load
from playbook_site.review import compare, format_markdown, format_reader_markdown, format_text, to_json

GOLDEN = Path(__file__).parent / "golden" / "diff"

# The minimal playbook, with approvers on a few entities and room to remove a criterion.
BASE = {
    **MINIMAL,
    "playbook.yml": MINIMAL["playbook.yml"].rstrip() + "\n" + '        approvers: ["@example/revenue-council"]\n',
    "leads/sales-qualified-lead.yml": """
        name: Sales Qualified Lead
        abbreviation: SQL
        order: 2
        definition: A lead sales has qualified.
        owner: account-executive
        entry_criteria:
          - Budget confirmed.
          - A decision maker attended the discovery call.
        recycle_to: marketing-qualified-lead
        approvers: ["@example/sales-leads"]
    """,
    "kpis/win-rate.yml": """
        name: Win rate
        definition: Share of deals won.
        formula: Won ÷ (won + lost) × 100
        unit: percent
        direction: higher
        owner: sales-manager
        shared_with: [marketing-manager]
        target:
          value: 27
          period: quarter
        stages: [sales-qualified-lead]
        approvers: ["@example/sales-leads", "@example/revops"]
    """,
    "glossary.yml": """
        terms:
          - id: ideal-customer-profile
            term: Ideal customer profile
            abbreviation: ICP
            definition: The companies we sell to.
            see_also: [marketing-qualified-lead]
          - id: bant
            term: BANT
            definition: Budget, authority, need and timing, the old qualification checklist.
            approvers: ["@example/sales-leads"]
    """,
}

# (name, commit message, files changed on top of the previous proposal)
PROPOSALS: list[tuple[str, str, dict[str, str | None]]] = [
    (
        "add-role",
        "Add a Solutions Engineer role",
        {
            "roles/solutions-engineer.yml": """
                name: Solutions Engineer
                abbreviation: SE
                function: sales
                summary: Proves the product fits the buyer's technical needs.
                responsibilities:
                  - Runs technical discovery and the demo with the Account Executive.
                  - Owns the proof of concept plan and its success criteria.
                reports_to: sales-manager
                kpis: [win-rate]
            """,
        },
    ),
    (
        "kpi-formula-target",
        "Win rate counts no-decision deals and rises to 31%",
        {
            "kpis/win-rate.yml": BASE["kpis/win-rate.yml"]
            .replace("Won ÷ (won + lost) × 100", "Won ÷ (won + lost + no decision) × 100")
            .replace("value: 27", "value: 31"),
        },
    ),
    (
        "tighten-sla",
        "MQL hand-off: the Account Executive acts within 8 hours",
        {
            "leads/marketing-qualified-lead.yml": MINIMAL["leads/marketing-qualified-lead.yml"].replace(
                "sla_hours: 24", "sla_hours: 8"
            )
        },
    ),
    (
        "remove-criterion",
        "SQL: drop the decision-maker criterion",
        {
            "leads/sales-qualified-lead.yml": BASE["leads/sales-qualified-lead.yml"].replace(
                "          - A decision maker attended the discovery call.\n", ""
            )
        },
    ),
    (
        "retire-term",
        "Retire BANT",
        {
            "glossary.yml": BASE["glossary.yml"].replace(
                '            approvers: ["@example/sales-leads"]\n',
                '            approvers: ["@example/sales-leads"]\n            status: retired\n'
                "            notes: Replaced by the SQL entry criteria.\n",
            )
        },
    ),
    (
        "rename-stage",
        "Call SQLs Sales Qualified Opportunities",
        {
            "leads/sales-qualified-lead.yml": BASE["leads/sales-qualified-lead.yml"]
            .replace("          - A decision maker attended the discovery call.\n", "")
            .replace("name: Sales Qualified Lead", "name: Sales Qualified Opportunity")
            .replace("definition: A lead sales has qualified.", "definition: A lead the Account Executive has qualified."),
        },
    ),
]


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Playbook Tests")
    git(repo, "config", "user.email", "tests@example.com")
    git(repo, "config", "commit.gpgsign", "false")
    return repo


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def proposals_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A playbook repository whose history is the base content, then one commit (and tag) per proposal."""
    repo = init_repo(tmp_path_factory.mktemp("proposals") / "playbook")
    write_content(repo / "content", base=BASE)
    commit_all(repo, "Base playbook")
    git(repo, "tag", "base")
    for name, message, files in PROPOSALS:
        write_content(repo / "content", files, base={})
        commit_all(repo, message)
        git(repo, "tag", name)
    return repo


def check_golden(request: pytest.FixtureRequest, name: str, actual: str) -> None:
    golden_file(request.config, GOLDEN / name, actual, how="review it, then run `make golden`")


FORMATS = {"markdown": "md", "text": "txt", "json": "json"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("proposal", [name for name, _, _ in PROPOSALS])
def test_each_proposal_gives_the_exact_report(
    proposals_repo: Path, proposal: str, fmt: str, request: pytest.FixtureRequest
) -> None:
    result = run_cli("diff", f"{proposal}~1", proposal, "--format", fmt, cwd=proposals_repo)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    check_golden(request, f"{proposal}.{FORMATS[fmt]}", result.stdout)


@pytest.mark.parametrize("proposal", [name for name, _, _ in PROPOSALS])
def test_readers_what_changed_for_each_proposal(proposals_repo: Path, proposal: str, request: pytest.FixtureRequest) -> None:
    from playbook_site.publishing.revision import load_revision

    old = load_revision(f"{proposal}~1", Path("content"), cwd=proposals_repo)
    new = load_revision(proposal, Path("content"), cwd=proposals_repo)
    check_golden(request, f"{proposal}.reader.md", format_reader_markdown(compare(old, new)))


def test_the_whole_series_at_once(proposals_repo: Path, request: pytest.FixtureRequest) -> None:
    result = run_cli("diff", "base", "rename-stage", "--format", "markdown", cwd=proposals_repo)
    assert result.exit_code == 0, result.output
    check_golden(request, "series.md", result.stdout)
    data = json.loads(run_cli("diff", "base", "rename-stage", "--format", "json", cwd=proposals_repo).stdout)
    assert data["summary"] == {
        "entities": 5,
        "definition": 5,
        "minor": 0,
        "added": 1,
        "removed": 0,
        "renamed": 1,
        "changed": 3,
    }
    # Who must approve: the entity's own approvers, else the playbook's.
    assert data["approvals"] == [
        {"approvers": ["@example/sales-leads"], "default": False, "entities": ["lead:sales-qualified-lead", "term:bant"]},
        {"approvers": ["@example/sales-leads", "@example/revops"], "default": False, "entities": ["kpi:win-rate"]},
        {
            "approvers": ["@example/revenue-council"],
            "default": True,
            "entities": ["role:solutions-engineer", "lead:marketing-qualified-lead"],
        },
    ]


def test_the_key_sentences_a_reviewer_needs(proposals_repo: Path) -> None:
    """The plain-language summary, independent of the golden files."""
    text = run_cli("diff", "base", "rename-stage", cwd=proposals_repo).stdout
    assert "* Lead stage Marketing Qualified Lead (MQL): hand-off SLA drops from 24 to 8 hours" in text
    assert "* KPI Win rate: formula changes; target rises from 27% to 31% per quarter" in text
    assert "* Role Solutions Engineer (SE): new role" in text
    assert (
        "* Lead stage Sales Qualified Opportunity (SQL): renamed from “Sales Qualified Lead”; definition reworded; loses an entry criterion"
        in text
    )
    assert "* Glossary term BANT: retired" in text
    assert "editor notes: (none) -> Replaced by the SQL entry criteria." in text


def test_no_change_says_so_and_exits_0(proposals_repo: Path) -> None:
    for fmt, expected in (
        ("text", "Playbook changes from HEAD to the working tree\nNo changes to the playbook's content.\n"),
        (
            "markdown",
            "## Playbook change report\n\nComparing `HEAD` with the working tree. No changes to the playbook's content.\n",
        ),
    ):
        result = run_cli("diff", "HEAD", "--format", fmt, cwd=proposals_repo)
        assert (result.exit_code, result.stdout, result.stderr) == (0, expected, "")
    data = json.loads(run_cli("diff", "HEAD", "--format", "json", cwd=proposals_repo).stdout)
    assert data["changes"] == [] and data["summary"]["entities"] == 0
    assert compare(load(proposals_repo / "content"), load(proposals_repo / "content")).is_empty


def test_the_working_tree_is_the_default_head(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_content(repo / "content", base=BASE)
    commit_all(repo, "Base")
    path = repo / "content" / "roles" / "account-executive.yml"
    path.write_text(
        path.read_text().replace("  - Runs discovery calls.\n", "  - Runs discovery calls.\n  - Owns the mutual close plan.\n")
    )
    result = run_cli("diff", "main", cwd=repo)
    assert result.exit_code == 0, result.output
    assert result.stdout == textwrap.dedent(
        """\
        Playbook changes from main to the working tree
        1 entity changed: 1 changes an agreed definition.

        Changes to agreed definitions:
          * Role Account Executive (AE): gains a responsibility

        Who must approve (one approval from each line):
          @example/revenue-council (the playbook's default approvers): Role Account Executive (AE)

        Roles
          ~ Account Executive (AE) [account-executive] (definition change)  content/roles/account-executive.yml
              responsibilities:
                + Owns the mutual close plan.
              used by: lead stages it owns: Sales Qualified Lead; lead stages handed off to it: Marketing Qualified Lead
        """
    )
    # The committed content is untouched by reading a revision.
    assert git(repo, "status", "--porcelain") == " M content/roles/account-executive.yml\n"


def test_two_content_directories(tmp_path: Path) -> None:
    old = write_content(tmp_path / "old", base=BASE)
    new = write_content(tmp_path / "new", PROPOSALS[2][2], base=BASE)
    result = run_cli("diff", str(old), str(new), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Playbook changes from {old} to {new}\n1 entity changed: 1 changes an agreed definition.\n")
    assert "      hand-off SLA: 24 hours -> 8 hours\n" in result.stdout


def test_content_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_content(repo / "docs" / "playbook", base=BASE)
    commit_all(repo, "Base")
    write_content(repo / "docs" / "playbook", PROPOSALS[2][2], base={})
    commit_all(repo, "Tighten the SLA")
    result = run_cli("diff", "HEAD~1", "HEAD", "--content", "docs/playbook", "--format", "json", cwd=repo)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(c["id"], c["file"]) for c in data["changes"]] == [("marketing-qualified-lead", "leads/marketing-qualified-lead.yml")]
    # From inside the subfolder, --content is relative to where the command runs.
    inside = run_cli("diff", "HEAD~1", "HEAD", "--content", ".", "--format", "json", cwd=repo / "docs" / "playbook")
    assert inside.exit_code == 0, inside.output
    assert json.loads(inside.stdout)["changes"] == data["changes"]


def test_invalid_content_at_a_revision_names_the_revision(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_content(repo / "content", base=BASE)
    commit_all(repo, "Base")
    path = repo / "content" / "kpis" / "win-rate.yml"
    path.write_text(path.read_text().replace("unit: percent", "unit: percentage"))
    commit_all(repo, "Broken unit")
    path.write_text(path.read_text().replace("unit: percentage", "unit: percent"))  # fixed in the working tree only
    result = run_cli("diff", "HEAD~1", "HEAD", cwd=repo)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: the playbook at revision `HEAD` is not valid, so it cannot be compared:"
    assert lines[2].startswith("HEAD:content/kpis/win-rate.yml:4:7: error: ")
    assert "`percentage`" in lines[2]
    assert lines[-1] == "1 error, 0 warnings at revision `HEAD`."
    assert "Traceback" not in result.output
    # The working tree itself is fine, and so is comparing it.
    assert run_cli("diff", "HEAD~1", cwd=repo).exit_code == 0


def test_invalid_working_tree_is_reported_as_such(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_content(repo / "content", base=BASE)
    commit_all(repo, "Base")
    (repo / "content" / "roles" / "sales-manager.yml").write_text("name: [unclosed\n")
    result = run_cli("diff", "HEAD", cwd=repo)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: the playbook at the working tree (content) is not valid, so it cannot be compared:\n\n"
    )
    assert "content/roles/sales-manager.yml:1:7: error: YAML syntax error" in result.stderr


def test_unknown_revision_gives_git_message_and_hint(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_content(repo / "content", base=BASE)
    commit_all(repo, "Base")
    result = run_cli("diff", "no-such-branch", cwd=repo)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Error: git rev-parse --verify --quiet no-such-branch^{commit} failed: exit status 1"
    assert "hint: `no-such-branch` is not a branch, tag or commit here" in result.stderr
    assert "fetch-depth: 0" in result.stderr


def test_outside_a_git_repository(tmp_path: Path) -> None:
    write_content(tmp_path / "content", base=BASE)
    result = run_cli("diff", "main", cwd=tmp_path)
    assert result.exit_code == 1
    assert "git rev-parse --show-toplevel failed: fatal: not a git repository" in result.stderr
    assert "hint: run the command inside the playbook's git repository, or compare two content directories" in result.stderr


def test_revision_without_content(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "README.md").write_text("empty\n")
    commit_all(repo, "Before the playbook")
    write_content(repo / "content", base=BASE)
    commit_all(repo, "The playbook")
    result = run_cli("diff", "HEAD~1", "HEAD", cwd=repo)
    assert result.exit_code == 1
    assert "Error: revision `HEAD~1` (" in result.stderr
    assert ") has no files in `content/`; pass --content with the folder that holds playbook.yml" in result.stderr


def test_symlink_out_of_the_content_at_a_revision_is_refused(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_content(repo / "content", base=BASE)
    commit_all(repo, "Base")
    target = repo / "content" / "roles" / "sales-manager.yml"
    target.unlink()
    target.symlink_to("/etc/hostname")
    commit_all(repo, "A link out")
    result = run_cli("diff", "HEAD~1", "HEAD", cwd=repo)
    assert result.exit_code == 1
    assert (
        "HEAD:content/roles/sales-manager.yml: error: this file is a symbolic link to a place outside the content directory"
        in result.stderr
    )


def test_readme_example_is_a_real_report(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The README's example report is this one, made from the default playbook."""
    repo = init_repo(tmp_path / "repo")
    shutil.copytree(DEFAULT_CONTENT, repo / "content")
    commit_all(repo, "The default playbook")
    git(repo, "checkout", "-q", "-b", "faster-sal-handoff")
    edits = {
        "leads/sales-accepted-lead.yml": [("sla_hours: 8", "sla_hours: 4")],
        "kpis/win-rate.yml": [("value: 27", "value: 31")],
        "roles/account-executive.yml": [
            (
                "not_responsible_for:",
                "  - Reviews the mutual action plan with the Sales Manager before any deal above USD 100,000 enters negotiation.\nnot_responsible_for:",
            )
        ],
    }
    for rel, replacements in edits.items():
        path = repo / "content" / rel
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    commit_all(repo, "SAL hand-off in 4 hours, Win rate target 31%, AE reviews big deals")
    result = run_cli("diff", "main", "faster-sal-handoff", "--format", "markdown", cwd=repo)
    assert result.exit_code == 0, result.output
    check_golden(request, "readme-example.md", result.stdout)
    readme_path = REPO / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    start, end = "<!-- diff-example:start -->\n````markdown\n", "````\n<!-- diff-example:end -->"
    assert readme.count(start) == 1 and readme.count(end) == 1
    if request.config.getoption("--update-golden"):
        before, rest = readme.split(start)
        readme = before + start + result.stdout + end + rest.split(end, 1)[1]
        golden_file(request.config, readme_path, readme)  # rewritten like a golden file, its diff shown
    assert start + result.stdout + end in readme, "README.md's example report is out of date: run `make golden`"
    # The numbers the issue asks a reviewer to see, in plain words.
    assert "hand-off SLA drops from 8 to 4 hours" in result.stdout
    assert "target rises from 27% to 31% per quarter" in result.stdout
    assert "**Role Account Executive (AE)**: gains a responsibility" in result.stdout


def test_direct_api_reports_are_the_cli_reports(proposals_repo: Path) -> None:
    from playbook_site.publishing.revision import load_revision

    old = load_revision("tighten-sla~1", Path("content"), cwd=proposals_repo)
    new = load_revision("tighten-sla", Path("content"), cwd=proposals_repo)
    changes = compare(old, new)
    options = {"base": "tighten-sla~1", "head": "tighten-sla", "content_dir": "content"}
    assert format_markdown(changes, **options) == (GOLDEN / "tighten-sla.md").read_text(encoding="utf-8")
    assert format_text(changes, **options) == (GOLDEN / "tighten-sla.txt").read_text(encoding="utf-8")
    assert to_json(changes, **options) == (GOLDEN / "tighten-sla.json").read_text(encoding="utf-8")
