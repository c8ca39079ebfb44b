"""Propose a change from the page, and verified visibly (issue 23): playbook.yml's `repository` puts
"Edit this definition" and "Suggest a change" beside each entity, on both engines, for GitHub and
GitLab; hostile settings are refused where they are written; `init` fills the setting from the git
remote; each entity shows its last agreed change (real git repositories with commits at set dates)
and its review date, "due for review" once passed, on its page and in the lists.

Real files in tmp_path, the real CLI, real MkDocs and Zensical builds, real git.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import make_site_project, run_cli, write_content
from playbook_site.content.repository import from_remote

GITHUB = "repository:\n  url: https://github.com/northwind/revenue-playbook\n  branch: main\n"
GITLAB = "repository:\n  url: https://gitlab.com/northwind/sales/playbook.git\n  branch: release/2026\n"
ENTERPRISE = "repository:\n  url: https://code.northwind.example/revenue/playbook\n  host: gitlab\n"
META = """
    title: Test Playbook
    organization: Example Co
    summary: A small playbook for tests.
    alignment:
      current: defined
      target: aligned
"""


def _meta(extra: str) -> str:
    return META + "".join(f"    {line}\n" for line in extra.splitlines())


def links(page: str, css: str) -> list[str]:
    return [html.unescape(found) for found in re.findall(rf'<a class="{css}" href="([^"]*)"', page)]


def build(project: Path, engine: str) -> Path:
    result = run_cli("build", "--engine", engine, cwd=project)
    assert result.exit_code == 0, result.output + result.stderr
    return project / "site"


def page_of(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


# --- the links, on both engines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("engine", "setting", "edit", "issue"),
    [
        (
            "mkdocs",
            GITHUB,
            "https://github.com/northwind/revenue-playbook/edit/main/content/roles/account-executive.yml",
            ("https://github.com/northwind/revenue-playbook/issues/new", "title", "body"),
        ),
        (
            "zensical",
            GITHUB,
            "https://github.com/northwind/revenue-playbook/edit/main/content/roles/account-executive.yml",
            ("https://github.com/northwind/revenue-playbook/issues/new", "title", "body"),
        ),
        (
            "mkdocs",
            GITLAB,
            "https://gitlab.com/northwind/sales/playbook/-/edit/release/2026/content/roles/account-executive.yml",
            ("https://gitlab.com/northwind/sales/playbook/-/issues/new", "issue[title]", "issue[description]"),
        ),
        (
            "zensical",
            ENTERPRISE,
            "https://code.northwind.example/revenue/playbook/-/edit/main/content/roles/account-executive.yml",
            ("https://code.northwind.example/revenue/playbook/-/issues/new", "issue[title]", "issue[description]"),
        ),
    ],
    ids=["mkdocs-github", "zensical-github", "mkdocs-gitlab", "zensical-gitlab-self-hosted"],
)
def test_each_entity_links_to_its_file_in_the_web_editor_and_to_a_new_issue(
    tmp_path: Path, engine: str, setting: str, edit: str, issue: tuple[str, str, str]
) -> None:
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content", {"playbook.yml": _meta(setting)})
    site = build(project, engine)
    role = page_of(site, "roles/account-executive")
    assert links(role, "pb-edit") == [edit]
    (suggest,) = links(role, "pb-suggest")
    address, title_key, body_key = issue
    parts = urlsplit(suggest)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == address
    assert " " not in suggest and "[" not in parts.query  # every character of the query percent-encoded
    query = parse_qs(parts.query, strict_parsing=True)
    assert query[title_key] == ["Suggested change to the role Account Executive"]
    assert "`account-executive`" in query[body_key][0] and "`content/roles/account-executive.yml`" in query[body_key][0]
    # Every entity on a shared page has its own pair: the KPIs page links each KPI's file.
    kpis = page_of(site, "kpis")
    assert [link.rsplit("/", 1)[1] for link in links(kpis, "pb-edit")] == ["win-rate.yml"]
    glossary = page_of(site, "glossary")
    assert [link.rsplit("/", 1)[1] for link in links(glossary, "pb-edit")] == ["glossary.yml"]
    assert len(links(page_of(site, "checklist"), "pb-suggest")) == 1
    # The site still asks no other host for anything: the links are links, no script or image from the host.
    host = urlsplit(edit).netloc
    assert not re.search(rf'(src|srcset|action)="https://{re.escape(host)}', role)


def test_no_setting_no_links(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content")
    role = page_of(build(project, "mkdocs"), "roles/account-executive")
    assert "pb-edit" not in role and "pb-suggest" not in role and "Last agreed change" not in role


def test_odd_characters_in_the_branch_and_the_path_are_percent_encoded() -> None:
    from playbook_site.content.repository import Proposals

    proposals = Proposals("https://github.com/o/r", "feature/q4+emea", "github")
    assert (
        proposals.edit_url("play book/roles/a#b?.yml")
        == "https://github.com/o/r/edit/feature/q4%2Bemea/play%20book/roles/a%23b%3F.yml"
    )
    issue = proposals.issue_url('Win rate "& <b>"', "a\nb & c=d")
    assert issue == "https://github.com/o/r/issues/new?title=Win%20rate%20%22%26%20%3Cb%3E%22&body=a%0Ab%20%26%20c%3Dd"


# --- hostile settings, refused where they are written ---------------------------------------------


@pytest.mark.parametrize(
    ("setting", "column", "message"),
    [
        ("url: javascript:alert(1)", 8, "starts with `javascript:`; only https://"),
        ("url: http://github.com/o/r", 8, "starts with `http:`"),
        ("url: https://alice:ghp_token@github.com/o/r", 8, "user name or a password"),
        ("url: 'https://github.com/o/r?tab=1'", 8, "a query or a fragment"),
        ("url: 'https://github.com/o/r epo'", 8, "holds a space"),
        ("url: git@github.com:o/r.git", 8, "not a web address"),
        ("url: https://github.com/o/r/tree/main", 3, "is not a GitHub repository's address"),
        ("url: https://github.com/o/../r", 8, "is not https://HOST/ORG/REPO"),
        ("url: https://code.example.com/o/r", 3, "does not say whether the host is GitHub or GitLab"),
        ("url: https://github.com/o/r\n  branch: '-x'", 11, "is not a branch name"),
        ("url: https://github.com/o/r\n  branch: 'a..b'", 11, "is not a branch name"),
    ],
)
def test_hostile_settings_are_refused_with_their_place(tmp_path: Path, setting: str, column: int, message: str) -> None:
    content = write_content(tmp_path / "content", {"playbook.yml": _meta(f"repository:\n  {setting}")})
    result = run_cli("validate", "--content", str(content), cwd=tmp_path)
    assert result.exit_code == 1, result.output
    line = 9 if "branch" in setting else 8
    assert f"content/playbook.yml:{line}:{column}: error: " in result.output + result.stderr, result.output + result.stderr
    assert message in result.output + result.stderr
    assert "[bad-repository]" in result.output + result.stderr


# --- init fills the setting from the git remote ---------------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("git@github.com:northwind/revenue-playbook.git", "https://github.com/northwind/revenue-playbook"),
        ("https://alice:ghp_s3cret@github.com/northwind/revenue-playbook.git", "https://github.com/northwind/revenue-playbook"),
        ("ssh://git@gitlab.com:2222/northwind/sales/playbook.git", "https://gitlab.com/northwind/sales/playbook"),
    ],
)
def test_init_fills_the_repository_from_the_remote(tmp_path: Path, remote: str, expected: str) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "trunk")
    _git(repo, "remote", "add", "origin", remote)
    result = run_cli("init", "--organization", "Northwind", "--tool-source", "0.3.0", str(repo))
    assert result.exit_code == 0, result.output + result.stderr
    meta = (repo / "content" / "playbook.yml").read_text(encoding="utf-8")
    assert f'  url: "{expected}"\n  branch: "trunk"\n' in meta
    written = "".join(path.read_text(encoding="utf-8") for path in repo.rglob("*") if path.is_file() and ".git" not in path.parts)
    assert "s3cret" not in written and "alice" not in written
    assert run_cli("validate", "--content", str(repo / "content")).exit_code == 0


def test_init_without_a_remote_writes_no_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    result = run_cli("init", "--organization", "Northwind", "--tool-source", "0.3.0", str(repo))
    assert result.exit_code == 0, result.output + result.stderr
    assert "repository:" not in (repo / "content" / "playbook.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "remote", ["/srv/git/playbook.git", "file:///srv/git/playbook.git", "https://github.com/o/r?x=1", "ext::sh -c touch% /tmp/x"]
)
def test_a_remote_that_is_no_web_host_fills_nothing(remote: str) -> None:
    assert from_remote(remote) is None


# --- last agreed change and review dates, from a real git history ---------------------------------


def _commit(repo: Path, message: str, day: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T10:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+00:00"}
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A playbook repository with three commits: everything on 5 January 2026, the Win rate KPI on 3
    March 2026, the AE role on 20 October 2026 (today is 23 November 2026); the glossary's review date
    and the Sales Manager's have passed."""
    project = make_site_project(tmp_path / "repo")
    content = write_content(project / "content", {"playbook.yml": _meta(GITHUB)})
    _git(project, "init", "-q", "-b", "main")
    _git(project, "config", "user.name", "Tests")
    _git(project, "config", "user.email", "tests@example.com")
    _git(project, "config", "commit.gpgsign", "false")
    _commit(project, "The playbook", "2026-01-05")
    win_rate = content / "kpis" / "win-rate.yml"
    win_rate.write_text(win_rate.read_text(encoding="utf-8").replace("value: 27", "value: 28"), encoding="utf-8")
    _commit(project, "Win rate target 28", "2026-03-03")
    role = content / "roles" / "account-executive.yml"
    role.write_text(role.read_text(encoding="utf-8") + "review_by: 2027-03-31\n", encoding="utf-8")
    manager = content / "roles" / "sales-manager.yml"
    manager.write_text(manager.read_text(encoding="utf-8") + "review_by: 2026-06-30\n", encoding="utf-8")
    glossary = content / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "    review_by: 2026-02-01\n", encoding="utf-8")
    _commit(project, "Review dates", "2026-10-20")
    return project


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_each_entity_shows_its_last_agreed_change_and_its_review_date(history: Path, engine: str) -> None:
    site = build(history, engine)
    role = page_of(site, "roles/account-executive")
    assert '<span class="pb-changed">Last agreed change: <time datetime="2026-10-20">20 October 2026</time></span>' in role
    assert '<span class="pb-review-by">Review by: <time datetime="2027-03-31">31 March 2027</time></span>' in role
    assert "due for review" not in role.split('class="md-content"', 1)[1].split("<h2", 1)[0]
    kpis = page_of(site, "kpis")
    assert '<time datetime="2026-03-03">3 March 2026</time>' in kpis  # changed alone, in the second commit
    leads = page_of(site, "leads")
    assert set(re.findall(r'<time datetime="([^"]+)">', leads)) == {"2026-01-05"}  # never changed since
    # Past its date: marked on its page and in the lists.
    manager = page_of(site, "roles/sales-manager")
    assert '<span class="pb-badge pb-badge--stale">due for review</span>' in manager
    roles = page_of(site, "roles")
    row = re.search(r"<tr>\s*<td><a href=\"[^\"]*sales-manager[^>]*>.*?</tr>", roles, re.S)
    assert row and "due for review" in row.group(), roles
    glossary = page_of(site, "glossary")
    assert "due for review" in glossary and '<time datetime="2026-10-20">' in glossary


