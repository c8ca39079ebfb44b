"""The `playbook` command: exit codes, output and help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, REPO, make_site_project, run_cli, write_content
from playbook_site.cli import cli


def test_help_lists_every_command_and_each_has_help() -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for name, command in cli.commands.items():
        assert name in result.stdout
        sub = run_cli(name, "--help")
        assert sub.exit_code == 0, name
        assert " ".join((command.help or "").split("\n")[0].split()) in " ".join(sub.stdout.split()), name


def test_validate_default_content_succeeds() -> None:
    result = run_cli("validate", "--content", str(DEFAULT_CONTENT))
    assert result.exit_code == 0
    assert (
        "valid (9 roles, 6 lead stages, 9 KPIs, 10 checklist steps, 4 alignment stages, 20 diagnostic statements" in result.stdout
    )
    # The default playbook shows every state of its numbers: one KPI's results are stale, one checklist step is overdue.
    assert "0 errors, 2 warnings" in result.stdout
    assert (
        "net-revenue-retention.csv:3:1: warning: KPI `net-revenue-retention` (Net revenue retention) has no result for 2025"
        in result.stderr
    )
    assert "activity.yml:22:11: warning: checklist step `united-approach` (United approach) is quarterly" in result.stderr


def test_validate_reports_problem_with_excerpt_caret_and_hint(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            "roles/sales-manager.yml": """
        name: Sales Manager
        function: sales
        summary: Leads the team.
        responsibilites:
          - Coaches.
    """
        },
    )
    result = run_cli("validate", "--content", str(root))
    assert result.exit_code == 1
    path = f"{root}/roles/sales-manager.yml"
    lines = result.stderr.splitlines()
    assert f"{path}:4:1: error: unknown field `responsibilites` [unknown-field]" in lines
    assert "  4 | responsibilites:" in lines
    assert "    | ^" in lines
    assert any(line.startswith("  hint: did you mean `responsibilities`?") for line in lines)
    # One mistake, one problem: the misspelt field is not reported a second time as missing.
    assert f"{path}:1:1: error: missing required field `responsibilities` [missing-field]" not in lines
    assert "Traceback" not in result.output


def test_validate_github_and_json_formats(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            "kpis/win-rate.yml": """
        name: Win rate
        definition: Share of deals won.
        formula: Won / all
        unit: percentage
        direction: higher
        owner: sales-manager
    """
        },
    )
    github = run_cli("validate", "--content", str(root), "--format", "github")
    assert github.exit_code == 1
    assert github.stdout.splitlines()[0] == (
        f"::error file={root}/kpis/win-rate.yml,line=4,col=7,title=bad-value::`percentage` is not an allowed value for "
        "`unit` (hint: use one of: `percent`, `count`, `currency`, `hours`, `days`, `ratio` or `score`)"
    )
    as_json = run_cli("validate", "--content", str(root), "--format", "json")
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["ok"] is False and report["errors"] == 1
    assert report["problems"][0] | {"path": ""} == {
        "path": "",
        "line": 4,
        "column": 7,
        "severity": "error",
        "code": "bad-value",
        "message": "`percentage` is not an allowed value for `unit`",
        "hint": "use one of: `percent`, `count`, `currency`, `hours`, `days`, `ratio` or `score`",
    }


def test_validate_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("validate", "--content", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert "the content directory does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_option_is_a_usage_error() -> None:
    result = run_cli("validate", "--colour")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_generate_writes_every_page(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    result = run_cli("generate", "--out", str(out), "--content", str(DEFAULT_CONTENT))
    assert result.exit_code == 0
    written = sorted(p.relative_to(out / "docs").as_posix() for p in (out / "docs").rglob("*.md"))
    assert "roles/account-executive.md" in written and "glossary.md" in written and (out / "mkdocs.yml").is_file()
    files = len([p for p in out.rglob("*") if p.is_file()]) - 1  # the manifest is not counted
    assert result.stdout.strip() == (
        f"Wrote the project of {len(written)} pages to {out}: {files} files written, 0 unchanged, 0 removed."
        f" Build it with `cd {out} && zensical build`."
    )


def test_generate_writes_nothing_for_bad_content(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"glossary.yml": "terms: [1, 2"})
    out = tmp_path / "pages"
    result = run_cli("generate", "--out", str(out), "--content", str(root))
    assert result.exit_code == 1
    assert "YAML syntax error" in result.stderr and "nothing was written" in result.stderr
    assert not out.exists()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_site_project(tmp_path / "repo", DEFAULT_CONTENT)


def test_build_then_failed_build_keeps_the_site(project: Path) -> None:
    first = run_cli("build", cwd=project)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("Built the playbook site in ")
    site = project / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (project / "content" / "roles" / "account-executive.yml").write_text("name: AE\n", encoding="utf-8")
    second = run_cli("build", cwd=project)
    assert second.exit_code == 1
    assert "missing required field `function`" in second.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.glob(".site-*")), "no temporary directory is left behind"


def test_build_failure_in_mkdocs_keeps_the_site(project: Path) -> None:
    assert run_cli("build", cwd=project).exit_code == 0
    site = project / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (project / "docs" / "extra.md").write_text("# Extra\n\n[broken](missing.md)\n", encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.exit_code == 1
    assert "the site was not built" in result.stderr and "previous site was left as it was" in result.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before


def test_build_without_mkdocs_yml_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 2
    assert "mkdocs.yml does not exist" in result.stderr


def test_build_with_site_dir_option(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    result = run_cli("build", "-d", str(target), cwd=project)
    assert result.exit_code == 0, result.output
    assert (target / "roles" / "account-executive" / "index.html").is_file()


def test_debug_shows_a_traceback(tmp_path: Path) -> None:
    args = ["generate", "--out", str(tmp_path / "o"), "--content", str(tmp_path / "missing")]
    quiet = run_cli(*args)
    assert quiet.exit_code == 1 and "Traceback" not in quiet.output
    with pytest.raises(Exception) as caught:
        run_cli("--debug", *args)
    assert "content directory does not exist" in str(caught.value)


def test_build_creates_a_missing_docs_folder(tmp_path: Path) -> None:
    """A fresh clone has no docs/ when it held no page (git keeps no empty folder): the build still works."""
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    (project / "docs").rmdir()
    result = run_cli("build", cwd=project)
    assert result.exit_code == 0, result.output
    assert (project / "docs").is_dir() and not any((project / "docs").iterdir())
    assert (project / "site" / "index.html").is_file()


def test_without_mkdocs_yml_the_error_says_what_the_file_holds(tmp_path: Path) -> None:
    """The two lines it quotes are a working configuration: written beside content/, they build."""
    import shutil

    shutil.copytree(REPO / "content", tmp_path / "content")
    missing = run_cli("build", cwd=tmp_path)
    assert missing.exit_code == 2 and "playbook init" in missing.stderr
    quoted = [line.strip() for line in missing.stderr.splitlines() if line.startswith("    ")]
    assert quoted == ["site_name: Revenue Playbook", "plugins: [playbook]"]
    (tmp_path / "mkdocs.yml").write_text("\n".join(quoted) + "\n", encoding="utf-8")
    built = run_cli("build", cwd=tmp_path)
    assert built.exit_code == 0, built.stderr
    assert 'class="md-header' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_a_build_names_the_files_as_validate_does(tmp_path: Path) -> None:
    """A problem found by `build` is shown by its path from the working folder, as `validate` shows it."""
    import shutil

    shutil.copytree(REPO / "content", tmp_path / "content")
    (tmp_path / "mkdocs.yml").write_text("site_name: P\nplugins: [playbook]\n", encoding="utf-8")
    role = tmp_path / "content" / "roles" / "sales-manager.yml"
    role.write_text(role.read_text(encoding="utf-8").replace("function: sales", "function: [sales]", 1), encoding="utf-8")
    validated = run_cli("validate", cwd=tmp_path)
    built = run_cli("build", cwd=tmp_path)
    assert validated.exit_code == built.exit_code == 1
    (error,) = [line for line in validated.stderr.splitlines() if ": error: " in line]
    assert error.startswith("content/roles/sales-manager.yml:3:")
    assert [line for line in built.stderr.splitlines() if ": error: " in line] == [error]
    assert str(tmp_path) not in built.stderr
