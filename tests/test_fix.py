"""`playbook fix`: the mechanical slips of pasted text repaired character by character, and nothing else."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DEFAULT_CONTENT, REPO, run_cli, write_content

ROLE = "roles/sales-manager.yml"

# Every slip `playbook fix` repairs, in one Windows file that a word processor and a web editor touched.
SLIPPED = (
    "\ufeff# The sales manager: edited in Word, pasted into the web editor   \r\n"
    "name: Sales Manager  \r\n"
    "function:\u00a0sales\r\n"
    "summary: Leads the team.\r\n"
    "# a comment that stays\r\n"
    "owns: \u201cthe forecast: every week\u201d\r\n"
    "responsibilities:\r\n"
    "  \u2013 Coaches the reps.\r\n"
    "  \u2014 Runs the weekly review.\r\n"
    "  \u2022 Hires for the team.\r\n"
    "  * Signs off the quota plan.\r\n"
    "onboarding:\r\n"
    "  1. Read the playbook.\r\n"
    "  2. Meet the team\u2019s \u201cbuddies\u201d.\r\n"
    "not_responsible_for:\r\n"
    "\t- Campaigns.\r\n"
    "\u00a0\u00a0- \u2018Content: briefs and copy\u2019\r\n"
)
FIXED = (
    "\ufeff# The sales manager: edited in Word, pasted into the web editor\r\n"
    "name: Sales Manager\r\n"
    "function: sales\r\n"
    "summary: Leads the team.\r\n"
    "# a comment that stays\r\n"
    'owns: "the forecast: every week"\r\n'
    "responsibilities:\r\n"
    "  - Coaches the reps.\r\n"
    "  - Runs the weekly review.\r\n"
    "  - Hires for the team.\r\n"
    "  - Signs off the quota plan.\r\n"
    "onboarding:\r\n"
    "  - Read the playbook.\r\n"
    "  - Meet the team\u2019s \u201cbuddies\u201d.\r\n"
    "not_responsible_for:\r\n"
    "  - Campaigns.\r\n"
    "  - 'Content: briefs and copy'\r\n"
)


def slipped(tmp_path: Path, text: str = SLIPPED) -> Path:
    root = write_content(tmp_path / "content", {ROLE: None})
    (root / ROLE).write_bytes(text.encode("utf-8"))
    return root


def test_fix_turns_every_mechanical_slip_into_a_file_that_validates(tmp_path: Path) -> None:
    root = slipped(tmp_path)
    assert run_cli("validate", "--content", str(root)).exit_code == 1
    result = run_cli("fix", "--content", str(root))
    assert result.exit_code == 0, result.output
    assert (root / ROLE).read_bytes() == FIXED.encode("utf-8")  # CRLF, the BOM, comments and every value's characters kept
    assert result.stdout.splitlines() == [
        f"{root}/{ROLE}: fixed",
        "  curly quotes around a value became straight quotes (lines 6, 17)",
        "  a pasted bullet became a list item's `- ` (lines 8, 9, 10, 11, 13, 14)",
        "  tabs in the indentation became spaces (line 16)",
        "  non-breaking spaces in the indentation became spaces (line 17)",
        "  a non-breaking space after `field:` or `-` became a space (line 3)",
        "  spaces at the end of a line were removed (lines 1, 2)",
        "Fixed 1 file.",
    ]
    validated = run_cli("validate", "--content", str(root))
    assert validated.exit_code == 0, validated.output
    assert "0 errors, 0 warnings" in validated.stdout


def test_the_values_are_those_the_editor_meant(tmp_path: Path) -> None:
    root = slipped(tmp_path)
    run_cli("fix", "--content", str(root))
    data = yaml.safe_load((root / ROLE).read_text(encoding="utf-8"))
    assert data["owns"] == "the forecast: every week"
    assert data["responsibilities"][3] == "Signs off the quota plan."
    assert data["onboarding"] == ["Read the playbook.", "Meet the team\u2019s \u201cbuddies\u201d."]  # quotes inside text stay
    assert data["not_responsible_for"] == ["Campaigns.", "Content: briefs and copy"]


def test_check_exits_1_and_writes_nothing_then_0_once_fixed(tmp_path: Path) -> None:
    root = slipped(tmp_path)
    before = (root / ROLE).read_bytes()
    check = run_cli("fix", "--content", str(root), "--check")
    assert check.exit_code == 1
    assert check.stdout.splitlines()[0] == f"{root}/{ROLE}: would be fixed"
    assert f"1 file would be fixed: run `playbook fix --content {root}` to fix it." in check.stdout
    assert (root / ROLE).read_bytes() == before
    assert run_cli("fix", "--content", str(root)).exit_code == 0
    again = run_cli("fix", "--content", str(root), "--check")
    assert again.exit_code == 0 and again.stdout == f"Nothing to fix in {root}.\n"


def test_diff_shows_only_the_changed_characters_and_writes_nothing(tmp_path: Path) -> None:
    text = "name: Sales Manager\nfunction: sales\nsummary: Leads the team.\nresponsibilities:\n  - Coaches.\n  \u2013 Hires.\nowns: \u201cthe team\u201d   \n"
    root = slipped(tmp_path, text)
    result = run_cli("fix", "--content", str(root), "--diff")
    assert result.exit_code == 0
    assert result.stdout.split("\n")[:12] == [
        f"--- a/{root}/{ROLE}",
        f"+++ b/{root}/{ROLE}",
        "@@ -3,5 +3,5 @@",
        " summary: Leads the team.",
        " responsibilities:",
        "   - Coaches.",
        "-  \u2013 Hires.",
        "-owns: \u201cthe team\u201d   ",
        "+  - Hires.",
        '+owns: "the team"',
        f"{root}/{ROLE}: would be fixed",
        "  curly quotes around a value became straight quotes (line 7)",
    ]
    assert (root / ROLE).read_text(encoding="utf-8") == text


def test_text_that_only_looks_like_a_slip_is_left_as_written(tmp_path: Path) -> None:
    text = (
        "name: Sales Manager\n"
        "function: sales\n"
        "summary: >-\n"
        "  Owns the \u201cforecast\u201d \u2013 every week.   \n"  # spaces inside a folded text are part of it
        "  1. is not an item here\n"
        "owns: the \u201cmessage\u201d and the \u201cdeal\u201d\n"  # quotes inside a text, not around it
        "responsibilities:\n"
        "  - Coaches the reps \u2013 weekly.\n"
        "  - \u201cSales\u201d and \u201cMarketing\u201d meet.\n"
    )
    root = slipped(tmp_path, text)
    result = run_cli("fix", "--content", str(root))
    assert result.exit_code == 0
    assert "Nothing to fix" in result.stdout
    assert (root / ROLE).read_text(encoding="utf-8") == text


def test_a_file_it_cannot_fix_safely_is_left_byte_for_byte_with_the_reason(tmp_path: Path) -> None:
    # Tabs among space-indented lines: at 2 spaces a tab makes `team` a list of its own, at 4 or 8 an item of the list.
    mixed = "name: Sales Manager\nfunction: sales\nsummary: Leads.\nresponsibilities:\n    - Coaches.\n\t- Hires.\n"
    root = slipped(tmp_path, mixed)
    result = run_cli("fix", "--content", str(root))
    assert result.exit_code == 0
    assert f"{root}/{ROLE}: left as it was, because " in result.stdout
    assert (root / ROLE).read_bytes() == mixed.encode("utf-8")
    # a pasted bullet in a file that has another problem: the repair cannot be checked, so it is not made
    broken = "name: [Sales Manager\nfunction: sales\nsummary: Leads.\nresponsibilities:\n  \u2013 Coaches.\n"
    (root / ROLE).write_bytes(broken.encode("utf-8"))
    refused = run_cli("fix", "--content", str(root))
    assert refused.stdout.splitlines()[0] == (
        f"{root}/{ROLE}: left as it was, because it has another problem that keeps it from being read (line 1: YAML"
        " syntax error: while parsing a flow sequence did not find expected ',' or ']'): mend that first, then run"
        " `playbook fix` again"
    )
    assert (root / ROLE).read_bytes() == broken.encode("utf-8")
    assert "Left for you: 1 problem that `playbook fix` does not repair:" in refused.stdout


def test_it_says_what_is_left_for_the_editor(tmp_path: Path) -> None:
    root = slipped(tmp_path)
    kpi = root / "kpis" / "win-rate.yml"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("value: 27", "value: 400,000"), encoding="utf-8")
    result = run_cli("fix", "--content", str(root))
    assert result.stdout.splitlines()[-3:] == [
        "Left for you: 1 problem that `playbook fix` does not repair:",
        f"{root}/kpis/win-rate.yml:9:10: error: `value` must be a plain number; `400,000` has a thousands separator",
        "  hint: write it with no separator: `value: 400000`",
    ]


def test_the_file_is_replaced_in_one_step_and_keeps_its_permissions(tmp_path: Path) -> None:
    root = slipped(tmp_path)
    (root / ROLE).chmod(0o640)
    run_cli("fix", "--content", str(root))
    assert (root / ROLE).stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (root / "roles").iterdir()) == [
        "account-executive.yml",
        "marketing-manager.yml",
        "sales-manager.yml",
    ]


def test_validate_suggests_the_fix_command_in_text_and_for_github(tmp_path: Path) -> None:
    root = slipped(tmp_path)
    expected = (
        f"`playbook fix --content {root}` repairs this problem (tabs) without changing any value: run it, look at"
        " the change, then validate again"
    )
    text = run_cli("validate", "--content", str(root))
    assert text.stderr.splitlines()[-1] == f"hint: {expected}"
    github = run_cli("validate", "--content", str(root), "--format", "github")
    assert github.stdout.splitlines()[-1] == f"::notice title=playbook fix::{expected}"
    as_json = run_cli("validate", "--content", str(root), "--format", "json")
    assert json.loads(as_json.stdout)["fix"] == expected


def test_the_json_report_carries_the_suggestion_or_null(tmp_path: Path) -> None:
    """The pull-request review reads `validate --format json`: its `fix` is the sentence the text ends with."""
    shutil.copytree(DEFAULT_CONTENT, tmp_path / "content")
    clean = json.loads(run_cli("validate", "--content", "content", "--format", "json", cwd=tmp_path).stdout)
    assert clean["ok"] is True and clean["warnings"] == 2 and clean["fix"] is None  # warnings `fix` does not repair
    role = tmp_path / "content" / "roles" / "account-executive.yml"
    role.write_text(
        role.read_text(encoding="utf-8").replace(
            "name: Account Executive\n", "name: \u201cAccount Executive: new business\u201d\n"
        ),
        encoding="utf-8",
    )
    slipped = json.loads(run_cli("validate", "--content", "content", "--format", "json", cwd=tmp_path).stdout)
    assert [p["code"] for p in slipped["problems"] if p["severity"] == "error"] == ["yaml-syntax"]
    assert slipped["fix"] == (
        "`playbook fix` repairs 1 of these 3 problems (curly quotes) without changing any value: run it, look at"
        " the change, then validate again"
    )
    text = run_cli("validate", "--content", "content", cwd=tmp_path)
    assert text.stderr.splitlines()[-1] == f"hint: {slipped['fix']}"
    run_cli("fix", "--content", "content", cwd=tmp_path)
    assert json.loads(run_cli("validate", "--content", "content", "--format", "json", cwd=tmp_path).stdout)["fix"] is None


def test_a_missing_content_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("fix", "--content", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_the_pre_commit_hook_fails_on_a_slip_and_passes_after_the_fix(tmp_path: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = next(hook["entry"] for hook in hooks if hook["id"] == "playbook-fix").split()[1:]
    repo = tmp_path / "repo"
    slipped(repo)  # repo/content, as pre-commit runs the hook from the repository root
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "playbook_site.cli", *entry], cwd=repo, capture_output=True, text=True, env=env
        )

    first = hook()
    assert first.returncode == 1
    assert "1 file would be fixed: run `playbook fix` to fix it." in first.stdout
    assert run_cli("fix", cwd=repo).exit_code == 0
    second = hook()
    assert second.returncode == 0 and second.stdout == "Nothing to fix in content.\n"


def test_fix_writes_the_projects_own_schema_line(tmp_path: Path) -> None:
    """Issue 21, finding 13: a schema line naming any other address becomes the project's own relative path;
    nothing else in the file changes, and a file without one is left without one."""
    role = "# yaml-language-server: $schema=https://evil.example/role.json\nname: Sales Manager\n"
    root = write_content(
        tmp_path / "content",
        {
            "roles/sales-manager.yml": role + "function: sales\nsummary: Leads.\nresponsibilities:\n  - Coaches.\n",
            "glossary.yml": "# keep this comment\n# yaml-language-server: $schema=../../schema/glossary.schema.json\nterms: []\n",
        },
    )
    assert run_cli("validate", "--content", str(root)).exit_code == 1
    assert run_cli("fix", "--content", str(root)).exit_code == 0
    text = (root / "roles" / "sales-manager.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/role.schema.json\nname: Sales Manager\n")
    glossary = (root / "glossary.yml").read_text(encoding="utf-8")
    assert glossary == "# keep this comment\n# yaml-language-server: $schema=../schema/glossary.schema.json\nterms: []\n"
    assert "$schema" not in (root / "playbook.yml").read_text(encoding="utf-8")
    result = run_cli("validate", "--content", str(root))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "# yaml-language-server: $schema: https://evil.example/r.json\n",
            "# yaml-language-server: $schema: ../../schema/role.schema.json\n",
        ),
        ("# $schema=https://evil.example/r.json\n", "# $schema=../../schema/role.schema.json\n"),
        ("#$schema:   https://evil.example/r.json\n", "#$schema:   ../../schema/role.schema.json\n"),
    ],
)
def test_fix_rewrites_every_schema_comment(tmp_path: Path, before: str, after: str) -> None:
    """Issue 21, finding 13 (reopened): the YAML language server reads `$schema:` as well as `$schema=`,
    without its modeline too, and in a comment at the end of a value line; fix rewrites each."""
    trailing = "name: Sales Manager # yaml-language-server: $schema=https://evil.example/r.json\n"
    body = "function: sales\nsummary: Leads.\nresponsibilities:\n  - Coaches. # $schema=//evil.example/x.json\n"
    root = write_content(tmp_path / "content", {"roles/sales-manager.yml": before + trailing + body})
    assert run_cli("validate", "--content", str(root)).exit_code == 1
    assert run_cli("fix", "--content", str(root)).exit_code == 0
    text = (root / "roles" / "sales-manager.yml").read_text(encoding="utf-8")
    assert text == (
        after
        + "name: Sales Manager # yaml-language-server: $schema=../../schema/role.schema.json\n"
        + body.replace("//evil.example/x.json", "../../schema/role.schema.json")
    )
    result = run_cli("validate", "--content", str(root))
    assert result.exit_code == 0, result.stderr


def _hook(repo: Path) -> subprocess.CompletedProcess[str]:
    """The `playbook-fix` pre-commit hook's entry, run from the repository's root as pre-commit runs it."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = next(hook["entry"] for hook in hooks if hook["id"] == "playbook-fix").split()[1:]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "playbook_site.cli", *entry], cwd=repo, capture_output=True, text=True, env=env)