def test_a_file_with_uncommitted_changes_gets_no_date(history: Path) -> None:
    role = history / "content" / "roles" / "account-executive.yml"
    role.write_text(role.read_text(encoding="utf-8").replace("Closes deals.", "Closes deals, fast."), encoding="utf-8")
    new_kpi = history / "content" / "kpis" / "sales-cycle.yml"
    new_kpi.write_text(
        "name: Sales cycle\ndefinition: d\nformula: f\nunit: days\ndirection: lower\nowner: sales-manager\n", encoding="utf-8"
    )
    site = build(history, "mkdocs")
    assert "Last agreed change" not in page_of(site, "roles/account-executive")
    kpis = page_of(site, "kpis")
    assert kpis.count("Last agreed change") == 1  # win-rate; the new KPI, never committed, none
    assert "Last agreed change" in page_of(site, "roles/sales-manager")


def test_outside_git_and_at_the_edge_of_a_shallow_clone_no_date_is_said(history: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    subprocess.run(["cp", "-r", str(history), str(plain)], check=True)
    subprocess.run(["rm", "-rf", str(plain / ".git")], check=True)
    assert "Last agreed change" not in page_of(build(plain, "mkdocs"), "roles/sales-manager")
    shallow = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth", "2", f"file://{history}", str(shallow))
    site = build(shallow, "mkdocs")
    # The clone's oldest commit (Win rate's) is its edge: every file looks added there, so none of
    # the files it last changed gets a date, not even Win rate, whose change there cannot be told.
    assert "Last agreed change" not in page_of(site, "leads")
    assert "Last agreed change" not in page_of(site, "kpis")
    assert "20 October 2026" in page_of(site, "roles/account-executive")  # changed by the newest commit: known
    assert "Review by:" in page_of(site, "roles/sales-manager")  # the review date is the content's, always shown


def test_a_published_version_dates_its_definitions_by_the_history_up_to_its_commit(history: Path) -> None:
    """`publish --revision HEAD~1` builds the commit before the review dates: the AE role's last agreed
    change there is 5 January, not 20 October; and the Win rate KPI's is 3 March."""
    (history / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    _git(history, "add", "-A")
    _git(history, "commit", "-q", "--amend", "--no-edit")  # the folder kept; the tip's dates stay 20 October
    result = run_cli("publish", "1.0", "--revision", "HEAD~1", cwd=history)
    assert result.exit_code == 0, result.output + result.stderr
    role = _git(history, "show", "gh-pages:1.0/roles/account-executive/index.html")
    assert '<time datetime="2026-01-05">5 January 2026</time>' in role and "20 October 2026" not in role
    kpis = _git(history, "show", "gh-pages:1.0/kpis/index.html")
    assert '<time datetime="2026-03-03">3 March 2026</time>' in kpis
    assert "https://github.com/northwind/revenue-playbook/edit/main/content/kpis/win-rate.yml" in html.unescape(kpis)