def test_fix_and_validate_agree_on_a_byte_order_mark(tmp_path: Path) -> None:
    """The format allows a byte-order mark (Windows editors write one, GitHub's web editor keeps it and
    does not show it): `validate` accepts it, so `fix` keeps it and the hook passes. A file with a mark
    and Windows line endings, and one with only the mark, are each left byte for byte."""
    plain = "name: Sales Manager\nfunction: sales\nsummary: Leads the team.\nresponsibilities:\n  - Coaches.\n"
    for text in ("\ufeff" + plain, "\ufeff" + plain.replace("\n", "\r\n")):
        repo = tmp_path / ("crlf" if "\r" in text else "lf")
        root = slipped(repo, text)
        before = (root / ROLE).read_bytes()
        assert before.startswith(b"\xef\xbb\xbf")
        validated = run_cli("validate", "--content", str(root))
        assert validated.exit_code == 0, validated.output
        check = run_cli("fix", "--content", str(root), "--check")
        assert check.exit_code == 0 and check.stdout.startswith(f"Nothing to fix in {root}.\n"), check.output
        hook = _hook(repo)
        assert hook.returncode == 0, hook.stdout + hook.stderr
        assert run_cli("fix", "--content", str(root)).exit_code == 0
        assert (root / ROLE).read_bytes() == before


def test_fix_repairs_a_slip_in_a_file_with_a_byte_order_mark_and_keeps_the_mark(tmp_path: Path) -> None:
    text = "\ufeffname: Sales Manager\nfunction: sales\nsummary: Leads the team.\nresponsibilities:\n  \u2013 Coaches.\n"
    repo = tmp_path / "repo"
    root = slipped(repo, text)
    assert run_cli("validate", "--content", str(root)).exit_code == 1
    assert _hook(repo).returncode == 1
    fixed = run_cli("fix", "--content", str(root))
    assert fixed.exit_code == 0 and "byte-order" not in fixed.stdout
    assert (root / ROLE).read_bytes() == text.replace("\u2013", "-").encode("utf-8")
    assert run_cli("validate", "--content", str(root)).exit_code == 0
    hook = _hook(repo)
    assert hook.returncode == 0 and hook.stdout == "Nothing to fix in content.\n"
